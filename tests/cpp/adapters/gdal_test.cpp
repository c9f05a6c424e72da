// Tests of the GDAL adapter (adapters/gdal/gdal_io.hpp): vector read/write round trips, shapefile
// sidecars, CSV options, errors that name the file and layer, sha256 and rename.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/gdal/text.hpp"
#include "adapters/gdal/wkb.hpp"
#include "infogap/error.hpp"
#include "infogap/table.hpp"
#include "support/files.hpp"

namespace infogap::detail {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::write_text;

void point_of(const std::vector<std::uint8_t>& wkb, double& x, double& y) {
  ASSERT_EQ(wkb.size(), 21u);
  ASSERT_EQ(wkb[0], 1);  // little-endian
  std::uint32_t type = 0;
  std::memcpy(&type, wkb.data() + 1, 4);
  ASSERT_EQ(type, 1u);
  std::memcpy(&x, wkb.data() + 5, 8);
  std::memcpy(&y, wkb.data() + 13, 8);
}

/// Three hamlet-like rows with Vietnamese names, a NULL, and points in EPSG:32648.
Table sample_table() {
  Table t;
  t.add_text("hamlet_id", {"H001", "H002", "H003"});
  t.add_text("name", {"Ấp Phước Thạnh", "Khóm 3", "Ấp Cái Tràm A1"}, {false, true, false});
  t.add_integer("members", {4, 7, 0});
  t.add_real("area_km2", {1.25, 0.5, 12.0});
  t.geometry_kind = GeometryKind::point;
  t.wkb = {point_wkb(554911.6319, 1028058.3340), point_wkb(549427.3529, 1022522.87), point_wkb(500000.0, 0.0)};
  return t;
}

TEST(GdalText, Utf8CheckIsGdalsWithSurrogatesRefused) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("Ấp Phước Thạnh, Đông Hải"));
  EXPECT_TRUE(is_utf8("\xF0\x9F\x98\x80"));            // U+1F600, 4 bytes
  EXPECT_FALSE(is_utf8("\xE9t\xE9"));                  // Latin-1 "été"
  EXPECT_FALSE(is_utf8("\xC0\xAF"));                   // overlong '/'
  EXPECT_FALSE(is_utf8("\xE0\x80\xAF"));               // overlong, 3 bytes
  EXPECT_FALSE(is_utf8("\xED\xA0\x80"));               // UTF-16 surrogate (CPLIsUTF8 alone accepts it)
  EXPECT_FALSE(is_utf8("\xF4\x90\x80\x80"));           // above U+10FFFF
  EXPECT_FALSE(is_utf8("ab\xC3"));                     // truncated at the end
  EXPECT_FALSE(is_utf8(std::string_view("a\0b", 3)));  // embedded NUL
}

TEST(GdalText, InvalidOffsetIsTheFirstBadByte) {
  EXPECT_EQ(invalid_utf8_offset("Ấp 1"), std::string_view::npos);
  EXPECT_EQ(invalid_utf8_offset("\xE9t\xE9"), 0u);
  EXPECT_EQ(invalid_utf8_offset("Ấp \xE9"), 5u);  // "Ấ" is 3 bytes, "p " 2
  EXPECT_EQ(invalid_utf8_offset("ok\xED\xA0\x80"), 2u);
  EXPECT_EQ(invalid_utf8_offset("Đ\xC3"), 2u);
  EXPECT_EQ(invalid_utf8_offset("abc\x80"), 3u);  // a continuation byte without a lead
}

TEST(GdalVectorWriter, GpkgRoundTripKeepsVietnameseTextNullsNumbersAndPoints) {
  TempDir dir;
  const Table t = sample_table();
  const std::string path = dir.path("coverage.gpkg");
  write_gpkg(path, {VectorLayerOut{"ấp", &t, "<qgis/>"}}, 32648);
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(dir.path(".coverage.tmp.gpkg")));  // temp name renamed away

  VectorReadOptions o;
  o.path = path;
  o.layer = "ấp";
  const VectorData d = read_vector(o);
  EXPECT_EQ(d.driver, "GPKG");
  EXPECT_EQ(d.crs, "EPSG:32648");
  EXPECT_FALSE(d.is_csv);
  ASSERT_EQ(d.table.rows(), 3u);
  EXPECT_EQ(d.table.column("hamlet_id").texts, (std::vector<std::string>{"H001", "H002", "H003"}));
  const Column& name = d.table.column("name");
  EXPECT_EQ(name.as_text(0), "Ấp Phước Thạnh");
  EXPECT_TRUE(name.is_null(1));
  EXPECT_EQ(name.as_text(2), "Ấp Cái Tràm A1");
  EXPECT_EQ(d.table.column("members").type, ColumnType::integer);
  EXPECT_EQ(d.table.column("members").ints, (std::vector<std::int64_t>{4, 7, 0}));
  EXPECT_EQ(d.table.column("area_km2").reals, (std::vector<double>{1.25, 0.5, 12.0}));
  EXPECT_EQ(d.table.geometry_kind, GeometryKind::point);
  double x = 0, y = 0;
  point_of(d.table.wkb[0], x, y);
  EXPECT_NEAR(x, 554911.6319, 1e-9);   // m
  EXPECT_NEAR(y, 1028058.3340, 1e-9);  // m
  EXPECT_EQ(d.table.fid, (std::vector<std::int64_t>{1, 2, 3}));
  // The style table is there, next to the layer.
  EXPECT_EQ(list_layers(path), (std::vector<std::string>{"ấp", "layer_styles"}));
}

/// 250 rows: text with NULLs every 7th row, integers, reals, points.
Table numbered_points(std::size_t begin, std::size_t end) {
  Table t;
  std::vector<std::string> id;
  std::vector<bool> null;
  std::vector<std::int64_t> k;
  std::vector<double> v;
  for (std::size_t i = begin; i < end; ++i) {
    id.push_back("hộ " + std::to_string(i));
    null.push_back(i % 7 == 3);
    k.push_back(static_cast<std::int64_t>(i * i));
    v.push_back(0.25 * static_cast<double>(i));
    t.wkb.push_back(point_wkb(500000.0 + static_cast<double>(i), 1000000.0 - static_cast<double>(i)));
  }
  t.add_text("id", std::move(id), std::move(null));
  t.add_integer("k", std::move(k));
  t.add_real("v", std::move(v));
  t.geometry_kind = GeometryKind::point;
  return t;
}

TEST(GdalVectorWriter, StreamedLayerIsTheSameAsTheWholeTableWithProgressToTheEnd) {
  TempDir dir;
  const Table whole = numbered_points(0, 250);
  const std::string a = dir.path("whole.gpkg"), b = dir.path("streamed.gpkg");
  write_gpkg(a, {VectorLayerOut{"h", &whole, ""}}, 32648);
  VectorLayerOut streamed{"h", nullptr, "<qgis/>"};
  streamed.rows = 250;
  streamed.chunk_rows = 40;  // 6 full chunks and a partial one
  std::vector<std::pair<std::size_t, std::size_t>> asked;
  streamed.chunk = [&asked](std::size_t begin, std::size_t end) {
    asked.emplace_back(begin, end);
    return numbered_points(begin, end);
  };
  std::vector<double> progress;
  write_gpkg(b, {streamed}, 32648, [&progress](double f) { progress.push_back(f); });
  EXPECT_EQ(asked.size(), 7u);
  EXPECT_EQ(asked.back(), (std::pair<std::size_t, std::size_t>{240, 250}));
  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_DOUBLE_EQ(progress.back(), 1.0);
  // GDAL's view of both files: the same rows.
  VectorReadOptions o;
  o.path = a;
  const VectorData da = read_vector(o);
  o.path = b;
  const VectorData db = read_vector(o);
  ASSERT_EQ(db.table.rows(), 250u);
  EXPECT_EQ(db.table.column("id").texts, da.table.column("id").texts);
  EXPECT_EQ(db.table.column("id").null, da.table.column("id").null);
  EXPECT_EQ(db.table.column("k").ints, da.table.column("k").ints);
  EXPECT_EQ(db.table.column("v").reals, da.table.column("v").reals);
  EXPECT_EQ(db.table.wkb, da.table.wkb);
  EXPECT_EQ(db.table.fid, da.table.fid);
  EXPECT_EQ(db.table.column("k").ints[249], 249 * 249);
  // Its default style names the geometry column (QGIS matches on it).
  o.layer = "layer_styles";
  const VectorData styles = read_vector(o);
  ASSERT_EQ(styles.table.rows(), 1u);
  EXPECT_EQ(styles.table.column("f_table_name").texts[0], "h");
  EXPECT_EQ(styles.table.column("f_geometry_column").texts[0], "geom");
}

// A large layer given whole (the country's hamlets) reports progress while it is written, every
// 10,000 rows, not once at its end; a streamed one within its chunks too; the last report is 1.
TEST(GdalVectorWriter, ProgressMovesWithinALayer) {
  TempDir dir;
  const Table whole = numbered_points(0, 25000);
  VectorLayerOut streamed{"s", nullptr, ""};
  streamed.rows = 25000;
  streamed.chunk_rows = 25000;  // one chunk
  streamed.chunk = [](std::size_t begin, std::size_t end) { return numbered_points(begin, end); };
  for (const VectorLayerOut& l : {VectorLayerOut{"h", &whole, ""}, streamed}) {
    std::vector<double> progress;
    write_gpkg(dir.path(l.name + ".gpkg"), {l}, 32648, [&progress](double f) { progress.push_back(f); });
    EXPECT_EQ(progress, (std::vector<double>{0.4, 0.8, 1.0})) << l.name;
  }
}

TEST(GdalVectorReader, StreamInChunksReadsWhatReadVectorReads) {
  TempDir dir;
  const Table whole = numbered_points(0, 103);
  const std::string path = dir.path("p.gpkg");
  write_gpkg(path, {VectorLayerOut{"p", &whole, ""}}, 32648);
  VectorReadOptions o;
  o.path = path;
  const VectorData all = read_vector(o);
  VectorStream stream(o);
  EXPECT_EQ(stream.row_count_hint(), 103);
  EXPECT_EQ(stream.header().table.rows(), 0u);
  EXPECT_EQ(stream.header().crs, "EPSG:32648");
  Table joined;
  std::size_t chunks = 0;
  for (VectorData c = stream.next(10); c.table.rows() > 0; c = stream.next(10)) {
    ++chunks;
    EXPECT_LE(c.table.rows(), 10u);
    joined.fid.insert(joined.fid.end(), c.table.fid.begin(), c.table.fid.end());
    joined.wkb.insert(joined.wkb.end(), c.table.wkb.begin(), c.table.wkb.end());
    const auto& ids = c.table.column("id").texts;
    if (joined.columns.empty()) joined.add_text("id", {});
    joined.columns[0].texts.insert(joined.columns[0].texts.end(), ids.begin(), ids.end());
  }
  EXPECT_EQ(chunks, 11u);
  EXPECT_EQ(joined.fid, all.table.fid);
  EXPECT_EQ(joined.wkb, all.table.wkb);
  EXPECT_EQ(joined.columns[0].texts, all.table.column("id").texts);
}

TEST(GdalFiles, CountLinesReadsPlainAndGzipText) {
  TempDir dir;
  const std::string plain = write_text(dir.path("a.csv"), "h\n1\n2\n3");  // no final newline
  EXPECT_EQ(count_lines(plain), 4);
  Table t;
  t.add_text("id", {"a", "b", "c"});
  const std::string gz = dir.path("b.csv.gz");
  write_vector(gz, "CSV", "b", t, 0);
  EXPECT_EQ(count_lines(gz), 4);  // header + 3 rows
  EXPECT_EQ(count_lines(dir.path("missing.csv")), -1);
}

TEST(GdalVectorWriter, GpkgPolygonLayerWithAMultiPolygonRowIsWrittenAsMultiPolygon) {
  TempDir dir;
  Table t;
  t.add_text("id", {"a", "b"});
  t.geometry_kind = GeometryKind::polygon;
  // POLYGON((0 0,1 0,1 1,0 0)) and MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2))) as ISO WKB.
  auto ring = [](std::vector<std::uint8_t>& w, std::vector<double> xy) {
    const std::uint32_t n = static_cast<std::uint32_t>(xy.size() / 2);
    const auto* p = reinterpret_cast<const std::uint8_t*>(&n);
    w.insert(w.end(), p, p + 4);
    const auto* d = reinterpret_cast<const std::uint8_t*>(xy.data());
    w.insert(w.end(), d, d + xy.size() * 8);
  };
  auto polygon = [&](std::vector<double> xy) {
    std::vector<std::uint8_t> w{1, 3, 0, 0, 0, 1, 0, 0, 0};
    ring(w, std::move(xy));
    return w;
  };
  const auto p1 = polygon({0, 0, 1, 0, 1, 1, 0, 0});
  std::vector<std::uint8_t> multi{1, 6, 0, 0, 0, 2, 0, 0, 0};
  const auto p2 = polygon({2, 2, 3, 2, 3, 3, 2, 2});
  multi.insert(multi.end(), p1.begin(), p1.end());
  multi.insert(multi.end(), p2.begin(), p2.end());
  t.wkb = {p1, multi};
  const std::string path = dir.path("mixed.gpkg");
  write_vector(path, "GPKG", "mixed", t, 32648);
  VectorReadOptions o;
  o.path = path;
  const VectorData d = read_vector(o);
  EXPECT_EQ(d.table.geometry_kind, GeometryKind::multipolygon);
  ASSERT_EQ(d.table.wkb.size(), 2u);
  EXPECT_EQ(d.table.wkb[0][1], 6);  // the polygon was promoted to a multipolygon
  EXPECT_EQ(d.table.wkb[1].size(), multi.size());
}

TEST(GdalVectorWriter, ShapefileHasUtf8CpgPrjAndRoundTripsVietnamese) {
  TempDir dir;
  const Table t = sample_table();
  write_shapefile(dir.dir(), "hamlets", t, 32648);
  for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg"})
    EXPECT_TRUE(fs::exists(dir.path(std::string("hamlets") + ext))) << ext;
  EXPECT_FALSE(fs::exists(dir.path(".hamlets.tmp")));  // temporary folder removed
  EXPECT_NE(test::read_text(dir.path("hamlets.cpg")).find("UTF-8"), std::string::npos);
  EXPECT_NE(test::read_text(dir.path("hamlets.prj")).find("UTM_Zone_48N"), std::string::npos);

  VectorReadOptions o;
  o.path = dir.path("hamlets.shp");
  const VectorData d = read_vector(o);
  EXPECT_EQ(d.driver, "ESRI Shapefile");
  EXPECT_EQ(d.crs, "EPSG:32648");
  EXPECT_EQ(d.table.column("name").as_text(0), "Ấp Phước Thạnh");
  EXPECT_EQ(d.table.column("name").as_text(2), "Ấp Cái Tràm A1");
  EXPECT_EQ(d.table.fid, (std::vector<std::int64_t>{0, 1, 2}));
}

TEST(GdalVectorWriter, ShapefileRejectsFieldNamesLongerThanTenBytes) {
  TempDir dir;
  Table t;
  t.add_text("population_2025", {"1"});
  t.geometry_kind = GeometryKind::point;
  t.wkb = {point_wkb(0, 0)};
  try {
    write_shapefile(dir.dir(), "x", t, 32648);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.context().column, "population_2025");
  }
  EXPECT_FALSE(fs::exists(dir.path("x.shp")));
}

TEST(GdalVectorWriter, CsvGzRoundTripPutsPointsInLonLatColumns) {
  TempDir dir;
  Table t;
  t.add_text("household_id", {"007", "008"});
  t.add_text("poverty", {"poor", "not_poor"});
  t.geometry_kind = GeometryKind::point;
  t.wkb = {point_wkb(105.25, 9.5), point_wkb(105.75, 9.125)};
  const std::string path = dir.path("households.csv.gz");
  write_vector(path, "CSV", "households", t, 4326);
  ASSERT_TRUE(fs::exists(path));
  const std::string bytes = test::read_text(path);
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0x8b);

  VectorReadOptions o;
  o.path = path;
  o.csv_autodetect = false;
  const VectorData d = read_vector(o);
  EXPECT_TRUE(d.is_csv);
  EXPECT_EQ(d.crs, "");  // a CSV has no CRS: the loader applies the layer's crs:
  EXPECT_EQ(d.table.column("household_id").texts, (std::vector<std::string>{"007", "008"}));
  EXPECT_FALSE(d.table.find("lon"));  // KEEP_GEOM_COLUMNS=NO
  double x = 0, y = 0;
  point_of(d.table.wkb[1], x, y);
  EXPECT_DOUBLE_EQ(x, 105.75);
  EXPECT_DOUBLE_EQ(y, 9.125);
  EXPECT_EQ(d.table.fid, (std::vector<std::int64_t>{1, 2}));  // CSV FID = 1-based data row
}

TEST(GdalVectorReader, CsvAutodetectTypesNumbersButKeepsIdColumnsAsExactText) {
  TempDir dir;
  const std::string path = write_text(dir.path("h.csv"), "id,lon,lat,members\n00123,105,9,4\n00124,105,9,5\n");
  VectorReadOptions o;
  o.path = path;
  const VectorData typed = read_vector(o);
  EXPECT_EQ(typed.table.column("members").type, ColumnType::integer);
  EXPECT_EQ(typed.table.column("id").as_text(0), "123");  // type detection drops the zeros...
  o.text_columns = {"id"};
  const VectorData ids = read_vector(o);
  EXPECT_EQ(ids.table.column("id").texts, (std::vector<std::string>{"00123", "00124"}));  // ...unless asked
  o.csv_autodetect = false;
  const VectorData text = read_vector(o);
  EXPECT_EQ(text.table.column("members").type, ColumnType::text);
  EXPECT_EQ(text.table.column("members").texts, (std::vector<std::string>{"4", "5"}));
}

TEST(GdalVectorReader, ColumnsOptionReadsOnlyTheRequestedColumnsButListsAll) {
  TempDir dir;
  const Table t = sample_table();
  const std::string path = dir.path("h.gpkg");
  write_gpkg(path, {VectorLayerOut{"h", &t, ""}}, 32648);
  VectorReadOptions o;
  o.path = path;
  o.columns = {"members", "hamlet_id", "not_there"};
  const VectorData d = read_vector(o);
  ASSERT_EQ(d.table.columns.size(), 2u);  // file order, absent names skipped
  EXPECT_EQ(d.table.columns[0].name, "hamlet_id");
  EXPECT_EQ(d.table.columns[1].name, "members");
  EXPECT_EQ(d.table.column("members").ints, (std::vector<std::int64_t>{4, 7, 0}));
  EXPECT_EQ(d.field_names, (std::vector<std::string>{"hamlet_id", "name", "members", "area_km2"}));
  EXPECT_EQ(d.table.wkb.size(), 3u);  // geometry is always read
}

TEST(GdalVectorReader, CsvWithoutTheCoordinateColumnNamesIt) {
  TempDir dir;
  const std::string path = write_text(dir.path("h.csv"), "id,x,lat\n1,105,9\n");
  VectorReadOptions o;
  o.path = path;
  try {
    read_vector(o);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    EXPECT_EQ(e.context().column, "lon");
    EXPECT_EQ(e.context().file, path);
    EXPECT_NE(std::string(e.what()).find("lon"), std::string::npos);
  }
}

TEST(GdalVectorReader, MissingFileIsAnIoErrorNamingTheFile) {
  TempDir dir;
  VectorReadOptions o;
  o.path = dir.path("nowhere.gpkg");
  try {
    read_vector(o);
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_NE(std::string(e.what()).find("nowhere.gpkg"), std::string::npos);
  }
  EXPECT_THROW(list_layers(o.path), IoError);
}

TEST(GdalVectorReader, UnreadableFileIsAnIoErrorWithGdalsMessage) {
  TempDir dir;
  VectorReadOptions o;
  o.path = write_text(dir.path("junk.gpkg"), "this is not a geopackage");
  try {
    read_vector(o);
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_EQ(e.context().file, o.path);
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
  }
}

TEST(GdalVectorReader, MissingLayerListsTheLayersOfTheFile) {
  TempDir dir;
  const Table t = sample_table();
  const std::string path = dir.path("two.gpkg");
  write_gpkg(path, {VectorLayerOut{"hamlets", &t, ""}, VectorLayerOut{"communes", &t, ""}}, 32648);
  VectorReadOptions o;
  o.path = path;
  o.layer = "ap";
  try {
    read_vector(o);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.context().layer, "ap");
    EXPECT_NE(std::string(e.what()).find("hamlets, communes"), std::string::npos);
  }
}

TEST(GdalVectorReader, GeoJsonNullAndNanGeometriesAreReportedAsBadRows) {
  TempDir dir;
  const std::string path = write_text(
      dir.path("p.geojson"),
      R"({"type":"FeatureCollection","features":[)"
      R"({"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[105.5,9.25]}},)"
      R"({"type":"Feature","properties":{"id":"b"},"geometry":null},)"
      R"({"type":"Feature","properties":{"id":"c"},"geometry":{"type":"Point","coordinates":[NaN,9.25]}}]})");
  VectorReadOptions o;
  o.path = path;
  const VectorData d = read_vector(o);
  EXPECT_EQ(d.crs, "EPSG:4326");
  EXPECT_EQ(d.driver, "GeoJSON");
  ASSERT_EQ(d.table.rows(), 3u);
  EXPECT_TRUE(d.table.wkb[1].empty());
  EXPECT_EQ(d.bad_geometry_rows, (std::vector<std::int64_t>{1, 2}));
}

TEST(GdalFiles, Sha256MatchesReferenceDigests) {
  TempDir dir;
  // FIPS 180-2 example "abc", the empty message, and 3,000,000 × 'a' (several 1 MiB reads;
  // digest from coreutils sha256sum).
  EXPECT_EQ(sha256_file(write_text(dir.path("abc"), "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_file(write_text(dir.path("empty"), "")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_file(write_text(dir.path("big"), std::string(3000000, 'a'))),
            "2a152c894398719c0570f83fac34ac03a0f6e8e474b995c2403aa5434f7b9dd4");
  EXPECT_THROW(sha256_file(dir.path("missing")), IoError);
}

TEST(GdalFiles, RenameMovesAndFailsLoudly) {
  TempDir dir;
  write_text(dir.path("a.txt"), "x");
  rename_file(dir.path("a.txt"), dir.path("b.txt"));
  EXPECT_FALSE(fs::exists(dir.path("a.txt")));
  EXPECT_EQ(test::read_text(dir.path("b.txt")), "x");
  try {
    rename_file(dir.path("a.txt"), dir.path("c.txt"));
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("a.txt"), std::string::npos);
  }
}

}  // namespace
}  // namespace infogap::detail
