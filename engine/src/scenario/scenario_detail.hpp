#pragma once
/// @file scenario_detail.hpp  Internals of the scenario parser and writer: text helpers, the
/// names of enum values, and the key tree that to_yaml/to_json/scenario_defaults share.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "infogap/scenario.hpp"

namespace infogap::detail {

/// A YAML 1.2 core-schema decimal number ("12", "-0.5", "1e3", "+2", ".5"), finite only;
/// nullopt for anything else (hex, "inf", "nan", "1e999", "12abc").
std::optional<double> parse_number(std::string_view text);

/// Shortest text that reads back to exactly v, fixed notation ("300", "101.325", "36000000").
/// REQUIRES: v is finite.
std::string format_number(double v);

/// v as a YAML scalar: plain when a YAML reader would read it back as this same string,
/// double-quoted with escapes otherwise ("300", "true", "", "a: b", "no").
/// flow: the scalar sits inside a flow sequence or map (no ':' allowed plain).
std::string yaml_string(std::string_view v, bool flow);

/// The scenario as an ordered key tree (nlohmann::ordered_json), every key in file order,
/// unset values null. The one place that names the keys on the writing side.
nlohmann::ordered_json to_tree(const Scenario& scenario);

/// One scalar, list or empty map of the tree as YAML flow text ("45", "null", "[vi, en]", "{}").
std::string yaml_inline(const nlohmann::ordered_json& value, bool flow);

/// YAML names of the enum values (the one table both parser and writer use).
inline constexpr std::array<std::pair<std::string_view, SpeakerModel>, 2> k_speaker_models{
    {{"iso9613", SpeakerModel::iso9613}, {"radius", SpeakerModel::radius}}};
/// YAML names of acoustics.multi_cluster.
inline constexpr std::array<std::pair<std::string_view, MultiCluster>, 3> k_multi_cluster{
    {{"u50", MultiCluster::u50}, {"energy_sum", MultiCluster::energy_sum}, {"loudest", MultiCluster::loudest}}};
/// YAML names of optimize.solver.
inline constexpr std::array<std::pair<std::string_view, SolverChoice>, 3> k_solvers{
    {{"auto", SolverChoice::automatic}, {"exact", SolverChoice::exact}, {"heuristic", SolverChoice::heuristic}}};
/// YAML names of optimize.objective.
inline constexpr std::array<std::pair<std::string_view, PlacementObjective>, 2> k_objectives{
    {{"expected", PlacementObjective::expected}, {"worst_case", PlacementObjective::worst_case}}};
/// YAML names of on_bad_rows.
inline constexpr std::array<std::pair<std::string_view, OnBadRows>, 2> k_on_bad_rows{
    {{"reject", OnBadRows::reject}, {"fail", OnBadRows::fail}}};
/// Accepted values of households.status_values.
inline constexpr std::array<std::string_view, 3> k_statuses{"poor", "near_poor", "not_poor"};
/// Accepted output.languages.
/// Accepted output.formats.
inline constexpr std::array<std::string_view, 7> k_formats{"gpkg", "shp", "tif", "csv", "html", "qgis", "xlsx"};

/// The YAML name of an enum value from one of the tables above.
template <typename Table, typename Enum>
std::string_view name_of(const Table& table, Enum value) {
  for (const auto& [name, v] : table) {
    if (v == value) return name;
  }
  return "?";
}

}  // namespace infogap::detail
