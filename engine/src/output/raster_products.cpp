// Raster products of a run: speech level and audible count (one pass over the clusters of the
// run's SpeakerField), distance to the nearest team, unreached target weight per km²; written as
// COGs with their .qml sidecars.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>

#include "infogap/raster.hpp"
#include "infogap/styles.hpp"
#include "output/products.hpp"
#include "spatial/extent.hpp"

namespace fs = std::filesystem;

namespace infogap::detail {
namespace {

constexpr double k_gap_density_radius_m = 300.0;
/// The speech-level raster draws levels down to this far below the reach threshold; quieter cells
/// inside hamlets hold the floor value (documented in the band metadata as FLOOR_DBA).
constexpr double k_raster_floor_below_threshold_db = 6.0;

struct RasterSet {
  Grid grid;
  std::vector<float> speech, audible, distance, density;
  std::vector<std::vector<float>> condition_speech;  ///< per listening condition: speech level
  double max_density = 0, floor_dba = 0;
  int max_audible = 0;
};

/// An upper bound g (dB) on how much a cluster's horns add to each other: at any distance d from
/// co-located horns, 10·lg Σ 10^((T_h(d) + D_h(β))/10) ≤ max_h T_h(d) + g for every bearing β,
/// with g = 10·lg max_β Σ_h 10^(D_h(β)/10). The maximum over β is bounded rigorously on 0.5°
/// intervals (on each, every D_h is taken at the interval's angle nearest its axis). Horns apart
/// from each other, or without an azimuth, give the general bound 10·lg n.
double cluster_gain_db(const Speakers& sp, const std::vector<std::int32_t>& members, double x, double y) {
  const double n_bound = 10.0 * std::log10(static_cast<double>(members.size()));
  if (members.size() == 1) return 0.0;
  for (auto h : members)
    if (std::hypot(sp.x_m[h] - x, sp.y_m[h] - y) > 1e-6 || std::isnan(sp.azimuth_deg[h])) return n_bound;
  constexpr double k_step_deg = 0.5;
  double best = 0.0;
  for (int k = 0; k < static_cast<int>(360.0 / k_step_deg); ++k) {
    const double lo = k * k_step_deg, hi = lo + k_step_deg;
    double sum = 0.0;
    for (auto h : members) {
      Horn horn;
      horn.azimuth_deg = sp.azimuth_deg[h];
      horn.beamwidth_deg = sp.beamwidth_deg[h];
      const double az = std::fmod(std::fmod(horn.azimuth_deg, 360.0) + 360.0, 360.0);
      // The bearing in [lo, hi] nearest the axis (angles on the circle).
      double nearest = az;
      if (!(az >= lo && az <= hi)) {
        const auto gap = [](double a, double b) {
          const double d = std::fmod(std::abs(a - b), 360.0);
          return std::min(d, 360.0 - d);
        };
        nearest = gap(az, lo) <= gap(az, hi) ? lo : hi;
      }
      sum += std::pow(10.0, directivity_db(horn, nearest) / 10.0);
    }
    best = std::max(best, sum);
  }
  return std::min(n_bound, 10.0 * std::log10(best));
}

RasterSet compute_rasters(const Scenario& sc, const Inputs& in, const CoverageResult& cov, const SpeakerField& field,
                          std::map<std::string, double>& timings) {
  RasterSet r;
  auto t0 = std::chrono::steady_clock::now();
  auto lap = [&](const char* step) {
    const auto t1 = std::chrono::steady_clock::now();
    timings[std::string("raster_") + step] += std::chrono::duration<double>(t1 - t0).count();
    t0 = t1;
  };
  double minx, miny, maxx, maxy;
  hamlets_extent(in.hamlets, minx, miny, maxx, maxy);
  r.grid = Grid::covering(minx, miny, maxx, maxy, sc.output.raster_cell_m, in.working_epsg);
  const std::vector<std::int32_t> ids = hamlet_id_grid(r.grid, in.hamlets.wkb);
  const std::vector<std::uint8_t> mask = mask_from_ids(ids);
  lap("hamlet_grid");

  // Loudspeakers: one source per cluster; the kernel is the cluster's energy sum at the cell.
  r.floor_dba = field.threshold_dba() - k_raster_floor_below_threshold_db;
  const auto nc = static_cast<Eigen::Index>(field.clusters());
  Eigen::VectorXd cx(nc), cy(nc), cr(nc);
  // Cluster centres, and the distance beyond which a cluster stays below floor_dba.
  auto place_clusters = [&](const SpeakerField& f, double floor_dba) {
    for (Eigen::Index c = 0; c < nc; ++c) {
      const auto& members = f.cluster_members(static_cast<std::size_t>(c));
      double x = 0, y = 0, reach = 0;
      for (auto h : members) {
        x += in.speakers.x_m[h];
        y += in.speakers.y_m[h];
      }
      x /= static_cast<double>(members.size());
      y /= static_cast<double>(members.size());
      // Beyond the distance where every horn's on-axis level is below floor − g, the cluster's
      // energy sum stays below the floor (see cluster_gain_db): its cells can be skipped.
      const double floor_each = floor_dba - cluster_gain_db(in.speakers, members, x, y);
      for (auto h : members) {
        const double off = std::hypot(in.speakers.x_m[h] - x, in.speakers.y_m[h] - y);
        const double horn_reach = f.radius_model() ? f.range_m(static_cast<std::size_t>(h))
                                                   : f.reach_m(static_cast<std::size_t>(h), floor_each);
        reach = std::max(reach, horn_reach + off);
      }
      cx[c] = x;
      cy[c] = y;
      cr[c] = reach;
    }
  };
  place_clusters(field, r.floor_dba);
  auto level_of = [&](const SpeakerField& f) -> PointKernel {
    return [&f, &cx, &cy](std::size_t c, double dx, double dy) {
      const double l =
          f.cluster_level_dba(c, cx[static_cast<Eigen::Index>(c)] + dx, cy[static_cast<Eigen::Index>(c)] + dy);
      return l > -std::numeric_limits<double>::infinity() ? static_cast<float>(l)
                                                          : -std::numeric_limits<float>::infinity();
    };
  };
  if (field.radius_model()) {
    // No acoustic level in the radius model: a cell is reached within range_m.
    const PointKernel within = [&](std::size_t c, double dx, double dy) {
      const auto& members = field.cluster_members(c);
      for (auto h : members) {
        const double ddx = dx + cx[static_cast<Eigen::Index>(c)] - in.speakers.x_m[h];
        const double ddy = dy + cy[static_cast<Eigen::Index>(c)] - in.speakers.y_m[h];
        if (ddx * ddx + ddy * ddy <=
            field.range_m(static_cast<std::size_t>(h)) * field.range_m(static_cast<std::size_t>(h)))
          return 1.0f;
      }
      return 0.0f;
    };
    r.audible = accumulate_point_sources(r.grid, cx, cy, cr, within, Reducer{Reduce::sum, 0.0}, mask);
    r.speech.assign(r.grid.size(), static_cast<float>(k_float_nodata));
    for (std::size_t k = 0; k < sc.acoustics.conditions.size(); ++k) r.condition_speech.push_back(r.speech);
  } else {
    // One pass: the loudest cluster and the number of clusters at or above the threshold.
    auto both = accumulate_point_sources(
        r.grid, cx, cy, cr, level_of(field),
        std::vector<Reducer>{{Reduce::max, 0.0}, {Reduce::count_at_least, field.threshold_dba()}}, mask);
    r.speech = std::move(both[0]);
    r.audible = std::move(both[1]);
    // Listening conditions: a band each. The same air and receiver height: the run's levels less
    // the condition's extra facade loss; another air: a pass on a field of its own.
    const auto& ac = sc.acoustics;
    for (const auto& c : ac.conditions) {
      const AcousticsParams a = ac.under(c);
      const double floor_c = a.ambient_dba + a.required_snr_db - k_raster_floor_below_threshold_db;
      std::vector<float> band;
      if (a.temperature_c == ac.temperature_c && a.humidity_pct == ac.humidity_pct &&
          a.receiver_height_m == ac.receiver_height_m) {
        band = r.speech;
        const auto shift = static_cast<float>(a.facade_loss_db - ac.facade_loss_db);
        for (float& v : band) v -= shift;
      } else {
        Scenario sc_c = sc;
        sc_c.acoustics = a;
        const SpeakerField f(sc_c, in.speakers);
        place_clusters(f, floor_c);
        band = accumulate_point_sources(r.grid, cx, cy, cr, level_of(f), Reducer{Reduce::max, 0.0}, mask);
      }
      for (std::size_t k = 0; k < band.size(); ++k)
        if (mask[k] && !(band[k] >= floor_c)) band[k] = static_cast<float>(floor_c);
      r.condition_speech.push_back(std::move(band));
    }
    for (std::size_t k = 0; k < r.speech.size(); ++k)
      if (mask[k] && !(r.speech[k] >= r.floor_dba)) r.speech[k] = static_cast<float>(r.floor_dba);
  }
  lap("speech_level_and_audible");
  for (float v : r.audible)
    if (std::isfinite(v)) r.max_audible = std::max(r.max_audible, static_cast<int>(v));
  r.distance = nearest_distance_grid(r.grid, in.teams.x_m, in.teams.y_m, mask);
  lap("team_distance");

  // Unreached target weight per km².
  std::vector<double> gx, gy, gw;
  for (std::size_t i = 0; i < in.households.size(); ++i) {
    const double w = cov.households.weight[static_cast<Eigen::Index>(i)];
    if (w > 0 && !cov.households.reached[i]) {
      gx.push_back(in.households.x_m[static_cast<Eigen::Index>(i)]);
      gy.push_back(in.households.y_m[static_cast<Eigen::Index>(i)]);
      gw.push_back(w);
    }
  }
  r.density = point_density_grid(r.grid, Eigen::Map<Eigen::VectorXd>(gx.data(), static_cast<Eigen::Index>(gx.size())),
                                 Eigen::Map<Eigen::VectorXd>(gy.data(), static_cast<Eigen::Index>(gy.size())),
                                 Eigen::Map<Eigen::VectorXd>(gw.data(), static_cast<Eigen::Index>(gw.size())),
                                 k_gap_density_radius_m, mask);
  for (float v : r.density)
    if (std::isfinite(v)) r.max_density = std::max(r.max_density, static_cast<double>(v));
  lap("gap_density");
  return r;
}

}  // namespace

void write_raster_products(const Scenario& sc, const Inputs& in, const CoverageResult& cov, const SpeakerField& field,
                           const std::string& staging_dir, RunStyles& styles, std::map<std::string, double>& timings,
                           WriteProgress& progress) {
  const fs::path dir(staging_dir);
  const Language lang = styles.language;
  auto timed = [&timings](const std::string& stage, auto&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    timings["write_" + stage] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  RasterSet r;
  timed("rasterize", [&] { r = compute_rasters(sc, in, cov, field, timings); });
  progress.done("rasterize");
  styles.qml["speakers_audible"] = speakers_audible_qml(lang, std::max(1, r.max_audible));
  styles.qml["gap_density"] = gap_density_qml(lang, std::max(1.0, r.max_density));
  timed("tif", [&] {
    std::map<std::string, std::string> meta{{"SCENARIO", sc.name}, {"SOFTWARE", "infogap"}};
    auto speech_meta = meta;
    speech_meta["FLOOR_DBA"] = std::to_string(r.floor_dba);
    speech_meta["THRESHOLD_DBA"] = std::to_string(field.threshold_dba());
    RasterSpec speech{
        "speech_level",
        "Loudest loudspeaker cluster, A-weighted speech level (cells quieter than FLOOR_DBA hold FLOOR_DBA)",
        "dB(A)",
        BandType::float32,
        std::nullopt,
        Resampling::average,
        speech_meta,
        0.05};
    if (field.radius_model()) speech.description = "Radius model: no acoustic level computed (nodata)";
    // Band 1 the scenario's acoustics; with acoustics.conditions one more band per condition,
    // described by its name.
    std::vector<std::string> condition_names;
    for (const auto& c : sc.acoustics.conditions) condition_names.push_back(c.name);
    write_raster(r.grid, std::move(r.speech), std::move(r.condition_speech), condition_names, speech,
                 (dir / "speech_level.tif").string(), progress.within("speech_level"));
    write_qml((dir / "speech_level.qml").string(), styles.of("speech_level"));
    RasterSpec audible{"speakers_audible",
                       "Number of loudspeaker clusters that reach the cell",
                       "count",
                       BandType::byte,
                       std::nullopt,
                       Resampling::nearest,
                       meta,
                       0.0};
    write_raster(r.grid, std::move(r.audible), audible, (dir / "speakers_audible.tif").string(),
                 progress.within("speakers_audible"));
    write_qml((dir / "speakers_audible.qml").string(), styles.of("speakers_audible"));
    RasterSpec dist{"team_distance",
                    "Distance to the nearest digital-technology team",
                    "m",
                    BandType::float32,
                    std::nullopt,
                    Resampling::average,
                    meta,
                    0.5};
    write_raster(r.grid, std::move(r.distance), dist, (dir / "team_distance.tif").string(),
                 progress.within("team_distance"));
    write_qml((dir / "team_distance.qml").string(), styles.of("team_distance"));
    RasterSpec density{"gap_density", "Unreached target weight per km2",
                       "1/km2",       BandType::float32,
                       std::nullopt,  Resampling::average,
                       meta,          0.0};
    write_raster(r.grid, std::move(r.density), density, (dir / "gap_density.tif").string(),
                 progress.within("gap_density"));
    write_qml((dir / "gap_density.qml").string(), styles.of("gap_density"));
  });
}

}  // namespace infogap::detail
