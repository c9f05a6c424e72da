#include "adapters/gdal/wkb.hpp"

#include <cpl_error.h>
#include <ogr_geometry.h>
#include <ogr_p.h>  // OGRReadWKBGeometryType
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "infogap/error.hpp"

namespace infogap::detail {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void malformed(const std::string& what) {
  throw InvalidInput(ErrorCode::invalid_input, "malformed WKB geometry: " + what);
}

OGRGeometryUniquePtr import_wkb(const Wkb& wkb) {
  if (wkb.empty()) malformed("empty");
  OGRGeometry* g = nullptr;
  std::size_t consumed = 0;
  const OGRErr err = OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size(), wkbVariantIso, consumed);
  OGRGeometryUniquePtr owned(g);
  if (err == OGRERR_NOT_ENOUGH_DATA) malformed("truncated");
  if (err == OGRERR_UNSUPPORTED_GEOMETRY_TYPE) malformed("unsupported geometry type");
  if (err != OGRERR_NONE || !owned) malformed("unreadable (OGR error " + std::to_string(err) + ")");
  if (consumed != wkb.size()) malformed("trailing bytes");
  return owned;
}

Wkb export_wkb(const OGRGeometry& g) {
  Wkb out(g.WkbSize());
  if (g.exportToWkb(wkbNDR, out.data(), wkbVariantIso) != OGRERR_NONE)
    throw Error(ErrorCode::internal, "OGR cannot write a " + std::string(g.getGeometryName()) + " as WKB");
  return out;
}

/// Hands OGR's per-ring coordinate arrays to a callback: OGRGeometry::transform calls Transform once
/// per point, line or ring with all its coordinates.
class CoordinateVisitor final : public OGRCoordinateTransformation {
 public:
  explicit CoordinateVisitor(std::function<bool(double*, double*, std::size_t)> fn) : m_fn(std::move(fn)) {}
  OGRSpatialReference* GetSourceCS() override { return nullptr; }
  OGRSpatialReference* GetTargetCS() override { return nullptr; }
  int Transform(int count, double* x, double* y, double* /*z*/, double* /*t*/, int* success) override {
    const bool ok = count <= 0 || m_fn(x, y, static_cast<std::size_t>(count));
    if (success != nullptr)
      for (int i = 0; i < count; ++i) success[i] = ok ? TRUE : FALSE;
    return ok ? TRUE : FALSE;
  }
  OGRCoordinateTransformation* Clone() const override { return new CoordinateVisitor(m_fn); }
  OGRCoordinateTransformation* GetInverse() const override { return nullptr; }

 private:
  std::function<bool(double*, double*, std::size_t)> m_fn;
};

/// Runs fn over every coordinate array of g (may change them). False when fn fails.
bool visit_coordinates(OGRGeometry& g, const std::function<bool(double*, double*, std::size_t)>& fn) {
  CoordinateVisitor visitor(fn);
  CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);  // a failed ring is our false, not a GDAL message
  return g.transform(&visitor) == OGRERR_NONE;
}

XyPath path_of(const OGRSimpleCurve& c) {
  XyPath p;
  const int n = c.getNumPoints();
  p.x.resize(static_cast<std::size_t>(n));
  p.y.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    p.x[static_cast<std::size_t>(i)] = c.getX(i);
    p.y[static_cast<std::size_t>(i)] = c.getY(i);
  }
  return p;
}

void collect(const OGRGeometry& g, std::vector<XyPath>* lines, std::vector<XyPath>* rings, std::size_t& polygons) {
  switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint:
      return;
    case wkbLineString:
      if (lines != nullptr) lines->push_back(path_of(*g.toLineString()));
      return;
    case wkbPolygon: {
      const OGRPolygon& p = *g.toPolygon();
      if (p.getExteriorRing() == nullptr) return;
      ++polygons;
      if (rings != nullptr)
        for (const OGRLinearRing* r : p) rings->push_back(path_of(*r));
      return;
    }
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
      for (const OGRGeometry* part : *g.toGeometryCollection()) collect(*part, lines, rings, polygons);
      return;
    default:
      malformed(std::string("unsupported geometry type ") + g.getGeometryName());
  }
}

}  // namespace

std::uint32_t wkb_type(const Wkb& wkb) noexcept {
  if (wkb.size() < 5) return 0;
  OGRwkbGeometryType type = wkbUnknown;
  if (OGRReadWKBGeometryType(wkb.data(), wkbVariantIso, &type) != OGRERR_NONE) return 0;
  return static_cast<std::uint32_t>(wkbFlatten(type));
}

bool wkb_point(const Wkb& wkb, double& x, double& y) noexcept {
  x = y = k_nan;
  thread_local OGRPoint point;  // reused: importing into it allocates nothing
  std::size_t consumed = 0;
  if (!wkb.empty() && point.importFromWkb(wkb.data(), wkb.size(), wkbVariantIso, consumed) == OGRERR_NONE) {
    if (!point.IsEmpty()) {
      x = point.getX();
      y = point.getY();
    }
    return true;
  }
  if (wkb_type(wkb) != wkbMultiPoint) return false;
  OGRMultiPoint multi;
  if (multi.importFromWkb(wkb.data(), wkb.size(), wkbVariantIso, consumed) != OGRERR_NONE ||
      multi.getNumGeometries() != 1)
    return false;
  const OGRPoint* p = multi.getGeometryRef(0);
  if (!p->IsEmpty()) {
    x = p->getX();
    y = p->getY();
  }
  return true;
}

Wkb point_wkb(double x, double y) {
  const OGRPoint p(x, y);
  Wkb out(21);
  p.exportToWkb(wkbNDR, out.data(), wkbVariantIso);
  return out;
}

bool wkb_envelope(const Wkb& wkb, double& minx, double& miny, double& maxx, double& maxy) {
  OGRGeometryUniquePtr g = import_wkb(wkb);
  minx = miny = std::numeric_limits<double>::infinity();
  maxx = maxy = -std::numeric_limits<double>::infinity();
  std::size_t count = 0;
  const bool finite = visit_coordinates(*g, [&](const double* x, const double* y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(x[i]) || !std::isfinite(y[i])) return false;
      minx = std::min(minx, x[i]);
      maxx = std::max(maxx, x[i]);
      miny = std::min(miny, y[i]);
      maxy = std::max(maxy, y[i]);
    }
    count += n;
    return true;
  });
  return finite && count > 0;
}

bool transform_wkb(Wkb& wkb, const std::function<bool(double* x, double* y, std::size_t n)>& fn) {
  OGRGeometryUniquePtr g = import_wkb(wkb);
  if (!visit_coordinates(*g, fn)) return false;
  wkb = export_wkb(*g);
  return true;
}

void collect_lines(const Wkb& wkb, std::vector<XyPath>& out) {
  std::size_t polygons = 0;
  collect(*import_wkb(wkb), &out, nullptr, polygons);
}

void collect_rings(const Wkb& wkb, std::vector<XyPath>& out) {
  std::size_t polygons = 0;
  collect(*import_wkb(wkb), nullptr, &out, polygons);
}

std::size_t count_polygons(const Wkb& wkb) {
  std::size_t polygons = 0;
  collect(*import_wkb(wkb), nullptr, nullptr, polygons);
  return polygons;
}

Wkb multilinestring(const std::vector<XyPath>& paths) {
  OGRMultiLineString multi;
  for (const XyPath& p : paths) {
    if (p.size() < 2) continue;
    auto line = std::make_unique<OGRLineString>();
    line->setPoints(static_cast<int>(p.size()), p.x.data(), p.y.data());
    multi.addGeometryDirectly(line.release());
  }
  return export_wkb(multi);
}

namespace {
void polygons_of(const OGRGeometry& g, std::vector<std::vector<XyPath>>& out) {
  const OGRwkbGeometryType type = wkbFlatten(g.getGeometryType());
  if (type == wkbPolygon) {
    const auto& poly = *g.toPolygon();
    if (poly.IsEmpty()) return;
    auto& rings = out.emplace_back();
    for (const OGRLinearRing* ring : poly) {
      XyPath p;
      p.x.resize(static_cast<std::size_t>(ring->getNumPoints()));
      p.y.resize(p.x.size());
      ring->getPoints(p.x.data(), sizeof(double), p.y.data(), sizeof(double));
      rings.push_back(std::move(p));
    }
  } else if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
    for (const OGRGeometry* part : *g.toGeometryCollection()) polygons_of(*part, out);
  }
}
}  // namespace

std::vector<std::vector<XyPath>> collect_polygons(const Wkb& wkb) {
  std::vector<std::vector<XyPath>> out;
  polygons_of(*import_wkb(wkb), out);
  return out;
}

Wkb multipolygon(const std::vector<std::vector<XyPath>>& polygons) {
  OGRMultiPolygon multi;
  for (const auto& rings : polygons) {
    auto poly = std::make_unique<OGRPolygon>();
    for (const XyPath& p : rings) {
      auto ring = std::make_unique<OGRLinearRing>();
      ring->setPoints(static_cast<int>(p.size()), p.x.data(), p.y.data());
      ring->closeRings();
      poly->addRingDirectly(ring.release());
    }
    multi.addGeometryDirectly(poly.release());
  }
  return export_wkb(multi);
}

Wkb as_multipolygon(const Wkb& wkb) {
  OGRGeometryUniquePtr g = import_wkb(wkb);
  const OGRwkbGeometryType type = wkbFlatten(g->getGeometryType());
  if (type == wkbMultiPolygon) return wkb;
  if (type != wkbPolygon)
    throw InvalidInput(ErrorCode::invalid_input,
                       std::string("as_multipolygon: not a polygon (") + g->getGeometryName() + ")");
  OGRMultiPolygon multi;
  if (!g->IsEmpty()) multi.addGeometryDirectly(g.release());
  return export_wkb(multi);
}

}  // namespace infogap::detail
