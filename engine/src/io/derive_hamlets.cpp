// Hamlets without boundaries (DESIGN.md §3 "communes"): with a communes block the hamlet layer may
// hold points (one per hamlet: its cultural house or centre). Each commune is split among its hamlet
// points — Voronoi cells clipped to what remains of the commune once the given hamlet polygons are
// removed — so the derived areas partition the commune. Given polygons are kept as they are.
#include <algorithm>
#include <cmath>
#include <map>

#include "adapters/gdal/wkb.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "io/load_detail.hpp"
#include "io/name_match.hpp"

namespace infogap::load_detail {

void load_hamlets_with_communes(const Scenario& s, Inputs& in, std::string& working) {
  const HamletsSource& src = s.hamlets;
  const CommunesSource& csrc = *s.communes;
  Layer l = read_hamlet_layer(s);

  const std::size_t n = l.rows();
  const Column& id = l.data.table.column(src.id);
  std::vector<std::string> ids;
  std::vector<std::uint8_t> bad(n, 0), is_point;
  LayerRejects rejects;
  add_rejects(l, check_ids(l, id, ids), &id, bad, rejects);
  add_rejects(l, check_geometry(l, bad, true, is_point), &id, bad, rejects);
  if (std::find(bad.begin(), bad.end(), std::uint8_t{0}) == bad.end())
    throw InvalidInput(
        ErrorCode::invalid_input,
        "no usable hamlet: all " + std::to_string(n) + " were rejected (first: " + rejects.front().reason + ")",
        l.where());
  working = choose_working_crs(s, l, bad, in);

  // Communes: ids, polygons, reprojection and repair.
  Layer cl =
      read_layer(csrc, "communes",
                 csrc.name.empty() ? std::vector<std::string>{csrc.id} : std::vector<std::string>{csrc.id, csrc.name});
  if (cl.data.table.geometry_kind == GeometryKind::none)
    throw InvalidInput(ErrorCode::invalid_input, "the commune layer has no geometry", cl.where());
  require_named_columns(s, "communes", cl);
  const std::size_t nc = cl.rows();
  const Column& cid = cl.data.table.column(csrc.id);
  const Column* cname = optional_column(cl, csrc.name);
  std::vector<std::string> cids;
  std::vector<std::uint8_t> cbad(nc, 0), cpoint;
  LayerRejects crejects;
  add_rejects(cl, check_ids(cl, cid, cids), &cid, cbad, crejects);
  add_rejects(cl, check_geometry(cl, cbad, false, cpoint), &cid, cbad, crejects);
  std::vector<Issue> issues;
  std::vector<detail::RepairResult> commune_geom = reproject_polygons(cl, cbad, cpoint, working, issues);
  add_rejects(cl, std::move(issues), &cid, cbad, crejects);
  std::vector<std::size_t> communes;  // usable commune rows
  std::vector<detail::Wkb> commune_wkb;
  NameIndex commune_names;
  for (std::size_t c = 0; c < nc; ++c) {
    if (cbad[c] != 0) continue;
    const std::size_t k = communes.size();
    communes.push_back(c);
    commune_wkb.push_back(commune_geom[c].wkb);
    commune_names.add(cids[c], k);
    if (cname != nullptr) commune_names.add(trim(cname->as_text(c)), k);
    in.communes.emplace_back(cids[c], cname != nullptr ? trim(cname->as_text(c)) : std::string());
  }

  // Hamlets: polygons reprojected and repaired, points reprojected.
  issues.clear();
  std::vector<detail::RepairResult> repaired = reproject_polygons(l, bad, is_point, working, issues);
  std::vector<double> px(n, k_nan), py(n, k_nan);
  {
    Transformer to_working(l.crs.normalized, working);
    for (std::size_t i = 0; i < n; ++i) {
      if (bad[i] != 0 || is_point[i] == 0) continue;
      double x = 0, y = 0;
      detail::wkb_point(l.data.table.wkb[i], x, y);
      std::size_t failed_count = 0;
      std::vector<std::size_t> failed;
      to_working.transform(&x, &y, 1, &failed);
      failed_count = failed.size();
      if (failed_count != 0 || !std::isfinite(x) || !std::isfinite(y)) {
        issues.push_back(
            {i, "geometry", "PROJ cannot transform the point from " + l.crs.normalized + " to " + working});
        continue;
      }
      px[i] = x;
      py[i] = y;
    }
  }
  add_rejects(l, std::move(issues), &id, bad, rejects);

  // The commune of each hamlet point: the column (id or name, tolerant), else containment.
  issues.clear();
  const Column* commune_col = optional_column(l, src.commune);
  std::vector<std::size_t> commune_of(n, NameIndex::none);
  {
    detail::PolygonIndex index(commune_wkb);
    std::vector<std::uint32_t> hits;
    for (std::size_t i = 0; i < n; ++i) {
      if (bad[i] != 0 || is_point[i] == 0) continue;
      if (commune_col != nullptr) {
        const std::string v = trim(commune_col->as_text(i));
        const std::size_t k = commune_names.find(v);
        if (v.empty()) {
          issues.push_back({i, commune_col->name, "missing commune"});
        } else if (k == NameIndex::ambiguous) {
          issues.push_back({i, commune_col->name, "commune '" + v + "' matches several communes; use the commune id"});
        } else if (k == NameIndex::none) {
          const std::string near = commune_names.suggest(v);
          issues.push_back(
              {i, commune_col->name, "no commune '" + v + "'" + (near.empty() ? std::string() : "; closest: " + near)});
        } else {
          commune_of[i] = k;
        }
        continue;
      }
      index.covering(px[i], py[i], hits);
      if (hits.empty()) {
        issues.push_back({i, "geometry", "the hamlet point is outside every commune"});
      } else {
        commune_of[i] = hits.front();
      }
    }
  }
  add_rejects(l, std::move(issues), &id, bad, rejects);

  // The commune of each given polygon (for households keyed by commune + hamlet name).
  {
    detail::PolygonIndex index(commune_wkb);
    std::vector<std::uint32_t> hits;
    for (std::size_t i = 0; i < n; ++i) {
      if (bad[i] != 0 || is_point[i] != 0) continue;
      if (commune_col != nullptr) {
        const std::size_t k = commune_names.find(trim(commune_col->as_text(i)));
        if (k < communes.size()) commune_of[i] = k;
        continue;
      }
      double x = 0, y = 0;
      detail::point_on_surface(repaired[i].wkb, x, y);
      index.covering(x, y, hits);
      if (!hits.empty()) commune_of[i] = hits.front();
    }
  }

  // Split each commune among its points, after removing the given hamlet polygons.
  std::vector<std::vector<std::size_t>> points_of(communes.size());
  for (std::size_t i = 0; i < n; ++i)
    if (bad[i] == 0 && is_point[i] != 0) points_of[commune_of[i]].push_back(i);
  std::vector<detail::Wkb> given;
  for (std::size_t i = 0; i < n; ++i)
    if (bad[i] == 0 && is_point[i] == 0) given.push_back(repaired[i].wkb);
  detail::Wkb given_union = given.empty() ? detail::Wkb{} : detail::union_all(given);
  std::vector<detail::Wkb> derived(n);
  std::vector<std::vector<Issue>> per_commune(communes.size());
  parallel_for(
      communes.size(),
      [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t k = b; k < e; ++k) {
          auto& pts = points_of[k];
          if (pts.empty()) continue;
          detail::Wkb region = commune_wkb[k];
          if (!given_union.empty()) region = detail::difference(region, given_union);
          if (region.empty() || detail::area(region) <= 0.0) {
            for (const std::size_t i : pts)
              per_commune[k].push_back(
                  {i, "geometry",
                   "nothing of commune '" + cids[communes[k]] + "' remains outside the given hamlet polygons"});
            continue;
          }
          // One seed per distinct location: a later hamlet at the same point is rejected.
          std::vector<std::size_t> seeds;
          std::vector<double> sx, sy;
          for (const std::size_t i : pts) {
            bool dup = false;
            for (const std::size_t j : seeds)
              if (px[j] == px[i] && py[j] == py[i]) {
                per_commune[k].push_back({i, "geometry", "same point as hamlet '" + ids[j] + "' of the same commune"});
                dup = true;
                break;
              }
            if (dup) continue;
            seeds.push_back(i);
            sx.push_back(px[i]);
            sy.push_back(py[i]);
          }
          std::vector<detail::Wkb> cells = detail::voronoi_partition(region, sx, sy);
          for (std::size_t q = 0; q < seeds.size(); ++q) {
            if (cells[q].empty() || detail::area(cells[q]) <= 0.0) {
              per_commune[k].push_back(
                  {seeds[q], "geometry", "its share of commune '" + cids[communes[k]] + "' is empty"});
            } else {
              derived[seeds[q]] = std::move(cells[q]);
            }
          }
        }
      },
      1);
  issues.clear();
  for (auto& v : per_commune)
    for (auto& is : v) issues.push_back(std::move(is));
  add_rejects(l, std::move(issues), &id, bad, rejects);
  for (std::size_t k = 0; k < communes.size(); ++k) {
    if (!points_of[k].empty()) continue;
    const bool has_given =
        !given_union.empty() && detail::area(detail::intersection(commune_wkb[k], given_union)) > 0.0;
    if (!has_given)
      in.notes.push_back("communes: commune '" + cids[communes[k]] + "' has no hamlet (no point, no polygon)");
  }

  Hamlets& h = in.hamlets;
  h.group_names = src.group_by;
  h.groups.assign(src.group_by.size(), {});
  const Column* name = optional_column(l, src.name);
  std::vector<const Column*> groups;
  for (const auto& g : src.group_by) groups.push_back(&l.data.table.column(g));
  for (std::size_t i = 0; i < n; ++i) {
    if (bad[i] != 0) continue;
    if (is_point[i] == 0 && repaired[i].was_invalid) {
      ++in.repaired_polygons;
      in.dropped_parts += repaired[i].dropped_parts;
    }
    h.id.push_back(ids[i]);
    h.name.push_back(name != nullptr ? trim(name->as_text(i)) : std::string());
    for (std::size_t g = 0; g < groups.size(); ++g) h.groups[g].push_back(trim(groups[g]->as_text(i)));
    h.wkb.push_back(is_point[i] != 0 ? std::move(derived[i]) : std::move(repaired[i].wkb));
    h.commune.push_back(commune_of[i] < communes.size() ? cids[communes[commune_of[i]]] : std::string());
    h.geometry_source.push_back(is_point[i] != 0 ? GeometrySource::derived : GeometrySource::given);
    if (is_point[i] != 0) ++in.hamlets_derived;
    h.area_m2.push_back(detail::area(h.wkb.back()));
  }
  if (in.hamlets_derived > 0)
    in.notes.push_back("hamlets: " + std::to_string(in.hamlets_derived) +
                       " hamlet boundaries derived from their commune (Voronoi of the hamlet points); approximate");
  const std::size_t first_reject = in.rejects.size();
  crejects.move_to(in.rejects);
  rejects.move_to(in.rejects);
  finish_layer(cl, static_cast<std::int64_t>(communes.size()), in);
  finish_layer(l, static_cast<std::int64_t>(h.size()), in);
  if (h.size() == 0)
    throw InvalidInput(ErrorCode::invalid_input,
                       "no usable hamlet: all " + std::to_string(n) +
                           " were rejected (first: " + in.rejects.at(first_reject).reason + ")",
                       l.where());
}

}  // namespace infogap::load_detail
