#pragma once
// The small loader worlds shared by the loader tests (layers_test.cpp, layers_lists_test.cpp):
// two Bạc Liêu hamlets as GeoJSON and a household CSV in a temp folder.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/gdal/wkb.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"
#include "infogap/parallel.hpp"
#include "infogap/scenario.hpp"
#include "infogap/table.hpp"
#include "support/files.hpp"

namespace infogap::test {


using infogap::test::geojson;
using infogap::test::point_feature;
using infogap::test::polygon_feature;
using infogap::test::TempDir;
using infogap::test::write_text;

// Two 0.01° × 0.01° hamlets in Bạc Liêu (lon 105.50–105.52, lat 9.30–9.31), EPSG:4326.
inline const std::string k_h1 = polygon_feature(R"({"hamlet_id":"H1","name":"Ấp Một","commune":"Vĩnh Trạch"})",
                                         "105.50 9.30, 105.51 9.30, 105.51 9.31, 105.50 9.31, 105.50 9.30");
inline const std::string k_h2 = polygon_feature(R"({"hamlet_id":"H2","name":"Ấp Hai","commune":"Vĩnh Trạch"})",
                                         "105.51 9.30, 105.52 9.30, 105.52 9.31, 105.51 9.31, 105.51 9.30");
// Area of a 0.01° square at 9.3°N on the ellipsoid: 1106.03 m (lat) × 1098.66 m (lon) = 1.21515e6 m²,
// times the UTM area scale k² = (0.9996 · (1 + 55²/(2 · 6371²)))² = 0.99928 at 55 km from the
// central meridian → 1.21428e6 m².
inline constexpr double k_square_m2 = 1.21428e6;

inline const std::string k_header = "household_id,lon,lat,poverty,members,internet,devices\n";

/// A scenario over files in a temp folder: hamlets.geojson and households.csv.
struct World {
  TempDir dir;
  Scenario s;
  explicit World(const std::string& households_rows, const std::string& hamlet_features = k_h1 + "," + k_h2) {
    s.hamlets.path = write_text(dir.path("hamlets.geojson"), geojson(hamlet_features));
    s.hamlets.group_by = {"commune"};
    s.households.path = write_text(dir.path("households.csv"), k_header + households_rows);
    s.households.members = "members";
    s.households.internet = "internet";
    s.households.devices = "devices";
    // Tiny files: one bad row is a large share of a layer. The row-level checks below are tested
    // with the share check off; LoadInputsShare tests it with the default.
    s.max_rejected_share = 1.0;
  }
};

/// The one reject of a load, checked to be a single row.
inline const Reject& only_reject(const Inputs& in) {
  EXPECT_EQ(in.rejects.size(), 1u);
  static const Reject none;
  return in.rejects.empty() ? none : in.rejects.front();
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}


}  // namespace infogap::test
