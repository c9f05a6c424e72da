// Cells as text, numbers, counts, flags and per-row parameters (the loader, DESIGN.md §3).
#include "io/load_detail.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace infogap::load_detail {

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

Parsed parse_number(const Column& c, std::size_t row, double& v, std::string* text) {
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

}  // namespace infogap::load_detail
