// Private helpers of the raster area (see text_util.hpp).

#include "gis/text_util.hpp"
#include "core/atomic_file.hpp"
#include "core/markup.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "infogap/error.hpp"

namespace infogap::detail {

std::string xml_escape(std::string_view text) {
  return escape_markup(text);
}

std::string xml_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0.0) return "0";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

void write_text_atomic(const std::string& path, std::string_view text) {
  write_file_atomic(path, text);
}

}  // namespace infogap::detail
