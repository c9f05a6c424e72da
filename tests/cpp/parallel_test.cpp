#include "infogap/parallel.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>
#include <vector>

namespace infogap {
namespace {

TEST(Parallel, EveryIndexVisitedOnceWhateverTheThreadCount) {
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    set_threads(threads);
    std::vector<int> hits(10007, 0);
    parallel_for(
        hits.size(),
        [&](std::size_t b, std::size_t e, unsigned) {
          for (std::size_t i = b; i < e; ++i) ++hits[i];
        },
        10);
    EXPECT_EQ(std::accumulate(hits.begin(), hits.end(), 0), 10007) << threads;
    EXPECT_EQ(*std::min_element(hits.begin(), hits.end()), 1) << threads;
  }
  set_threads(0);
}

TEST(Parallel, ExceptionInAWorkerIsRethrown) {
  set_threads(2);
  EXPECT_THROW(parallel_for(100000,
                            [](std::size_t b, std::size_t, unsigned) {
                              if (b > 0) throw std::runtime_error("boom");
                            }),
               std::runtime_error);
  set_threads(0);
}

}  // namespace
}  // namespace infogap
