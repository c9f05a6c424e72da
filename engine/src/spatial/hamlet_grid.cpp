#include "spatial/hamlet_grid.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>

#include "adapters/geos/geometry_ops.hpp"
#include "infogap/parallel.hpp"

namespace infogap::detail {
namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();
constexpr std::size_t k_max_tiles = std::size_t{1} << 22;
constexpr std::uint32_t k_no_tile = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint8_t k_boundary = 0x80;  // cell state: bit 7 boundary, bits 0–1 count (0, 1, 2+)
constexpr std::uint8_t k_count_mask = 0x03;

// ---------------------------------------------------------------------------------------------
// WKB rings, read in place (no copy of the coordinates).

struct Cursor {
  const std::uint8_t* p;
  const std::uint8_t* end;
  bool take_u32(std::uint32_t& v) {
    if (end - p < 4) return false;
    std::memcpy(&v, p, 4);
    p += 4;
    return true;
  }
};

struct Ring {
  const std::uint8_t* coords;  // first x; y at +8
  std::size_t points;
  std::size_t stride;  // bytes between coordinates
  double x(std::size_t i) const noexcept {
    double v;
    std::memcpy(&v, coords + i * stride, 8);
    return v;
  }
  double y(std::size_t i) const noexcept {
    double v;
    std::memcpy(&v, coords + i * stride + 8, 8);
    return v;
  }
};

// Reads a geometry header: byte order, type (ISO 1000/2000/3000 or EWKB flags), optional SRID.
bool read_header(Cursor& c, std::uint32_t& base, std::size_t& dims) {
  if (c.end - c.p < 1 || *c.p != 1) return false;  // little-endian (NDR) only
  ++c.p;
  std::uint32_t raw = 0;
  if (!c.take_u32(raw)) return false;
  dims = 2;
  if (raw & 0x80000000u) ++dims;
  if (raw & 0x40000000u) ++dims;
  if (raw & 0x20000000u) {
    std::uint32_t srid = 0;
    if (!c.take_u32(srid)) return false;
  }
  raw &= 0x0FFFFFFFu;
  const std::uint32_t iso = raw / 1000u;
  if (iso > 3) return false;
  if (iso == 1 || iso == 2) dims += 1;
  if (iso == 3) dims += 2;
  if (dims > 4) return false;
  base = raw % 1000u;
  return true;
}

template <class Fn>
bool read_polygon_body(Cursor& c, std::size_t dims, Fn& fn) {
  std::uint32_t rings = 0;
  if (!c.take_u32(rings)) return false;
  for (std::uint32_t r = 0; r < rings; ++r) {
    std::uint32_t points = 0;
    if (!c.take_u32(points)) return false;
    const std::size_t stride = dims * 8;
    if (static_cast<std::size_t>(c.end - c.p) / stride < points) return false;
    if (points > 0) fn(Ring{c.p, points, stride});
    c.p += static_cast<std::size_t>(points) * stride;
  }
  return true;
}

/// Calls fn(Ring) for every ring of a Polygon or MultiPolygon. False if the WKB is malformed or
/// anything else (the caller then uses the exact method). An empty WKB has no rings (true).
template <class Fn>
bool for_each_ring(const std::vector<std::uint8_t>& wkb, Fn&& fn) {
  if (wkb.empty()) return true;
  Cursor c{wkb.data(), wkb.data() + wkb.size()};
  std::uint32_t type = 0;
  std::size_t dims = 0;
  if (!read_header(c, type, dims)) return false;
  if (type == 3) return read_polygon_body(c, dims, fn);
  if (type != 6) return false;
  std::uint32_t parts = 0;
  if (!c.take_u32(parts)) return false;
  for (std::uint32_t k = 0; k < parts; ++k) {
    std::uint32_t part_type = 0;
    std::size_t part_dims = 0;
    if (!read_header(c, part_type, part_dims) || part_type != 3) return false;
    if (!read_polygon_body(c, part_dims, fn)) return false;
  }
  return true;
}

/// Calls edge(ax, ay, bx, by) for every edge of the ring, closing it if first != last; a ring
/// of one point is one zero-length edge.
template <class Fn>
void for_each_edge(const Ring& r, Fn&& edge) {
  const std::size_t n = r.points;
  double px = r.x(0), py = r.y(0);
  const double fx = px, fy = py;
  for (std::size_t i = 1; i < n; ++i) {
    const double qx = r.x(i), qy = r.y(i);
    edge(px, py, qx, qy);
    px = qx;
    py = qy;
  }
  if (n == 1 || px != fx || py != fy) edge(px, py, fx, fy);
}

struct Envelope {
  double minx = k_inf, miny = k_inf, maxx = -k_inf, maxy = -k_inf;
  bool empty() const noexcept { return !(minx <= maxx); }
};

struct PolygonInfo {
  Envelope env;
  double perimeter_m = 0;
};

/// Envelopes and perimeters; false if some polygon is unsupported or has a non-finite coordinate.
bool scan_polygons(const std::vector<std::vector<std::uint8_t>>& polygons, std::vector<PolygonInfo>& info) {
  info.assign(polygons.size(), PolygonInfo{});
  std::atomic<bool> ok{true};
  parallel_for(
      polygons.size(),
      [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e && ok.load(std::memory_order_relaxed); ++i) {
          PolygonInfo& pi = info[i];
          bool finite = true;
          const bool parsed = for_each_ring(polygons[i], [&](const Ring& r) {
            for (std::size_t k = 0; k < r.points; ++k) {
              const double x = r.x(k), y = r.y(k);
              finite = finite && std::isfinite(x) && std::isfinite(y);
              pi.env.minx = std::min(pi.env.minx, x);
              pi.env.maxx = std::max(pi.env.maxx, x);
              pi.env.miny = std::min(pi.env.miny, y);
              pi.env.maxy = std::max(pi.env.maxy, y);
            }
            for_each_edge(
                r, [&](double ax, double ay, double bx, double by) { pi.perimeter_m += std::hypot(bx - ax, by - ay); });
          });
          if (!parsed || !finite) ok.store(false);
        }
      },
      64);
  return ok.load();
}

// ---------------------------------------------------------------------------------------------
// One tile.

struct TileGeometry {
  double x0 = 0, y0 = 0;  // south-west corner
  double cell = 1;
  int side = 1;  // cells per side
  std::int64_t col(double x) const noexcept {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor((x - x0) / cell)), 0, side - 1);
  }
  std::int64_t row(double y) const noexcept {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor((y - y0) / cell)), 0, side - 1);
  }
  double center_y(std::int64_t r) const noexcept { return y0 + (static_cast<double>(r) + 0.5) * cell; }
};

struct Scratch {
  std::vector<std::uint8_t> state;
  std::vector<std::int32_t> best;
  std::vector<std::pair<std::int64_t, double>> crossings;
  std::vector<std::uint32_t> hits;
  std::vector<std::vector<std::uint8_t>> subset;
};

/// Marks every cell whose closed square, grown by k_join_margin_m, meets the segment a–b.
void mark_edge(const TileGeometry& g, std::vector<std::uint8_t>& state, double ax, double ay, double bx, double by) {
  const double d = k_join_margin_m;
  const double tile_max = g.cell * g.side;
  const double lo_y = std::min(ay, by) - d, hi_y = std::max(ay, by) + d;
  const double lo_x = std::min(ax, bx) - d, hi_x = std::max(ax, bx) + d;
  if (hi_y < g.y0 - d || lo_y > g.y0 + tile_max + d || hi_x < g.x0 - d || lo_x > g.x0 + tile_max + d) return;
  const auto raw_row = [&](double y) { return static_cast<std::int64_t>(std::floor((y - g.y0) / g.cell)); };
  const auto raw_col = [&](double x) { return static_cast<std::int64_t>(std::floor((x - g.x0) / g.cell)); };
  const std::int64_t r0 = std::max<std::int64_t>(0, raw_row(lo_y));
  const std::int64_t r1 = std::min<std::int64_t>(g.side - 1, raw_row(hi_y));
  const double dy = by - ay;
  for (std::int64_t r = r0; r <= r1; ++r) {
    double xmin = std::min(ax, bx), xmax = std::max(ax, bx);
    if (dy != 0 && r0 != r1) {  // the part of the edge within the row's band (grown by d)
      const double band0 = g.y0 + static_cast<double>(r) * g.cell - d;
      const double band1 = g.y0 + static_cast<double>(r + 1) * g.cell + d;
      double t0 = (band0 - ay) / dy, t1 = (band1 - ay) / dy;
      if (t0 > t1) std::swap(t0, t1);
      t0 = std::max(t0, 0.0);
      t1 = std::min(t1, 1.0);
      if (t0 > t1) continue;
      const double xa = ax + t0 * (bx - ax), xb = ax + t1 * (bx - ax);
      xmin = std::min(xa, xb);
      xmax = std::max(xa, xb);
    }
    const std::int64_t c0 = std::max<std::int64_t>(0, raw_col(xmin - d));
    const std::int64_t c1 = std::min<std::int64_t>(g.side - 1, raw_col(xmax + d));
    std::uint8_t* line = state.data() + r * g.side;
    for (std::int64_t c = c0; c <= c1; ++c) line[c] |= k_boundary;
  }
}

/// Labels the cells whose centre the polygon covers (even-odd scanline at each row centre) and
/// marks its boundary cells.
void burn_polygon(const TileGeometry& g, const std::vector<std::uint8_t>& wkb, std::int32_t id,
                  const std::vector<std::int32_t>& rank, Scratch& s) {
  auto& xs = s.crossings;
  xs.clear();
  const double tile_top = g.y0 + g.cell * g.side;
  for_each_ring(wkb, [&](const Ring& ring) {
    for_each_edge(ring, [&](double ax, double ay, double bx, double by) {
      mark_edge(g, s.state, ax, ay, bx, by);
      if (ay == by) return;
      const double lo = std::min(ay, by), hi = std::max(ay, by);
      if (hi < g.y0 || lo > tile_top) return;
      // Rows whose centre yc has lo <= yc < hi (half-open: each vertex counted once). The
      // floor() range is widened by one row and every row re-checked with the exact test.
      const std::int64_t ra =
          std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor((lo - g.y0) / g.cell - 0.5)));
      const std::int64_t rb =
          std::min<std::int64_t>(g.side - 1, static_cast<std::int64_t>(std::floor((hi - g.y0) / g.cell - 0.5)) + 1);
      const double slope = (bx - ax) / (by - ay);
      for (std::int64_t r = ra; r <= rb; ++r) {
        const double yc = g.center_y(r);
        if (lo <= yc && yc < hi) xs.emplace_back(r, ax + (yc - ay) * slope);
      }
    });
  });
  std::sort(xs.begin(), xs.end());
  std::size_t k = 0;
  while (k < xs.size()) {
    std::size_t e = k;
    while (e < xs.size() && xs[e].first == xs[k].first) ++e;
    const std::int64_t r = xs[k].first;
    std::uint8_t* line = s.state.data() + r * g.side;
    if ((e - k) % 2 != 0) {  // a broken ring: leave the whole row to the exact test
      for (int c = 0; c < g.side; ++c) line[c] |= k_boundary;
      k = e;
      continue;
    }
    std::int32_t* best = s.best.data() + r * g.side;
    for (std::size_t j = k; j < e; j += 2) {
      // Cells whose centre x0 + (c + 0.5)·cell lies in [xs[j], xs[j+1]).
      const auto first_col = [&](double x) {
        const double c = std::ceil((x - g.x0) / g.cell - 0.5);
        return static_cast<std::int64_t>(std::clamp(c, 0.0, static_cast<double>(g.side)));
      };
      const std::int64_t c0 = first_col(xs[j].second), c1 = first_col(xs[j + 1].second);
      for (std::int64_t c = c0; c < c1; ++c) {
        const std::uint8_t st = line[c];
        const std::uint8_t count = st & k_count_mask;
        if (count == 0 || rank[static_cast<std::size_t>(id)] < rank[static_cast<std::size_t>(best[c])]) best[c] = id;
        line[c] = static_cast<std::uint8_t>((st & ~k_count_mask) |
                                            std::min<std::uint8_t>(2, static_cast<std::uint8_t>(count + 1)));
      }
    }
    k = e;
  }
}

/// Lowest-ranked polygon among hits (global indices); −1 if none.
std::int32_t lowest_rank(const std::vector<std::uint32_t>& hits, const std::vector<std::int32_t>& rank) {
  if (hits.empty()) return -1;
  std::uint32_t best = hits.front();
  for (auto h : hits)
    if (rank[h] < rank[best]) best = h;
  return static_cast<std::int32_t>(best);
}

}  // namespace

PointJoin join_points_exact(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                            const std::vector<std::vector<std::uint8_t>>& polygons,
                            const std::vector<std::int32_t>& rank) {
  const auto n = static_cast<std::size_t>(x.size());
  PointJoin out;
  out.polygon.assign(n, -1);
  std::vector<std::int64_t> overlaps(thread_count() + 1, 0);
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned worker) {
        // Prepared geometries are not thread-safe: each worker builds its own index.
        const PolygonIndex index(polygons);
        std::vector<std::uint32_t> hits;
        for (std::size_t i = b; i < e; ++i) {
          const auto ei = static_cast<Eigen::Index>(i);
          index.covering(x[ei], y[ei], hits);
          if (hits.size() > 1) ++overlaps[worker];
          out.polygon[i] = lowest_rank(hits, rank);
        }
      },
      8192);
  out.overlaps = std::accumulate(overlaps.begin(), overlaps.end(), std::int64_t{0});
  out.stats.exact_points = static_cast<std::int64_t>(n);
  out.stats.exact_fallback = true;
  return out;
}

PointJoin join_points_grid(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                           const std::vector<std::vector<std::uint8_t>>& polygons,
                           const std::vector<std::int32_t>& rank, const PointJoinOptions& options) {
  const auto n = static_cast<std::size_t>(x.size());
  std::vector<PolygonInfo> info;
  if (!scan_polygons(polygons, info)) return join_points_exact(x, y, polygons, rank);

  PointJoin out;
  out.polygon.assign(n, -1);
  Envelope ext;
  for (const auto& pi : info) {
    if (pi.env.empty()) continue;
    ext.minx = std::min(ext.minx, pi.env.minx);
    ext.miny = std::min(ext.miny, pi.env.miny);
    ext.maxx = std::max(ext.maxx, pi.env.maxx);
    ext.maxy = std::max(ext.maxy, pi.env.maxy);
  }
  if (ext.empty()) {
    out.stats.outside_extent = static_cast<std::int64_t>(n);
    return out;
  }

  // Absurd extents (spans that overflow) are left to the exact method.
  if (!std::isfinite((ext.maxx - ext.minx) * (ext.maxy - ext.miny))) return join_points_exact(x, y, polygons, rank);
  // Tiling of the polygons' extent (grown by the margin).
  const double d = k_join_margin_m;
  const double ox = ext.minx - d, oy = ext.miny - d;
  double tile = options.tile_m > 0 ? options.tile_m : 4096.0;
  double tiles_x = 0, tiles_y = 0;  // in double until known to be small (no overflow in casts)
  for (;;) {
    tiles_x = std::floor((ext.maxx + d - ox) / tile) + 1;
    tiles_y = std::floor((ext.maxy + d - oy) / tile) + 1;
    if (tiles_x * tiles_y <= static_cast<double>(k_max_tiles)) break;
    tile *= 2;
  }
  const auto ntx = static_cast<std::int64_t>(tiles_x), nty = static_cast<std::int64_t>(tiles_y);
  const auto tile_of = [&](double v, double o, std::int64_t count) {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor((v - o) / tile)), 0, count - 1);
  };

  // Bucket the points by tile (counting sort, stable: ascending index within a tile). A point
  // outside the envelope of every polygon is covered by none.
  std::vector<std::uint32_t> key(n);
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) {
          const double px = x[static_cast<Eigen::Index>(i)], py = y[static_cast<Eigen::Index>(i)];
          if (!(px >= ext.minx && px <= ext.maxx && py >= ext.miny && py <= ext.maxy)) {
            key[i] = k_no_tile;
            continue;
          }
          key[i] = static_cast<std::uint32_t>(tile_of(py, oy, nty) * ntx + tile_of(px, ox, ntx));
        }
      },
      65536);
  const auto tiles_total = static_cast<std::size_t>(ntx * nty);
  std::vector<std::uint32_t> start(tiles_total + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (key[i] != k_no_tile)
      ++start[key[i] + 1];
    else
      ++out.stats.outside_extent;
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::uint32_t> order(start.back());
  {
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
      if (key[i] != k_no_tile) order[fill[key[i]]++] = static_cast<std::uint32_t>(i);
  }
  std::vector<std::uint32_t>().swap(key);
  std::vector<std::uint32_t> occupied;
  for (std::size_t t = 0; t < tiles_total; ++t)
    if (start[t + 1] > start[t]) occupied.push_back(static_cast<std::uint32_t>(t));
  if (occupied.empty()) return out;

  // Polygons per occupied tile (CSR), by envelope grown by the margin.
  std::vector<std::int32_t> slot(tiles_total, -1);
  for (std::size_t k = 0; k < occupied.size(); ++k) slot[occupied[k]] = static_cast<std::int32_t>(k);
  std::vector<std::uint32_t> pstart(occupied.size() + 1, 0);
  const auto for_each_tile_of = [&](const Envelope& env, auto&& fn) {
    const std::int64_t tx0 = tile_of(env.minx - d, ox, ntx), tx1 = tile_of(env.maxx + d, ox, ntx);
    const std::int64_t ty0 = tile_of(env.miny - d, oy, nty), ty1 = tile_of(env.maxy + d, oy, nty);
    for (std::int64_t ty = ty0; ty <= ty1; ++ty)
      for (std::int64_t tx = tx0; tx <= tx1; ++tx) {
        const std::int32_t s = slot[static_cast<std::size_t>(ty * ntx + tx)];
        if (s >= 0) fn(static_cast<std::size_t>(s));
      }
  };
  for (const auto& pi : info)
    if (!pi.env.empty()) for_each_tile_of(pi.env, [&](std::size_t s) { ++pstart[s + 1]; });
  std::partial_sum(pstart.begin(), pstart.end(), pstart.begin());
  std::vector<std::uint32_t> plist(pstart.back());
  {
    std::vector<std::uint32_t> fill(pstart.begin(), pstart.end() - 1);
    for (std::size_t p = 0; p < info.size(); ++p)
      if (!info[p].env.empty())
        for_each_tile_of(info[p].env, [&](std::size_t s) { plist[fill[s]++] = static_cast<std::uint32_t>(p); });
  }

  const unsigned workers = std::max(1u, std::min<unsigned>(thread_count(), static_cast<unsigned>(occupied.size())));
  std::vector<PointJoinStats> stats(workers);
  std::vector<std::int64_t> overlaps(workers, 0);
  std::atomic<std::size_t> next{0};
  parallel_for(
      workers,
      [&](std::size_t, std::size_t, unsigned worker) {
        Scratch s;
        PointJoinStats& st = stats[worker];
        for (std::size_t k = next.fetch_add(1); k < occupied.size(); k = next.fetch_add(1)) {
          const std::uint32_t t = occupied[k];
          const std::uint32_t* pts = order.data() + start[t];
          const std::size_t npts = start[t + 1] - start[t];
          const std::uint32_t* polys = plist.data() + pstart[k];
          const std::size_t npolys = pstart[k + 1] - pstart[k];
          ++st.tiles;
          if (npolys == 0) {
            st.grid_points += static_cast<std::int64_t>(npts);
            continue;  // no polygon reaches this tile: −1 everywhere
          }
          TileGeometry g;
          g.x0 = ox + static_cast<double>(t % static_cast<std::uint32_t>(ntx)) * tile;
          g.y0 = oy + static_cast<double>(t / static_cast<std::uint32_t>(ntx)) * tile;
          double cell = options.cell_m;
          if (!(cell > 0)) {
            // Cost model (header): edge length in the tile ≈ perimeter × share of the envelope inside.
            double length = 0;
            for (std::size_t j = 0; j < npolys; ++j) {
              const PolygonInfo& pi = info[polys[j]];
              const double w = pi.env.maxx - pi.env.minx, h = pi.env.maxy - pi.env.miny;
              const double iw = std::min(pi.env.maxx, g.x0 + tile) - std::max(pi.env.minx, g.x0);
              const double ih = std::min(pi.env.maxy, g.y0 + tile) - std::max(pi.env.miny, g.y0);
              const double fx = w > 0 ? std::clamp(iw / w, 0.0, 1.0) : 1.0;
              const double fy = h > 0 ? std::clamp(ih / h, 0.0, 1.0) : 1.0;
              length += pi.perimeter_m * fx * fy;
            }
            length = std::max(length, tile);
            const double t4 = tile * tile * tile * tile;
            cell = std::cbrt(2.0 * t4 * options.cell_cost_ratio / (1.27 * static_cast<double>(npts) * length));
            cell = std::clamp(cell, k_min_cell_m, tile / 4.0);
          }
          g.side = static_cast<int>(std::clamp(std::ceil(tile / cell), 1.0, static_cast<double>(k_max_tile_side)));
          g.cell = tile / g.side;
          const std::size_t cells = static_cast<std::size_t>(g.side) * static_cast<std::size_t>(g.side);
          st.cells += static_cast<std::int64_t>(cells);
          s.state.assign(cells, 0);
          s.best.resize(cells);
          for (std::size_t j = 0; j < npolys; ++j)
            burn_polygon(g, polygons[polys[j]], static_cast<std::int32_t>(polys[j]), rank, s);

          // Points: the grid where the cell is clear of boundaries, GEOS elsewhere.
          std::optional<PolygonIndex> index;
          for (std::size_t j = 0; j < npts; ++j) {
            const std::uint32_t i = pts[j];
            const double px = x[static_cast<Eigen::Index>(i)], py = y[static_cast<Eigen::Index>(i)];
            const std::size_t cell_index = static_cast<std::size_t>(g.row(py) * g.side + g.col(px));
            const std::uint8_t state = s.state[cell_index];
            if ((state & k_boundary) == 0) {
              ++st.grid_points;
              const std::uint8_t count = state & k_count_mask;
              if (count == 0) continue;
              out.polygon[i] = s.best[cell_index];
              if (count > 1) ++overlaps[worker];
              continue;
            }
            ++st.exact_points;
            if (!index) {
              s.subset.clear();
              for (std::size_t q = 0; q < npolys; ++q) s.subset.push_back(polygons[polys[q]]);
              index.emplace(s.subset);
            }
            index->covering(px, py, s.hits);
            for (auto& h : s.hits) h = polys[h];
            if (s.hits.size() > 1) ++overlaps[worker];
            out.polygon[i] = lowest_rank(s.hits, rank);
          }
        }
      },
      1);
  for (unsigned w = 0; w < workers; ++w) {
    out.overlaps += overlaps[w];
    out.stats.tiles += stats[w].tiles;
    out.stats.cells += stats[w].cells;
    out.stats.grid_points += stats[w].grid_points;
    out.stats.exact_points += stats[w].exact_points;
  }
  return out;
}

}  // namespace infogap::detail
