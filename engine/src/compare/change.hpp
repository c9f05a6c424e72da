#pragma once
// Private to the compare area: the figures an area carries on each side, and the summary text.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "infogap/compare.hpp"

namespace infogap::detail {

/// The figures of an area on one side, in the order of k_area_measures (gap_rate is derived).
struct AreaFigures {
  std::array<double, 6> v{};
  AreaFigures& operator+=(const AreaFigures& o) {
    for (std::size_t k = 0; k < v.size(); ++k) v[k] += o.v[k];
    return *this;
  }
};

/// A measure of an area: its name in change.gpkg (`<name>_before/_after/_delta`), the hamlets
/// layer column it comes from, and whether it is a count (integer) or a weight (real).
struct AreaMeasure {
  std::string_view name;
  std::string_view source;
  bool count;
};
inline constexpr std::array<AreaMeasure, 6> k_area_measures = {{{"households", "households", true},
                                                                {"target_households", "target_households", true},
                                                                {"target_weight", "target_weight", false},
                                                                {"reached", "reached_any", true},
                                                                {"gap_households", "gap_households", true},
                                                                {"gap_weight", "gap_weight", false}}};
inline constexpr std::size_t k_target_weight = 2, k_gap_weight = 5;

/// The summary_change.json text of a comparison; files: the files written (listed as "outputs").
std::string change_summary_json(const CompareResult& result, const std::vector<std::string>& files);

}  // namespace infogap::detail
