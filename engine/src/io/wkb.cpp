#include "io/wkb.hpp"

#include <cmath>
#include <cstring>
#include <limits>

#include "adapters/proj/transformer.hpp"
#include "infogap/error.hpp"

namespace infogap::detail {
namespace {

[[noreturn]] void malformed(const char* what) {
  throw InvalidInput(ErrorCode::invalid_input, std::string("malformed WKB geometry: ") + what);
}

struct Walker {
  const std::vector<std::uint8_t>& wkb;
  std::vector<std::size_t>& offsets;

  std::uint32_t u32(std::size_t pos) const {
    if (pos + 4 > wkb.size()) malformed("truncated");
    std::uint32_t v = 0;
    std::memcpy(&v, wkb.data() + pos, 4);
    return v;
  }
  /// Walks one geometry starting at pos; returns the position after it.
  std::size_t geometry(std::size_t pos, int depth) {
    if (depth > 32) malformed("nested too deep");
    if (pos + 5 > wkb.size()) malformed("truncated");
    if (wkb[pos] != 1) malformed("not little-endian");
    std::uint32_t type = u32(pos + 1);
    pos += 5;
    std::size_t dims = 2;
    if ((type & 0x80000000U) != 0) ++dims;  // EWKB Z flag
    if ((type & 0x40000000U) != 0) ++dims;  // EWKB M flag
    if ((type & 0x20000000U) != 0) malformed("EWKB SRID is not supported");
    type &= 0x0fffffffU;
    switch (type / 1000U) {
      case 0:
        break;
      case 1:
      case 2:
        dims += 1;
        break;
      case 3:
        dims += 2;
        break;
      default:
        malformed("unknown dimension");
    }
    const std::size_t stride = dims * 8;
    auto points = [&](std::size_t at, std::size_t n) {
      if (n > (wkb.size() - at) / stride) malformed("truncated");
      for (std::size_t i = 0; i < n; ++i) offsets.push_back(at + i * stride);
      return at + n * stride;
    };
    switch (type % 1000U) {
      case 1:
        return points(pos, 1);
      case 2:
        return points(pos + 4, u32(pos));
      case 3: {
        const std::uint32_t rings = u32(pos);
        pos += 4;
        for (std::uint32_t r = 0; r < rings; ++r) pos = points(pos + 4, u32(pos));
        return pos;
      }
      case 4:
      case 5:
      case 6:
      case 7: {
        const std::uint32_t parts = u32(pos);
        pos += 4;
        for (std::uint32_t p = 0; p < parts; ++p) pos = geometry(pos, depth + 1);
        return pos;
      }
      default:
        malformed("unsupported geometry type");
    }
  }
};

double read_double(const std::vector<std::uint8_t>& wkb, std::size_t at) {
  double v = 0;
  std::memcpy(&v, wkb.data() + at, 8);
  return v;
}

}  // namespace

std::uint32_t wkb_type(const std::vector<std::uint8_t>& wkb) noexcept {
  if (wkb.size() < 5 || wkb[0] != 1) return 0;
  std::uint32_t t = 0;
  std::memcpy(&t, wkb.data() + 1, 4);
  return (t & 0x0fffffffU) % 1000U;
}

bool wkb_point(const std::vector<std::uint8_t>& wkb, double& x, double& y) noexcept {
  x = y = std::numeric_limits<double>::quiet_NaN();
  const std::uint32_t t = wkb_type(wkb);
  if (t == 1 && wkb.size() >= 21) {
    x = read_double(wkb, 5);
    y = read_double(wkb, 13);
    return true;
  }
  if (t == 4 && wkb.size() >= 30) {
    std::uint32_t n = 0;
    std::memcpy(&n, wkb.data() + 5, 4);
    std::uint32_t inner = 0;
    std::memcpy(&inner, wkb.data() + 10, 4);
    if (n != 1 || wkb[9] != 1 || (inner & 0x0fffffffU) != 1) return false;
    x = read_double(wkb, 14);
    y = read_double(wkb, 22);
    return true;
  }
  return false;
}

std::vector<std::size_t> wkb_coordinate_offsets(const std::vector<std::uint8_t>& wkb) {
  std::vector<std::size_t> offsets;
  Walker walker{wkb, offsets};
  const std::size_t end = walker.geometry(0, 0);
  if (end != wkb.size()) malformed("trailing bytes");
  return offsets;
}

bool wkb_envelope(const std::vector<std::uint8_t>& wkb, double& minx, double& miny, double& maxx, double& maxy) {
  const auto offsets = wkb_coordinate_offsets(wkb);
  minx = miny = std::numeric_limits<double>::infinity();
  maxx = maxy = -std::numeric_limits<double>::infinity();
  for (const std::size_t o : offsets) {
    const double x = read_double(wkb, o);
    const double y = read_double(wkb, o + 8);
    if (!std::isfinite(x) || !std::isfinite(y)) return false;
    minx = std::min(minx, x);
    maxx = std::max(maxx, x);
    miny = std::min(miny, y);
    maxy = std::max(maxy, y);
  }
  return !offsets.empty();
}

bool transform_wkb(std::vector<std::uint8_t>& wkb, const Transformer& transformer) {
  const auto offsets = wkb_coordinate_offsets(wkb);
  std::vector<double> xs(offsets.size()), ys(offsets.size());
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    xs[i] = read_double(wkb, offsets[i]);
    ys[i] = read_double(wkb, offsets[i] + 8);
  }
  if (transformer.transform(xs.data(), ys.data(), xs.size()) != 0) return false;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    std::memcpy(wkb.data() + offsets[i], &xs[i], 8);
    std::memcpy(wkb.data() + offsets[i] + 8, &ys[i], 8);
  }
  return true;
}

}  // namespace infogap::detail
