// Reads a whole vector layer (any GDAL vector driver, CSV with x/y columns, gzip CSV, an XLSX or
// ODS sheet with x/y columns) into a Table.
#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "adapters/gdal/gdal_error.hpp"
#include "adapters/gdal/gdal_io.hpp"
#include "adapters/gdal/wkb.hpp"

namespace infogap::detail {
namespace {

bool ends_with_ci(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

bool looks_like_csv(const std::string& path) {
  return ends_with_ci(path, ".csv") || ends_with_ci(path, ".csv.gz") || ends_with_ci(path, ".tsv") ||
         ends_with_ci(path, ".tsv.gz");
}

bool looks_like_spreadsheet(const std::string& path) {
  return ends_with_ci(path, ".xlsx") || ends_with_ci(path, ".ods");
}

/// A coordinate cell: "105.72", " 105,72 " (decimal comma), "nan"/"inf" (kept, for the loader to
/// reject); false when empty or not a number.
bool parse_coordinate(const char* text, double& v) {
  std::string s(text);
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.back())) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && space(s[b])) ++b;
  s.erase(0, b);
  if (s.empty()) return false;
  if (s.find('.') == std::string::npos && std::count(s.begin(), s.end(), ',') == 1) s[s.find(',')] = '.';
  const char* first = s.data() + (s[0] == '+' ? 1 : 0);
  const auto res = std::from_chars(first, s.data() + s.size(), v);
  if (res.ptr != s.data() + s.size()) return false;
  if (res.ec == std::errc::result_out_of_range) v = std::strtod(s.c_str(), nullptr);  // 1e999 → inf (rejected later)
  return res.ec == std::errc() || res.ec == std::errc::result_out_of_range;
}

GeometryKind kind_of(OGRwkbGeometryType type) {
  switch (wkbFlatten(type)) {
    case wkbPoint:
    case wkbMultiPoint:
      return GeometryKind::point;
    case wkbPolygon:
    case wkbCurvePolygon:
    case wkbTriangle:
      return GeometryKind::polygon;
    case wkbMultiPolygon:
    case wkbMultiSurface:
    case wkbPolyhedralSurface:
    case wkbTIN:
      return GeometryKind::multipolygon;
    case wkbLineString:
    case wkbMultiLineString:
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve:
      return GeometryKind::linestring;
    default:
      return GeometryKind::none;
  }
}

/// "EPSG:nnnn" when the layer's SRS names or can be identified as an EPSG code, else WKT2; "" = none.
std::string layer_crs_text(const OGRSpatialReference* srs) {
  if (srs == nullptr || srs->IsEmpty()) return {};
  const char* auth = srs->GetAuthorityName(nullptr);
  const char* code = srs->GetAuthorityCode(nullptr);
  if (auth != nullptr && code != nullptr && EQUAL(auth, "EPSG")) return std::string("EPSG:") + code;
  OGRSpatialReference copy(*srs);
  if (copy.AutoIdentifyEPSG() == OGRERR_NONE) {
    auth = copy.GetAuthorityName(nullptr);
    code = copy.GetAuthorityCode(nullptr);
    if (auth != nullptr && code != nullptr && EQUAL(auth, "EPSG")) return std::string("EPSG:") + code;
  }
  char* wkt = nullptr;
  const char* const options[] = {"FORMAT=WKT2_2019", nullptr};
  std::string out;
  if (srs->exportToWkt(&wkt, options) == OGRERR_NONE && wkt != nullptr) out = wkt;
  CPLFree(wkt);
  return out;
}

GDALDatasetUniquePtr open_dataset(const std::string& open_path, bool csv, const VectorReadOptions& o, bool autodetect,
                                  GdalErrorCapture& capture) {
  CPLStringList open_options;
  if (csv) {
    // The points are built here from the x/y columns (decimal commas allowed), not by GDAL, which
    // reads "105,72" as 105. GDAL detects the separator (',' ';' or tab), skips a UTF-8 BOM and
    // accepts CRLF line ends.
    open_options.SetNameValue("AUTODETECT_TYPE", autodetect ? "YES" : "NO");
  }
  // Spreadsheets: the first row is always the header (GDAL's guess fails on an all-text sheet).
  CPLConfigOptionSetter xlsx_headers("OGR_XLSX_HEADERS", "FORCE", false);
  CPLConfigOptionSetter ods_headers("OGR_ODS_HEADERS", "FORCE", false);
  GDALDatasetUniquePtr ds(GDALDataset::Open(open_path.c_str(),
                                            GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr,
                                            csv ? open_options.List() : nullptr, nullptr));
  if (!ds) throw_gdal(ErrorCode::io, "cannot open as a vector file", capture, {o.path, o.layer, "", {}});
  return ds;
}

OGRLayer* find_layer(GDALDataset& ds, const VectorReadOptions& o) {
  if (o.layer.empty()) {
    if (ds.GetLayerCount() == 0)
      throw InvalidInput(ErrorCode::invalid_input, "the file has no vector layer", {o.path, "", "", {}});
    return ds.GetLayer(0);
  }
  if (OGRLayer* layer = ds.GetLayerByName(o.layer.c_str())) return layer;
  std::string names;
  for (int i = 0; i < ds.GetLayerCount(); ++i) {
    if (!names.empty()) names += ", ";
    names += ds.GetLayer(i)->GetName();
  }
  throw InvalidInput(ErrorCode::invalid_input, "no such layer (the file has: " + (names.empty() ? "none" : names) + ")",
                     {o.path, o.layer, "", {}});
}

bool wants_text(const VectorReadOptions& o, const char* name) {
  return std::find(o.text_columns.begin(), o.text_columns.end(), name) != o.text_columns.end();
}

}  // namespace

struct VectorStream::Impl {
  VectorReadOptions o;
  GdalErrorCapture capture;
  GDALDatasetUniquePtr ds;
  OGRLayer* layer = nullptr;
  OGRFeatureDefn* defn = nullptr;
  VectorData header;  ///< no rows
  std::vector<int> fields;
  int x_field = -1, y_field = -1;
  bool no_columns = false, has_geometry = false, infer_kind = false, done = false;
  std::int64_t count_hint = -1;
};

VectorStream::VectorStream(const VectorReadOptions& options) : m_impl(std::make_unique<Impl>()) {
  Impl& m = *m_impl;
  m.o = options;
  const VectorReadOptions& o = m.o;
  GdalErrorCapture& capture = m.capture;
  gdal_initialize();
  const ErrorContext where{o.path, o.layer, "", {}};

  VSIStatBufL stat{};
  if (o.path.rfind("/vsi", 0) != 0 && VSIStatL(o.path.c_str(), &stat) != 0)
    throw IoError(ErrorCode::io, "file not found", where);

  std::string open_path = o.path;
  if (ends_with_ci(o.path, ".gz") && o.path.rfind("/vsi", 0) != 0) open_path = "/vsigzip/" + o.path;
  const bool csv = looks_like_csv(o.path);
  const bool spreadsheet = looks_like_spreadsheet(o.path);

  GDALDatasetUniquePtr& ds = m.ds;
  ds = open_dataset(open_path, csv, o, o.csv_autodetect, capture);
  OGRLayer*& layer = m.layer;
  layer = find_layer(*ds, o);
  if (csv && o.csv_autodetect && !o.text_columns.empty()) {
    // Type detection turns "00123" into 123: reopen untyped if an id column was detected as a number.
    const OGRFeatureDefn* defn = layer->GetLayerDefn();
    bool retyped = false;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
      const OGRFieldDefn* f = defn->GetFieldDefn(i);
      if (wants_text(o, f->GetNameRef()) && f->GetType() != OFTString) retyped = true;
    }
    if (retyped) {
      layer = nullptr;
      ds.reset();
      ds = open_dataset(open_path, csv, o, false, capture);
      layer = find_layer(*ds, o);
    }
  }

  VectorData& out = m.header;
  out.layer_name = layer->GetName();
  out.driver = ds->GetDriver() != nullptr ? ds->GetDriver()->GetDescription() : "";
  out.is_csv = out.driver == "CSV" || ((out.driver == "XLSX" || out.driver == "ODS") && spreadsheet);
  const ErrorContext layer_where{o.path, out.layer_name, "", {}};

  OGRFeatureDefn*& defn = m.defn;
  defn = layer->GetLayerDefn();
  // Points from columns: the field index of x and y (GDAL matches names ignoring case).
  auto field_index = [&](const std::string& name) {
    for (int i = 0; i < defn->GetFieldCount(); ++i)
      if (EQUAL(defn->GetFieldDefn(i)->GetNameRef(), name.c_str())) return i;
    return -1;
  };
  m.x_field = out.is_csv ? field_index(o.x_column) : -1;
  m.y_field = out.is_csv ? field_index(o.y_column) : -1;
  const int x_field = m.x_field, y_field = m.y_field;
  // A table without coordinate columns where the layer may lack them (households keyed by hamlet):
  // no geometry at all, not a bad row each.
  m.no_columns = out.is_csv && (x_field < 0 || y_field < 0);
  const bool no_columns = m.no_columns;
  if (no_columns && !o.geometry_optional) {
    const std::string missing = x_field >= 0 ? o.y_column : o.x_column;
    throw InvalidInput(ErrorCode::invalid_input,
                       std::string(out.driver == "CSV" ? "CSV" : "the sheet") + " has no coordinate column '" +
                           missing + "' (set x:/y: on the layer)",
                       {o.path, out.layer_name, missing, {}});
  }
  out.crs = out.is_csv ? std::string() : layer_crs_text(layer->GetSpatialRef());
  // CSV coordinates: each of the x and y columns must be named once (GDAL matches names ignoring case).
  auto is_coordinate = [&](const char* name) {
    return out.is_csv && (EQUAL(name, o.x_column.c_str()) || EQUAL(name, o.y_column.c_str()));
  };
  if (out.is_csv) {
    for (const std::string& c : {o.x_column, o.y_column}) {
      int count = 0;
      for (int i = 0; i < defn->GetFieldCount(); ++i)
        count += EQUAL(defn->GetFieldDefn(i)->GetNameRef(), c.c_str()) ? 1 : 0;
      if (count > 1)
        throw InvalidInput(ErrorCode::invalid_input,
                           "the CSV header names the coordinate column '" + c + "' " + std::to_string(count) +
                               " times; rename the extra column(s)",
                           {o.path, out.layer_name, c, {}});
    }
  }

  // Columns, in the file's order (only the requested ones if a list is given); for a CSV, the
  // coordinate columns are the geometry, not attributes.
  std::vector<int>& fields = m.fields;
  CPLStringList ignored;
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    const char* name = defn->GetFieldDefn(i)->GetNameRef();
    if (is_coordinate(name)) continue;  // read for the point, not an attribute
    out.field_names.emplace_back(name);
    if (o.columns.empty() || std::find(o.columns.begin(), o.columns.end(), name) != o.columns.end()) {
      fields.push_back(i);
    } else {
      ignored.AddString(name);
    }
  }
  if (!ignored.empty()) layer->SetIgnoredFields(const_cast<const char**>(ignored.List()));
  Table& table = out.table;
  // Only a cheap count: the CSV driver would read (and gunzip) the whole file once more.
  m.count_hint = layer->TestCapability(OLCFastFeatureCount) != 0 ? layer->GetFeatureCount(FALSE) : -1;
  for (const int fi : fields) {
    const OGRFieldDefn* f = defn->GetFieldDefn(fi);
    ColumnType t = ColumnType::text;
    if (!wants_text(o, f->GetNameRef())) {
      switch (f->GetType()) {
        case OFTInteger:
        case OFTInteger64:
          t = ColumnType::integer;
          break;
        case OFTReal:
          t = ColumnType::real;
          break;
        default:
          t = ColumnType::text;
          break;
      }
    }
    Column c;
    c.name = f->GetNameRef();
    c.type = t;
    table.columns.push_back(std::move(c));
  }
  m.has_geometry = (out.is_csv && !no_columns) || defn->GetGeomFieldCount() > 0;
  const bool has_geometry = m.has_geometry;
  table.geometry_kind = out.is_csv && !no_columns ? GeometryKind::point
                                                  : (has_geometry ? kind_of(layer->GetGeomType()) : GeometryKind::none);
  m.infer_kind = has_geometry && table.geometry_kind == GeometryKind::none;
  if (o.header_only) {
    // The columns, CRS and (for files that keep it, not CSV) the layer's extent; no feature is read.
    OGREnvelope env;
    if (!out.is_csv && has_geometry && layer->GetExtent(&env, TRUE) == OGRERR_NONE)
      out.extent = std::array<double, 4>{env.MinX, env.MinY, env.MaxX, env.MaxY};
    m.done = true;
    return;
  }
  layer->ResetReading();
}

VectorStream::~VectorStream() = default;

const VectorData& VectorStream::header() const {
  return m_impl->header;
}

std::int64_t VectorStream::row_count_hint() const {
  return m_impl->count_hint;
}

VectorData VectorStream::next(std::size_t max_rows) {
  Impl& m = *m_impl;
  const VectorReadOptions& o = m.o;
  // GDAL's error handlers are per thread, and a chunk may be read on another thread than the one
  // that opened the layer (households: the next chunk is read while this one is checked).
  GdalErrorCapture capture;
  OGRLayer* layer = m.layer;
  OGRFeatureDefn* defn = m.defn;
  const std::vector<int>& fields = m.fields;
  const int x_field = m.x_field, y_field = m.y_field;
  const bool no_columns = m.no_columns, has_geometry = m.has_geometry;
  VectorData out;
  out.layer_name = m.header.layer_name;
  out.driver = m.header.driver;
  out.crs = m.header.crs;
  out.is_csv = m.header.is_csv;
  out.field_names = m.header.field_names;
  out.extent = m.header.extent;
  const ErrorContext layer_where{o.path, out.layer_name, "", {}};
  Table& table = out.table;
  table.columns = m.header.table.columns;  // names and types, no rows
  table.geometry_kind = m.header.table.geometry_kind;
  const std::size_t n_fields = fields.size();
  std::vector<bool> any_null(n_fields, false);
  if (m.done) return out;
  const std::size_t reserve =
      std::min<std::size_t>(max_rows, m.count_hint > 0 ? static_cast<std::size_t>(m.count_hint) : 0);
  for (Column& c : table.columns) {
    if (c.type == ColumnType::integer) c.ints.reserve(reserve);
    if (c.type == ColumnType::real) c.reals.reserve(reserve);
    if (c.type == ColumnType::text) c.texts.reserve(reserve);
    c.null.reserve(reserve);
  }
  if (has_geometry) table.wkb.reserve(reserve);
  table.fid.reserve(reserve);
  while (table.fid.size() < max_rows) {
    OGRFeatureUniquePtr feature(layer->GetNextFeature());
    if (!feature) {
      m.done = true;
      break;
    }
    const std::size_t row = table.fid.size();
    table.fid.push_back(feature->GetFID());
    for (std::size_t k = 0; k < n_fields; ++k) {
      Column& c = table.columns[k];
      const int i = fields[k];
      const bool is_null = !feature->IsFieldSetAndNotNull(i);
      c.null.push_back(is_null);
      if (is_null) any_null[k] = true;
      switch (c.type) {
        case ColumnType::integer:
          c.ints.push_back(is_null ? 0 : feature->GetFieldAsInteger64(i));
          break;
        case ColumnType::real:
          c.reals.push_back(is_null ? 0.0 : feature->GetFieldAsDouble(i));
          break;
        case ColumnType::text:
          c.texts.emplace_back(is_null ? "" : feature->GetFieldAsString(i));
          break;
      }
    }
    if (!has_geometry) continue;
    if (out.is_csv && !no_columns) {
      double x = std::numeric_limits<double>::quiet_NaN();
      double y = x;
      auto coordinate = [&](int i, double& v) {
        if (!feature->IsFieldSetAndNotNull(i)) return false;
        const OGRFieldType t = defn->GetFieldDefn(i)->GetType();
        if (t == OFTReal || t == OFTInteger || t == OFTInteger64) {
          v = feature->GetFieldAsDouble(i);
          return true;
        }
        return parse_coordinate(feature->GetFieldAsString(i), v);
      };
      if (coordinate(x_field, x) && coordinate(y_field, y)) {
        table.wkb.push_back(detail::point_wkb(x, y));
      } else {
        table.wkb.emplace_back();
        out.bad_geometry_rows.push_back(static_cast<std::int64_t>(row));
      }
      continue;
    }
    OGRGeometryUniquePtr geom(feature->StealGeometry());
    if (!geom) {
      table.wkb.emplace_back();
      out.bad_geometry_rows.push_back(static_cast<std::int64_t>(row));
      continue;
    }
    if (geom->hasCurveGeometry(TRUE)) geom.reset(geom->getLinearGeometry());
    if (!geom) {
      table.wkb.emplace_back();
      out.bad_geometry_rows.push_back(static_cast<std::int64_t>(row));
      continue;
    }
    geom->flattenTo2D();
    if (geom->IsEmpty()) out.bad_geometry_rows.push_back(static_cast<std::int64_t>(row));
    if (m.infer_kind && table.geometry_kind == GeometryKind::none) {
      table.geometry_kind = kind_of(geom->getGeometryType());
      m.header.table.geometry_kind = table.geometry_kind;  // the next chunks keep it
    }
    std::vector<std::uint8_t> wkb(geom->WkbSize());
    if (geom->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso) != OGRERR_NONE) {
      wkb.clear();
      out.bad_geometry_rows.push_back(static_cast<std::int64_t>(row));
    }
    table.wkb.push_back(std::move(wkb));
  }
  if (capture.failed()) throw_gdal(ErrorCode::io, "error while reading features", capture, layer_where);
  for (std::size_t i = 0; i < any_null.size(); ++i)
    if (!any_null[i]) table.columns[i].null.clear();  // no NULLs: keep the mask empty
  return out;
}

VectorData read_vector(const VectorReadOptions& o) {
  VectorStream stream(o);
  return stream.next(std::numeric_limits<std::size_t>::max());
}

std::int64_t count_lines(const std::string& path) {
  gdal_initialize();
  std::string open_path = path;
  if (ends_with_ci(path, ".gz") && path.rfind("/vsi", 0) != 0) open_path = "/vsigzip/" + path;
  CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);
  VSILFILE* f = VSIFOpenL(open_path.c_str(), "rb");
  if (f == nullptr) return -1;
  std::vector<char> buf(1 << 20);
  std::int64_t lines = 0;
  char last = '\n';
  for (;;) {
    const size_t got = VSIFReadL(buf.data(), 1, buf.size(), f);
    lines += std::count(buf.data(), buf.data() + got, '\n');
    if (got > 0) last = buf[got - 1];
    if (got < buf.size()) break;
  }
  VSIFCloseL(f);
  return lines + (last != '\n' ? 1 : 0);
}

}  // namespace infogap::detail
