// Speakers, teams and candidate sites.
#include "io/load_detail.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace infogap::load_detail {

/// The value a new team takes: the scenario's number when it gives one, else the median of the
/// existing teams' (finite, positive) values of the column, else the scenario's default.
double typical_team_value(const Eigen::VectorXd& per_team, const ColumnOrNumber& given, double fallback) {
  if (given.value) return *given.value;
  std::vector<double> v;
  for (Eigen::Index i = 0; i < per_team.size(); ++i)
    if (std::isfinite(per_team[i]) && per_team[i] > 0) v.push_back(per_team[i]);
  if (v.empty()) return fallback;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

void resolve_team_template(const Scenario& s, Teams& t) {
  const TeamsSource defaults;
  const TeamsSource& src = s.teams ? *s.teams : defaults;
  t.typical_reach_m = typical_team_value(t.reach_m, src.reach_m, *defaults.reach_m.value);
  t.typical_households_per_member =
      typical_team_value(t.households_per_member, src.households_per_member, *defaults.households_per_member.value);
}

void load_speakers(const Scenario& s, const std::string& working, Inputs& in) {
  const SpeakersSource& src = *s.speakers;
  PointLayer p = load_points(src, "speakers", src.id, working, {src.cluster},
                             {src.power_w.column, src.sensitivity_db.column, src.height_m.column,
                              src.azimuth_deg.column, src.beamwidth_deg.column, src.range_m.column});
  Layer& l = p.layer;
  const AcousticsParams& a = s.acoustics;
  const Param power = resolve(l, src.power_w, "power_w", a.default_power_w, in.notes);
  const Param sens = resolve(l, src.sensitivity_db, "sensitivity_db", a.default_sensitivity_db, in.notes);
  const Param height = resolve(l, src.height_m, "height_m", a.default_height_m, in.notes);
  const Param azimuth = resolve(l, src.azimuth_deg, "azimuth_deg", k_nan, in.notes);
  const Param beam = resolve(l, src.beamwidth_deg, "beamwidth_deg", a.default_beamwidth_deg, in.notes);
  const Param range = resolve(l, src.range_m, "range_m", SpeakersSource{}.range_m.value, in.notes);
  if (src.cluster != SpeakersSource{}.cluster) require_column(l, src.cluster, "cluster");  // named in the scenario
  const Column* cluster = optional_column(l, src.cluster);

  const std::size_t n = l.rows();
  struct Row {
    double power, sens, height, azimuth, beam, range;
  };
  std::vector<Row> rows(n);
  add_rejects(
      l,
      check_rows(n, p.bad,
                 [&](std::size_t i, std::vector<Issue>& out) {
                   Row& r = rows[i];
                   std::string why;
                   const std::pair<const Param*, double*> params[] = {{&power, &r.power},   {&sens, &r.sens},
                                                                      {&height, &r.height}, {&azimuth, &r.azimuth},
                                                                      {&beam, &r.beam},     {&range, &r.range}};
                   for (const auto& [param, value] : params) {
                     if (!param_value(*param, i, *value, why)) {
                       out.push_back({i, param->name, why});
                       return;
                     }
                   }
                   if (!(r.power > 0)) {
                     out.push_back({i, power.name, "power_w " + format_number(r.power) + " is not positive"});
                   } else if (!(r.sens >= 60 && r.sens <= 150)) {
                     out.push_back({i, sens.name, "sensitivity_db " + format_number(r.sens) + " outside [60, 150] dB"});
                   } else if (!(r.height >= 0)) {
                     out.push_back({i, height.name, "height_m " + format_number(r.height) + " is negative"});
                   } else if (!(r.beam > 0 && r.beam <= 360)) {
                     out.push_back({i, beam.name, "beamwidth_deg " + format_number(r.beam) + " outside (0, 360]"});
                   } else if (!(r.range > 0)) {
                     out.push_back({i, range.name, "range_m " + format_number(r.range) + " is not positive"});
                   }
                 }),
      p.id, p.bad, p.rejects);

  Speakers& sp = in.speakers;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (p.bad[i] == 0) ++kept;
  const auto m = static_cast<Eigen::Index>(kept);
  for (Eigen::VectorXd* v : {&sp.x_m, &sp.y_m, &sp.power_w, &sp.sensitivity_db, &sp.height_m, &sp.azimuth_deg,
                             &sp.beamwidth_deg, &sp.range_m})
    v->resize(m);
  Eigen::Index k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p.bad[i] != 0) continue;
    const Row& r = rows[i];
    sp.id.push_back(p.ids[i]);
    sp.cluster.push_back(cluster != nullptr ? trim(cluster->as_text(i)) : std::string());
    sp.x_m[k] = p.x[i];
    sp.y_m[k] = p.y[i];
    sp.power_w[k] = r.power;
    sp.sensitivity_db[k] = r.sens;
    sp.height_m[k] = r.height;
    sp.azimuth_deg[k] = std::isnan(r.azimuth) ? k_nan : std::fmod(std::fmod(r.azimuth, 360.0) + 360.0, 360.0);
    sp.beamwidth_deg[k] = r.beam;
    sp.range_m[k] = r.range;
    ++k;
  }
  assign_clusters(sp);
  const std::size_t first = in.rejects.size();
  const std::size_t swap_fits = p.rejects.swap_fits;
  p.rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
  check_rejected_share(s, l, in, first, swap_fits);
}

void load_teams(const Scenario& s, const std::string& working, Inputs& in) {
  const TeamsSource& src = *s.teams;
  PointLayer p = load_points(src, "teams", src.id, working, {},
                             {src.members.column, src.reach_m.column, src.households_per_member.column});
  Layer& l = p.layer;
  const Param members = resolve(l, src.members, "members", std::nullopt, in.notes);
  const Param reach = resolve(l, src.reach_m, "reach_m", std::nullopt, in.notes);
  const Param per_member = resolve(l, src.households_per_member, "households_per_member", std::nullopt, in.notes);

  const std::size_t n = l.rows();
  std::vector<std::array<double, 3>> rows(n);
  add_rejects(
      l,
      check_rows(n, p.bad,
                 [&](std::size_t i, std::vector<Issue>& out) {
                   auto& r = rows[i];
                   std::string why;
                   const Param* params[] = {&members, &reach, &per_member};
                   for (std::size_t j = 0; j < 3; ++j) {
                     if (!param_value(*params[j], i, r[j], why)) {
                       out.push_back({i, params[j]->name, why});
                       return;
                     }
                     if (std::isnan(r[j])) {
                       out.push_back({i, params[j]->name, "missing value"});
                       return;
                     }
                   }
                   if (r[0] < 0) {
                     out.push_back({i, members.name, "negative members " + format_number(r[0])});
                   } else if (!(r[1] > 0)) {
                     out.push_back({i, reach.name, "reach_m " + format_number(r[1]) + " is not positive"});
                   } else if (r[2] < 0) {
                     out.push_back({i, per_member.name, "negative households_per_member " + format_number(r[2])});
                   }
                 }),
      p.id, p.bad, p.rejects);

  Teams& t = in.teams;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (p.bad[i] == 0) ++kept;
  const auto m = static_cast<Eigen::Index>(kept);
  for (Eigen::VectorXd* v : {&t.x_m, &t.y_m, &t.members, &t.reach_m, &t.households_per_member}) v->resize(m);
  Eigen::Index k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p.bad[i] != 0) continue;
    t.id.push_back(p.ids[i]);
    t.x_m[k] = p.x[i];
    t.y_m[k] = p.y[i];
    t.members[k] = rows[i][0];
    t.reach_m[k] = rows[i][1];
    t.households_per_member[k] = rows[i][2];
    ++k;
  }
  const std::size_t first = in.rejects.size();
  const std::size_t swap_fits = p.rejects.swap_fits;
  p.rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
  check_rejected_share(s, l, in, first, swap_fits);
}

void load_candidates(const Scenario& s, const std::string& working, Inputs& in) {
  const CandidatesSource& src = s.optimize.candidates;
  std::vector<std::string> text;
  if (!src.kind.empty()) text.push_back(src.kind);
  if (!src.name.empty()) text.push_back(src.name);
  if (!src.type.empty()) text.push_back(src.type);
  PointLayer p = load_points(src, "candidates", src.id, working, text, {});
  Layer& l = p.layer;
  require_column(l, src.kind, "kind");
  // name and type: under their default names a missing column is no error (the sites go unnamed).
  const CandidatesSource defaults;
  if (src.name != defaults.name) require_column(l, src.name, "name");
  if (src.type != defaults.type) require_column(l, src.type, "type");
  const Column* kind = optional_column(l, src.kind);
  const Column* name = optional_column(l, src.name);
  const Column* type = optional_column(l, src.type);
  const std::size_t n = l.rows();
  std::vector<std::string> kinds(n, "any");
  add_rejects(l,
              check_rows(n, p.bad,
                         [&](std::size_t i, std::vector<Issue>& out) {
                           if (kind == nullptr) return;
                           const std::string k = lower(trim(kind->as_text(i)));
                           if (k.empty()) return;
                           if (k != "speaker" && k != "team" && k != "any") {
                             out.push_back({i, kind->name, "unknown kind '" + k + "' (expected speaker, team or any)"});
                             return;
                           }
                           kinds[i] = k;
                         }),
              p.id, p.bad, p.rejects);
  Candidates& c = in.candidates;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (p.bad[i] == 0) ++kept;
  c.x_m.resize(static_cast<Eigen::Index>(kept));
  c.y_m.resize(static_cast<Eigen::Index>(kept));
  Eigen::Index k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p.bad[i] != 0) continue;
    c.id.push_back(p.ids[i]);
    c.kind.push_back(kinds[i]);
    c.name.push_back(name != nullptr ? trim(name->as_text(i)) : std::string());
    c.type.push_back(type != nullptr ? trim(type->as_text(i)) : std::string());
    c.x_m[k] = p.x[i];
    c.y_m[k] = p.y[i];
    ++k;
  }
  const std::size_t first = in.rejects.size();
  const std::size_t swap_fits = p.rejects.swap_fits;
  p.rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
  check_rejected_share(s, l, in, first, swap_fits);
}

}  // namespace infogap::load_detail
