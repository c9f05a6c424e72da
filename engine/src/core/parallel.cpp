#include "infogap/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace infogap {
namespace {
std::atomic<unsigned> g_threads{0};
/// The progress sink of this thread's parallel_for calls (ParallelProgress), or null.
thread_local const std::function<void(double)>* t_progress = nullptr;
constexpr std::size_t k_progress_slices = 64;

/// fn over [begin, end) split among the workers.
void run_split(std::size_t begin, std::size_t end, unsigned workers,
               const std::function<void(std::size_t, std::size_t, unsigned)>& fn) {
  const std::size_t n = end - begin;
  std::exception_ptr first;
  std::mutex mu;
  std::vector<std::thread> pool;
  pool.reserve(workers);
  const std::size_t chunk = (n + workers - 1) / workers;
  for (unsigned w = 0; w < workers; ++w) {
    const std::size_t b = begin + std::min(n, w * chunk);
    const std::size_t e = std::min(end, b + chunk);
    pool.emplace_back([&, b, e, w] {
      try {
        if (b < e) fn(b, e, w);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!first) first = std::current_exception();
      }
    });
  }
  for (auto& t : pool) t.join();
  if (first) std::rethrow_exception(first);
}
}  // namespace

ParallelProgress::ParallelProgress(std::function<void(double)> report)
    : m_report(std::move(report)), m_previous(t_progress) {
  t_progress = m_report ? &m_report : nullptr;
}

ParallelProgress::~ParallelProgress() {
  t_progress = m_previous;
}

unsigned thread_count() noexcept {
  if (unsigned n = g_threads.load(); n > 0) return n;
  if (const char* env = std::getenv("INFOGAP_THREADS")) {
    const long v = std::strtol(env, nullptr, 10);
    if (v > 0 && v < 1024) return static_cast<unsigned>(v);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

void set_threads(unsigned n) noexcept {
  g_threads.store(n);
}

void parallel_for(std::size_t n, const std::function<void(std::size_t, std::size_t, unsigned)>& fn,
                  std::size_t min_chunk) {
  if (n == 0) return;
  const std::size_t want = std::max<std::size_t>(1, n / std::max<std::size_t>(1, min_chunk));
  const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(thread_count(), want));
  const std::function<void(double)>* report = t_progress;
  if (report != nullptr && want >= k_progress_slices * std::max(1u, workers)) {
    // Consecutive slices with a report after each; loops inside fn (on this thread when there is
    // one worker) do not report.
    t_progress = nullptr;
    try {
      for (std::size_t s = 0; s < k_progress_slices; ++s) {
        const std::size_t b = n * s / k_progress_slices, e = n * (s + 1) / k_progress_slices;
        if (workers <= 1) {
          fn(b, e, 0);
        } else {
          run_split(b, e, workers, fn);
        }
        (*report)(static_cast<double>(s + 1) / static_cast<double>(k_progress_slices));
      }
    } catch (...) {
      t_progress = report;
      throw;
    }
    t_progress = report;
    return;
  }
  if (workers <= 1) {
    fn(0, n, 0);
    return;
  }
  run_split(0, n, workers, fn);
}

}  // namespace infogap
