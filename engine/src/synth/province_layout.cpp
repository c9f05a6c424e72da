// Synthetic province, layout: outline, districts, communes, commune attributes, canals and roads.
#include "synth/generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "adapters/geos/geometry_ops.hpp"
#include "synth/geometry_util.hpp"
#include "synth/random.hpp"
#include "synth/utm.hpp"

namespace infogap::detail::synth {

namespace {

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

}  // namespace

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

// Real outlines (censusVN2009, coarse): neighbours overlap (≈3.8 km² in all) and leave slivers
// (≈5 km²). The communes are made a clean partition by first come, first served: wards and towns
// first (a small ward would lose relatively most to a rural neighbour), then the xã, each group in
// GSO code order; every commune is its real outline minus the outlines already placed. Parts below
// 100 m² left by the difference are dropped. Slivers between communes stay outside every commune
// (no hamlet, no household there). A district is the union of its communes; the province outline the
// union of all of them. Offices: the hand-typed seat of a ward or town when it lies inside, else
// the centroid (or a point on the surface when the centroid falls outside).
void Generator::real_layout() {
  struct Item {
    std::size_t district, index, flat;
    const CommuneSpec* spec;
  };
  std::vector<Item> items;
  for (std::size_t d = 0; d < spec.districts.size(); ++d)
    for (std::size_t i = 0; i < spec.districts[d].communes.size(); ++i)
      items.push_back({d, i, items.size(), &spec.districts[d].communes[i]});
  std::vector<Item> order = items;
  std::stable_sort(order.begin(), order.end(), [](const Item& a, const Item& b) {
    const bool ua = is_urban(a.spec->type), ub = is_urban(b.spec->type);
    if (ua != ub) return ua;
    return a.spec->gso_code < b.spec->gso_code;
  });
  std::vector<Wkb> cells(items.size());
  Wkb placed;
  for (const Item& it : order) {
    const CommuneSpec& cs = *it.spec;
    RepairResult repaired = repair_polygon(cs.outline);
    if (repaired.wkb.empty()) internal("the outline of " + cs.name + " has no area");
    const Wkb cell = placed.empty() ? repaired.wkb : difference(repaired.wkb, placed);
    std::vector<std::vector<XyPath>> parts = collect_polygons(cell), kept;
    for (auto& rings : parts)
      if (area(multipolygon({rings})) >= 100.0) kept.push_back(std::move(rings));
    cells[it.flat] = multipolygon(kept);
    if (area(cells[it.flat]) < 1e5) internal("the outline of " + cs.name + " is covered by its neighbours");
    placed = placed.empty() ? repaired.wkb : union_all({placed, repaired.wkb});
  }
  data.districts.assign(spec.districts.size(), Wkb{});
  for (std::size_t d = 0; d < spec.districts.size(); ++d) {
    std::vector<Wkb> mine;
    for (const Item& it : items)
      if (it.district == d) mine.push_back(cells[it.flat]);
    data.districts[d] = union_all(mine);
  }
  data.outline = union_all(cells);
  for (const Item& it : items) {
    const CommuneSpec& cs = *it.spec;
    CommuneGeo g;
    g.district = it.district;
    g.spec = &cs;
    g.polygon = cells[it.flat];
    if (cs.fixed && covers_point(g.polygon, cs.x, cs.y)) {
      g.office_x = cs.x;
      g.office_y = cs.y;
    } else {
      centroid(g.polygon, g.office_x, g.office_y);
      if (!covers_point(g.polygon, g.office_x, g.office_y)) point_on_surface(g.polygon, g.office_x, g.office_y);
    }
    if (!covers_point(g.polygon, g.office_x, g.office_y)) internal("office outside commune " + cs.name);
    data.communes.push_back(std::move(g));
  }
}

// The sea coast on real outlines: the edges of the province's outer rings whose midpoint lies within
// 3 km of the hand-typed coast of the spec (≈52 km; the real coast is ≈56 km).
std::vector<std::array<double, 4>> Generator::real_coast(const std::vector<std::array<double, 4>>& typed) const {
  std::vector<std::array<double, 4>> out;
  for (const std::vector<XyPath>& rings : collect_polygons(data.outline)) {
    if (rings.empty()) continue;
    const XyPath& r = rings.front();
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      const double mx = (r.x[i] + r.x[i + 1]) / 2, my = (r.y[i] + r.y[i + 1]) / 2;
      double best = std::numeric_limits<double>::infinity();
      for (const auto& s : typed) best = std::min(best, seg_distance2(mx, my, s[0], s[1], s[2], s[3]));
      if (best < 3000.0 * 3000.0) out.push_back({r.x[i], r.y[i], r.x[i + 1], r.y[i + 1]});
    }
  }
  return out;
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
  if (spec.real_outlines) coast = real_coast(coast);
  // District towns: the first fixed seat (or the first anchor); with real outlines the office of
  // that commune (the hand-typed seat may fall outside the real ward).
  std::vector<std::array<double, 2>> towns;
  std::size_t district_first = 0;
  for (const DistrictSpec& d : spec.districts) {
    std::array<double, 2> t = d.anchors.front();
    for (std::size_t i = 0; i < d.communes.size(); ++i)
      if (d.communes[i].fixed) {
        const CommuneGeo& g = data.communes[district_first + i];
        t = spec.real_outlines ? std::array<double, 2>{g.office_x, g.office_y}
                               : std::array<double, 2>{d.communes[i].x, d.communes[i].y};
        break;
      }
    towns.push_back(t);
    district_first += d.communes.size();
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

}  // namespace infogap::detail::synth
