#pragma once
// Private: portable random numbers for the synthetic dataset. std::mt19937_64 is specified
// bit-for-bit by the standard; the std::*_distribution classes are not, so the distributions
// are implemented here from raw 64-bit draws (same seed → same numbers on every library).

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace infogap::detail::synth {

/// SplitMix64 finaliser: decorrelates seeds of independent streams.
constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// Seed of the stream (purpose, index) derived from the user seed.
constexpr std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index = 0) noexcept {
  return splitmix64(splitmix64(splitmix64(seed) ^ (purpose * 0xD1B54A32D192ED03ULL)) ^ index);
}

/// Purposes of the random streams (one stream per purpose and entity keeps results independent of
/// the order and the thread in which entities are generated).
enum Stream : std::uint64_t {
  k_stream_outline = 1,
  k_stream_districts,
  k_stream_communes,
  k_stream_canals,
  k_stream_hamlets,
  k_stream_households,
  k_stream_poverty,
  k_stream_attributes,
  k_stream_speakers,
  k_stream_teams,
  k_stream_candidates,
  k_stream_national,
};

/// A mt19937_64 engine with portable distributions.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : m_engine(seed) {}
  /// Raw 64 bits.
  std::uint64_t bits() { return m_engine(); }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(bits() >> 11) * 0x1.0p-53; }
  /// Uniform in [a, b).
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  /// Uniform integer in [0, n) without modulo bias; 0 when n == 0.
  std::uint64_t below(std::uint64_t n) {
    if (n == 0) return 0;
    const std::uint64_t limit = (~std::uint64_t{0}) - ((~std::uint64_t{0}) % n);
    std::uint64_t r = bits();
    while (r >= limit) r = bits();
    return r % n;
  }
  /// Uniform integer in [lo, hi] (inclusive).
  std::int64_t integer(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  /// True with probability p.
  bool bernoulli(double p) { return uniform() < p; }
  /// Standard normal (Box–Muller; one value per call, the partner is discarded).
  double normal() {
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  /// Normal with mean and standard deviation.
  double normal(double mean, double sd) { return mean + sd * normal(); }
  /// Index drawn with the given (non-negative, not all zero) weights.
  std::size_t choose(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double r = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  std::mt19937_64 m_engine;
};

}  // namespace infogap::detail::synth
