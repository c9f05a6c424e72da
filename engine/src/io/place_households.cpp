// Households without coordinates (DESIGN.md §3 "households", "demand"): rows keyed by hamlet id, or
// by commune + hamlet name, or counts per hamlet. Each such household is placed inside its hamlet
// on the demand surface — building footprints weighted by area, else uniform — from the scenario
// seed with one random stream per hamlet (the thread count does not change the result).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <unordered_map>

#include "adapters/gdal/raster_reader.hpp"
#include "adapters/gdal/wkb.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "io/load_detail.hpp"
#include "io/name_match.hpp"

namespace infogap::load_detail {
namespace {

using Ring = std::vector<std::pair<double, double>>;

/// A footprint polygon as rings (every ring of every part), with its area, envelope and a point inside.
struct Footprint {
  std::vector<Ring> rings;
  double area = 0, minx = 0, miny = 0, maxx = 0, maxy = 0, px = 0, py = 0;
  std::uint32_t hamlet = 0;
};

/// Even-odd point-in-polygon over all rings.
bool inside(const std::vector<Ring>& rings, double x, double y) {
  bool in = false;
  for (const Ring& r : rings)
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
      const auto [xi, yi] = r[i];
      const auto [xj, yj] = r[j];
      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
    }
  return in;
}

/// Reads a little-endian 2D ISO WKB Polygon / MultiPolygon into rings; false otherwise.
bool read_rings(const std::vector<std::uint8_t>& w, std::vector<Ring>& rings, std::vector<double>& ring_area) {
  std::size_t at = 0;
  auto u32 = [&](std::uint32_t& v) {
    if (at + 4 > w.size()) return false;
    std::memcpy(&v, w.data() + at, 4);
    at += 4;
    return true;
  };
  auto polygon = [&]() {
    if (at + 1 > w.size() || w[at] != 1) return false;
    ++at;
    std::uint32_t type = 0, nr = 0;
    if (!u32(type) || type != 3 || !u32(nr)) return false;
    for (std::uint32_t r = 0; r < nr; ++r) {
      std::uint32_t np = 0;
      if (!u32(np) || at + 16ull * np > w.size() || np < 4) return false;
      Ring ring(np);
      double a = 0;
      for (std::uint32_t p = 0; p < np; ++p) {
        std::memcpy(&ring[p].first, w.data() + at, 8);
        std::memcpy(&ring[p].second, w.data() + at + 8, 8);
        at += 16;
        if (p > 0) a += ring[p - 1].first * ring[p].second - ring[p].first * ring[p - 1].second;
      }
      // Outer ring adds, holes subtract (whatever their orientation).
      ring_area.push_back(r == 0 ? std::abs(a) / 2 : -std::abs(a) / 2);
      rings.push_back(std::move(ring));
    }
    return true;
  };
  if (w.size() < 5 || w[0] != 1) return false;
  std::uint32_t type = 0;
  std::memcpy(&type, w.data() + 1, 4);
  if (type == 3) return polygon();
  if (type != 6) return false;
  at = 5;
  std::uint32_t parts = 0;
  if (!u32(parts)) return false;
  for (std::uint32_t k = 0; k < parts; ++k)
    if (!polygon()) return false;
  return true;
}

/// splitmix64: the per-hamlet stream seed from the scenario seed and the hamlet id.
std::uint64_t stream_seed(std::uint64_t seed, const std::string& hamlet_id) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a of the id
  for (const char c : hamlet_id) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  std::uint64_t z = seed ^ (h + 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// One household to place: the hamlet and the output row it fills.
struct ToPlace {
  std::uint32_t hamlet = 0;
  std::size_t out = 0;
};

/// Reads the footprints, reprojects them and assigns each to the hamlet covering its inner point.
std::vector<std::vector<Footprint>> load_footprints(const Scenario& s, const std::string& working, Inputs& in) {
  const std::size_t nh = in.hamlets.size();
  std::vector<std::vector<Footprint>> by_hamlet(nh);
  Layer l = read_layer(s.demand.footprints, "footprints", {});
  if (l.data.table.geometry_kind == GeometryKind::none)
    throw InvalidInput(ErrorCode::invalid_input, "the footprint layer has no geometry", l.where());
  const std::size_t n = l.rows();
  std::vector<Footprint> fp(n);
  std::vector<std::uint8_t> ok(n, 0);
  TransformerPool pool(l.crs.normalized, working);
  std::vector<std::unique_ptr<detail::PolygonIndex>> index(thread_count());
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned w) {
        if (!index[w]) index[w] = std::make_unique<detail::PolygonIndex>(in.hamlets.wkb);
        std::vector<std::uint32_t> hits;
        std::vector<double> ring_area;
        for (std::size_t i = b; i < e; ++i) {
          auto& geom = l.data.table.wkb[i];
          if (geom.empty() ||
              !detail::transform_wkb(geom, [&transformer = pool.get(w)](double* x, double* y, std::size_t k) {
                return transformer.transform(x, y, k) == 0;
              }))
            continue;
          Footprint& f = fp[i];
          ring_area.clear();
          if (!read_rings(geom, f.rings, ring_area)) continue;
          double a = 0;
          for (const double v : ring_area) a += v;
          if (!(a > 0)) continue;
          f.area = a;
          f.minx = f.miny = std::numeric_limits<double>::infinity();
          f.maxx = f.maxy = -std::numeric_limits<double>::infinity();
          for (const Ring& r : f.rings)
            for (const auto& [x, y] : r) {
              f.minx = std::min(f.minx, x);
              f.maxx = std::max(f.maxx, x);
              f.miny = std::min(f.miny, y);
              f.maxy = std::max(f.maxy, y);
            }
          // A point inside: the centre of the envelope if inside, else GEOS's point on surface.
          f.px = 0.5 * (f.minx + f.maxx);
          f.py = 0.5 * (f.miny + f.maxy);
          if (!inside(f.rings, f.px, f.py)) {
            try {
              detail::point_on_surface(geom, f.px, f.py);
            } catch (const Error&) {
              continue;
            }
          }
          index[w]->covering(f.px, f.py, hits);
          if (hits.empty()) continue;
          f.hamlet = hits.front();
          ok[i] = 1;
        }
      },
      4096);
  std::int64_t used = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (ok[i] == 0) continue;
    by_hamlet[fp[i].hamlet].push_back(std::move(fp[i]));
    ++used;
  }
  l.info.accepted = used;
  l.info.rejected = 0;
  l.info.sha256 = l.sha256.get();
  in.layers[l.key] = l.info;
  if (static_cast<std::size_t>(used) < n)
    in.notes.push_back("demand: " + std::to_string(n - static_cast<std::size_t>(used)) + " of " + std::to_string(n) +
                       " footprints unused (outside every hamlet, empty or unreadable)");
  return by_hamlet;
}

/// The demand raster's cells with a positive value, per hamlet (the hamlet covering the centre).
struct DemandCells {
  detail::RasterIn raster;
  std::string crs;  ///< the raster's CRS text as PROJ reads it
  /// Per hamlet: (cell index, weight).
  std::vector<std::vector<std::pair<std::size_t, double>>> by_hamlet;
  std::vector<double> cx, cy;  ///< centre of every cell in the working CRS (NaN when unused)
};

DemandCells load_demand_raster(const Scenario& s, const std::string& working, Inputs& in) {
  DemandCells d;
  d.raster = detail::read_raster(s.demand.raster);
  const auto& r = d.raster;
  if (r.crs.empty())
    throw InvalidInput(ErrorCode::crs, "the demand raster has no coordinate reference system",
                       {s.demand.raster, "", "demand.raster", {}});
  d.crs = r.crs;
  const auto& t = r.transform;
  const std::size_t n = r.values.size();
  std::vector<std::size_t> cells;
  for (std::size_t i = 0; i < n; ++i)
    if (std::isfinite(r.values[i]) && r.values[i] > 0) cells.push_back(i);
  std::vector<double> x(cells.size()), y(cells.size());
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const double col = static_cast<double>(cells[k] % static_cast<std::size_t>(r.width)) + 0.5;
    const double row = static_cast<double>(cells[k] / static_cast<std::size_t>(r.width)) + 0.5;
    x[k] = t[0] + col * t[1] + row * t[2];
    y[k] = t[3] + col * t[4] + row * t[5];
  }
  Transformer(d.crs, working).transform(x.data(), y.data(), x.size());
  d.cx.assign(n, k_nan);
  d.cy.assign(n, k_nan);
  d.by_hamlet.resize(in.hamlets.size());
  const detail::PolygonIndex index(in.hamlets.wkb);
  std::vector<std::uint32_t> hits;
  std::size_t used = 0;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    index.covering(x[k], y[k], hits);
    if (hits.empty()) continue;
    d.cx[cells[k]] = x[k];
    d.cy[cells[k]] = y[k];
    d.by_hamlet[hits.front()].emplace_back(cells[k], r.values[cells[k]]);
    ++used;
  }
  in.notes.push_back("demand: " + std::to_string(used) + " populated raster cells inside the hamlets (of " +
                     std::to_string(cells.size()) + " populated) in " + s.demand.raster);
  return d;
}

/// Uniform point inside a polygon (rejection in its envelope); the point on surface after 1000 misses.
void uniform_in(const detail::PolygonIndex& poly, const std::vector<std::uint8_t>& wkb, double minx, double miny,
                double maxx, double maxy, std::mt19937_64& rng, double& x, double& y) {
  std::uniform_real_distribution<double> ux(minx, maxx), uy(miny, maxy);
  std::vector<std::uint32_t> hits;
  for (int t = 0; t < 1000; ++t) {
    x = ux(rng);
    y = uy(rng);
    poly.covering(x, y, hits);
    if (!hits.empty()) return;
  }
  detail::point_on_surface(wkb, x, y);
}

/// Places the households of every hamlet (parallel over hamlets, one stream per hamlet).
void place(const Scenario& s, const std::vector<std::vector<std::size_t>>& per_hamlet,
           const std::vector<std::vector<Footprint>>* footprints, const DemandCells* cells, const std::string& working,
           Inputs& in, std::vector<double>& x, std::vector<double>& y) {
  const Hamlets& h = in.hamlets;
  std::optional<TransformerPool> to_working;
  if (cells != nullptr) to_working.emplace(cells->crs, working);
  parallel_for(
      h.size(),
      [&](std::size_t b, std::size_t e, unsigned w) {
        for (std::size_t k = b; k < e; ++k) {
          const auto& rows = per_hamlet[k];
          if (rows.empty()) continue;
          std::mt19937_64 rng(stream_seed(s.seed, h.id[k]));
          const std::vector<Footprint>* fps = footprints != nullptr ? &(*footprints)[k] : nullptr;
          if (fps != nullptr && !fps->empty()) {
            // One household per footprint while footprints last, drawn by area without replacement
            // (Efraimidis–Spirakis keys), then further ones by area with replacement.
            const std::size_t nf = fps->size();
            std::vector<std::pair<double, std::size_t>> keys(nf);
            std::uniform_real_distribution<double> u01(0.0, 1.0);
            for (std::size_t f = 0; f < nf; ++f) keys[f] = {std::log(std::max(u01(rng), 1e-300)) / (*fps)[f].area, f};
            const std::size_t first = std::min(nf, rows.size());
            std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(first), keys.end(),
                              [](const auto& a, const auto& c) {
                                return a.first > c.first || (a.first == c.first && a.second < c.second);
                              });
            std::vector<double> weights(nf);
            for (std::size_t f = 0; f < nf; ++f) weights[f] = (*fps)[f].area;
            std::discrete_distribution<std::size_t> by_area(weights.begin(), weights.end());
            for (std::size_t r = 0; r < rows.size(); ++r) {
              if (r < first) {
                const Footprint& f = (*fps)[keys[r].second];
                x[rows[r]] = f.px;
                y[rows[r]] = f.py;
                continue;
              }
              const Footprint& f = (*fps)[by_area(rng)];
              std::uniform_real_distribution<double> ux(f.minx, f.maxx), uy(f.miny, f.maxy);
              double px = f.px, py = f.py;
              for (int t = 0; t < 64; ++t) {
                const double qx = ux(rng), qy = uy(rng);
                if (inside(f.rings, qx, qy)) {
                  px = qx;
                  py = qy;
                  break;
                }
              }
              x[rows[r]] = px;
              y[rows[r]] = py;
            }
            continue;
          }
          const detail::PolygonIndex poly({h.wkb[k]});
          if (cells != nullptr && !cells->by_hamlet[k].empty()) {
            // A cell drawn by its value, then a uniform point in it (in the raster's CRS), kept if
            // inside the hamlet; the cell centre (inside) after 16 misses.
            const auto& list = cells->by_hamlet[k];
            std::vector<double> weights(list.size());
            for (std::size_t c = 0; c < list.size(); ++c) weights[c] = list[c].second;
            std::discrete_distribution<std::size_t> by_value(weights.begin(), weights.end());
            std::uniform_real_distribution<double> u01(0.0, 1.0);
            const auto& t = cells->raster.transform;
            const auto width = static_cast<std::size_t>(cells->raster.width);
            std::vector<std::uint32_t> hits;
            for (const std::size_t r : rows) {
              const std::size_t cell = list[by_value(rng)].first;
              x[r] = cells->cx[cell];
              y[r] = cells->cy[cell];
              for (int tries = 0; tries < 16; ++tries) {
                const double col = static_cast<double>(cell % width) + u01(rng);
                const double row = static_cast<double>(cell / width) + u01(rng);
                double px = t[0] + col * t[1] + row * t[2];
                double py = t[3] + col * t[4] + row * t[5];
                to_working->get(w).transform(&px, &py, 1);
                poly.covering(px, py, hits);
                if (!hits.empty()) {
                  x[r] = px;
                  y[r] = py;
                  break;
                }
              }
            }
            continue;
          }
          double minx = 0, miny = 0, maxx = 0, maxy = 0;
          detail::envelope(h.wkb[k], minx, miny, maxx, maxy);
          for (const std::size_t r : rows) uniform_in(poly, h.wkb[k], minx, miny, maxx, maxy, rng, x[r], y[r]);
        }
      },
      1);
}

}  // namespace

void load_households_by_hamlet(const Scenario& s, const std::string& working, Inputs& in) {
  const HouseholdsSource& src = s.households;
  const bool counts = !src.counts.total.empty();
  const bool by_name = !src.hamlet_name.empty();
  std::vector<std::string> text_cols;
  if (!counts) text_cols = {src.id, src.status};
  if (!src.hamlet.empty()) text_cols.push_back(src.hamlet);
  if (by_name) {
    text_cols.push_back(src.commune);
    text_cols.push_back(src.hamlet_name);
  }
  std::vector<std::string> other =
      counts ? std::vector<std::string>{src.counts.total, src.counts.poor, src.counts.near_poor}
             : std::vector<std::string>{src.members, src.internet, src.devices};
  Layer l = read_layer(src, "households", text_cols, other, true);
  require_named_columns(s, "households", l);
  if (l.rows() == 0) throw InvalidInput(ErrorCode::invalid_input, "the household layer is empty", l.where());
  const std::size_t n = l.rows();
  const Hamlets& hm = in.hamlets;

  // Hamlet lookup: ids (exact, then tolerant), or commune + hamlet name.
  std::unordered_map<std::string, std::size_t> by_id;
  NameIndex id_index;
  for (std::size_t k = 0; k < hm.size(); ++k) {
    by_id.emplace(hm.id[k], k);
    id_index.add(hm.id[k], k);
  }
  // Communes: the communes layer (id and name → id), else the hamlets' commune column values.
  std::vector<std::string> hamlet_commune = hm.commune;
  if (by_name && hamlet_commune.empty()) {
    const std::string want = s.hamlets.commune.empty() ? "commune" : s.hamlets.commune;
    for (std::size_t g = 0; g < hm.group_names.size(); ++g)
      if (hm.group_names[g] == want) hamlet_commune = hm.groups[g];
    if (hamlet_commune.empty())
      throw InvalidInput(ErrorCode::invalid_scenario,
                         "households.commune needs each hamlet's commune: a communes block, or the hamlets' commune "
                         "column named by hamlets.commune (default 'commune') listed in hamlets.group_by",
                         l.where(src.commune));
  }
  std::vector<std::string> commune_ids;  // commune index → id
  NameIndex commune_index;
  std::unordered_map<std::string, std::size_t> commune_of_id;
  auto commune_number = [&](const std::string& cid) {
    const auto [it, inserted] = commune_of_id.emplace(cid, commune_ids.size());
    if (inserted) {
      commune_ids.push_back(cid);
      commune_index.add(cid, it->second);
    }
    return it->second;
  };
  for (const auto& [cid, cname] : in.communes) commune_index.add(cname, commune_number(cid));
  std::vector<NameIndex> hamlets_in;  // per commune: hamlet names (and ids) → hamlet
  if (by_name) {
    for (std::size_t k = 0; k < hm.size(); ++k) {
      const std::size_t c = commune_number(hamlet_commune[k]);
      if (hamlets_in.size() <= c) hamlets_in.resize(c + 1);
      hamlets_in[c].add(hm.name[k], k);
      hamlets_in[c].add(hm.id[k], k, hm.name[k].empty());  // an id matches; a name is what we suggest
    }
    hamlets_in.resize(commune_ids.size());
  }

  const Column* id = counts ? nullptr : &l.data.table.column(src.id);
  std::vector<std::string> ids;
  std::vector<std::uint8_t> bad(n, 0);
  LayerRejects rejects;
  if (id != nullptr) add_rejects(l, check_ids(l, *id, ids), id, bad, rejects);

  // The hamlet of each row.
  std::vector<std::size_t> hamlet(n, NameIndex::none);
  const Column* hcol = optional_column(l, src.hamlet);
  const Column* ccol = optional_column(l, src.commune);
  const Column* ncol = optional_column(l, src.hamlet_name);
  std::vector<Issue> issues;
  for (std::size_t i = 0; i < n; ++i) {
    if (bad[i] != 0) continue;
    if (hcol != nullptr) {
      const std::string v = trim(hcol->as_text(i));
      if (v.empty()) {
        issues.push_back({i, hcol->name, "missing hamlet"});
        continue;
      }
      if (const auto it = by_id.find(v); it != by_id.end()) {
        hamlet[i] = it->second;
        continue;
      }
      const std::size_t k = id_index.find(v);
      if (k < hm.size()) {
        hamlet[i] = k;
      } else if (k == NameIndex::ambiguous) {
        issues.push_back({i, hcol->name, "hamlet '" + v + "' matches several hamlet ids"});
      } else {
        issues.push_back({i, hcol->name, "no hamlet '" + v + "'; closest: " + id_index.suggest(v)});
      }
      continue;
    }
    const std::string c = trim(ccol->as_text(i));
    const std::string nm = trim(ncol->as_text(i));
    if (c.empty() || nm.empty()) {
      issues.push_back({i, c.empty() ? ccol->name : ncol->name, c.empty() ? "missing commune" : "missing hamlet name"});
      continue;
    }
    const std::size_t ck = commune_index.find(c);
    if (ck == NameIndex::ambiguous) {
      issues.push_back({i, ccol->name, "commune '" + c + "' matches several communes; use the commune id"});
      continue;
    }
    if (ck == NameIndex::none) {
      issues.push_back({i, ccol->name, "no commune '" + c + "'; closest: " + commune_index.suggest(c)});
      continue;
    }
    const std::size_t k = hamlets_in[ck].find(nm);
    if (k < hm.size()) {
      hamlet[i] = k;
    } else if (k == NameIndex::ambiguous) {
      issues.push_back({i, ncol->name, "hamlet '" + nm + "' matches several hamlets of commune '" + c + "'"});
    } else {
      issues.push_back(
          {i, ncol->name, "no hamlet '" + nm + "' in commune '" + c + "'; closest: " + hamlets_in[ck].suggest(nm)});
    }
  }
  add_rejects(l, std::move(issues), id, bad, rejects);

  Households& h = in.households;
  std::vector<std::vector<std::size_t>> per_hamlet(hm.size());  // output rows to place
  std::vector<double> x, y;
  std::size_t kept = 0;
  if (counts) {
    const Column& total = l.data.table.column(src.counts.total);
    const Column* poor = optional_column(l, src.counts.poor);
    const Column* near = optional_column(l, src.counts.near_poor);
    std::vector<std::int32_t> t(n, 0), p(n, 0), q(n, 0);
    std::vector<std::size_t> first_row(hm.size(), NameIndex::none);
    for (std::size_t i = 0; i < n; ++i) {
      if (bad[i] != 0) continue;
      std::string reason;
      if (!parse_count(&total, i, t[i], reason) || t[i] < 0) {
        issues.push_back({i, total.name, reason.empty() ? "missing household count" : reason});
      } else if (!parse_count(poor, i, p[i], reason)) {
        issues.push_back({i, poor->name, reason});
      } else if (!parse_count(near, i, q[i], reason)) {
        issues.push_back({i, near->name, reason});
      } else if (std::max(p[i], 0) + std::max(q[i], 0) > t[i]) {
        issues.push_back({i, total.name,
                          "poor (" + std::to_string(p[i]) + ") + near-poor (" + std::to_string(q[i]) +
                              ") exceed the households (" + std::to_string(t[i]) + ")"});
      } else if (first_row[hamlet[i]] != NameIndex::none) {
        issues.push_back({i, hcol != nullptr ? hcol->name : ncol->name,
                          "counts for hamlet '" + hm.id[hamlet[i]] + "' given twice (first at feature " +
                              std::to_string(l.fid(first_row[hamlet[i]])) + ")"});
      } else {
        first_row[hamlet[i]] = i;
      }
    }
    add_rejects(l, std::move(issues), nullptr, bad, rejects);
    for (std::size_t i = 0; i < n; ++i) {
      if (bad[i] != 0) continue;
      const std::size_t k = hamlet[i];
      const std::int32_t np = std::max(p[i], 0), nn = std::max(q[i], 0);
      for (std::int32_t j = 0; j < t[i]; ++j) {
        const std::size_t out = h.id.size();
        h.id.push_back(hm.id[k] + "-" + std::to_string(j + 1));
        h.status.push_back(j < np ? Poverty::poor : j < np + nn ? Poverty::near_poor : Poverty::not_poor);
        h.members.push_back(-1);
        h.internet.push_back(-1);
        h.devices.push_back(-1);
        h.source_row.push_back(l.fid(i));
        h.location.push_back(Location::placed);
        per_hamlet[k].push_back(out);
      }
      ++kept;
    }
    x.assign(h.id.size(), k_nan);
    y.assign(h.id.size(), k_nan);
  } else {
    const Column& status = l.data.table.column(src.status);
    const Column* members = optional_column(l, src.members);
    const Column* internet = optional_column(l, src.internet);
    const Column* devices = optional_column(l, src.devices);
    // Rows with a point are surveyed (reprojected); the others are placed.
    const bool has_geometry = l.data.table.geometry_kind != GeometryKind::none && l.data.table.wkb.size() == n;
    std::vector<std::uint8_t> no_point(n, 1);
    if (has_geometry)
      for (std::size_t i = 0; i < n; ++i) no_point[i] = (bad[i] != 0 || l.data.table.wkb[i].empty()) ? 1 : 0;
    std::vector<double> sx, sy;
    if (has_geometry) add_rejects(l, reproject_points(l, no_point, working, sx, sy), id, bad, rejects);
    std::vector<Poverty> st(n, Poverty::not_poor);
    const StatusLabels labels(src.status_values);
    const bool internet_marks = flag_marks(internet);
    std::vector<std::int32_t> mem(n, -1), dev(n, -1);
    std::vector<std::int8_t> net(n, -1);
    add_rejects(l,
                check_rows(n, bad,
                           [&](std::size_t i, std::vector<Issue>& out) {
                             household_cells(labels, status, members, internet, internet_marks, devices, i, st[i],
                                             mem[i], net[i], dev[i], out);
                           }),
                id, bad, rejects);
    for (std::size_t i = 0; i < n; ++i) {
      if (bad[i] != 0) continue;
      const std::size_t out = h.id.size();
      h.id.push_back(std::move(ids[i]));
      h.status.push_back(st[i]);
      h.members.push_back(mem[i]);
      h.internet.push_back(net[i]);
      h.devices.push_back(dev[i]);
      h.source_row.push_back(l.fid(i));
      const bool surveyed = no_point[i] == 0;
      h.location.push_back(surveyed ? Location::surveyed : Location::placed);
      x.push_back(surveyed ? sx[i] : k_nan);
      y.push_back(surveyed ? sy[i] : k_nan);
      if (!surveyed) per_hamlet[hamlet[i]].push_back(out);
      ++kept;
    }
  }

  std::vector<std::vector<Footprint>> footprints;
  if (!s.demand.footprints.path.empty()) footprints = load_footprints(s, working, in);
  std::optional<DemandCells> cells;
  if (!s.demand.raster.empty()) cells = load_demand_raster(s, working, in);
  place(s, per_hamlet, footprints.empty() ? nullptr : &footprints, cells ? &*cells : nullptr, working, in, x, y);
  if (!footprints.empty()) {
    std::size_t without = 0;
    for (std::size_t k = 0; k < hm.size(); ++k) without += (!per_hamlet[k].empty() && footprints[k].empty()) ? 1u : 0u;
    if (without > 0)
      in.notes.push_back("demand: " + std::to_string(without) +
                         " hamlet(s) have households to place but no footprint → placed uniformly inside the hamlet");
  }
  h.x_m = Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
  h.y_m = Eigen::Map<const Eigen::VectorXd>(y.data(), static_cast<Eigen::Index>(y.size()));
  for (const Location loc : h.location) in.households_placed += loc == Location::placed ? 1 : 0;
  if (in.households_placed > 0)
    in.notes.push_back("households: " + std::to_string(in.households_placed) + " of " + std::to_string(h.size()) +
                       " households placed inside their hamlet (" +
                       (!footprints.empty() ? std::string("on building footprints")
                        : cells             ? std::string("on the population raster")
                                            : std::string("uniformly")) +
                       ", seed " + std::to_string(s.seed) + "); figures resting on them are approximate");
  // Counts: the input is the households generated plus the rejected rows (input = joined + outside
  // + rejected keeps holding; a rejected row's households are unknown).
  in.households_input = counts ? static_cast<std::int64_t>(h.size() + rejects.size()) : static_cast<std::int64_t>(n);
  in.households_rejected = static_cast<std::int64_t>(rejects.size());
  rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
}

}  // namespace infogap::load_detail
