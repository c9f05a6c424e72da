// Progress of the write stage (weights per step).
#include <algorithm>

#include "output/products.hpp"

namespace infogap::detail {

WriteProgress::WriteProgress(ProgressFn fn, std::vector<std::pair<std::string, double>> steps)
    : m_fn(std::move(fn)), m_steps(std::move(steps)) {
  for (const auto& [name, weight] : m_steps) m_total += weight;
}

void WriteProgress::at(const std::string& name, double f) {
  if (!m_fn || !(m_total > 0.0)) return;
  double before = 0.0;
  for (const auto& [step, weight] : m_steps) {
    if (step == name) {
      const double fraction = (before + weight * std::clamp(f, 0.0, 1.0)) / m_total;
      if (fraction > m_last) {
        m_last = fraction;
        m_fn("write", fraction);
      }
      return;
    }
    before += weight;
  }
}

std::function<void(double)> WriteProgress::within(const std::string& name) {
  return [this, name](double f) { at(name, f); };
}

}  // namespace infogap::detail
