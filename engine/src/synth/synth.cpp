#include "infogap/synth.hpp"
#include "core/atomic_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "synth/boundaries.hpp"
#include "synth/province.hpp"
#include "synth/spec.hpp"

namespace infogap {

namespace detail::synth {

ProvinceSpec province_spec(const SynthOptions& o, std::int64_t households) {
  ProvinceSpec spec = bac_lieu_spec(households);
  const std::string dir = o.boundaries.empty() ? default_boundaries_dir() : o.boundaries;
  attach_boundaries(spec, read_boundaries(dir));
  return spec;
}

std::int64_t resolved_households(const SynthOptions& o) {
  if (o.households < 0) throw InvalidInput(ErrorCode::invalid_input, "synth: --households must be >= 0");
  if (o.households > 0) return o.households;
  return o.scale == SynthScale::province ? k_synth_province_households : k_synth_national_households;
}

void prepare_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw IoError(ErrorCode::io, "cannot create the output folder " + dir.string() + (ec ? ": " + ec.message() : ""),
                  {dir.string(), "", "", {}});
}

}  // namespace detail::synth

namespace {

namespace fs = std::filesystem;
using detail::synth::fixed_text;
using detail::synth::HouseholdBlock;
using detail::synth::ProvinceData;
using detail::synth::ProvinceSpec;

constexpr int k_national_communes = 10000;  // ≈; rounded up to whole tiles of 64
constexpr int k_national_hamlets = 100000;
constexpr int k_tile_communes = 64;
constexpr double k_tile_spacing_m = 62000.0;
constexpr int k_tile_columns = 11;

using detail::synth::prepare_dir;
using detail::synth::province_spec;
using detail::synth::resolved_households;

void report(const ProgressFn& progress, const std::string& stage, double fraction) {
  if (progress) progress(stage, fraction);
}

// ---- households CSV (gzip, streamed) --------------------------------------------------------------

/// Writes households.csv.gz under a temporary name; commit() renames it into place.
class HouseholdCsvWriter {
 public:
  HouseholdCsvWriter(fs::path final_path, int level) : m_final(std::move(final_path)) {
    m_temp = m_final.parent_path() / ".households.tmp.csv.gz";
    const std::string mode = "wb" + std::to_string(level);
    m_file = gzopen(m_temp.string().c_str(), mode.c_str());
    if (m_file == nullptr)
      throw IoError(ErrorCode::io, "cannot create " + m_temp.string(), {m_final.string(), "", "", {}});
    m_buffer = "household_id,lon,lat,poverty,members,uses_internet,info_devices\n";
  }
  ~HouseholdCsvWriter() {
    if (m_file != nullptr) {
      gzclose(m_file);
      std::error_code ec;
      fs::remove(m_temp, ec);
    }
  }
  HouseholdCsvWriter(const HouseholdCsvWriter&) = delete;
  HouseholdCsvWriter& operator=(const HouseholdCsvWriter&) = delete;

  void write(const HouseholdBlock& hb, std::int64_t first_id) {
    for (std::size_t i = 0; i < hb.size(); ++i) {
      m_buffer += std::to_string(first_id + static_cast<std::int64_t>(i));
      m_buffer += ',';
      m_buffer += fixed_text(hb.lon[i], 6);
      m_buffer += ',';
      m_buffer += fixed_text(hb.lat[i], 6);
      m_buffer += ',';
      m_buffer += detail::synth::poverty_text(hb.poverty[i]);
      m_buffer += ',';
      m_buffer += std::to_string(hb.members[i]);
      m_buffer += ',';
      m_buffer += std::to_string(hb.internet[i]);
      m_buffer += ',';
      m_buffer += std::to_string(hb.devices[i]);
      m_buffer += '\n';
      if (m_buffer.size() > (1u << 20)) flush();
    }
  }
  void commit() {
    flush();
    const int rc = gzclose(m_file);
    m_file = nullptr;
    if (rc != Z_OK) throw IoError(ErrorCode::io, "cannot write " + m_temp.string(), {m_final.string(), "", "", {}});
    std::error_code ec;
    fs::rename(m_temp, m_final, ec);
    if (ec)
      throw IoError(ErrorCode::io, "cannot rename to " + m_final.string() + ": " + ec.message(),
                    {m_final.string(), "", "", {}});
  }

 private:
  void flush() {
    if (m_buffer.empty()) return;
    const int n = gzwrite(m_file, m_buffer.data(), static_cast<unsigned>(m_buffer.size()));
    if (n <= 0 || static_cast<std::size_t>(n) != m_buffer.size())
      throw IoError(ErrorCode::io, "cannot write " + m_temp.string(), {m_final.string(), "", "", {}});
    m_buffer.clear();
  }
  fs::path m_final, m_temp;
  gzFile m_file = nullptr;
  std::string m_buffer;
};

Table households_table(const HouseholdBlock& hb, std::int64_t first_id) {
  Table t;
  const std::size_t n = hb.size();
  std::vector<std::int64_t> id(n), members(n), internet(n), devices(n);
  std::vector<std::string> poverty(n);
  for (std::size_t i = 0; i < n; ++i) {
    id[i] = first_id + static_cast<std::int64_t>(i);
    poverty[i] = detail::synth::poverty_text(hb.poverty[i]);
    members[i] = hb.members[i];
    internet[i] = hb.internet[i];
    devices[i] = hb.devices[i];
  }
  t.add_integer("household_id", std::move(id));
  t.add_real("lon", hb.lon);
  t.add_real("lat", hb.lat);
  t.add_text("poverty", std::move(poverty));
  t.add_integer("members", std::move(members));
  t.add_integer("uses_internet", std::move(internet));
  t.add_integer("info_devices", std::move(devices));
  return t;
}

// Appends the rows of b to a (same columns in the same order).
void append_table(Table& a, Table&& b) {
  if (a.columns.empty() && a.wkb.empty()) {
    a = std::move(b);
    return;
  }
  const std::size_t rows_a = a.rows(), rows_b = b.rows();
  if (a.columns.size() != b.columns.size())
    throw Error(ErrorCode::internal, "synth: appending tables of different shapes");
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    Column& ca = a.columns[i];
    Column& cb = b.columns[i];
    if (!ca.null.empty() || !cb.null.empty()) {
      ca.null.resize(rows_a, false);
      cb.null.resize(rows_b, false);
      ca.null.insert(ca.null.end(), cb.null.begin(), cb.null.end());
    }
    ca.ints.insert(ca.ints.end(), cb.ints.begin(), cb.ints.end());
    ca.reals.insert(ca.reals.end(), cb.reals.begin(), cb.reals.end());
    std::move(cb.texts.begin(), cb.texts.end(), std::back_inserter(ca.texts));
  }
  std::move(b.wkb.begin(), b.wkb.end(), std::back_inserter(a.wkb));
}

void add_counts(SynthSummary& s, const ProvinceData& d) {
  s.districts += static_cast<std::int64_t>(d.districts.size());
  s.communes += static_cast<std::int64_t>(d.communes.size());
  s.hamlets += static_cast<std::int64_t>(d.hamlets.size());
  s.households += static_cast<std::int64_t>(d.households.size());
  s.speakers += static_cast<std::int64_t>(d.speakers.rows());
  std::set<std::string> clusters(d.speakers.column("cluster_id").texts.begin(),
                                 d.speakers.column("cluster_id").texts.end());
  s.clusters += static_cast<std::int64_t>(clusters.size());
  s.teams += static_cast<std::int64_t>(d.teams.rows());
  for (std::int64_t m : d.teams.column("members").ints) s.team_members += m;
  s.candidates += static_cast<std::int64_t>(d.candidates.rows());
  for (std::uint8_t p : d.households.poverty) {
    if (p == detail::synth::k_poor) ++s.poor;
    if (p == detail::synth::k_near_poor) ++s.near_poor;
  }
}

std::string percent(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? fixed_text(100.0 * static_cast<double>(part) / static_cast<double>(whole), 2) + " %" : "–";
}

std::string group_digits(std::int64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string readme_text(const SynthOptions& o, const SynthSummary& s, double area_km2) {
  const bool province = o.scale == SynthScale::province;
  std::string t;
  t += province ? "# Bạc Liêu — SYNTHETIC dataset\n\n" : "# National benchmark — SYNTHETIC dataset\n\n";
  t += "**Every record in this folder is SYNTHETIC (dữ liệu tổng hợp, không phải dữ liệu thật)";
  t += province ? ", except the commune and district outlines.** " : ".** ";
  t += "Nothing here describes a real hamlet, household, loudspeaker or team; do not use it to plan anything.\n";
  t += "It was generated by `infogap synth --seed " + std::to_string(o.seed);
  if (o.households > 0) t += " --households " + std::to_string(o.households);
  if (!province) t += " --scale national";
  if (!province && o.provinces > 0) t += " --provinces " + std::to_string(o.provinces);
  t += " -o <dir>` and is regenerated byte for byte (attributes, geometries) by the same command.\n\n";
  if (province) {
    t += "## What is real\n\n";
    t += "- The outlines of the 64 commune-level and 7 district-level units of Bạc Liêu before July 2025\n"
         "  (`context.gpkg`, with their GSO codes): censusVN2009 (MIT, © 2017 Marc Choisy; see `data/README.md`),\n"
         "  2009 vintage and coarse (thinned to ≈160 m). Neighbouring outlines overlap (≈3.8 km² in all): each\n"
         "  overlap went to one commune (wards and towns first, then by GSO code), so the communes partition\n"
         "  their union exactly; the slivers between neighbours (≈5 km²) belong to no commune. The communes\n"
         "  cover " +
         fixed_text(area_km2, 0) +
         " km² (official natural area ≈2,669 km², with coastal and "
         "intertidal land). The districts\n  layer is the real district outlines as published (they differ "
         "from the union of their communes\n  by the coarse thinning).\n";
    t += "- Their Vietnamese names and types (49 xã, 10 phường, 5 thị trấn). Two wards share the name \"Phường 1\";\n"
         "  they are written \"Phường 1 (TP Bạc Liêu)\" and \"Phường 1 (TX Giá Rai)\" so that every commune name is "
         "unique.\n";
    t += "- The counts: ≈225,600 households (default), 512 hamlets (ấp/khóm), 64 commune-level and 512 hamlet\n"
         "  digital-technology teams with 4,177 members in all.\n";
    t += "- The provincial poverty rates of the start of 2022 (5.09 % poor, 6.54 % near-poor) as the province-wide\n"
         "  totals; commune rates scatter around them (higher on the coast and far from the towns).\n";
    t += "- The CRS: EPSG:32648 (WGS 84 / UTM 48N) for the vector layers, EPSG:4326 for the household CSV.\n";
    t += "- Typical equipment: 10–16 loudspeaker clusters per rural commune, mostly 2 horns per cluster, 25–50 W.\n\n";
    t += "## What is synthetic\n\n";
    t += "- Hamlets \"Ấp N\" (xã) / \"Khóm N\" (phường, thị trấn): Voronoi cells of points on canals and roads,\n"
         "  partitioning each (real) commune exactly. No public source has hamlet boundaries.\n";
    t += "- Commune offices (a hand-typed approximate seat for wards and towns when it falls inside, else the\n"
         "  commune's centroid) and the `coastal` flag (within 300 m of the south-east coast of the outlines).\n";
    t += "- Canals, roads and streets (`context.gpkg`; the trunk roads follow hand-typed approximations of the\n"
         "  national and provincial roads), household positions (strung along them, mostly 50–150 m\n"
         "  away in rural communes) and attributes, loudspeakers, teams and candidate sites.\n";
    t += "- `commune_2025` is an ILLUSTRATIVE grouping into 25 post-2025 units (20 xã + 5 phường). Only Phường Bạc "
         "Liêu\n"
         "  (P1, P2, P3, P7, P8), Phường Hiệp Thành (Nhà Mát, Vĩnh Trạch Đông, Hiệp Thành) and Xã Hồng Dân (Ngan Dừa,\n"
         "  Lộc Ninh, Ninh Hòa) follow the published merger; the other groupings are made up.\n";
    t += "- Some hamlets are deliberately left without a loudspeaker, and some households live far from the canals,\n"
         "  so that coverage gaps exist for the engine to find.\n\n";
  } else {
    t +=
        "Synthetic communes are named \"Xã 00123\", districts \"Huyện 0012\"; 64-commune province-like tiles are laid\n"
        "on a grid in EPSG:32648; each tile is a province (\"Tỉnh 001\", the hamlets' `province` column), and the\n"
        "scenario writes a folder per province and a national roll-up (`output.partition_by: province`).\n"
        "For benchmarks only: never commit it.\n\n";
  }
  t += "## Contents\n\n";
  t += "| file | layer | rows | CRS |\n|---|---|---|---|\n";
  t += "| hamlets.gpkg | hamlets | " + group_digits(s.hamlets) + " | EPSG:32648 |\n";
  t += "| households.csv.gz | (CSV, gzip) | " + group_digits(s.households) + " | EPSG:4326 (lon, lat, 6 decimals) |\n";
  t += "| speakers.gpkg | speakers (one row per horn) | " + group_digits(s.speakers) + " horns in " +
       group_digits(s.clusters) + " clusters | EPSG:32648 |\n";
  t += "| teams.gpkg | teams | " + group_digits(s.teams) + " teams, " + group_digits(s.team_members) +
       " members | EPSG:32648 |\n";
  t += "| candidates.gpkg | candidates | " + group_digits(s.candidates) + " | EPSG:32648 |\n";
  t += "| context.gpkg | communes, districts" + std::string(province ? ", canals" : "") + " | " +
       group_digits(s.communes) + " communes, " + group_digits(s.districts) + " districts | EPSG:32648 |\n";
  t += "| scenario.yaml | | | runs as is: `infogap run scenario.yaml` |\n\n";
  t += "Households: " + group_digits(s.poor) + " poor (" + percent(s.poor, s.households) + "), " +
       group_digits(s.near_poor) + " near-poor (" + percent(s.near_poor, s.households) + ").\n\n";
  t += "## Columns\n\n";
  t += "- hamlets: `hamlet_id, name, commune, commune_type (xã|phường|thị trấn), district, commune_2025` "
       "(illustrative).\n";
  t += "- households: `household_id, lon, lat, poverty (poor|near_poor|not_poor), members, uses_internet (0/1),\n"
       "  info_devices (0–4: TV, radio, computer, smartphone)`.\n";
  t += "- speakers: `speaker_id` (one horn), `cluster_id` (one pole), `power_w, sensitivity_db` (dB SPL at 1 W/1 m),\n"
       "  `height_m, azimuth_deg` (compass bearing of the horn axis), `beamwidth_deg` (−6 dB), `hamlet_id, commune, "
       "district`.\n";
  t += "- teams: `team_id, level (commune|hamlet), members, hamlet_id, commune, district`.\n";
  t += "- candidates: `candidate_id, kind (speaker|team|any), type (hamlet_centre|school|cultural_house), name,\n"
       "  hamlet_id, commune, district`.\n";
  return t;
}

struct Layers {
  Table hamlets, speakers, teams, candidates, canals, communes, districts;
};

void write_layers(const fs::path& dir, const Layers& l, bool with_canals, SynthSummary& s) {
  auto gpkg = [&](const char* file, std::vector<detail::VectorLayerOut> layers) {
    const fs::path p = dir / file;
    detail::write_gpkg(p.string(), layers, k_synth_epsg);
    s.files.push_back(p.string());
  };
  gpkg("hamlets.gpkg", {{"hamlets", &l.hamlets, ""}});
  gpkg("speakers.gpkg", {{"speakers", &l.speakers, ""}});
  gpkg("teams.gpkg", {{"teams", &l.teams, ""}});
  gpkg("candidates.gpkg", {{"candidates", &l.candidates, ""}});
  std::vector<detail::VectorLayerOut> context = {{"communes", &l.communes, ""}, {"districts", &l.districts, ""}};
  if (with_canals) context.push_back({"canals", &l.canals, ""});
  gpkg("context.gpkg", context);
}

double table_area_km2(const Table& polygons) {
  double a = 0;
  for (const auto& w : polygons.wkb) a += detail::area(w);
  return a / 1e6;
}

}  // namespace

SynthDataset synth_province(const SynthOptions& options) {
  if (options.scale != SynthScale::province)
    throw InvalidInput(ErrorCode::invalid_input,
                       "synth_province: only the province scale fits in memory; use write_synth");
  const ProvinceSpec spec = province_spec(options, resolved_households(options));
  ProvinceData d = detail::synth::generate_province(spec, options.seed, true);
  SynthDataset out;
  out.hamlets = std::move(d.hamlets_table);
  out.households = households_table(d.households, 1);
  out.speakers = std::move(d.speakers);
  out.teams = std::move(d.teams);
  out.candidates = std::move(d.candidates);
  out.canals = std::move(d.canals);
  out.communes = std::move(d.communes_table);
  out.districts = std::move(d.districts_table);
  return out;
}

namespace {

/// The `province` value of national tile t (0-based): "Tỉnh 001", …
std::string national_province_name(int tile) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "Tỉnh %03d", tile + 1);
  return buf;
}

}  // namespace

std::string synth_scenario_yaml(const SynthOptions& options) {
  const bool province = options.scale == SynthScale::province;
  std::string t;
  t += "# SYNTHETIC data (infogap synth --seed " + std::to_string(options.seed) + "): see README.md.\n";
  t += province ? "name: \"Bạc Liêu — synthetic " + std::to_string(options.seed) + " (SYNTHETIC DATA)\"\n"
                : "name: \"National benchmark — synthetic " + std::to_string(options.seed) + " (SYNTHETIC DATA)\"\n";
  t += "working_crs: auto          # Bạc Liêu → EPSG:32648\n";
  t += "on_bad_rows: reject\n";
  t += "synthetic: true            # the report shows a banner: these data are invented\n";
  t += "hamlets:\n  path: hamlets.gpkg\n  layer: hamlets\n  id: hamlet_id\n  name: name\n";
  t += province ? "  group_by: [commune, district, commune_2025]   # commune_2025: post-2025 units, illustrative\n"
                : "  group_by: [commune, district, commune_2025, province]   # province: one synthetic tile\n";
  t += "households:\n  path: households.csv.gz\n  x: lon\n  y: lat\n  crs: \"EPSG:4326\"\n  id: household_id\n";
  t += "  status: poverty\n  members: members\n  internet: uses_internet\n  devices: info_devices\n";
  t += "speakers:\n  path: speakers.gpkg\n  layer: speakers\n  id: speaker_id\n  cluster: cluster_id\n  model: "
       "iso9613\n";
  t += "  power_w: power_w\n  sensitivity_db: sensitivity_db\n  height_m: height_m\n  azimuth_deg: azimuth_deg\n";
  t += "  beamwidth_deg: beamwidth_deg\n";
  // Scenario choices (not DESIGN defaults): a team works within 1.5 km of its base and a member
  // follows 5 target households closely, so capacity (4,177 × 5) is below the ≈26k target
  // households and both distance- and capacity-limited gaps show in the demo.
  t += "teams:\n  path: teams.gpkg\n  layer: teams\n  id: team_id\n  members: members\n";
  t += "  reach_m: 1500               # scenario choice (default 2000)\n";
  t += "  households_per_member: 5    # scenario choice (default 40)\n";
  t += "optimize:\n  new_speakers: 20\n  new_teams: 5\n";
  t += "  candidates: {path: candidates.gpkg, layer: candidates, id: candidate_id, kind: kind}\n";
  t += "output:\n  dir: out\n  languages: [vi, en]\n  formats: [gpkg, shp, tif, csv, html, qgis]\n";
  if (!province) t += "  partition_by: province     # a folder per province + the national roll-up\n";
  return t;
}

SynthSummary write_synth(const SynthOptions& options, const std::string& out_dir, const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  const std::int64_t households = resolved_households(options);
  if (out_dir.empty()) throw InvalidInput(ErrorCode::invalid_input, "synth: an output folder (-o DIR) is required");
  const fs::path dir(out_dir);
  prepare_dir(dir);
  SynthSummary summary;
  Layers layers;
  double area_km2 = 0;

  if (options.scale == SynthScale::province) {
    report(progress, "generate", 0.0);
    const ProvinceSpec spec = province_spec(options, households);
    ProvinceData d = detail::synth::generate_province(spec, options.seed, true);
    report(progress, "generate", 1.0);
    add_counts(summary, d);
    area_km2 = table_area_km2(d.communes_table);
    report(progress, "write", 0.0);
    HouseholdCsvWriter csv(dir / "households.csv.gz", 9);
    csv.write(d.households, 1);
    csv.commit();
    summary.files.push_back((dir / "households.csv.gz").string());
    layers = Layers{std::move(d.hamlets_table),  std::move(d.speakers), std::move(d.teams),
                    std::move(d.candidates),     std::move(d.canals),   std::move(d.communes_table),
                    std::move(d.districts_table)};
    write_layers(dir, layers, true, summary);
    report(progress, "write", 1.0);
  } else {
    // Province-like tiles of 64 communes on a grid, generated in parallel batches (one tile per
    // worker, each deterministic on its own) and streamed to disk in tile order.
    // --provinces K: the first K tiles, the same as in the whole set unless a household count is given.
    const int all_tiles = (k_national_communes + k_tile_communes - 1) / k_tile_communes;
    if (options.provinces < 0) throw InvalidInput(ErrorCode::invalid_input, "synth: --provinces must be >= 0");
    const int tiles = options.provinces > 0 ? std::min(options.provinces, all_tiles) : all_tiles;
    const int split = options.households > 0 ? tiles : all_tiles;
    std::vector<std::int64_t> tile_households(static_cast<std::size_t>(tiles));
    std::vector<int> tile_hamlets(static_cast<std::size_t>(tiles));
    for (int t = 0; t < tiles; ++t) {
      tile_households[static_cast<std::size_t>(t)] = households / split + (t < households % split ? 1 : 0);
      tile_hamlets[static_cast<std::size_t>(t)] =
          k_national_hamlets / all_tiles + (t < k_national_hamlets % all_tiles ? 1 : 0);
    }
    HouseholdCsvWriter csv(dir / "households.csv.gz", 1);
    std::int64_t next_id = 1;
    const int batch = static_cast<int>(std::max(1u, thread_count()));
    for (int first = 0; first < tiles; first += batch) {
      const int count = std::min(batch, tiles - first);
      std::vector<ProvinceSpec> specs;
      for (int t = first; t < first + count; ++t) {
        const double cx = 500000.0 + (t % k_tile_columns - k_tile_columns / 2) * k_tile_spacing_m;
        const double cy = 1000000.0 + (t / k_tile_columns) * k_tile_spacing_m;
        specs.push_back(detail::synth::national_tile_spec(options.seed, t, cx, cy, t * k_tile_communes + 1,
                                                          tile_hamlets[static_cast<std::size_t>(t)],
                                                          tile_households[static_cast<std::size_t>(t)]));
      }
      std::vector<ProvinceData> results(static_cast<std::size_t>(count));
      parallel_for(
          static_cast<std::size_t>(count),
          [&](std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t i = begin; i < end; ++i)
              results[i] = detail::synth::generate_province(specs[i], options.seed, false);
          },
          1);
      for (std::size_t i = 0; i < results.size(); ++i) {
        ProvinceData& d = results[i];
        // The tile is a province: its hamlets say which (output.partition_by: province).
        d.hamlets_table.add_text(
            "province",
            std::vector<std::string>(d.hamlets_table.rows(), national_province_name(first + static_cast<int>(i))));
        add_counts(summary, d);
        csv.write(d.households, next_id);
        next_id += static_cast<std::int64_t>(d.households.size());
        append_table(layers.hamlets, std::move(d.hamlets_table));
        append_table(layers.speakers, std::move(d.speakers));
        append_table(layers.teams, std::move(d.teams));
        append_table(layers.candidates, std::move(d.candidates));
        append_table(layers.communes, std::move(d.communes_table));
        append_table(layers.districts, std::move(d.districts_table));
        d = ProvinceData{};  // frees the households of the tile
      }
      report(progress, "generate", static_cast<double>(first + count) / tiles);
    }
    csv.commit();
    summary.files.push_back((dir / "households.csv.gz").string());
    report(progress, "write", 0.0);
    write_layers(dir, layers, false, summary);
    report(progress, "write", 1.0);
  }
  detail::write_file_atomic((dir / "scenario.yaml").string(), synth_scenario_yaml(options));
  summary.files.push_back((dir / "scenario.yaml").string());
  detail::write_file_atomic((dir / "README.md").string(), readme_text(options, summary, area_km2));
  summary.files.push_back((dir / "README.md").string());
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace infogap
