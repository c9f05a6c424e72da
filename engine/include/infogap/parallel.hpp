#pragma once
/// @file parallel.hpp  Thread count and a chunked parallel loop (std::thread; no shared state
/// beyond what the caller passes). Results must not depend on the thread count.

#include <cstddef>
#include <functional>

namespace infogap {

/// Number of worker threads used by the engine: set_threads(n) if called with n > 0, else the
/// INFOGAP_THREADS environment variable, else std::thread::hardware_concurrency().
unsigned thread_count() noexcept;

/// Sets the number of worker threads (0 = automatic).
void set_threads(unsigned n) noexcept;

/// Runs fn(begin, end, worker) over [0, n) split into contiguous chunks, one per worker
/// (worker in [0, thread_count())). Exceptions thrown by fn are rethrown (the first one) after
/// every worker has finished. While a ParallelProgress lives on the calling thread, a long loop
/// runs as consecutive slices (each split among the workers) and reports after each.
void parallel_for(std::size_t n, const std::function<void(std::size_t, std::size_t, unsigned)>& fn,
                  std::size_t min_chunk = 1024);

/// While alive, the parallel_for calls made on this thread report their progress: `report(f)`,
/// f the share of the loop done (0..1), on this thread, after each of up to 64 slices (loops of
/// at least 64 × min_chunk × threads items). Results do not change: only the split does. Nested
/// loops (inside fn) do not report.
class ParallelProgress {
 public:
  explicit ParallelProgress(std::function<void(double)> report);
  ~ParallelProgress();
  ParallelProgress(const ParallelProgress&) = delete;
  ParallelProgress& operator=(const ParallelProgress&) = delete;

 private:
  std::function<void(double)> m_report;
  const std::function<void(double)>* m_previous = nullptr;
};

}  // namespace infogap
