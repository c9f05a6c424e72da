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
/// every worker has finished.
void parallel_for(std::size_t n, const std::function<void(std::size_t, std::size_t, unsigned)>& fn,
                  std::size_t min_chunk = 1024);

}  // namespace infogap
