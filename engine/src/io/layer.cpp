// Reading one layer: columns, CRS, UTF-8 check, ids and rejects (DESIGN.md §3).
#include "io/load_detail.hpp"

#include <algorithm>
#include <functional>

namespace infogap::load_detail {

// Offset of the first byte of `s` that is not part of valid UTF-8 (overlong forms, surrogates and
/// code points above U+10FFFF are invalid), or npos.
std::size_t invalid_utf8_at(const std::string& s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len >= n) return i;
    for (std::size_t k = 1; k <= len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return i;
    }
    i += len + 1;
  }
  return std::string::npos;
}

/// Text cells must be UTF-8 (they end in GeoPackage, CSV, JSON and HTML outputs). A file in another
/// encoding is a file-level problem, not a bad row: stop at the first such cell, naming it.
void check_utf8(const Layer& l) {
  for (const Column& c : l.data.table.columns) {
    if (c.type != ColumnType::text) continue;
    for (std::size_t row = 0; row < c.texts.size(); ++row) {
      const std::size_t at = invalid_utf8_at(c.texts[row]);
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
                 const std::vector<std::string>& other_columns, bool geometry_optional) {
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
  options.geometry_optional = geometry_optional;
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

}  // namespace infogap::load_detail
