// write_rejects_csv: every rejected row with file, layer, feature id, id, column and reason.
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "infogap/error.hpp"
#include "infogap/layers.hpp"

namespace infogap {
namespace {

/// RFC 4180 field: quoted when it holds a comma, quote, line break or edge spaces.
std::string csv_field(const std::string& s) {
  const bool quote = s.find_first_of(",\"\r\n") != std::string::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
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
  namespace fs = std::filesystem;
  const fs::path target(path);
  fs::path tmp = target;
  tmp.replace_filename("." + target.filename().string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError(ErrorCode::io, "cannot create file", {tmp.string(), "", "", {}});
    out << "file,layer,feature_id,id,column,reason\n";
    for (const Reject& r : rejects) {
      out << csv_field(r.file) << ',' << csv_field(r.layer) << ',' << r.feature_id << ',' << csv_field(r.id) << ','
          << csv_field(r.column) << ',' << csv_field(r.reason) << '\n';
    }
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw IoError(ErrorCode::io, "cannot write file", {tmp.string(), "", "", {}});
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw IoError(ErrorCode::io, "cannot rename '" + tmp.string() + "' into place: " + ec.message(),
                  {path, "", "", {}});
  }
}

}  // namespace infogap
