#pragma once
/// @file scenario_yaml.hpp  The scenario file's YAML read with positions: a Value (one value with
/// its key path and position: typed, range-checked access, messages naming line and column) and a
/// Block (a mapping whose keys are taken one by one; unknown keys refused with a suggestion).
/// scenario_read.cpp reads the scenario's keys with them.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "infogap/error.hpp"
#include "scenario/scenario_detail.hpp"

namespace infogap::scenario_yaml {

inline constexpr double k_inf = std::numeric_limits<double>::infinity();

/// Where the text came from: its name for messages and the folder relative paths start from.
struct Source {
  std::string name;
  std::filesystem::path base_dir;  // absolute
};

inline std::string position(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ": ";
}

[[noreturn]] inline void fail(const Source& src, const YAML::Mark& mark, const std::string& message) {
  throw InvalidInput(ErrorCode::invalid_scenario, position(mark) + message, ErrorContext{src.name, {}, {}, {}});
}

inline std::string quoted_list(std::span<const std::string> names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

/// An interval a number must lie in; open ends are exclusive.
struct Range {
  double lo = -k_inf;
  double hi = k_inf;
  bool lo_open = false;
  bool hi_open = false;

  bool contains(double v) const {
    const bool above = lo_open ? v > lo : v >= lo;
    const bool below = hi_open ? v < hi : v <= hi;
    return above && below;
  }
  std::string describe() const {
    const bool has_lo = std::isfinite(lo);
    const bool has_hi = std::isfinite(hi);
    const std::string l = detail::format_number(has_lo ? lo : 0.0);
    const std::string h = detail::format_number(has_hi ? hi : 0.0);
    if (has_lo && has_hi) {
      if (!lo_open && !hi_open) return "between " + l + " and " + h;
      return std::string("in ") + (lo_open ? "(" : "[") + l + ", " + h + (hi_open ? ")" : "]");
    }
    if (has_lo) return (lo_open ? "> " : ">= ") + l;
    if (has_hi) return (hi_open ? "< " : "<= ") + h;
    return "finite";
  }
};

inline constexpr Range k_any{};
inline constexpr Range k_non_negative{0.0, k_inf, false, false};
inline constexpr Range k_positive{0.0, k_inf, true, false};
inline constexpr Range k_share{0.0, 1.0, false, false};
inline constexpr Range k_angle{-360.0, 360.0, false, false};
inline constexpr Range k_beamwidth{0.0, 360.0, true, false};

/// One value of the file with its key path and position.
class Value {
 public:
  /// mark: where the value is (its key when the value is null); key_mark: where its key is.
  Value(const Source& src, YAML::Node node, const YAML::Mark& mark, std::string path)
      : Value(src, std::move(node), mark, mark, std::move(path)) {}
  Value(const Source& src, YAML::Node node, const YAML::Mark& mark, const YAML::Mark& key_mark, std::string path)
      : m_src(&src), m_node(std::move(node)), m_mark(mark), m_key_mark(key_mark), m_path(std::move(path)) {}

  const Source& source() const noexcept { return *m_src; }
  const YAML::Node& node() const noexcept { return m_node; }
  const YAML::Mark& mark() const noexcept { return m_mark; }
  const YAML::Mark& key_mark() const noexcept { return m_key_mark; }
  const std::string& path() const noexcept { return m_path; }
  bool is_null() const { return m_node.IsNull(); }
  /// A plain (unquoted, untagged) scalar.
  bool is_plain() const { return m_node.IsScalar() && m_node.Tag() == "?"; }

  [[noreturn]] void fail(const std::string& what) const {
    scenario_yaml::fail(*m_src, m_mark, "'" + m_path + "' " + what);
  }

  /// The scalar text; anything else fails with "must be <expected>".
  const std::string& scalar(const std::string& expected) const {
    if (m_node.IsScalar()) {
      // The file is valid UTF-8 (checked first), but yaml-cpp 0.7 decodes the escapes \_ and \N to
      // the single bytes 0xA0 and 0x85: such text would break the JSON and GeoPackage outputs.
      if (!detail::is_utf8(m_node.Scalar()))
        fail("is not valid UTF-8 once its escapes are decoded (write the character itself, not \\_ or \\N)");
      return m_node.Scalar();
    }
    if (m_node.IsNull()) fail("needs a value: " + expected + " (leave the key out for its default)");
    fail("must be " + expected + ", not a " + std::string(m_node.IsSequence() ? "list" : "mapping"));
  }

  double number(const Range& range) const {
    const std::string& text = scalar("a number");
    const auto v = detail::parse_number(text);
    if (!v) fail("must be a number, got '" + text + "'");
    check(*v, range);
    return *v;
  }

  std::optional<double> optional_number(const Range& range) const {
    if (is_null()) return std::nullopt;
    return number(range);
  }

  int integer(int lo, int hi) const {
    const std::string& text = scalar("a whole number");
    const auto v = detail::parse_number(text);
    if (!v || std::floor(*v) != *v) fail("must be a whole number, got '" + text + "'");
    if (*v < lo || *v > hi) {
      fail("must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " + text);
    }
    return static_cast<int>(*v);
  }

  std::uint64_t unsigned64() const {
    const std::string& text = scalar("a whole number >= 0");
    std::string_view t = text;
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc{} || ptr != t.data() + t.size()) {
      fail("must be a whole number between 0 and 18446744073709551615, got '" + text + "'");
    }
    return v;
  }

  bool boolean() const {
    const std::string& text = scalar("true or false");
    std::string l = text;
    std::transform(l.begin(), l.end(), l.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
    if (l == "true" || l == "yes" || l == "on") return true;
    if (l == "false" || l == "no" || l == "off") return false;
    fail("must be true or false, got '" + text + "'");
  }

  /// A name (column, layer, CRS...). Null or "" is allowed only when allow_empty.
  std::string text(bool allow_empty) const {
    if (is_null() && allow_empty) return {};
    const std::string& t = scalar("a name");
    if (t.empty() && !allow_empty) fail("must not be empty");
    return t;
  }

  /// A list of non-empty names without repeats; a single name is a list of one; null is empty.
  std::vector<std::string> text_list() const {
    std::vector<std::string> out;
    if (is_null()) return out;
    if (m_node.IsScalar()) {
      out.push_back(text(false));
      return out;
    }
    if (!m_node.IsSequence()) fail("must be a list such as [a, b], not a mapping");
    for (std::size_t i = 0; i < m_node.size(); ++i) {
      const YAML::Node item = m_node[i];
      const Value v(*m_src, item, item.IsNull() ? m_mark : item.Mark(), m_path + "[" + std::to_string(i) + "]");
      std::string name = v.text(false);
      if (std::find(out.begin(), out.end(), name) != out.end()) v.fail("repeats '" + name + "'");
      out.push_back(std::move(name));
    }
    return out;
  }

  /// A list of names each from `allowed` (e.g. output.formats).
  std::vector<std::string> choice_list(std::span<const std::string_view> allowed) const {
    std::vector<std::string> out = text_list();
    const std::vector<std::string> names(allowed.begin(), allowed.end());
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (std::find(names.begin(), names.end(), out[i]) != names.end()) continue;
      const YAML::Node item = m_node.IsSequence() ? m_node[i] : m_node;
      const Value v(*m_src, item, item.Mark(), m_node.IsSequence() ? m_path + "[" + std::to_string(i) + "]" : m_path);
      v.fail("has unknown value '" + out[i] + "'" + suggestion(out[i], names) + "; allowed: " + quoted_list(names));
    }
    return out;
  }

  /// One of the names of an enum table.
  template <typename Enum, std::size_t N>
  Enum choice(const std::array<std::pair<std::string_view, Enum>, N>& table) const {
    const std::string& t = scalar("one of the listed names");
    std::vector<std::string> names;
    for (const auto& [name, value] : table) {
      if (name == t) return value;
      names.emplace_back(name);
    }
    fail("has unknown value '" + t + "'" + suggestion(t, names) + "; allowed: " + quoted_list(names));
  }

  /// A column name (a quoted scalar, or a plain one that does not start like a number) or a
  /// constant number within range. Null → empty, refused unless allow_empty.
  ColumnOrNumber column_or_number(const Range& range, bool allow_empty) const {
    ColumnOrNumber out;
    if (is_null()) {
      if (!allow_empty) fail("needs a column name or a number (leave the key out for its default)");
      return out;
    }
    const std::string& t = scalar("a column name or a number");
    const bool number_like =
        is_plain() && !t.empty() && (std::string_view("0123456789+-.").find(t.front()) != std::string_view::npos);
    if (number_like) {
      const auto v = detail::parse_number(t);
      if (!v) {
        fail("must be a column name or a finite number, got '" + t +
             "' (quote a column name that starts like a number)");
      }
      check(*v, range);
      out.value = *v;
      return out;
    }
    if (t.empty()) {
      if (!allow_empty) fail("needs a column name or a number");
      return out;
    }
    out.column = t;
    out.named = true;
    return out;
  }

  static std::string suggestion(const std::string& given, const std::vector<std::string>& names) {
    const std::string near = detail::nearest_name(given, names);
    return near.empty() ? std::string() : " (did you mean '" + near + "'?)";
  }

 private:
  void check(double v, const Range& range) const {
    if (!range.contains(v)) fail("must be " + range.describe() + ", got " + detail::format_number(v));
  }

  const Source* m_src;
  YAML::Node m_node;
  YAML::Mark m_mark;
  YAML::Mark m_key_mark;
  std::string m_path;
};

/// The keys of one mapping. get() both reads a key and declares it valid; finish() refuses the
/// keys nobody asked for, suggesting the nearest valid one.
class Block {
 public:
  explicit Block(const Value& v) : m_src(&v.source()), m_path(v.path()), m_mark(v.key_mark()) {
    if (v.is_null()) return;
    if (!v.node().IsMap()) {
      const std::string what = v.node().IsSequence() ? "a list" : "'" + v.node().Scalar() + "'";
      if (m_path.empty()) {
        scenario_yaml::fail(*m_src, v.mark(), "the scenario must be a mapping of keys (key: value), not " + what);
      }
      v.fail("must be a mapping of keys (key: value lines below it), not " + what);
    }
    for (auto it = v.node().begin(); it != v.node().end(); ++it) {
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      if (!key.IsScalar()) scenario_yaml::fail(*m_src, key.Mark(), "keys must be plain names" + where());
      const std::string& name = key.Scalar();
      if (!detail::is_utf8(name))
        scenario_yaml::fail(*m_src, key.Mark(), "a key is not valid UTF-8 once its escapes are decoded" + where());
      for (const auto& e : m_entries) {
        if (e.key == name) {
          scenario_yaml::fail(
              *m_src, key.Mark(),
              "'" + dotted(name) + "' is given twice (first on line " + std::to_string(e.key_mark.line + 1) + ")");
        }
      }
      m_entries.push_back(Entry{name, key.Mark(), value});
    }
  }

  /// The value of key, if present; declares key valid either way.
  std::optional<Value> get(const std::string& key) {
    m_known.push_back(key);
    for (auto& e : m_entries) {
      if (e.key != key) continue;
      e.used = true;
      return Value(*m_src, e.value, e.value.IsNull() ? e.key_mark : e.value.Mark(), e.key_mark, dotted(key));
    }
    return std::nullopt;
  }

  /// Every entry, for mappings whose keys are data (min_group_coverage).
  std::vector<std::pair<std::string, Value>> take_all() {
    std::vector<std::pair<std::string, Value>> out;
    for (auto& e : m_entries) {
      e.used = true;
      const YAML::Mark mark = e.value.IsNull() ? e.key_mark : e.value.Mark();
      out.emplace_back(e.key, Value(*m_src, e.value, mark, e.key_mark, dotted(e.key)));
    }
    return out;
  }

  /// Fails on the first key (in file order) that no get() asked for.
  void finish() const {
    for (const auto& e : m_entries) {
      if (e.used) continue;
      std::string message = "'" + dotted(e.key) + "' is not a valid key";
      const std::string near = detail::nearest_name(e.key, m_known);
      if (!near.empty()) {
        message += "; did you mean '" + near + "'?";
      } else {
        message += "; valid keys" + where() + ": " + quoted_list(m_known);
      }
      scenario_yaml::fail(*m_src, e.key_mark, message);
    }
  }

  /// Where the mapping's key is (the mapping itself for the top level).
  const YAML::Mark& mark() const noexcept { return m_mark; }
  std::string dotted(const std::string& key) const { return m_path.empty() ? key : m_path + "." + key; }

 private:
  struct Entry {
    std::string key;
    YAML::Mark key_mark;
    YAML::Node value;
    bool used = false;
  };
  std::string where() const { return m_path.empty() ? " at the top level" : " in '" + m_path + "'"; }

  const Source* m_src;
  std::string m_path;
  YAML::Mark m_mark;
  std::vector<Entry> m_entries;
  std::vector<std::string> m_known;
};

}  // namespace infogap::scenario_yaml
