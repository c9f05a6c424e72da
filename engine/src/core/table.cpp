#include "infogap/table.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/table_rows.hpp"
#include "infogap/error.hpp"

namespace infogap {

std::size_t Column::size() const noexcept {
  switch (type) {
    case ColumnType::integer:
      return ints.size();
    case ColumnType::real:
      return reals.size();
    case ColumnType::text:
      return texts.size();
  }
  return 0;
}

std::string Column::as_text(std::size_t i) const {
  if (is_null(i)) return {};
  switch (type) {
    case ColumnType::integer:
      return std::to_string(ints[i]);
    case ColumnType::real: {
      const double v = reals[i];
      if (std::isnan(v)) return {};
      char buf[32];
      auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
      return std::string(buf, res.ptr);
    }
    case ColumnType::text:
      return texts[i];
  }
  return {};
}

double Column::as_real(std::size_t i) const {
  if (is_null(i)) return std::numeric_limits<double>::quiet_NaN();
  switch (type) {
    case ColumnType::integer:
      return static_cast<double>(ints[i]);
    case ColumnType::real:
      return reals[i];
    case ColumnType::text: {
      const std::string& s = texts[i];
      double v = 0;
      const char* b = s.data();
      const char* e = s.data() + s.size();
      while (b < e && (*b == ' ' || *b == '\t')) ++b;
      while (e > b && (e[-1] == ' ' || e[-1] == '\t')) --e;
      if (b == e) return std::numeric_limits<double>::quiet_NaN();
      if (*b == '+') ++b;
      auto res = std::from_chars(b, e, v);
      if (res.ec != std::errc() || res.ptr != e) return std::numeric_limits<double>::quiet_NaN();
      return v;
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::size_t Table::rows() const noexcept {
  if (!columns.empty()) return columns.front().size();
  return wkb.size();
}

std::optional<std::size_t> Table::find(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return i;
  return std::nullopt;
}

const Column& Table::column(const std::string& name) const {
  auto i = find(name);
  if (!i) throw InvalidInput(ErrorCode::invalid_input, "no column '" + name + "'", {"", "", name, {}});
  return columns[*i];
}

Column& Table::add_integer(std::string name, std::vector<std::int64_t> values, std::vector<bool> null) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::integer;
  c.ints = std::move(values);
  c.null = std::move(null);
  columns.push_back(std::move(c));
  return columns.back();
}

Column& Table::add_real(std::string name, std::vector<double> values, std::vector<bool> null) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::real;
  c.reals = std::move(values);
  c.null = std::move(null);
  columns.push_back(std::move(c));
  return columns.back();
}

Column& Table::add_text(std::string name, std::vector<std::string> values, std::vector<bool> null) {
  Column c;
  c.name = std::move(name);
  c.type = ColumnType::text;
  c.texts = std::move(values);
  c.null = std::move(null);
  columns.push_back(std::move(c));
  return columns.back();
}

Column& Table::add_flags(std::string name, const std::vector<std::uint8_t>& values) {
  Column& c = add_integer(std::move(name), std::vector<std::int64_t>(values.begin(), values.end()));
  c.flag = true;
  return c;
}

namespace detail {

Table take_rows(const Table& table, const std::vector<std::size_t>& rows) {
  Table out;
  for (const Column& c : table.columns) {
    Column& o = out.columns.emplace_back();
    o.name = c.name;
    o.type = c.type;
    o.flag = c.flag;
    for (const std::size_t i : rows) {
      switch (c.type) {
        case ColumnType::integer:
          o.ints.push_back(c.ints[i]);
          break;
        case ColumnType::real:
          o.reals.push_back(c.reals[i]);
          break;
        case ColumnType::text:
          o.texts.push_back(c.texts[i]);
          break;
      }
      if (!c.null.empty()) o.null.push_back(c.null[i]);
    }
  }
  if (table.geometry_kind != GeometryKind::none) {
    out.geometry_kind = table.geometry_kind;
    for (const std::size_t i : rows)
      out.wkb.push_back(i < table.wkb.size() ? table.wkb[i] : std::vector<std::uint8_t>{});
  }
  return out;
}

}  // namespace detail
}  // namespace infogap
