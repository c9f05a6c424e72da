// Cells as text, numbers, counts, flags and per-row parameters (the loader, DESIGN.md §3).
#include "io/load_detail.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

#include "core/text.hpp"

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
      auto res = std::from_chars(b, e, v);
      if (res.ec != std::errc() || res.ptr != e) {
        // A decimal comma, as Vietnamese spreadsheets write numbers: "2,5" (one comma, no point).
        std::string dot(b, e);
        const auto comma = dot.find(',');
        if (comma == std::string::npos || dot.find(',', comma + 1) != std::string::npos ||
            dot.find('.') != std::string::npos)
          return Parsed::bad;
        dot[comma] = '.';
        res = std::from_chars(dot.data(), dot.data() + dot.size(), v);
        if (res.ec != std::errc() || res.ptr != dot.data() + dot.size()) return Parsed::bad;
      }
      if (!std::isfinite(v)) return Parsed::bad;
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

bool flag_marks(const Column* c) {
  if (c == nullptr || c->type != ColumnType::text) return false;
  for (std::size_t i = 0; i < c->texts.size(); ++i)
    if (!c->is_null(i) && detail::fold_key(c->texts[i]) == "x") return true;
  return false;
}

bool parse_flag(const Column* c, std::size_t row, std::int8_t& out, std::string& reason, bool marks) {
  out = -1;
  if (c == nullptr) return true;
  const std::string raw = c->is_null(row) ? std::string() : trim(c->as_text(row));
  const std::string t = detail::fold_key(raw);
  if (t.empty()) {
    if (marks) out = 0;  // a column of x marks: an empty cell is "no"
    return true;
  }
  if (t == "1" || t == "1.0" || t == "true" || t == "yes" || t == "y" || t == "x" || t == "co" || t == "c") {
    out = 1;
  } else if (t == "0" || t == "0.0" || t == "false" || t == "no" || t == "n" || t == "khong" || t == "k" ||
             t == "khong co") {
    out = 0;
  } else {
    reason = "'" + raw + "' is not yes/no (1/0, có/không, x/empty, true/false, yes/no)";
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
    // A column the scenario named must exist; only a default column name falls back.
    if (p.named || (!p.value && !fallback)) require_column(l, p.column, key);
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
