// Fail fast (DESIGN.md §3): what can be known from the scenario and the layers' headers — each
// layer opens, has a CRS and the columns the scenario names; the rasters of the hamlets' extent
// (each partition's) are within what the raster writer writes — checked before any row is read.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "adapters/gdal/wkb.hpp"
#include "infogap/raster.hpp"
#include "io/load_detail.hpp"

namespace infogap::load_detail {

std::vector<std::pair<std::string, std::string>> named_columns(const Scenario& s, const std::string& key) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&out](const std::string& column, const std::string& role) {
    if (!column.empty()) out.emplace_back(column, role);
  };
  // A ColumnOrNumber's column is required when the scenario named it, or when there is no number
  // to fall back on (fields.cpp resolve: `fallback` is the scenario-wide default, if any).
  auto param = [&add](const ColumnOrNumber& p, const std::string& role, bool fallback) {
    if (p.named || (!p.value && !fallback)) add(p.column, role);
  };
  if (key == "hamlets") {
    add(s.hamlets.id, "id");
    add(s.hamlets.name, "name");
    for (const auto& g : s.hamlets.group_by) add(g, "group_by");
    if (s.communes) add(s.hamlets.commune, "commune");
  } else if (key == "communes" && s.communes) {
    add(s.communes->id, "id");
    add(s.communes->name, "name");
  } else if (key == "households") {
    const HouseholdsSource& h = s.households;
    const bool counts = !h.counts.total.empty();
    if (!counts) {
      add(h.id, "id");
      add(h.status, "status");
    }
    if (!h.keyed_by_hamlet()) {  // optional columns, but one the scenario names must be there
      add(h.members, "members");
      add(h.internet, "internet");
      add(h.devices, "devices");
    }
    if (h.keyed_by_hamlet()) {
      add(h.hamlet, "hamlet");
      add(h.commune, "commune");
      add(h.hamlet_name, "hamlet_name");
    }
    if (counts) {
      add(h.counts.total, "counts.total");
      add(h.counts.poor, "counts.poor");
      add(h.counts.near_poor, "counts.near_poor");
    }
  } else if (key == "speakers" && s.speakers) {
    const SpeakersSource& sp = *s.speakers;
    add(sp.id, "id");
    if (sp.cluster != SpeakersSource{}.cluster) add(sp.cluster, "cluster");
    // Every speaker parameter has a default (acoustics.default_* or the radius model's range).
    param(sp.power_w, "power_w", true);
    param(sp.sensitivity_db, "sensitivity_db", true);
    param(sp.height_m, "height_m", true);
    param(sp.azimuth_deg, "azimuth_deg", true);
    param(sp.beamwidth_deg, "beamwidth_deg", true);
    param(sp.range_m, "range_m", true);
  } else if (key == "teams" && s.teams) {
    const TeamsSource& t = *s.teams;
    add(t.id, "id");
    param(t.members, "members", false);
    param(t.reach_m, "reach_m", false);
    param(t.households_per_member, "households_per_member", false);
  } else if (key == "candidates") {
    add(s.optimize.candidates.id, "id");
    add(s.optimize.candidates.kind, "kind");
  }
  return out;
}

void require_named_columns(const Scenario& s, const std::string& key, const Layer& l) {
  for (const auto& [column, role] : named_columns(s, key)) require_column(l, column, role);
}

namespace {

/// The layers the scenario reads, with their keys (the candidates only from a file).
std::vector<std::pair<std::string, const LayerSource*>> header_layers(const Scenario& s) {
  std::vector<std::pair<std::string, const LayerSource*>> out{{"hamlets", &s.hamlets}};
  if (s.communes) out.emplace_back("communes", &*s.communes);
  out.emplace_back("households", &s.households);
  if (s.speakers && !s.speakers->path.empty()) out.emplace_back("speakers", &*s.speakers);
  if (s.teams && !s.teams->path.empty()) out.emplace_back("teams", &*s.teams);
  if (!s.optimize.candidates.path.empty()) out.emplace_back("candidates", &s.optimize.candidates);
  return out;
}

/// The working CRS a load would choose, from the hamlets' extent (lon/lat centre) when auto.
CrsInfo working_of(const Scenario& s, const Layer& hamlets, const std::array<double, 4>& e) {
  std::string working = trim(s.working_crs);
  if (lower(working) == "auto" || working.empty()) {
    double x = 0.5 * (e[0] + e[2]), y = 0.5 * (e[1] + e[3]);
    if (!hamlets.crs.geographic) Transformer(hamlets.crs.normalized, "EPSG:4326").transform(&x, &y, 1);
    const int epsg = std::isfinite(x) && std::isfinite(y) ? detail::utm_epsg_for(x, y) : 0;
    if (epsg == 0)
      throw InvalidInput(ErrorCode::crs, "working_crs: auto needs hamlets with valid coordinates", hamlets.where());
    working = "EPSG:" + std::to_string(epsg);
  }
  return detail::crs_info(working);
}

/// An extent in the source CRS → its bounding box in the working CRS (edges densified).
std::array<double, 4> to_working(const Transformer& t, const std::array<double, 4>& e) {
  std::vector<double> x, y;
  constexpr int k = 16;
  for (int i = 0; i <= k; ++i) {
    const double f = static_cast<double>(i) / k;
    const double ex = e[0] + f * (e[2] - e[0]), ey = e[1] + f * (e[3] - e[1]);
    for (const auto& [px, py] : {std::pair{ex, e[1]}, std::pair{ex, e[3]}, std::pair{e[0], ey}, std::pair{e[2], ey}}) {
      x.push_back(px);
      y.push_back(py);
    }
  }
  t.transform(x.data(), y.data(), x.size());
  std::array<double, 4> out{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    out[0] = std::min(out[0], x[i]);
    out[1] = std::min(out[1], y[i]);
    out[2] = std::max(out[2], x[i]);
    out[3] = std::max(out[3], y[i]);
  }
  return out;
}

}  // namespace

std::vector<InputProblem> check_headers(const Scenario& s, bool keep_going) {
  std::vector<InputProblem> problems;
  for (const auto& [key, src] : header_layers(s)) {
    try {
      const Layer l = read_layer_header(*src, key, key == "households" && s.households.keyed_by_hamlet());
      // A layer with no column at all (an empty GeoJSON) is the loader's to name ("the layer is empty").
      if (!l.data.field_names.empty()) require_named_columns(s, key, l);
    } catch (const Error& e) {
      if (!keep_going) throw;
      problems.push_back({key, e.what()});
    }
  }
  return problems;
}

}  // namespace infogap::load_detail

namespace infogap {

void check_layer_headers(const Scenario& scenario) {
  load_detail::check_headers(scenario, false);
}

void check_raster_size(const Scenario& s) {
  using namespace load_detail;
  const auto& formats = s.output.formats;  // (io does not link the scenario area: no OutputParams::wants)
  if (std::find(formats.begin(), formats.end(), "tif") == formats.end()) return;
  // The hamlets' extent: the layer's own (from its header) or, partitioned, each partition's (the
  // partition column and the geometry of the hamlets layer; no household).
  const LayerSource& src = s.communes ? static_cast<const LayerSource&>(*s.communes) : s.hamlets;
  const std::string key = s.communes ? "communes" : "hamlets";
  const Layer header = read_layer_header(src, key);
  std::map<std::string, std::array<double, 4>> extents;
  if (s.output.partition_by.empty() || s.communes) {
    if (!header.data.extent) return;  // a CSV of hamlets keeps no extent: the writer checks
    extents[""] = *header.data.extent;
  } else {
    Layer l = read_layer(s.hamlets, "hamlets", {s.output.partition_by});
    require_column(l, s.output.partition_by, "output.partition_by");
    const Column& c = l.data.table.column(s.output.partition_by);
    for (std::size_t i = 0; i < l.rows(); ++i) {
      double a, b, cc, d;
      if (!detail::wkb_envelope(l.data.table.wkb[i], a, b, cc, d)) continue;
      auto [it, fresh] = extents.try_emplace(trim(c.as_text(i)), std::array<double, 4>{a, b, cc, d});
      if (fresh) continue;
      auto& e = it->second;
      e = {std::min(e[0], a), std::min(e[1], b), std::max(e[2], cc), std::max(e[3], d)};
    }
    if (extents.empty()) return;
  }
  std::array<double, 4> all = extents.begin()->second;
  for (const auto& [name, e] : extents)
    all = {std::min(all[0], e[0]), std::min(all[1], e[1]), std::max(all[2], e[2]), std::max(all[3], e[3])};
  const CrsInfo working = working_of(s, header, all);
  const Transformer t(header.crs.normalized, working.normalized);
  for (const auto& [name, e] : extents) {
    const auto w = to_working(t, e);
    try {
      (void)Grid::covering(w[0], w[1], w[2], w[3], s.output.raster_cell_m, working.epsg);
    } catch (const InvalidInput& err) {
      std::string where = name.empty() ? "the hamlets' extent" : "the partition '" + name + "'";
      throw InvalidInput(ErrorCode::invalid_input,
                         "output.raster_cell_m " + format_number(s.output.raster_cell_m) + " m over " + where + " (" +
                             format_number(std::round((w[2] - w[0]) / 1000.0)) + " × " +
                             format_number(std::round((w[3] - w[1]) / 1000.0)) + " km in " + working.normalized +
                             "): " + err.reason() +
                             (name.empty() ? " or partition the run (output.partition_by), or leave tif out of "
                                             "output.formats"
                                           : " or leave tif out of output.formats"),
                         {src.path, header.layer, "output.raster_cell_m", {}});
    }
  }
}

}  // namespace infogap
