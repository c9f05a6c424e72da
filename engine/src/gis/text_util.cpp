// Private helpers of the gis area: number formatting for XML (folding is core/text's).
#include "gis/text_util.hpp"

#include <charconv>
#include <cmath>

namespace infogap::detail {

std::string xml_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0.0) return "0";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

}  // namespace infogap::detail
