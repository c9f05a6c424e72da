// Synthetic province, people: the hamlets of a commune, its households, their poverty status and attributes.
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

}  // namespace infogap::detail::synth
