// QML style generators and the vi/en label tables (PRACTICES.md §4). The XML shapes follow what
// QGIS 3.22 itself writes (QgsMapLayer::saveNamedStyle), reduced to the symbology.

#include "infogap/styles.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/markup.hpp"
#include "gis/text_util.hpp"
#include "infogap/error.hpp"

namespace infogap {
namespace {

using detail::escape_markup;
using detail::xml_number;

constexpr const char* k_qml_head =
    "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
    "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n";

struct Rgb {
  int r = 0, g = 0, b = 0;
};

Rgb parse_color(const std::string& hex) {
  auto nibble = [&hex](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw InvalidInput(ErrorCode::internal, "colour must be #rrggbb: '" + hex + "'");
  };
  if (hex.size() != 7 || hex[0] != '#')
    throw InvalidInput(ErrorCode::internal, "colour must be #rrggbb: '" + hex + "'");
  return Rgb{nibble(hex[1]) * 16 + nibble(hex[2]), nibble(hex[3]) * 16 + nibble(hex[4]),
             nibble(hex[5]) * 16 + nibble(hex[6])};
}

std::string hex_color(const Rgb& c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r & 0xff, c.g & 0xff, c.b & 0xff);
  return buf;
}

/// "r,g,b,a" as in symbol layer options.
std::string rgba(const std::string& hex, int alpha = 255) {
  const Rgb c = parse_color(hex);
  return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + "," +
         std::to_string(std::clamp(alpha, 0, 255));
}

/// Linear interpolation between colour stops at t in [0, 1].
std::string ramp_color(const std::vector<std::string>& colors, double t) {
  if (colors.size() == 1) return colors.front();
  t = std::clamp(t, 0.0, 1.0) * static_cast<double>(colors.size() - 1);
  const auto k = std::min(static_cast<std::size_t>(t), colors.size() - 2);
  const double f = t - static_cast<double>(k);
  const Rgb a = parse_color(colors[k]), b = parse_color(colors[k + 1]);
  auto mix = [f](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * f)); };
  return hex_color(Rgb{mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)});
}

std::string option(const char* name, const std::string& value) {
  return std::string("<Option type=\"QString\" name=\"") + name + "\" value=\"" + escape_markup(value) + "\"/>";
}

std::string fill_symbol(const std::string& name, const std::string& color, int alpha, const std::string& outline,
                        double outline_width_mm) {
  std::string s = "   <symbol type=\"fill\" name=\"" + escape_markup(name) +
                  "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
                  "    <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\"><Option type=\"Map\">";
  s += option("color", rgba(color, alpha));
  s += option("style", "solid");
  s += option("outline_color", rgba(outline));
  s += option("outline_style", "solid");
  s += option("outline_width", xml_number(outline_width_mm));
  s += option("outline_width_unit", "MM");
  s += option("joinstyle", "bevel");
  s += "</Option></layer>\n   </symbol>\n";
  return s;
}

std::string marker_symbol(const std::string& name, const std::string& color, double size_mm, const std::string& shape,
                          const std::string& outline) {
  std::string s = "   <symbol type=\"marker\" name=\"" + escape_markup(name) +
                  "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
                  "    <layer class=\"SimpleMarker\" enabled=\"1\" pass=\"0\" locked=\"0\"><Option type=\"Map\">";
  s += option("name", shape);
  s += option("color", rgba(color));
  s += option("outline_color", rgba(outline));
  s += option("outline_style", "solid");
  s += option("outline_width", "0.2");
  s += option("outline_width_unit", "MM");
  s += option("size", xml_number(size_mm));
  s += option("size_unit", "MM");
  s += option("angle", "0");
  s += option("scale_method", "diameter");
  s += option("joinstyle", "bevel");
  s += "</Option></layer>\n   </symbol>\n";
  return s;
}

std::string vector_document(const std::string& renderer) {
  return std::string(k_qml_head) + renderer +
         " <blendMode>0</blendMode>\n <featureBlendMode>0</featureBlendMode>\n "
         "<layerOpacity>1</layerOpacity>\n</qgis>\n";
}

std::string raster_document(const std::string& rasterrenderer) {
  return std::string(k_qml_head) +
         " <pipe>\n"
         "  <provider><resampling enabled=\"false\" maxOversampling=\"2\" "
         "zoomedInResamplingMethod=\"nearestNeighbour\" "
         "zoomedOutResamplingMethod=\"nearestNeighbour\"/></provider>\n" +
         rasterrenderer +
         "  <brightnesscontrast brightness=\"0\" contrast=\"0\" gamma=\"1\"/>\n"
         "  <huesaturation saturation=\"0\" grayscaleMode=\"0\" invertColors=\"0\" colorizeOn=\"0\" "
         "colorizeRed=\"255\" "
         "colorizeGreen=\"128\" colorizeBlue=\"128\" colorizeStrength=\"100\"/>\n"
         "  <rasterresampler maxOversampling=\"2\"/>\n"
         "  <resamplingStage>resamplingFilter</resamplingStage>\n"
         " </pipe>\n <blendMode>0</blendMode>\n</qgis>\n";
}

constexpr const char* k_min_max_origin =
    "   <minMaxOrigin><limits>None</limits><extent>WholeRaster</extent><statAccuracy>Estimated</statAccuracy>"
    "<cumulativeCutLower>0.02</cumulativeCutLower><cumulativeCutUpper>0.98</cumulativeCutUpper>"
    "<stdDevFactor>2</stdDevFactor></minMaxOrigin>\n";

struct Label {
  const char* key;
  const char* vi;
  const char* en;
};

// Vietnamese with full diacritics (UTF-8).
constexpr Label k_labels[] = {
    {"speech_level", "Mức âm lời nói (dB(A))", "Speech level (dB(A))"},
    {"speakers_audible", "Số loa nghe được", "Speakers audible"},
    {"team_distance", "Khoảng cách đến tổ công nghệ số gần nhất (m)", "Distance to the nearest team (m)"},
    {"gap_density", "Mật độ khoảng trống (trọng số/km²)", "Gap density (weight/km²)"},
    {"hamlets", "Tỷ lệ khoảng trống theo ấp/khóm", "Gap rate by hamlet"},
    {"gap_rate", "Tỷ lệ khoảng trống", "Gap rate"},
    {"households", "Hộ gia đình", "Households"},
    {"speakers", "Cụm loa truyền thanh", "Loudspeaker clusters"},
    {"teams", "Tổ công nghệ số cộng đồng", "Community digital-technology teams"},
    {"proposed_sites", "Vị trí đề xuất", "Proposed sites"},
    {"coverage", "Độ phủ", "Coverage"},
    {"gaps", "Khoảng trống", "Gaps"},
    {"infrastructure", "Hạ tầng", "Infrastructure"},
    {"proposals", "Đề xuất", "Proposals"},
    {"gap_rate_under", "Tỷ lệ khoảng trống khi nghe:", "Gap rate, listening condition:"},
    {"expected_gap_rate", "Tỷ lệ khoảng trống kỳ vọng (các điều kiện nghe)",
     "Expected gap rate (listening conditions)"},
    {"reached_share", "Hộ: tỷ lệ điều kiện nghe được tiếp cận", "Households: share of listening conditions reached"},
    // legend texts
    {"no_speaker", "Không loa nào nghe được", "No speaker audible"},
    {"speaker_unit_one", "loa", "speaker"},
    {"speaker_unit_many", "loa", "speakers"},
    {"audibility_threshold", "ngưỡng nghe rõ", "audibility threshold"},
    {"team_reach", "tầm với của tổ", "team reach"},
    {"weight_per_km2", "trọng số/km²", "weight/km²"},
    {"no_gap", "Không có khoảng trống (0 %)", "No gap (0 %)"},
    {"no_target", "Không có hộ mục tiêu", "No target households"},
    {"reached_in_none", "Không được tiếp cận trong điều kiện nghe nào (0 %)", "Reached under no condition (0 %)"},
    {"reached_in_all", "Được tiếp cận trong mọi điều kiện nghe (100 %)", "Reached under every condition (100 %)"},
    {"proposed_speaker", "Cụm loa đề xuất", "Proposed loudspeaker cluster"},
    {"proposed_team", "Tổ công nghệ số đề xuất", "Proposed digital-technology team"},
    {"gap_fell_more", "Khoảng trống giảm từ", "Gap fell by at least"},
    {"gap_fell", "Khoảng trống giảm", "Gap fell"},
    {"gap_same", "Không đổi", "No change"},
    {"gap_rose", "Khoảng trống tăng", "Gap rose"},
    {"gap_rose_more", "Khoảng trống tăng từ", "Gap rose by at least"},
    {"change_unchanged", "Không đổi", "Unchanged"},
    {"change_newly_reached", "Mới được tiếp cận", "Newly reached"},
    {"change_newly_unreached", "Không còn được tiếp cận", "No longer reached"},
    {"change_status_changed", "Đổi diện nghèo", "Poverty status changed"},
    {"change_added", "Hộ mới", "Added"},
    {"change_removed", "Không còn", "Removed"},
};

const char* text(std::string_view key, Language language) {
  for (const Label& l : k_labels)
    if (key == l.key) return language == Language::vi ? l.vi : l.en;
  throw InvalidInput(ErrorCode::internal, "no label for '" + std::string(key) + "'");
}

/// A number for a legend: no trailing zeros, decimal comma in Vietnamese.
std::string legend_number(double v, Language language) {
  std::string s = xml_number(std::round(v * 100.0) / 100.0);
  if (language == Language::vi) std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

/// Distance for a legend: "800 m", "2 km", "1,5 km".
std::string legend_distance(double m, Language language) {
  if (std::abs(m) >= 1000.0) return legend_number(m / 1000.0, language) + " km";
  return legend_number(m, language) + " m";
}

}  // namespace

std::string layer_title(std::string_view key, Language language) {
  static constexpr std::string_view k_titles[] = {
      "speech_level",   "speakers_audible", "team_distance",  "gap_density",       "hamlets",      "gap_rate",
      "households",     "speakers",         "teams",          "proposed_sites",    "coverage",     "gaps",
      "infrastructure", "proposals",        "gap_rate_under", "expected_gap_rate", "reached_share"};
  if (std::find(std::begin(k_titles), std::end(k_titles), key) == std::end(k_titles))
    throw InvalidInput(ErrorCode::internal, "no layer title for '" + std::string(key) + "'");
  return text(key, language);
}

std::string pseudocolor_raster_qml(double min, double max, const std::string& unit_label,
                                   const std::vector<ColorStop>& stops) {
  if (!(min < max)) throw InvalidInput(ErrorCode::internal, "pseudocolour ramp needs min < max");
  std::vector<ColorStop> items = stops;
  if (items.empty()) {
    items = {{min, "#d7191c", "", 255}, {(min + max) / 2.0, "#ffffbf", "", 255}, {max, "#1a9641", "", 255}};
  }
  std::sort(items.begin(), items.end(), [](const ColorStop& a, const ColorStop& b) { return a.value < b.value; });
  std::string r =
      "  <rasterrenderer type=\"singlebandpseudocolor\" band=\"1\" opacity=\"1\" alphaBand=\"-1\" "
      "nodataColor=\"\" classificationMin=\"" +
      xml_number(min) + "\" classificationMax=\"" + xml_number(max) + "\">\n";
  r += k_min_max_origin;
  r += "   <rastershader>\n    <colorrampshader colorRampType=\"INTERPOLATED\" classificationMode=\"1\" clip=\"0\" "
       "labelPrecision=\"2\" minimumValue=\"" +
       xml_number(min) + "\" maximumValue=\"" + xml_number(max) + "\">\n";
  for (const ColorStop& s : items) {
    parse_color(s.color);
    std::string label = s.label;
    if (label.empty()) label = xml_number(s.value) + (unit_label.empty() ? "" : " " + unit_label);
    r += "     <item value=\"" + xml_number(s.value) + "\" color=\"" + escape_markup(s.color) + "\" alpha=\"" +
         std::to_string(std::clamp(s.alpha, 0, 255)) + "\" label=\"" + escape_markup(label) + "\"/>\n";
  }
  r += "    </colorrampshader>\n   </rastershader>\n  </rasterrenderer>\n";
  return raster_document(r);
}

std::string paletted_raster_qml(const std::vector<PaletteEntry>& entries) {
  std::string r = "  <rasterrenderer type=\"paletted\" band=\"1\" opacity=\"1\" alphaBand=\"-1\" nodataColor=\"\">\n";
  r += k_min_max_origin;
  r += "   <colorPalette>\n";
  for (const PaletteEntry& e : entries) {
    parse_color(e.color);
    r += "    <paletteEntry value=\"" + std::to_string(e.value) + "\" color=\"" + escape_markup(e.color) +
         "\" alpha=\"" + std::to_string(std::clamp(e.alpha, 0, 255)) + "\" label=\"" + escape_markup(e.label) +
         "\"/>\n";
  }
  r += "   </colorPalette>\n  </rasterrenderer>\n";
  return raster_document(r);
}

namespace {

/// A graduated renderer on attribute, one symbol per class drawn by symbol(name, colour).
template <class Symbol>
std::string graduated_qml(const std::string& attribute, const std::vector<GraduatedClass>& classes, Symbol symbol) {
  std::string r = " <renderer-v2 type=\"graduatedSymbol\" attr=\"" + escape_markup(attribute) +
                  "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" "
                  "referencescale=\"-1\">\n  <ranges>\n";
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const GraduatedClass& c = classes[i];
    r += "   <range render=\"true\" symbol=\"" + std::to_string(i) + "\" lower=\"" + xml_number(c.lower) +
         "\" upper=\"" + xml_number(c.upper) + "\" label=\"" + escape_markup(c.label) + "\"/>\n";
  }
  r += "  </ranges>\n  <symbols>\n";
  for (std::size_t i = 0; i < classes.size(); ++i) r += symbol(std::to_string(i), classes[i].color);
  r += "  </symbols>\n"
       "  <classificationMethod id=\"Custom\"><symmetricMode enabled=\"0\" symmetrypoint=\"0\" astride=\"0\"/>"
       "<labelFormat format=\"%1 - %2\" labelprecision=\"4\" "
       "trimtrailingzeroes=\"1\"/><parameters><Option/></parameters>"
       "<extraInformation/></classificationMethod>\n"
       "  <rotation/>\n  <sizescale/>\n </renderer-v2>\n";
  return vector_document(r);
}

}  // namespace

std::string graduated_fill_qml(const std::string& attribute, const std::vector<GraduatedClass>& classes) {
  return graduated_qml(attribute, classes, [](const std::string& name, const std::string& color) {
    return fill_symbol(name, color, 255, "#232323", 0.26);
  });
}

std::string graduated_point_qml(const std::string& attribute, const std::vector<GraduatedClass>& classes,
                                double size_mm) {
  return graduated_qml(attribute, classes, [size_mm](const std::string& name, const std::string& color) {
    return marker_symbol(name, color, size_mm, "circle", color);
  });
}

std::string categorized_point_qml(const std::string& attribute, const std::vector<Category>& categories,
                                  double size_mm) {
  std::string r =
      " <renderer-v2 type=\"categorizedSymbol\" attr=\"" + escape_markup(attribute) +
      "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" referencescale=\"-1\">\n  <categories>\n";
  for (std::size_t i = 0; i < categories.size(); ++i) {
    r += "   <category render=\"true\" symbol=\"" + std::to_string(i) + "\" value=\"" +
         escape_markup(categories[i].value) + "\" label=\"" + escape_markup(categories[i].label) + "\"/>\n";
  }
  r += "  </categories>\n  <symbols>\n";
  for (std::size_t i = 0; i < categories.size(); ++i)
    r += marker_symbol(std::to_string(i), categories[i].color, size_mm, i % 2 == 0 ? "star" : "diamond", "#232323");
  r += "  </symbols>\n  <rotation/>\n  <sizescale/>\n </renderer-v2>\n";
  return vector_document(r);
}

std::string simple_marker_qml(const std::string& color, double size_mm, const std::string& shape,
                              const std::string& outline_color) {
  std::string r =
      " <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" "
      "referencescale=\"-1\">\n  <symbols>\n";
  r += marker_symbol("0", color, size_mm, shape, outline_color);
  r += "  </symbols>\n  <rotation/>\n  <sizescale/>\n </renderer-v2>\n";
  return vector_document(r);
}

std::string simple_fill_qml(const std::string& fill_color, int alpha, const std::string& outline_color,
                            double outline_width_mm) {
  std::string r =
      " <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" "
      "referencescale=\"-1\">\n  <symbols>\n";
  r += fill_symbol("0", fill_color, alpha, outline_color, outline_width_mm);
  r += "  </symbols>\n  <rotation/>\n  <sizescale/>\n </renderer-v2>\n";
  return vector_document(r);
}

std::string speech_level_qml(Language language, double threshold_dba, double min_dba, double max_dba) {
  threshold_dba = std::clamp(threshold_dba, min_dba, max_dba);
  const std::string unit = "dB(A)";
  return pseudocolor_raster_qml(
      min_dba, max_dba, unit,
      {{min_dba, "#d7191c", legend_number(min_dba, language) + " " + unit, 255},
       {threshold_dba, "#ffffbf",
        legend_number(threshold_dba, language) + " " + unit + " — " + text("audibility_threshold", language), 255},
       {max_dba, "#1a9641", legend_number(max_dba, language) + " " + unit, 255}});
}

std::string speakers_audible_qml(Language language, int max_count) {
  max_count = std::clamp(max_count, 1, 254);
  const std::vector<std::string> ramp = {"#fdae61", "#a6d96a", "#1a9641", "#005a32"};
  std::vector<PaletteEntry> entries;
  entries.push_back({0, "#d7191c", text("no_speaker", language), 255});
  for (int n = 1; n <= max_count; ++n) {
    const double t = max_count == 1 ? 0.0 : static_cast<double>(n - 1) / static_cast<double>(max_count - 1);
    const char* unit = n == 1 ? text("speaker_unit_one", language) : text("speaker_unit_many", language);
    entries.push_back({n, ramp_color(ramp, t), std::to_string(n) + " " + unit, 255});
  }
  return paletted_raster_qml(entries);
}

std::string team_distance_qml(Language language, double reach_m) {
  if (!(reach_m > 0.0)) throw Error(ErrorCode::internal, "team_distance_qml: reach_m must be positive");
  return pseudocolor_raster_qml(
      0.0, 2.0 * reach_m, "m",
      {{0.0, "#1a9641", legend_distance(0.0, language), 255},
       {reach_m, "#ffffbf", legend_distance(reach_m, language) + " — " + text("team_reach", language), 255},
       {2.0 * reach_m, "#d7191c", "≥ " + legend_distance(2.0 * reach_m, language), 255}});
}

std::string gap_density_qml(Language language, double max_per_km2) {
  if (!(max_per_km2 > 0.0)) max_per_km2 = 1.0;
  const std::string unit = text("weight_per_km2", language);
  return pseudocolor_raster_qml(
      0.0, max_per_km2, unit,
      {{0.0, "#fff5f0", "0", 0},
       {max_per_km2 * 0.25, "#fc9272", legend_number(max_per_km2 * 0.25, language) + " " + unit, 255},
       {max_per_km2, "#67000d", "≥ " + legend_number(max_per_km2, language) + " " + unit, 255}});
}

/// Outlines of hamlets whose boundary was derived from their commune (geometry_source = 'derived')
/// drawn dashed: the boundary is approximate. Layers without the column keep solid outlines.
static std::string dashed_when_derived(std::string qml) {
  static const std::string k_layer_end = "</Option></layer>";
  const std::string ddp =
      "</Option><data_defined_properties><Option type=\"Map\"><Option type=\"QString\" name=\"name\" value=\"\"/>"
      "<Option type=\"Map\" name=\"properties\"><Option type=\"Map\" name=\"outlineStyle\">"
      "<Option type=\"bool\" name=\"active\" value=\"true\"/>" +
      option("expression", "CASE WHEN \"geometry_source\" = 'derived' THEN 'dash' ELSE 'solid' END") +
      "<Option type=\"int\" name=\"type\" value=\"3\"/></Option></Option>"
      "<Option type=\"QString\" name=\"type\" value=\"collection\"/></Option></data_defined_properties></layer>";
  for (std::size_t at = qml.find(k_layer_end); at != std::string::npos; at = qml.find(k_layer_end, at + ddp.size()))
    qml.replace(at, k_layer_end.size(), ddp);
  return qml;
}

namespace {

std::vector<GraduatedClass> gap_rate_classes(Language language) {
  return {{-1.0, -1.0, "#d9d9d9", text("no_target", language)},
          {0.0, 0.0, "#1a9641", text("no_gap", language)},
          {0.0, 0.10, "#a6d96a", "> 0 – 10 %"},
          {0.10, 0.25, "#ffffbf", "10 – 25 %"},
          {0.25, 0.50, "#fdae61", "25 – 50 %"},
          {0.50, 0.75, "#f46d43", "50 – 75 %"},
          {0.75, 1.0, "#d7191c", "75 – 100 %"}};
}

}  // namespace

std::string gap_rate_qml(Language language) {
  // gap_rate is NULL where a hamlet has no target households: drawn grey as class −1, not left out.
  // Derived hamlet boundaries (geometry_source = derived) are outlined dashed.
  return dashed_when_derived(graduated_fill_qml(k_gap_rate_class_expression, gap_rate_classes(language)));
}

std::string gap_rate_class_expression_of(const std::string& gap_weight_column) {
  return "CASE WHEN \"target_weight\" > 0 THEN \"" + gap_weight_column + "\" / \"target_weight\" ELSE -1 END";
}

std::string gap_rate_qml_of(Language language, const std::string& gap_weight_column) {
  return dashed_when_derived(
      graduated_fill_qml(gap_rate_class_expression_of(gap_weight_column), gap_rate_classes(language)));
}

std::vector<GraduatedClass> reached_share_classes(Language language) {
  // Shares are sums of normalised condition weights: 1 may come out a rounding error below it.
  constexpr double k_all = 1.0 - 1e-9;
  return {{0.0, 0.0, "#d7191c", text("reached_in_none", language)},
          {0.0, 0.25, "#f46d43", "> 0 – 25 %"},
          {0.25, 0.50, "#fdae61", "25 – 50 %"},
          {0.50, 0.75, "#ffffbf", "50 – 75 %"},
          {0.75, k_all, "#a6d96a", "75 – < 100 %"},
          {k_all, 1.0 + 1e-9, "#1a9641", text("reached_in_all", language)}};
}

std::string reached_share_qml(Language language) {
  return graduated_point_qml("reached_share", reached_share_classes(language), 1.2);
}

std::string gap_change_qml(Language language, const std::string& attribute, double max_abs) {
  if (!(max_abs > 0.0)) max_abs = 1.0;
  const double half = max_abs / 2.0;
  // Changes are sums of target weights (multiples of a small step): ±1e-9 separates "no change".
  constexpr double k_zero = 1e-9;
  const std::string expression = "coalesce(\"" + attribute + "\", -1e300)";
  return graduated_fill_qml(
      expression,
      {{-1e300, -1e300, "#d9d9d9", text("no_target", language)},
       {-max_abs, -half, "#1a9641", std::string(text("gap_fell_more", language)) + " " + legend_number(half, language)},
       {-half, -k_zero, "#a6d96a", text("gap_fell", language)},
       {-k_zero, k_zero, "#f7f7f7", text("gap_same", language)},
       {k_zero, half, "#fdae61", text("gap_rose", language)},
       {half, max_abs, "#d7191c", std::string(text("gap_rose_more", language)) + " " + legend_number(half, language)}});
}

std::string household_change_qml(Language language) {
  return categorized_point_qml("change",
                               {{"newly_reached", "#1a9641", text("change_newly_reached", language)},
                                {"newly_unreached", "#d7191c", text("change_newly_unreached", language)},
                                {"status_changed", "#fdae61", text("change_status_changed", language)},
                                {"added", "#2166ac", text("change_added", language)},
                                {"removed", "#404040", text("change_removed", language)},
                                {"unchanged", "#d9d9d9", text("change_unchanged", language)}},
                               1.6);
}

std::string proposed_sites_qml(Language language) {
  return categorized_point_qml("kind",
                               {{"speaker", "#e31a1c", text("proposed_speaker", language)},
                                {"team", "#6a3d9a", text("proposed_team", language)}},
                               4.0);
}

std::string speakers_qml() {
  return simple_marker_qml("#1f78b4", 2.6, "triangle");
}

std::string teams_qml() {
  return simple_marker_qml("#984ea3", 2.4, "square");
}

std::string households_qml() {
  return simple_marker_qml("#636363", 0.8, "circle", "#636363");
}

}  // namespace infogap
