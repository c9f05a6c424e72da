// write_rejects_csv: every rejected row with file, layer, feature id, id, column and reason.
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "infogap/layers.hpp"

namespace infogap {

void write_rejects_csv(const std::vector<Reject>& rejects, const std::string& path) {
  detail::CsvWriter csv({"file", "layer", "feature_id", "id", "column", "reason"});
  for (const Reject& r : rejects) {
    csv.text(r.file).text(r.layer).number(std::to_string(r.feature_id)).text(r.id).text(r.column).text(r.reason);
    csv.end_row();
  }
  csv.write(path);
}

}  // namespace infogap
