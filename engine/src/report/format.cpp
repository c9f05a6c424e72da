#include "report/format.hpp"

#include <cstdlib>
#include <ctime>
#include "core/markup.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "infogap/error.hpp"

namespace infogap::detail {

std::pair<char, char> number_separators(Language language) {
  return language == Language::vi ? std::pair{'.', ','} : std::pair{',', '.'};
}

std::string format_number(double value, int decimals, Language language) {
  const auto [group, decimal] = number_separators(language);
  if (!std::isfinite(value)) return "\u2013";
  if (decimals < 0) decimals = 0;
  if (decimals > 12) decimals = 12;
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string plain(buffer);
  bool negative = false;
  if (!plain.empty() && plain.front() == '-') {
    negative = true;
    plain.erase(0, 1);
  }
  const std::size_t dot = plain.find('.');
  const std::string int_part = plain.substr(0, dot);
  const std::string frac_part = dot == std::string::npos ? std::string() : plain.substr(dot + 1);
  if (negative && int_part.find_first_not_of('0') == std::string::npos &&
      frac_part.find_first_not_of('0') == std::string::npos) {
    negative = false;  // "-0.0" → "0.0"
  }
  std::string out;
  if (negative) out += '-';
  const std::size_t n = int_part.size();
  for (std::size_t i = 0; i < n; ++i) {
    out += int_part[i];
    const std::size_t left = n - 1 - i;
    if (left > 0 && left % 3 == 0) out += group;
  }
  if (!frac_part.empty()) {
    out += decimal;
    out += frac_part;
  }
  return out;
}

std::string format_percent(double fraction, int decimals, Language language) {
  if (!std::isfinite(fraction)) return "\u2013";
  return format_number(fraction * 100.0, decimals, language) + "%";
}

std::string script_safe_json(std::string_view json_text) {
  std::string out;
  out.reserve(json_text.size() + 64);
  for (const char c : json_text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string generated_at_text() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (epoch != nullptr && *epoch != '\0') {
    t = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
    gmtime_r(&t, &tm);
  } else {
    localtime_r(&t, &tm);
  }
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M %z", &tm);
  return buf;
}

}  // namespace infogap::detail
