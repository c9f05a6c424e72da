// The hamlet polygons: ids, geometry checks, reprojection and repair (GEOS); the checks and the
// reprojection serve the hamlets with communes too (derive_hamlets.cpp).
#include "io/load_detail.hpp"

#include <algorithm>
#include <cmath>

#include "adapters/gdal/wkb.hpp"
#include "adapters/geos/geometry_ops.hpp"

namespace infogap::load_detail {

std::vector<detail::RepairResult> reproject_polygons(Layer& l, const std::vector<std::uint8_t>& bad,
                                                     const std::vector<std::uint8_t>& skip, const std::string& working,
                                                     std::vector<Issue>& issues) {
  const std::size_t n = l.rows();
  TransformerPool pool(l.crs.normalized, working);
  std::vector<detail::RepairResult> repaired(n);
  std::vector<std::vector<Issue>> per_worker(thread_count());
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned w) {
        for (std::size_t i = b; i < e; ++i) {
          if (bad[i] != 0 || skip[i] != 0) continue;
          auto& geom = l.data.table.wkb[i];
          if (!detail::transform_wkb(geom, [&transformer = pool.get(w)](double* x, double* y, std::size_t k) {
                return transformer.transform(x, y, k) == 0;
              })) {
            per_worker[w].push_back(
                {i, "geometry", "PROJ cannot transform the polygon from " + l.crs.normalized + " to " + working});
            continue;
          }
          try {
            repaired[i] = detail::repair_polygon(geom);
          } catch (const Error& err) {
            per_worker[w].push_back({i, "geometry", "unusable polygon: " + err.reason()});
            continue;
          }
          if (repaired[i].wkb.empty())
            per_worker[w].push_back(
                {i, "geometry",
                 "invalid polygon (" + repaired[i].reason + ") with no polygonal part left after repair"});
        }
      },
      16);
  for (auto& v : per_worker)
    for (auto& is : v) issues.push_back(std::move(is));
  return repaired;
}

std::vector<Issue> check_geometry(const Layer& l, const std::vector<std::uint8_t>& bad, bool points,
                                  std::vector<std::uint8_t>& is_point) {
  std::vector<Issue> issues;
  is_point.assign(l.rows(), 0);
  for (std::size_t i = 0; i < l.rows(); ++i) {
    if (bad[i] != 0) continue;
    const auto& w = l.data.table.wkb[i];
    const std::uint32_t t = detail::wkb_type(w);
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    if (w.empty()) {
      issues.push_back({i, "geometry", "missing geometry"});
    } else if (t != 3 && t != 6 && !(points && (t == 1 || t == 4))) {
      issues.push_back(
          {i, "geometry", points ? "geometry is neither a polygon nor a point" : "geometry is not a polygon"});
    } else if (!detail::wkb_envelope(w, minx, miny, maxx, maxy)) {
      issues.push_back({i, "geometry", "empty geometry or coordinates not finite"});
    } else if (l.crs.geographic &&
               (std::abs(miny) > 90 || std::abs(maxy) > 90 || std::abs(minx) > 180 || std::abs(maxx) > 180)) {
      issues.push_back({i, "geometry", "coordinates outside [-180, 180] × [-90, 90]"});
    } else if (t == 1 || t == 4) {
      double x = 0, y = 0;
      if (!detail::wkb_point(w, x, y)) {
        issues.push_back({i, "geometry", "a multipoint of several points (one point per hamlet)"});
      } else {
        is_point[i] = 1;
      }
    }
  }
  return issues;
}

Layer read_hamlet_layer(const Scenario& s) {
  const HamletsSource& src = s.hamlets;
  const bool with_commune = s.communes.has_value();
  std::vector<std::string> text_cols{src.id};
  if (!src.name.empty()) text_cols.push_back(src.name);
  for (const auto& g : src.group_by) text_cols.push_back(g);
  if (with_commune && !src.commune.empty()) text_cols.push_back(src.commune);
  Layer l = read_layer(src, "hamlets", text_cols);
  if (l.rows() == 0) throw InvalidInput(ErrorCode::invalid_input, "the hamlet layer is empty", l.where());
  if (l.data.table.geometry_kind == GeometryKind::none)
    throw InvalidInput(ErrorCode::invalid_input, "the hamlet layer has no geometry", l.where());
  require_named_columns(s, "hamlets", l);
  return l;
}

void load_hamlets(const Scenario& s, Inputs& in, std::string& working) {
  if (s.communes) return load_hamlets_with_communes(s, in, working);  // derive_hamlets.cpp
  const HamletsSource& src = s.hamlets;
  Layer l = read_hamlet_layer(s);

  const std::size_t n = l.rows();
  const Column& id = l.data.table.column(src.id);
  std::vector<std::string> ids;
  std::vector<std::uint8_t> bad(n, 0);
  LayerRejects rejects;
  add_rejects(l, check_ids(l, id, ids), &id, bad, rejects);

  // Geometry type and, for lon/lat sources, coordinate ranges; then reprojection and repair.
  std::vector<std::uint8_t> is_point;
  add_rejects(l, check_geometry(l, bad, false, is_point), &id, bad, rejects);

  if (std::find(bad.begin(), bad.end(), std::uint8_t{0}) == bad.end())
    throw InvalidInput(ErrorCode::invalid_input,
                       "no usable hamlet: " + describe_rejects(rejects.list, static_cast<std::int64_t>(n)), l.where());
  working = choose_working_crs(s, l, bad, in);
  std::vector<Issue> issues;
  std::vector<detail::RepairResult> repaired = reproject_polygons(l, bad, is_point, working, issues);
  add_rejects(l, std::move(issues), &id, bad, rejects);

  Hamlets& h = in.hamlets;
  h.group_names = src.group_by;
  h.groups.assign(src.group_by.size(), {});
  const Column* name = optional_column(l, src.name);
  std::vector<const Column*> groups;
  for (const auto& g : src.group_by) groups.push_back(&l.data.table.column(g));
  for (std::size_t i = 0; i < n; ++i) {
    if (bad[i] != 0) continue;
    if (repaired[i].was_invalid) {
      ++in.repaired_polygons;
      in.dropped_parts += repaired[i].dropped_parts;
    }
    h.id.push_back(ids[i]);
    h.name.push_back(name != nullptr ? trim(name->as_text(i)) : std::string());
    for (std::size_t g = 0; g < groups.size(); ++g) h.groups[g].push_back(trim(groups[g]->as_text(i)));
    h.wkb.push_back(std::move(repaired[i].wkb));
    h.area_m2.push_back(detail::area(h.wkb.back()));
  }
  const std::size_t first_reject = in.rejects.size();
  rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(h.size()), in);
  if (h.size() == 0)
    throw InvalidInput(
        ErrorCode::invalid_input,
        "no usable hamlet: " +
            describe_rejects(std::span<const Reject>(in.rejects).subspan(first_reject), static_cast<std::int64_t>(n)),
        l.where());
  check_rejected_share(s, l, in, first_reject, 0);
}

}  // namespace infogap::load_detail
