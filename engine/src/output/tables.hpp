#pragma once
// Private: building the output tables and files of a run (DESIGN §5).
#include <string>
#include <vector>

#include "infogap/coverage.hpp"
#include "infogap/placement.hpp"
#include "infogap/layers.hpp"
#include "infogap/scenario.hpp"
#include "infogap/table.hpp"

namespace infogap::detail {

Table hamlets_table(const Inputs& in, const CoverageResult& cov, const PlacementResult* placement);
Table households_table(const Inputs& in, const CoverageResult& cov);
Table speakers_table(const Inputs& in, const CoverageResult& cov);
Table teams_table(const Inputs& in, const CoverageResult& cov);
Table group_table(const Inputs& in, const CoverageResult& cov, std::size_t group, bool with_geometry);
Table proposed_sites_table(const Inputs& in, const PlacementResult& placement);

/// The layers of coverage.gpkg in file order: hamlets, households, speakers and teams (when the
/// scenario has them), one per group_by column, proposed_sites (with a placement).
std::vector<std::string> output_layer_names(const Scenario& sc, const Inputs& in, const PlacementResult* placement);
/// One of those layers, as the GeoPackage writer gets it (group layers dissolved, with geometry).
/// @throws InvalidInput naming the layers there are
Table output_table(const Scenario& sc, const Inputs& in, const CoverageResult& cov, const PlacementResult* placement,
                   const std::string& name);

/// Writes a table as UTF-8 CSV (RFC 4180 quoting; NULL = empty field), atomically.
void write_csv(const Table& table, const std::string& path);
/// Writes text to a file atomically (temp name in the same folder, then rename).
void write_text_file(const std::string& path, const std::string& text);

}  // namespace infogap::detail
