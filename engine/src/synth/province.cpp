#include "synth/province.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <numeric>
#include <string>
#include <utility>

#include "adapters/geos/geometry_ops.hpp"
#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "synth/random.hpp"
#include "synth/utm.hpp"

namespace infogap::detail::synth {

const char* poverty_text(std::uint8_t code) noexcept {
  switch (code) {
    case k_poor:
      return "poor";
    case k_near_poor:
      return "near_poor";
    default:
      return "not_poor";
  }
}

std::string fixed_text(double v, int decimals) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  return std::string(buf, res.ptr);
}

void HouseholdBlock::reserve(std::size_t n) {
  x_m.reserve(n);
  y_m.reserve(n);
  lon.reserve(n);
  lat.reserve(n);
  poverty.reserve(n);
  members.reserve(n);
  internet.reserve(n);
  devices.reserve(n);
  hamlet.reserve(n);
  line_offset_m.reserve(n);
}

void HouseholdBlock::append(const HouseholdBlock& o) {
  auto cat = [](auto& a, const auto& b) { a.insert(a.end(), b.begin(), b.end()); };
  cat(x_m, o.x_m);
  cat(y_m, o.y_m);
  cat(lon, o.lon);
  cat(lat, o.lat);
  cat(poverty, o.poverty);
  cat(members, o.members);
  cat(internet, o.internet);
  cat(devices, o.devices);
  cat(hamlet, o.hamlet);
  cat(line_offset_m, o.line_offset_m);
}

namespace {

constexpr double k_pi = std::numbers::pi;
constexpr double k_poor_rate = 0.0509;       // Bạc Liêu, start of 2022 (DOMAIN.md)
constexpr double k_near_poor_rate = 0.0654;  // idem

[[noreturn]] void internal(const std::string& what) {
  throw Error(ErrorCode::internal, "synth: " + what);
}

// ---- small geometry helpers (metres) ---------------------------------------------------------

double seg_distance2(double px, double py, double ax, double ay, double bx, double by) {
  const double dx = bx - ax, dy = by - ay;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = ax + t * dx - px, ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

std::vector<XyPath> clip_lines(const Wkb& polygon, const std::vector<XyPath>& lines) {
  std::vector<XyPath> out;
  if (lines.empty()) return out;
  const Wkb clipped = intersection(polygon, multilinestring(lines));
  collect_lines(clipped, out);
  return out;
}

// Clips each line on its own (no noding at crossings: whole canals stay whole).
std::vector<XyPath> clip_each(const Wkb& polygon, const std::vector<XyPath>& lines) {
  std::vector<XyPath> out;
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  envelope(polygon, minx, miny, maxx, maxy);
  for (const XyPath& line : lines) {
    const auto [lx0, lx1] = std::minmax_element(line.x.begin(), line.x.end());
    const auto [ly0, ly1] = std::minmax_element(line.y.begin(), line.y.end());
    if (*lx1 < minx || *lx0 > maxx || *ly1 < miny || *ly0 > maxy) continue;
    const Wkb clipped = intersection(polygon, linestring(line.x, line.y));
    collect_lines(clipped, out);
  }
  return out;
}

// Parallel lines at angle `angle` (radians, from east), `spacing` apart, covering the envelope.
std::vector<XyPath> line_family(double minx, double miny, double maxx, double maxy, double angle, double spacing,
                              double phase, Rng& rng, double angle_jitter) {
  const double cx = (minx + maxx) / 2, cy = (miny + maxy) / 2;
  const double half = std::hypot(maxx - minx, maxy - miny) / 2 + spacing;
  std::vector<XyPath> out;
  const int k = static_cast<int>(std::ceil(half / spacing));
  for (int i = -k; i <= k; ++i) {
    const double a = angle + rng.normal(0.0, angle_jitter);
    const double ux = std::cos(a), uy = std::sin(a);
    const double nx = -std::sin(angle), ny = std::cos(angle);
    const double off = (i + phase) * spacing;
    const double px = cx + off * nx, py = cy + off * ny;
    XyPath p;
    p.x = {px - half * ux, px + half * ux};
    p.y = {py - half * uy, py + half * uy};
    out.push_back(std::move(p));
  }
  return out;
}

// Length-weighted sampling of a point (and the local direction) on a set of polylines.
class LineSampler {
 public:
  explicit LineSampler(const std::vector<XyPath>& paths) {
    for (const XyPath& p : paths)
      for (std::size_t i = 0; i + 1 < p.size(); ++i) {
        const double len = std::hypot(p.x[i + 1] - p.x[i], p.y[i + 1] - p.y[i]);
        if (len <= 1e-6) continue;
        m_ax.push_back(p.x[i]);
        m_ay.push_back(p.y[i]);
        m_bx.push_back(p.x[i + 1]);
        m_by.push_back(p.y[i + 1]);
        m_total += len;
        m_cum.push_back(m_total);
      }
  }
  bool empty() const noexcept { return m_cum.empty(); }
  double total() const noexcept { return m_total; }
  void sample(Rng& rng, double& x, double& y, double& ux, double& uy) const {
    const double r = rng.uniform() * m_total;
    std::size_t i = static_cast<std::size_t>(std::upper_bound(m_cum.begin(), m_cum.end(), r) - m_cum.begin());
    if (i >= m_cum.size()) i = m_cum.size() - 1;
    const double start = i == 0 ? 0.0 : m_cum[i - 1];
    const double len = m_cum[i] - start;
    const double t = std::clamp((r - start) / len, 0.0, 1.0);
    x = m_ax[i] + t * (m_bx[i] - m_ax[i]);
    y = m_ay[i] + t * (m_by[i] - m_ay[i]);
    ux = (m_bx[i] - m_ax[i]) / len;
    uy = (m_by[i] - m_ay[i]) / len;
  }

 private:
  std::vector<double> m_ax, m_ay, m_bx, m_by, m_cum;
  double m_total = 0;
};

// Random point inside a polygon (rejection in its envelope).
bool random_inside(const Wkb& polygon, const PolygonIndex& index, Rng& rng, double& x, double& y) {
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  envelope(polygon, minx, miny, maxx, maxy);
  std::vector<std::uint32_t> hits;
  for (int tries = 0; tries < 10000; ++tries) {
    x = rng.uniform(minx, maxx);
    y = rng.uniform(miny, maxy);
    index.covering(x, y, hits);
    if (!hits.empty()) return true;
  }
  return false;
}

// Integer allocation of `total` proportional to weights (largest remainder), each within [lo, hi].
std::vector<std::int64_t> allocate(std::int64_t total, const std::vector<double>& weights, std::int64_t lo,
                                   std::int64_t hi) {
  const std::size_t n = weights.size();
  std::vector<std::int64_t> out(n, 0);
  if (n == 0) return out;
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<double> ideal(n);
  std::int64_t assigned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ideal[i] =
        sum > 0 ? static_cast<double>(total) * weights[i] / sum : static_cast<double>(total) / static_cast<double>(n);
    out[i] = std::clamp(static_cast<std::int64_t>(std::floor(ideal[i])), lo, hi);
    assigned += out[i];
  }
  while (assigned != total) {
    const bool up = assigned < total;
    std::size_t best = n;
    double best_score = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      if (up ? out[i] >= hi : out[i] <= lo) continue;
      const double score = up ? ideal[i] - static_cast<double>(out[i]) : static_cast<double>(out[i]) - ideal[i];
      if (score > best_score) {
        best_score = score;
        best = i;
      }
    }
    if (best == n) internal("cannot allocate " + std::to_string(total) + " within bounds");
    out[best] += up ? 1 : -1;
    assigned += up ? 1 : -1;
  }
  return out;
}

// Indices of the k largest keys (ties broken by index), ascending by index.
std::vector<std::size_t> top_k(const std::vector<double>& keys, std::size_t k) {
  std::vector<std::size_t> idx(keys.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  k = std::min(k, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(),
                    [&](std::size_t a, std::size_t b) { return keys[a] != keys[b] ? keys[a] > keys[b] : a < b; });
  idx.resize(k);
  std::sort(idx.begin(), idx.end());
  return idx;
}

// ---- per-commune outputs -----------------------------------------------------------------------

struct SpeakerRow {
  std::string cluster_id;
  int horn = 0;
  double x = 0, y = 0, power_w = 0, sensitivity_db = 0, height_m = 0, azimuth_deg = 0, beamwidth_deg = 0;
  std::size_t hamlet = 0;
};

struct TeamRow {
  std::string id;
  bool commune_level = false;
  std::int64_t members = 0;
  double x = 0, y = 0;
  std::size_t hamlet = 0;
};

struct CandidateRow {
  std::string id, kind, type, name;
  double x = 0, y = 0;
  std::size_t hamlet = 0;
};

struct CommuneOut {
  HouseholdBlock households;
  std::vector<SpeakerRow> speakers;
  std::vector<TeamRow> teams;
  std::vector<CandidateRow> candidates;
  std::vector<XyPath> hamlet_roads;
};

struct Generator {
  const ProvinceSpec& spec;
  std::uint64_t seed;
  ProvinceData& data;
  std::vector<std::vector<XyPath>> district_canals;
  std::vector<double> district_angle;      // radians from east
  std::vector<XyPath> roads;                 // trunk roads clipped to the outline
  std::vector<std::vector<XyPath>> streets;  // per commune (urban only)
  std::vector<CommuneOut> outs;

  std::uint64_t stream(std::uint64_t purpose, std::uint64_t index) const { return stream_seed(seed, purpose, index); }

  void outline_and_districts();
  void communes();
  void commune_attributes();
  void canals();
  void commune_detail(std::size_t c);
  void households_of(std::size_t c, const PolygonIndex& index);
  void poverty_and_attributes(std::size_t c);
  void equipment(std::size_t c, const PolygonIndex& index);
  void assemble();
};

void Generator::outline_and_districts() {
  data.outline = polygon_from_ring(spec.outline.x, spec.outline.y);
  if (!is_valid(data.outline)) internal("the outline of " + spec.name + " is not a valid polygon");
  std::vector<double> ax, ay;
  std::vector<std::size_t> owner;
  for (std::size_t d = 0; d < spec.districts.size(); ++d)
    for (const auto& a : spec.districts[d].anchors) {
      ax.push_back(a[0]);
      ay.push_back(a[1]);
      owner.push_back(d);
    }
  const std::vector<Wkb> cells = voronoi_partition(data.outline, ax, ay);
  data.districts.resize(spec.districts.size());
  for (std::size_t d = 0; d < spec.districts.size(); ++d) {
    std::vector<Wkb> mine;
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (owner[i] == d) mine.push_back(cells[i]);
    data.districts[d] = mine.size() == 1 ? mine[0] : union_all(mine);
  }
}

// Places `n` free seeds inside `poly` (spread out), then Lloyd-relaxes them (fixed seeds stay).
void relax_seeds(const Wkb& poly, std::vector<double>& sx, std::vector<double>& sy, const std::vector<bool>& fixed,
                 Rng& rng, const std::string& where) {
  const std::size_t n = sx.size();
  if (n == 0) return;
  const PolygonIndex index({poly});
  const double dmin = 0.5 * std::sqrt(area(poly) / static_cast<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    if (fixed[i]) continue;
    double best_x = 0, best_y = 0, best_d = -1;
    for (int tries = 0; tries < 200; ++tries) {
      double x = 0, y = 0;
      if (!random_inside(poly, index, rng, x, y)) internal("cannot place a commune in " + where);
      double dn = std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < n; ++j)
        if (j < i || fixed[j]) dn = std::min(dn, std::hypot(x - sx[j], y - sy[j]));
      if (dn > best_d) {
        best_d = dn;
        best_x = x;
        best_y = y;
      }
      if (dn >= dmin) break;
    }
    sx[i] = best_x;
    sy[i] = best_y;
  }
  if (n == 1) return;
  for (int iter = 0; iter < 6; ++iter) {
    const std::vector<Wkb> cells = voronoi_partition(poly, sx, sy);
    for (std::size_t i = 0; i < n; ++i) {
      if (fixed[i]) continue;
      double cx = 0, cy = 0;
      centroid(cells[i], cx, cy);
      if (!covers_point(cells[i], cx, cy)) point_on_surface(cells[i], cx, cy);
      sx[i] = cx;
      sy[i] = cy;
    }
  }
}

void Generator::communes() {
  for (std::size_t d = 0; d < spec.districts.size(); ++d) {
    const DistrictSpec& ds = spec.districts[d];
    const Wkb& poly = data.districts[d];
    const PolygonIndex index({poly});
    Rng rng(stream(k_stream_communes, d));
    const std::size_t n = ds.communes.size();
    // Wards and towns: compact zones (roughened disks around their seats, ≈1.7 km for a phường,
    // ≈2.3 km for a thị trấn) shared out by Voronoi; rural communes partition the rest.
    std::vector<std::size_t> urban, rural;
    std::vector<Wkb> disks;
    std::vector<std::uint32_t> hits;
    for (std::size_t i = 0; i < n; ++i) {
      const CommuneSpec& cs = ds.communes[i];
      if (!(cs.fixed && is_urban(cs.type))) {
        rural.push_back(i);
        continue;
      }
      index.covering(cs.x, cs.y, hits);
      if (hits.empty()) internal("the seat of " + cs.name + " lies outside " + ds.name);
      urban.push_back(i);
      const double radius = cs.type == CommuneType::phuong ? 1700.0 : 2300.0;
      XyPath ring;
      for (int k = 0; k < 24; ++k) {
        const double a = 2 * k_pi * k / 24;
        const double r = radius * (1.0 + rng.uniform(-0.12, 0.12));
        ring.x.push_back(cs.x + r * std::cos(a));
        ring.y.push_back(cs.y + r * std::sin(a));
      }
      disks.push_back(polygon_from_ring(ring.x, ring.y));
    }
    std::vector<Wkb> cells(n);
    std::vector<double> sx(n), sy(n);
    Wkb rest = poly;
    if (!urban.empty() && !rural.empty()) {
      const Wkb zone = intersection(poly, union_all(disks));
      rest = difference(poly, zone);
      std::vector<double> ux, uy;
      for (std::size_t i : urban) {
        ux.push_back(ds.communes[i].x);
        uy.push_back(ds.communes[i].y);
      }
      const std::vector<Wkb> ucells = voronoi_partition(zone, ux, uy);
      for (std::size_t k = 0; k < urban.size(); ++k) {
        cells[urban[k]] = ucells[k];
        sx[urban[k]] = ux[k];
        sy[urban[k]] = uy[k];
      }
    } else {
      rural.clear();  // one Voronoi over the whole district
      for (std::size_t i = 0; i < n; ++i) rural.push_back(i);
    }
    std::vector<double> rx(rural.size()), ry(rural.size());
    std::vector<bool> rfixed(rural.size());
    for (std::size_t k = 0; k < rural.size(); ++k) {
      const CommuneSpec& cs = ds.communes[rural[k]];
      rfixed[k] = cs.fixed;
      rx[k] = cs.x;
      ry[k] = cs.y;
    }
    relax_seeds(rest, rx, ry, rfixed, rng, ds.name);
    const std::vector<Wkb> rcells = voronoi_partition(rest, rx, ry);
    for (std::size_t k = 0; k < rural.size(); ++k) {
      cells[rural[k]] = rcells[k];
      sx[rural[k]] = rx[k];
      sy[rural[k]] = ry[k];
    }
    for (std::size_t i = 0; i < n; ++i) {
      CommuneGeo g;
      g.district = d;
      g.spec = &ds.communes[i];
      g.polygon = cells[i];
      g.office_x = sx[i];
      g.office_y = sy[i];
      if (!covers_point(g.polygon, g.office_x, g.office_y)) internal("office outside commune " + g.spec->name);
      data.communes.push_back(std::move(g));
    }
  }
}

void Generator::commune_attributes() {
  // Coast segments of the outline.
  std::vector<std::array<double, 4>> coast;
  const std::size_t m = spec.outline.size();
  for (std::size_t i = 0; i < m; ++i)
    if (spec.coast[i]) {
      const std::size_t j = (i + 1) % m;
      coast.push_back({spec.outline.x[i], spec.outline.y[i], spec.outline.x[j], spec.outline.y[j]});
    }
  // District towns: the first fixed seat (or the first anchor).
  std::vector<std::array<double, 2>> towns;
  for (const DistrictSpec& d : spec.districts) {
    std::array<double, 2> t = d.anchors.front();
    for (const CommuneSpec& c : d.communes)
      if (c.fixed) {
        t = {c.x, c.y};
        break;
      }
    towns.push_back(t);
  }
  double max_remote = 1.0;
  for (CommuneGeo& c : data.communes) {
    c.area_m2 = area(c.polygon);
    std::vector<XyPath> rings;
    collect_rings(c.polygon, rings);
    double best = std::numeric_limits<double>::infinity();
    for (const XyPath& r : rings)
      for (std::size_t i = 0; i < r.size(); ++i)
        for (const auto& s : coast) best = std::min(best, seg_distance2(r.x[i], r.y[i], s[0], s[1], s[2], s[3]));
    c.coastal = best < 300.0 * 300.0;
    double dt = std::numeric_limits<double>::infinity();
    for (const auto& t : towns) dt = std::min(dt, std::hypot(c.office_x - t[0], c.office_y - t[1]));
    c.remoteness = dt;
    max_remote = std::max(max_remote, dt);
  }
  for (CommuneGeo& c : data.communes) c.remoteness /= max_remote;

  // Households per commune: wards ≈3,500, towns ≈4,000, rural communes by size; coastal ones sparser.
  Rng rng(stream(k_stream_communes, 1000));
  const std::size_t n = data.communes.size();
  double rural_area = 0;
  std::size_t rural = 0;
  for (const CommuneGeo& c : data.communes)
    if (!is_urban(c.spec->type)) {
      rural_area += c.area_m2;
      ++rural;
    }
  const double mean_rural_area = rural > 0 ? rural_area / static_cast<double>(rural) : 1.0;
  std::vector<double> w(n), poor(n), near(n);
  for (std::size_t i = 0; i < n; ++i) {
    const CommuneGeo& c = data.communes[i];
    double base = 0;
    switch (c.spec->type) {
      case CommuneType::phuong:
        base = 3500;
        break;
      case CommuneType::thi_tran:
        base = 4000;
        break;
      case CommuneType::xa:
        base = 3300 * std::pow(c.area_m2 / mean_rural_area, 0.6) * (c.coastal ? 0.85 : 1.0);
        break;
    }
    w[i] = base * std::exp(rng.normal(0.0, 0.2));
    // Poverty rates: lognormal scatter, higher on the coast and far from the towns, lower in wards.
    const double z1 = rng.normal(), z2 = rng.normal();
    const double factor = (c.coastal ? 1.5 : 1.0) * (1.0 + 0.8 * c.remoteness) * (is_urban(c.spec->type) ? 0.45 : 1.0);
    poor[i] = factor * std::exp(0.35 * z1);
    near[i] = (0.5 + 0.5 * factor) * std::exp(0.35 * (0.6 * z1 + 0.8 * z2));
  }
  const std::vector<std::int64_t> hh = allocate(spec.households, w, 0, spec.households);
  double sp = 0, sn = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sp += poor[i] * static_cast<double>(hh[i]);
    sn += near[i] * static_cast<double>(hh[i]);
  }
  const double total = static_cast<double>(std::max<std::int64_t>(spec.households, 1));
  for (std::size_t i = 0; i < n; ++i) {
    CommuneGeo& c = data.communes[i];
    c.households = hh[i];
    c.poor_rate = std::min(0.35, sp > 0 ? poor[i] * k_poor_rate * total / sp : k_poor_rate);
    c.near_poor_rate = std::min(0.35, sn > 0 ? near[i] * k_near_poor_rate * total / sn : k_near_poor_rate);
  }

  // Hamlets per commune: exact total, 4–16 each, more in big and populous communes.
  std::vector<double> hw(n);
  for (std::size_t i = 0; i < n; ++i)
    hw[i] = std::sqrt(std::max<double>(1.0, static_cast<double>(hh[i]))) * std::sqrt(data.communes[i].area_m2);
  const std::vector<std::int64_t> nh = allocate(spec.hamlets_total, hw, 4, 16);
  std::size_t first = 0;
  for (std::size_t i = 0; i < n; ++i) {
    data.communes[i].first_hamlet = first;
    data.communes[i].hamlet_count = static_cast<std::size_t>(nh[i]);
    first += static_cast<std::size_t>(nh[i]);
  }
  data.hamlets.resize(first);
}

void Generator::canals() {
  const double base = spec.canal_angle_deg * k_pi / 180.0;
  district_canals.resize(spec.districts.size());
  district_angle.resize(spec.districts.size());
  for (std::size_t d = 0; d < spec.districts.size(); ++d) {
    Rng rng(stream(k_stream_canals, d));
    const double angle = base + rng.normal(0.0, 8.0) * k_pi / 180.0;
    district_angle[d] = angle;
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    envelope(data.districts[d], minx, miny, maxx, maxy);
    std::vector<XyPath> lines =
        line_family(minx, miny, maxx, maxy, angle, rng.uniform(1300.0, 1900.0), rng.uniform(), rng, 1.5 * k_pi / 180.0);
    std::vector<XyPath> cross = line_family(minx, miny, maxx, maxy, angle + k_pi / 2, rng.uniform(2600.0, 3800.0),
                                          rng.uniform(), rng, 2.0 * k_pi / 180.0);
    lines.insert(lines.end(), cross.begin(), cross.end());
    district_canals[d] = clip_each(data.districts[d], lines);
  }
  // Trunk roads: wiggled (midpoint displacement, ±150 m), clipped to the province.
  Rng rng(stream(k_stream_canals, 999));
  std::vector<XyPath> wiggled;
  for (const XyPath& road : spec.trunk_roads) {
    XyPath p = road;
    for (int level = 0; level < 4; ++level) {
      XyPath q;
      for (std::size_t i = 0; i + 1 < p.size(); ++i) {
        const double dx = p.x[i + 1] - p.x[i], dy = p.y[i + 1] - p.y[i];
        const double len = std::hypot(dx, dy);
        const double off = len > 0 ? rng.uniform(-1.0, 1.0) * std::min(150.0, 0.05 * len) : 0.0;
        q.x.push_back(p.x[i]);
        q.y.push_back(p.y[i]);
        if (len > 0) {
          q.x.push_back((p.x[i] + p.x[i + 1]) / 2 - dy / len * off);
          q.y.push_back((p.y[i] + p.y[i + 1]) / 2 + dx / len * off);
        }
      }
      q.x.push_back(p.x.back());
      q.y.push_back(p.y.back());
      p = std::move(q);
    }
    wiggled.push_back(std::move(p));
  }
  roads = clip_each(data.outline, wiggled);
  // Street grids (≈220 m) in wards and towns.
  streets.resize(data.communes.size());
  for (std::size_t c = 0; c < data.communes.size(); ++c) {
    const CommuneGeo& g = data.communes[c];
    if (!is_urban(g.spec->type)) continue;
    Rng srng(stream(k_stream_canals, 2000 + c));
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    envelope(g.polygon, minx, miny, maxx, maxy);
    const double angle = district_angle[g.district];
    std::vector<XyPath> grid = line_family(minx, miny, maxx, maxy, angle, 220.0, srng.uniform(), srng, 0.0);
    std::vector<XyPath> cross = line_family(minx, miny, maxx, maxy, angle + k_pi / 2, 220.0, srng.uniform(), srng, 0.0);
    grid.insert(grid.end(), cross.begin(), cross.end());
    streets[c] = clip_each(g.polygon, grid);
  }
}

void Generator::commune_detail(std::size_t c) {
  CommuneGeo& g = data.communes[c];
  const CommuneSpec& cs = *g.spec;
  Rng rng(stream(k_stream_hamlets, c));
  // Lines of the commune: its district's canals, trunk roads and (wards, towns) streets.
  std::vector<XyPath> all = district_canals[g.district];
  all.insert(all.end(), roads.begin(), roads.end());
  all.insert(all.end(), streets[c].begin(), streets[c].end());
  g.lines = clip_lines(g.polygon, all);

  // Hamlet seeds: the commune office first, then points on canals and roads, spread out.
  const std::size_t n = g.hamlet_count;
  const PolygonIndex commune_index({g.polygon});
  std::vector<double> sx = {g.office_x}, sy = {g.office_y};
  const LineSampler sampler(g.lines);
  double dmin = 0.6 * std::sqrt(g.area_m2 / static_cast<double>(n));
  std::vector<std::uint32_t> hits;
  while (sx.size() < n) {
    bool placed = false;
    for (int tries = 0; tries < 300 && !placed; ++tries) {
      double x = 0, y = 0, ux = 0, uy = 0;
      if (!sampler.empty() && tries < 250) {
        sampler.sample(rng, x, y, ux, uy);
      } else if (!random_inside(g.polygon, commune_index, rng, x, y)) {
        internal("cannot place a hamlet in " + cs.name);
      }
      commune_index.covering(x, y, hits);
      if (hits.empty()) continue;
      double dn = std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < sx.size(); ++j) dn = std::min(dn, std::hypot(x - sx[j], y - sy[j]));
      if (dn < dmin) continue;
      sx.push_back(x);
      sy.push_back(y);
      placed = true;
    }
    if (!placed) dmin *= 0.8;
  }
  // Number hamlets 2..n from north to south (then west to east); the office hamlet is number 1.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin() + 1, order.end(),
            [&](std::size_t a, std::size_t b) { return sy[a] != sy[b] ? sy[a] > sy[b] : sx[a] < sx[b]; });
  std::vector<double> ox(n), oy(n);
  for (std::size_t k = 0; k < n; ++k) {
    ox[k] = sx[order[k]];
    oy[k] = sy[order[k]];
  }
  const std::vector<Wkb> cells = voronoi_partition(g.polygon, ox, oy);
  CommuneOut& out = outs[c];
  double mean_area = g.area_m2 / static_cast<double>(n);
  std::vector<double> hw(n);
  for (std::size_t k = 0; k < n; ++k) {
    HamletGeo& h = data.hamlets[g.first_hamlet + k];
    h.commune = c;
    h.number = static_cast<int>(k + 1);
    char id[32];
    std::snprintf(id, sizeof id, "%s-%02d", cs.code.c_str(), h.number);
    h.id = id;
    h.polygon = as_multipolygon(cells[k]);
    h.area_m2 = area(h.polygon);
    h.centre_x = ox[k];
    h.centre_y = oy[k];
    h.lines = clip_lines(h.polygon, g.lines);
    // The hamlet road through its centre, across the main canals.
    const double a = district_angle[g.district] + k_pi / 2 + rng.normal(0.0, 0.25);
    const double half = 0.5 * std::sqrt(h.area_m2);
    XyPath road;
    road.x = {h.centre_x - half * std::cos(a), h.centre_x + half * std::cos(a)};
    road.y = {h.centre_y - half * std::sin(a), h.centre_y + half * std::sin(a)};
    std::vector<XyPath> clipped = clip_lines(h.polygon, {road});
    out.hamlet_roads.insert(out.hamlet_roads.end(), clipped.begin(), clipped.end());
    h.lines.insert(h.lines.end(), clipped.begin(), clipped.end());
    hw[k] = (0.4 + 0.6 * h.area_m2 / mean_area) * std::exp(rng.normal(0.0, 0.25));
  }
  const std::vector<std::int64_t> hh = allocate(g.households, hw, 0, g.households);
  for (std::size_t k = 0; k < n; ++k) data.hamlets[g.first_hamlet + k].households = hh[k];

  std::vector<Wkb> polys;
  for (std::size_t k = 0; k < n; ++k) polys.push_back(data.hamlets[g.first_hamlet + k].polygon);
  const PolygonIndex index(polys);
  households_of(c, index);
  poverty_and_attributes(c);
  equipment(c, index);
}

void Generator::households_of(std::size_t c, const PolygonIndex& index) {
  const CommuneGeo& g = data.communes[c];
  const bool urban = is_urban(g.spec->type);
  HouseholdBlock& hb = outs[c].households;
  hb.reserve(static_cast<std::size_t>(g.households));
  std::vector<std::uint32_t> hits;
  for (std::size_t k = 0; k < g.hamlet_count; ++k) {
    const std::size_t hi = g.first_hamlet + k;
    const HamletGeo& h = data.hamlets[hi];
    Rng rng(stream(k_stream_households, spec.salt * 1000003ULL + hi));
    const LineSampler sampler(h.lines);
    const double sigma = std::max(250.0, 0.35 * std::sqrt(h.area_m2));
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    envelope(h.polygon, minx, miny, maxx, maxy);
    for (std::int64_t i = 0; i < h.households; ++i) {
      double qx = 0, qy = 0, lon = 0, lat = 0, offset = -1;
      bool ok = false;
      auto accept = [&](double x, double y) {
        utm_inverse(x, y, lon, lat);
        lon = std::round(lon * 1e6) / 1e6;
        lat = std::round(lat * 1e6) / 1e6;
        utm_forward(lon, lat, qx, qy);
        index.covering(qx, qy, hits);
        return std::find(hits.begin(), hits.end(), static_cast<std::uint32_t>(k)) != hits.end();
      };
      for (int tries = 0; tries < 60 && !ok && !sampler.empty(); ++tries) {
        double px = 0, py = 0, ux = 0, uy = 0;
        sampler.sample(rng, px, py, ux, uy);
        // Settlement clusters around the hamlet centre, thinner further out.
        const double d2 = (px - h.centre_x) * (px - h.centre_x) + (py - h.centre_y) * (py - h.centre_y);
        if (rng.uniform() > 0.2 + 0.8 * std::exp(-d2 / (2 * sigma * sigma))) continue;
        double r = 0;
        if (urban) {
          r = rng.uniform(8.0, 60.0);
        } else {
          const double u = rng.uniform();
          r = u < 0.80 ? rng.uniform(50.0, 150.0) : u < 0.92 ? rng.uniform(15.0, 50.0) : rng.uniform(150.0, 600.0);
        }
        const double side = rng.bernoulli(0.5) ? 1.0 : -1.0;
        if (accept(px - side * r * uy, py + side * r * ux)) {
          ok = true;
          offset = r;
        }
      }
      for (int tries = 0; tries < 100000 && !ok; ++tries) ok = accept(rng.uniform(minx, maxx), rng.uniform(miny, maxy));
      if (!ok) internal("cannot place a household in hamlet " + h.id);
      hb.x_m.push_back(qx);
      hb.y_m.push_back(qy);
      hb.lon.push_back(lon);
      hb.lat.push_back(lat);
      hb.hamlet.push_back(static_cast<std::uint32_t>(hi));
      hb.line_offset_m.push_back(static_cast<float>(offset));
    }
  }
}

void Generator::poverty_and_attributes(std::size_t c) {
  const CommuneGeo& g = data.communes[c];
  HouseholdBlock& hb = outs[c].households;
  const std::size_t n = hb.size();
  hb.poverty.assign(n, k_not_poor);
  Rng rng(stream(k_stream_poverty, spec.salt * 1000003ULL + c));
  // Exact counts per commune; the poor are more likely far from the commune office and off the
  // canals (Efraimidis–Spirakis weighted sampling without replacement).
  const auto k_poor_n = static_cast<std::size_t>(std::llround(g.poor_rate * static_cast<double>(n)));
  const auto k_near_n = static_cast<std::size_t>(std::llround(g.near_poor_rate * static_cast<double>(n)));
  double dmax = 1.0;
  std::vector<double> dist(n);
  for (std::size_t i = 0; i < n; ++i) {
    dist[i] = std::hypot(hb.x_m[i] - g.office_x, hb.y_m[i] - g.office_y);
    dmax = std::max(dmax, dist[i]);
  }
  std::vector<double> keys(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double w =
        1.0 + 1.5 * dist[i] / dmax + (hb.line_offset_m[i] > 150.0f || hb.line_offset_m[i] < 0.0f ? 1.0 : 0.0);
    double u = rng.uniform();
    while (u <= 0.0) u = rng.uniform();
    keys[i] = std::log(u) / w;
  }
  for (std::size_t i : top_k(keys, k_poor_n)) hb.poverty[i] = k_poor;
  for (std::size_t i = 0; i < n; ++i) {
    double u = rng.uniform();
    while (u <= 0.0) u = rng.uniform();
    keys[i] =
        hb.poverty[i] == k_poor ? -std::numeric_limits<double>::infinity() : std::log(u) / (1.0 + 0.8 * dist[i] / dmax);
  }
  for (std::size_t i : top_k(keys, std::min(k_near_n, n - k_poor_n))) hb.poverty[i] = k_near_poor;

  // Members, internet use, information devices (TV, radio, computer, smartphone).
  Rng arng(stream(k_stream_attributes, spec.salt * 1000003ULL + c));
  const bool urban = is_urban(g.spec->type);
  static const std::vector<double> k_members = {0.04, 0.10, 0.18, 0.26, 0.20, 0.12, 0.06, 0.03, 0.01};
  hb.members.resize(n);
  hb.internet.resize(n);
  hb.devices.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t p = hb.poverty[i];
    hb.members[i] = static_cast<std::uint8_t>(arng.choose(k_members) + 1);
    const double p_internet = p == k_poor ? 0.30 : p == k_near_poor ? 0.50 : urban ? 0.86 : 0.72;
    const bool internet = arng.bernoulli(p_internet);
    const bool phone = arng.bernoulli(internet ? 0.95 : 0.15);
    const bool tv = arng.bernoulli(p == k_poor ? 0.62 : p == k_near_poor ? 0.78 : 0.92);
    const bool radio = arng.bernoulli(p == k_poor ? 0.08 : 0.10);
    const bool computer = arng.bernoulli(p == k_poor ? 0.01 : p == k_near_poor ? 0.04 : urban ? 0.30 : 0.10);
    hb.internet[i] = internet ? 1 : 0;
    hb.devices[i] = static_cast<std::uint8_t>(int{phone} + int{tv} + int{radio} + int{computer});
  }
}

void Generator::equipment(std::size_t c, const PolygonIndex& index) {
  CommuneGeo& g = data.communes[c];
  const CommuneSpec& cs = *g.spec;
  CommuneOut& out = outs[c];
  const HouseholdBlock& hb = out.households;
  Rng rng(stream(k_stream_speakers, spec.salt * 1000003ULL + c));
  const std::size_t n = g.hamlet_count;
  std::vector<std::uint32_t> hits;
  auto inside = [&](std::size_t k, double x, double y) {
    index.covering(x, y, hits);
    return std::find(hits.begin(), hits.end(), static_cast<std::uint32_t>(k)) != hits.end();
  };
  // Households of each hamlet (indices into the commune block).
  std::vector<std::vector<std::size_t>> members_of(n);
  for (std::size_t i = 0; i < hb.size(); ++i) members_of[hb.hamlet[i] - g.first_hamlet].push_back(i);

  // Clusters: 10–16 in a rural commune, fewer in wards and towns; some hamlets get none.
  std::int64_t clusters = 0;
  switch (cs.type) {
    case CommuneType::xa:
      clusters = rng.integer(10, 16);
      break;
    case CommuneType::phuong:
      clusters = rng.integer(3, 6);
      break;
    case CommuneType::thi_tran:
      clusters = rng.integer(5, 9);
      break;
  }
  double dmax = 1.0;
  for (std::size_t k = 0; k < n; ++k) {
    const HamletGeo& h = data.hamlets[g.first_hamlet + k];
    dmax = std::max(dmax, std::hypot(h.centre_x - g.office_x, h.centre_y - g.office_y));
  }
  std::vector<std::size_t> with;  // hamlets that will get a cluster at their centre (office hamlet first)
  with.push_back(0);
  std::vector<std::size_t> rest;
  for (std::size_t k = 1; k < n; ++k) {
    const HamletGeo& h = data.hamlets[g.first_hamlet + k];
    const double far = std::hypot(h.centre_x - g.office_x, h.centre_y - g.office_y) / dmax;
    if (rng.bernoulli(0.10 + 0.25 * far)) continue;  // deliberately left without a loudspeaker
    rest.push_back(k);
  }
  for (std::size_t k = rest.size(); k > 1; --k) std::swap(rest[k - 1], rest[rng.below(k)]);
  for (std::size_t k : rest)
    if (static_cast<std::int64_t>(with.size()) < clusters) with.push_back(k);
  for (std::size_t k = 0; k < n; ++k) data.hamlets[g.first_hamlet + k].has_speaker = false;
  for (std::size_t k : with) data.hamlets[g.first_hamlet + k].has_speaker = true;

  std::vector<std::array<double, 3>> sites;  // x, y, hamlet (local)
  for (std::size_t k : with) {
    const HamletGeo& h = data.hamlets[g.first_hamlet + k];
    double x = h.centre_x, y = h.centre_y;
    if (k == 0) {
      x = g.office_x;
      y = g.office_y;
    }
    const double a = rng.uniform(0.0, 2 * k_pi), r = rng.uniform(5.0, 30.0);
    if (inside(k, x + r * std::cos(a), y + r * std::sin(a))) {
      x += r * std::cos(a);
      y += r * std::sin(a);
    }
    sites.push_back({x, y, static_cast<double>(k)});
  }
  // More clusters along the roads of hamlets that have one, ≥ 350 m from the others when possible.
  std::vector<double> hw;
  for (std::size_t k : with) hw.push_back(static_cast<double>(members_of[k].size()));
  const bool any_households = std::any_of(hw.begin(), hw.end(), [](double v) { return v > 0; });
  while (static_cast<std::int64_t>(sites.size()) < clusters && any_households) {
    std::array<double, 3> best{};
    double best_d = -1;
    for (int tries = 0; tries < 60; ++tries) {
      const std::size_t k = with[rng.choose(hw)];
      const auto& mem = members_of[k];
      if (mem.empty()) continue;
      const std::size_t i = mem[rng.below(mem.size())];
      double dn = std::numeric_limits<double>::infinity();
      for (const auto& s : sites) dn = std::min(dn, std::hypot(hb.x_m[i] - s[0], hb.y_m[i] - s[1]));
      if (dn > best_d) {
        best_d = dn;
        best = {hb.x_m[i], hb.y_m[i], static_cast<double>(k)};
      }
      if (dn >= 350.0) break;
    }
    sites.push_back(best);
  }
  // Horns: mostly 2 per cluster pointing both ways along the canals.
  const double along = 90.0 - district_angle[g.district] * 180.0 / k_pi;  // compass bearing
  for (std::size_t s = 0; s < sites.size(); ++s) {
    char id[40];
    std::snprintf(id, sizeof id, "L-%s-%02zu", cs.code.c_str(), s + 1);
    const int horns = static_cast<int>(rng.choose({0.04, 0.86, 0.04, 0.06})) + 1;
    const double power = std::array<double, 3>{25, 30, 50}[rng.choose({0.25, 0.5, 0.25})];
    const double sens = std::array<double, 3>{108, 110, 112}[rng.choose({0.25, 0.45, 0.3})];
    const double height = 6.0 + 0.5 * static_cast<double>(rng.integer(0, 12));
    const double beam = std::array<double, 3>{60, 90, 120}[rng.choose({0.3, 0.6, 0.1})];
    const double az0 = along + rng.normal(0.0, 12.0);
    for (int k = 0; k < horns; ++k) {
      SpeakerRow row;
      row.cluster_id = id;
      row.horn = k + 1;
      row.x = sites[s][0];
      row.y = sites[s][1];
      row.power_w = power;
      row.sensitivity_db = sens;
      row.height_m = height;
      double az = std::fmod(az0 + 360.0 * k / horns, 360.0);
      if (az < 0) az += 360.0;
      row.azimuth_deg = std::round(az * 10.0) / 10.0;
      row.beamwidth_deg = beam;
      row.hamlet = g.first_hamlet + static_cast<std::size_t>(sites[s][2]);
      out.speakers.push_back(std::move(row));
    }
  }

  // Teams: one at the commune office, one per hamlet at its centre (cultural house).
  Rng trng(stream(k_stream_teams, spec.salt * 1000003ULL + c));
  {
    TeamRow t;
    t.id = "T-" + cs.code;
    t.commune_level = true;
    t.members = trng.integer(8, 12);
    t.x = g.office_x;
    t.y = g.office_y;
    t.hamlet = g.first_hamlet;
    out.teams.push_back(std::move(t));
  }
  for (std::size_t k = 0; k < n; ++k) {
    const HamletGeo& h = data.hamlets[g.first_hamlet + k];
    TeamRow t;
    t.id = "T-" + h.id;
    t.members = trng.integer(5, 9);
    t.x = h.centre_x;
    t.y = h.centre_y;
    const double a = trng.uniform(0.0, 2 * k_pi), r = trng.uniform(10.0, 40.0);
    if (inside(k, t.x + r * std::cos(a), t.y + r * std::sin(a))) {
      t.x += r * std::cos(a);
      t.y += r * std::sin(a);
    }
    t.hamlet = g.first_hamlet + k;
    out.teams.push_back(std::move(t));
  }

  // Candidate sites: centres of hamlets without a cluster (any), cultural houses (speaker),
  // schools (team).
  Rng crng(stream(k_stream_candidates, spec.salt * 1000003ULL + c));
  const char* hamlet_word = is_urban(cs.type) ? "Khóm" : "Ấp";
  int number = 0;
  auto add = [&](const char* kind, const char* type, const std::string& name, double x, double y, std::size_t k) {
    CandidateRow row;
    char id[40];
    std::snprintf(id, sizeof id, "D-%s-%02d", cs.code.c_str(), ++number);
    row.id = id;
    row.kind = kind;
    row.type = type;
    row.name = name;
    row.x = x;
    row.y = y;
    row.hamlet = g.first_hamlet + k;
    out.candidates.push_back(std::move(row));
  };
  for (std::size_t k = 0; k < n; ++k) {
    const HamletGeo& h = data.hamlets[g.first_hamlet + k];
    const std::string label = std::string(hamlet_word) + " " + std::to_string(h.number);
    if (!h.has_speaker) add("any", "hamlet_centre", "Trung tâm " + label, h.centre_x, h.centre_y, k);
    if (!members_of[k].empty() && crng.bernoulli(0.5)) {
      const std::size_t i = members_of[k][crng.below(members_of[k].size())];
      add("speaker", "cultural_house", "Nhà văn hóa " + label, hb.x_m[i], hb.y_m[i], k);
    }
  }
  if (hb.size() > 0) {
    const std::int64_t schools = crng.integer(2, 4);
    for (std::int64_t s = 0; s < schools; ++s) {
      const std::size_t i = static_cast<std::size_t>(crng.below(hb.size()));
      add("team", "school", "Trường học " + std::to_string(s + 1) + " – " + cs.name, hb.x_m[i], hb.y_m[i],
          hb.hamlet[i] - g.first_hamlet);
    }
  }
}

void Generator::assemble() {
  // Households in commune order.
  std::size_t total = 0;
  for (const CommuneOut& o : outs) total += o.households.size();
  data.households.reserve(total);
  for (const CommuneOut& o : outs) data.households.append(o.households);

  // Teams: exact total of members (province scale): ±1 on random hamlet teams within 3–11.
  std::vector<TeamRow*> teams;
  for (CommuneOut& o : outs)
    for (TeamRow& t : o.teams) teams.push_back(&t);
  if (spec.team_members_total > 0) {
    Rng rng(stream(k_stream_teams, 999999));
    std::int64_t sum = 0;
    for (const TeamRow* t : teams) sum += t->members;
    std::size_t guard = 0;
    while (sum != spec.team_members_total && guard++ < 10000000) {
      TeamRow& t = *teams[rng.below(teams.size())];
      if (t.commune_level) continue;
      if (sum > spec.team_members_total && t.members > 3) {
        --t.members;
        --sum;
      } else if (sum < spec.team_members_total && t.members < 11) {
        ++t.members;
        ++sum;
      }
    }
    if (sum != spec.team_members_total) internal("cannot reach the team member total");
  }

  auto group = [&](std::size_t hamlet, std::vector<std::string>& commune, std::vector<std::string>& district) {
    const CommuneGeo& g = data.communes[data.hamlets[hamlet].commune];
    commune.push_back(g.spec->name);
    district.push_back(spec.districts[g.district].name);
  };

  {  // hamlets
    Table& t = data.hamlets_table;
    std::vector<std::string> id, name, commune, type, district, unit;
    t.geometry_kind = GeometryKind::multipolygon;
    for (const HamletGeo& h : data.hamlets) {
      const CommuneGeo& g = data.communes[h.commune];
      id.push_back(h.id);
      name.push_back(std::string(is_urban(g.spec->type) ? "Khóm " : "Ấp ") + std::to_string(h.number));
      commune.push_back(g.spec->name);
      type.push_back(to_text(g.spec->type));
      district.push_back(spec.districts[g.district].name);
      unit.push_back(g.spec->commune_2025);
      t.wkb.push_back(h.polygon);
    }
    t.add_text("hamlet_id", std::move(id));
    t.add_text("name", std::move(name));
    t.add_text("commune", std::move(commune));
    t.add_text("commune_type", std::move(type));
    t.add_text("district", std::move(district));
    t.add_text("commune_2025", std::move(unit));
  }
  {  // speakers (one row per horn)
    Table& t = data.speakers;
    t.geometry_kind = GeometryKind::point;
    std::vector<std::string> id, cluster, hamlet, commune, district;
    std::vector<double> power, sens, height, az, beam;
    for (const CommuneOut& o : outs)
      for (const SpeakerRow& s : o.speakers) {
        id.push_back(s.cluster_id + "-" + std::to_string(s.horn));
        cluster.push_back(s.cluster_id);
        power.push_back(s.power_w);
        sens.push_back(s.sensitivity_db);
        height.push_back(s.height_m);
        az.push_back(s.azimuth_deg);
        beam.push_back(s.beamwidth_deg);
        hamlet.push_back(data.hamlets[s.hamlet].id);
        group(s.hamlet, commune, district);
        t.wkb.push_back(point_wkb(s.x, s.y));
      }
    t.add_text("speaker_id", std::move(id));
    t.add_text("cluster_id", std::move(cluster));
    t.add_real("power_w", std::move(power));
    t.add_real("sensitivity_db", std::move(sens));
    t.add_real("height_m", std::move(height));
    t.add_real("azimuth_deg", std::move(az));
    t.add_real("beamwidth_deg", std::move(beam));
    t.add_text("hamlet_id", std::move(hamlet));
    t.add_text("commune", std::move(commune));
    t.add_text("district", std::move(district));
  }
  {  // teams
    Table& t = data.teams;
    t.geometry_kind = GeometryKind::point;
    std::vector<std::string> id, level, hamlet, commune, district;
    std::vector<std::int64_t> members;
    for (const TeamRow* r : teams) {
      id.push_back(r->id);
      level.push_back(r->commune_level ? "commune" : "hamlet");
      members.push_back(r->members);
      hamlet.push_back(r->commune_level ? std::string() : data.hamlets[r->hamlet].id);
      group(r->hamlet, commune, district);
      t.wkb.push_back(point_wkb(r->x, r->y));
    }
    std::vector<bool> null(hamlet.size());
    for (std::size_t i = 0; i < hamlet.size(); ++i) null[i] = hamlet[i].empty();
    t.add_text("team_id", std::move(id));
    t.add_text("level", std::move(level));
    t.add_integer("members", std::move(members));
    t.add_text("hamlet_id", std::move(hamlet), std::move(null));
    t.add_text("commune", std::move(commune));
    t.add_text("district", std::move(district));
  }
  {  // candidates
    Table& t = data.candidates;
    t.geometry_kind = GeometryKind::point;
    std::vector<std::string> id, kind, type, name, hamlet, commune, district;
    for (const CommuneOut& o : outs)
      for (const CandidateRow& r : o.candidates) {
        id.push_back(r.id);
        kind.push_back(r.kind);
        type.push_back(r.type);
        name.push_back(r.name);
        hamlet.push_back(data.hamlets[r.hamlet].id);
        group(r.hamlet, commune, district);
        t.wkb.push_back(point_wkb(r.x, r.y));
      }
    t.add_text("candidate_id", std::move(id));
    t.add_text("kind", std::move(kind));
    t.add_text("type", std::move(type));
    t.add_text("name", std::move(name));
    t.add_text("hamlet_id", std::move(hamlet));
    t.add_text("commune", std::move(commune));
    t.add_text("district", std::move(district));
  }
  {  // canals, roads, streets (context)
    Table& t = data.canals;
    t.geometry_kind = GeometryKind::linestring;
    std::vector<std::string> kind;
    auto push = [&](const XyPath& p, const char* k) {
      if (p.size() < 2) return;
      kind.push_back(k);
      t.wkb.push_back(linestring(p.x, p.y));
    };
    for (const auto& lines : district_canals)
      for (const XyPath& p : lines) push(p, "canal");
    for (const XyPath& p : roads) push(p, "road");
    for (const auto& lines : streets)
      for (const XyPath& p : lines) push(p, "street");
    for (const CommuneOut& o : outs)
      for (const XyPath& p : o.hamlet_roads) push(p, "hamlet_road");
    std::vector<std::int64_t> id(kind.size());
    std::iota(id.begin(), id.end(), std::int64_t{1});
    t.add_integer("line_id", std::move(id));
    t.add_text("kind", std::move(kind));
  }
  {  // communes (context)
    Table& t = data.communes_table;
    t.geometry_kind = GeometryKind::multipolygon;
    std::vector<std::string> code, name, type, district, unit;
    std::vector<std::int64_t> coastal, hamlets, households;
    std::vector<double> office_x, office_y;
    for (const CommuneGeo& g : data.communes) {
      code.push_back(g.spec->code);
      name.push_back(g.spec->name);
      type.push_back(to_text(g.spec->type));
      district.push_back(spec.districts[g.district].name);
      unit.push_back(g.spec->commune_2025);
      coastal.push_back(g.coastal ? 1 : 0);
      hamlets.push_back(static_cast<std::int64_t>(g.hamlet_count));
      households.push_back(g.households);
      office_x.push_back(g.office_x);
      office_y.push_back(g.office_y);
      t.wkb.push_back(as_multipolygon(g.polygon));
    }
    t.add_text("commune_code", std::move(code));
    t.add_text("commune", std::move(name));
    t.add_text("commune_type", std::move(type));
    t.add_text("district", std::move(district));
    t.add_text("commune_2025", std::move(unit));
    t.add_integer("coastal", std::move(coastal));
    t.add_integer("hamlets", std::move(hamlets));
    t.add_integer("households", std::move(households));
    t.add_real("office_x", std::move(office_x));
    t.add_real("office_y", std::move(office_y));
  }
  {  // districts (context)
    Table& t = data.districts_table;
    t.geometry_kind = GeometryKind::multipolygon;
    std::vector<std::string> name;
    std::vector<std::int64_t> communes;
    for (std::size_t d = 0; d < spec.districts.size(); ++d) {
      name.push_back(spec.districts[d].name);
      communes.push_back(static_cast<std::int64_t>(spec.districts[d].communes.size()));
      t.wkb.push_back(as_multipolygon(data.districts[d]));
    }
    t.add_text("district", std::move(name));
    t.add_integer("communes", std::move(communes));
  }
}

}  // namespace

ProvinceData generate_province(const ProvinceSpec& spec, std::uint64_t seed, bool parallel) {
  ProvinceData data;
  data.spec = &spec;
  const std::uint64_t province_seed = spec.salt == 0 ? seed : stream_seed(seed, k_stream_national, spec.salt);
  Generator gen{spec, province_seed, data, {}, {}, {}, {}, {}};
  gen.outline_and_districts();
  gen.communes();
  gen.commune_attributes();
  gen.canals();
  gen.outs.resize(data.communes.size());
  const std::size_t n = data.communes.size();
  if (parallel) {
    parallel_for(
        n,
        [&gen](std::size_t begin, std::size_t end, unsigned) {
          for (std::size_t c = begin; c < end; ++c) gen.commune_detail(c);
        },
        1);
  } else {
    for (std::size_t c = 0; c < n; ++c) gen.commune_detail(c);
  }
  gen.assemble();
  return data;
}

}  // namespace infogap::detail::synth
