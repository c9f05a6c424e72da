#include "infogap/coverage.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <tuple>

#include "acoustics/speaker_field.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "coverage/coverage_run.hpp"
#include "infogap/acoustics.hpp"
#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "spatial/disc_grid.hpp"
#include "spatial/hamlet_grid.hpp"
#include "spatial/point_grid.hpp"

namespace infogap {
namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();
/// Speech arriving within this time of the useful window's first arrival adds to it (U50).
constexpr double k_u50_window_s = 0.050;

std::optional<std::int64_t> as_integer(const std::string& s) {
  std::int64_t v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

/// Rank of each id in "lowest id first" order: numeric when both ids are integers, else bytes.
std::vector<std::int32_t> id_ranks(const std::vector<std::string>& ids) {
  std::vector<std::int32_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::optional<std::int64_t>> num(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) num[i] = as_integer(ids[i]);
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    const auto& na = num[static_cast<std::size_t>(a)];
    const auto& nb = num[static_cast<std::size_t>(b)];
    if (na && nb) return *na < *nb;
    return ids[static_cast<std::size_t>(a)] < ids[static_cast<std::size_t>(b)];
  });
  std::vector<std::int32_t> rank(ids.size());
  for (std::size_t k = 0; k < order.size(); ++k)
    rank[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
  return rank;
}

/// A listening condition as speaker reach scores it: the field heard through (the run's, or one
/// built for the condition's air and receiver height), the condition's rule (ambient, SNR) and the
/// energy factor of its facade loss beyond the field's.
struct ConditionScoring {
  const detail::SpeakerField* field = nullptr;
  detail::ReachRule rule{Listening{}};
  double scale = 1.0;
};

/// What a household hears through one field: the energy of every horn, the U50 useful energy,
/// the loudest cluster's, clusters audible on their own, the loudest horn.
struct Heard {
  double total = 0.0, useful = 0.0, loudest = 0.0, best_level = -k_inf;
  std::int32_t audible = 0, best = -1;
};

/// The one hearing of loudspeakers at a point (coverage, and placement's test of a new pole's
/// echo): every horn within its cutoff, energies summed per cluster, each cluster arriving with
/// its nearest horn. Scratch per thread.
class Ear {
 public:
  Ear(const detail::PointGrid& grid, std::size_t n_clusters)
      : m_grid(&grid), m_energy(n_clusters, 0.0), m_arrival(n_clusters, k_inf) {}

  /// What (qx, qy) hears of the horns h with heard(h) true.
  template <class Hears>
  Heard hear(const detail::SpeakerField& f, double qx, double qy, Hears&& heard) {
    Heard got;
    m_touched.clear();
    m_grid->for_each_within(qx, qy, f.max_cutoff_m(), [&](std::uint32_t h, double d2) {
      if (d2 > f.cutoff_m(h) * f.cutoff_m(h) || !heard(h)) return;
      const double level = f.level_dba(h, qx, qy);
      if (!(level > -k_inf)) return;
      const double energy = detail::ReachRule::energy(level);
      got.total += energy;
      const auto c = static_cast<std::size_t>(f.cluster_of(h));
      if (m_energy[c] == 0.0) m_touched.push_back(f.cluster_of(h));
      m_energy[c] += energy;
      m_arrival[c] = std::min(m_arrival[c], f.arrival_s(h, d2));
      if (level > got.best_level || (level == got.best_level && static_cast<std::int32_t>(h) < got.best)) {
        got.best_level = level;
        got.best = static_cast<std::int32_t>(h);
      }
    });
    m_arrivals.clear();
    for (auto c : m_touched) {
      const auto k = static_cast<std::size_t>(c);
      if (f.rule().reaches_energy(m_energy[k])) ++got.audible;
      got.loudest = std::max(got.loudest, m_energy[k]);
      m_arrivals.emplace_back(m_arrival[k], m_energy[k]);
      m_energy[k] = 0.0;
      m_arrival[k] = k_inf;
    }
    // U50: the 50 ms window (from a cluster's arrival) holding the most energy is useful, every
    // other arrival is detrimental. Clusters are few per household: sort and slide.
    got.useful = got.total;
    if (m_arrivals.size() > 1) {
      std::sort(m_arrivals.begin(), m_arrivals.end());
      got.useful = 0.0;
      double window = 0.0;
      std::size_t end = 0;
      for (std::size_t start = 0; start < m_arrivals.size(); ++start) {
        while (end < m_arrivals.size() && m_arrivals[end].first <= m_arrivals[start].first + k_u50_window_s)
          window += m_arrivals[end++].second;
        got.useful = std::max(got.useful, window);
        window -= m_arrivals[start].second;
      }
    }
    return got;
  }

 private:
  const detail::PointGrid* m_grid;
  std::vector<double> m_energy, m_arrival;  // per cluster (scratch, zero between calls)
  std::vector<std::int32_t> m_touched;
  std::vector<std::pair<double, double>> m_arrivals;  // (arrival s, energy) per cluster heard
};

/// The decision of each multi-cluster rule (in MultiCluster order); energies scaled by a
/// condition's extra facade loss (a common factor: the U50 window holding the most energy stays).
std::array<bool, 3> decide(const Heard& h, const detail::ReachRule& r, double scale) {
  return {r.reaches_energy(scale * h.useful, scale * std::max(0.0, h.total - h.useful)),
          r.reaches_energy(scale * h.total), r.reaches_energy(scale * h.loudest)};
}

void speaker_reach(const Scenario& sc, const Households& hh, const Speakers& sp, const detail::SpeakerField& field,
                   const std::vector<ConditionScoring>& conditions, CoverageResult& out) {
  auto& hc = out.households;
  const std::size_t n = hh.size();
  const bool radius = sc.speakers && sc.speakers->model == SpeakerModel::radius;
  const double no_level = radius ? std::numeric_limits<double>::quiet_NaN() : -k_inf;  // radius: no level
  hc.speech_dba = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), no_level);
  hc.snr_db = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), no_level);
  hc.speakers_audible.assign(n, 0);
  hc.best_speaker.assign(n, -1);
  hc.reached_speaker.assign(n, 0);
  hc.reached_speaker_in.assign(conditions.size(), std::vector<std::uint8_t>(n, 0));
  hc.speech_dba_in.assign(conditions.size(), Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), no_level));
  out.speaker_households.assign(sp.size(), 0);
  out.speaker_range_m.assign(sp.size(), 0.0);
  if (sp.size() == 0 || n == 0) return;
  for (std::size_t h = 0; h < sp.size(); ++h) out.speaker_range_m[h] = field.range_m(h);
  const double max_cutoff = field.max_cutoff_m();
  if (max_cutoff <= 0) return;
  if (radius) {
    // Radius model: each horn is a disc; a grid lists in each cell the discs that may cover it,
    // so a household costs one cell lookup. Households are independent: parallel, deterministic.
    std::vector<double> radii(sp.size());
    for (std::size_t h = 0; h < sp.size(); ++h) radii[h] = field.cutoff_m(h);
    const detail::DiscGrid discs(sp.x_m, sp.y_m, radii, std::max(50.0, max_cutoff));
    parallel_for(
        n,
        [&](std::size_t b, std::size_t e, unsigned /*worker*/) {
          std::vector<std::int32_t> clusters;  // clusters heard by the household, for the count
          for (std::size_t i = b; i < e; ++i) {
            const auto ei = static_cast<Eigen::Index>(i);
            double best_d2 = k_inf;
            std::int32_t best = -1;
            clusters.clear();
            discs.for_each_containing(hh.x_m[ei], hh.y_m[ei], [&](std::uint32_t h, double d2) {
              const std::int32_t c = field.cluster_of(h);
              if (std::find(clusters.begin(), clusters.end(), c) == clusters.end()) clusters.push_back(c);
              if (d2 < best_d2) {  // discs come in ascending index: a tie keeps the lower one
                best_d2 = d2;
                best = static_cast<std::int32_t>(h);
              }
            });
            hc.speakers_audible[i] = static_cast<std::int32_t>(clusters.size());
            hc.best_speaker[i] = best;
            hc.reached_speaker[i] = best >= 0 ? 1 : 0;
          }
        },
        4096);
    for (auto& r : hc.reached_speaker_in) r = hc.reached_speaker;  // a radius does not depend on acoustics
    for (std::size_t i = 0; i < n; ++i)
      if (hc.reached_speaker[i]) ++out.speaker_households[static_cast<std::size_t>(hc.best_speaker[i])];
    return;
  }
  const auto& ac = sc.acoustics;
  const detail::ReachRule& rule = field.rule();
  const detail::PointGrid grid(sp.x_m, sp.y_m, std::max(50.0, max_cutoff / 2.0));
  const auto n_clusters = field.clusters();
  // The fields heard through: 0 the run's, then one per other air of a listening condition.
  std::vector<const detail::SpeakerField*> fields{&field};
  for (const auto& c : conditions)
    if (std::find(fields.begin(), fields.end(), c.field) == fields.end()) fields.push_back(c.field);
  std::vector<std::size_t> field_of(conditions.size());
  for (std::size_t k = 0; k < conditions.size(); ++k)
    field_of[k] =
        static_cast<std::size_t>(std::find(fields.begin(), fields.end(), conditions[k].field) - fields.begin());

  std::vector<std::int64_t> beyond(thread_count() + 1, 0);
  // Per worker: target households reached under each multi-cluster rule, and households whose
  // decision under the scenario's rule differs from each other rule's.
  struct RuleCounts {
    std::array<std::int64_t, 3> reached{}, differs{};
  };
  std::vector<RuleCounts> rule_counts(thread_count() + 1);
  const auto chosen = static_cast<std::size_t>(ac.multi_cluster);
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned worker) {
        Ear ear(grid, n_clusters);
        std::vector<Heard> heard(fields.size());
        auto hear = [&](const detail::SpeakerField& f, double qx, double qy) {
          return ear.hear(f, qx, qy, [](std::uint32_t) { return true; });
        };
        for (std::size_t i = b; i < e; ++i) {
          const auto ei = static_cast<Eigen::Index>(i);
          const double qx = hh.x_m[ei], qy = hh.y_m[ei];
          for (std::size_t f = 0; f < fields.size(); ++f) heard[f] = hear(*fields[f], qx, qy);
          const Heard& h0 = heard[0];
          const std::array<bool, 3> by_rule = decide(h0, rule, 1.0);
          static_assert(static_cast<int>(MultiCluster::u50) == 0 && static_cast<int>(MultiCluster::energy_sum) == 1 &&
                        static_cast<int>(MultiCluster::loudest) == 2);
          auto& counts = rule_counts[worker];
          for (std::size_t r = 0; r < 3; ++r) {
            if (by_rule[r] && hc.weight[ei] > 0) ++counts.reached[r];
            if (by_rule[r] != by_rule[chosen]) ++counts.differs[r];
          }
          const double la = detail::ReachRule::level(h0.total);
          hc.speech_dba[ei] = la;
          hc.snr_db[ei] = la - ac.ambient_dba;
          hc.speakers_audible[i] = h0.audible;
          hc.best_speaker[i] = h0.best;
          hc.reached_speaker[i] = by_rule[chosen] ? 1 : 0;
          for (std::size_t k = 0; k < conditions.size(); ++k) {
            const Heard& hk = heard[field_of[k]];
            hc.reached_speaker_in[k][i] = decide(hk, conditions[k].rule, conditions[k].scale)[chosen] ? 1 : 0;
            hc.speech_dba_in[k][ei] = detail::ReachRule::level(conditions[k].scale * hk.total);
          }
          // Counted over target households, like the other figures of the coverage block.
          if (hc.reached_speaker[i] && h0.best >= 0 && hc.weight[ei] > 0) {
            const auto eb = static_cast<Eigen::Index>(h0.best);
            const double dx = sp.x_m[eb] - qx, dy = sp.y_m[eb] - qy;
            if (dx * dx + dy * dy > k_validity_limit_m * k_validity_limit_m) ++beyond[worker];
          }
        }
      },
      2048);
  out.paths_beyond_validity = std::accumulate(beyond.begin(), beyond.end(), std::int64_t{0});
  for (const auto& c : rule_counts)
    for (std::size_t r = 0; r < 3; ++r) {
      out.multi_cluster.reached_target[r] += c.reached[r];
      out.multi_cluster.differs[r] += c.differs[r];
    }
  for (std::size_t i = 0; i < n; ++i)
    if (hc.reached_speaker[i] && hc.best_speaker[i] >= 0)
      ++out.speaker_households[static_cast<std::size_t>(hc.best_speaker[i])];
}

}  // namespace

std::vector<AreaGap> rank_areas(std::vector<AreaGap> areas) {
  std::vector<std::size_t> order(areas.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (areas[a].gap_weight != areas[b].gap_weight) return areas[a].gap_weight > areas[b].gap_weight;
    if (areas[a].gap_households != areas[b].gap_households) return areas[a].gap_households > areas[b].gap_households;
    return areas[a].id < areas[b].id;
  });
  for (std::size_t k = 0; k < order.size(); ++k) areas[order[k]].rank = static_cast<std::int32_t>(k + 1);
  return areas;
}

/// gap_rate is undefined (NaN, written as NULL) where an area has no target weight: a hamlet
/// without poor or near-poor households has no gap to speak of, which 0 % would misstate.
void finish_area(AreaGap& a, const std::vector<double>& shares) {
  a.gap_rate = a.target_weight > 0 ? a.gap_weight / a.target_weight : std::numeric_limits<double>::quiet_NaN();
  a.expected_gap_weight = 0.0;
  for (std::size_t k = 0; k < a.gap_weight_in.size(); ++k) a.expected_gap_weight += shares[k] * a.gap_weight_in[k];
}

Eigen::VectorXd target_weights(const Households& households, const TargetParams& target) {
  Eigen::VectorXd w(static_cast<Eigen::Index>(households.size()));
  for (std::size_t i = 0; i < households.size(); ++i) {
    double v = 0;
    switch (households.status[i]) {
      case Poverty::poor:
        v = target.weight_poor;
        break;
      case Poverty::near_poor:
        v = target.weight_near_poor;
        break;
      case Poverty::not_poor:
        v = target.weight_not_poor;
        break;
    }
    if (target.info_deprived_only) {
      const bool no_internet = i < households.internet.size() && households.internet[i] == 0;
      const bool no_device = i < households.devices.size() && households.devices[i] == 0;
      if (!no_internet && !no_device) v = 0;
    }
    w[static_cast<Eigen::Index>(i)] = v;
  }
  return w;
}

namespace {

struct Extent {
  double minx = std::numeric_limits<double>::infinity(), miny = minx;
  double maxx = -std::numeric_limits<double>::infinity(), maxy = maxx;
  void add(double x0, double y0, double x1, double y1) {
    if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1)) return;
    minx = std::min(minx, x0);
    miny = std::min(miny, y0);
    maxx = std::max(maxx, x1);
    maxy = std::max(maxy, y1);
  }
  bool empty() const { return !(minx <= maxx); }
  bool overlaps(const Extent& o) const {
    return !empty() && !o.empty() && minx <= o.maxx && o.minx <= maxx && miny <= o.maxy && o.miny <= maxy;
  }
  std::string text() const {
    if (empty()) return "empty";
    auto km = [](double v) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f", v / 1000.0);
      return std::string(buf);
    };
    return "x " + km(minx) + "…" + km(maxx) + " km, y " + km(miny) + "…" + km(maxy) + " km";
  }
};

std::string layer_crs(const Inputs& in, const char* key) {
  const auto it = in.layers.find(key);
  if (it == in.layers.end()) return "?";
  return it->second.source_crs + (it->second.crs_name.empty() ? "" : " (" + it->second.crs_name + ")");
}

}  // namespace

void check_outside_share(const Scenario& scenario, const Inputs& in, const std::vector<std::int32_t>& hamlet) {
  const std::size_t n = hamlet.size();
  const auto outside = static_cast<std::size_t>(std::count(hamlet.begin(), hamlet.end(), -1));
  if (n == 0 || static_cast<double>(outside) <= scenario.max_outside_share * static_cast<double>(n)) return;
  Extent hamlets, households;
  for (const auto& w : in.hamlets.wkb) {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    detail::envelope(w, x0, y0, x1, y1);
    hamlets.add(x0, y0, x1, y1);
  }
  for (Eigen::Index i = 0; i < in.households.x_m.size(); ++i)
    households.add(in.households.x_m[i], in.households.y_m[i], in.households.x_m[i], in.households.y_m[i]);
  char share[32];
  std::snprintf(share, sizeof share, "%.1f%%", 100.0 * static_cast<double>(outside) / static_cast<double>(n));
  std::string reason = std::to_string(outside) + " of " + std::to_string(n) + " households (" + share +
                       ") fall outside every hamlet. In the working CRS " + in.working_crs +
                       " the hamlets' extent is " + hamlets.text() + " and the households' extent is " +
                       households.text() +
                       (households.overlaps(hamlets) ? " (they overlap only in part)" : " (they do not overlap)") +
                       ". Check each layer's CRS — hamlets read as " + layer_crs(in, "hamlets") + ", households as " +
                       layer_crs(in, "households") +
                       " — a layer in another CRS than it says (set `crs:` on its block), or a file of another "
                       "area. More than max_outside_share (" +
                       std::to_string(scenario.max_outside_share).substr(0, 4) + ")";
  const auto it = in.layers.find("households");
  ErrorContext where;
  if (it != in.layers.end()) where = {it->second.path, it->second.layer, "", {}};
  throw InvalidInput(ErrorCode::invalid_input, reason, where);
}

std::vector<std::int32_t> join_households(const Households& households, const Hamlets& hamlets,
                                          std::int64_t* overlaps) {
  // Grid of hamlet labels with the exact GEOS Covers test only in boundary cells: the same
  // answer as testing every point exactly (spatial/hamlet_grid.hpp states the guarantee).
  detail::PointJoin join = detail::join_points_grid(households.x_m, households.y_m, hamlets.wkb, id_ranks(hamlets.id));
  if (overlaps) *overlaps = join.overlaps;
  return std::move(join.polygon);
}

void aggregate_gaps(const Inputs& in, CoverageResult& out) {
  aggregate_gaps(in, out.households, out.households.reached, out);
}

void aggregate_gaps(const Inputs& in, const HouseholdCoverage& hc, const std::vector<std::uint8_t>& reached,
                    CoverageResult& out) {
  const Hamlets& hm = in.hamlets;
  const std::size_t n_cond = hc.reached_in.size();
  std::vector<AreaGap> areas(hm.size());
  for (std::size_t k = 0; k < hm.size(); ++k) {
    areas[k].id = hm.id[k];
    areas[k].name = hm.name[k];
    for (const auto& g : hm.groups) areas[k].groups.push_back(g[k]);
    areas[k].gap_weight_in.assign(n_cond, 0.0);
    areas[k].gap_households_in.assign(n_cond, 0);
  }
  out.gap_weight_in.assign(n_cond, 0.0);
  out.gap_households_in.assign(n_cond, 0);
  out.joined = out.outside = 0;
  out.target_households = out.reached_speaker = out.reached_team = out.reached_any = out.in_team_range = 0;
  out.target_weight = out.reached_weight = out.gap_weight = 0;
  for (std::size_t i = 0; i < in.households.size(); ++i) {
    const double w = hc.weight[static_cast<Eigen::Index>(i)];
    const bool target = w > 0;
    const bool any = reached[i] != 0;
    if (target) {
      ++out.target_households;
      out.target_weight += w;
      out.reached_speaker += hc.reached_speaker[i];
      out.reached_team += hc.reached_team[i];
      out.reached_any += any ? 1 : 0;
      out.in_team_range += hc.in_team_range[i];
      (any ? out.reached_weight : out.gap_weight) += w;
      for (std::size_t k = 0; k < n_cond; ++k)
        if (!hc.reached_in[k][i]) {
          out.gap_weight_in[k] += w;
          ++out.gap_households_in[k];
        }
    }
    const std::int32_t h = hc.hamlet[i];
    if (h < 0) {
      ++out.outside;
      continue;
    }
    ++out.joined;
    AreaGap& a = areas[static_cast<std::size_t>(h)];
    ++a.households;
    if (!target) continue;
    ++a.target_households;
    a.target_weight += w;
    for (std::size_t k = 0; k < n_cond; ++k)
      if (!hc.reached_in[k][i]) {
        a.gap_weight_in[k] += w;
        ++a.gap_households_in[k];
      }
    a.reached_speaker += hc.reached_speaker[i];
    a.reached_team += hc.reached_team[i];
    if (any) {
      ++a.reached_any;
      a.reached_weight += w;
    } else {
      ++a.gap_households;
      a.gap_weight += w;
    }
  }
  for (auto& a : areas) finish_area(a, hc.condition_share);
  out.expected_gap_weight = 0.0;
  for (std::size_t k = 0; k < n_cond; ++k) out.expected_gap_weight += hc.condition_share[k] * out.gap_weight_in[k];
  // Groups: sums of their hamlets.
  out.groups.clear();
  for (std::size_t g = 0; g < hm.group_names.size(); ++g) {
    std::map<std::string, AreaGap> units;
    for (std::size_t k = 0; k < hm.size(); ++k) {
      AreaGap& u = units[hm.groups[g][k]];
      u.id = u.name = hm.groups[g][k];
      const AreaGap& a = areas[k];
      u.households += a.households;
      u.target_households += a.target_households;
      u.target_weight += a.target_weight;
      u.reached_speaker += a.reached_speaker;
      u.reached_team += a.reached_team;
      u.reached_any += a.reached_any;
      u.reached_weight += a.reached_weight;
      u.gap_households += a.gap_households;
      u.gap_weight += a.gap_weight;
      u.gap_weight_in.resize(n_cond, 0.0);
      u.gap_households_in.resize(n_cond, 0);
      for (std::size_t c = 0; c < n_cond; ++c) {
        u.gap_weight_in[c] += a.gap_weight_in[c];
        u.gap_households_in[c] += a.gap_households_in[c];
      }
    }
    std::vector<AreaGap> list;
    for (auto& [k, u] : units) {
      finish_area(u, hc.condition_share);
      list.push_back(std::move(u));
    }
    out.groups.push_back(rank_areas(std::move(list)));
  }
  out.hamlets = rank_areas(std::move(areas));
}

CoverageResult compute_coverage(const Scenario& scenario, const Inputs& inputs) {
  const detail::SpeakerField field(scenario, inputs.speakers);
  return detail::compute_coverage(scenario, inputs, field);
}

CoverageResult detail::compute_coverage(const Scenario& scenario, const Inputs& inputs, const SpeakerField& field,
                                        const std::function<void(double)>& progress) {
  return compute_coverage(scenario, inputs, {inputs.speakers, inputs.teams, field, nullptr}, progress);
}

CoverageResult detail::compute_coverage(const Scenario& scenario, const Inputs& inputs, const Equipment& equipment,
                                        const std::function<void(double)>& progress) {
  CoverageResult out;
  const std::size_t n = inputs.households.size();
  auto& hc = out.households;
  // Share of the stage each step usually takes (bundled province, summary.json timings_s).
  double done = 0.0;
  double shown = 0.0;  // progress never goes back (a step may run several loops)
  auto timed = [&](const char* step, double share, auto&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    {
      // Long loops of the step report as they go (parallel_for's slices).
      const ParallelProgress within(progress ? std::function<void(double)>([&, share](double f) {
        if (done + share * f > shown && done + share * f < 0.999) progress(shown = done + share * f);
      })
                                             : std::function<void(double)>());
      fn();
    }
    out.timings_s[step] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    done += share;
    if (progress && done < 0.999) progress(done);  // the last step reports 1 below
  };
  if (progress) progress(0.0);
  if (equipment.joined) {  // the same households and hamlets: the join and the weights carry over
    hc.weight = equipment.joined->households.weight;
    hc.hamlet = equipment.joined->households.hamlet;
    out.overlaps = equipment.joined->overlaps;
  } else {
    hc.weight = target_weights(inputs.households, scenario.target);
    timed("join", 0.3, [&] { hc.hamlet = join_households(inputs.households, inputs.hamlets, &out.overlaps); });
    check_outside_share(scenario, inputs, hc.hamlet);  // layers that miss each other stop the run here
  }
  // Listening conditions: a field per other air (temperature, humidity) or receiver height, built
  // once; ambient, SNR and facade loss only re-score what the household hears.
  const auto& ac = scenario.acoustics;
  std::vector<std::unique_ptr<SpeakerField>> condition_fields;
  std::vector<ConditionScoring> conditions;
  for (const auto& c : ac.conditions) {
    const AcousticsParams a = ac.under(c);
    auto same_air = [&](const AcousticsParams& o) {
      return o.temperature_c == a.temperature_c && o.humidity_pct == a.humidity_pct &&
             o.receiver_height_m == a.receiver_height_m;
    };
    const SpeakerField* f = &equipment.field;
    double field_facade_db = ac.facade_loss_db;
    if (!same_air(ac)) {
      f = nullptr;
      for (std::size_t k = 0; k < conditions.size(); ++k)
        if (same_air(ac.under(ac.conditions[k])) && conditions[k].field != &equipment.field) {
          f = conditions[k].field;
          field_facade_db = ac.under(ac.conditions[k]).facade_loss_db;
          break;
        }
      if (!f) {
        Scenario sc = scenario;
        sc.acoustics = a;
        condition_fields.push_back(std::make_unique<SpeakerField>(sc, equipment.speakers));
        f = condition_fields.back().get();
        field_facade_db = a.facade_loss_db;
      }
    }
    conditions.push_back({f, ReachRule(listening_of(a)), ReachRule::energy(field_facade_db - a.facade_loss_db)});
  }
  timed("speakers", 0.4,
        [&] { speaker_reach(scenario, inputs.households, equipment.speakers, equipment.field, conditions, out); });
  hc.condition_share.clear();
  hc.condition_name.clear();
  for (std::size_t k = 0; k < conditions.size(); ++k) {
    hc.condition_share.push_back(ac.condition_share(k));
    hc.condition_name.push_back(ac.conditions[k].name);
  }
  timed("teams", 0.2, [&] { detail::team_reach(inputs.households, equipment.teams, scenario.optimize.objective, out); });
  timed("gaps", 0.1, [&] {
    hc.reached.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) hc.reached[i] = (hc.reached_speaker[i] || hc.reached_team[i]) ? 1 : 0;
    hc.reached_in.assign(conditions.size(), std::vector<std::uint8_t>(n, 0));
    if (!conditions.empty()) hc.reached_share = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
    for (std::size_t k = 0; k < conditions.size(); ++k) {
      const double share = ac.condition_share(k);
      for (std::size_t i = 0; i < n; ++i) {
        hc.reached_in[k][i] = (hc.reached_speaker_in[k][i] || hc.reached_team[i]) ? 1 : 0;
        if (hc.reached_in[k][i]) hc.reached_share[static_cast<Eigen::Index>(i)] += share;
      }
    }
    aggregate_gaps(inputs, out);
  });
  if (progress) progress(1.0);
  return out;
}

std::vector<std::uint8_t> detail::speakers_reach(const Scenario& scenario, const Households& households,
                                                const Speakers& speakers, const SpeakerField& field,
                                                const std::vector<std::int32_t>& which,
                                                const std::function<bool(std::size_t, std::size_t)>& hears) {
  std::vector<std::uint8_t> out(which.size(), 0);
  if (speakers.size() == 0 || field.radius_model() || field.max_cutoff_m() <= 0) return out;
  const detail::PointGrid grid(speakers.x_m, speakers.y_m, std::max(50.0, field.max_cutoff_m() / 2.0));
  const auto chosen = static_cast<std::size_t>(scenario.acoustics.multi_cluster);
  parallel_for(
      which.size(),
      [&](std::size_t b, std::size_t e, unsigned) {
        Ear ear(grid, field.clusters());
        for (std::size_t k = b; k < e; ++k) {
          const auto i = static_cast<Eigen::Index>(which[k]);
          const Heard h = ear.hear(field, households.x_m[i], households.y_m[i],
                                   [&](std::uint32_t horn) { return hears(k, horn); });
          out[k] = decide(h, field.rule(), 1.0)[chosen] ? 1 : 0;
        }
      },
      256);
  return out;
}

}  // namespace infogap
