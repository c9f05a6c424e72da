#pragma once
/// @file styles.hpp  What GIS staff open in QGIS: QML styles for the rasters and vector layers
/// (labels in Vietnamese or English), the QGIS project `infogap.qgs`, and shapefile field names
/// (≤ 10 ASCII characters) with their `fields.csv` (DESIGN.md §5, PRACTICES.md §4).
///
/// Every generator returns a complete UTF-8 QML document that QGIS 3.22 loads as a sidecar
/// (`<dir>/<basename>.qml`), as a GeoPackage `layer_styles` row, or embedded in the project.
/// Text is XML-escaped. Colours are "#rrggbb"; alpha is separate (0…255).
///
/// Thread safety: every function is reentrant.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infogap/language.hpp"

namespace infogap {

/// @defgroup styles QGIS styles and project
/// @{

/// A colour stop of a continuous (interpolated) ramp.
struct ColorStop {
  double value = 0.0;  ///< band value at which the colour applies
  std::string color;   ///< "#rrggbb"
  std::string label;   ///< legend text; "" = the value followed by the unit label
  int alpha = 255;     ///< 0 (transparent) … 255
};

/// One value of a paletted (classed) raster.
struct PaletteEntry {
  int value = 0;      ///< band value
  std::string color;  ///< "#rrggbb"
  std::string label;  ///< legend text
  int alpha = 255;    ///< 0 … 255
};

/// One class of a graduated renderer; QGIS draws a feature with the first class where
/// lower ≤ value ≤ upper.
struct GraduatedClass {
  double lower = 0.0;  ///< inclusive lower bound
  double upper = 0.0;  ///< inclusive upper bound
  std::string color;   ///< fill "#rrggbb"
  std::string label;   ///< legend text
};

/// One category of a categorized renderer.
struct Category {
  std::string value;  ///< attribute value (compared as text)
  std::string color;  ///< "#rrggbb"
  std::string label;  ///< legend text
};

/// Single-band pseudocolour raster (interpolated ramp, values outside [min, max] take the end
/// colours). Empty stops: red (min) – yellow – green (max).
std::string pseudocolor_raster_qml(double min, double max, const std::string& unit_label,
                                   const std::vector<ColorStop>& stops = {});

/// Paletted raster: one colour and label per band value; other values are not drawn.
std::string paletted_raster_qml(const std::vector<PaletteEntry>& entries);

/// Graduated polygon fill on a numeric attribute (e.g. gap_rate).
std::string graduated_fill_qml(const std::string& attribute, const std::vector<GraduatedClass>& classes);

/// Graduated point markers (circles of size_mm, filled and outlined in the class colour) on a
/// numeric attribute (e.g. reached_share).
std::string graduated_point_qml(const std::string& attribute, const std::vector<GraduatedClass>& classes,
                                double size_mm = 1.2);

/// Categorized point markers on an attribute (e.g. proposed site kind).
std::string categorized_point_qml(const std::string& attribute, const std::vector<Category>& categories,
                                  double size_mm = 3.0);

/// One marker for every point. shape: a QGIS SimpleMarker name ("circle", "square", "triangle",
/// "diamond", "star", …).
std::string simple_marker_qml(const std::string& color, double size_mm, const std::string& shape = "circle",
                              const std::string& outline_color = "#232323");

/// One fill for every polygon; alpha applies to the fill only.
std::string simple_fill_qml(const std::string& fill_color, int alpha = 255,
                            const std::string& outline_color = "#232323", double outline_width_mm = 0.26);

/// Layer title or layer-tree group name in a language. Keys: speech_level, speakers_audible,
/// team_distance, gap_density, hamlets, households, speakers, teams, proposed_sites, the listening
/// conditions' gap_rate_under, expected_gap_rate and reached_share, and the
/// groups coverage, gaps, infrastructure, proposals. @throws InvalidInput for an unknown key
std::string layer_title(std::string_view key, Language language);

/// `speech_level.qml`: pseudocolour in dB(A), red below the audibility threshold
/// (ambient + required SNR), yellow at it, green at max.
std::string speech_level_qml(Language language, double threshold_dba = 55.0, double min_dba = 30.0,
                             double max_dba = 90.0);

/// `speakers_audible.qml`: paletted counts 0 … max_count ("Không loa nào nghe được" for 0).
/// max_count is clamped to 1 … 254 (the Byte band saturates at 254).
std::string speakers_audible_qml(Language language, int max_count);

/// `team_distance.qml`: pseudocolour in m, green at 0, yellow at the team reach, red at twice it.
std::string team_distance_qml(Language language, double reach_m);

/// `gap_density.qml`: pseudocolour in target weight per km², transparent at 0, dark red at max.
std::string gap_density_qml(Language language, double max_per_km2);

/// QGIS expression the gap-rate style classifies on: gap_rate, or −1 where it is NULL (no target
/// households), so that such areas get their own grey class instead of not being drawn.
inline constexpr const char* k_gap_rate_class_expression = "coalesce(\"gap_rate\", -1)";

/// Polygons with a gap_rate column (hamlets and group layers): graduated no target households /
/// 0 / ≤ 10 % / … / > 75 %, on k_gap_rate_class_expression.
std::string gap_rate_qml(Language language);

/// The classes of gap_rate_qml on another gap weight of the same area: `gap_weight_column` over
/// target_weight, −1 without target weight. For the listening conditions (acoustics.conditions):
/// `gap_weight_<name>` (the gap under one condition) and `expected_gap_weight`.
std::string gap_rate_qml_of(Language language, const std::string& gap_weight_column);

/// The QGIS expression gap_rate_qml_of classifies on.
std::string gap_rate_class_expression_of(const std::string& gap_weight_column);

/// The classes of reached_share_qml: reached under no condition (0), > 0 – 25 %, 25 – 50 %,
/// 50 – 75 %, 75 – < 100 %, under every condition (1, within 1e-9).
std::vector<GraduatedClass> reached_share_classes(Language language);

/// Households with acoustics.conditions: graduated points on `reached_share` (the weighted share
/// of listening conditions under which the household is reached), reached_share_classes.
std::string reached_share_qml(Language language);

/// proposed_sites: categorized on kind ("speaker", "team").
std::string proposed_sites_qml(Language language);

/// Existing loudspeaker clusters (blue triangles).
std::string speakers_qml();

/// Existing community digital-technology teams (purple squares).
std::string teams_qml();

/// Households (small grey dots).
std::string households_qml();

/// change.gpkg areas (hamlets, each grouping): diverging fill on `attribute` (e.g. gap_weight_delta)
/// centred on 0 — gap fell: green (dark from max_abs/2 down), no change: pale, gap rose: red;
/// NULL: grey. max_abs: the largest |change| (≤ 0 is taken as 1).
std::string gap_change_qml(Language language, const std::string& attribute, double max_abs);

/// change.gpkg households: categorized on `change` (the classes of infogap/compare.hpp).
std::string household_change_qml(Language language);

/// Writes text (a QML style) to path atomically (temporary name in the same folder, then rename).
/// @throws IoError
void write_qml(const std::string& path, const std::string& qml);

/// A layer of the QGIS project.
struct ProjectLayer {
  std::string name;      ///< shown in the layer tree (UTF-8)
  std::string source;    ///< relative to the project file: "speech_level.tif", "coverage.gpkg|layername=hamlets"
  std::string provider;  ///< "gdal" (raster) or "ogr" (vector)
  std::string qml;       ///< style from a generator above; its renderer is embedded ("" = QGIS default)
  bool visible = true;   ///< checked in the layer tree
};

/// A group of the layer tree (first group drawn on top).
struct ProjectGroup {
  std::string name;                  ///< e.g. layer_title("coverage", lang)
  std::vector<ProjectLayer> layers;  ///< first layer drawn on top
};

/// A QGIS project: title, CRS, layer tree.
struct ProjectSpec {
  std::string title;                            ///< project title (UTF-8)
  int epsg = 0;                                 ///< project CRS, e.g. 32648
  std::vector<ProjectGroup> groups;             ///< layer tree
  std::optional<std::array<double, 4>> extent;  ///< initial view min_x, min_y, max_x, max_y (project CRS)
};

/// Writes a QGIS 3.22 project (.qgs) with relative paths, the project CRS (WKT from PROJ),
/// the groups and layers with their styles embedded; atomically.
/// @throws InvalidInput (unknown EPSG, provider not gdal/ogr), IoError
void write_qgis_project(const std::string& path, const ProjectSpec& spec);

/// Shapefile (dBASE) field names for long column names: ASCII (Vietnamese letters lose their
/// diacritics, đ → d), only [A-Za-z0-9_], starting with a letter, at most 10 characters, unique
/// ignoring case, in the same order. Names that already qualify are kept; longer ones are cut
/// word by word (longest word first), then numbered on collision.
std::vector<std::string> shapefile_fields(const std::vector<std::string>& long_names);

/// Writes `fields.csv` (header "short,long", one row per field, RFC 4180 quoting, UTF-8),
/// atomically. REQUIRES: equal sizes. @throws IoError
void write_fields_csv(const std::string& path, const std::vector<std::string>& short_names,
                      const std::vector<std::string>& long_names);

/// @}

}  // namespace infogap
