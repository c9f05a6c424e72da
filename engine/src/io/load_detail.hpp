#pragma once
// Private to the io area: what the loader's parts share (load.cpp orchestrates; fields.cpp parses
// cells; layer.cpp reads a layer, its ids and rejects; points.cpp checks and reprojects points;
// working_crs.cpp picks the working CRS; load_hamlets/households/equipment.cpp read one layer each).

#include <cstdint>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "adapters/proj/transformer.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"
#include "infogap/parallel.hpp"
#include "infogap/scenario.hpp"

namespace infogap::load_detail {

using detail::CrsInfo;
using detail::Transformer;
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Text and numbers (fields.cpp)

std::string trim(const std::string& s);
std::string lower(std::string s);
std::string format_number(double v);

enum class Parsed : std::uint8_t { null, ok, bad };

/// A cell as a number: NULL/empty → null; unparsable or not finite → bad (text keeps the value).
Parsed parse_number(const Column& c, std::size_t row, double& v, std::string* text = nullptr);

// ---------------------------------------------------------------------------------------------
// Layers

/// One layer as read, with its CRS and what the loader learnt about it.
struct Layer {
  std::string key;  ///< "hamlets", "households", ...
  std::string path;
  std::string layer;  ///< the layer's name in the file
  std::string x_column, y_column;
  detail::VectorData data;
  CrsInfo crs;
  LayerInfo info;
  std::future<std::string> sha256;

  ErrorContext where(const std::string& column = {}, std::optional<std::int64_t> fid = std::nullopt) const {
    return {path, layer, column, fid};
  }
  std::int64_t fid(std::size_t row) const {
    const auto& f = data.table.fid;
    return row < f.size() ? f[row] : static_cast<std::int64_t>(row);
  }
  std::size_t rows() const { return data.table.fid.size(); }
  /// Column naming the coordinates in a reject.
  std::string geometry_column() const { return data.is_csv ? x_column + "," + y_column : "geometry"; }
};

/// A problem with one row, before it becomes a Reject.
struct Issue {
  std::size_t row = 0;
  std::string column;
  std::string reason;
  bool swap_fits = false;  ///< coordinates off the globe that would fit with x and y swapped
};

// (layer.cpp)

/// Text cells must be UTF-8: throws InvalidInput naming the first cell that is not.
void check_utf8(const Layer& l);
/// Reads a layer: the id-like `text_columns` as exact text, plus `other_columns`; the file's other
/// columns are not read. geometry_optional: a CSV without the x/y columns is a table without geometry.
Layer read_layer(const LayerSource& src, const std::string& key, std::vector<std::string> text_columns,
                 const std::vector<std::string>& other_columns = {}, bool geometry_optional = false);
/// The columns the scenario names for a layer ("hamlets", "communes", "households", "speakers",
/// "teams", "candidates") with their role: the ones it must have (preflight.cpp). The one list the
/// checks before loading and the hamlet and household loaders use.
std::vector<std::pair<std::string, std::string>> named_columns(const Scenario& s, const std::string& key);
/// require_column for each of named_columns(s, key).
void require_named_columns(const Scenario& s, const std::string& key, const Layer& l);
/// Every layer's header (opens, CRS, named columns), no row read. keep_going: the problems are
/// returned (by layer key) instead of the first being thrown.
std::vector<InputProblem> check_headers(const Scenario& s, bool keep_going);
/// The layer's columns, CRS and (not CSV) extent, without reading a feature: the checks before loading.
Layer read_layer_header(const LayerSource& src, const std::string& key, bool geometry_optional = false);
/// The layer's CRS: the scenario's `crs`, EPSG:4326 for CSV, else the file's; InvalidInput if none or unknown.
void resolve_crs(const LayerSource& src, const std::string& key, Layer& l);
/// A layer read in chunks of rows (large layers: households): `layer` holds the header (columns
/// without rows, CRS, info; sha256 being computed); next() gives the following rows as a Layer of
/// their own (same CRS; fid = the features' ids), UTF-8 checked.
struct LayerStream {
  Layer layer;
  std::unique_ptr<detail::VectorStream> stream;
  Layer next(std::size_t rows);
};
LayerStream open_layer(const LayerSource& src, const std::string& key, std::vector<std::string> text_columns,
                       const std::vector<std::string>& other_columns = {}, bool geometry_optional = false);
void require_column(const Layer& l, const std::string& column, const std::string& role);
const Column* optional_column(const Layer& l, const std::string& column);

/// The rejects of one layer with the row each comes from; handed over in file order.
struct LayerRejects {
  std::vector<std::size_t> rows;
  std::vector<Reject> list;
  std::size_t swap_fits = 0;  ///< rejects whose coordinates would fit with x and y swapped
  std::size_t size() const noexcept { return list.size(); }
  const Reject& front() const { return list.front(); }
  /// Appends the rejects to `out` sorted by row (file order), whatever check found them.
  void move_to(std::vector<Reject>& out) {
    std::vector<std::size_t> order(list.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) { return rows[a] < rows[b]; });
    out.reserve(out.size() + list.size());
    for (const std::size_t i : order) out.push_back(std::move(list[i]));
    list.clear();
    rows.clear();
  }
};

/// Sorted issues (one per row at most: the first found) → rejects; marks the rows as bad.
void add_rejects(const Layer& l, std::vector<Issue> issues, const Column* id, std::vector<std::uint8_t>& bad,
                 LayerRejects& rejects);
/// Missing and duplicate ids, in file order (the later duplicate is rejected). Sequential.
std::vector<Issue> check_ids(const Layer& l, const Column& id, std::vector<std::string>& ids);
/// The same on ids already trimmed (one per row of l, which gives the feature ids).
std::vector<Issue> check_trimmed_ids(const Layer& l, const std::string& column, const std::vector<std::string>& ids);
void finish_layer(Layer& l, std::int64_t accepted, Inputs& in);
/// With on_bad_rows: fail, the first reject aborts the load.
void fail_on_rejects(const Scenario& s, const Inputs& in);
/// "400 of 400 rows rejected: 372 × <reason> (e.g. feature 2); 28 × …": the `top` commonest kinds
/// of reason (numbers and ids aside) with a count and the first row of each.
std::string describe_rejects(std::span<const Reject> rejects, std::int64_t features, std::size_t top = 3);
/// After a layer is loaded (its rejects are in.rejects[first…]): more than max_rejected_share of
/// its rows rejected → InvalidInput with describe_rejects, and a hint when x and y look swapped.
void check_rejected_share(const Scenario& s, const Layer& l, const Inputs& in, std::size_t first,
                          std::size_t swap_fits);

// ---------------------------------------------------------------------------------------------
// Points (points.cpp)

/// Per-worker transformers, built on first use (a Transformer owns a PROJ context: one per thread).
class TransformerPool {
 public:
  TransformerPool(std::string source, std::string target)
      : m_source(std::move(source)), m_target(std::move(target)), m_pool(thread_count()) {}
  const Transformer& get(unsigned worker) {
    auto& t = m_pool.at(worker);
    if (!t) t = std::make_unique<Transformer>(m_source, m_target);
    return *t;
  }

 private:
  std::string m_source, m_target;
  std::vector<std::unique_ptr<Transformer>> m_pool;
};

/// Checks and reprojects the point geometry of every row not yet bad, in parallel (deterministic:
/// issues are sorted later).
std::vector<Issue> reproject_points(const Layer& l, const std::vector<std::uint8_t>& bad, const std::string& working,
                                    std::vector<double>& x, std::vector<double>& y);

/// Reads a point layer with an id column: ids checked, points reprojected. Returns the layer.
struct PointLayer {
  Layer layer;
  const Column* id = nullptr;
  std::vector<std::string> ids;
  std::vector<std::uint8_t> bad;
  std::vector<double> x, y;
  LayerRejects rejects;
};

PointLayer load_points(const LayerSource& src, const std::string& key, const std::string& id_column,
                       const std::string& working, std::vector<std::string> text_columns,
                       const std::vector<std::string>& other_columns);

// ---------------------------------------------------------------------------------------------
// Per-row checks and parameters (fields.cpp)

/// Collects the per-row issues of a parallel check.
template <typename Check>
std::vector<Issue> check_rows(std::size_t n, const std::vector<std::uint8_t>& bad, Check&& check) {
  std::vector<std::vector<Issue>> per_worker(thread_count());
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned w) {
        for (std::size_t i = b; i < e; ++i)
          if (bad[i] == 0) check(i, per_worker[w]);
      },
      16384);
  std::vector<Issue> issues;
  for (auto& v : per_worker)
    for (auto& is : v) issues.push_back(std::move(is));
  return issues;
}

/// A whole number ≥ 0 or unknown (-1); false with a reason otherwise.
bool parse_count(const Column* c, std::size_t row, std::int32_t& out, std::string& reason);
/// True when a yes/no column marks "yes" with x (then an empty cell is "no", not unknown).
bool flag_marks(const Column* c);
/// A yes/no cell: 1/0, có/không, x, true/false, yes/no (any case, diacritics optional); empty →
/// unknown (-1), or 0 in a column of x marks; false with a reason otherwise.
bool parse_flag(const Column* c, std::size_t row, std::int8_t& out, std::string& reason, bool marks);

/// Source of a per-row parameter: a column, or a constant for every row.
struct Param {
  const Column* column = nullptr;
  double constant = k_nan;
  std::string name;  ///< column name (for rejects)
};

/// Resolves a ColumnOrNumber against the layer: a column present in the file, else the scenario's
/// number, else `fallback` (noted). `required` with no fallback → InvalidInput naming the column.
Param resolve(const Layer& l, const ColumnOrNumber& p, const std::string& key, std::optional<double> fallback,
              std::vector<std::string>& notes);
/// Value of a parameter at a row; false with a reason if the cell is not a number.
bool param_value(const Param& p, std::size_t row, double& v, std::string& reason);

// ---------------------------------------------------------------------------------------------
// Layers of the scenario

/// EPSG code of the working CRS (working_crs.cpp).
std::string choose_working_crs(const Scenario& s, const Layer& hamlets, const std::vector<std::uint8_t>& bad,
                               Inputs& in);
void load_hamlets(const Scenario& s, Inputs& in, std::string& working);  // load_hamlets.cpp
/// Reads the hamlet layer and checks that it has rows, geometry and the columns the scenario names
/// (named_columns: with a communes block also hamlets.commune); load_hamlets.cpp.
Layer read_hamlet_layer(const Scenario& s);
/// Geometry type and lon/lat range of each row not yet bad: polygons, and points when `points` is
/// true (is_point marks them); load_hamlets.cpp, for the hamlet and commune layers.
std::vector<Issue> check_geometry(const Layer& l, const std::vector<std::uint8_t>& bad, bool points,
                                  std::vector<std::uint8_t>& is_point);
/// Reprojects to `working` and repairs (GEOS MakeValid) the polygons of rows neither bad nor
/// skipped, in parallel; issues for those that cannot be used (load_hamlets.cpp).
std::vector<detail::RepairResult> reproject_polygons(Layer& l, const std::vector<std::uint8_t>& bad,
                                                     const std::vector<std::uint8_t>& skip, const std::string& working,
                                                     std::vector<Issue>& issues);
/// Poverty status labels (load_households.cpp): English, Vietnamese (any case, diacritics
/// optional, NFC or NFD, with or without "Hộ"), and the scenario's households.status_values.
class StatusLabels {
 public:
  explicit StatusLabels(const std::map<std::string, std::string>& extra);
  std::optional<Poverty> find(const std::string& raw) const;

 private:
  std::unordered_map<std::string, Poverty> m_labels;
};
/// Poverty status, members, internet and devices of one household row (load_households.cpp; also
/// for households keyed by hamlet); the first problem goes to out.
void household_cells(const StatusLabels& labels, const Column& status, const Column* members, const Column* internet,
                     bool internet_marks, const Column* devices, std::size_t i, Poverty& st, std::int32_t& mem,
                     std::int8_t& net, std::int32_t& dev, std::vector<Issue>& out);
/// Hamlets given as points and/or polygons with a communes block (derive_hamlets.cpp).
void load_hamlets_with_communes(const Scenario& s, Inputs& in, std::string& working);
/// Households keyed by hamlet or counted per hamlet, placed inside it (place_households.cpp).
void load_households_by_hamlet(const Scenario& s, const std::string& working, Inputs& in);
/// load_households.cpp: read in chunks of chunk_rows rows (0 = the default, 500k; the next chunk
/// is read while one is checked); progress (may be empty) gets the share of the layer read. The
/// result does not depend on the chunk size.
void load_households(const Scenario& s, const std::string& working, Inputs& in,
                     const std::function<void(double)>& progress = {}, std::size_t chunk_rows = 0);
void resolve_team_template(const Scenario& s, Teams& t);                          // load_equipment.cpp
void load_speakers(const Scenario& s, const std::string& working, Inputs& in);    // load_equipment.cpp
void load_teams(const Scenario& s, const std::string& working, Inputs& in);       // load_equipment.cpp
void load_candidates(const Scenario& s, const std::string& working, Inputs& in);  // load_equipment.cpp

}  // namespace infogap::load_detail
