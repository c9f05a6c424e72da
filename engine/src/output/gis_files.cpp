// GIS files of a run: the styles of every layer (one object for the GeoPackage, the sidecars and
// the project), the shapefiles with fields.csv, and the QGIS project.
#include <algorithm>
#include <filesystem>

#include "adapters/gdal/gdal_io.hpp"
#include "infogap/error.hpp"
#include "infogap/styles.hpp"
#include "output/products.hpp"

namespace fs = std::filesystem;

namespace infogap::detail {
namespace {

/// The table with its columns renamed to ≤ 10-character shapefile names; writes fields.csv rows.
Table shortened(const Table& t, std::vector<std::string>& short_names, std::vector<std::string>& long_names) {
  Table s = t;
  std::vector<std::string> names;
  for (const auto& c : t.columns) names.push_back(c.name);
  const auto shorts = shapefile_fields(names);
  for (std::size_t k = 0; k < s.columns.size(); ++k) {
    s.columns[k].name = shorts[k];
    short_names.push_back(shorts[k]);
    long_names.push_back(names[k]);
  }
  return s;
}

}  // namespace

const std::string& RunStyles::of(const std::string& layer) const {
  static const std::string none;
  const auto it = qml.find(layer);
  return it == qml.end() ? none : it->second;
}

RunStyles vector_styles(const Scenario& sc, const Inputs& in, const SpeakerField& field) {
  RunStyles s;
  s.language = language_from_code(sc.output.languages.empty() ? "vi" : sc.output.languages.front());
  const Language lang = s.language;
  s.qml["hamlets"] = gap_rate_qml(lang);
  for (const auto& g : in.hamlets.group_names) s.qml[g] = gap_rate_qml(lang);
  s.qml["households"] = households_qml();
  s.qml["speakers"] = speakers_qml();
  s.qml["teams"] = teams_qml();
  s.qml["proposed_sites"] = proposed_sites_qml(lang);
  // Listening conditions: the hamlets' gap rate under each, and its expected value.
  for (const auto& c : sc.acoustics.conditions)
    s.qml["hamlets:" + c.name] = gap_rate_qml_of(lang, "gap_weight_" + c.name);
  if (!sc.acoustics.conditions.empty()) {
    s.qml["hamlets:expected"] = gap_rate_qml_of(lang, "expected_gap_weight");
    s.qml["households:reached_share"] = reached_share_qml(lang);
  }
  s.qml["speech_level"] = speech_level_qml(lang, field.threshold_dba());
  s.qml["team_distance"] = team_distance_qml(lang, in.teams.typical_reach_m);
  return s;
}

void write_shapefiles(const Inputs& in, const Table& hamlets, const Table* sites, const std::string& staging_dir,
                      const RunStyles& styles) {
  const fs::path dir(staging_dir);
  std::vector<std::string> shorts, longs;
  Table h = shortened(hamlets, shorts, longs);
  write_shapefile(dir.string(), "hamlets", h, in.working_epsg);
  write_qml((dir / "hamlets.qml").string(), styles.of("hamlets"));
  if (sites) {
    std::vector<std::string> s2, l2;
    Table s = shortened(*sites, s2, l2);
    write_shapefile(dir.string(), "proposed_sites", s, in.working_epsg);
    write_qml((dir / "proposed_sites.qml").string(), styles.of("proposed_sites"));
    for (std::size_t k = 0; k < s2.size(); ++k) {
      if (std::find(shorts.begin(), shorts.end(), s2[k]) != shorts.end()) continue;
      shorts.push_back(s2[k]);
      longs.push_back(l2[k]);
    }
  }
  write_fields_csv((dir / "fields.csv").string(), shorts, longs);
}

void write_project(const Scenario& sc, const Inputs& in, const Table* sites, const SpeakerField& field,
                   const std::string& staging_dir, const RunStyles& styles) {
  const auto& out = sc.output;
  const fs::path dir(staging_dir);
  const Language lang = styles.language;
  const bool radius = field.radius_model();
  ProjectSpec p;
  p.title = sc.name;
  p.epsg = in.working_epsg;
  auto gpkg = [](const std::string& layer) { return "coverage.gpkg|layername=" + layer; };
  const bool tif = out.wants("tif"), gp = out.wants("gpkg");
  ProjectGroup coverage{layer_title("coverage", lang), {}};
  ProjectGroup gaps{layer_title("gaps", lang), {}};
  ProjectGroup infra{layer_title("infrastructure", lang), {}};
  ProjectGroup proposals{layer_title("proposals", lang), {}};
  if (gp)
    coverage.layers.push_back(
        {layer_title("households", lang), gpkg("households"), "ogr", styles.of("households"), false});
  // Listening conditions: the households once more, on the share of conditions that reach them.
  if (gp && !sc.acoustics.conditions.empty())
    coverage.layers.push_back(
        {layer_title("reached_share", lang), gpkg("households"), "ogr", styles.of("households:reached_share"), false});
  if (tif) {
    coverage.layers.push_back(
        {layer_title("speech_level", lang), "speech_level.tif", "gdal", styles.of("speech_level"), !radius});
    coverage.layers.push_back(
        {layer_title("speakers_audible", lang), "speakers_audible.tif", "gdal", styles.of("speakers_audible"), false});
    coverage.layers.push_back(
        {layer_title("team_distance", lang), "team_distance.tif", "gdal", styles.of("team_distance"), false});
    gaps.layers.push_back(
        {layer_title("gap_density", lang), "gap_density.tif", "gdal", styles.of("gap_density"), false});
  }
  if (gp) {
    gaps.layers.insert(gaps.layers.begin(),
                       {layer_title("hamlets", lang), gpkg("hamlets"), "ogr", styles.of("hamlets"), true});
    for (const auto& g : in.hamlets.group_names) gaps.layers.push_back({g, gpkg(g), "ogr", styles.of(g), false});
    // Listening conditions (acoustics.conditions): the same hamlets, classed on each condition's gap.
    if (!sc.acoustics.conditions.empty())
      gaps.layers.push_back(
          {layer_title("expected_gap_rate", lang), gpkg("hamlets"), "ogr", styles.of("hamlets:expected"), false});
    for (const auto& c : sc.acoustics.conditions)
      gaps.layers.push_back({layer_title("gap_rate_under", lang) + " " + c.name, gpkg("hamlets"), "ogr",
                             styles.of("hamlets:" + c.name), false});
    if (sc.speakers)
      infra.layers.push_back({layer_title("speakers", lang), gpkg("speakers"), "ogr", styles.of("speakers"), true});
    if (sc.teams) infra.layers.push_back({layer_title("teams", lang), gpkg("teams"), "ogr", styles.of("teams"), true});
    if (sites)
      proposals.layers.push_back(
          {layer_title("proposed_sites", lang), gpkg("proposed_sites"), "ogr", styles.of("proposed_sites"), true});
  } else if (out.wants("shp")) {
    gaps.layers.insert(gaps.layers.begin(),
                       {layer_title("hamlets", lang), "hamlets.shp", "ogr", styles.of("hamlets"), true});
    if (sites)
      proposals.layers.push_back(
          {layer_title("proposed_sites", lang), "proposed_sites.shp", "ogr", styles.of("proposed_sites"), true});
  }
  p.groups = {proposals, infra, gaps, coverage};
  write_qgis_project((dir / "infogap.qgs").string(), p);
}

}  // namespace infogap::detail
