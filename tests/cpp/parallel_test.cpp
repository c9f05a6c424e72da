#include "infogap/parallel.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <thread>
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

TEST(Parallel, ProgressReportsSlicesOnTheCallingThreadAndChangesNoResult) {
  for (unsigned threads : {1u, 2u, 3u}) {
    set_threads(threads);
    std::vector<int> hits(100000, 0);
    std::vector<unsigned> worker_of(hits.size(), 99);
    std::vector<double> reports;
    int nested_reports = 0;
    const auto caller = std::this_thread::get_id();
    bool other_thread = false;
    {
      const ParallelProgress p([&](double f) {
        reports.push_back(f);
        other_thread = other_thread || std::this_thread::get_id() != caller;
      });
      parallel_for(
          hits.size(),
          [&](std::size_t b, std::size_t e, unsigned w) {
            for (std::size_t i = b; i < e; ++i) {
              ++hits[i];
              worker_of[i] = w;
            }
            if (b == 0)
              parallel_for(
                  100000, [&](std::size_t, std::size_t, unsigned) {}, 10);  // nested: silent
          },
          10);
      nested_reports = static_cast<int>(reports.size()) - 64;
      parallel_for(
          100, [](std::size_t, std::size_t, unsigned) {}, 10);  // short: no slices
    }
    parallel_for(
        100000, [](std::size_t, std::size_t, unsigned) {}, 10);  // after the scope: silent
    EXPECT_EQ(std::accumulate(hits.begin(), hits.end(), 0), 100000) << threads;
    EXPECT_EQ(*std::max_element(hits.begin(), hits.end()), 1) << threads;
    EXPECT_LT(*std::max_element(worker_of.begin(), worker_of.end()), threads) << threads;
    ASSERT_EQ(reports.size(), 64u) << threads;
    EXPECT_EQ(nested_reports, 0);
    EXPECT_TRUE(std::is_sorted(reports.begin(), reports.end()));
    EXPECT_DOUBLE_EQ(reports.back(), 1.0);
    EXPECT_FALSE(other_thread);
  }
  set_threads(0);
}

}  // namespace
}  // namespace infogap
