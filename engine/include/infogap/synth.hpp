#pragma once
/// @file synth.hpp  A deterministic SYNTHETIC Bạc Liêu province (DOMAIN.md "No public hamlet
/// boundaries"): the real district and commune names, counts and outlines (censusVN2009, read at run
/// time from data/boundaries); synthetic hamlets, households, canals, loudspeakers, teams and
/// candidate sites inside them. Also a national-size variant (synthetic tiles, no real outlines) for
/// benchmarks. Same options → identical attribute tables and geometries, whatever the thread count.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "infogap/run_options.hpp"
#include "infogap/table.hpp"

namespace infogap {

/// EPSG code of the vector layers written by synth (WGS 84 / UTM zone 48N).
constexpr int k_synth_epsg = 32648;
/// Default number of households of the province (Bạc Liêu ≈ 225,600).
constexpr std::int64_t k_synth_province_households = 225600;
/// Default number of households of the national benchmark (≈ 27 M).
constexpr std::int64_t k_synth_national_households = 27000000;

/// Size of the synthetic dataset.
enum class SynthScale : std::uint8_t {
  province,  ///< Bạc Liêu: 7 districts, 64 communes, 512 hamlets
  national,  ///< benchmark: ≈10k communes ("Xã 00123"), ≈100k hamlets, ≈27 M households
};

/// Parameters of `infogap synth`.
struct SynthOptions {
  std::uint64_t seed = 2024;    ///< every random stream derives from it
  std::int64_t households = 0;  ///< 0 = the scale's default; otherwise the exact count (≥ 0)
  SynthScale scale = SynthScale::province;
  /// National scale: 0 = every province-like tile (≈157); K > 0 = only the first K, exactly as they are
  /// in the whole set when households is 0 (a CI-sized multi-province set); households given are
  /// spread over the K. Each tile is a province: hamlets carry it in a `province` column ("Tỉnh 001").
  int provinces = 0;
  /// Province scale: folder holding bac_lieu_communes.geojson and bac_lieu_districts.geojson (real
  /// outlines, lon/lat; attributes gso_code_2024, name_2024, district_code_2024 / district_code_2024,
  /// name_2009). "" = the bundled copy: $INFOGAP_DATA_DIR/boundaries, <prefix>/share/infogap/data/
  /// boundaries, else the source tree's data/boundaries. Ignored by the national scale.
  std::string boundaries;
};

/// The province in memory. Vector layers are in EPSG:32648 (metres), households in EPSG:4326.
struct SynthDataset {
  /// hamlet_id, name ("Ấp N" | "Khóm N"), commune, commune_type (xã|phường|thị trấn), district,
  /// commune_2025 (post-2025 unit, illustrative); MultiPolygon geometry.
  Table hamlets;
  /// household_id (1..N), lon, lat (6 decimals), poverty (poor|near_poor|not_poor), members,
  /// uses_internet (0/1), info_devices (0–4); no geometry column (coordinates are lon/lat).
  Table households;
  /// One row per horn: speaker_id, cluster_id, power_w, sensitivity_db, height_m, azimuth_deg
  /// (compass bearing), beamwidth_deg, hamlet_id, commune, district; point geometry (the pole).
  Table speakers;
  /// team_id, level (commune|hamlet), members, hamlet_id (NULL for commune teams), commune, district.
  Table teams;
  /// candidate_id, kind (speaker|team|any), type (hamlet_centre|school|cultural_house), name,
  /// hamlet_id, commune, district.
  Table candidates;
  /// Context: canals, roads, streets and hamlet roads the households are strung along (line_id, kind).
  Table canals;
  /// Context: commune polygons (commune_code, gso_code, commune, commune_type, district, commune_2025,
  /// coastal, hamlets, households, office_x, office_y): the real outlines made a clean partition
  /// (overlaps of neighbours given to the first placed; see data/README.md).
  Table communes;
  /// Context: district polygons (district, gso_code, communes): the real district outlines as read.
  Table districts;
};

/// Generates the province in memory (scale must be province).
/// @throws InvalidInput for a negative household count or the national scale (use write_synth);
/// IoError / InvalidInput if the boundary files are missing or do not match the 64 communes
SynthDataset synth_province(const SynthOptions& options);

/// What write_synth produced.
struct SynthSummary {
  std::int64_t districts = 0, communes = 0, hamlets = 0, households = 0;
  std::int64_t speakers = 0, clusters = 0, teams = 0, team_members = 0, candidates = 0;
  std::int64_t poor = 0, near_poor = 0;
  std::int64_t footprints = 0;     ///< building footprints (the lists example)
  double seconds = 0;              ///< wall time of generation and writing
  std::vector<std::string> files;  ///< paths written
};

/// Writes the dataset into out_dir (created if missing): hamlets.gpkg, households.csv.gz,
/// speakers.gpkg, teams.gpkg, candidates.gpkg, context.gpkg, scenario.yaml, README.md.
/// The national scale streams households to disk tile by tile.
/// @throws InvalidInput for bad options, IoError if a file cannot be written
SynthSummary write_synth(const SynthOptions& options, const std::string& out_dir, const ProgressFn& progress = {});

/// The communes of the lists example (write_synth_lists), as the province names them.
inline const std::vector<std::string>& synth_lists_communes() {
  static const std::vector<std::string> names{"Thị trấn Hòa Bình", "Xã Vĩnh Hậu", "Xã Vĩnh Hậu A", "Xã Vĩnh Thịnh"};
  return names;
}

/// Writes the second bundled example, data/bac_lieu_lists (`infogap synth --example lists`): what a
/// commune holds, for the four communes of synth_lists_communes() cut from the province of `options`
/// (same seed → same households): communes.gpkg (the real outlines, as the province's clean
/// partition), hamlets.csv (one point per hamlet, no boundary, lon/lat), households.xlsx (sheet "Danh
/// sách hộ": one row per household keyed by commune and hamlet name as a commune writes them — case,
/// diacritics, "Ấp III" / "ấp 3" — with Vietnamese statuses and có/không, no coordinates),
/// footprints.gpkg (synthetic building footprints), speakers.gpkg, teams.gpkg, candidates.gpkg,
/// scenario.yaml and README.md. Deterministic like write_synth.
/// @throws InvalidInput for bad options (national scale), IoError if a file cannot be written
SynthSummary write_synth_lists(const SynthOptions& options, const std::string& out_dir,
                               const ProgressFn& progress = {});

/// The scenario.yaml written beside the data (DESIGN.md §3 keys; runs as is).
std::string synth_scenario_yaml(const SynthOptions& options);

}  // namespace infogap
