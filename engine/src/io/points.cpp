// Point layers: coordinates checked, then reprojected to the working CRS (PROJ).
#include "io/load_detail.hpp"

#include <cmath>

#include "adapters/gdal/wkb.hpp"

namespace infogap::load_detail {

/// Checks, then reprojects, the point geometry of rows [b, e) that are not yet bad. Accepted
/// rows get x/y in the working CRS; the others an Issue.
void points_chunk(const Layer& l, std::size_t b, std::size_t e, const std::vector<std::uint8_t>& bad,
                  const Transformer& to_working, const Transformer* to_geographic, const std::string& working,
                  std::vector<double>& x, std::vector<double>& y, std::vector<Issue>& issues) {
  const auto& wkb = l.data.table.wkb;
  const std::string gcol = l.geometry_column();
  std::vector<std::size_t> rows;
  std::vector<double> xs, ys;
  for (std::size_t i = b; i < e; ++i) {
    if (bad[i] != 0) continue;
    double px = k_nan;
    double py = k_nan;
    if (i >= wkb.size() || wkb[i].empty()) {
      issues.push_back({i, gcol, l.data.is_csv ? "coordinates missing or not numbers" : "missing geometry"});
      continue;
    }
    if (!detail::wkb_point(wkb[i], px, py)) {
      issues.push_back({i, gcol, "geometry is not a point"});
      continue;
    }
    if (!std::isfinite(px) || !std::isfinite(py)) {
      issues.push_back(
          {i, gcol, "coordinates missing or not finite (" + format_number(px) + ", " + format_number(py) + ")"});
      continue;
    }
    if (l.crs.geographic) {
      if (std::abs(py) > 90.0) {
        issues.push_back({i, l.data.is_csv ? l.y_column : gcol, "latitude " + format_number(py) + " outside [-90, 90]",
                          std::abs(px) <= 90.0 && std::abs(py) <= 180.0});
        continue;
      }
      if (std::abs(px) > 180.0) {
        issues.push_back(
            {i, l.data.is_csv ? l.x_column : gcol, "longitude " + format_number(px) + " outside [-180, 180]"});
        continue;
      }
    }
    rows.push_back(i);
    xs.push_back(px);
    ys.push_back(py);
  }
  std::vector<std::size_t> failed;
  if (to_geographic != nullptr) {
    // A projected source: a point is valid where the inverse projection is defined.
    std::vector<double> gx = xs;
    std::vector<double> gy = ys;
    to_geographic->transform(gx.data(), gy.data(), gx.size(), &failed);
    for (const std::size_t k : failed)
      issues.push_back({rows[k], gcol,
                        "(" + format_number(xs[k]) + ", " + format_number(ys[k]) + ") is outside the valid area of " +
                            l.crs.normalized});
    if (!failed.empty()) {
      std::vector<std::uint8_t> drop(rows.size(), 0);
      for (const std::size_t k : failed) drop[k] = 1;
      std::size_t w = 0;
      for (std::size_t k = 0; k < rows.size(); ++k) {
        if (drop[k] != 0) continue;
        rows[w] = rows[k];
        xs[w] = xs[k];
        ys[w] = ys[k];
        ++w;
      }
      rows.resize(w);
      xs.resize(w);
      ys.resize(w);
      failed.clear();
    }
  }
  const std::vector<double> src_x = xs;
  const std::vector<double> src_y = ys;
  to_working.transform(xs.data(), ys.data(), xs.size(), &failed);
  std::vector<std::uint8_t> drop(rows.size(), 0);
  for (const std::size_t k : failed) {
    drop[k] = 1;
    issues.push_back({rows[k], gcol,
                      "PROJ cannot transform (" + format_number(src_x[k]) + ", " + format_number(src_y[k]) + ") from " +
                          l.crs.normalized + " to " + working});
  }
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (drop[k] != 0) continue;
    x[rows[k]] = xs[k];
    y[rows[k]] = ys[k];
  }
}

/// Runs points_chunk over every row in parallel (deterministic: issues are sorted later).
std::vector<Issue> reproject_points(const Layer& l, const std::vector<std::uint8_t>& bad, const std::string& working,
                                    std::vector<double>& x, std::vector<double>& y) {
  const std::size_t n = l.rows();
  x.assign(n, k_nan);
  y.assign(n, k_nan);
  TransformerPool to_working(l.crs.normalized, working);
  std::optional<TransformerPool> to_geographic;
  if (!l.crs.geographic) to_geographic.emplace(l.crs.normalized, "EPSG:4326");
  std::vector<std::vector<Issue>> per_worker(thread_count());
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned w) {
        points_chunk(l, b, e, bad, to_working.get(w), to_geographic ? &to_geographic->get(w) : nullptr, working, x, y,
                     per_worker[w]);
      },
      16384);
  std::vector<Issue> issues;
  for (auto& v : per_worker)
    for (auto& is : v) issues.push_back(std::move(is));
  return issues;
}

PointLayer load_points(const LayerSource& src, const std::string& key, const std::string& id_column,
                       const std::string& working, std::vector<std::string> text_columns,
                       const std::vector<std::string>& other_columns) {
  PointLayer p;
  text_columns.push_back(id_column);
  p.layer = read_layer(src, key, std::move(text_columns), other_columns);
  require_column(p.layer, id_column, "id");
  if (p.layer.rows() > 0 && p.layer.data.table.geometry_kind == GeometryKind::none)
    throw InvalidInput(ErrorCode::invalid_input, "the " + key + " layer has no point geometry", p.layer.where());
  const std::size_t n = p.layer.rows();
  p.id = &p.layer.data.table.column(id_column);
  p.bad.assign(n, 0);
  add_rejects(p.layer, check_ids(p.layer, *p.id, p.ids), p.id, p.bad, p.rejects);
  add_rejects(p.layer, reproject_points(p.layer, p.bad, working, p.x, p.y), p.id, p.bad, p.rejects);
  return p;
}

}  // namespace infogap::load_detail
