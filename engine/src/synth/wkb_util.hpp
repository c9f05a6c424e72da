#pragma once
// Private: minimal ISO WKB (2-D, little-endian) reading and writing for the synthetic dataset:
// coordinates of lines and rings out of GEOS results, MultiLineString/MultiPolygon building.

#include <cstdint>
#include <vector>

namespace infogap::detail::synth {

using Bytes = std::vector<std::uint8_t>;

/// A polyline or ring as separate x and y arrays (metres).
struct Path {
  std::vector<double> x, y;
  std::size_t size() const noexcept { return x.size(); }
};

/// Every LineString in a (Multi)LineString / GeometryCollection, appended to `out` (polygons and
/// points are ignored). @throws InvalidInput on malformed WKB
void collect_lines(const Bytes& wkb, std::vector<Path>& out);
/// Every ring (exterior and interior) of every polygon in the geometry, appended to `out`.
void collect_rings(const Bytes& wkb, std::vector<Path>& out);
/// Number of polygons in a Polygon / MultiPolygon / collection.
std::size_t count_polygons(const Bytes& wkb);

/// The polygons of a Polygon / MultiPolygon / collection, each as its rings (exterior first).
std::vector<std::vector<Path>> collect_polygons(const Bytes& wkb);
/// MultiPolygon from polygons given as rings (exterior first; rings closed or not).
Bytes multipolygon(const std::vector<std::vector<Path>>& polygons);

/// MultiLineString from paths (paths with fewer than 2 points are skipped).
Bytes multilinestring(const std::vector<Path>& paths);
/// A Polygon WKB wrapped as a one-part MultiPolygon; a MultiPolygon is returned unchanged; an
/// empty polygon gives an empty MultiPolygon. @throws InvalidInput for other types
Bytes as_multipolygon(const Bytes& wkb);

}  // namespace infogap::detail::synth
