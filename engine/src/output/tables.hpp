#pragma once
// Private: building the output tables and files of a run (DESIGN §5).
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "infogap/coverage.hpp"
#include "infogap/layers.hpp"
#include "infogap/placement.hpp"
#include "infogap/scenario.hpp"
#include "infogap/table.hpp"

namespace infogap::detail {

/// The figures of a gap table (households … gap_rate, rank), one row per area: the one schema of
/// hamlet_gaps.csv, <group>_gaps.csv and the roll-up's tables.
void add_area_columns(Table& t, const std::vector<AreaGap>& areas, const std::vector<std::string>& conditions = {});
Table hamlets_table(const Inputs& in, const CoverageResult& cov, const PlacementResult* placement);
Table households_table(const Inputs& in, const CoverageResult& cov);
/// The households [begin, end) only: the GeoPackage writer streams the layer in such chunks.
Table households_table(const Inputs& in, const CoverageResult& cov, std::size_t begin, std::size_t end);
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

/// The CSV view of a table: no geometry; with `by_rank`, rows in the order of its integer "rank"
/// column (rank 1 first) — the GeoPackage keeps the id order.
Table csv_view(const Table& table, bool by_rank);
/// How the CSV tables round their real columns, for reading (DESIGN §5; full precision stays in
/// the GeoPackage): weights 2 decimals (per listening condition too), rates 4, households and
/// costs (VND) whole numbers.
CsvFormat csv_format(const std::vector<std::string>& conditions = {});

}  // namespace infogap::detail
