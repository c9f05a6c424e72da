// Text helpers of the scenario parser and writer: edit distance, numbers, YAML scalars.
#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "scenario/scenario_detail.hpp"

namespace infogap::detail {
namespace {

char lower_ascii(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower_ascii);
  return out;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  std::string_view t = text;
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  const std::size_t lead = (!t.empty() && t.front() == '-') ? 1 : 0;
  if (t.size() <= lead) return std::nullopt;
  const char c = t[lead];
  if (!is_digit(c) && c != '.') return std::nullopt;  // rules out inf, nan, a second sign
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v, std::chars_format::general);
  if (ec != std::errc{} || ptr != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string format_number(double v) {
  assert(std::isfinite(v));
  char buf[1100];  // the longest shortest-fixed double (5e-324) takes 326 characters
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  assert(ec == std::errc{});
  (void)ec;
  return std::string(buf, ptr);
}

std::string yaml_string(std::string_view v, bool flow) {
  bool plain = !v.empty();
  if (plain) {
    const char c0 = v.front();
    plain = is_alpha(c0) || c0 == '_' || c0 == '/' || static_cast<unsigned char>(c0) >= 0x80;
    plain = plain && v.back() != ' ';
  }
  for (std::size_t i = 0; plain && i < v.size(); ++i) {
    const char c = v[i];
    if (static_cast<unsigned char>(c) >= 0x80 || is_alpha(c) || is_digit(c)) continue;
    if (c == '_' || c == '.' || c == '/' || c == '-' || c == ' ') continue;
    if (c == ':' && !flow && i + 1 < v.size() && v[i + 1] != ' ') continue;
    plain = false;
  }
  if (plain) {
    // Unicode line breaks (NEL, LS, PS) and the byte order mark change how YAML reads a scalar.
    for (const std::string_view bad : {"\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xEF\xBB\xBF"}) {
      if (v.find(bad) != std::string_view::npos) plain = false;
    }
    // Words YAML 1.1/1.2 readers resolve to null or a boolean.
    const std::string l = lower(v);
    for (const std::string_view word : {"null", "true", "false", "yes", "no", "on", "off", "y", "n"}) {
      if (l == word) plain = false;
    }
  }
  if (plain) return std::string(v);

  std::string out = "\"";
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      static constexpr char k_hex[] = "0123456789ABCDEF";
      out += "\\x";
      out += k_hex[c >> 4];
      out += k_hex[c & 0x0F];
    } else if (c == 0xC2 && i + 1 < v.size() && static_cast<unsigned char>(v[i + 1]) == 0x85) {
      out += "\\u0085";  // yaml-cpp 0.7 decodes \\N to a lone byte 0x85
      ++i;
    } else if (c == 0xE2 && i + 2 < v.size() && static_cast<unsigned char>(v[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(v[i + 2]) == 0xA8 || static_cast<unsigned char>(v[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(v[i + 2]) == 0xA8 ? "\\L" : "\\P";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

}  // namespace infogap::detail
