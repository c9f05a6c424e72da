#include "adapters/geos/geojson.hpp"

#include <cmath>

#include "adapters/geos/geos_context.hpp"
#include "infogap/error.hpp"

namespace infogap::detail {
namespace {

struct TransformState {
  const std::function<bool(double&, double&)>* fn;
  double scale;  // > 0: round to this many units per 1 (10^decimals)
};

int transform_callback(double* x, double* y, void* userdata) {
  auto* st = static_cast<TransformState*>(userdata);
  if (st->fn && !(*st->fn)(*x, *y)) return 0;
  if (st->scale > 0) {
    *x = std::round(*x * st->scale) / st->scale;
    *y = std::round(*y * st->scale) / st->scale;
  }
  return 1;
}

}  // namespace

Wkb simplify(const Wkb& wkb, double tolerance) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  GeomPtr s =
      checked(ctx, GEOSTopologyPreserveSimplify_r(ctx.get(), g.get(), tolerance), "GEOSTopologyPreserveSimplify_r");
  return geom_to_wkb(ctx, *s);
}

Wkb transform_xy(const Wkb& wkb, const std::function<bool(double& x, double& y)>& fn) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  TransformState st{&fn, 0.0};
  GeomPtr t =
      checked(ctx, GEOSGeom_transformXY_r(ctx.get(), g.get(), transform_callback, &st), "GEOSGeom_transformXY_r");
  return geom_to_wkb(ctx, *t);
}

std::string to_geojson(const Wkb& wkb, int decimals) {
  GeosContext& ctx = thread_geos_context();
  GeomPtr g = geom_from_wkb(ctx, wkb);
  TransformState st{nullptr, std::pow(10.0, decimals)};
  GeomPtr r =
      checked(ctx, GEOSGeom_transformXY_r(ctx.get(), g.get(), transform_callback, &st), "GEOSGeom_transformXY_r");
  GEOSGeoJSONWriter* w = GEOSGeoJSONWriter_create_r(ctx.get());
  if (w == nullptr) throw Error(ErrorCode::geometry, "GEOSGeoJSONWriter_create_r failed: " + ctx.take_message());
  char* text = GEOSGeoJSONWriter_writeGeometry_r(ctx.get(), w, r.get(), -1);
  GEOSGeoJSONWriter_destroy_r(ctx.get(), w);
  if (text == nullptr) throw Error(ErrorCode::geometry, "GeoJSON writing failed: " + ctx.take_message());
  std::string out(text);
  GEOSFree_r(ctx.get(), text);
  return out;
}

}  // namespace infogap::detail
