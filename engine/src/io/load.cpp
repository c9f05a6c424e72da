// load_inputs: reads every layer of a scenario (GDAL), picks the working CRS, reprojects (PROJ),
// repairs hamlet polygons (GEOS) and turns unusable rows into rejects (DESIGN.md §3).
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "adapters/proj/transformer.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"
#include "infogap/parallel.hpp"
#include "adapters/gdal/wkb.hpp"
#include "adapters/gdal/text.hpp"

namespace infogap {

const char* to_string(Poverty p) noexcept {
  switch (p) {
    case Poverty::poor:
      return "poor";
    case Poverty::near_poor:
      return "near_poor";
    case Poverty::not_poor:
      return "not_poor";
  }
  return "unknown";
}

namespace {

using detail::CrsInfo;
using detail::Transformer;
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Text and numbers

std::string trim(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string format_number(double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

enum class Parsed : std::uint8_t { null, ok, bad };

/// A cell as a number: NULL/empty → null; unparsable or not finite → bad (text keeps the value).
Parsed parse_number(const Column& c, std::size_t row, double& v, std::string* text = nullptr) {
  if (c.is_null(row)) return Parsed::null;
  switch (c.type) {
    case ColumnType::integer:
      v = static_cast<double>(c.ints[row]);
      return Parsed::ok;
    case ColumnType::real:
      v = c.reals[row];
      if (std::isnan(v)) return Parsed::null;
      if (text != nullptr) *text = format_number(v);
      return std::isfinite(v) ? Parsed::ok : Parsed::bad;
    case ColumnType::text: {
      const std::string& s = c.texts[row];
      const char* b = s.data();
      const char* e = s.data() + s.size();
      while (b < e && std::isspace(static_cast<unsigned char>(*b)) != 0) ++b;
      while (e > b && std::isspace(static_cast<unsigned char>(e[-1])) != 0) --e;
      if (b == e) return Parsed::null;
      if (text != nullptr) *text = std::string(b, e);
      if (*b == '+') ++b;
      const auto res = std::from_chars(b, e, v);
      if (res.ec != std::errc() || res.ptr != e || !std::isfinite(v)) return Parsed::bad;
      return Parsed::ok;
    }
  }
  return Parsed::bad;
}

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
};

/// Text cells must be UTF-8 (they end in GeoPackage, CSV, JSON and HTML outputs). A file in another
/// encoding is a file-level problem, not a bad row: stop at the first such cell, naming it.
void check_utf8(const Layer& l) {
  for (const Column& c : l.data.table.columns) {
    if (c.type != ColumnType::text) continue;
    for (std::size_t row = 0; row < c.texts.size(); ++row) {
      const std::size_t at = detail::invalid_utf8_offset(c.texts[row]);
      if (at == std::string::npos) continue;
      static constexpr char k_hex[] = "0123456789ABCDEF";
      const auto byte = static_cast<unsigned char>(c.texts[row][at]);
      throw InvalidInput(ErrorCode::invalid_input,
                         std::string("text is not valid UTF-8 (byte 0x") + k_hex[byte >> 4] + k_hex[byte & 0x0F] +
                             " at offset " + std::to_string(at) + "); save the file as UTF-8",
                         l.where(c.name, l.fid(row)));
    }
  }
}

/// Reads a layer: the id-like `text_columns` as exact text, plus `other_columns`; the file's other
/// columns are not read.
Layer read_layer(const LayerSource& src, const std::string& key, std::vector<std::string> text_columns,
                 const std::vector<std::string>& other_columns = {}) {
  if (src.path.empty())
    throw InvalidInput(ErrorCode::invalid_scenario, "the scenario gives no path for the " + key + " layer",
                       {"", "", key + ".path", {}});
  Layer l;
  l.key = key;
  l.path = src.path;
  l.x_column = src.x;
  l.y_column = src.y;
  detail::VectorReadOptions options;
  options.path = src.path;
  options.layer = src.layer;
  options.x_column = src.x;
  options.y_column = src.y;
  for (const auto& c : text_columns)
    if (!c.empty()) options.columns.push_back(c);
  for (const auto& c : other_columns)
    if (!c.empty()) options.columns.push_back(c);
  options.text_columns = std::move(text_columns);
  options.csv_autodetect = false;  // exact text: ids keep leading zeros, "abc" in a number column is a reject
  l.data = detail::read_vector(options);
  l.layer = l.data.layer_name;
  check_utf8(l);
  // The file is readable: hash it while the rows are validated.
  l.sha256 = std::async(std::launch::async, [path = src.path] { return detail::sha256_file(path); });

  std::string crs_text;
  if (!src.crs.empty()) {
    crs_text = src.crs;
  } else if (l.data.is_csv) {
    crs_text = "EPSG:4326";
  } else if (!l.data.crs.empty()) {
    crs_text = l.data.crs;
  } else {
    throw InvalidInput(ErrorCode::crs,
                       "the layer has no coordinate reference system and the scenario gives none "
                       "(add `crs: \"EPSG:nnnn\"` to the " +
                           key + " block)",
                       l.where("crs"));
  }
  try {
    l.crs = detail::crs_info(crs_text);
  } catch (const Error& e) {
    throw InvalidInput(ErrorCode::crs, e.reason(), l.where(src.crs.empty() ? "" : "crs"));
  }
  l.info.path = l.path;
  l.info.layer = l.layer;
  l.info.driver = l.data.driver;
  l.info.features = static_cast<std::int64_t>(l.rows());
  l.info.source_crs = l.crs.normalized;
  l.info.crs_name = l.crs.name;
  return l;
}

void require_column(const Layer& l, const std::string& column, const std::string& role) {
  if (column.empty() || l.data.table.find(column)) return;
  std::string have;
  for (const std::string& c : l.data.field_names) have += (have.empty() ? "" : ", ") + c;
  throw InvalidInput(ErrorCode::invalid_input,
                     "no " + role + " column '" + column + "' (the layer has: " + (have.empty() ? "no columns" : have) +
                         "; set `" + role + ":` in the " + l.key + " block)",
                     l.where(column));
}

const Column* optional_column(const Layer& l, const std::string& column) {
  if (column.empty()) return nullptr;
  const auto i = l.data.table.find(column);
  return i ? &l.data.table.columns[*i] : nullptr;
}

/// The rejects of one layer with the row each comes from; handed over in file order.
struct LayerRejects {
  std::vector<std::size_t> rows;
  std::vector<Reject> list;
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
                 LayerRejects& rejects) {
  std::stable_sort(issues.begin(), issues.end(), [](const Issue& a, const Issue& b) { return a.row < b.row; });
  for (Issue& is : issues) {
    if (bad[is.row] != 0) continue;
    bad[is.row] = 1;
    Reject r;
    r.file = l.path;
    r.layer = l.layer;
    r.feature_id = l.fid(is.row);
    if (id != nullptr) r.id = trim(id->as_text(is.row));
    r.column = std::move(is.column);
    r.reason = std::move(is.reason);
    rejects.rows.push_back(is.row);
    rejects.list.push_back(std::move(r));
  }
}

/// Missing and duplicate ids, in file order (the later duplicate is rejected). Sequential.
std::vector<Issue> check_ids(const Layer& l, const Column& id, std::vector<std::string>& ids) {
  const std::size_t n = l.rows();
  ids.resize(n);
  std::vector<std::uint64_t> hashes(n);
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) {
          ids[i] = trim(id.as_text(i));
          hashes[i] = std::hash<std::string>{}(ids[i]);
        }
      },
      16384);
  std::vector<Issue> issues;
  // Rows ordered by (hash, row): equal ids are neighbours, and the earliest row comes first.
  std::vector<std::pair<std::uint64_t, std::size_t>> keys;
  keys.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (ids[i].empty()) {
      issues.push_back({i, id.name, "missing id"});
    } else {
      keys.emplace_back(hashes[i], i);
    }
  }
  std::sort(keys.begin(), keys.end());
  for (std::size_t run = 0; run < keys.size();) {
    std::size_t end = run + 1;
    while (end < keys.size() && keys[end].first == keys[run].first) ++end;
    for (std::size_t j = run + 1; j < end; ++j) {
      const std::size_t row = keys[j].second;
      for (std::size_t k = run; k < j; ++k) {
        if (ids[keys[k].second] != ids[row]) continue;
        // keys[k] is the earliest row with this id (ties in hash are sorted by row).
        issues.push_back(
            {row, id.name,
             "duplicate id '" + ids[row] + "' (first at feature " + std::to_string(l.fid(keys[k].second)) + ")"});
        break;
      }
    }
    run = end;
  }
  return issues;
}

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

/// Checks, then reprojects, the point geometry of rows [b, e) that are not yet bad. Accepted
/// rows get x/y in the working CRS; the others an Issue.
void points_chunk(const Layer& l, std::size_t b, std::size_t e, const std::vector<std::uint8_t>& bad,
                  const Transformer& to_working, const Transformer* to_geographic, const std::string& working,
                  std::vector<double>& x, std::vector<double>& y, std::vector<Issue>& issues) {
  const auto& wkb = l.data.table.wkb;
  const std::string gcol = l.geometry_column();
  std::vector<std::size_t> rows;
  std::vector<double> xs, ys;
  for (std::size_t i = b; i < e; ++i) {
    if (bad[i] != 0) continue;
    double px = k_nan;
    double py = k_nan;
    if (i >= wkb.size() || wkb[i].empty()) {
      issues.push_back({i, gcol, l.data.is_csv ? "coordinates missing or not numbers" : "missing geometry"});
      continue;
    }
    if (!detail::wkb_point(wkb[i], px, py)) {
      issues.push_back({i, gcol, "geometry is not a point"});
      continue;
    }
    if (!std::isfinite(px) || !std::isfinite(py)) {
      issues.push_back(
          {i, gcol, "coordinates missing or not finite (" + format_number(px) + ", " + format_number(py) + ")"});
      continue;
    }
    if (l.crs.geographic) {
      if (std::abs(py) > 90.0) {
        issues.push_back(
            {i, l.data.is_csv ? l.y_column : gcol, "latitude " + format_number(py) + " outside [-90, 90]"});
        continue;
      }
      if (std::abs(px) > 180.0) {
        issues.push_back(
            {i, l.data.is_csv ? l.x_column : gcol, "longitude " + format_number(px) + " outside [-180, 180]"});
        continue;
      }
    }
    rows.push_back(i);
    xs.push_back(px);
    ys.push_back(py);
  }
  std::vector<std::size_t> failed;
  if (to_geographic != nullptr) {
    // A projected source: a point is valid where the inverse projection is defined.
    std::vector<double> gx = xs;
    std::vector<double> gy = ys;
    to_geographic->transform(gx.data(), gy.data(), gx.size(), &failed);
    for (const std::size_t k : failed)
      issues.push_back({rows[k], gcol,
                        "(" + format_number(xs[k]) + ", " + format_number(ys[k]) + ") is outside the valid area of " +
                            l.crs.normalized});
    if (!failed.empty()) {
      std::vector<std::uint8_t> drop(rows.size(), 0);
      for (const std::size_t k : failed) drop[k] = 1;
      std::size_t w = 0;
      for (std::size_t k = 0; k < rows.size(); ++k) {
        if (drop[k] != 0) continue;
        rows[w] = rows[k];
        xs[w] = xs[k];
        ys[w] = ys[k];
        ++w;
      }
      rows.resize(w);
      xs.resize(w);
      ys.resize(w);
      failed.clear();
    }
  }
  const std::vector<double> src_x = xs;
  const std::vector<double> src_y = ys;
  to_working.transform(xs.data(), ys.data(), xs.size(), &failed);
  std::vector<std::uint8_t> drop(rows.size(), 0);
  for (const std::size_t k : failed) {
    drop[k] = 1;
    issues.push_back({rows[k], gcol,
                      "PROJ cannot transform (" + format_number(src_x[k]) + ", " + format_number(src_y[k]) + ") from " +
                          l.crs.normalized + " to " + working});
  }
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (drop[k] != 0) continue;
    x[rows[k]] = xs[k];
    y[rows[k]] = ys[k];
  }
}

/// Runs points_chunk over every row in parallel (deterministic: issues are sorted later).
std::vector<Issue> reproject_points(const Layer& l, const std::vector<std::uint8_t>& bad, const std::string& working,
                                    std::vector<double>& x, std::vector<double>& y) {
  const std::size_t n = l.rows();
  x.assign(n, k_nan);
  y.assign(n, k_nan);
  TransformerPool to_working(l.crs.normalized, working);
  std::optional<TransformerPool> to_geographic;
  if (!l.crs.geographic) to_geographic.emplace(l.crs.normalized, "EPSG:4326");
  std::vector<std::vector<Issue>> per_worker(thread_count());
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned w) {
        points_chunk(l, b, e, bad, to_working.get(w), to_geographic ? &to_geographic->get(w) : nullptr, working, x, y,
                     per_worker[w]);
      },
      16384);
  std::vector<Issue> issues;
  for (auto& v : per_worker)
    for (auto& is : v) issues.push_back(std::move(is));
  return issues;
}

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
bool parse_count(const Column* c, std::size_t row, std::int32_t& out, std::string& reason) {
  out = -1;
  if (c == nullptr) return true;
  double v = 0;
  std::string text;
  switch (parse_number(*c, row, v, &text)) {
    case Parsed::null:
      return true;
    case Parsed::bad:
      reason = "'" + text + "' is not a number";
      return false;
    case Parsed::ok:
      break;
  }
  if (v < 0) {
    reason = "negative value " + format_number(v);
    return false;
  }
  if (v != std::floor(v) || v > 1e9) {
    reason = format_number(v) + " is not a whole number of a plausible size";
    return false;
  }
  out = static_cast<std::int32_t>(v);
  return true;
}

bool parse_flag(const Column* c, std::size_t row, std::int8_t& out, std::string& reason) {
  out = -1;
  if (c == nullptr || c->is_null(row)) return true;
  const std::string t = lower(trim(c->as_text(row)));
  if (t.empty()) return true;
  if (t == "1" || t == "true" || t == "yes" || t == "y") {
    out = 1;
  } else if (t == "0" || t == "false" || t == "no" || t == "n") {
    out = 0;
  } else {
    reason = "'" + t + "' is not 0/1 (or yes/no, true/false)";
    return false;
  }
  return true;
}

/// Source of a per-row parameter: a column, or a constant for every row.
struct Param {
  const Column* column = nullptr;
  double constant = k_nan;
  std::string name;  ///< column name (for rejects)
};

/// Resolves a ColumnOrNumber against the layer: a column present in the file, else the scenario's
/// number, else `fallback` (noted). `required` with no fallback → InvalidInput naming the column.
Param resolve(const Layer& l, const ColumnOrNumber& p, const std::string& key, std::optional<double> fallback,
              std::vector<std::string>& notes) {
  Param out;
  out.name = p.column.empty() ? key : p.column;
  if (!p.column.empty()) {
    if (const Column* c = optional_column(l, p.column)) {
      out.column = c;
      if (p.value)
        out.constant = *p.value;  // a NULL cell then takes the scenario's number
      else if (fallback)
        out.constant = *fallback;
      return out;
    }
    if (!p.value && !fallback) require_column(l, p.column, key);
    const double v = p.value ? *p.value : *fallback;
    notes.push_back(l.key + ": no column '" + p.column + "' in " + l.path + " → " + key + " = " +
                    (std::isnan(v) ? std::string("none (omnidirectional)") : format_number(v)) + " for every row");
    out.constant = v;
    return out;
  }
  out.constant = p.value ? *p.value : (fallback ? *fallback : k_nan);
  return out;
}

/// Value of a parameter at a row; false with a reason if the cell is not a number.
bool param_value(const Param& p, std::size_t row, double& v, std::string& reason) {
  v = p.constant;
  if (p.column == nullptr) return true;
  std::string text;
  switch (parse_number(*p.column, row, v, &text)) {
    case Parsed::null:
      v = p.constant;
      return true;
    case Parsed::ok:
      return true;
    case Parsed::bad:
      reason = "'" + text + "' is not a number";
      return false;
  }
  return false;
}

void finish_layer(Layer& l, std::int64_t accepted, Inputs& in) {
  l.info.accepted = accepted;
  l.info.rejected = l.info.features - accepted;
  l.info.sha256 = l.sha256.get();
  in.layers[l.key] = l.info;
}

/// With on_bad_rows: fail, the first reject aborts the load.
void fail_on_rejects(const Scenario& s, const Inputs& in) {
  if (s.on_bad_rows != OnBadRows::fail || in.rejects.empty()) return;
  const Reject& r = in.rejects.front();
  std::string reason = r.reason;
  if (!r.id.empty()) reason += " (id '" + r.id + "')";
  reason += "; on_bad_rows: fail (" + std::to_string(in.rejects.size()) + " row(s) rejected in this layer)";
  throw InvalidInput(ErrorCode::invalid_input, reason, {r.file, r.layer, r.column, r.feature_id});
}

// ---------------------------------------------------------------------------------------------
// Hamlets and the working CRS

/// EPSG code of the working CRS: the scenario's, or the UTM zone of the hamlets' centroid (mean of
/// the centres of the hamlet envelopes, in lon/lat).
std::string choose_working_crs(const Scenario& s, const Layer& hamlets, const std::vector<std::uint8_t>& bad,
                               Inputs& in) {
  std::string working;
  if (lower(trim(s.working_crs)) == "auto" || trim(s.working_crs).empty()) {
    std::vector<double> cx, cy;
    for (std::size_t i = 0; i < hamlets.rows(); ++i) {
      double minx = 0, miny = 0, maxx = 0, maxy = 0;
      if (bad[i] != 0 || hamlets.data.table.wkb[i].empty()) continue;
      if (!detail::wkb_envelope(hamlets.data.table.wkb[i], minx, miny, maxx, maxy)) continue;
      cx.push_back(0.5 * (minx + maxx));
      cy.push_back(0.5 * (miny + maxy));
    }
    if (!hamlets.crs.geographic && !cx.empty()) {
      Transformer to_lonlat(hamlets.crs.normalized, "EPSG:4326");
      to_lonlat.transform(cx.data(), cy.data(), cx.size());
    }
    double sx = 0, sy = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < cx.size(); ++i) {
      if (!std::isfinite(cx[i]) || !std::isfinite(cy[i])) continue;
      sx += cx[i];
      sy += cy[i];
      ++n;
    }
    const int epsg = n > 0 ? detail::utm_epsg_for(sx / static_cast<double>(n), sy / static_cast<double>(n)) : 0;
    if (epsg == 0)
      throw InvalidInput(ErrorCode::crs, "working_crs: auto needs hamlets with valid coordinates", hamlets.where());
    working = "EPSG:" + std::to_string(epsg);
    in.notes.push_back("working_crs: auto → " + working + " (UTM zone of the hamlets' centroid " +
                       format_number(std::round(sx / static_cast<double>(n) * 1e4) / 1e4) + "°E, " +
                       format_number(std::round(sy / static_cast<double>(n) * 1e4) / 1e4) + "°N)");
  } else {
    working = trim(s.working_crs);
  }
  CrsInfo info;
  try {
    info = detail::crs_info(working);
  } catch (const Error& e) {
    throw InvalidInput(ErrorCode::invalid_scenario, "working_crs: " + e.reason(), {"", "", "working_crs", {}});
  }
  if (!info.projected || !info.metres || info.epsg == 0)
    throw InvalidInput(ErrorCode::invalid_scenario,
                       "working_crs '" + working + "' must be a projected CRS in metres with an EPSG code",
                       {"", "", "working_crs", {}});
  in.working_crs = info.normalized;
  in.working_epsg = info.epsg;
  return info.normalized;
}

void load_hamlets(const Scenario& s, Inputs& in, std::string& working) {
  const HamletsSource& src = s.hamlets;
  std::vector<std::string> text_cols{src.id};
  if (!src.name.empty()) text_cols.push_back(src.name);
  for (const auto& g : src.group_by) text_cols.push_back(g);
  Layer l = read_layer(src, "hamlets", text_cols);
  if (l.rows() == 0) throw InvalidInput(ErrorCode::invalid_input, "the hamlet layer is empty", l.where());
  if (l.data.table.geometry_kind == GeometryKind::none)
    throw InvalidInput(ErrorCode::invalid_input, "the hamlet layer has no geometry", l.where());
  require_column(l, src.id, "id");
  require_column(l, src.name, "name");
  for (const auto& g : src.group_by) require_column(l, g, "group_by");

  const std::size_t n = l.rows();
  const Column& id = l.data.table.column(src.id);
  std::vector<std::string> ids;
  std::vector<std::uint8_t> bad(n, 0);
  LayerRejects rejects;
  add_rejects(l, check_ids(l, id, ids), &id, bad, rejects);

  // Geometry type and, for lon/lat sources, coordinate ranges.
  std::vector<Issue> issues;
  for (std::size_t i = 0; i < n; ++i) {
    if (bad[i] != 0) continue;
    const auto& w = l.data.table.wkb[i];
    const std::uint32_t t = detail::wkb_type(w);
    if (w.empty()) {
      issues.push_back({i, "geometry", "missing geometry"});
    } else if (t != 3 && t != 6) {
      issues.push_back({i, "geometry", "geometry is not a polygon"});
    } else {
      double minx = 0, miny = 0, maxx = 0, maxy = 0;
      if (!detail::wkb_envelope(w, minx, miny, maxx, maxy)) {
        issues.push_back({i, "geometry", "empty polygon or coordinates not finite"});
      } else if (l.crs.geographic &&
                 (std::abs(miny) > 90 || std::abs(maxy) > 90 || std::abs(minx) > 180 || std::abs(maxx) > 180)) {
        issues.push_back({i, "geometry", "coordinates outside [-180, 180] × [-90, 90]"});
      }
    }
  }
  add_rejects(l, std::move(issues), &id, bad, rejects);

  if (std::find(bad.begin(), bad.end(), std::uint8_t{0}) == bad.end())
    throw InvalidInput(
        ErrorCode::invalid_input,
        "no usable hamlet: all " + std::to_string(n) + " were rejected (first: " + rejects.front().reason + ")",
        l.where());
  working = choose_working_crs(s, l, bad, in);

  // Reproject and repair, in parallel (one transformer per worker; GEOS contexts are per thread).
  TransformerPool pool(l.crs.normalized, working);
  std::vector<detail::RepairResult> repaired(n);
  std::vector<std::vector<Issue>> per_worker(thread_count());
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned w) {
        for (std::size_t i = b; i < e; ++i) {
          if (bad[i] != 0) continue;
          auto& geom = l.data.table.wkb[i];
          if (!detail::transform_wkb(geom, [&transformer = pool.get(w)](double* x, double* y, std::size_t k) {
                return transformer.transform(x, y, k) == 0;
              })) {
            per_worker[w].push_back(
                {i, "geometry", "PROJ cannot transform the polygon from " + l.crs.normalized + " to " + working});
            continue;
          }
          try {
            repaired[i] = detail::repair_polygon(geom);
          } catch (const Error& err) {  // e.g. a ring of fewer than 4 points: GEOS cannot even read it
            per_worker[w].push_back({i, "geometry", "unusable polygon: " + err.reason()});
            continue;
          }
          if (repaired[i].wkb.empty())
            per_worker[w].push_back(
                {i, "geometry",
                 "invalid polygon (" + repaired[i].reason + ") with no polygonal part left after repair"});
        }
      },
      64);
  issues.clear();
  for (auto& v : per_worker)
    for (auto& is : v) issues.push_back(std::move(is));
  add_rejects(l, std::move(issues), &id, bad, rejects);

  Hamlets& h = in.hamlets;
  h.group_names = src.group_by;
  h.groups.assign(src.group_by.size(), {});
  const Column* name = optional_column(l, src.name);
  std::vector<const Column*> groups;
  for (const auto& g : src.group_by) groups.push_back(&l.data.table.column(g));
  for (std::size_t i = 0; i < n; ++i) {
    if (bad[i] != 0) continue;
    if (repaired[i].was_invalid) {
      ++in.repaired_polygons;
      in.dropped_parts += repaired[i].dropped_parts;
    }
    h.id.push_back(ids[i]);
    h.name.push_back(name != nullptr ? trim(name->as_text(i)) : std::string());
    for (std::size_t g = 0; g < groups.size(); ++g) h.groups[g].push_back(trim(groups[g]->as_text(i)));
    h.wkb.push_back(std::move(repaired[i].wkb));
    h.area_m2.push_back(detail::area(h.wkb.back()));
  }
  const std::size_t first_reject = in.rejects.size();
  rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(h.size()), in);
  if (h.size() == 0)
    throw InvalidInput(ErrorCode::invalid_input,
                       "no usable hamlet: all " + std::to_string(n) +
                           " were rejected (first: " + in.rejects.at(first_reject).reason + ")",
                       l.where());
}

// ---------------------------------------------------------------------------------------------
// Households

Poverty parse_status(const std::string& raw, bool& ok) {
  const std::string t = lower(trim(raw));
  ok = true;
  if (t == "poor") return Poverty::poor;
  if (t == "near_poor") return Poverty::near_poor;
  if (t == "not_poor") return Poverty::not_poor;
  ok = false;
  return Poverty::not_poor;
}

void load_households(const Scenario& s, const std::string& working, Inputs& in) {
  const HouseholdsSource& src = s.households;
  Layer l = read_layer(src, "households", {src.id, src.status}, {src.members, src.internet, src.devices});
  require_column(l, src.id, "id");
  require_column(l, src.status, "status");
  if (l.rows() == 0) throw InvalidInput(ErrorCode::invalid_input, "the household layer is empty", l.where());
  if (l.data.table.geometry_kind == GeometryKind::none)
    throw InvalidInput(ErrorCode::invalid_input, "the household layer has no point geometry", l.where());
  const Column* members = optional_column(l, src.members);
  const Column* internet = optional_column(l, src.internet);
  const Column* devices = optional_column(l, src.devices);
  for (const auto& [key, col] :
       {std::pair{"members", &src.members}, std::pair{"internet", &src.internet}, std::pair{"devices", &src.devices}})
    if (!col->empty() && optional_column(l, *col) == nullptr)
      in.notes.push_back(std::string("households: no column '") + *col + "' in " + l.path + " → " + key +
                         " unknown for every household");

  const std::size_t n = l.rows();
  const Column& id = l.data.table.column(src.id);
  const Column& status = l.data.table.column(src.status);
  std::vector<std::string> ids;
  std::vector<std::uint8_t> bad(n, 0);
  LayerRejects rejects;
  add_rejects(l, check_ids(l, id, ids), &id, bad, rejects);

  std::vector<double> x, y;
  add_rejects(l, reproject_points(l, bad, working, x, y), &id, bad, rejects);

  std::vector<Poverty> st(n, Poverty::not_poor);
  std::vector<std::int32_t> mem(n, -1), dev(n, -1);
  std::vector<std::int8_t> net(n, -1);
  add_rejects(l,
              check_rows(n, bad,
                         [&](std::size_t i, std::vector<Issue>& out) {
                           bool ok = false;
                           if (status.is_null(i) || trim(status.as_text(i)).empty()) {
                             out.push_back({i, status.name, "missing poverty status"});
                             return;
                           }
                           st[i] = parse_status(status.as_text(i), ok);
                           if (!ok) {
                             out.push_back({i, status.name,
                                            "unknown poverty status '" + trim(status.as_text(i)) +
                                                "' (expected poor, near_poor or not_poor)"});
                             return;
                           }
                           std::string reason;
                           if (!parse_count(members, i, mem[i], reason)) {
                             out.push_back({i, members->name, reason});
                             return;
                           }
                           if (!parse_flag(internet, i, net[i], reason)) {
                             out.push_back({i, internet->name, reason});
                             return;
                           }
                           if (!parse_count(devices, i, dev[i], reason)) {
                             out.push_back({i, devices->name, reason});
                             return;
                           }
                         }),
              &id, bad, rejects);

  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (bad[i] == 0) ++kept;
  Households& h = in.households;
  h.id.reserve(kept);
  h.x_m.resize(static_cast<Eigen::Index>(kept));
  h.y_m.resize(static_cast<Eigen::Index>(kept));
  h.status.reserve(kept);
  h.members.reserve(kept);
  h.internet.reserve(kept);
  h.devices.reserve(kept);
  h.source_row.reserve(kept);
  Eigen::Index k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (bad[i] != 0) continue;
    h.id.push_back(std::move(ids[i]));
    h.x_m[k] = x[i];
    h.y_m[k] = y[i];
    ++k;
    h.status.push_back(st[i]);
    h.members.push_back(mem[i]);
    h.internet.push_back(net[i]);
    h.devices.push_back(dev[i]);
    h.source_row.push_back(l.fid(i));
  }
  in.households_input = static_cast<std::int64_t>(n);
  in.households_rejected = static_cast<std::int64_t>(rejects.size());
  rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
}

// ---------------------------------------------------------------------------------------------
// Speakers, teams, candidates

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
                       const std::vector<std::string>& other_columns) {
  PointLayer p;
  text_columns.push_back(id_column);
  p.layer = read_layer(src, key, std::move(text_columns), other_columns);
  require_column(p.layer, id_column, "id");
  if (p.layer.rows() > 0 && p.layer.data.table.geometry_kind == GeometryKind::none)
    throw InvalidInput(ErrorCode::invalid_input, "the " + key + " layer has no point geometry", p.layer.where());
  const std::size_t n = p.layer.rows();
  p.id = &p.layer.data.table.column(id_column);
  p.bad.assign(n, 0);
  add_rejects(p.layer, check_ids(p.layer, *p.id, p.ids), p.id, p.bad, p.rejects);
  add_rejects(p.layer, reproject_points(p.layer, p.bad, working, p.x, p.y), p.id, p.bad, p.rejects);
  return p;
}

/// The value a new team takes: the scenario's number when it gives one, else the median of the
/// existing teams' (finite, positive) values of the column, else the scenario's default.
double typical_team_value(const Eigen::VectorXd& per_team, const ColumnOrNumber& given, double fallback) {
  if (given.value) return *given.value;
  std::vector<double> v;
  for (Eigen::Index i = 0; i < per_team.size(); ++i)
    if (std::isfinite(per_team[i]) && per_team[i] > 0) v.push_back(per_team[i]);
  if (v.empty()) return fallback;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

void resolve_team_template(const Scenario& s, Teams& t) {
  const TeamsSource defaults;
  const TeamsSource& src = s.teams ? *s.teams : defaults;
  t.typical_reach_m = typical_team_value(t.reach_m, src.reach_m, *defaults.reach_m.value);
  t.typical_households_per_member =
      typical_team_value(t.households_per_member, src.households_per_member, *defaults.households_per_member.value);
}

void load_speakers(const Scenario& s, const std::string& working, Inputs& in) {
  const SpeakersSource& src = *s.speakers;
  PointLayer p = load_points(src, "speakers", src.id, working, {src.cluster},
                             {src.power_w.column, src.sensitivity_db.column, src.height_m.column,
                              src.azimuth_deg.column, src.beamwidth_deg.column, src.range_m.column});
  Layer& l = p.layer;
  const AcousticsParams& a = s.acoustics;
  const Param power = resolve(l, src.power_w, "power_w", a.default_power_w, in.notes);
  const Param sens = resolve(l, src.sensitivity_db, "sensitivity_db", a.default_sensitivity_db, in.notes);
  const Param height = resolve(l, src.height_m, "height_m", a.default_height_m, in.notes);
  const Param azimuth = resolve(l, src.azimuth_deg, "azimuth_deg", k_nan, in.notes);
  const Param beam = resolve(l, src.beamwidth_deg, "beamwidth_deg", a.default_beamwidth_deg, in.notes);
  const Param range = resolve(l, src.range_m, "range_m", SpeakersSource{}.range_m.value, in.notes);
  const Column* cluster = optional_column(l, src.cluster);

  const std::size_t n = l.rows();
  struct Row {
    double power, sens, height, azimuth, beam, range;
  };
  std::vector<Row> rows(n);
  add_rejects(
      l,
      check_rows(n, p.bad,
                 [&](std::size_t i, std::vector<Issue>& out) {
                   Row& r = rows[i];
                   std::string why;
                   const std::pair<const Param*, double*> params[] = {{&power, &r.power},   {&sens, &r.sens},
                                                                      {&height, &r.height}, {&azimuth, &r.azimuth},
                                                                      {&beam, &r.beam},     {&range, &r.range}};
                   for (const auto& [param, value] : params) {
                     if (!param_value(*param, i, *value, why)) {
                       out.push_back({i, param->name, why});
                       return;
                     }
                   }
                   if (!(r.power > 0)) {
                     out.push_back({i, power.name, "power_w " + format_number(r.power) + " is not positive"});
                   } else if (!(r.sens >= 60 && r.sens <= 150)) {
                     out.push_back({i, sens.name, "sensitivity_db " + format_number(r.sens) + " outside [60, 150] dB"});
                   } else if (!(r.height >= 0)) {
                     out.push_back({i, height.name, "height_m " + format_number(r.height) + " is negative"});
                   } else if (!(r.beam > 0 && r.beam <= 360)) {
                     out.push_back({i, beam.name, "beamwidth_deg " + format_number(r.beam) + " outside (0, 360]"});
                   } else if (!(r.range > 0)) {
                     out.push_back({i, range.name, "range_m " + format_number(r.range) + " is not positive"});
                   }
                 }),
      p.id, p.bad, p.rejects);

  Speakers& sp = in.speakers;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (p.bad[i] == 0) ++kept;
  const auto m = static_cast<Eigen::Index>(kept);
  for (Eigen::VectorXd* v : {&sp.x_m, &sp.y_m, &sp.power_w, &sp.sensitivity_db, &sp.height_m, &sp.azimuth_deg,
                             &sp.beamwidth_deg, &sp.range_m})
    v->resize(m);
  Eigen::Index k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p.bad[i] != 0) continue;
    const Row& r = rows[i];
    sp.id.push_back(p.ids[i]);
    sp.cluster.push_back(cluster != nullptr ? trim(cluster->as_text(i)) : std::string());
    sp.x_m[k] = p.x[i];
    sp.y_m[k] = p.y[i];
    sp.power_w[k] = r.power;
    sp.sensitivity_db[k] = r.sens;
    sp.height_m[k] = r.height;
    sp.azimuth_deg[k] = std::isnan(r.azimuth) ? k_nan : std::fmod(std::fmod(r.azimuth, 360.0) + 360.0, 360.0);
    sp.beamwidth_deg[k] = r.beam;
    sp.range_m[k] = r.range;
    ++k;
  }
  assign_clusters(sp);
  p.rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
}

void load_teams(const Scenario& s, const std::string& working, Inputs& in) {
  const TeamsSource& src = *s.teams;
  PointLayer p = load_points(src, "teams", src.id, working, {},
                             {src.members.column, src.reach_m.column, src.households_per_member.column});
  Layer& l = p.layer;
  const Param members = resolve(l, src.members, "members", std::nullopt, in.notes);
  const Param reach = resolve(l, src.reach_m, "reach_m", std::nullopt, in.notes);
  const Param per_member = resolve(l, src.households_per_member, "households_per_member", std::nullopt, in.notes);

  const std::size_t n = l.rows();
  std::vector<std::array<double, 3>> rows(n);
  add_rejects(
      l,
      check_rows(n, p.bad,
                 [&](std::size_t i, std::vector<Issue>& out) {
                   auto& r = rows[i];
                   std::string why;
                   const Param* params[] = {&members, &reach, &per_member};
                   for (std::size_t j = 0; j < 3; ++j) {
                     if (!param_value(*params[j], i, r[j], why)) {
                       out.push_back({i, params[j]->name, why});
                       return;
                     }
                     if (std::isnan(r[j])) {
                       out.push_back({i, params[j]->name, "missing value"});
                       return;
                     }
                   }
                   if (r[0] < 0) {
                     out.push_back({i, members.name, "negative members " + format_number(r[0])});
                   } else if (!(r[1] > 0)) {
                     out.push_back({i, reach.name, "reach_m " + format_number(r[1]) + " is not positive"});
                   } else if (r[2] < 0) {
                     out.push_back({i, per_member.name, "negative households_per_member " + format_number(r[2])});
                   }
                 }),
      p.id, p.bad, p.rejects);

  Teams& t = in.teams;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (p.bad[i] == 0) ++kept;
  const auto m = static_cast<Eigen::Index>(kept);
  for (Eigen::VectorXd* v : {&t.x_m, &t.y_m, &t.members, &t.reach_m, &t.households_per_member}) v->resize(m);
  Eigen::Index k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p.bad[i] != 0) continue;
    t.id.push_back(p.ids[i]);
    t.x_m[k] = p.x[i];
    t.y_m[k] = p.y[i];
    t.members[k] = rows[i][0];
    t.reach_m[k] = rows[i][1];
    t.households_per_member[k] = rows[i][2];
    ++k;
  }
  p.rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
}

void load_candidates(const Scenario& s, const std::string& working, Inputs& in) {
  const CandidatesSource& src = s.optimize.candidates;
  std::vector<std::string> text;
  if (!src.kind.empty()) text.push_back(src.kind);
  PointLayer p = load_points(src, "candidates", src.id, working, text, {});
  Layer& l = p.layer;
  require_column(l, src.kind, "kind");
  const Column* kind = optional_column(l, src.kind);
  const std::size_t n = l.rows();
  std::vector<std::string> kinds(n, "any");
  add_rejects(l,
              check_rows(n, p.bad,
                         [&](std::size_t i, std::vector<Issue>& out) {
                           if (kind == nullptr) return;
                           const std::string k = lower(trim(kind->as_text(i)));
                           if (k.empty()) return;
                           if (k != "speaker" && k != "team" && k != "any") {
                             out.push_back({i, kind->name, "unknown kind '" + k + "' (expected speaker, team or any)"});
                             return;
                           }
                           kinds[i] = k;
                         }),
              p.id, p.bad, p.rejects);
  Candidates& c = in.candidates;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (p.bad[i] == 0) ++kept;
  c.x_m.resize(static_cast<Eigen::Index>(kept));
  c.y_m.resize(static_cast<Eigen::Index>(kept));
  Eigen::Index k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p.bad[i] != 0) continue;
    c.id.push_back(p.ids[i]);
    c.kind.push_back(kinds[i]);
    c.x_m[k] = p.x[i];
    c.y_m[k] = p.y[i];
    ++k;
  }
  p.rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
}

}  // namespace

/// Fails at once, before anything is read, on a layer file that does not exist, naming the key it
/// comes from and the folder relative paths resolve against.
static void check_files_exist(const Scenario& s) {
  std::vector<std::pair<std::string, const LayerSource*>> layers{{"hamlets", &s.hamlets}, {"households", &s.households}};
  if (s.speakers) layers.emplace_back("speakers", &*s.speakers);
  if (s.teams) layers.emplace_back("teams", &*s.teams);
  layers.emplace_back("optimize.candidates", &s.optimize.candidates);
  for (const auto& [key, src] : layers) {
    const std::string& path = src->path;
    if (path.empty() || path.rfind("/vsi", 0) == 0) continue;
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) continue;
    std::string why = "file not found (the scenario's " + key + ".path";
    if (!s.base_dir.path.empty())
      why += "; relative paths in the scenario resolve against its folder " + s.base_dir.path;
    throw IoError(ErrorCode::io, why + ")", {path, "", "", {}});
  }
}

Inputs load_inputs(const Scenario& scenario, const std::function<void(double)>& progress) {
  check_files_exist(scenario);
  Inputs in;
  std::string working;
  const bool speakers = scenario.speakers && !scenario.speakers->path.empty();
  const bool teams = scenario.teams && !scenario.teams->path.empty();
  const bool candidates = !scenario.optimize.candidates.path.empty();
  // Shares of the time on the bundled province: households dominate.
  const double total = 0.1 + 0.8 + (speakers ? 0.05 : 0.0) + (teams ? 0.02 : 0.0) + (candidates ? 0.03 : 0.0);
  double done = 0.0;
  auto step = [&](double share) {
    done += share;
    if (progress) progress(std::min(1.0, done / total));
  };
  load_hamlets(scenario, in, working);
  fail_on_rejects(scenario, in);
  step(0.1);
  load_households(scenario, working, in);
  fail_on_rejects(scenario, in);
  step(0.8);
  if (speakers) {
    load_speakers(scenario, working, in);
    fail_on_rejects(scenario, in);
    step(0.05);
  }
  if (teams) {
    load_teams(scenario, working, in);
    fail_on_rejects(scenario, in);
    step(0.02);
  }
  resolve_team_template(scenario, in.teams);
  if (candidates) {
    load_candidates(scenario, working, in);
    fail_on_rejects(scenario, in);
    step(0.03);
  }
  return in;
}

}  // namespace infogap
