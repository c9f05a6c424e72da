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
  if (workers <= 1) {
    fn(0, n, 0);
    return;
  }
  std::exception_ptr first;
  std::mutex mu;
  std::vector<std::thread> pool;
  pool.reserve(workers);
  const std::size_t chunk = (n + workers - 1) / workers;
  for (unsigned w = 0; w < workers; ++w) {
    const std::size_t b = std::min(n, w * chunk);
    const std::size_t e = std::min(n, b + chunk);
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

}  // namespace infogap
