// make_partition: a partition's inputs and coverage cut from a run computed on the whole input.
#include "partition/subset.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "adapters/geos/geojson.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "adapters/proj/transformer.hpp"
#include "infogap/error.hpp"
#include "spatial/extent.hpp"

namespace infogap::detail {
namespace {

/// Distance from (x, y) to the box (0 inside).
double box_distance(double x, double y, double minx, double miny, double maxx, double maxy) {
  const double dx = std::max({minx - x, 0.0, x - maxx});
  const double dy = std::max({miny - y, 0.0, y - maxy});
  return std::hypot(dx, dy);
}

template <class T>
std::vector<T> pick(const std::vector<T>& v, const std::vector<std::size_t>& rows) {
  std::vector<T> out;
  if (v.empty()) return out;
  out.reserve(rows.size());
  for (const auto r : rows) out.push_back(v[r]);
  return out;
}

Eigen::VectorXd pick(const Eigen::VectorXd& v, const std::vector<std::size_t>& rows) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(rows.size()));
  if (v.size() == 0) return Eigen::VectorXd();
  for (std::size_t k = 0; k < rows.size(); ++k)
    out[static_cast<Eigen::Index>(k)] = v[static_cast<Eigen::Index>(rows[k])];
  return out;
}

/// Old index → new index (-1 = not kept).
std::vector<std::int32_t> renumber(std::size_t n, const std::vector<std::size_t>& kept) {
  std::vector<std::int32_t> map(n, -1);
  for (std::size_t k = 0; k < kept.size(); ++k) map[kept[k]] = static_cast<std::int32_t>(k);
  return map;
}

std::vector<std::int32_t> remap(const std::vector<std::int32_t>& v, const std::vector<std::size_t>& rows,
                                const std::vector<std::int32_t>& map) {
  std::vector<std::int32_t> out;
  out.reserve(rows.size());
  for (const auto r : rows) out.push_back(v[r] < 0 ? -1 : map[static_cast<std::size_t>(v[r])]);
  return out;
}

}  // namespace

PartitionRun make_partition(const Scenario& sc, const Inputs& in, const CoverageResult& cov, const SpeakerField& field,
                            const PartitionInfo& part) {
  const auto& names = in.hamlets.group_names;
  const auto g =
      static_cast<std::size_t>(std::find(names.begin(), names.end(), sc.output.partition_by) - names.begin());
  if (g >= names.size())
    throw Error(ErrorCode::internal, "output.partition_by '" + sc.output.partition_by + "' is not a loaded group");
  PartitionRun run;
  run.inputs = std::make_unique<Inputs>();
  Inputs& sub = *run.inputs;
  sub.working_crs = in.working_crs;
  sub.working_epsg = in.working_epsg;
  sub.layers = in.layers;
  sub.rejects = in.rejects;  // the input files' rejected rows: no partition can be told for them
  sub.repaired_polygons = in.repaired_polygons;
  sub.dropped_parts = in.dropped_parts;
  sub.communes = in.communes;
  sub.notes = in.notes;

  // Hamlets of the partition.
  std::vector<std::size_t> hamlets;
  for (std::size_t k = 0; k < in.hamlets.size(); ++k)
    if (in.hamlets.groups[g][k] == part.value) hamlets.push_back(k);
  const Hamlets& H = in.hamlets;
  Hamlets& h = sub.hamlets;
  h.id = pick(H.id, hamlets);
  h.name = pick(H.name, hamlets);
  h.group_names = H.group_names;
  for (const auto& col : H.groups) h.groups.push_back(pick(col, hamlets));
  h.wkb = pick(H.wkb, hamlets);
  h.area_m2 = pick(H.area_m2, hamlets);
  h.geometry_source = pick(H.geometry_source, hamlets);
  h.commune = pick(H.commune, hamlets);
  for (std::size_t k = 0; k < h.size(); ++k) sub.hamlets_derived += h.source_of(k) == GeometrySource::derived ? 1 : 0;
  const std::vector<std::int32_t> hamlet_map = renumber(H.size(), hamlets);

  // Households joined to them, in input order.
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < in.households.size(); ++i) {
    const std::int32_t k = cov.households.hamlet[i];
    if (k >= 0 && hamlet_map[static_cast<std::size_t>(k)] >= 0) rows.push_back(i);
  }
  const Households& A = in.households;
  Households& a = sub.households;
  a.id = pick(A.id, rows);
  a.x_m = pick(A.x_m, rows);
  a.y_m = pick(A.y_m, rows);
  a.status = pick(A.status, rows);
  a.members = pick(A.members, rows);
  a.internet = pick(A.internet, rows);
  a.devices = pick(A.devices, rows);
  a.source_row = pick(A.source_row, rows);
  a.location = pick(A.location, rows);
  for (std::size_t i = 0; i < a.size(); ++i) sub.households_placed += a.location_of(i) == Location::placed ? 1 : 0;
  sub.households_input = static_cast<std::int64_t>(rows.size());

  // The halo: equipment that can matter inside the partition's extent (the raster grid adds up to
  // a cell on each side).
  double minx, miny, maxx, maxy;
  hamlets_extent(h, minx, miny, maxx, maxy);
  const double margin = 2.0 * sc.output.raster_cell_m;
  minx -= margin;
  miny -= margin;
  maxx += margin;
  maxy += margin;
  const Speakers& S = in.speakers;
  std::vector<std::uint8_t> cluster_in(S.clusters, 0);
  for (std::size_t s = 0; s < S.size(); ++s) {
    const auto e = static_cast<Eigen::Index>(s);
    if (box_distance(S.x_m[e], S.y_m[e], minx, miny, maxx, maxy) <= field.cutoff_m(s))
      cluster_in[static_cast<std::size_t>(S.cluster_index[s])] = 1;
  }
  for (const auto i : rows)  // a household's loudest horn is within its reach by construction; kept regardless
    if (const auto b = cov.households.best_speaker[i]; b >= 0)
      cluster_in[static_cast<std::size_t>(S.cluster_index[static_cast<std::size_t>(b)])] = 1;
  std::vector<std::size_t> horns;
  for (std::size_t s = 0; s < S.size(); ++s)
    if (cluster_in[static_cast<std::size_t>(S.cluster_index[s])]) horns.push_back(s);
  Speakers& sp = sub.speakers;
  sp.id = pick(S.id, horns);
  sp.cluster = pick(S.cluster, horns);
  sp.x_m = pick(S.x_m, horns);
  sp.y_m = pick(S.y_m, horns);
  sp.power_w = pick(S.power_w, horns);
  sp.sensitivity_db = pick(S.sensitivity_db, horns);
  sp.height_m = pick(S.height_m, horns);
  sp.azimuth_deg = pick(S.azimuth_deg, horns);
  sp.beamwidth_deg = pick(S.beamwidth_deg, horns);
  sp.range_m = pick(S.range_m, horns);
  assign_clusters(sp);
  const std::vector<std::int32_t> horn_map = renumber(S.size(), horns);

  // Teams: within their reach of the extent (they may serve its households), or nearer than any
  // cell's nearest team can be: the team nearest the extent's centre is at most d0 + r from every
  // cell (r: half the diagonal), so every cell's nearest team is within d0 + 2r of the centre.
  const Teams& T = in.teams;
  const double cx = 0.5 * (minx + maxx), cy = 0.5 * (miny + maxy), r = 0.5 * std::hypot(maxx - minx, maxy - miny);
  double d0 = std::numeric_limits<double>::infinity();
  for (std::size_t t = 0; t < T.size(); ++t)
    d0 = std::min(d0, std::hypot(T.x_m[static_cast<Eigen::Index>(t)] - cx, T.y_m[static_cast<Eigen::Index>(t)] - cy));
  std::vector<std::uint8_t> team_in(T.size(), 0);
  for (std::size_t t = 0; t < T.size(); ++t) {
    const auto e = static_cast<Eigen::Index>(t);
    const double reach = T.reach_m.size() > e ? T.reach_m[e] : 0.0;
    if (box_distance(T.x_m[e], T.y_m[e], minx, miny, maxx, maxy) <= reach ||
        std::hypot(T.x_m[e] - cx, T.y_m[e] - cy) <= d0 + 2.0 * r)
      team_in[t] = 1;
  }
  for (const auto i : rows)
    if (const auto t = cov.households.team[i]; t >= 0) team_in[static_cast<std::size_t>(t)] = 1;
  std::vector<std::size_t> teams;
  for (std::size_t t = 0; t < T.size(); ++t)
    if (team_in[t]) teams.push_back(t);
  Teams& tm = sub.teams;
  tm.id = pick(T.id, teams);
  tm.x_m = pick(T.x_m, teams);
  tm.y_m = pick(T.y_m, teams);
  tm.members = pick(T.members, teams);
  tm.reach_m = pick(T.reach_m, teams);
  tm.households_per_member = pick(T.households_per_member, teams);
  tm.typical_reach_m = T.typical_reach_m;
  tm.typical_households_per_member = T.typical_households_per_member;
  const std::vector<std::int32_t> team_map = renumber(T.size(), teams);

  // Candidate sites of a candidates layer: those inside the partition's hamlets.
  if (in.candidates.size() > 0) {
    Households points;
    points.id = in.candidates.id;
    points.x_m = in.candidates.x_m;
    points.y_m = in.candidates.y_m;
    const std::vector<std::int32_t> where = join_households(points, h, nullptr);
    std::vector<std::size_t> kept;
    for (std::size_t c = 0; c < where.size(); ++c)
      if (where[c] >= 0) kept.push_back(c);
    sub.candidates.id = pick(in.candidates.id, kept);
    sub.candidates.kind = pick(in.candidates.kind, kept);
    sub.candidates.x_m = pick(in.candidates.x_m, kept);
    sub.candidates.y_m = pick(in.candidates.y_m, kept);
  }

  // Coverage: every household's whole-run result, re-aggregated over the partition.
  const HouseholdCoverage& C = cov.households;
  CoverageResult& out = run.coverage;
  HouseholdCoverage& c = out.households;
  c.hamlet = remap(C.hamlet, rows, hamlet_map);
  c.weight = pick(C.weight, rows);
  c.speech_dba = pick(C.speech_dba, rows);
  c.snr_db = pick(C.snr_db, rows);
  c.speakers_audible = pick(C.speakers_audible, rows);
  c.best_speaker = remap(C.best_speaker, rows, horn_map);
  c.team = remap(C.team, rows, team_map);
  c.team_distance_m = pick(C.team_distance_m, rows);
  c.in_team_range = pick(C.in_team_range, rows);
  c.reached_speaker = pick(C.reached_speaker, rows);
  c.reached_team = pick(C.reached_team, rows);
  c.reached = pick(C.reached, rows);
  // Listening conditions (acoustics.conditions): each condition's reach and level, the share.
  for (const auto& v : C.reached_speaker_in) c.reached_speaker_in.push_back(pick(v, rows));
  for (const auto& v : C.reached_in) c.reached_in.push_back(pick(v, rows));
  for (const auto& v : C.speech_dba_in) c.speech_dba_in.push_back(pick(v, rows));
  if (C.reached_share.size() > 0) c.reached_share = pick(C.reached_share, rows);
  c.condition_share = C.condition_share;
  c.condition_name = C.condition_name;
  out.teams = pick(cov.teams, teams);
  out.speaker_households = pick(cov.speaker_households, horns);
  out.speaker_range_m = pick(cov.speaker_range_m, horns);
  out.timings_s = cov.timings_s;
  aggregate_gaps(sub, out);
  // Diagnostics the whole run counts per household: the same rule over the partition's households.
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto b = c.best_speaker[i];
    if (!c.reached_speaker[i] || b < 0 || !(c.weight[static_cast<Eigen::Index>(i)] > 0)) continue;
    const double dx = sp.x_m[b] - a.x_m[static_cast<Eigen::Index>(i)],
                 dy = sp.y_m[b] - a.y_m[static_cast<Eigen::Index>(i)];
    if (dx * dx + dy * dy > k_validity_limit_m * k_validity_limit_m) ++out.paths_beyond_validity;
  }

  run.field = std::make_unique<SpeakerField>(sc, sub.speakers);

  // What the summary says: the partition, its outline (lon/lat, for the national map) and the
  // whole input's accounting and coverage.
  PartitionNote& note = run.note;
  note.column = sc.output.partition_by;
  note.value = part.value;
  note.folder = part.folder;
  note.hamlets = static_cast<std::int64_t>(h.size());
  note.whole_input = in.households_input;
  note.whole_joined = cov.joined;
  note.whole_outside = cov.outside;
  note.whole_rejected = in.households_rejected;
  note.whole_coverage = &cov;
  if (h.size() > 0) {
    Transformer to_lonlat(in.working_crs, "EPSG:4326");
    note.outline_geojson = to_geojson(transform_xy(simplify(union_all(h.wkb), 50.0),
                                                   [&to_lonlat](double& x, double& y) {
                                                     to_lonlat.transform(&x, &y, 1);
                                                     return std::isfinite(x) && std::isfinite(y);
                                                   }),
                                      5);
  }
  return run;
}

}  // namespace infogap::detail
