#include "synth/wkb_util.hpp"

#include <bit>
#include <cstring>
#include <string>

#include "infogap/error.hpp"

namespace infogap::detail::synth {

namespace {

static_assert(std::endian::native == std::endian::little, "the WKB helpers assume a little-endian host");

std::uint32_t byteswap32(std::uint32_t v) {
  return __builtin_bswap32(v);
}
std::uint64_t byteswap64(std::uint64_t v) {
  return __builtin_bswap64(v);
}

class Reader {
 public:
  explicit Reader(const Bytes& b) : m_b(b) {}
  std::uint8_t byte() {
    need(1);
    return m_b[m_pos++];
  }
  std::uint32_t u32() {
    need(4);
    std::uint32_t v = 0;
    std::memcpy(&v, m_b.data() + m_pos, 4);
    m_pos += 4;
    return m_little ? v : byteswap32(v);
  }
  double f64() {
    need(8);
    std::uint64_t v = 0;
    std::memcpy(&v, m_b.data() + m_pos, 8);
    m_pos += 8;
    if (!m_little) v = byteswap64(v);
    return std::bit_cast<double>(v);
  }
  void set_order(std::uint8_t order) { m_little = order == 1; }

 private:
  void need(std::size_t n) const {
    if (m_pos + n > m_b.size()) throw InvalidInput(ErrorCode::invalid_input, "truncated WKB");
  }
  const Bytes& m_b;
  std::size_t m_pos = 0;
  bool m_little = true;
};

struct Sink {
  std::vector<Path>* lines = nullptr;
  std::vector<Path>* rings = nullptr;
  std::vector<std::vector<Path>>* polygon_rings = nullptr;
  std::size_t polygons = 0;
};

Path read_path(Reader& r, std::uint32_t dims) {
  const std::uint32_t n = r.u32();
  Path p;
  p.x.reserve(n);
  p.y.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    p.x.push_back(r.f64());
    p.y.push_back(r.f64());
    for (std::uint32_t d = 2; d < dims; ++d) (void)r.f64();
  }
  return p;
}

void read_geometry(Reader& r, Sink& sink) {
  r.set_order(r.byte());
  std::uint32_t type = r.u32();
  std::uint32_t dims = 2;
  // ISO: 1000s = Z, 2000s = M, 3000s = ZM; EWKB flags in the high bits.
  if (type & 0x80000000u) dims += 1;
  if (type & 0x40000000u) dims += 1;
  type &= 0x0FFFFFFFu;
  if (type >= 3000) {
    dims = 4;
    type -= 3000;
  } else if (type >= 2000) {
    dims = 3;
    type -= 2000;
  } else if (type >= 1000) {
    dims = 3;
    type -= 1000;
  }
  switch (type) {
    case 1:
      for (std::uint32_t d = 0; d < dims; ++d) (void)r.f64();
      return;
    case 2: {
      Path p = read_path(r, dims);
      if (sink.lines != nullptr) sink.lines->push_back(std::move(p));
      return;
    }
    case 3: {
      const std::uint32_t n = r.u32();
      if (n > 0) ++sink.polygons;
      if (n > 0 && sink.polygon_rings != nullptr) sink.polygon_rings->emplace_back();
      for (std::uint32_t i = 0; i < n; ++i) {
        Path p = read_path(r, dims);
        if (sink.polygon_rings != nullptr) sink.polygon_rings->back().push_back(p);
        if (sink.rings != nullptr) sink.rings->push_back(std::move(p));
      }
      return;
    }
    case 4:
    case 5:
    case 6:
    case 7: {
      const std::uint32_t n = r.u32();
      for (std::uint32_t i = 0; i < n; ++i) read_geometry(r, sink);
      return;
    }
    default:
      throw InvalidInput(ErrorCode::invalid_input, "unsupported WKB geometry type " + std::to_string(type));
  }
}

void put_u32(Bytes& out, std::uint32_t v) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
  out.insert(out.end(), p, p + 4);
}

void put_f64(Bytes& out, double v) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
  out.insert(out.end(), p, p + 8);
}

}  // namespace

void collect_lines(const Bytes& wkb, std::vector<Path>& out) {
  Reader r(wkb);
  Sink sink;
  sink.lines = &out;
  read_geometry(r, sink);
}

void collect_rings(const Bytes& wkb, std::vector<Path>& out) {
  Reader r(wkb);
  Sink sink;
  sink.rings = &out;
  read_geometry(r, sink);
}

std::size_t count_polygons(const Bytes& wkb) {
  Reader r(wkb);
  Sink sink;
  read_geometry(r, sink);
  return sink.polygons;
}

std::vector<std::vector<Path>> collect_polygons(const Bytes& wkb) {
  std::vector<std::vector<Path>> out;
  Reader r(wkb);
  Sink sink;
  sink.polygon_rings = &out;
  read_geometry(r, sink);
  return out;
}

Bytes multipolygon(const std::vector<std::vector<Path>>& polygons) {
  Bytes out;
  out.push_back(1);
  put_u32(out, 6);
  put_u32(out, static_cast<std::uint32_t>(polygons.size()));
  for (const std::vector<Path>& rings : polygons) {
    out.push_back(1);
    put_u32(out, 3);
    put_u32(out, static_cast<std::uint32_t>(rings.size()));
    for (const Path& p : rings) {
      const bool closed = p.size() > 0 && p.x.front() == p.x.back() && p.y.front() == p.y.back();
      put_u32(out, static_cast<std::uint32_t>(p.size() + (closed ? 0 : 1)));
      for (std::size_t i = 0; i < p.size(); ++i) {
        put_f64(out, p.x[i]);
        put_f64(out, p.y[i]);
      }
      if (!closed && p.size() > 0) {
        put_f64(out, p.x.front());
        put_f64(out, p.y.front());
      }
    }
  }
  return out;
}

Bytes multilinestring(const std::vector<Path>& paths) {
  Bytes out;
  out.push_back(1);
  put_u32(out, 5);
  std::uint32_t n = 0;
  for (const Path& p : paths)
    if (p.size() >= 2) ++n;
  put_u32(out, n);
  for (const Path& p : paths) {
    if (p.size() < 2) continue;
    out.push_back(1);
    put_u32(out, 2);
    put_u32(out, static_cast<std::uint32_t>(p.size()));
    for (std::size_t i = 0; i < p.size(); ++i) {
      put_f64(out, p.x[i]);
      put_f64(out, p.y[i]);
    }
  }
  return out;
}

Bytes as_multipolygon(const Bytes& wkb) {
  if (wkb.size() < 9) throw InvalidInput(ErrorCode::invalid_input, "truncated WKB");
  std::uint32_t type = 0;
  std::memcpy(&type, wkb.data() + 1, 4);
  if (wkb[0] != 1) type = byteswap32(type);
  if (type == 6) return wkb;
  if (type != 3)
    throw InvalidInput(ErrorCode::invalid_input, "as_multipolygon: not a polygon (type " + std::to_string(type) + ")");
  std::uint32_t rings = 0;
  std::memcpy(&rings, wkb.data() + 5, 4);
  if (wkb[0] != 1) rings = byteswap32(rings);
  Bytes out;
  out.push_back(1);
  put_u32(out, 6);
  put_u32(out, rings == 0 ? 0u : 1u);
  if (rings != 0) out.insert(out.end(), wkb.begin(), wkb.end());
  return out;
}

}  // namespace infogap::detail::synth
