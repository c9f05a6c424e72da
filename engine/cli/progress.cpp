#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace infogap::cli {

Progress::Progress(bool quiet) : m_tty(isatty(STDERR_FILENO) != 0), m_quiet(quiet) {}

void Progress::update(const std::string& stage, double fraction) {
  if (m_quiet) return;
  // The bar shows tenths of a percent, so that a long stage (a national solve bounded by a
  // 10-minute limit) still visibly moves every few seconds; plain lines every quarter.
  const int permille = static_cast<int>(fraction * 1000.0 + 0.5);
  if (stage == m_stage && permille == m_last_permille) return;
  if (m_tty) {
    const int width = 30;
    const int filled = permille * width / 1000;
    std::fprintf(stderr, "\r%-24s [%.*s%*s] %3d.%d%%", stage.c_str(), filled,
                 "==============================", width - filled, "", permille / 10, permille % 10);
    std::fflush(stderr);
  } else if (stage != m_stage || permille / 250 != m_last_permille / 250) {
    std::fprintf(stderr, "%s: %d%%\n", stage.c_str(), (permille + 5) / 10);
  }
  m_stage = stage;
  m_last_permille = permille;
}

void Progress::done(const std::string& stage, double seconds) {
  if (m_quiet) return;
  if (m_tty)
    std::fprintf(stderr, "\r%-24s done in %.2f s%*s\n", stage.c_str(), seconds, 20, "");
  else
    std::fprintf(stderr, "%s: done in %.2f s\n", stage.c_str(), seconds);
  m_stage.clear();
  m_last_permille = -1;
}

}  // namespace infogap::cli
