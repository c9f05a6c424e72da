// write_rejects_csv: every rejected row with file, layer, feature id, id, column and reason.
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "core/atomic_file.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"

namespace infogap {
namespace {

/// RFC 4180 field: quoted when it holds a comma, quote, line break or edge spaces.
std::string csv_field(const std::string& s) {
  const bool quote =
      s.find_first_of(",\"\r\n") != std::string::npos || (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void write_rejects_csv(const std::vector<Reject>& rejects, const std::string& path) {
  std::string out = "file,layer,feature_id,id,column,reason\n";
  for (const Reject& r : rejects) {
    out += csv_field(r.file) + ',' + csv_field(r.layer) + ',' + std::to_string(r.feature_id) + ',' + csv_field(r.id) +
           ',' + csv_field(r.column) + ',' + csv_field(r.reason) + '\n';
  }
  detail::write_file_atomic(path, out);
}

}  // namespace infogap
