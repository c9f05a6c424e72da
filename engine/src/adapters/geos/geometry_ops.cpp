#include "adapters/geos/geometry_ops.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "adapters/geos/geos_context.hpp"
#include "infogap/error.hpp"

namespace infogap::detail {

namespace {

bool is_polygonal_type(int type_id) {
  return type_id == GEOS_POLYGON || type_id == GEOS_MULTIPOLYGON;
}

int type_of(GeosContext& ctx, const GEOSGeometry& g) {
  const int t = GEOSGeomTypeId_r(ctx.get(), &g);
  if (t < 0) throw Error(ErrorCode::geometry, "GEOSGeomTypeId_r failed: " + ctx.take_message());
  return t;
}

std::string type_name(GeosContext& ctx, const GEOSGeometry& g) {
  char* t = GEOSGeomType_r(ctx.get(), &g);
  if (t == nullptr) throw Error(ErrorCode::geometry, "GEOSGeomType_r failed: " + ctx.take_message());
  std::string out(t);
  GEOSFree_r(ctx.get(), t);
  return out;
}

GeomPtr clone(GeosContext& ctx, const GEOSGeometry& g) {
  return checked(ctx, GEOSGeom_clone_r(ctx.get(), &g), "GEOSGeom_clone_r");
}

// Collects clones of every polygon inside g (recursing into collections); counts other parts.
void collect_polygons(GeosContext& ctx, const GEOSGeometry& g, std::vector<GeomPtr>& polygons, std::int64_t& dropped) {
  const int t = type_of(ctx, g);
  if (t == GEOS_POLYGON) {
    if (GEOSisEmpty_r(ctx.get(), &g) == 1) return;
    polygons.push_back(clone(ctx, g));
    return;
  }
  if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(ctx.get(), &g);
    if (n < 0) throw Error(ErrorCode::geometry, "GEOSGetNumGeometries_r failed: " + ctx.take_message());
    for (int i = 0; i < n; ++i) {
      const GEOSGeometry* part = GEOSGetGeometryN_r(ctx.get(), &g, i);
      if (part == nullptr) throw Error(ErrorCode::geometry, "GEOSGetGeometryN_r failed: " + ctx.take_message());
      collect_polygons(ctx, *part, polygons, dropped);
    }
    return;
  }
  // Points, lines and their multi-versions: each component is one dropped part.
  if (GEOSisEmpty_r(ctx.get(), &g) == 1) return;
  const int n = GEOSGetNumGeometries_r(ctx.get(), &g);
  dropped += n > 0 ? n : 1;
}

GeomPtr make_multipolygon(GeosContext& ctx, std::vector<GeomPtr>& polygons) {
  std::vector<GEOSGeometry*> raw;
  raw.reserve(polygons.size());
  for (auto& p : polygons) raw.push_back(p.get());
  GEOSGeometry* mp =
      GEOSGeom_createCollection_r(ctx.get(), GEOS_MULTIPOLYGON, raw.data(), static_cast<unsigned>(raw.size()));
  if (mp == nullptr) throw Error(ErrorCode::geometry, "GEOSGeom_createCollection_r failed: " + ctx.take_message());
  for (auto& p : polygons) (void)p.release();  // now owned by the collection
  polygons.clear();
  return GeomPtr(mp, GeomDeleter{ctx.get()});
}

// Keeps the polygonal part of g: a Polygon/MultiPolygon is returned as is, a collection becomes a
// MultiPolygon of its polygons (nullptr when none remains).
GeomPtr polygonal_part(GeosContext& ctx, GeomPtr g, std::int64_t& dropped) {
  const int t = type_of(ctx, *g);
  if (is_polygonal_type(t)) return g;
  std::vector<GeomPtr> polygons;
  collect_polygons(ctx, *g, polygons, dropped);
  if (polygons.empty()) return GeomPtr(nullptr, GeomDeleter{ctx.get()});
  return make_multipolygon(ctx, polygons);
}

GeomPtr make_point(GeosContext& ctx, double x, double y) {
  return checked(ctx, GEOSGeom_createPointFromXY_r(ctx.get(), x, y), "GEOSGeom_createPointFromXY_r");
}

GEOSCoordSequence* make_sequence(GeosContext& ctx, const std::vector<double>& x, const std::vector<double>& y,
                                 bool close) {
  if (x.size() != y.size()) throw InvalidInput(ErrorCode::invalid_input, "x and y have different lengths");
  std::size_t n = x.size();
  const bool add_closing = close && n > 0 && (x.front() != x.back() || y.front() != y.back());
  const std::size_t total = n + (add_closing ? 1 : 0);
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx.get(), static_cast<unsigned>(total), 2);
  if (seq == nullptr) throw Error(ErrorCode::geometry, "GEOSCoordSeq_create_r failed: " + ctx.take_message());
  for (std::size_t i = 0; i < total; ++i) {
    const std::size_t k = i < n ? i : 0;
    if (GEOSCoordSeq_setXY_r(ctx.get(), seq, static_cast<unsigned>(i), x[k], y[k]) == 0) {
      GEOSCoordSeq_destroy_r(ctx.get(), seq);
      throw Error(ErrorCode::geometry, "GEOSCoordSeq_setXY_r failed: " + ctx.take_message());
    }
  }
  return seq;
}

// Predicate result: 1 true, 0 false, 2 exception.
bool predicate(GeosContext& ctx, char result, const char* what) {
  if (result == 2) throw Error(ErrorCode::geometry, std::string(what) + " failed: " + ctx.take_message());
  return result == 1;
}

void point_xy(GeosContext& ctx, const GEOSGeometry& p, double& x, double& y, const char* what) {
  if (GEOSisEmpty_r(ctx.get(), &p) == 1) throw Error(ErrorCode::geometry, std::string(what) + ": empty geometry");
  if (GEOSGeomGetX_r(ctx.get(), &p, &x) == 0 || GEOSGeomGetY_r(ctx.get(), &p, &y) == 0)
    throw Error(ErrorCode::geometry, std::string(what) + " failed: " + ctx.take_message());
}

void query_collect(void* item, void* userdata) {
  auto* out = static_cast<std::vector<std::uint32_t>*>(userdata);
  out->push_back(*static_cast<const std::uint32_t*>(item));
}

}  // namespace

RepairResult repair_polygon(const Wkb& wkb) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  const int t = type_of(ctx, *g);
  if (!is_polygonal_type(t))
    throw InvalidInput(ErrorCode::invalid_input, "expected a Polygon or MultiPolygon, got " + type_name(ctx, *g));
  RepairResult result;
  const char valid = GEOSisValid_r(ctx.get(), g.get());
  if (predicate(ctx, valid, "GEOSisValid_r")) {
    result.wkb = wkb;
    return result;
  }
  result.was_invalid = true;
  if (char* reason = GEOSisValidReason_r(ctx.get(), g.get()); reason != nullptr) {
    result.reason = reason;
    GEOSFree_r(ctx.get(), reason);
  }
  GeomPtr fixed = checked(ctx, GEOSMakeValid_r(ctx.get(), g.get()), "GEOSMakeValid_r");
  GeomPtr kept = polygonal_part(ctx, std::move(fixed), result.dropped_parts);
  if (kept && GEOSisEmpty_r(ctx.get(), kept.get()) == 0) result.wkb = geom_to_wkb(ctx, *kept);
  return result;
}

double area(const Wkb& wkb) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  double a = 0;
  if (GEOSArea_r(ctx.get(), g.get(), &a) == 0)
    throw Error(ErrorCode::geometry, "GEOSArea_r failed: " + ctx.take_message());
  return a;
}

void centroid(const Wkb& wkb, double& x, double& y) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  GeomPtr c = checked(ctx, GEOSGetCentroid_r(ctx.get(), g.get()), "GEOSGetCentroid_r");
  point_xy(ctx, *c, x, y, "centroid");
}

void envelope(const Wkb& wkb, double& minx, double& miny, double& maxx, double& maxy) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  if (GEOSisEmpty_r(ctx.get(), g.get()) == 1) throw Error(ErrorCode::geometry, "envelope of an empty geometry");
  if (GEOSGeom_getXMin_r(ctx.get(), g.get(), &minx) == 0 || GEOSGeom_getYMin_r(ctx.get(), g.get(), &miny) == 0 ||
      GEOSGeom_getXMax_r(ctx.get(), g.get(), &maxx) == 0 || GEOSGeom_getYMax_r(ctx.get(), g.get(), &maxy) == 0)
    throw Error(ErrorCode::geometry, "envelope failed: " + ctx.take_message());
}

void point_on_surface(const Wkb& wkb, double& x, double& y) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  GeomPtr p = checked(ctx, GEOSPointOnSurface_r(ctx.get(), g.get()), "GEOSPointOnSurface_r");
  point_xy(ctx, *p, x, y, "point_on_surface");
}

Wkb union_all(const std::vector<Wkb>& polygons) {
  GeosContext& ctx = thread_geos_context();
  std::vector<GeomPtr> parts;
  parts.reserve(polygons.size());
  for (const Wkb& w : polygons) parts.push_back(geom_from_wkb(ctx, w));
  std::vector<GEOSGeometry*> raw;
  raw.reserve(parts.size());
  for (auto& p : parts) raw.push_back(p.get());
  GEOSGeometry* gc =
      GEOSGeom_createCollection_r(ctx.get(), GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size()));
  if (gc == nullptr) throw Error(ErrorCode::geometry, "GEOSGeom_createCollection_r failed: " + ctx.take_message());
  for (auto& p : parts) (void)p.release();
  GeomPtr collection(gc, GeomDeleter{ctx.get()});
  GeomPtr u = checked(ctx, GEOSUnaryUnion_r(ctx.get(), collection.get()), "GEOSUnaryUnion_r");
  return geom_to_wkb(ctx, *u);
}

namespace {
/// A GEOS overlay of two WKB geometries (intersection, difference, …), as WKB.
using Overlay = GEOSGeometry* (*)(GEOSContextHandle_t, const GEOSGeometry*, const GEOSGeometry*);
Wkb overlay(const Wkb& a, const Wkb& b, Overlay op, const char* what) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr ga = geom_from_wkb(ctx, a);
  GeomPtr gb = geom_from_wkb(ctx, b);
  GeomPtr r = checked(ctx, op(ctx.get(), ga.get(), gb.get()), what);
  return geom_to_wkb(ctx, *r);
}
}  // namespace

Wkb intersection(const Wkb& a, const Wkb& b) {
  return overlay(a, b, GEOSIntersection_r, "GEOSIntersection_r");
}

Wkb difference(const Wkb& a, const Wkb& b) {
  return overlay(a, b, GEOSDifference_r, "GEOSDifference_r");
}

Wkb symmetric_difference(const Wkb& a, const Wkb& b) {
  return overlay(a, b, GEOSSymDifference_r, "GEOSSymDifference_r");
}

bool is_valid(const Wkb& wkb) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  return predicate(ctx, GEOSisValid_r(ctx.get(), g.get()), "GEOSisValid_r");
}

std::string geometry_type(const Wkb& wkb) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  return type_name(ctx, *g);
}

bool covers_point(const Wkb& polygon, double x, double y) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, polygon);
  GeomPtr p = make_point(ctx, x, y);
  return predicate(ctx, GEOSCovers_r(ctx.get(), g.get(), p.get()), "GEOSCovers_r");
}

std::vector<Wkb> voronoi_partition(const Wkb& polygon, const std::vector<double>& seed_x,
                                   const std::vector<double>& seed_y) {
  if (seed_x.size() != seed_y.size())
    throw InvalidInput(ErrorCode::invalid_input, "voronoi_partition: seed_x and seed_y differ in length");
  const std::size_t n = seed_x.size();
  if (n == 0) return {};
  GeosContext& ctx = thread_geos_context();
  GeomPtr poly = geom_from_wkb(ctx, polygon);
  if (n == 1) return {polygon};

  // Envelope larger than the polygon and the seeds, so every cell is closed beyond the polygon.
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  if (GEOSGeom_getXMin_r(ctx.get(), poly.get(), &minx) == 0 || GEOSGeom_getYMin_r(ctx.get(), poly.get(), &miny) == 0 ||
      GEOSGeom_getXMax_r(ctx.get(), poly.get(), &maxx) == 0 || GEOSGeom_getYMax_r(ctx.get(), poly.get(), &maxy) == 0)
    throw Error(ErrorCode::geometry, "voronoi_partition: envelope failed: " + ctx.take_message());
  for (std::size_t i = 0; i < n; ++i) {
    minx = std::min(minx, seed_x[i]);
    maxx = std::max(maxx, seed_x[i]);
    miny = std::min(miny, seed_y[i]);
    maxy = std::max(maxy, seed_y[i]);
  }
  const double pad = std::max(maxx - minx, maxy - miny) + 1.0;
  GeomPtr env = checked(ctx, GEOSGeom_createRectangle_r(ctx.get(), minx - pad, miny - pad, maxx + pad, maxy + pad),
                        "GEOSGeom_createRectangle_r");

  // Seeds as a MultiPoint; duplicates are refused (their cells would be ambiguous).
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return seed_x[a] != seed_x[b] ? seed_x[a] < seed_x[b] : seed_y[a] < seed_y[b];
  });
  for (std::size_t k = 1; k < n; ++k)
    if (seed_x[order[k]] == seed_x[order[k - 1]] && seed_y[order[k]] == seed_y[order[k - 1]])
      throw InvalidInput(ErrorCode::invalid_input, "voronoi_partition: duplicate seed " + std::to_string(order[k]));
  std::vector<GeomPtr> points;
  points.reserve(n);
  for (std::size_t i = 0; i < n; ++i) points.push_back(make_point(ctx, seed_x[i], seed_y[i]));
  std::vector<GEOSGeometry*> raw;
  raw.reserve(n);
  for (auto& p : points) raw.push_back(p.get());
  GEOSGeometry* mp_raw = GEOSGeom_createCollection_r(ctx.get(), GEOS_MULTIPOINT, raw.data(), static_cast<unsigned>(n));
  if (mp_raw == nullptr) throw Error(ErrorCode::geometry, "GEOSGeom_createCollection_r failed: " + ctx.take_message());
  for (auto& p : points) (void)p.release();
  GeomPtr seeds(mp_raw, GeomDeleter{ctx.get()});

  GeomPtr cells = checked(ctx, GEOSVoronoiDiagram_r(ctx.get(), seeds.get(), env.get(), 0.0, 0), "GEOSVoronoiDiagram_r");
  const int n_cells = GEOSGetNumGeometries_r(ctx.get(), cells.get());
  if (n_cells < 0 || static_cast<std::size_t>(n_cells) != n)
    throw Error(ErrorCode::geometry,
                "voronoi_partition: " + std::to_string(n_cells) + " cells for " + std::to_string(n) + " seeds");

  // Match cells to seeds (GEOS 3.11 does not keep the input order): each seed lies inside its cell.
  // STRtree over the seeds, queried with each cell's envelope.
  // Tree items point into `ids` (stable storage), all inserted before the first query.
  StrTreePtr tree(GEOSSTRtree_create_r(ctx.get(), 10), StrTreeDeleter{ctx.get()});
  if (!tree) throw Error(ErrorCode::geometry, "GEOSSTRtree_create_r failed: " + ctx.take_message());
  std::vector<std::uint32_t> ids(n);
  std::vector<GeomPtr> seed_points;
  seed_points.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    ids[i] = static_cast<std::uint32_t>(i);
    seed_points.push_back(make_point(ctx, seed_x[i], seed_y[i]));
    GEOSSTRtree_insert_r(ctx.get(), tree.get(), seed_points.back().get(), &ids[i]);
  }

  PreparedPtr prepared_poly(GEOSPrepare_r(ctx.get(), poly.get()), PreparedDeleter{ctx.get()});
  if (!prepared_poly) throw Error(ErrorCode::geometry, "GEOSPrepare_r failed: " + ctx.take_message());

  std::vector<Wkb> out(n);
  std::vector<bool> matched(n, false);
  std::vector<std::uint32_t> candidates;
  for (int c = 0; c < n_cells; ++c) {
    const GEOSGeometry* cell = GEOSGetGeometryN_r(ctx.get(), cells.get(), c);
    if (cell == nullptr) throw Error(ErrorCode::geometry, "GEOSGetGeometryN_r failed: " + ctx.take_message());
    candidates.clear();
    GEOSSTRtree_query_r(ctx.get(), tree.get(), cell, &query_collect, &candidates);
    std::sort(candidates.begin(), candidates.end());
    std::int64_t seed = -1;
    for (std::uint32_t k : candidates) {
      if (matched[k]) continue;
      if (predicate(ctx, GEOSContains_r(ctx.get(), cell, seed_points[k].get()), "GEOSContains_r")) {
        seed = k;
        break;
      }
    }
    if (seed < 0) {  // a seed on the cell boundary (nearly collinear input): fall back to Covers
      for (std::uint32_t k : candidates) {
        if (!matched[k] && predicate(ctx, GEOSCovers_r(ctx.get(), cell, seed_points[k].get()), "GEOSCovers_r")) {
          seed = k;
          break;
        }
      }
    }
    if (seed < 0) throw Error(ErrorCode::geometry, "voronoi_partition: a cell has no seed");
    const auto s = static_cast<std::size_t>(seed);
    matched[s] = true;
    // Clip to the polygon; a cell wholly inside needs no overlay.
    if (predicate(ctx, GEOSPreparedContainsProperly_r(ctx.get(), prepared_poly.get(), cell),
                  "GEOSPreparedContainsProperly_r")) {
      out[s] = geom_to_wkb(ctx, *cell);
      continue;
    }
    GeomPtr clipped = checked(ctx, GEOSIntersection_r(ctx.get(), cell, poly.get()), "GEOSIntersection_r");
    std::int64_t dropped = 0;
    GeomPtr kept = polygonal_part(ctx, std::move(clipped), dropped);
    if (kept && GEOSisEmpty_r(ctx.get(), kept.get()) == 0) {
      out[s] = geom_to_wkb(ctx, *kept);
    } else {
      GeomPtr empty = checked(ctx, GEOSGeom_createEmptyPolygon_r(ctx.get()), "GEOSGeom_createEmptyPolygon_r");
      out[s] = geom_to_wkb(ctx, *empty);
    }
  }
  return out;
}

Wkb polygon_from_ring(const std::vector<double>& x, const std::vector<double>& y) {
  GeosContext& ctx = thread_geos_context();
  GEOSCoordSequence* seq = make_sequence(ctx, x, y, true);
  GEOSGeometry* ring = GEOSGeom_createLinearRing_r(ctx.get(), seq);  // takes the sequence
  GeomPtr shell = checked(ctx, ring, "GEOSGeom_createLinearRing_r");
  GEOSGeometry* poly = GEOSGeom_createPolygon_r(ctx.get(), shell.get(), nullptr, 0);  // takes the shell
  if (poly == nullptr) throw Error(ErrorCode::geometry, "GEOSGeom_createPolygon_r failed: " + ctx.take_message());
  (void)shell.release();
  GeomPtr p(poly, GeomDeleter{ctx.get()});
  return geom_to_wkb(ctx, *p);
}

Wkb linestring(const std::vector<double>& x, const std::vector<double>& y) {
  GeosContext& ctx = thread_geos_context();
  GEOSCoordSequence* seq = make_sequence(ctx, x, y, false);
  GeomPtr line = checked(ctx, GEOSGeom_createLineString_r(ctx.get(), seq), "GEOSGeom_createLineString_r");
  return geom_to_wkb(ctx, *line);
}

Wkb from_wkt(const std::string& wkt) {
  GeosContext& ctx = thread_geos_context();
  GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx.get());
  if (reader == nullptr) throw Error(ErrorCode::geometry, "GEOSWKTReader_create_r failed: " + ctx.take_message());
  GEOSGeometry* g = GEOSWKTReader_read_r(ctx.get(), reader, wkt.c_str());
  GEOSWKTReader_destroy_r(ctx.get(), reader);
  if (g == nullptr) throw InvalidInput(ErrorCode::invalid_input, "unreadable WKT: " + ctx.take_message());
  GeomPtr geom(g, GeomDeleter{ctx.get()});
  return geom_to_wkb(ctx, *geom);
}

std::string to_wkt(const Wkb& wkb, int precision) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  GEOSWKTWriter* writer = GEOSWKTWriter_create_r(ctx.get());
  if (writer == nullptr) throw Error(ErrorCode::geometry, "GEOSWKTWriter_create_r failed: " + ctx.take_message());
  GEOSWKTWriter_setTrim_r(ctx.get(), writer, 1);
  GEOSWKTWriter_setRoundingPrecision_r(ctx.get(), writer, precision);
  GEOSWKTWriter_setOutputDimension_r(ctx.get(), writer, 2);
  char* text = GEOSWKTWriter_write_r(ctx.get(), writer, g.get());
  GEOSWKTWriter_destroy_r(ctx.get(), writer);
  if (text == nullptr) throw Error(ErrorCode::geometry, "GEOSWKTWriter_write_r failed: " + ctx.take_message());
  std::string out(text);
  GEOSFree_r(ctx.get(), text);
  return out;
}

// ---------------------------------------------------------------------------------------------
// PolygonIndex

// Members are destroyed in reverse order: the tree, then the prepared geometries, then the
// geometries they point to, and the context last.
struct PolygonIndex::Impl {
  GeosContext ctx;
  std::vector<GeomPtr> geoms;
  std::vector<PreparedPtr> prepared;
  std::vector<std::uint32_t> ids;  // stable storage: the tree's items point here
  StrTreePtr tree{nullptr, StrTreeDeleter{nullptr}};
  std::vector<std::uint32_t> candidates;
};

PolygonIndex::PolygonIndex(const std::vector<Wkb>& polygons) : m_impl(std::make_unique<Impl>()) {
  Impl& im = *m_impl;
  GeosContext& ctx = im.ctx;
  const std::size_t n = polygons.size();
  im.geoms.reserve(n);
  im.prepared.reserve(n);
  im.ids.resize(n);
  im.tree = StrTreePtr(GEOSSTRtree_create_r(ctx.get(), 10), StrTreeDeleter{ctx.get()});
  if (!im.tree) throw Error(ErrorCode::geometry, "GEOSSTRtree_create_r failed: " + ctx.take_message());
  for (std::size_t i = 0; i < n; ++i) {
    im.ids[i] = static_cast<std::uint32_t>(i);
    if (polygons[i].empty()) {  // NULL geometry: covers nothing
      im.geoms.emplace_back(nullptr, GeomDeleter{ctx.get()});
      im.prepared.emplace_back(nullptr, PreparedDeleter{ctx.get()});
      continue;
    }
    im.geoms.push_back(geom_from_wkb(ctx, polygons[i]));
    const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx.get(), im.geoms.back().get());
    if (p == nullptr) throw Error(ErrorCode::geometry, "GEOSPrepare_r failed: " + ctx.take_message());
    im.prepared.emplace_back(p, PreparedDeleter{ctx.get()});
    if (GEOSisEmpty_r(ctx.get(), im.geoms.back().get()) == 0)
      GEOSSTRtree_insert_r(ctx.get(), im.tree.get(), im.geoms.back().get(), &im.ids[i]);
  }
  // Every item is inserted: build the tree now with a first query (later inserts would be lost).
  GeomPtr probe = make_point(ctx, 0.0, 0.0);
  GEOSSTRtree_query_r(ctx.get(), im.tree.get(), probe.get(), &query_collect, &im.candidates);
  im.candidates.clear();
}

PolygonIndex::~PolygonIndex() = default;
PolygonIndex::PolygonIndex(PolygonIndex&&) noexcept = default;
PolygonIndex& PolygonIndex::operator=(PolygonIndex&&) noexcept = default;

void PolygonIndex::covering(double x, double y, std::vector<std::uint32_t>& out) const {
  out.clear();
  Impl& im = *m_impl;
  GeosContext& ctx = im.ctx;
  if (!std::isfinite(x) || !std::isfinite(y)) return;
  GeomPtr p = make_point(ctx, x, y);
  im.candidates.clear();
  GEOSSTRtree_query_r(ctx.get(), im.tree.get(), p.get(), &query_collect, &im.candidates);
  for (std::uint32_t k : im.candidates) {
    if (predicate(ctx, GEOSPreparedCovers_r(ctx.get(), im.prepared[k].get(), p.get()), "GEOSPreparedCovers_r"))
      out.push_back(k);
  }
  std::sort(out.begin(), out.end());
}

}  // namespace infogap::detail
