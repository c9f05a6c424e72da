#pragma once
/// @file partition.hpp  Partitioned runs (DESIGN.md §5 "Partitioned runs"): with
/// `output.partition_by: <hamlets.group_by column>` a run writes one complete output folder per
/// value of that column (`<dir>/<folder>/`, what an unpartitioned run of that area writes) and a
/// national roll-up in `<dir>`. A partition can be run alone (RunOptions::partition) and the
/// roll-up written afterwards from the partition folders (write_rollup): the units of work a
/// distributed run hands out.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "infogap/run_options.hpp"
#include "infogap/scenario.hpp"

namespace infogap {

/// One partition of a scenario.
struct PartitionInfo {
  std::string value;         ///< the hamlets' value of output.partition_by, e.g. "Bạc Liêu"
  std::string folder;        ///< its folder under the output folder: partition_folder(value)
  std::int64_t hamlets = 0;  ///< rows of the hamlets layer with this value
};

/// The folder name of a partition value: ASCII-folded (diacritics dropped, đ → d), lower case,
/// every run of other characters one '-', none at either end ("Bạc Liêu" → "bac-lieu",
/// "Phường 1" → "phuong-1"); a value with no letter or digit → "partition".
std::string partition_folder(std::string_view value);

/// The partitions of a scenario with output.partition_by, in order of value (byte order), read from
/// the hamlets layer alone (the partition column, no household is read). @throws InvalidInput when
/// the scenario has no output.partition_by, a hamlet has no value in the column (naming the row), or
/// two values share a folder name; IoError when the hamlets file cannot be read.
std::vector<PartitionInfo> partitions(const Scenario& scenario);

/// The partition named `name` (its value, or its folder name) among `list`. @throws InvalidInput
/// naming the partitions there are.
const PartitionInfo& find_partition(const std::vector<PartitionInfo>& list, const std::string& name);

/// Writes the national roll-up into `dir` from the partition folders already there (each written
/// by a partitioned run or a run of one partition): summary.json (the sums of the parts and the
/// whole input's accounting), the gap tables over every hamlet and group and the partition table
/// (`<partition_by>_gaps.csv`), rejects.csv, the bilingual national report and a QGIS project over
/// the partitions' layers, as output.formats asks. @throws InvalidInput naming every missing or
/// unfinished partition folder (or one written by another scenario); IoError. `timings_s`, when
/// given (a whole partitioned run: seconds per stage, the partitions' summed), goes to the roll-up's
/// summary.json as `timings_s`.
void write_rollup(const Scenario& scenario, const std::string& dir, const ProgressFn& progress = {},
                  const std::map<std::string, double>& timings_s = {});

}  // namespace infogap
