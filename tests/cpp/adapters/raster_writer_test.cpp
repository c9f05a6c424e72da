// write_raster / detail::write_cog read back with GDAL: COG layout (validated by GDAL's own
// validate_cloud_optimized_geotiff), band description, unit, nodata, metadata, overviews.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/gdal/gdal_io.hpp"
#include "infogap/error.hpp"
#include "infogap/raster.hpp"
#include "support/files.hpp"

namespace infogap {
namespace {

GDALDatasetUniquePtr open_raster(const std::string& path) {
  detail::gdal_initialize();
  return GDALDatasetUniquePtr(
      GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR));
}

/// Runs GDAL's COG validator (python3-gdal); true when it reports a valid COG.
bool is_valid_cog(const std::string& path) {
  const std::string cmd = "/usr/bin/python3 -m osgeo_utils.samples.validate_cloud_optimized_geotiff -q '" + path + "'";
  return std::system(cmd.c_str()) == 0;
}

TEST(WriteCog, FloatBandKeepsNameUnitNodataMetadataAndValues) {
  test::TempDir dir;
  const Grid g = Grid::covering(575000.0, 1028000.0, 575000.0 + 1300 * 10.0, 1028000.0 + 1100 * 10.0, 10.0, 32648);
  std::vector<float> values(g.size());
  for (std::size_t k = 0; k < values.size(); ++k)
    values[k] = static_cast<float>(30.0 + static_cast<double>(k % 977) * 0.05);
  values[0] = std::numeric_limits<float>::quiet_NaN();
  values[5] = -std::numeric_limits<float>::infinity();
  const std::vector<float> copy = values;
  RasterSpec spec;
  spec.name = "speech_level";
  spec.description = "Mức âm lời nói lớn nhất";
  spec.unit = "dB(A)";
  spec.metadata = {{"SCENARIO", "Bạc Liêu — synthetic 2024"}};
  const std::string path = dir.path("speech_level.tif");
  std::vector<double> progress;
  write_raster(g, std::move(values), spec, path, [&progress](double p) { progress.push_back(p); });

  ASSERT_FALSE(progress.empty());
  EXPECT_DOUBLE_EQ(progress.back(), 1.0);
  // Only the final file is left (no temporary names).
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.dir())) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"speech_level.tif"});
  EXPECT_TRUE(is_valid_cog(path));

  auto ds = open_raster(path);
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->GetRasterXSize(), 1300);
  EXPECT_EQ(ds->GetRasterYSize(), 1100);
  double gt[6];
  ASSERT_EQ(ds->GetGeoTransform(gt), CE_None);
  EXPECT_DOUBLE_EQ(gt[0], g.origin_x);
  EXPECT_DOUBLE_EQ(gt[3], g.origin_y);
  EXPECT_DOUBLE_EQ(gt[1], 10.0);
  EXPECT_DOUBLE_EQ(gt[5], -10.0);
  ASSERT_NE(ds->GetSpatialRef(), nullptr);
  EXPECT_STREQ(ds->GetSpatialRef()->GetAuthorityCode(nullptr), "32648");
  GDALRasterBand* band = ds->GetRasterBand(1);
  EXPECT_EQ(band->GetRasterDataType(), GDT_Float32);
  EXPECT_STREQ(band->GetDescription(), "speech_level");
  EXPECT_STREQ(band->GetUnitType(), "dB(A)");
  int has_nodata = 0;
  EXPECT_EQ(band->GetNoDataValue(&has_nodata), -9999.0);
  EXPECT_TRUE(has_nodata);
  ASSERT_NE(ds->GetMetadataItem("SCENARIO"), nullptr);
  EXPECT_STREQ(ds->GetMetadataItem("SCENARIO"), "Bạc Liêu — synthetic 2024");
  EXPECT_STREQ(ds->GetMetadataItem("DESCRIPTION"), "Mức âm lời nói lớn nhất");
  EXPECT_STREQ(ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"), "DEFLATE");
  EXPECT_STREQ(ds->GetMetadataItem("PREDICTOR", "IMAGE_STRUCTURE"), "3");
  int bx = 0, by = 0;
  band->GetBlockSize(&bx, &by);
  EXPECT_EQ(bx, 512);
  EXPECT_EQ(by, 512);

  std::vector<float> back(g.size());
  ASSERT_EQ(band->RasterIO(GF_Read, 0, 0, 1300, 1100, back.data(), 1300, 1100, GDT_Float32, 0, 0), CE_None);
  EXPECT_EQ(back[0], -9999.0f);
  EXPECT_EQ(back[5], -9999.0f);
  for (std::size_t k = 1; k < back.size(); ++k)
    if (k != 5) {
      ASSERT_EQ(back[k], copy[k]) << k;  // lossless
    }

  // Overviews are averages of 2×2 blocks (AVERAGE), not cubic.
  ASSERT_GE(band->GetOverviewCount(), 1);
  GDALRasterBand* ov = band->GetOverview(0);
  EXPECT_EQ(ov->GetXSize(), 650);
  float ov_px = 0;
  ASSERT_EQ(ov->RasterIO(GF_Read, 10, 20, 1, 1, &ov_px, 1, 1, GDT_Float32, 0, 0), CE_None);
  const double mean =
      (copy[g.index(20, 40)] + copy[g.index(21, 40)] + copy[g.index(20, 41)] + copy[g.index(21, 41)]) / 4.0;
  EXPECT_NEAR(ov_px, mean, 1e-4);  // dB
  // The next level (×4) is built from the first; where no cell is nodata that is still the mean
  // of the 4×4 block of the full-resolution band.
  ASSERT_EQ(band->GetOverviewCount(), 2);
  GDALRasterBand* ov4 = band->GetOverview(1);
  EXPECT_EQ(ov4->GetXSize(), 325);
  ASSERT_EQ(ov4->RasterIO(GF_Read, 10, 20, 1, 1, &ov_px, 1, 1, GDT_Float32, 0, 0), CE_None);
  double sum16 = 0;
  for (int r = 80; r < 84; ++r)
    for (int c = 40; c < 44; ++c) sum16 += copy[g.index(c, r)];
  EXPECT_NEAR(ov_px, sum16 / 16.0, 1e-4);  // dB
}

TEST(WriteCog, ByteCountsClampNaNToNodataAndOverviewsAreNearest) {
  test::TempDir dir;
  const Grid g = Grid::covering(0.0, 0.0, 1024 * 10.0, 1024 * 10.0, 10.0, 32648);
  std::vector<float> values(g.size());
  for (std::size_t k = 0; k < values.size(); ++k) values[k] = static_cast<float>((k * 7) % 5);
  values[1] = 300.0f;
  values[2] = std::numeric_limits<float>::quiet_NaN();
  values[3] = -4.0f;
  values[4] = 2.6f;
  const std::vector<float> copy = values;
  RasterSpec spec;
  spec.name = "speakers_audible";
  spec.unit = "count";
  spec.type = BandType::byte;
  spec.resampling = Resampling::nearest;
  const std::string path = dir.path("speakers_audible.tif");
  write_raster(g, std::move(values), spec, path);
  EXPECT_TRUE(is_valid_cog(path));

  auto ds = open_raster(path);
  ASSERT_TRUE(ds);
  GDALRasterBand* band = ds->GetRasterBand(1);
  EXPECT_EQ(band->GetRasterDataType(), GDT_Byte);
  EXPECT_STREQ(band->GetDescription(), "speakers_audible");
  EXPECT_EQ(band->GetNoDataValue(), 255.0);
  std::vector<std::uint8_t> back(g.size());
  ASSERT_EQ(band->RasterIO(GF_Read, 0, 0, g.width, g.height, back.data(), g.width, g.height, GDT_Byte, 0, 0), CE_None);
  EXPECT_EQ(back[1], 254);  // saturates below nodata
  EXPECT_EQ(back[2], 255);  // NaN → nodata
  EXPECT_EQ(back[3], 0);
  EXPECT_EQ(back[4], 3);
  for (std::size_t k = 5; k < back.size(); ++k) ASSERT_EQ(back[k], static_cast<std::uint8_t>(copy[k]));
  // NEAREST overviews only hold values of the band (an average of 0…4 counts would not be).
  ASSERT_GE(band->GetOverviewCount(), 1);
  GDALRasterBand* ov = band->GetOverview(0);
  std::vector<std::uint8_t> ovv(static_cast<std::size_t>(ov->GetXSize() * ov->GetYSize()));
  ASSERT_EQ(ov->RasterIO(GF_Read, 0, 0, ov->GetXSize(), ov->GetYSize(), ovv.data(), ov->GetXSize(), ov->GetYSize(),
                         GDT_Byte, 0, 0),
            CE_None);
  std::size_t matches = 0;
  for (int r = 0; r < ov->GetYSize(); ++r)
    for (int c = 0; c < ov->GetXSize(); ++c) {
      const std::uint8_t v = ovv[static_cast<std::size_t>(r * ov->GetXSize() + c)];
      ASSERT_TRUE(v <= 4 || v == 254 || v == 255);
      // nearest picks one of the four source pixels of the 2×2 block
      const std::uint8_t* b = back.data();
      const auto at = [&](int cc, int rr) { return b[g.index(cc, rr)]; };
      if (v == at(2 * c, 2 * r) || v == at(2 * c + 1, 2 * r) || v == at(2 * c, 2 * r + 1) ||
          v == at(2 * c + 1, 2 * r + 1))
        ++matches;
    }
  EXPECT_EQ(matches, ovv.size());
}

TEST(WriteCog, QuantumRoundsToAPowerOfTwoStep) {
  test::TempDir dir;
  const Grid g = Grid::covering(0.0, 0.0, 300.0, 200.0, 10.0, 32648);
  std::vector<float> values(g.size());
  for (std::size_t k = 0; k < values.size(); ++k)
    values[k] = static_cast<float>(1234.567 + 0.37 * static_cast<double>(k));
  const std::vector<float> copy = values;
  RasterSpec spec;
  spec.name = "team_distance";
  spec.quantum = 0.1;  // → 1/16 m
  const std::string path = dir.path("q.tif");
  write_raster(g, std::move(values), spec, path);
  auto ds = open_raster(path);
  ASSERT_TRUE(ds);
  std::vector<float> back(g.size());
  ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, g.width, g.height, back.data(), g.width, g.height,
                                           GDT_Float32, 0, 0),
            CE_None);
  for (std::size_t k = 0; k < back.size(); ++k) {
    ASSERT_NEAR(back[k], copy[k], 1.0 / 32.0 + 1e-4);                                // m: half a step
    ASSERT_EQ(std::fmod(static_cast<double>(back[k]) * 16.0, 1.0), 0.0) << back[k];  // a multiple of 1/16
  }
}

TEST(WriteCog, UnwritableFolderIsAnIoErrorAndLeavesNothing) {
  const Grid g = Grid::covering(0.0, 0.0, 100.0, 100.0, 10.0, 32648);
  EXPECT_THROW(write_raster(g, std::vector<float>(g.size(), 1.0f),
                            {"x", "", "", BandType::float32, {}, Resampling::average, {}, 0.0},
                            "/nonexistent-folder-infogap/x.tif"),
               IoError);
}

}  // namespace
}  // namespace infogap
