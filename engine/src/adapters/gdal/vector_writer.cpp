// Writes Tables as GeoPackage (with QGIS default styles), shapefile, CSV (optionally gzip) or any
// other GDAL vector driver. Every output is written under a temporary name and renamed when closed.
#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_time.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "adapters/gdal/gdal_error.hpp"
#include "adapters/gdal/gdal_io.hpp"
#include "adapters/gdal/wkb.hpp"
#include "core/atomic_file.hpp"

namespace infogap::detail {
namespace {

constexpr std::size_t k_rows_per_transaction = 100000;
// Rows between two progress reports within a layer (the hamlets of the whole country: 100k polygons).
constexpr std::size_t k_rows_per_progress = 10000;

std::string dirname_of(const std::string& path) {
  const std::string d = CPLGetPath(path.c_str());
  return d.empty() ? "." : d;
}

bool ends_with_ci(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

OGRwkbGeometryType layer_type_for(const Table& t) {
  bool any_multi = false;
  for (const auto& w : t.wkb) {
    const auto ft = wkb_type(w);
    if (ft == 5 || ft == 6) any_multi = true;
  }
  switch (t.geometry_kind) {
    case GeometryKind::none:
      return wkbNone;
    case GeometryKind::point:
      return wkbPoint;
    case GeometryKind::polygon:
      return any_multi ? wkbMultiPolygon : wkbPolygon;
    case GeometryKind::multipolygon:
      return wkbMultiPolygon;
    case GeometryKind::linestring:
      return any_multi ? wkbMultiLineString : wkbLineString;
  }
  return wkbUnknown;
}

struct SrsHolder {
  OGRSpatialReference srs;
  bool valid = false;
  explicit SrsHolder(int epsg) {
    if (epsg <= 0) return;
    GdalErrorCapture capture;
    if (srs.importFromEPSG(epsg) != OGRERR_NONE)
      throw_gdal(ErrorCode::crs, "unknown EPSG code " + std::to_string(epsg), capture);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    valid = true;
  }
  const OGRSpatialReference* get() const { return valid ? &srs : nullptr; }
};

/// Byte width of the widest text value of a column (shapefile string widths count bytes).
int text_width(const Column& c) {
  std::size_t w = 1;
  for (const auto& s : c.texts) w = std::max(w, s.size());
  return static_cast<int>(std::min<std::size_t>(w, 254));
}

/// Writes rows into a created layer inside transactions (one per k_rows_per_transaction rows when
/// the dataset has them), so a layer of any size streams through in chunks.
class LayerWriter {
 public:
  LayerWriter(GDALDataset& ds, const std::string& name, const Table& schema, OGRwkbGeometryType gtype,
              const OGRSpatialReference* srs, CPLStringList& options, bool shapefile, const std::string& path,
              GdalErrorCapture& capture)
      : m_ds(ds), m_gtype(gtype), m_name(name), m_path(path), m_capture(capture) {
    const ErrorContext where{path, name, "", {}};
    // GDAL 3.6 takes a non-const SRS but only clones it.
    m_layer = ds.CreateLayer(name.c_str(), const_cast<OGRSpatialReference*>(srs), gtype, options.List());
    if (m_layer == nullptr) throw_gdal(ErrorCode::io, "cannot create layer", capture, where);
    for (const Column& c : schema.columns) {
      OGRFieldType ft = OFTString;
      if (c.type == ColumnType::integer) ft = OFTInteger64;
      if (c.type == ColumnType::real) ft = OFTReal;
      OGRFieldDefn field(c.name.c_str(), ft);
      if (shapefile && c.type == ColumnType::text) field.SetWidth(text_width(c));
      if (m_layer->CreateField(&field) != OGRERR_NONE)
        throw_gdal(ErrorCode::io, "cannot create field", capture, {path, name, c.name, {}});
    }
    m_transactions = ds.TestCapability(ODsCTransactions) != 0;
    if (m_transactions && ds.StartTransaction() != OGRERR_NONE)
      throw_gdal(ErrorCode::io, "cannot start a transaction", capture, where);
  }

  /// Appends every row of `table` (same columns as the schema); `written(n)`, when set, after
  /// each k_rows_per_progress rows and the last ones (n rows since the previous call).
  void rows(const Table& table, const std::function<void(std::size_t)>& written = {}) {
    const std::size_t rows = table.rows();
    std::size_t told = 0;
    OGRFeatureDefn* defn = m_layer->GetLayerDefn();
    for (std::size_t r = 0; r < rows; ++r) {
      const auto row_id = static_cast<std::int64_t>(m_written);
      OGRFeatureUniquePtr f(OGRFeature::CreateFeature(defn));
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const Column& c = table.columns[i];
        const int fi = static_cast<int>(i);
        if (c.is_null(r)) {
          f->SetFieldNull(fi);
          continue;
        }
        switch (c.type) {
          case ColumnType::integer:
            f->SetField(fi, static_cast<GIntBig>(c.ints[r]));
            break;
          case ColumnType::real:
            if (std::isnan(c.reals[r])) {
              f->SetFieldNull(fi);
            } else {
              f->SetField(fi, c.reals[r]);
            }
            break;
          case ColumnType::text:
            f->SetField(fi, c.texts[r].c_str());
            break;
        }
      }
      if (m_gtype != wkbNone && r < table.wkb.size() && !table.wkb[r].empty()) {
        const auto& w = table.wkb[r];
        OGRGeometry* g = nullptr;
        if (OGRGeometryFactory::createFromWkb(w.data(), nullptr, &g, w.size(), wkbVariantIso) != OGRERR_NONE ||
            g == nullptr)
          throw_gdal(ErrorCode::internal, "unreadable WKB", m_capture, {m_path, m_name, "", row_id});
        if (m_gtype == wkbMultiPolygon && wkbFlatten(g->getGeometryType()) == wkbPolygon)
          g = OGRGeometryFactory::forceToMultiPolygon(g);
        if (m_gtype == wkbMultiLineString && wkbFlatten(g->getGeometryType()) == wkbLineString)
          g = OGRGeometryFactory::forceToMultiLineString(g);
        f->SetGeometryDirectly(g);
      }
      if (m_layer->CreateFeature(f.get()) != OGRERR_NONE)
        throw_gdal(ErrorCode::io, "cannot write feature", m_capture, {m_path, m_name, "", row_id});
      ++m_written;
      if (m_transactions && m_written % k_rows_per_transaction == 0) {
        if (m_ds.CommitTransaction() != OGRERR_NONE || m_ds.StartTransaction() != OGRERR_NONE)
          throw_gdal(ErrorCode::io, "cannot commit", m_capture, {m_path, m_name, "", {}});
      }
      if (written && (r + 1) % k_rows_per_progress == 0) {
        written(r + 1 - told);
        told = r + 1;
      }
    }
    if (written && rows > told) written(rows - told);
  }

  /// Makes GDAL build the layer's spatial index now, from the rows written so far, so that every
  /// later row enters it through the GeoPackage's insert trigger, inside the transaction that writes
  /// it. Without this GDAL 3.6 defers the whole index to one statement when the file closes: on the
  /// national households (27 M points) 280 s without any progress; row by row the cost is the same
  /// (measured on 1 M points: 15.3 s deferred, 14.8 s row by row) and the write's progress, counted
  /// in rows, covers it.
  void index_from_now_on() {
    if (m_transactions && m_ds.CommitTransaction() != OGRERR_NONE)
      throw_gdal(ErrorCode::io, "cannot commit", m_capture, {m_path, m_name, "", {}});
    if (m_layer->SyncToDisk() != OGRERR_NONE)
      throw_gdal(ErrorCode::io, "cannot build the spatial index", m_capture, {m_path, m_name, "", {}});
    if (m_transactions && m_ds.StartTransaction() != OGRERR_NONE)
      throw_gdal(ErrorCode::io, "cannot start a transaction", m_capture, {m_path, m_name, "", {}});
  }

  /// Commits the last transaction.
  void finish() {
    if (m_transactions && m_ds.CommitTransaction() != OGRERR_NONE)
      throw_gdal(ErrorCode::io, "cannot commit", m_capture, {m_path, m_name, "", {}});
  }

 private:
  GDALDataset& m_ds;
  OGRLayer* m_layer = nullptr;
  OGRwkbGeometryType m_gtype;
  std::string m_name, m_path;
  GdalErrorCapture& m_capture;
  bool m_transactions = false;
  std::size_t m_written = 0;
};

/// Creates a layer and writes every row of `table`; `written` as LayerWriter::rows.
void write_layer(GDALDataset& ds, const std::string& name, const Table& table, const OGRSpatialReference* srs,
                 CPLStringList& options, bool shapefile, const std::string& path, GdalErrorCapture& capture,
                 const std::function<void(std::size_t)>& written = {}) {
  LayerWriter w(ds, name, table, layer_type_for(table), srs, options, shapefile, path, capture);
  w.rows(table, written);
  w.finish();
}

/// The layer_styles table; with_geometry: per layer, whether it has a geometry column.
void write_styles(GDALDataset& ds, const std::vector<VectorLayerOut>& layers, const std::vector<bool>& with_geometry,
                  const std::string& path, GdalErrorCapture& capture) {
  const ErrorContext where{path, "layer_styles", "", {}};
  OGRLayer* layer = ds.CreateLayer("layer_styles", nullptr, wkbNone, nullptr);
  if (layer == nullptr) throw_gdal(ErrorCode::io, "cannot create layer", capture, where);
  for (const char* name : {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                           "styleQML", "styleSLD", "description", "owner", "ui"}) {
    OGRFieldDefn field(name, OFTString);
    if (layer->CreateField(&field) != OGRERR_NONE) throw_gdal(ErrorCode::io, "cannot create field", capture, where);
  }
  OGRFieldDefn use_default("useAsDefault", OFTInteger);
  use_default.SetSubType(OFSTBoolean);
  OGRFieldDefn update_time("update_time", OFTDateTime);
  if (layer->CreateField(&use_default) != OGRERR_NONE || layer->CreateField(&update_time) != OGRERR_NONE)
    throw_gdal(ErrorCode::io, "cannot create field", capture, where);
  const std::time_t now = std::time(nullptr);
  struct tm utc {};
  CPLUnixTimeToYMDHMS(static_cast<GIntBig>(now), &utc);
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const VectorLayerOut& l = layers[k];
    if (l.style_qml.empty()) continue;
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    f->SetField("f_table_catalog", "");  // '' not NULL: QGIS 3.22 matches f_table_schema=''
    f->SetField("f_table_schema", "");
    f->SetField("f_table_name", l.name.c_str());
    f->SetField("f_geometry_column", with_geometry[k] ? "geom" : "");
    f->SetField("styleName", l.name.c_str());
    f->SetField("styleQML", l.style_qml.c_str());
    f->SetField("styleSLD", "");
    f->SetField("description", "infogap default style");
    f->SetField("owner", "");
    f->SetField("useAsDefault", 1);
    f->SetField("update_time", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                static_cast<float>(utc.tm_sec), 100);
    if (layer->CreateFeature(f.get()) != OGRERR_NONE) throw_gdal(ErrorCode::io, "cannot write style", capture, where);
  }
}

GDALDriver* driver_by_name(const std::string& name) {
  gdal_initialize();
  GDALDriver* d = GetGDALDriverManager()->GetDriverByName(name.c_str());
  if (d == nullptr) throw Error(ErrorCode::internal, "GDAL driver '" + name + "' is not available");
  return d;
}

/// Removes a temporary file or folder (best effort; never throws).
void remove_quietly(const std::string& path) noexcept {
  CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);
  VSIStatBufL st{};
  if (VSIStatL(path.c_str(), &st) != 0) return;
  if (VSI_ISDIR(st.st_mode)) {
    VSIRmdirRecursive(path.c_str());
  } else {
    VSIUnlink(path.c_str());
  }
}

/// Creates a dataset at `tmp`, lets `fill` write into it, closes it and checks for errors.
template <typename Fill>
void write_dataset(GDALDriver* driver, const std::string& tmp, const std::string& final_path, Fill&& fill) {
  GdalErrorCapture capture;
  remove_quietly(tmp);
  try {
    GDALDatasetUniquePtr ds(driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw_gdal(ErrorCode::io, "cannot create", capture, {final_path, "", "", {}});
    fill(*ds, capture);
    ds.reset();  // GDALClose: flushes and closes
    if (capture.failed()) throw_gdal(ErrorCode::io, "error while closing", capture, {final_path, "", "", {}});
  } catch (...) {
    remove_quietly(tmp);
    throw;
  }
}

std::string temp_name(const std::string& path, const std::string& ext) {
  return temp_path_for(path, ext);
}

/// Copies a plain file into a gzip file (the /vsigzip/ writer).
void gzip_file(const std::string& from, const std::string& to_gz) {
  GdalErrorCapture capture;
  VSILFILE* in = VSIFOpenExL(from.c_str(), "rb", TRUE);
  if (in == nullptr) throw_gdal(ErrorCode::io, "cannot open", capture, {from, "", "", {}});
  VSILFILE* out = VSIFOpenExL(("/vsigzip/" + to_gz).c_str(), "wb", TRUE);
  if (out == nullptr) {
    VSIFCloseL(in);
    throw_gdal(ErrorCode::io, "cannot create", capture, {to_gz, "", "", {}});
  }
  std::vector<char> buf(1 << 20);
  bool ok = true;
  for (;;) {
    const size_t got = VSIFReadL(buf.data(), 1, buf.size(), in);
    if (got > 0 && VSIFWriteL(buf.data(), 1, got, out) != got) ok = false;
    if (got < buf.size() || !ok) break;
  }
  VSIFCloseL(in);
  if (VSIFCloseL(out) != 0) ok = false;
  if (!ok || capture.failed()) throw_gdal(ErrorCode::io, "cannot write gzip", capture, {to_gz, "", "", {}});
}

/// A copy of a point table with the geometry moved into x/y columns (for CSV).
Table with_xy_columns(const Table& t, const std::string& x_column, const std::string& y_column) {
  Table out;
  out.columns = t.columns;
  const std::size_t n = t.wkb.size();
  std::vector<double> xs(n), ys(n);
  std::vector<bool> null(n, false);
  bool any_null = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!wkb_point(t.wkb[i], xs[i], ys[i]) || std::isnan(xs[i]) || std::isnan(ys[i])) null[i] = any_null = true;
  }
  if (!any_null) null.clear();
  out.add_real(x_column, std::move(xs), null);
  out.add_real(y_column, std::move(ys), null);
  return out;
}

}  // namespace

void write_gpkg(const std::string& path, const std::vector<VectorLayerOut>& layers, int epsg,
                const std::function<void(double)>& progress) {
  GDALDriver* driver = driver_by_name("GPKG");
  const SrsHolder srs(epsg);
  const std::string tmp = temp_name(path, "gpkg");  // must still end in .gpkg
  // GDAL 3.6 builds a layer's RTree in a background thread while the next layer is written; with
  // several layers in one file the two SQLite connections then wait on each other's locks until
  // the 5 s busy timeout expires (GDAL PR 6959). Measured on the bundled run: 6.4 s → 2.6 s for
  // coverage.gpkg with the threaded RTree off, same file content. Thread-local, for this write only.
  const CPLConfigOptionSetter no_threaded_rtree("OGR_GPKG_ALLOW_THREADED_RTREE", "NO", false);
  write_dataset(driver, tmp, path, [&](GDALDataset& ds, GdalErrorCapture& capture) {
    bool any_style = false;
    // Progress by rows written (a layer counts one row at least).
    double total = 0, done = 0;
    for (const VectorLayerOut& l : layers) total += static_cast<double>(std::max<std::size_t>(1, l.row_count()));
    auto advance = [&](std::size_t rows) {
      done += static_cast<double>(rows);
      if (progress) progress(std::min(1.0, done / total));
    };
    std::vector<bool> with_geometry;
    for (const VectorLayerOut& l : layers) {
      if (l.table == nullptr && !l.chunk)
        throw Error(ErrorCode::internal, "write_gpkg: layer '" + l.name + "' has no table");
      CPLStringList lco;
      lco.SetNameValue("GEOMETRY_NAME", "geom");
      lco.SetNameValue("FID", "fid");
      if (!l.spatial_index) lco.SetNameValue("SPATIAL_INDEX", "NO");
      if (l.table != nullptr) {
        with_geometry.push_back(l.table->geometry_kind != GeometryKind::none);
        write_layer(ds, l.name, *l.table, srs.get(), lco, false, path, capture, advance);
        if (l.table->rows() == 0) advance(1);
      } else {
        // Streamed: chunks of rows built on demand from the engine's arrays, one at a time.
        const std::size_t step = std::max<std::size_t>(1, l.chunk_rows);
        Table chunk = l.chunk(0, std::min(l.rows, step));
        with_geometry.push_back(chunk.geometry_kind != GeometryKind::none);
        LayerWriter w(ds, l.name, chunk, layer_type_for(chunk), srs.get(), lco, false, path, capture);
        for (std::size_t begin = 0;;) {
          w.rows(chunk, advance);
          if (begin == 0 && l.spatial_index && l.rows > step) w.index_from_now_on();
          begin += step;
          if (begin >= l.rows) break;
          chunk = l.chunk(begin, std::min(l.rows, begin + step));
        }
        w.finish();
        if (l.rows == 0) advance(1);
      }
      any_style = any_style || !l.style_qml.empty();
    }
    if (any_style) write_styles(ds, layers, with_geometry, path, capture);
  });
  try {
    rename_file(tmp, path);
  } catch (...) {
    remove_quietly(tmp);
    throw;
  }
}

void write_xlsx(const std::string& path, const std::vector<VectorLayerOut>& sheets) {
  GDALDriver* driver = driver_by_name("XLSX");
  const std::string tmp = temp_name(path, "xlsx");
  write_dataset(driver, tmp, path, [&](GDALDataset& ds, GdalErrorCapture& capture) {
    for (const VectorLayerOut& s : sheets) {
      if (s.table == nullptr) throw Error(ErrorCode::internal, "write_xlsx: sheet '" + s.name + "' has no table");
      Table plain = *s.table;  // a sheet holds attributes only
      plain.geometry_kind = GeometryKind::none;
      plain.wkb.clear();
      CPLStringList lco;
      write_layer(ds, s.name.substr(0, 31), plain, nullptr, lco, false, path, capture);  // Excel: ≤ 31 characters
    }
  });
  try {
    rename_file(tmp, path);
  } catch (...) {
    remove_quietly(tmp);
    throw;
  }
}

void write_shapefile(const std::string& dir, const std::string& name, const Table& table, int epsg) {
  for (const Column& c : table.columns)
    if (c.name.size() > 10)
      throw Error(ErrorCode::internal, "shapefile field name longer than 10 bytes: '" + c.name + "'",
                  {CPLFormFilename(dir.c_str(), name.c_str(), "shp"), name, c.name, {}});
  GDALDriver* driver = driver_by_name("ESRI Shapefile");
  const SrsHolder srs(epsg);
  const std::string tmp_dir = CPLFormFilename(dir.c_str(), ("." + name + ".tmp").c_str(), nullptr);
  remove_quietly(tmp_dir);
  {
    GdalErrorCapture capture;
    if (VSIMkdir(tmp_dir.c_str(), 0755) != 0)
      throw_gdal(ErrorCode::io, "cannot create a temporary folder", capture, {tmp_dir, "", "", {}});
  }
  const std::string tmp_shp = CPLFormFilename(tmp_dir.c_str(), name.c_str(), "shp");
  const std::string final_shp = CPLFormFilename(dir.c_str(), name.c_str(), "shp");
  try {
    write_dataset(driver, tmp_shp, final_shp, [&](GDALDataset& ds, GdalErrorCapture& capture) {
      CPLStringList lco;
      lco.SetNameValue("ENCODING", "UTF-8");  // writes the .cpg
      write_layer(ds, name, table, srs.get(), lco, true, final_shp, capture);
    });
    const CPLStringList files(VSIReadDir(tmp_dir.c_str()));
    for (int i = 0; i < files.size(); ++i) {
      const std::string f = files[i];
      if (f == "." || f == "..") continue;
      const std::string from = CPLFormFilename(tmp_dir.c_str(), f.c_str(), nullptr);
      const std::string to = CPLFormFilename(dir.c_str(), f.c_str(), nullptr);
      rename_file(from, to);
    }
  } catch (...) {
    remove_quietly(tmp_dir);
    throw;
  }
  remove_quietly(tmp_dir);
}

void write_vector(const std::string& path, const std::string& driver_name, const std::string& layer, const Table& table,
                  int epsg, const std::string& x_column, const std::string& y_column) {
  if (driver_name == "ESRI Shapefile") {
    write_shapefile(dirname_of(path), CPLGetBasename(path.c_str()), table, epsg);
    return;
  }
  if (driver_name == "GPKG") {
    write_gpkg(path, {VectorLayerOut{layer, &table, ""}}, epsg);
    return;
  }
  GDALDriver* driver = driver_by_name(driver_name);
  const SrsHolder srs(epsg);
  const bool gz = ends_with_ci(path, ".gz");
  if (driver_name == "CSV") {
    const bool points = table.geometry_kind == GeometryKind::point;
    const Table plain = points ? with_xy_columns(table, x_column, y_column) : Table{};
    const Table& src = points ? plain : table;
    // The CSV written to a plain temp file named like the layer, then (optionally) gzipped.
    const std::string tmp_csv = temp_name(gz ? path.substr(0, path.size() - 3) : path, "csv");
    write_dataset(driver, tmp_csv, path, [&](GDALDataset& ds, GdalErrorCapture& capture) {
      CPLStringList lco;
      if (!points && table.geometry_kind != GeometryKind::none) lco.SetNameValue("GEOMETRY", "AS_WKT");
      write_layer(ds, layer, src, points ? nullptr : srs.get(), lco, false, path, capture);
    });
    try {
      if (gz) {
        const std::string tmp_gz = temp_name(path, "gz");
        remove_quietly(tmp_gz);
        gzip_file(tmp_csv, tmp_gz);
        remove_quietly(tmp_csv);
        rename_file(tmp_gz, path);
      } else {
        rename_file(tmp_csv, path);
      }
    } catch (...) {
      remove_quietly(tmp_csv);
      throw;
    }
    return;
  }
  const std::string ext = CPLGetExtension(path.c_str());
  const std::string tmp = temp_name(path, ext);
  write_dataset(driver, tmp, path, [&](GDALDataset& ds, GdalErrorCapture& capture) {
    CPLStringList lco;
    write_layer(ds, layer, table, srs.get(), lco, false, path, capture);
  });
  try {
    rename_file(tmp, path);
  } catch (...) {
    remove_quietly(tmp);
    throw;
  }
}

}  // namespace infogap::detail
