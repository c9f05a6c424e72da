#include "synth/spec.hpp"

#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "synth/random.hpp"
#include "synth/utm.hpp"

namespace infogap::detail::synth {

const char* to_text(CommuneType type) noexcept {
  switch (type) {
    case CommuneType::xa:
      return "xã";
    case CommuneType::phuong:
      return "phường";
    case CommuneType::thi_tran:
      return "thị trấn";
  }
  return "xã";
}

namespace {

struct LonLat {
  double lon, lat;
};

std::array<double, 2> utm(LonLat p) {
  std::array<double, 2> out{};
  utm_forward(p.lon, p.lat, out[0], out[1]);
  return out;
}

XyPath utm_path(std::initializer_list<LonLat> points) {
  XyPath p;
  for (const LonLat& q : points) {
    const auto xy = utm(q);
    p.x.push_back(xy[0]);
    p.y.push_back(xy[1]);
  }
  return p;
}

// A commune given as (type, bare name, post-2025 unit[, fixed seat]).
struct C {
  CommuneType type;
  const char* name;
  const char* unit_2025;
  LonLat seat{0, 0};
  bool fixed = false;
};

constexpr CommuneType X = CommuneType::xa;
constexpr CommuneType P = CommuneType::phuong;
constexpr CommuneType T = CommuneType::thi_tran;

std::string full_name(CommuneType type, const std::string& name) {
  switch (type) {
    case CommuneType::xa:
      return "Xã " + name;
    case CommuneType::phuong:
      return "Phường " + name;
    case CommuneType::thi_tran:
      return "Thị trấn " + name;
  }
  return name;
}

void add_district(ProvinceSpec& spec, const char* name, std::initializer_list<LonLat> anchors,
                  std::initializer_list<C> communes) {
  DistrictSpec d;
  d.name = name;
  for (const LonLat& a : anchors) d.anchors.push_back(utm(a));
  for (const C& c : communes) {
    CommuneSpec s;
    s.type = c.type;
    s.name = full_name(c.type, c.name);
    s.commune_2025 = c.unit_2025;
    s.fixed = c.fixed;
    if (c.fixed) utm_forward(c.seat.lon, c.seat.lat, s.x, s.y);
    d.communes.push_back(std::move(s));
  }
  spec.districts.push_back(std::move(d));
}

// Midpoint displacement of each edge (a fixed stream: the outline is the same for every seed).
// Coast edges are displaced less than land borders (rivers, canals).
void roughen(ProvinceSpec& spec, Rng& rng, int levels, double land_amplitude, double coast_amplitude) {
  XyPath out;
  std::vector<bool> coast;
  const std::size_t n = spec.outline.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = (i + 1) % n;
    std::vector<std::array<double, 2>> pts = {{spec.outline.x[i], spec.outline.y[i]},
                                              {spec.outline.x[j], spec.outline.y[j]}};
    const double amp0 = spec.coast[i] ? coast_amplitude : land_amplitude;
    for (int level = 0; level < levels; ++level) {
      std::vector<std::array<double, 2>> next;
      const double amp = amp0 / std::pow(2.0, level);
      for (std::size_t k = 0; k + 1 < pts.size(); ++k) {
        const auto& a = pts[k];
        const auto& b = pts[k + 1];
        const double dx = b[0] - a[0], dy = b[1] - a[1];
        const double len = std::hypot(dx, dy);
        const double off = rng.uniform(-1.0, 1.0) * amp * len;
        next.push_back(a);
        next.push_back({(a[0] + b[0]) / 2 - dy / len * off, (a[1] + b[1]) / 2 + dx / len * off});
      }
      next.push_back(pts.back());
      pts = std::move(next);
    }
    for (std::size_t k = 0; k + 1 < pts.size(); ++k) {
      out.x.push_back(pts[k][0]);
      out.y.push_back(pts[k][1]);
      coast.push_back(spec.coast[i]);
    }
  }
  spec.outline = std::move(out);
  spec.coast = std::move(coast);
}

}  // namespace

ProvinceSpec bac_lieu_spec(std::int64_t households) {
  ProvinceSpec spec;
  spec.name = "Bạc Liêu (synthetic)";
  spec.hamlets_total = 512;
  spec.households = households;
  spec.team_members_total = 4177;
  spec.canal_angle_deg = 30.0;  // roughly parallel to the south-east coast
  // Hand-typed outline following the real extent (lon 105.23–105.86, lat 9.02–9.64): north tip in
  // Hồng Dân, the border with Sóc Trăng to the east, ≈56 km of coast from Vĩnh Trạch Đông to Gành
  // Hào in the south-east, the border with Cà Mau to the west. Not derived from boundary data.
  const std::initializer_list<LonLat> outline = {
      {105.470, 9.640}, {105.530, 9.615}, {105.580, 9.570}, {105.630, 9.510}, {105.685, 9.450}, {105.755, 9.405},
      {105.815, 9.370}, {105.860, 9.340}, {105.855, 9.290}, {105.820, 9.245}, {105.760, 9.205}, {105.700, 9.168},
      {105.630, 9.130}, {105.560, 9.095}, {105.490, 9.058}, {105.430, 9.020}, {105.380, 9.045}, {105.335, 9.090},
      {105.290, 9.150}, {105.255, 9.215}, {105.230, 9.285}, {105.265, 9.360}, {105.305, 9.430}, {105.340, 9.500},
      {105.390, 9.570}, {105.430, 9.620}};
  spec.outline = utm_path(outline);
  spec.coast.assign(spec.outline.size(), false);
  for (std::size_t i = 9; i <= 14; ++i) spec.coast[i] = true;  // (105.820, 9.245) → (105.430, 9.020)
  Rng shape(stream_seed(20240101, k_stream_outline));
  roughen(spec, shape, 3, 0.06, 0.015);

  // District anchors: approximate district centres; a district is the union of its anchors' Voronoi
  // cells. Seats of towns and wards: approximate, from general knowledge.
  add_district(spec, "Thành phố Bạc Liêu", {{105.750, 9.270}, {105.805, 9.245}},
               {{P, "1 (TP Bạc Liêu)", "Phường Bạc Liêu", {105.7240, 9.2880}, true},
                {P, "2", "Phường Bạc Liêu", {105.7360, 9.2770}, true},
                {P, "3", "Phường Bạc Liêu", {105.7120, 9.2970}, true},
                {P, "5", "Phường Vĩnh Trạch", {105.7500, 9.2990}, true},
                {P, "7", "Phường Bạc Liêu", {105.7090, 9.2800}, true},
                {P, "8", "Phường Bạc Liêu", {105.7300, 9.3070}, true},
                {P, "Nhà Mát", "Phường Hiệp Thành", {105.7720, 9.2450}, true},
                {X, "Vĩnh Trạch", "Phường Vĩnh Trạch"},
                {X, "Vĩnh Trạch Đông", "Phường Hiệp Thành"},
                {X, "Hiệp Thành", "Phường Hiệp Thành"}});
  add_district(spec, "Huyện Hồng Dân", {{105.420, 9.580}, {105.490, 9.560}, {105.550, 9.520}},
               {{T, "Ngan Dừa", "Xã Hồng Dân", {105.4500, 9.5600}, true},
                {X, "Ninh Quới", "Xã Ninh Quới"},
                {X, "Ninh Quới A", "Xã Ninh Quới"},
                {X, "Ninh Hòa", "Xã Hồng Dân"},
                {X, "Lộc Ninh", "Xã Hồng Dân"},
                {X, "Vĩnh Lộc", "Xã Vĩnh Lộc"},
                {X, "Vĩnh Lộc A", "Xã Vĩnh Lộc"},
                {X, "Ninh Thạnh Lợi", "Xã Ninh Thạnh Lợi"},
                {X, "Ninh Thạnh Lợi A", "Xã Ninh Thạnh Lợi"}});
  add_district(spec, "Huyện Phước Long", {{105.310, 9.385}, {105.430, 9.450}},
               {{T, "Phước Long", "Xã Phước Long", {105.4600, 9.4400}, true},
                {X, "Vĩnh Phú Đông", "Xã Vĩnh Phước"},
                {X, "Vĩnh Phú Tây", "Xã Vĩnh Phước"},
                {X, "Phước Long", "Xã Phước Long"},
                {X, "Hưng Phú", "Xã Vĩnh Thanh"},
                {X, "Vĩnh Thanh", "Xã Vĩnh Thanh"},
                {X, "Phong Thạnh Tây A", "Xã Phong Hiệp"},
                {X, "Phong Thạnh Tây B", "Xã Phong Hiệp"}});
  add_district(spec, "Huyện Vĩnh Lợi", {{105.680, 9.370}, {105.730, 9.400}, {105.790, 9.335}},
               {{T, "Châu Hưng", "Xã Châu Thới", {105.6700, 9.3500}, true},
                {X, "Vĩnh Hưng", "Xã Vĩnh Hưng"},
                {X, "Vĩnh Hưng A", "Xã Vĩnh Hưng"},
                {X, "Châu Hưng A", "Xã Vĩnh Hưng"},
                {X, "Hưng Thành", "Xã Hưng Hội"},
                {X, "Hưng Hội", "Xã Hưng Hội"},
                {X, "Châu Thới", "Xã Châu Thới"},
                {X, "Long Thạnh", "Xã Châu Thới"}});
  add_district(spec, "Thị xã Giá Rai", {{105.395, 9.245}, {105.310, 9.275}, {105.465, 9.270}},
               {{P, "1 (TX Giá Rai)", "Phường Giá Rai", {105.3900, 9.2400}, true},
                {P, "Hộ Phòng", "Phường Giá Rai", {105.4150, 9.2250}, true},
                {P, "Láng Tròn", "Phường Láng Tròn", {105.4950, 9.2620}, true},
                {X, "Phong Thạnh Đông", "Phường Láng Tròn"},
                {X, "Phong Tân", "Phường Láng Tròn"},
                {X, "Tân Phong", "Phường Giá Rai"},
                {X, "Phong Thạnh", "Phường Giá Rai"},
                {X, "Phong Thạnh A", "Xã Phong Thạnh"},
                {X, "Phong Thạnh Tây", "Xã Phong Thạnh"},
                {X, "Tân Thạnh", "Xã Phong Thạnh"}});
  add_district(spec, "Huyện Đông Hải", {{105.450, 9.075}, {105.330, 9.175}, {105.530, 9.105}, {105.450, 9.165}},
               {{T, "Gành Hào", "Xã Gành Hào", {105.4200, 9.0400}, true},
                {X, "Long Điền", "Xã Long Điền"},
                {X, "Long Điền Đông", "Xã Long Điền"},
                {X, "Long Điền Đông A", "Xã Long Điền"},
                {X, "Long Điền Tây", "Xã Gành Hào"},
                {X, "Điền Hải", "Xã Điền Hải"},
                {X, "An Trạch", "Xã An Trạch"},
                {X, "An Trạch A", "Xã An Trạch"},
                {X, "An Phúc", "Xã Điền Hải"},
                {X, "Định Thành", "Xã Định Thành"},
                {X, "Định Thành A", "Xã Định Thành"}});
  add_district(spec, "Huyện Hòa Bình", {{105.615, 9.250}, {105.600, 9.170}, {105.610, 9.330}},
               {{T, "Hòa Bình", "Xã Hòa Bình", {105.6300, 9.2500}, true},
                {X, "Minh Diệu", "Xã Hòa Bình"},
                {X, "Vĩnh Bình", "Xã Hòa Bình"},
                {X, "Vĩnh Mỹ A", "Xã Vĩnh Mỹ"},
                {X, "Vĩnh Mỹ B", "Xã Vĩnh Mỹ"},
                {X, "Vĩnh Hậu", "Xã Vĩnh Hậu"},
                {X, "Vĩnh Hậu A", "Xã Vĩnh Hậu"},
                {X, "Vĩnh Thịnh", "Xã Vĩnh Hậu"}});
  int number = 0;
  for (DistrictSpec& d : spec.districts)
    for (CommuneSpec& c : d.communes) {
      char code[16];
      std::snprintf(code, sizeof code, "BL%02d", ++number);
      c.code = code;
    }
  // GSO codes 2024 of the districts and of their communes, in the order above (they match the
  // real outlines: synth/boundaries.hpp).
  const std::vector<std::pair<const char*, std::vector<const char*>>> gso = {
      {"954", {"31825", "31813", "31816", "31819", "31822", "31828", "31831", "31834", "31837", "31840"}},
      {"956", {"31843", "31846", "31849", "31852", "31855", "31858", "31861", "31864", "31863"}},
      {"957", {"31867", "31870", "31873", "31876", "31879", "31882", "31885", "31888"}},
      {"958", {"31900", "31894", "31897", "31903", "31906", "31909", "31912", "31921"}},
      {"959", {"31942", "31945", "31951", "31948", "31954", "31957", "31960", "31963", "31966", "31969"}},
      {"960", {"31972", "31981", "31975", "31978", "31984", "31985", "31987", "31988", "31990", "31993", "31996"}},
      {"961", {"31891", "31915", "31918", "31933", "31924", "31927", "31930", "31936"}},
  };
  for (std::size_t d = 0; d < spec.districts.size(); ++d) {
    spec.districts[d].gso_code = gso[d].first;
    for (std::size_t c = 0; c < spec.districts[d].communes.size(); ++c)
      spec.districts[d].communes[c].gso_code = gso[d].second.at(c);
  }

  // Trunk roads (approximate): QL1A east–west through the towns, the road north to Ngan Dừa,
  // Giá Rai–Phước Long, Hộ Phòng–Gành Hào and the coast road to Nhà Mát.
  spec.trunk_roads = {
      utm_path({{105.880, 9.345},
                {105.790, 9.310},
                {105.720, 9.290},
                {105.630, 9.255},
                {105.495, 9.262},
                {105.415, 9.245},
                {105.390, 9.240},
                {105.300, 9.222},
                {105.200, 9.205}}),
      utm_path(
          {{105.720, 9.290}, {105.670, 9.350}, {105.560, 9.410}, {105.460, 9.440}, {105.450, 9.560}, {105.470, 9.680}}),
      utm_path({{105.390, 9.240}, {105.420, 9.340}, {105.460, 9.440}}),
      utm_path({{105.415, 9.225}, {105.430, 9.130}, {105.420, 9.040}, {105.410, 8.990}}),
      utm_path({{105.720, 9.290}, {105.772, 9.245}, {105.840, 9.262}, {105.900, 9.280}}),
  };
  return spec;
}

ProvinceSpec national_tile_spec(std::uint64_t seed, int tile, double cx, double cy, int first_commune,
                                int hamlets_total, std::int64_t households) {
  ProvinceSpec spec;
  Rng rng(stream_seed(seed, k_stream_national, static_cast<std::uint64_t>(tile)));
  char buf[64];
  std::snprintf(buf, sizeof buf, "Tỉnh %03d (synthetic)", tile + 1);
  spec.name = buf;
  spec.hamlets_total = hamlets_total;
  spec.households = households;
  spec.canal_angle_deg = rng.uniform(0.0, 90.0);
  spec.salt = static_cast<std::uint64_t>(tile) + 1;
  // A blob of radius ≈ 24–29 km: 16 vertices at random radii.
  const int k = 16;
  for (int i = 0; i < k; ++i) {
    const double a = 2.0 * std::numbers::pi * i / k;
    const double r = rng.uniform(24000.0, 29000.0);
    spec.outline.x.push_back(cx + r * std::cos(a));
    spec.outline.y.push_back(cy + r * std::sin(a));
  }
  spec.coast.assign(spec.outline.size(), false);
  const std::size_t coast_start = static_cast<std::size_t>(rng.below(16));
  if (rng.bernoulli(0.5))
    for (std::size_t i = 0; i < 4; ++i) spec.coast[(coast_start + i) % 16] = true;
  roughen(spec, rng, 2, 0.05, 0.01);

  // 7 districts: anchors on a ring plus the centre; 64 communes (10 in the first, 9 in the others).
  std::vector<std::array<double, 2>> towns;
  towns.push_back({cx + rng.uniform(-2000.0, 2000.0), cy + rng.uniform(-2000.0, 2000.0)});
  const double phase = rng.uniform(0.0, 2.0 * std::numbers::pi);
  for (int i = 0; i < 6; ++i) {
    const double a = phase + 2.0 * std::numbers::pi * i / 6;
    const double r = rng.uniform(13000.0, 17000.0);
    towns.push_back({cx + r * std::cos(a), cy + r * std::sin(a)});
  }
  int number = first_commune;
  for (int d = 0; d < 7; ++d) {
    DistrictSpec district;
    std::snprintf(buf, sizeof buf, "Huyện %04d", tile * 7 + d + 1);
    district.name = buf;
    const auto town = towns[static_cast<std::size_t>(d)];
    district.anchors.push_back(town);
    const int n_communes = d == 0 ? 10 : 9;
    for (int c = 0; c < n_communes; ++c, ++number) {
      CommuneSpec s;
      s.type = CommuneType::xa;
      if (c == 0) s.type = d == 0 ? CommuneType::phuong : CommuneType::thi_tran;
      if (d == 0 && c < 4) s.type = CommuneType::phuong;
      const char* prefix = s.type == CommuneType::xa ? "Xã" : s.type == CommuneType::phuong ? "Phường" : "Thị trấn";
      std::snprintf(buf, sizeof buf, "%s %05d", prefix, number);
      s.name = buf;
      std::snprintf(buf, sizeof buf, "C%05d", number);
      s.code = buf;
      std::snprintf(buf, sizeof buf, "%s 2025-%05d", d == 0 && c < 4 ? "Phường" : "Xã", (number - 1) / 3 + 1);
      s.commune_2025 = buf;
      if (s.type != CommuneType::xa) {
        s.fixed = true;
        s.x = town[0] + (c == 0 ? 0.0 : 1500.0 * std::cos(c * 2.1));
        s.y = town[1] + (c == 0 ? 0.0 : 1500.0 * std::sin(c * 2.1));
      }
      district.communes.push_back(std::move(s));
    }
    spec.districts.push_back(std::move(district));
  }
  // Roads from the central town to every other town.
  for (std::size_t d = 1; d < towns.size(); ++d) {
    XyPath road;
    road.x = {towns[0][0], towns[d][0], towns[d][0] + (towns[d][0] - towns[0][0])};
    road.y = {towns[0][1], towns[d][1], towns[d][1] + (towns[d][1] - towns[0][1])};
    spec.trunk_roads.push_back(std::move(road));
  }
  return spec;
}

}  // namespace infogap::detail::synth
