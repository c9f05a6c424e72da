#pragma once
// Inline SVG charts of the HTML report (no script needed to read them).

#include <string>
#include <string_view>
#include <vector>

#include "infogap/report.hpp"
#include "report/strings.hpp"

namespace infogap::detail {

/// Bars: marginal weight of each proposed site in rank order (left axis); line: cumulative share of
/// `gap_weight_before` closed (right axis, %). Empty string when there are no sites.
std::string marginal_gain_svg(const std::vector<ReportSite>& sites_by_rank, double gap_weight_before,
                              const StringTable& strings, Language language);

/// Cumulative share of the gap closed against cumulative cost (million VND), as a step line.
/// Empty string when no site has a cost.
std::string cost_curve_svg(const std::vector<ReportSite>& sites_by_rank, double gap_weight_before,
                           const StringTable& strings, Language language);

/// A "nice" axis step (1, 2 or 5 × 10^k) giving about `target_ticks` ticks from 0 to `max_value`.
double nice_step(double max_value, int target_ticks);

}  // namespace infogap::detail
