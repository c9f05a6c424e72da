// Tests of infogap/synth.hpp: the SYNTHETIC Bạc Liêu province on the real commune outlines
// (data/boundaries). Independent checks use GEOS (through the adapter), PROJ (the Transformer, not
// synth's own UTM code) and GDAL (reading the files back, and the outlines).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/gdal/wkb.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "adapters/proj/transformer.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"
#include "infogap/parallel.hpp"
#include "infogap/scenario.hpp"
#include "infogap/synth.hpp"
#include "support/test_config.hpp"
#include "synth/province.hpp"
#include "synth/random.hpp"
#include "synth/spec.hpp"
#include "synth/utm.hpp"

namespace infogap {
namespace {

namespace fs = std::filesystem;
using detail::Wkb;

// The full province (seed 2024, 225,600 households), generated once for all tests.
const SynthDataset& province() {
  static const SynthDataset d = synth_province(SynthOptions{});
  return d;
}

std::map<std::string, std::size_t> count_values(const Column& c) {
  std::map<std::string, std::size_t> m;
  for (std::size_t i = 0; i < c.size(); ++i) ++m[c.as_text(i)];
  return m;
}

// Households' lon/lat projected to EPSG:32648 with PROJ (independent of synth's own UTM code).
void households_utm(const Table& hh, std::vector<double>& x, std::vector<double>& y) {
  x = hh.column("lon").reals;
  y = hh.column("lat").reals;
  const detail::Transformer to_utm("EPSG:4326", "EPSG:32648");
  ASSERT_EQ(to_utm.transform(x.data(), y.data(), x.size()), 0u);
}

TEST(SynthUtm, MatchesProj) {
  // PRACTICES.md: `echo "20 105" | cs2cs EPSG:4326 EPSG:32648` → 500000.000 2211481.308.
  double e = 0, n = 0;
  detail::synth::utm_forward(105.0, 20.0, e, n);
  EXPECT_NEAR(e, 500000.000, 1e-3);   // m
  EXPECT_NEAR(n, 2211481.308, 1e-3);  // m
  // A grid over (and beyond) the province against PROJ, both directions.
  std::vector<double> lon, lat;
  for (double a = 104.0; a <= 108.01; a += 0.5)
    for (double b = 8.0; b <= 17.01; b += 1.0) {
      lon.push_back(a);
      lat.push_back(b);
    }
  std::vector<double> x = lon, y = lat;
  const detail::Transformer proj("EPSG:4326", "EPSG:32648");
  ASSERT_EQ(proj.transform(x.data(), y.data(), x.size()), 0u);
  for (std::size_t i = 0; i < lon.size(); ++i) {
    double ex = 0, ny = 0, lo = 0, la = 0;
    detail::synth::utm_forward(lon[i], lat[i], ex, ny);
    EXPECT_NEAR(ex, x[i], 1e-3) << lon[i] << "," << lat[i];  // m
    EXPECT_NEAR(ny, y[i], 1e-3) << lon[i] << "," << lat[i];  // m
    detail::synth::utm_inverse(x[i], y[i], lo, la);
    EXPECT_NEAR(lo, lon[i], 1e-9);  // degrees (≈0.1 mm)
    EXPECT_NEAR(la, lat[i], 1e-9);  // degrees
  }
}

TEST(SynthRandom, PortableDrawsFromMt19937) {
  // std::mt19937_64 is specified exactly: the 10000th draw of a default-seeded engine is
  // 9981545732273789042 ([rand.predef]); our Rng must be a plain mt19937_64 underneath.
  detail::synth::Rng rng(5489u);
  std::uint64_t v = 0;
  for (int i = 0; i < 10000; ++i) v = rng.bits();
  EXPECT_EQ(v, 9981545732273789042ULL);
  // uniform() uses the top 53 bits.
  detail::synth::Rng a(7), b(7);
  EXPECT_EQ(a.uniform(), static_cast<double>(b.bits() >> 11) * 0x1.0p-53);
  // Moments of the portable normal: mean 0, sd 1 (10⁵ draws: ±0.02 is > 6 standard errors).
  detail::synth::Rng r(42);
  double s = 0, s2 = 0;
  for (int i = 0; i < 100000; ++i) {
    const double z = r.normal();
    s += z;
    s2 += z * z;
  }
  EXPECT_NEAR(s / 1e5, 0.0, 0.02);
  EXPECT_NEAR(std::sqrt(s2 / 1e5), 1.0, 0.02);
}

TEST(Synth, CountsAndNames) {
  const SynthDataset& d = province();
  // 7 districts, 64 communes: 49 xã, 10 phường, 5 thị trấn (DOMAIN.md).
  EXPECT_EQ(d.districts.rows(), 7u);
  ASSERT_EQ(d.communes.rows(), 64u);
  const auto types = count_values(d.communes.column("commune_type"));
  EXPECT_EQ(types.at("xã"), 49u);
  EXPECT_EQ(types.at("phường"), 10u);
  EXPECT_EQ(types.at("thị trấn"), 5u);
  const auto per_district = count_values(d.communes.column("district"));
  EXPECT_EQ(per_district.at("Thành phố Bạc Liêu"), 10u);
  EXPECT_EQ(per_district.at("Huyện Hồng Dân"), 9u);
  EXPECT_EQ(per_district.at("Huyện Phước Long"), 8u);
  EXPECT_EQ(per_district.at("Huyện Vĩnh Lợi"), 8u);
  EXPECT_EQ(per_district.at("Thị xã Giá Rai"), 10u);
  EXPECT_EQ(per_district.at("Huyện Đông Hải"), 11u);
  EXPECT_EQ(per_district.at("Huyện Hòa Bình"), 8u);
  const auto names = count_values(d.communes.column("commune"));
  EXPECT_EQ(names.size(), 64u) << "commune names must be unique";
  for (const char* n : {"Phường Nhà Mát", "Thị trấn Ngan Dừa", "Xã Ninh Quới A", "Xã Long Điền Đông A",
                        "Phường Hộ Phòng", "Thị trấn Gành Hào", "Xã Vĩnh Trạch Đông", "Thị trấn Châu Hưng"})
    EXPECT_EQ(names.count(n), 1u) << n;
  // Post-2025 units: 25 (20 xã + 5 phường), with the published examples.
  std::map<std::string, std::set<std::string>> unit_members;
  const Column& unit = d.communes.column("commune_2025");
  for (std::size_t i = 0; i < d.communes.rows(); ++i)
    unit_members[unit.texts[i]].insert(d.communes.column("commune").texts[i]);
  EXPECT_EQ(unit_members.size(), 25u);
  std::size_t wards = 0;
  for (const auto& [u, m] : unit_members) wards += u.rfind("Phường ", 0) == 0 ? 1u : 0u;
  EXPECT_EQ(wards, 5u);
  EXPECT_EQ(unit_members.at("Phường Bạc Liêu"),
            (std::set<std::string>{"Phường 1 (TP Bạc Liêu)", "Phường 2", "Phường 3", "Phường 7", "Phường 8"}));
  EXPECT_EQ(unit_members.at("Xã Hồng Dân"), (std::set<std::string>{"Thị trấn Ngan Dừa", "Xã Lộc Ninh", "Xã Ninh Hòa"}));

  // 512 hamlets (≈8 per commune, 4–16 each), unique ids, "Ấp N" in xã and "Khóm N" in wards/towns.
  const Table& h = d.hamlets;
  ASSERT_EQ(h.rows(), 512u);
  EXPECT_EQ(count_values(h.column("hamlet_id")).size(), 512u);
  const auto per_commune = count_values(h.column("commune"));
  EXPECT_EQ(per_commune.size(), 64u);
  for (const auto& [c, n] : per_commune) {
    EXPECT_GE(n, 4u) << c;
    EXPECT_LE(n, 16u) << c;
  }
  for (std::size_t i = 0; i < h.rows(); ++i) {
    const std::string& type = h.column("commune_type").texts[i];
    const std::string& name = h.column("name").texts[i];
    const std::string prefix = type == "xã" ? "Ấp " : "Khóm ";
    ASSERT_EQ(name.rfind(prefix, 0), 0u) << name << " in a " << type;
    EXPECT_GE(std::stoi(name.substr(prefix.size())), 1);
  }
  EXPECT_EQ(count_values(h.column("district")).size(), 7u);
  EXPECT_EQ(count_values(h.column("commune_2025")).size(), 25u);

  // Teams: 64 commune + 512 hamlet teams, 4,177 members exactly.
  const Table& t = d.teams;
  ASSERT_EQ(t.rows(), 576u);
  const auto levels = count_values(t.column("level"));
  EXPECT_EQ(levels.at("commune"), 64u);
  EXPECT_EQ(levels.at("hamlet"), 512u);
  std::int64_t members = 0;
  for (std::int64_t m : t.column("members").ints) {
    EXPECT_GE(m, 3);
    members += m;
  }
  EXPECT_EQ(members, 4177);

  // Households: 225,600 with the contract's columns.
  EXPECT_EQ(d.households.rows(), 225600u);
  for (const char* c : {"household_id", "lon", "lat", "poverty", "members", "uses_internet", "info_devices"})
    EXPECT_TRUE(d.households.find(c).has_value()) << c;
}

TEST(Synth, HamletsPartitionEachCommuneExactly) {
  const SynthDataset& d = province();
  std::map<std::string, std::vector<Wkb>> hamlets_of;
  for (std::size_t i = 0; i < d.hamlets.rows(); ++i)
    hamlets_of[d.hamlets.column("commune").texts[i]].push_back(d.hamlets.wkb[i]);
  for (std::size_t c = 0; c < d.communes.rows(); ++c) {
    const std::string& name = d.communes.column("commune").texts[c];
    const Wkb& commune = d.communes.wkb[c];
    const std::vector<Wkb>& parts = hamlets_of.at(name);
    const double a = detail::area(commune);
    ASSERT_GT(a, 1e5) << name;  // > 0.1 km²
    const Wkb u = detail::union_all(parts);
    EXPECT_LT(detail::area(detail::symmetric_difference(u, commune)), 1e-6 * a) << name;  // m²
    double sum = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      ASSERT_TRUE(detail::is_valid(parts[i])) << name << " hamlet " << i;
      sum += detail::area(parts[i]);
      for (std::size_t j = i + 1; j < parts.size(); ++j)
        EXPECT_LT(detail::area(detail::intersection(parts[i], parts[j])), 1.0) << name << " " << i << "," << j;  // m²
    }
    EXPECT_NEAR(sum, a, 1e-6 * a) << name;  // m²: no overlap, no gap
  }
}

// The real outlines of data/boundaries, projected with PROJ (not synth's own UTM), by GSO code.
std::map<std::string, Wkb> real_outlines(const char* file, const char* code_column) {
  detail::gdal_initialize();
  detail::VectorReadOptions ro;
  ro.path = (fs::path(test::k_source_dir) / "data" / "boundaries" / file).string();
  ro.text_columns = {code_column};
  const detail::VectorData v = detail::read_vector(ro);
  const detail::Transformer to_utm("EPSG:4326", "EPSG:32648");
  std::map<std::string, Wkb> out;
  for (std::size_t i = 0; i < v.table.rows(); ++i) {
    auto polygons = detail::collect_polygons(v.table.wkb[i]);
    for (auto& rings : polygons)
      for (auto& r : rings) EXPECT_EQ(to_utm.transform(r.x.data(), r.y.data(), r.size()), 0u);
    out[v.table.column(code_column).as_text(i)] = detail::multipolygon(polygons);
  }
  return out;
}

TEST(Synth, CommunesAreTheRealOutlinesMadeAPartition) {
  const SynthDataset& d = province();
  const auto real = real_outlines("bac_lieu_communes.geojson", "gso_code_2024");
  ASSERT_EQ(real.size(), 64u);
  double total = 0, raw_total = 0, sum = 0;
  for (std::size_t c = 0; c < d.communes.rows(); ++c) {
    const std::string& name = d.communes.column("commune").texts[c];
    const std::string& code = d.communes.column("gso_code").texts[c];
    ASSERT_EQ(real.count(code), 1u) << name << " " << code;
    const Wkb& commune = d.communes.wkb[c];
    const Wkb& outline = real.at(code);
    const double a = detail::area(commune), r = detail::area(outline);
    // Inside its real outline (≤ 1e-6 of the area: synth's UTM and PROJ differ by < 1 mm), and most of
    // it: only the overlaps with neighbours placed before it are taken away.
    EXPECT_LT(detail::area(detail::difference(commune, outline)), 1e-6 * a) << name;  // m²
    EXPECT_GT(a, 0.90 * r) << name;                                                   // m²
    total += a;
    raw_total += r;
  }
  // A clean partition: the union has the area of the sum (no overlap left).
  const Wkb all = detail::union_all(d.communes.wkb);
  sum = detail::area(all);
  EXPECT_NEAR(sum, total, 1e-6 * total);  // m²
  // censusVN2009: 2,476 km² over the raw outlines, ≈3.8 km² of it overlaps (README of the data).
  EXPECT_NEAR(raw_total / 1e6, 2476.3, 0.5);         // km²
  EXPECT_NEAR((raw_total - total) / 1e6, 3.8, 0.5);  // km²
  // Districts: the real outlines as published; the union of their communes differs from them only by
  // the coarse thinning (≤ 6 % of the district's area).
  const auto real_districts = real_outlines("bac_lieu_districts.geojson", "district_code_2024");
  ASSERT_EQ(d.districts.rows(), 7u);
  std::map<std::string, std::vector<Wkb>> communes_of;
  for (std::size_t i = 0; i < d.communes.rows(); ++i)
    communes_of[d.communes.column("district").texts[i]].push_back(d.communes.wkb[i]);
  for (std::size_t k = 0; k < d.districts.rows(); ++k) {
    const std::string& name = d.districts.column("district").texts[k];
    const Wkb& district = d.districts.wkb[k];
    const Wkb& outline = real_districts.at(d.districts.column("gso_code").texts[k]);
    const double a = detail::area(district);
    EXPECT_LT(detail::area(detail::symmetric_difference(district, outline)), 1e-6 * a) << name;  // m²
    const Wkb u = detail::union_all(communes_of.at(name));
    EXPECT_LT(detail::area(detail::symmetric_difference(u, district)), 0.06 * a) << name;  // m²
  }
  // Extent of the real province, in lon/lat by PROJ: lon 105.23–105.86, lat 9.02–9.64 (DOMAIN.md).
  std::vector<double> x, y;
  std::vector<detail::XyPath> rings;
  detail::collect_rings(all, rings);
  for (const auto& r : rings) {
    x.insert(x.end(), r.x.begin(), r.x.end());
    y.insert(y.end(), r.y.begin(), r.y.end());
  }
  const detail::Transformer to_geo("EPSG:32648", "EPSG:4326");
  ASSERT_EQ(to_geo.transform(x.data(), y.data(), x.size()), 0u);
  const auto [lon0, lon1] = std::minmax_element(x.begin(), x.end());
  const auto [lat0, lat1] = std::minmax_element(y.begin(), y.end());
  EXPECT_NEAR(*lon0, 105.23, 0.01);  // degrees
  EXPECT_NEAR(*lon1, 105.86, 0.01);
  EXPECT_NEAR(*lat0, 9.02, 0.01);
  EXPECT_NEAR(*lat1, 9.64, 0.01);
  // The coast: the communes on the south-east sea (Nhà Mát, Vĩnh Thịnh, Gành Hào …), none inland.
  std::set<std::string> coastal;
  for (std::size_t c = 0; c < d.communes.rows(); ++c)
    if (d.communes.column("coastal").ints[c] != 0) coastal.insert(d.communes.column("commune").texts[c]);
  for (const char* n : {"Phường Nhà Mát", "Xã Vĩnh Thịnh", "Thị trấn Gành Hào", "Xã Điền Hải", "Xã Hiệp Thành"})
    EXPECT_EQ(coastal.count(n), 1u) << n;
  for (const char* n : {"Thị trấn Ngan Dừa", "Xã Vĩnh Trạch", "Xã Hưng Thành", "Phường 1 (TX Giá Rai)"})
    EXPECT_EQ(coastal.count(n), 0u) << n;
  EXPECT_LE(coastal.size(), 14u);
}

TEST(Synth, BoundariesComeFromTheGivenFolder) {
  const fs::path src = fs::path(test::k_source_dir) / "data" / "boundaries";
  const fs::path dir = fs::temp_directory_path() / ("infogap_synth_boundaries_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  SynthOptions o;
  o.households = 500;
  o.boundaries = (dir / "missing").string();
  EXPECT_THROW(synth_province(o), IoError);
  // A copy whose Vĩnh Thịnh (GSO 31936) carries another code: that commune has no outline.
  fs::copy_file(src / "bac_lieu_districts.geojson", dir / "bac_lieu_districts.geojson");
  std::string text;
  {
    std::FILE* f = std::fopen((src / "bac_lieu_communes.geojson").c_str(), "rb");
    ASSERT_NE(f, nullptr);
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
  }
  const std::string from = "\"gso_code_2024\":\"31936\"";
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "\"gso_code_2024\":\"99999\"");
  {
    std::FILE* f = std::fopen((dir / "bac_lieu_communes.geojson").c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(text.data(), 1, text.size(), f), text.size());
    std::fclose(f);
  }
  o.boundaries = dir.string();
  try {
    (void)synth_province(o);
    ADD_FAILURE() << "a commune without outline must be refused";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("Vĩnh Thịnh"), std::string::npos) << e.what();
  }
  // The bundled folder given explicitly is the default.
  o.boundaries = src.string();
  const SynthDataset a = synth_province(o);
  o.boundaries.clear();
  const SynthDataset b = synth_province(o);
  EXPECT_EQ(a.hamlets.wkb, b.hamlets.wkb);
  fs::remove_all(dir);
}

TEST(Synth, HouseholdsLieInHamletsAlongCanals) {
  const SynthDataset& d = province();
  std::vector<double> x, y;
  households_utm(d.households, x, y);
  // Every household inside exactly one hamlet (checked with GEOS on the PROJ-projected CSV values).
  const detail::PolygonIndex index(d.hamlets.wkb);
  std::vector<std::uint32_t> hits;
  std::vector<std::size_t> per_hamlet(d.hamlets.rows(), 0);
  std::size_t outside = 0, several = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    index.covering(x[i], y[i], hits);
    if (hits.empty()) ++outside;
    if (hits.size() > 1) ++several;
    if (!hits.empty()) ++per_hamlet[hits.front()];
  }
  EXPECT_EQ(outside, 0u);
  EXPECT_EQ(several, 0u);
  for (std::size_t h = 0; h < per_hamlet.size(); ++h)
    EXPECT_GT(per_hamlet[h], 20u) << d.hamlets.column("hamlet_id").texts[h];
  // Coordinates carry at most 6 decimals.
  for (std::size_t i = 0; i < d.households.rows(); i += 97) {
    const double lon = d.households.column("lon").reals[i];
    EXPECT_EQ(lon, std::round(lon * 1e6) / 1e6);
  }
  // Denser in wards and towns: households per km² of urban units ≥ 2.5 × rural. On the real outlines
  // the towns are large (Thị trấn Phước Long 47 km², Láng Tròn 32 km²): the 2009 census gives 3.8 ×
  // on them (946 vs 249 persons/km²); the synthetic disks of the former outlines gave > 5 ×.
  double urban_area = 0, rural_area = 0, urban_hh = 0, rural_hh = 0;
  for (std::size_t h = 0; h < per_hamlet.size(); ++h) {
    const bool urban = d.hamlets.column("commune_type").texts[h] != "xã";
    (urban ? urban_area : rural_area) += detail::area(d.hamlets.wkb[h]);
    (urban ? urban_hh : rural_hh) += static_cast<double>(per_hamlet[h]);
  }
  EXPECT_GT(urban_hh / urban_area, 2.5 * rural_hh / rural_area);
  // Most rural households lie 50–150 m from a canal or road (distance to the nearest line of the
  // canals layer, brute force on a sample of 1,500 rural households).
  std::vector<std::array<double, 4>> segments;
  for (const Wkb& w : d.canals.wkb) {
    std::vector<detail::XyPath> lines;
    detail::collect_lines(w, lines);
    for (const auto& p : lines)
      for (std::size_t k = 0; k + 1 < p.size(); ++k) segments.push_back({p.x[k], p.y[k], p.x[k + 1], p.y[k + 1]});
  }
  ASSERT_GT(segments.size(), 500u);
  std::size_t sampled = 0, in_band = 0;
  for (std::size_t i = 0; i < x.size() && sampled < 1500; i += 131) {
    index.covering(x[i], y[i], hits);
    if (hits.empty() || d.hamlets.column("commune_type").texts[hits.front()] != "xã") continue;
    double best = 1e300;
    for (const auto& s : segments) {
      const double dx = s[2] - s[0], dy = s[3] - s[1];
      const double t = std::clamp(((x[i] - s[0]) * dx + (y[i] - s[1]) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
      best = std::min(best, std::hypot(s[0] + t * dx - x[i], s[1] + t * dy - y[i]));
    }
    ++sampled;
    if (best >= 45.0 && best <= 155.0) ++in_band;  // m (±5 m: a nearer crossing line may win)
  }
  ASSERT_GE(sampled, 1000u);
  EXPECT_GT(static_cast<double>(in_band) / static_cast<double>(sampled), 0.6);
}

TEST(Synth, PovertyRatesAndInformationAccess) {
  const SynthDataset& d = province();
  const Table& hh = d.households;
  const auto status = count_values(hh.column("poverty"));
  const double n = static_cast<double>(hh.rows());
  EXPECT_EQ(status.size(), 3u);
  // Tolerance ±0.05 percentage points: counts are allocated exactly per commune, only the
  // per-commune rounding (±0.5 household × 64 communes ≈ 0.014 pp) remains.
  EXPECT_NEAR(100.0 * static_cast<double>(status.at("poor")) / n, 5.09, 0.05);       // %
  EXPECT_NEAR(100.0 * static_cast<double>(status.at("near_poor")) / n, 6.54, 0.05);  // %

  // Commune rates scatter (not one constant) and are higher in coastal communes.
  std::vector<double> x, y;
  households_utm(hh, x, y);
  const detail::PolygonIndex index(d.communes.wkb);
  std::vector<std::uint32_t> hits;
  std::vector<double> poor(d.communes.rows(), 0), total(d.communes.rows(), 0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    index.covering(x[i], y[i], hits);
    ASSERT_FALSE(hits.empty());
    total[hits.front()] += 1;
    if (hh.column("poverty").texts[i] == "poor") poor[hits.front()] += 1;
  }
  double coast_p = 0, coast_n = 0, inland_p = 0, inland_n = 0, lo = 1, hi = 0;
  for (std::size_t c = 0; c < poor.size(); ++c) {
    const double rate = poor[c] / total[c];
    lo = std::min(lo, rate);
    hi = std::max(hi, rate);
    if (d.communes.column("coastal").ints[c] != 0) {
      coast_p += poor[c];
      coast_n += total[c];
    } else {
      inland_p += poor[c];
      inland_n += total[c];
    }
  }
  EXPECT_GT(coast_n, 0.0);
  EXPECT_GT(coast_p / coast_n, 1.2 * inland_p / inland_n);
  EXPECT_LT(lo, 0.04);
  EXPECT_GT(hi, 0.07);

  // Internet use and information devices lower among the poor.
  std::map<std::string, std::array<double, 3>> by;  // count, internet, devices
  for (std::size_t i = 0; i < hh.rows(); ++i) {
    auto& a = by[hh.column("poverty").texts[i]];
    a[0] += 1;
    a[1] += static_cast<double>(hh.column("uses_internet").ints[i]);
    a[2] += static_cast<double>(hh.column("info_devices").ints[i]);
  }
  const auto share = [&](const char* s, int k) { return by.at(s)[static_cast<std::size_t>(k)] / by.at(s)[0]; };
  EXPECT_LT(share("poor", 1), share("near_poor", 1));
  EXPECT_LT(share("near_poor", 1), share("not_poor", 1));
  EXPECT_LT(share("poor", 2), share("not_poor", 2));
  // ≈4.3 persons per household (DOMAIN.md).
  double members = 0;
  for (std::int64_t m : hh.column("members").ints) members += static_cast<double>(m);
  EXPECT_NEAR(members / n, 4.3, 0.1);  // persons
}

TEST(Synth, LoudspeakersLeaveSomeHamletsUncovered) {
  const SynthDataset& d = province();
  const Table& s = d.speakers;
  // Clusters per commune from the cluster ids; horns per cluster.
  std::map<std::string, std::set<std::string>> clusters_of;
  std::map<std::string, int> horns;
  for (std::size_t i = 0; i < s.rows(); ++i) {
    clusters_of[s.column("commune").texts[i]].insert(s.column("cluster_id").texts[i]);
    ++horns[s.column("cluster_id").texts[i]];
  }
  std::size_t two = 0;
  for (const auto& [c, k] : horns) two += k == 2 ? 1 : 0;
  EXPECT_GT(static_cast<double>(two) / static_cast<double>(horns.size()), 0.75);
  for (std::size_t c = 0; c < d.communes.rows(); ++c) {
    if (d.communes.column("commune_type").texts[c] != "xã") continue;
    const std::size_t k = clusters_of[d.communes.column("commune").texts[c]].size();
    EXPECT_GE(k, 10u) << d.communes.column("commune").texts[c];
    EXPECT_LE(k, 16u) << d.communes.column("commune").texts[c];
  }
  for (std::size_t i = 0; i < s.rows(); ++i) {
    EXPECT_GE(s.column("power_w").reals[i], 25.0);
    EXPECT_LE(s.column("power_w").reals[i], 50.0);
    EXPECT_GE(s.column("azimuth_deg").reals[i], 0.0);
    EXPECT_LT(s.column("azimuth_deg").reals[i], 360.0);
  }
  // Hamlets without any loudspeaker, by point-in-polygon: some, not most.
  const detail::PolygonIndex index(d.hamlets.wkb);
  std::vector<std::uint32_t> hits;
  std::vector<bool> has(d.hamlets.rows(), false);
  for (const Wkb& p : s.wkb) {
    double x = 0, y = 0;
    detail::centroid(p, x, y);
    index.covering(x, y, hits);
    ASSERT_FALSE(hits.empty());
    for (std::uint32_t h : hits) has[h] = true;
  }
  const auto without = static_cast<double>(std::count(has.begin(), has.end(), false));
  EXPECT_GT(without, 0.05 * 512);
  EXPECT_LT(without, 0.40 * 512);
  // Candidate sites: all three kinds and types.
  EXPECT_EQ(count_values(d.candidates.column("kind")).size(), 3u);
  EXPECT_EQ(count_values(d.candidates.column("type")).size(), 3u);
  EXPECT_EQ(count_values(d.candidates.column("candidate_id")).size(), d.candidates.rows());
}

bool same_table(const Table& a, const Table& b) {
  if (a.columns.size() != b.columns.size() || a.wkb != b.wkb) return false;
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    const Column& x = a.columns[i];
    const Column& y = b.columns[i];
    if (x.name != y.name || x.type != y.type || x.ints != y.ints || x.texts != y.texts || x.null != y.null)
      return false;
    if (x.reals.size() != y.reals.size()) return false;
    for (std::size_t k = 0; k < x.reals.size(); ++k)  // bitwise equality
      if (std::memcmp(&x.reals[k], &y.reals[k], sizeof(double)) != 0) return false;
  }
  return true;
}

TEST(Synth, DeterministicWhateverTheThreadCount) {
  SynthOptions o;
  o.households = 20000;
  set_threads(1);
  const SynthDataset a = synth_province(o);
  set_threads(3);
  const SynthDataset b = synth_province(o);
  set_threads(0);
  for (auto [x, y] : {std::pair{&a.hamlets, &b.hamlets},
                      {&a.households, &b.households},
                      {&a.speakers, &b.speakers},
                      {&a.teams, &b.teams},
                      {&a.candidates, &b.candidates},
                      {&a.canals, &b.canals}})
    EXPECT_TRUE(same_table(*x, *y));
  o.seed = 2025;
  const SynthDataset c = synth_province(o);
  EXPECT_FALSE(same_table(a.households, c.households));
  EXPECT_FALSE(same_table(a.hamlets, c.hamlets));
  EXPECT_FALSE(same_table(a.speakers, c.speakers));
  // The names and counts do not depend on the seed.
  EXPECT_EQ(a.communes.column("commune").texts, c.communes.column("commune").texts);
  EXPECT_EQ(c.hamlets.rows(), 512u);
}

TEST(Synth, WritesFilesGdalReadsBack) {
  // Unique per process: other builds of the project may run this test at the same time.
  const fs::path dir = fs::temp_directory_path() / ("infogap_synth_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  SynthOptions o;
  o.households = 15000;
  o.seed = 7;
  const SynthSummary s = write_synth(o, dir.string());
  EXPECT_EQ(s.households, 15000);
  EXPECT_EQ(s.hamlets, 512);
  EXPECT_EQ(s.team_members, 4177);
  const SynthDataset mem = synth_province(o);

  detail::gdal_initialize();
  struct Expect {
    const char* file;
    const char* layer;
    const Table* table;
  };
  for (const Expect& e :
       {Expect{"hamlets.gpkg", "hamlets", &mem.hamlets}, Expect{"speakers.gpkg", "speakers", &mem.speakers},
        Expect{"teams.gpkg", "teams", &mem.teams}, Expect{"candidates.gpkg", "candidates", &mem.candidates},
        Expect{"context.gpkg", "communes", &mem.communes}, Expect{"context.gpkg", "districts", &mem.districts},
        Expect{"context.gpkg", "canals", &mem.canals}}) {
    detail::VectorReadOptions ro;
    ro.path = (dir / e.file).string();
    ro.layer = e.layer;
    const detail::VectorData v = detail::read_vector(ro);
    EXPECT_EQ(v.crs, "EPSG:32648") << e.file;
    ASSERT_EQ(v.table.rows(), e.table->rows()) << e.file << " " << e.layer;
    for (const Column& c : e.table->columns) {
      ASSERT_TRUE(v.table.find(c.name).has_value()) << e.file << " " << c.name;
      const Column& r = v.table.column(c.name);
      for (std::size_t i = 0; i < c.size(); i += 37)
        EXPECT_EQ(r.as_text(i), c.as_text(i)) << e.file << " " << c.name << " " << i;
    }
    // Geometry round trip: same area for polygons (m²), same point for points.
    for (std::size_t i = 0; i < e.table->rows(); i += 53) {
      if (e.table->geometry_kind == GeometryKind::point) {
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        detail::centroid(e.table->wkb[i], x0, y0);
        detail::centroid(v.table.wkb[i], x1, y1);
        EXPECT_NEAR(x0, x1, 1e-6);  // m
        EXPECT_NEAR(y0, y1, 1e-6);  // m
      } else if (e.table->geometry_kind == GeometryKind::multipolygon) {
        EXPECT_NEAR(detail::area(e.table->wkb[i]), detail::area(v.table.wkb[i]), 1e-6);  // m²
      }
    }
  }
  // Households: the gzip CSV with lon/lat, same values as in memory.
  detail::VectorReadOptions ro;
  ro.path = (dir / "households.csv.gz").string();
  const detail::VectorData v = detail::read_vector(ro);
  ASSERT_EQ(v.table.rows(), 15000u);
  // lon/lat become the point geometry (the CSV reader keeps no coordinate columns).
  ASSERT_EQ(v.table.geometry_kind, GeometryKind::point);
  for (std::size_t i = 0; i < 15000; i += 211) {
    double lon = 0, lat = 0;
    detail::centroid(v.table.wkb[i], lon, lat);
    EXPECT_EQ(lon, mem.households.column("lon").reals[i]) << i;
    EXPECT_EQ(lat, mem.households.column("lat").reals[i]) << i;
  }
  for (const char* c : {"household_id", "poverty", "members", "uses_internet", "info_devices"}) {
    ASSERT_TRUE(v.table.find(c).has_value()) << c;
    const Column& got = v.table.column(c);
    const Column& want = mem.households.column(c);
    for (std::size_t i = 0; i < 15000; i += 211) {
      if (want.type == ColumnType::text)
        EXPECT_EQ(got.as_text(i), want.as_text(i)) << c << " " << i;
      else
        EXPECT_EQ(got.as_real(i), want.as_real(i)) << c << " " << i;
    }
  }
  // The scenario parses as is and points at the files beside it.
  const Scenario sc = Scenario::from_yaml((dir / "scenario.yaml").string());
  EXPECT_EQ(sc.hamlets.group_by, (std::vector<std::string>{"commune", "district", "commune_2025"}));
  EXPECT_TRUE(fs::exists(sc.hamlets.path));
  EXPECT_TRUE(fs::exists(sc.households.path));
  ASSERT_TRUE(sc.speakers.has_value());
  EXPECT_TRUE(fs::exists(sc.speakers->path));
  ASSERT_TRUE(sc.teams.has_value());
  EXPECT_TRUE(sc.optimize.enabled);
  EXPECT_EQ(sc.optimize.new_speakers, 20);
  EXPECT_EQ(sc.optimize.new_teams, 5);
  EXPECT_TRUE(fs::exists(sc.optimize.candidates.path));
  EXPECT_EQ(sc.output.languages, (std::vector<std::string>{"vi", "en"}));
  EXPECT_EQ(sc.output.formats.size(), 6u);
  fs::remove_all(dir);
}

TEST(Synth, BundledScenarioLoadsWithoutRejects) {
  // data/bac_lieu is `infogap synth --seed 2024 -o data/bac_lieu`: its scenario loads as is, nothing is
  // rejected or repaired, and the counts are the province's.
  const fs::path path = fs::path(test::k_source_dir) / "data" / "bac_lieu" / "scenario.yaml";
  ASSERT_TRUE(fs::exists(path)) << path;
  const Inputs in = load_inputs(Scenario::from_yaml(path.string()));
  EXPECT_EQ(in.working_epsg, 32648);
  EXPECT_TRUE(in.rejects.empty()) << in.rejects.front().reason;
  EXPECT_EQ(in.repaired_polygons, 0);
  EXPECT_EQ(in.hamlets.size(), 512u);
  EXPECT_EQ(in.households.size(), 225600u);
  EXPECT_EQ(in.teams.size(), 576u);
  EXPECT_EQ(in.teams.members.sum(), 4177.0);
  EXPECT_GT(in.speakers.size(), 1000u);
  EXPECT_GT(in.candidates.size(), 300u);
  EXPECT_EQ(std::set<std::string>(in.candidates.kind.begin(), in.candidates.kind.end()),
            (std::set<std::string>{"any", "speaker", "team"}));
  // The bundled households are the ones this build generates (same seed, same bytes of attributes).
  const SynthDataset& d = province();
  for (std::size_t i = 0; i < in.households.size(); i += 4999) {
    EXPECT_EQ(in.households.id[i], d.households.column("household_id").as_text(i));
    EXPECT_EQ(to_string(in.households.status[i]), d.households.column("poverty").texts[i]);
  }
}

TEST(Synth, NationalTileHasSyntheticNames) {
  const detail::synth::ProvinceSpec spec =
      detail::synth::national_tile_spec(2024, 3, 500000.0, 1200000.0, 193, 637, 20000);
  const detail::synth::ProvinceData d = detail::synth::generate_province(spec, 2024, false);
  EXPECT_EQ(d.communes.size(), 64u);
  EXPECT_EQ(d.hamlets.size(), 637u);
  EXPECT_EQ(d.households.size(), 20000u);
  EXPECT_EQ(d.communes.front().spec->name, "Phường 00193");
  EXPECT_EQ(d.communes.back().spec->name, "Xã 00256");
}

TEST(Synth, TinyHouseholdCountKeepsTheStructure) {
  SynthOptions o;
  o.households = 50;  // most hamlets get no household: equipment must still be placed
  const SynthDataset d = synth_province(o);
  EXPECT_EQ(d.households.rows(), 50u);
  EXPECT_EQ(d.hamlets.rows(), 512u);
  EXPECT_EQ(d.teams.rows(), 576u);
  std::int64_t members = 0;
  for (std::int64_t m : d.teams.column("members").ints) members += m;
  EXPECT_EQ(members, 4177);
  EXPECT_GT(d.speakers.rows(), 64u);
}

TEST(Synth, RejectsBadOptions) {
  SynthOptions o;
  o.households = -1;
  EXPECT_THROW(synth_province(o), InvalidInput);
  o.households = 0;
  o.scale = SynthScale::national;
  EXPECT_THROW(synth_province(o), InvalidInput);
}

}  // namespace
}  // namespace infogap
