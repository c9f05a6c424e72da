// Reading one layer: columns, CRS, UTF-8 check, ids and rejects (DESIGN.md §3).
#include "io/load_detail.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <span>

#include "adapters/gdal/text.hpp"
#include "core/text.hpp"

namespace infogap::load_detail {

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

namespace {

/// A layer's identity before anything is read; InvalidInput when the scenario gives no path.
Layer layer_shell(const LayerSource& src, const std::string& key) {
  if (src.path.empty())
    throw InvalidInput(ErrorCode::invalid_scenario, "the scenario gives no path for the " + key + " layer",
                       {"", "", key + ".path", {}});
  Layer l;
  l.key = key;
  l.path = src.path;
  l.x_column = src.x;
  l.y_column = src.y;
  return l;
}

/// How every layer is read: exact text (ids keep leading zeros, "abc" in a number column is a reject).
detail::VectorReadOptions read_options(const LayerSource& src, bool geometry_optional) {
  detail::VectorReadOptions options;
  options.path = src.path;
  options.layer = src.layer;
  options.x_column = src.x;
  options.y_column = src.y;
  options.geometry_optional = geometry_optional;
  options.csv_autodetect = false;
  return options;
}

}  // namespace

LayerStream open_layer(const LayerSource& src, const std::string& key, std::vector<std::string> text_columns,
                       const std::vector<std::string>& other_columns, bool geometry_optional) {
  LayerStream ls;
  ls.layer = layer_shell(src, key);
  Layer& l = ls.layer;
  detail::VectorReadOptions options = read_options(src, geometry_optional);
  for (const auto& c : text_columns)
    if (!c.empty()) options.columns.push_back(c);
  for (const auto& c : other_columns)
    if (!c.empty()) options.columns.push_back(c);
  options.text_columns = std::move(text_columns);
  ls.stream = std::make_unique<detail::VectorStream>(options);
  l.data = ls.stream->header();
  l.layer = l.data.layer_name;
  // The file is readable: hash it while the rows are read and validated.
  l.sha256 = std::async(std::launch::async, [path = src.path] { return detail::sha256_file(path); });
  resolve_crs(src, key, l);
  l.info.path = l.path;
  l.info.layer = l.layer;
  l.info.driver = l.data.driver;
  l.info.source_crs = l.crs.normalized;
  l.info.crs_name = l.crs.name;
  return ls;
}

Layer read_layer_header(const LayerSource& src, const std::string& key, bool geometry_optional) {
  Layer l = layer_shell(src, key);
  detail::VectorReadOptions options = read_options(src, geometry_optional);
  options.header_only = true;
  l.data = detail::read_vector(options);
  l.layer = l.data.layer_name;
  resolve_crs(src, key, l);
  return l;
}

void resolve_crs(const LayerSource& src, const std::string& key, Layer& l) {
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
}

Layer LayerStream::next(std::size_t rows) {
  Layer c;
  c.key = layer.key;
  c.path = layer.path;
  c.layer = layer.layer;
  c.x_column = layer.x_column;
  c.y_column = layer.y_column;
  c.crs = layer.crs;
  c.info = layer.info;
  c.data = stream->next(rows);
  check_utf8(c);
  return c;
}

/// Reads a layer: the id-like `text_columns` as exact text, plus `other_columns`; the file's other
/// columns are not read.
Layer read_layer(const LayerSource& src, const std::string& key, std::vector<std::string> text_columns,
                 const std::vector<std::string>& other_columns, bool geometry_optional) {
  LayerStream ls = open_layer(src, key, std::move(text_columns), other_columns, geometry_optional);
  Layer& l = ls.layer;
  l.data = ls.stream->next(std::numeric_limits<std::size_t>::max());
  check_utf8(l);
  l.info.features = static_cast<std::int64_t>(l.rows());
  return std::move(ls.layer);
}

void require_column(const Layer& l, const std::string& column, const std::string& role) {
  if (column.empty() || l.data.table.find(column)) return;
  const std::vector<std::string>& names = l.data.field_names;
  std::string reason = "no " + role + " column '" + column + "'";
  const std::string near = detail::nearest_name(column, names);
  if (!near.empty()) reason += " — did you mean '" + near + "'?";
  if (names.empty()) {
    reason += " (the layer has no columns";
  } else {
    std::string closest;
    for (const std::string& c : detail::closest_names(column, names)) closest += (closest.empty() ? "" : ", ") + c;
    reason += " (closest: " + closest;
    if (names.size() <= 30) {
      std::string have;
      for (const std::string& c : names) have += (have.empty() ? "" : ", ") + c;
      reason += "; the layer has: " + have;
    }
  }
  reason += "; set `" + role + ":` in the " + l.key + " block)";
  throw InvalidInput(ErrorCode::invalid_input, reason, l.where(column));
}

const Column* optional_column(const Layer& l, const std::string& column) {
  if (column.empty()) return nullptr;
  const auto i = l.data.table.find(column);
  return i ? &l.data.table.columns[*i] : nullptr;
}
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
    if (is.swap_fits) ++rejects.swap_fits;
    rejects.rows.push_back(is.row);
    rejects.list.push_back(std::move(r));
  }
}

/// Missing and duplicate ids, in file order (the later duplicate is rejected). Sequential.
std::vector<Issue> check_ids(const Layer& l, const Column& id, std::vector<std::string>& ids) {
  const std::size_t n = l.rows();
  ids.resize(n);
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) ids[i] = trim(id.as_text(i));
      },
      16384);
  return check_trimmed_ids(l, id.name, ids);
}

std::vector<Issue> check_trimmed_ids(const Layer& l, const std::string& column, const std::vector<std::string>& ids) {
  const std::size_t n = ids.size();
  std::vector<std::uint64_t> hashes(n);
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) hashes[i] = std::hash<std::string>{}(ids[i]);
      },
      16384);
  std::vector<Issue> issues;
  // Rows ordered by (hash, row): equal ids are neighbours, and the earliest row comes first.
  std::vector<std::pair<std::uint64_t, std::size_t>> keys;
  keys.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (ids[i].empty()) {
      issues.push_back({i, column, "missing id"});
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
            {row, column,
             "duplicate id '" + ids[row] + "' (first at feature " + std::to_string(l.fid(keys[k].second)) + ")"});
        break;
      }
    }
    run = end;
  }
  return issues;
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

namespace {

/// 20000 → "20,000".
std::string thousands(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

/// The kind of a reason: numbers → '#', quoted values holding a digit (ids) → '…'; a quoted label
/// ("unknown poverty status 'Không nghèo'") stays, so each unknown label is its own kind.
std::string reason_kind(const std::string& reason) {
  std::string out;
  for (std::size_t i = 0; i < reason.size(); ++i) {
    const char c = reason[i];
    if (c == '\'') {
      const std::size_t end = reason.find('\'', i + 1);
      if (end != std::string::npos) {
        const std::string inner = reason.substr(i + 1, end - i - 1);
        const bool digit = std::any_of(inner.begin(), inner.end(), [](char d) { return d >= '0' && d <= '9'; });
        out += digit ? std::string("'…'") : reason.substr(i, end - i + 1);
        i = end;
        continue;
      }
    }
    if (c >= '0' && c <= '9') {
      while (i + 1 < reason.size() &&
             ((reason[i + 1] >= '0' && reason[i + 1] <= '9') || reason[i + 1] == '.' || reason[i + 1] == 'e'))
        ++i;
      out += '#';
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string describe_rejects(std::span<const Reject> rejects, std::int64_t features, std::size_t top) {
  struct Kind {
    std::size_t count = 0;
    std::size_t first = 0;  ///< index of the first reject of this kind
  };
  std::map<std::string, Kind> kinds;
  for (std::size_t i = 0; i < rejects.size(); ++i) {
    auto [it, added] = kinds.try_emplace(reason_kind(rejects[i].reason), Kind{0, i});
    ++it->second.count;
  }
  std::vector<const Kind*> order;
  for (const auto& [key, k] : kinds) order.push_back(&k);
  std::stable_sort(order.begin(), order.end(), [](const Kind* a, const Kind* b) {
    return a->count != b->count ? a->count > b->count : a->first < b->first;
  });
  std::string out =
      thousands(static_cast<std::int64_t>(rejects.size())) + " of " + thousands(features) + " rows rejected";
  for (std::size_t k = 0; k < order.size() && k < top; ++k) {
    const Reject& r = rejects[order[k]->first];
    out += (k == 0 ? ": " : "; ") + thousands(static_cast<std::int64_t>(order[k]->count)) + " × " + r.reason;
    if (!r.column.empty()) out += " [column " + r.column + "]";
    out += " (e.g. feature " + std::to_string(r.feature_id) + (r.id.empty() ? "" : ", id '" + r.id + "'") + ")";
  }
  if (order.size() > top) {
    std::size_t rest = 0;
    for (std::size_t k = top; k < order.size(); ++k) rest += order[k]->count;
    out += "; " + thousands(static_cast<std::int64_t>(rest)) + " more of " + std::to_string(order.size() - top) +
           " other kind(s)";
  }
  return out;
}

void check_rejected_share(const Scenario& s, const Layer& l, const Inputs& in, std::size_t first,
                          std::size_t swap_fits) {
  const std::int64_t features = l.info.features;
  const std::size_t rejected = in.rejects.size() - first;
  if (features <= 0 || rejected == 0) return;
  if (static_cast<double>(rejected) <= s.max_rejected_share * static_cast<double>(features)) return;
  std::string reason = describe_rejects(std::span<const Reject>(in.rejects).subspan(first), features);
  if (2 * swap_fits > rejected) {
    if (l.data.is_csv) {
      reason += ". x and y look swapped: set " + l.key + ".x: " + l.y_column + " and " + l.key + ".y: " + l.x_column +
                " (now x: " + l.x_column + ", y: " + l.y_column + ")";
    } else {
      reason +=
          ". x and y look swapped: the coordinates read as (latitude, longitude); check the layer's CRS "
          "and axis order";
    }
  }
  reason += ". More than max_rejected_share (" + format_number(s.max_rejected_share) +
            ") of the layer: fix the file or the scenario (column names, labels, crs), or raise max_rejected_share";
  throw InvalidInput(ErrorCode::invalid_input, reason, l.where());
}

}  // namespace infogap::load_detail
