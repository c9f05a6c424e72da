// Tests of the PROJ adapter (adapters/proj/transformer.hpp). Reference coordinates from
// `echo "lat lon" | cs2cs -f %.4f EPSG:4326 EPSG:32648` (PROJ 9.1, authority axis order).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "adapters/proj/transformer.hpp"
#include "infogap/error.hpp"

namespace infogap::detail {
namespace {

TEST(ProjTransformer, Wgs84ToUtm48TakesLonLatAndGivesEastingNorthing) {
  const Transformer t("EPSG:4326", "EPSG:32648");
  EXPECT_FALSE(t.is_identity());
  std::vector<double> x{105.0, 105.5};
  std::vector<double> y{20.0, 9.3};
  EXPECT_EQ(t.transform(x.data(), y.data(), 2), 0u);
  EXPECT_NEAR(x[0], 500000.000, 1e-3);    // m
  EXPECT_NEAR(y[0], 2211481.3077, 1e-3);  // m
  EXPECT_NEAR(x[1], 554911.6319, 1e-3);   // m
  EXPECT_NEAR(y[1], 1028058.3340, 1e-3);  // m
}

TEST(ProjTransformer, FailedPointsBecomeNanAndAreListed) {
  // The inverse UTM projection is undefined 50 000 km east of the meridian (cs2cs prints "*").
  const Transformer t("EPSG:32648", "EPSG:4326");
  std::vector<double> x{500000.0, 5e7, 554911.6319};
  std::vector<double> y{2211481.3077, 1e8, 1028058.3340};
  std::vector<std::size_t> failed;
  EXPECT_EQ(t.transform(x.data(), y.data(), 3, &failed), 1u);
  EXPECT_EQ(failed, (std::vector<std::size_t>{1}));
  EXPECT_TRUE(std::isnan(x[1]) && std::isnan(y[1]));
  EXPECT_NEAR(x[0], 105.0, 1e-8);  // degrees (≈ 1 mm)
  EXPECT_NEAR(y[0], 20.0, 1e-8);
  EXPECT_NEAR(x[2], 105.5, 1e-8);
  EXPECT_NEAR(y[2], 9.3, 1e-8);
}

TEST(ProjTransformer, NonFiniteInputIsAFailureEvenForTheIdentity) {
  const Transformer t("EPSG:32648", "epsg:32648");
  EXPECT_TRUE(t.is_identity());
  std::vector<double> x{1.0, std::nan(""), 3.0};
  std::vector<double> y{2.0, 5.0, INFINITY};
  std::vector<std::size_t> failed;
  EXPECT_EQ(t.transform(x.data(), y.data(), 3, &failed), 2u);
  EXPECT_EQ(failed, (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(x[0], 1.0);
  EXPECT_EQ(y[0], 2.0);
  EXPECT_TRUE(std::isnan(y[2]));
}

TEST(ProjTransformer, UnknownCrsIsInvalidInputWithCodeCrs) {
  try {
    Transformer t("EPSG:999999", "EPSG:32648");
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.code(), ErrorCode::crs);
    EXPECT_NE(std::string(e.what()).find("EPSG:999999"), std::string::npos);
  }
  EXPECT_THROW(Transformer("not a crs", "EPSG:4326"), InvalidInput);
}

TEST(ProjTransformer, MovedTransformerStillWorksAndThreadsUseTheirOwn) {
  Transformer a("EPSG:4326", "EPSG:32648");
  Transformer b = std::move(a);
  double x = 105.0, y = 20.0;
  b.transform(&x, &y, 1);
  EXPECT_NEAR(x, 500000.0, 1e-3);  // m
  // One transformer (and PROJ context) per thread gives the same numbers on every thread.
  std::vector<double> out(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < 4; ++i)
    threads.emplace_back([&out, i] {
      const Transformer t("EPSG:4326", "EPSG:32648");
      double tx = 105.5, ty = 9.3;
      for (int k = 0; k < 200; ++k) {
        tx = 105.5;
        ty = 9.3;
        t.transform(&tx, &ty, 1);
      }
      out[i] = ty;
    });
  for (auto& t : threads) t.join();
  for (const double v : out) EXPECT_NEAR(v, 1028058.3340, 1e-3);  // m
}

TEST(ProjUtm, ZoneOfBacLieuIs48North) {
  EXPECT_EQ(utm_epsg_for(105.7, 9.3), 32648);
  EXPECT_EQ(utm_epsg_for(102.0, 0.0), 32648);  // zone 48 starts at 102°E
  EXPECT_EQ(utm_epsg_for(101.999, 10.0), 32647);
  EXPECT_EQ(utm_epsg_for(-45.0, -10.0), 32723);  // south: 327zz
  EXPECT_EQ(utm_epsg_for(-180.0, 5.0), 32601);
  EXPECT_EQ(utm_epsg_for(180.0, 5.0), 32660);  // clamped to zone 60
  EXPECT_EQ(utm_epsg_for(std::nan(""), 5.0), 0);
}

TEST(ProjCrs, NormalizesAndDescribes) {
  EXPECT_EQ(normalize_crs("epsg:32648"), "EPSG:32648");
  EXPECT_EQ(normalize_crs("4326"), "EPSG:4326");
  EXPECT_EQ(epsg_of("EPSG:3405"), 3405);  // VN-2000 / UTM zone 48N
  EXPECT_EQ(epsg_of("nonsense"), 0);
  EXPECT_THROW(normalize_crs("EPSG:0"), InvalidInput);

  const CrsInfo geo = crs_info("EPSG:4326");
  EXPECT_TRUE(geo.geographic);
  EXPECT_FALSE(geo.projected);
  EXPECT_FALSE(geo.metres);
  EXPECT_EQ(geo.name, "WGS 84");
  const CrsInfo utm = crs_info("EPSG:32648");
  EXPECT_TRUE(utm.projected);
  EXPECT_TRUE(utm.metres);
  EXPECT_EQ(utm.name, "WGS 84 / UTM zone 48N");

  // A WKT without an ID is identified from its definition.
  const std::string wkt =
      R"(PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],)"
      R"(PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],)"
      R"(PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],)"
      R"(PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]])";
  const CrsInfo esri = crs_info(wkt);
  EXPECT_EQ(esri.epsg, 32648);
  EXPECT_EQ(esri.normalized, "EPSG:32648");
  EXPECT_TRUE(esri.metres);
}

}  // namespace
}  // namespace infogap::detail
