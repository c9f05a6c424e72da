#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace infogap::cli {

Progress::Progress(bool quiet) : m_tty(isatty(STDERR_FILENO) != 0), m_quiet(quiet) {}

void Progress::update(const std::string& stage, double fraction) {
  if (m_quiet) return;
  const int pct = static_cast<int>(fraction * 100.0 + 0.5);
  if (stage == m_stage && pct == m_last_percent) return;
  if (m_tty) {
    const int width = 30;
    const int filled = pct * width / 100;
    std::fprintf(stderr, "\r%-24s [%.*s%*s] %3d%%", stage.c_str(), filled,
                 "==============================", width - filled, "", pct);
    std::fflush(stderr);
  } else if (stage != m_stage || pct / 25 != m_last_percent / 25) {
    std::fprintf(stderr, "%s: %d%%\n", stage.c_str(), pct);
  }
  m_stage = stage;
  m_last_percent = pct;
}

void Progress::done(const std::string& stage, double seconds) {
  if (m_quiet) return;
  if (m_tty)
    std::fprintf(stderr, "\r%-24s done in %.2f s%*s\n", stage.c_str(), seconds, 20, "");
  else
    std::fprintf(stderr, "%s: done in %.2f s\n", stage.c_str(), seconds);
  m_stage.clear();
  m_last_percent = -1;
}

}  // namespace infogap::cli
