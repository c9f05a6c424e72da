// The partitions of a scenario (output.partition_by), read from the hamlets layer's partition
// column alone, and their folder names (infogap/partition.hpp).
#include "infogap/partition.hpp"

#include <map>

#include "core/text.hpp"
#include "infogap/error.hpp"
#include "io/load_detail.hpp"

namespace infogap {

std::string partition_folder(std::string_view value) {
  const std::string ascii = detail::fold_to_ascii(value);
  std::string out;
  bool gap = false;
  for (const char c : ascii) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    if (!alnum) {
      gap = !out.empty();
      continue;
    }
    if (gap) out += '-';
    gap = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out.empty() ? std::string("partition") : out;
}

std::vector<PartitionInfo> partitions(const Scenario& s) {
  using namespace load_detail;
  const std::string& column = s.output.partition_by;
  if (column.empty())
    throw InvalidInput(ErrorCode::invalid_scenario, "the scenario has no output.partition_by: it has no partitions",
                       {s.source_path, "", "output.partition_by", {}});
  Layer l = read_layer(s.hamlets, "hamlets", {column}, {}, true);
  require_column(l, column, "output.partition_by");
  const Column& c = l.data.table.column(column);
  std::map<std::string, std::int64_t> counts;
  for (std::size_t i = 0; i < l.rows(); ++i) {
    const std::string v = trim(c.as_text(i));
    if (v.empty())
      throw InvalidInput(ErrorCode::invalid_input,
                         "a hamlet has no value in the partition column (output.partition_by): every hamlet must "
                         "belong to a partition",
                         l.where(column, l.fid(i)));
    ++counts[v];
  }
  std::vector<PartitionInfo> out;
  std::map<std::string, std::string> by_folder;
  for (const auto& [value, n] : counts) {
    PartitionInfo p{value, partition_folder(value), n};
    if (const auto [it, fresh] = by_folder.emplace(p.folder, value); !fresh)
      throw InvalidInput(ErrorCode::invalid_input,
                         "the partition values '" + it->second + "' and '" + value + "' share the folder name '" +
                             p.folder + "'; make them differ in letters or digits",
                         l.where(column));
    out.push_back(std::move(p));
  }
  return out;
}

const PartitionInfo& find_partition(const std::vector<PartitionInfo>& list, const std::string& name) {
  for (const auto& p : list)
    if (p.value == name) return p;
  for (const auto& p : list)
    if (p.folder == name) return p;
  std::string there;
  std::size_t shown = 0;
  for (const auto& p : list) {
    if (shown++ == 20) {
      there += ", … (" + std::to_string(list.size()) + " in all)";
      break;
    }
    there += (there.empty() ? "" : ", ") + p.value + " (" + p.folder + ")";
  }
  throw InvalidInput(ErrorCode::invalid_input,
                     "no partition '" + name +
                         "' (a value of output.partition_by or its folder name); the partitions "
                         "are: " +
                         there,
                     {"", "", "", {}});
}

}  // namespace infogap
