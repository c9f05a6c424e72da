#pragma once
// Tiny input files made inside a test: a temporary folder removed afterwards, text files
// (GeoJSON, CSV) written verbatim, and a Scenario pointing at them.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <system_error>

#include "infogap/scenario.hpp"

namespace infogap::test {

/// A fresh folder under the system temp dir, removed (with its content) at destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    const auto base = std::filesystem::temp_directory_path();
    for (;;) {
      m_path = base / ("infogap-test-" + std::to_string(rd()) + "-" + std::to_string(counter++));
      if (std::filesystem::create_directory(m_path)) break;
    }
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&&) = delete;
  TempDir& operator=(TempDir&&) = delete;

  /// Path of a file inside the folder.
  std::string path(const std::string& name) const { return (m_path / name).string(); }
  /// The folder.
  std::string dir() const { return m_path.string(); }

 private:
  std::filesystem::path m_path;
};

/// Writes text to a file (binary, so the bytes are exactly the text). Returns the path.
inline std::string write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return path;
}

/// Reads a whole file.
inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// A GeoJSON FeatureCollection in EPSG:4326 from feature texts.
inline std::string geojson(const std::string& features) {
  return R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},)"
         R"("features":[)" +
         features + "]}";
}

/// One GeoJSON polygon feature with the given properties (JSON object text) and ring "x y, x y, ...".
inline std::string polygon_feature(const std::string& properties, const std::string& ring) {
  std::string coords;
  std::size_t pos = 0;
  while (pos < ring.size()) {
    std::size_t comma = ring.find(',', pos);
    if (comma == std::string::npos) comma = ring.size();
    std::string pt = ring.substr(pos, comma - pos);
    while (!pt.empty() && pt.front() == ' ') pt.erase(pt.begin());
    const auto sp = pt.find(' ');
    if (!coords.empty()) coords += ",";
    coords += "[" + pt.substr(0, sp) + "," + pt.substr(sp + 1) + "]";
    pos = comma + 1;
  }
  return R"({"type":"Feature","properties":)" + properties + R"(,"geometry":{"type":"Polygon","coordinates":[[)" +
         coords + "]]}}";
}

/// One GeoJSON point feature.
inline std::string point_feature(const std::string& properties, double lon, double lat) {
  return R"({"type":"Feature","properties":)" + properties + R"(,"geometry":{"type":"Point","coordinates":[)" +
         std::to_string(lon) + "," + std::to_string(lat) + "]}}";
}

}  // namespace infogap::test
