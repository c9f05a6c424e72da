// infogap_gis_sample: writes a small sample of every GIS output of a run into a folder, for the
// headless-QGIS test (tests/e2e/qgis_test.py), and times the distance raster (--bench, for
// tests/benchmarks/bench_raster.py).
//
//   infogap_gis_sample OUT_DIR [--lang vi|en]
//       4 COG rasters + .qml, coverage.gpkg (hamlets, households, speakers, teams, proposed_sites,
//       with layer_styles), hamlets.shp/proposed_sites.shp + .qml + fields.csv, infogap.qgs.
//   infogap_gis_sample --bench POINTS_CSV --cell M --extent MINX MINY MAXX MAXY --out TIF [--hamlets N]
//                      [--quantum Q] [--sources N [--source-radius M]]
//       nearest_distance_grid + write_raster on the points (CSV "x,y" with a header), and optionally
//       hamlet_id_grid of N generated polygons over the extent; prints timings as JSON on stdout.
//
// The world is a toy (a simple level formula, not ISO 9613): it exists to exercise the writers.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/gdal/wkb.hpp"
#include "infogap/error.hpp"
#include "infogap/raster.hpp"
#include "infogap/styles.hpp"
#include "infogap/table.hpp"
#include "raster_world.hpp"

namespace {

using namespace infogap;

constexpr int k_epsg = 32648;
constexpr double k_threshold_dba = 55.0;  // ambient 45 + SNR 10
constexpr double k_team_reach_m = 1500.0;

/// Toy speech level of a cluster at distance d: spherical spreading from 120 dB(A) at 1 m, 5 dB/km.
double toy_level_dba(double d) {
  return 120.0 - 20.0 * std::log10(std::max(d, 1.0)) - 11.0 - 0.005 * d;
}

struct Hamlet {
  std::string id, name, commune, district;
  std::vector<std::pair<double, double>> ring;
};

Eigen::VectorXd vec(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

int write_sample(const std::string& out_dir, Language lang) {
  std::filesystem::create_directories(out_dir);
  const double x0 = 578000.0, y0 = 1026000.0;  // Bạc Liêu city area, EPSG:32648
  const double w = 1200.0, h = 1000.0;
  const char* names[6] = {"Ấp Nhà Mát", "Khóm 1", "Ấp Vĩnh Trạch", "Ấp Hiệp Thành", "Khóm Láng Tròn", "Ấp Gành Hào"};
  std::vector<Hamlet> hamlets;
  for (int k = 0; k < 6; ++k) {
    const double hx = x0 + (k % 3) * w, hy = y0 + (k / 3) * h;
    Hamlet hm{"H" + std::to_string(k + 1),
              names[k],
              k < 3 ? "Phường Nhà Mát" : "Xã Vĩnh Trạch Đông",
              "Thành phố Bạc Liêu",
              {}};
    // A slightly irregular hexagon-like outline sharing the rectangle's corners (a partition).
    hm.ring = {{hx, hy}, {hx + w / 2, hy}, {hx + w, hy}, {hx + w, hy + h}, {hx + w / 2, hy + h}, {hx, hy + h}};
    hamlets.push_back(hm);
  }
  std::vector<std::vector<std::uint8_t>> hamlet_wkb;
  for (const auto& hm : hamlets) hamlet_wkb.push_back(test::polygon_wkb(hm.ring));

  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  // Infrastructure: speakers in hamlets 0, 1, 3 only (2, 4, 5 are the gaps); teams in 0 and 4.
  const std::vector<double> sx = {x0 + 600, x0 + 1500, x0 + 2000, x0 + 400},
                            sy = {y0 + 500, y0 + 300, y0 + 700, y0 + 1600};
  const std::vector<double> tx = {x0 + 300, x0 + 1900}, ty = {y0 + 200, y0 + 1500};
  // Households: 60 per hamlet, a third poor, a sixth near-poor.
  std::vector<double> hx, hy, hw;
  std::vector<int> hh_hamlet;
  for (std::size_t k = 0; k < hamlets.size(); ++k) {
    for (int i = 0; i < 60; ++i) {
      hx.push_back(hamlets[k].ring[0].first + 20 + u01(rng) * (w - 40));
      hy.push_back(hamlets[k].ring[0].second + 20 + u01(rng) * (h - 40));
      const double r = u01(rng);
      hw.push_back(r < 0.33 ? 1.0 : (r < 0.5 ? 0.5 : 0.0));
      hh_hamlet.push_back(static_cast<int>(k));
    }
  }
  const std::size_t n_hh = hx.size();
  std::vector<int> reached_speaker(n_hh, 0), reached_team(n_hh, 0);
  for (std::size_t i = 0; i < n_hh; ++i) {
    for (std::size_t s = 0; s < sx.size(); ++s)
      if (toy_level_dba(std::hypot(hx[i] - sx[s], hy[i] - sy[s])) >= k_threshold_dba) reached_speaker[i] = 1;
    for (std::size_t t = 0; t < tx.size(); ++t)
      if (std::hypot(hx[i] - tx[t], hy[i] - ty[t]) <= k_team_reach_m) reached_team[i] = 1;
  }

  // ---- rasters
  const Grid grid = Grid::covering(x0, y0, x0 + 3 * w, y0 + 2 * h, 10.0, k_epsg);
  const auto ids = hamlet_id_grid(grid, hamlet_wkb);
  const auto mask = mask_from_ids(ids);
  const PointKernel level = [&](std::size_t, double dx, double dy) {
    return static_cast<float>(toy_level_dba(std::hypot(dx, dy)));
  };
  std::map<std::string, std::string> meta = {{"SCENARIO", "Mẫu GIS — Bạc Liêu (synthetic)"}};
  auto speech = accumulate_point_sources(grid, vec(sx), vec(sy), 1500.0, level, {Reduce::max, 0}, mask);
  auto audible =
      accumulate_point_sources(grid, vec(sx), vec(sy), 1500.0, level, {Reduce::count_at_least, k_threshold_dba}, mask);
  auto team = nearest_distance_grid(grid, vec(tx), vec(ty), mask);
  std::vector<double> gap_w(n_hh);
  for (std::size_t i = 0; i < n_hh; ++i) gap_w[i] = (reached_speaker[i] || reached_team[i]) ? 0.0 : hw[i];
  auto density = point_density_grid(grid, vec(hx), vec(hy), vec(gap_w), 150.0, mask);
  int max_count = 1;
  for (const float v : audible)
    if (std::isfinite(v)) max_count = std::max(max_count, static_cast<int>(v));
  double max_density = 1.0;
  for (const float v : density)
    if (std::isfinite(v)) max_density = std::max(max_density, static_cast<double>(v));

  const std::filesystem::path dir(out_dir);
  auto raster = [&](const std::string& name, std::vector<float> values, const std::string& unit, BandType type,
                    Resampling resampling, const std::string& qml) {
    RasterSpec spec{name, layer_title(name, lang), unit, type, std::nullopt, resampling, meta, 0.0};
    write_raster(grid, std::move(values), spec, (dir / (name + ".tif")).string());
    write_qml((dir / (name + ".qml")).string(), qml);
  };
  raster("speech_level", std::move(speech), "dB(A)", BandType::float32, Resampling::average,
         speech_level_qml(lang, k_threshold_dba));
  raster("speakers_audible", std::move(audible), "count", BandType::byte, Resampling::nearest,
         speakers_audible_qml(lang, max_count));
  raster("team_distance", std::move(team), "m", BandType::float32, Resampling::average,
         team_distance_qml(lang, k_team_reach_m));
  raster("gap_density", std::move(density), "1/km2", BandType::float32, Resampling::average,
         gap_density_qml(lang, max_density));

  // ---- vector tables
  Table hamlet_table;
  {
    std::vector<std::string> id, name, commune, district;
    std::vector<std::int64_t> households(6, 0), target_hh(6, 0), rs(6, 0), rt(6, 0), ra(6, 0), gap_hh(6, 0), rank(6, 0);
    std::vector<double> target_w(6, 0.0), gap_wt(6, 0.0), gap_rate(6, 0.0);
    std::vector<bool> rate_null(6, false);
    for (const auto& hm : hamlets) {
      id.push_back(hm.id);
      name.push_back(hm.name);
      commune.push_back(hm.commune);
      district.push_back(hm.district);
    }
    for (std::size_t i = 0; i < n_hh; ++i) {
      const auto k = static_cast<std::size_t>(hh_hamlet[i]);
      ++households[k];
      if (hw[i] <= 0) continue;
      ++target_hh[k];
      target_w[k] += hw[i];
      rs[k] += reached_speaker[i];
      rt[k] += reached_team[i];
      const bool any = reached_speaker[i] || reached_team[i];
      ra[k] += any ? 1 : 0;
      if (!any) {
        ++gap_hh[k];
        gap_wt[k] += hw[i];
      }
    }
    std::vector<std::size_t> order(6);
    for (std::size_t k = 0; k < 6; ++k) {
      order[k] = k;
      if (target_w[k] > 0)
        gap_rate[k] = gap_wt[k] / target_w[k];
      else
        rate_null[k] = true;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return gap_wt[a] > gap_wt[b]; });
    for (std::size_t r = 0; r < 6; ++r) rank[order[r]] = static_cast<std::int64_t>(r + 1);
    hamlet_table.add_text("hamlet_id", id);
    hamlet_table.add_text("name", name);
    hamlet_table.add_text("commune", commune);
    hamlet_table.add_text("district", district);
    hamlet_table.add_integer("households", households);
    hamlet_table.add_integer("target_households", target_hh);
    hamlet_table.add_real("target_weight", target_w);
    hamlet_table.add_integer("reached_speaker", rs);
    hamlet_table.add_integer("reached_team", rt);
    hamlet_table.add_integer("reached_any", ra);
    hamlet_table.add_integer("gap_households", gap_hh);
    hamlet_table.add_real("gap_weight", gap_wt);
    hamlet_table.add_real("gap_rate", gap_rate, rate_null);
    hamlet_table.add_integer("rank", rank);
    hamlet_table.geometry_kind = GeometryKind::polygon;
    hamlet_table.wkb = hamlet_wkb;
  }
  auto points_table = [](const std::vector<double>& xs, const std::vector<double>& ys, const std::string& prefix) {
    Table t;
    std::vector<std::string> id;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      id.push_back(prefix + std::to_string(i + 1));
      t.wkb.push_back(infogap::detail::point_wkb(xs[i], ys[i]));
    }
    t.add_text(prefix == "S" ? "speaker_id" : (prefix == "T" ? "team_id" : "household_id"), id);
    t.geometry_kind = GeometryKind::point;
    return t;
  };
  Table speakers = points_table(sx, sy, "S");
  Table teams = points_table(tx, ty, "T");
  Table households = points_table(hx, hy, "HH");
  {
    std::vector<double> weight(hw);
    std::vector<std::int64_t> reached(n_hh);
    for (std::size_t i = 0; i < n_hh; ++i) reached[i] = (reached_speaker[i] || reached_team[i]) ? 1 : 0;
    households.add_real("weight", weight);
    households.add_integer("reached", reached);
  }
  Table sites;
  {
    const std::vector<double> px = {x0 + 3 * w - 500, x0 + 2 * w + 600, x0 + 600},
                              py = {y0 + 500, y0 + 1500, y0 + 1500};
    std::vector<std::string> site_id = {"P1", "P2", "P3"}, kind = {"speaker", "team", "speaker"},
                             hamlet = {"H3", "H6", "H4"};
    for (std::size_t i = 0; i < px.size(); ++i) sites.wkb.push_back(infogap::detail::point_wkb(px[i], py[i]));
    sites.add_text("site_id", site_id);
    sites.add_text("kind", kind);
    sites.add_integer("rank", {1, 2, 3});
    sites.add_real("marginal_weight", {12.5, 8.0, 4.5});
    sites.add_integer("marginal_households", {15, 10, 6});
    sites.add_real("cumulative_weight", {12.5, 20.5, 25.0});
    sites.add_text("hamlet_id", hamlet);
    sites.geometry_kind = GeometryKind::point;
  }
  detail::write_gpkg((dir / "coverage.gpkg").string(),
                     {{"hamlets", &hamlet_table, gap_rate_qml(lang)},
                      {"households", &households, households_qml()},
                      {"speakers", &speakers, speakers_qml()},
                      {"teams", &teams, teams_qml()},
                      {"proposed_sites", &sites, proposed_sites_qml(lang)}},
                     k_epsg);

  // ---- shapefiles with ≤ 10-character fields, fields.csv, sidecar QML
  std::vector<std::string> long_names, short_names;
  auto shorten_table = [&](Table t) {
    std::vector<std::string> longs;
    for (const Column& c : t.columns) longs.push_back(c.name);
    const auto shorts = shapefile_fields(longs);
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      if (std::find(long_names.begin(), long_names.end(), longs[i]) == long_names.end()) {
        long_names.push_back(longs[i]);
        short_names.push_back(shorts[i]);
      }
      t.columns[i].name = shorts[i];
    }
    return t;
  };
  detail::write_shapefile(out_dir, "hamlets", shorten_table(hamlet_table), k_epsg);
  write_qml((dir / "hamlets.qml").string(), gap_rate_qml(lang));
  detail::write_shapefile(out_dir, "proposed_sites", shorten_table(sites), k_epsg);
  write_qml((dir / "proposed_sites.qml").string(), proposed_sites_qml(lang));
  write_fields_csv((dir / "fields.csv").string(), short_names, long_names);

  // ---- QGIS project
  ProjectSpec project;
  project.title = "infogap — " + std::string(lang == Language::vi ? "Mẫu GIS Bạc Liêu" : "Bạc Liêu GIS sample");
  project.epsg = k_epsg;
  project.extent = std::array<double, 4>{grid.origin_x, grid.min_y(), grid.max_x(), grid.origin_y};
  auto vector_layer = [&](const std::string& key, const std::string& qml, bool visible = true) {
    return ProjectLayer{layer_title(key, lang), "coverage.gpkg|layername=" + key, "ogr", qml, visible};
  };
  auto raster_layer = [&](const std::string& key, const std::string& qml, bool visible) {
    return ProjectLayer{layer_title(key, lang), key + ".tif", "gdal", qml, visible};
  };
  project.groups = {
      {layer_title("proposals", lang), {vector_layer("proposed_sites", proposed_sites_qml(lang))}},
      {layer_title("infrastructure", lang),
       {vector_layer("speakers", speakers_qml()), vector_layer("teams", teams_qml()),
        vector_layer("households", households_qml(), false)}},
      // gap_density above the hamlets: transparent where there is no gap.
      {layer_title("gaps", lang),
       {raster_layer("gap_density", gap_density_qml(lang, max_density), true),
        vector_layer("hamlets", gap_rate_qml(lang))}},
      // Under the opaque hamlet fills: unchecked, the user turns one on with the hamlets off.
      {layer_title("coverage", lang),
       {raster_layer("speech_level", speech_level_qml(lang, k_threshold_dba), false),
        raster_layer("speakers_audible", speakers_audible_qml(lang, max_count), false),
        raster_layer("team_distance", team_distance_qml(lang, k_team_reach_m), false)}},
  };
  write_qgis_project((dir / "infogap.qgs").string(), project);
  return 0;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// N polygons partitioning the extent in a near-square lattice, each outline with ~200 jittered
/// vertices (shared edges jittered identically, so they still partition it).
std::vector<std::vector<std::uint8_t>> lattice_polygons(double minx, double miny, double maxx, double maxy, int n) {
  const int cols = std::max(1, static_cast<int>(std::round(std::sqrt(n * (maxx - minx) / (maxy - miny)))));
  const int rows = std::max(1, (n + cols - 1) / cols);
  const double cw = (maxx - minx) / cols, ch = (maxy - miny) / rows;
  constexpr int k_steps = 50;  // vertices per side
  auto jitter = [](double a, double b) { return 0.15 * std::sin(a * 0.0037 + b * 0.0051) * 100.0; };
  std::vector<std::vector<std::uint8_t>> out;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const double ax = minx + c * cw, ay = miny + r * ch;
      std::vector<std::pair<double, double>> ring;
      auto edge = [&](double x1, double y1, double x2, double y2, bool interior) {
        for (int s = 0; s < k_steps; ++s) {
          const double t = static_cast<double>(s) / k_steps;
          double x = x1 + (x2 - x1) * t, y = y1 + (y2 - y1) * t;
          if (interior && s > 0) {
            const double j = jitter(std::min(x1, x2) + std::abs(x2 - x1) * t, std::min(y1, y2) + std::abs(y2 - y1) * t);
            if (y1 == y2)
              y += j;
            else
              x += j;
          }
          ring.emplace_back(x, y);
        }
      };
      edge(ax, ay, ax + cw, ay, r > 0);
      edge(ax + cw, ay, ax + cw, ay + ch, c < cols - 1);
      edge(ax + cw, ay + ch, ax, ay + ch, r < rows - 1);
      edge(ax, ay + ch, ax, ay, c > 0);
      out.push_back(test::polygon_wkb(ring));
    }
  }
  return out;
}

int bench(const std::vector<std::string>& args) {
  std::string points_csv, out_tif;
  double cell = 10.0, minx = 0, miny = 0, maxx = 0, maxy = 0;
  int n_hamlets = 0;
  double quantum = 0.0, source_radius = 800.0;
  int n_sources = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--bench")
      points_csv = args.at(++i);
    else if (args[i] == "--cell")
      cell = std::stod(args.at(++i));
    else if (args[i] == "--out")
      out_tif = args.at(++i);
    else if (args[i] == "--hamlets")
      n_hamlets = std::stoi(args.at(++i));
    else if (args[i] == "--quantum")
      quantum = std::stod(args.at(++i));
    else if (args[i] == "--sources")
      n_sources = std::stoi(args.at(++i));
    else if (args[i] == "--source-radius")
      source_radius = std::stod(args.at(++i));
    else if (args[i] == "--extent") {
      minx = std::stod(args.at(++i));
      miny = std::stod(args.at(++i));
      maxx = std::stod(args.at(++i));
      maxy = std::stod(args.at(++i));
    } else {
      throw InvalidInput(ErrorCode::invalid_input, "unknown argument " + args[i]);
    }
  }
  std::ifstream in(points_csv);
  if (!in) throw IoError(ErrorCode::io, "cannot read " + points_csv);
  std::string line;
  std::getline(in, line);  // header
  std::vector<double> xs, ys;
  while (std::getline(in, line)) {
    const auto comma = line.find(',');
    if (comma == std::string::npos) continue;
    xs.push_back(std::stod(line.substr(0, comma)));
    ys.push_back(std::stod(line.substr(comma + 1)));
  }
  const Grid grid = Grid::covering(minx, miny, maxx, maxy, cell, k_epsg);
  auto t0 = std::chrono::steady_clock::now();
  auto dist = nearest_distance_grid(grid, vec(xs), vec(ys));
  const double t_distance = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  write_raster(grid, std::move(dist),
               {"team_distance", "", "m", BandType::float32, std::nullopt, Resampling::average, {}, quantum}, out_tif);
  const double t_write = seconds_since(t0);
  double t_hamlets = -1.0;
  std::size_t inside = 0;
  if (n_hamlets > 0) {
    const auto polygons = lattice_polygons(minx, miny, maxx, maxy, n_hamlets);
    t0 = std::chrono::steady_clock::now();
    const auto ids = hamlet_id_grid(grid, polygons);
    t_hamlets = seconds_since(t0);
    inside = static_cast<std::size_t>(std::count_if(ids.begin(), ids.end(), [](std::int32_t v) { return v >= 0; }));
    n_hamlets = static_cast<int>(polygons.size());
  }
  // Point sources (loudspeaker clusters) with the toy level kernel: loudest level and audible count.
  double t_max = -1.0, t_count = -1.0;
  if (n_sources > 0) {
    std::mt19937_64 rng(99);
    std::uniform_real_distribution<double> ux(minx, maxx), uy(miny, maxy);
    std::vector<double> sx, sy;
    for (int i = 0; i < n_sources; ++i) {
      sx.push_back(ux(rng));
      sy.push_back(uy(rng));
    }
    const PointKernel level = [](std::size_t, double dx, double dy) {
      return static_cast<float>(toy_level_dba(std::hypot(dx, dy)));
    };
    t0 = std::chrono::steady_clock::now();
    const auto loudest = accumulate_point_sources(grid, vec(sx), vec(sy), source_radius, level, {Reduce::max, 0});
    t_max = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    const auto audible = accumulate_point_sources(grid, vec(sx), vec(sy), source_radius, level,
                                                  {Reduce::count_at_least, k_threshold_dba});
    t_count = seconds_since(t0);
  }
  std::printf(
      "{\"width\": %d, \"height\": %d, \"cells\": %zu, \"origin_x\": %.3f, \"origin_y\": %.3f, \"points\": %zu, "
      "\"distance_s\": %.4f, \"write_s\": %.4f, \"hamlets\": %d, \"hamlet_grid_s\": %.4f, \"cells_in_hamlets\": %zu, "
      "\"sources\": %d, \"source_radius_m\": %.1f, \"sources_max_s\": %.4f, \"sources_count_s\": %.4f}\n",
      grid.width, grid.height, grid.size(), grid.origin_x, grid.origin_y, xs.size(), t_distance, t_write, n_hamlets,
      t_hamlets, inside, n_sources, source_radius, t_max, t_count);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (!args.empty() && args[0] == "--bench") return bench(args);
    if (args.empty() || args[0].rfind("--", 0) == 0) {
      std::cerr << "usage: infogap_gis_sample OUT_DIR [--lang vi|en]\n"
                   "       infogap_gis_sample --bench POINTS_CSV --cell M --extent MINX MINY MAXX MAXY --out TIF "
                   "[--hamlets N] [--quantum Q] [--sources N [--source-radius M]]\n";
      return 2;
    }
    Language lang = Language::vi;
    if (args.size() >= 3 && args[1] == "--lang") lang = language_from_code(args[2]);
    return write_sample(args[0], lang);
  } catch (const infogap::Error& e) {
    std::cerr << "infogap_gis_sample: " << e.what() << "\n";
    return infogap::exit_code_for(e.code());
  } catch (const std::exception& e) {
    std::cerr << "infogap_gis_sample: " << e.what() << "\n";
    return 2;
  }
}
