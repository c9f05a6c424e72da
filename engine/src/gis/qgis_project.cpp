// The QGIS project writer (infogap.qgs), sidecar QML files, shapefile field names and fields.csv.
// The .qgs shape follows a project written by QGIS 3.22 itself (QgsProject::write), reduced to
// what QgsProject::read needs: project CRS (with SpatialRefSys/ProjectionsEnabled), relative
// paths, layer tree, map layers with their symbology.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <string>

#include "adapters/gdal/crs_text.hpp"
#include "core/atomic_file.hpp"
#include "core/csv.hpp"
#include "core/markup.hpp"
#include "gis/text_util.hpp"
#include "infogap/error.hpp"
#include "infogap/styles.hpp"

namespace infogap {
namespace {

using detail::escape_markup;
using detail::xml_number;

/// The part of a QML document from open_tag to the matching close tag (inclusive), or "".
std::string element(const std::string& qml, const std::string& open_tag, const std::string& close_tag) {
  const auto begin = qml.find(open_tag);
  if (begin == std::string::npos) return {};
  const auto end = qml.find(close_tag, begin);
  if (end == std::string::npos) return {};
  return qml.substr(begin, end + close_tag.size() - begin);
}

std::string spatialrefsys(const detail::CrsText& crs, const std::string& indent) {
  std::string s = indent + "<spatialrefsys>\n";
  s += indent + " <wkt>" + escape_markup(crs.wkt) + "</wkt>\n";
  s += indent + " <proj4>" + escape_markup(crs.proj4) + "</proj4>\n";
  const auto colon = crs.authid.find(':');
  s +=
      indent + " <srid>" + (colon == std::string::npos ? std::string("0") : crs.authid.substr(colon + 1)) + "</srid>\n";
  s += indent + " <authid>" + escape_markup(crs.authid) + "</authid>\n";
  s += indent + " <description>" + escape_markup(crs.description) + "</description>\n";
  s += indent + " <projectionacronym>" + escape_markup(crs.projection_acronym) + "</projectionacronym>\n";
  s += indent + " <ellipsoidacronym>" + escape_markup(crs.ellipsoid_acronym) + "</ellipsoidacronym>\n";
  s += indent + " <geographicflag>" + (crs.geographic ? "true" : "false") + "</geographicflag>\n";
  s += indent + "</spatialrefsys>\n";
  return s;
}

/// "./x" for a relative source (QGIS' own relative form), unchanged when absolute.
std::string datasource(const std::string& source) {
  if (source.empty() || source[0] == '/' || source.rfind("./", 0) == 0 || source.rfind("../", 0) == 0) return source;
  return "./" + source;
}

/// A stable, unique layer id: ASCII of the source ("coverage_hamlets") + "_" + index.
std::string layer_id(const ProjectLayer& layer, std::size_t index) {
  std::string base = detail::fold_to_ascii(layer.source);
  const auto layername = base.find("|layername=");
  if (layername != std::string::npos) {
    const std::string file = base.substr(0, layername);
    base = file.substr(0, file.rfind('.')) + "_" + base.substr(layername + 11);
  } else {
    base = base.substr(0, base.rfind('.'));
  }
  base = base.substr(base.find_last_of('/') == std::string::npos ? 0 : base.find_last_of('/') + 1);
  for (char& c : base)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  if (base.empty()) base = "layer";
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "_%04zu", index);
  return base + suffix;
}

/// Cuts the longest word (the leftmost on ties) one character at a time until the name, words
/// joined by '_', fits max_len; then drops the underscores if still needed.
std::string shorten(const std::string& name, std::size_t max_len) {
  if (name.size() <= max_len) return name;
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto end = std::min(name.find('_', start), name.size());
    if (end > start) words.push_back(name.substr(start, end - start));
    start = end + 1;
  }
  auto joined = [&words](const std::string& sep) {
    std::string s;
    for (std::size_t i = 0; i < words.size(); ++i) s += (i == 0 ? "" : sep) + words[i];
    return s;
  };
  for (;;) {
    const std::string s = joined("_");
    if (s.size() <= max_len) return s;
    auto longest = std::max_element(words.begin(), words.end(),
                                    [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
    if (longest->size() <= 1) break;
    longest->pop_back();
  }
  return joined("").substr(0, max_len);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void write_qml(const std::string& path, const std::string& qml) {
  detail::write_file_atomic(path, qml);
}

void write_qgis_project(const std::string& path, const ProjectSpec& spec) {
  const detail::CrsText crs = detail::crs_text(spec.epsg);
  const std::string title = escape_markup(spec.title);

  std::string tree, layers, order;
  std::size_t index = 0;
  for (const ProjectGroup& group : spec.groups) {
    tree += "  <layer-tree-group name=\"" + escape_markup(group.name) +
            "\" expanded=\"1\" checked=\"Qt::Checked\">\n   <customproperties/>\n";
    for (const ProjectLayer& layer : group.layers) {
      if (layer.provider != "gdal" && layer.provider != "ogr")
        throw InvalidInput(ErrorCode::internal, "QGIS project layer '" + layer.name + "': provider must be gdal or ogr",
                           ErrorContext{path, {}, {}, {}});
      const std::string id = layer_id(layer, ++index);
      const std::string source = escape_markup(datasource(layer.source));
      tree += "   <layer-tree-layer id=\"" + id + "\" name=\"" + escape_markup(layer.name) + "\" source=\"" + source +
              "\" providerKey=\"" + layer.provider + "\" expanded=\"1\" checked=\"" +
              (layer.visible ? "Qt::Checked" : "Qt::Unchecked") + "\" legend_exp=\"\">\n    <customproperties/>\n" +
              "   </layer-tree-layer>\n";
      order += "  <layer id=\"" + id + "\"/>\n";
      const bool raster = layer.provider == "gdal";
      layers += std::string("  <maplayer type=\"") + (raster ? "raster" : "vector") +
                "\" styleCategories=\"AllStyleCategories\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"1e+08\" "
                "maxScale=\"0\" autoRefreshEnabled=\"0\" autoRefreshTime=\"0\">\n";
      layers += "   <id>" + id + "</id>\n   <datasource>" + source + "</datasource>\n   <layername>" +
                escape_markup(layer.name) + "</layername>\n   <srs>\n" + spatialrefsys(crs, "    ") + "   </srs>\n";
      if (raster) {
        layers += "   <provider>gdal</provider>\n   <noData><noDataList bandNo=\"1\" useSrcNoData=\"1\"/></noData>\n";
        const std::string pipe = element(layer.qml, "<pipe>", "</pipe>");
        if (!pipe.empty()) layers += "   " + pipe + "\n";
        layers += "   <blendMode>0</blendMode>\n";
      } else {
        layers += "   <provider encoding=\"UTF-8\">ogr</provider>\n";
        const std::string renderer = element(layer.qml, "<renderer-v2", "</renderer-v2>");
        if (!renderer.empty()) layers += "   " + renderer + "\n";
        layers +=
            "   <blendMode>0</blendMode>\n   <featureBlendMode>0</featureBlendMode>\n   "
            "<layerOpacity>1</layerOpacity>\n";
      }
      layers += "  </maplayer>\n";
    }
    tree += "  </layer-tree-group>\n";
  }

  std::string view;
  if (spec.extent) {
    const auto& e = *spec.extent;
    view = " <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\">\n  <Scales/>\n  <DefaultViewExtent xmin=\"" +
           xml_number(e[0]) + "\" ymin=\"" + xml_number(e[1]) + "\" xmax=\"" + xml_number(e[2]) + "\" ymax=\"" +
           xml_number(e[3]) + "\">\n" + spatialrefsys(crs, "   ") + "  </DefaultViewExtent>\n </ProjectViewSettings>\n";
  }

  std::string qgs = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
  qgs += "<qgis version=\"3.22.0\" projectname=\"" + title + "\">\n";
  qgs += " <homePath path=\"\"/>\n <title>" + title + "</title>\n";
  qgs += " <projectCrs>\n" + spatialrefsys(crs, "  ") + " </projectCrs>\n";
  qgs += " <layer-tree-group>\n  <customproperties/>\n" + tree + " </layer-tree-group>\n";
  qgs += " <projectlayers>\n" + layers + " </projectlayers>\n";
  qgs += " <layerorder>\n" + order + " </layerorder>\n";
  qgs +=
      " <properties>\n"
      "  <SpatialRefSys><ProjectionsEnabled type=\"int\">1</ProjectionsEnabled></SpatialRefSys>\n"
      "  <Paths><Absolute type=\"bool\">false</Absolute></Paths>\n"
      " </properties>\n";
  qgs += " <projectMetadata>\n  <title>" + title + "</title>\n </projectMetadata>\n";
  qgs += view;
  qgs += "</qgis>\n";
  detail::write_file_atomic(path, qgs);
}

std::vector<std::string> shapefile_fields(const std::vector<std::string>& long_names) {
  constexpr std::size_t k_max = 10;
  std::vector<std::string> base(long_names.size());
  for (std::size_t i = 0; i < long_names.size(); ++i) {
    std::string s;
    for (const char c : detail::fold_to_ascii(long_names[i])) {
      const char d = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      if (d == '_' && (s.empty() || s.back() == '_')) continue;  // no leading or doubled '_'
      s += d;
    }
    while (!s.empty() && s.back() == '_') s.pop_back();
    if (s.empty()) s = "field";
    if (std::isdigit(static_cast<unsigned char>(s[0]))) s = "f" + s;
    base[i] = s;
  }
  std::vector<std::string> out(long_names.size());
  std::set<std::string> used;  // upper case: dBASE names ignore case
  for (std::size_t i = 0; i < base.size(); ++i) {
    if (base[i].size() <= k_max && used.insert(upper(base[i])).second) out[i] = base[i];
  }
  for (std::size_t i = 0; i < base.size(); ++i) {
    if (!out[i].empty()) continue;
    std::string s = shorten(base[i], k_max);
    if (used.insert(upper(s)).second) {
      out[i] = s;
      continue;
    }
    for (int k = 1;; ++k) {
      const std::string suffix = "_" + std::to_string(k);
      std::string stem = s.substr(0, k_max - suffix.size());
      while (!stem.empty() && stem.back() == '_') stem.pop_back();
      const std::string candidate = stem + suffix;
      if (used.insert(upper(candidate)).second) {
        out[i] = candidate;
        break;
      }
    }
  }
  return out;
}

void write_fields_csv(const std::string& path, const std::vector<std::string>& short_names,
                      const std::vector<std::string>& long_names) {
  if (short_names.size() != long_names.size())
    throw InvalidInput(ErrorCode::internal, "fields.csv: short and long names differ in number",
                       ErrorContext{path, {}, {}, {}});
  detail::CsvWriter csv({"short", "long"});
  for (std::size_t i = 0; i < short_names.size(); ++i) {
    csv.text(short_names[i]).text(long_names[i]);
    csv.end_row();
  }
  csv.write(path);
}

}  // namespace infogap
