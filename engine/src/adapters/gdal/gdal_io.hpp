#pragma once
// Private: GDAL adapter API used by the engine areas. Only adapters/gdal/*.cpp include GDAL.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "infogap/table.hpp"

namespace infogap::detail {

/// GDALAllRegister() once (thread-safe, idempotent); sets offline/PROJ-friendly config.
void gdal_initialize();

/// What to read from a vector file.
struct VectorReadOptions {
  std::string path;
  std::string layer;             ///< "" = first layer
  std::string x_column = "lon";  ///< CSV, XLSX, ODS: columns holding coordinates
  std::string y_column = "lat";
  /// Columns to force-read as text (ids), regardless of their declared type.
  std::vector<std::string> text_columns;
  /// CSV only: AUTODETECT_TYPE=YES (typed columns). false: every column is read as the exact text
  /// of the file (the loader parses numbers itself, so "abc" in a numeric column is a reject, not 0).
  bool csv_autodetect = true;
  /// Read only these columns (names absent from the file are skipped; GDAL ignores the others,
  /// which saves time and memory). Empty = every column.
  std::vector<std::string> columns;
  /// CSV only: a file without the x/y columns is read as a table without geometry (else an error).
  bool geometry_optional = false;
  /// Read no feature: the columns (empty), the CRS, and the extent when the file keeps one (the
  /// checks that run before a layer is loaded).
  bool header_only = false;
};

/// A vector layer read into memory. Geometry in the file's CRS (GIS axis order: x=lon).
struct VectorData {
  Table table;  ///< attributes + WKB geometry (+ fid)
  std::string layer_name;
  std::string driver;                    ///< GDAL short name, e.g. "GPKG", "CSV"
  std::string crs;                       ///< "EPSG:nnnn" if identified, else WKT/PROJJSON text; "" = none
  bool is_csv = false;                   ///< points built from x/y columns: CSV, XLSX, ODS sheet (no CRS in the file)
  std::vector<std::string> field_names;  ///< every attribute column of the layer, read or not
  std::vector<std::int64_t> bad_geometry_rows;  ///< rows whose geometry was missing / unreadable
  /// header_only, a file with geometry (not CSV): the layer's extent min x, min y, max x, max y in
  /// its CRS (OGR GetExtent: from the file's metadata or index where it keeps one).
  std::optional<std::array<double, 4>> extent;
};

/// Reads a whole vector layer (GeoPackage, shapefile, GeoJSON, FlatGeobuf, CSV, .csv.gz).
/// @throws IoError (file missing/unreadable), InvalidInput (layer missing, CSV without the x/y columns)
VectorData read_vector(const VectorReadOptions& options);

/// A vector layer read in chunks of rows, so a large layer is never whole in memory. The
/// constructor opens the file and reads the header (throws as read_vector does).
class VectorStream {
 public:
  explicit VectorStream(const VectorReadOptions& options);
  ~VectorStream();
  VectorStream(const VectorStream&) = delete;
  VectorStream& operator=(const VectorStream&) = delete;
  /// The layer without rows: layer_name, driver, crs, is_csv, field_names and the columns (names,
  /// types) each chunk has.
  const VectorData& header() const;
  /// The next rows, at most max_rows (none once the layer is read): fid holds the features' ids,
  /// bad_geometry_rows are rows of this chunk. @throws IoError on a read error
  VectorData next(std::size_t max_rows);
  /// Features of the layer when the driver counts them cheaply (GeoPackage, shapefile, …); else -1.
  std::int64_t row_count_hint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Lines of a text file (a .gz one decompressed), for progress while a CSV is read; -1 if
/// unreadable. Never throws.
std::int64_t count_lines(const std::string& path);

/// Lists the layer names of a vector file. @throws IoError
std::vector<std::string> list_layers(const std::string& path);

/// One layer to write: a whole table, or (GeoPackage) a streamed layer of `rows` rows whose
/// values are built `chunk_rows` at a time by `chunk(begin, end)` (the rows [begin, end) as a
/// Table with the same columns each time), so a large layer is never whole in memory.
struct VectorLayerOut {
  std::string name;
  const Table* table = nullptr;
  std::string style_qml;       ///< non-empty: default style row in layer_styles (GeoPackage only)
  bool spatial_index = true;   ///< GeoPackage: build the layer's RTree (false: SPATIAL_INDEX=NO)
  std::size_t rows = 0;        ///< streamed layer: number of rows
  std::size_t chunk_rows = 0;  ///< streamed layer: rows per chunk
  std::function<Table(std::size_t begin, std::size_t end)> chunk{};  ///< streamed layer: rows [begin, end)
  /// Rows of the layer, whichever way it is given.
  std::size_t row_count() const { return table != nullptr ? table->rows() : rows; }
};

/// Writes a GeoPackage with the given layers (and a layer_styles table if any style is given),
/// in EPSG:epsg, in transactions of 100k rows; written to a temp name then renamed (atomic).
/// progress (may be empty) gets the share of rows written, 0..1, after each transaction.
/// @throws IoError
void write_gpkg(const std::string& path, const std::vector<VectorLayerOut>& layers, int epsg,
                const std::function<void(double)>& progress = {});

/// Writes an Excel workbook (GDAL's XLSX driver), a sheet per table (attributes only; names cut
/// to 31 characters), atomically. @throws IoError
void write_xlsx(const std::string& path, const std::vector<VectorLayerOut>& sheets);

/// Writes an ESRI shapefile (.shp .shx .dbf .prj .cpg UTF-8) named <dir>/<name>.shp atomically
/// (written in a temp folder, every component moved). Field names must be <= 10 chars (caller's job).
/// @throws IoError
void write_shapefile(const std::string& dir, const std::string& name, const Table& table, int epsg);

/// Writes a table as a GDAL vector file of the given driver ("GPKG", "CSV", "GeoJSON", "FlatGeobuf",
/// "ESRI Shapefile") — used by synth and tests. For CSV with point geometry, lon/lat (or x/y)
/// columns are written with GEOMETRY=AS_XY-like columns named x_column/y_column. A path ending in
/// ".gz" is gzip-compressed. Atomic.
void write_vector(const std::string& path, const std::string& driver, const std::string& layer, const Table& table,
                  int epsg, const std::string& x_column = "lon", const std::string& y_column = "lat");

/// A raster grid (one band, or several Float32 bands), row-major from the top-left (north-west) corner.
struct RasterOut {
  std::string path;  ///< final .tif path
  int width = 0, height = 0;
  double origin_x = 0, origin_y = 0;  ///< top-left corner, working CRS
  double cell = 10.0;
  int epsg = 0;
  bool byte_band = false;  ///< true: Byte (uses bytes); false: Float32 (uses floats)
  std::vector<float> floats;
  std::vector<std::uint8_t> bytes;
  double nodata = -9999.0;
  std::string description;                      ///< band description, e.g. "speech_level"
  std::string unit;                             ///< e.g. "dB(A)"
  std::string resampling = "AVERAGE";           ///< overview resampling
  std::map<std::string, std::string> metadata;  ///< dataset metadata (UTF-8)
  /// Float32 only: bands 2, 3, … (same size, nodata, unit and resampling as band 1), each with its
  /// description.
  std::vector<std::vector<float>> more_floats;
  std::vector<std::string> more_descriptions;
};

/// Writes a Cloud-Optimized GeoTIFF (DEFLATE + predictor, overviews) via a MEM dataset and the
/// COG driver's CreateCopy; temp name then rename. progress(pct) may be null. @throws IoError
void write_cog(const RasterOut& raster, const std::function<void(double)>& progress = {});

/// Atomic rename (VSIRename); @throws IoError
void rename_file(const std::string& from, const std::string& to);

/// sha256 of a file's bytes, hex. @throws IoError
std::string sha256_file(const std::string& path);

}  // namespace infogap::detail
