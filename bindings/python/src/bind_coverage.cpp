// infogap/coverage.hpp → Python: per-household results as numpy views of the engine's buffers
// (no copy) and per-area gaps as dicts of columns.
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdio>

#include "bindings.hpp"
#include "infogap/coverage.hpp"

namespace infogap::python {

std::string grouped(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  const std::string s(buf);
  const std::size_t sign = (!s.empty() && s[0] == '-') ? 1 : 0;
  const std::size_t end = std::min(s.find('.'), s.size());
  std::string out = s.substr(0, sign);
  for (std::size_t k = sign; k < end; ++k) {
    out += s[k];
    const std::size_t left = end - k - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return out + s.substr(end);
}

py::dict gap_columns(const std::vector<AreaGap>& gaps) {
  const std::size_t n = gaps.size();
  auto ints = [&](auto get) {
    std::vector<std::int64_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int64_t>(get(gaps[i]));
    return array_copy(v);
  };
  auto reals = [&](auto get) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = get(gaps[i]);
    return array_copy(v);
  };
  py::list id(n), name(n);
  const std::size_t n_groups = n > 0 ? gaps.front().groups.size() : 0;
  std::vector<py::list> groups;
  for (std::size_t g = 0; g < n_groups; ++g) groups.emplace_back(n);
  for (std::size_t i = 0; i < n; ++i) {
    id[i] = py::str(gaps[i].id);
    name[i] = py::str(gaps[i].name);
    for (std::size_t g = 0; g < n_groups; ++g)
      groups[g][i] = py::str(g < gaps[i].groups.size() ? gaps[i].groups[g] : std::string());
  }
  py::dict d;
  d["id"] = id;
  d["name"] = name;
  py::list group_lists;
  for (auto& g : groups) group_lists.append(g);
  d["groups"] = group_lists;
  d["households"] = ints([](const AreaGap& a) { return a.households; });
  d["target_households"] = ints([](const AreaGap& a) { return a.target_households; });
  d["target_weight"] = reals([](const AreaGap& a) { return a.target_weight; });
  d["reached_speaker"] = ints([](const AreaGap& a) { return a.reached_speaker; });
  d["reached_team"] = ints([](const AreaGap& a) { return a.reached_team; });
  d["reached_any"] = ints([](const AreaGap& a) { return a.reached_any; });
  d["gap_households"] = ints([](const AreaGap& a) { return a.gap_households; });
  d["reached_weight"] = reals([](const AreaGap& a) { return a.reached_weight; });
  d["gap_weight"] = reals([](const AreaGap& a) { return a.gap_weight; });
  d["gap_rate"] = reals([](const AreaGap& a) { return a.gap_rate; });
  d["rank"] = ints([](const AreaGap& a) { return a.rank; });
  return d;
}

void bind_coverage(py::module_& m) {
  py::class_<HouseholdCoverage> hc(m, "HouseholdCoverage",
                                   "Per-household results (index = household index); read-only numpy views.");
  hc.def("__len__", [](const HouseholdCoverage& h) { return h.hamlet.size(); });
  def_view(hc, "hamlet", &HouseholdCoverage::hamlet, "Hamlet index per household, -1 outside every hamlet.");
  def_view(hc, "weight", &HouseholdCoverage::weight,
           "Target weight per household, 0 for a household that is not a target.");
  def_view(hc, "speech_dba", &HouseholdCoverage::speech_dba,
           "Speech level of all horns in dB(A); NaN with the radius model, -inf where no horn is heard.");
  def_view(hc, "snr_db", &HouseholdCoverage::snr_db, "Speech level minus ambient in dB, facade loss included.");
  def_view(hc, "speakers_audible", &HouseholdCoverage::speakers_audible, "Clusters that reach the household.");
  def_view(hc, "best_speaker", &HouseholdCoverage::best_speaker,
           "Index of the loudest or nearest reaching horn, -1 none.");
  def_view(hc, "team", &HouseholdCoverage::team, "Index of the serving team, -1 none.");
  def_view(hc, "team_distance_m", &HouseholdCoverage::team_distance_m,
           "Distance to the nearest team in m, inf without teams.");
  def_bool_view(hc, "in_team_range", &HouseholdCoverage::in_team_range, "Within reach of at least one team.");
  def_bool_view(hc, "reached_speaker", &HouseholdCoverage::reached_speaker, "Reached by a loudspeaker.");
  def_bool_view(hc, "reached_team", &HouseholdCoverage::reached_team, "Served by a team.");
  def_bool_view(hc, "reached", &HouseholdCoverage::reached, "Reached by any channel.");

  py::class_<TeamLoad>(m, "TeamLoad", "Capacity use of one team.")
      .def_readonly("capacity", &TeamLoad::capacity)
      .def_readonly("in_range_target", &TeamLoad::in_range_target)
      .def_readonly("assigned", &TeamLoad::assigned)
      .def_readonly("unserved_in_range", &TeamLoad::unserved_in_range);

  py::class_<CoverageResult> cr(m, "CoverageResult", "Everything compute_coverage produces.");
  cr.def_readonly("households", &CoverageResult::households)
      .def_readonly("teams", &CoverageResult::teams)
      .def_property_readonly(
          "hamlets", [](const CoverageResult& c) { return gap_columns(c.hamlets); },
          "Hamlet gaps as a dict of columns in hamlet order, copied.")
      .def_property_readonly(
          "groups",
          [](const CoverageResult& c) {
            py::list out;
            for (const auto& g : c.groups) out.append(gap_columns(g));
            return out;
          },
          "One dict of columns per group_by column, one row per distinct value.")
      .def_readonly("joined", &CoverageResult::joined)
      .def_readonly("outside", &CoverageResult::outside)
      .def_readonly("overlaps", &CoverageResult::overlaps)
      .def_readonly("target_households", &CoverageResult::target_households)
      .def_readonly("reached_speaker", &CoverageResult::reached_speaker)
      .def_readonly("reached_team", &CoverageResult::reached_team)
      .def_readonly("reached_any", &CoverageResult::reached_any)
      .def_readonly("in_team_range", &CoverageResult::in_team_range)
      .def_readonly("target_weight", &CoverageResult::target_weight)
      .def_readonly("reached_weight", &CoverageResult::reached_weight)
      .def_readonly("gap_weight", &CoverageResult::gap_weight)
      .def_readonly("paths_beyond_validity", &CoverageResult::paths_beyond_validity)
      .def_readonly("timings_s", &CoverageResult::timings_s);
  cr.def("__repr__", [](const CoverageResult& c) {
    return "<CoverageResult " + grouped(static_cast<double>(c.households.hamlet.size()), 0) + " households, " +
           grouped(static_cast<double>(c.hamlets.size()), 0) + " hamlets, " +
           grouped(static_cast<double>(c.target_households), 0) + " target, " +
           grouped(static_cast<double>(c.reached_any), 0) + " reached, gap weight " + grouped(c.gap_weight, 1) + ">";
  });
  def_view(cr, "speaker_households", &CoverageResult::speaker_households,
           "Households for which each horn is the best speaker.");
  def_view(cr, "speaker_range_m", &CoverageResult::speaker_range_m, "On-axis audible range of each horn in m.");
}

}  // namespace infogap::python
