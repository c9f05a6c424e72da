// The one team rule (DESIGN §4): the order a team serves households in (serves_before, by the
// gain in the objective's terms: objective_share), and team reach with capacity, the served set
// optimal for that order (team_reach).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "coverage/coverage_run.hpp"
#include "infogap/coverage.hpp"
#include "infogap/parallel.hpp"
#include "spatial/point_grid.hpp"

namespace infogap {
namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();

}  // namespace

double objective_share(const std::vector<std::uint8_t>& flag, const std::vector<std::vector<std::uint8_t>>& in,
                       const std::vector<double>& shares, PlacementObjective objective, std::size_t i) {
  if (in.empty()) return flag[i] != 0 ? 1.0 : 0.0;
  if (objective == PlacementObjective::worst_case) {
    for (const auto& k : in)
      if (k[i] == 0) return 0.0;
    return 1.0;
  }
  double share = 0.0;
  for (std::size_t k = 0; k < in.size(); ++k) share += in[k][i] != 0 ? shares[k] : 0.0;
  return share;
}

bool serves_before(const TeamClaim& a, const TeamClaim& b) noexcept {
  if (a.gain != b.gain) return a.gain > b.gain;
  if (a.weight != b.weight) return a.weight > b.weight;
  if (a.distance_m != b.distance_m) return a.distance_m < b.distance_m;
  if (a.household != b.household) return a.household < b.household;
  return a.team < b.team;
}

/// Team reach and capacity (DESIGN §4, the one team rule). Households served by teams form a
/// transversal matroid (a team of capacity c is c slots; a household's weight does not depend on
/// the team serving it), so taking households in serves_before order and admitting each one that
/// can still be matched — straight to its nearest team with room, else through a breadth-first
/// augmenting path that moves served households to other teams in their reach — serves the set
/// that is optimal for every weight consistent with that order: the most weight no loudspeaker
/// reaches first (with listening conditions: the most gain, the weight no loudspeaker reaches in
/// the objective's terms — so no assignment reaches more in those terms), then the most weight. A
/// search that fails closes every team it visited: those
/// teams are full and every household they serve reaches only them, so no later path can pass
/// through them and they are skipped for the rest of the run. Sequential, fixed visiting orders:
/// the result does not depend on the thread count.
void detail::team_reach(const Households& hh, const Teams& tm, PlacementObjective objective, CoverageResult& out) {
  auto& hc = out.households;
  const std::size_t n = hh.size();
  hc.team.assign(n, -1);
  hc.team_distance_m = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), k_inf);
  hc.in_team_range.assign(n, 0);
  hc.reached_team.assign(n, 0);
  out.teams.assign(tm.size(), TeamLoad{});
  if (tm.size() == 0 || n == 0) return;
  double max_reach = 0;
  std::vector<std::int64_t> capacity(tm.size());
  for (std::size_t t = 0; t < tm.size(); ++t) {
    const auto e = static_cast<Eigen::Index>(t);
    max_reach = std::max(max_reach, tm.reach_m[e]);
    const double cap = std::floor(std::max(0.0, tm.members[e]) * std::max(0.0, tm.households_per_member[e]));
    capacity[t] = out.teams[t].capacity = static_cast<std::int64_t>(cap);
  }
  const detail::PointGrid grid(tm.x_m, tm.y_m, std::max(100.0, max_reach));

  // Distance to the nearest team, and every (target household, team) pair within reach.
  struct Pair {
    std::int32_t household, team;
    double distance_m;
  };
  const unsigned workers = thread_count();
  std::vector<std::vector<Pair>> pairs_of(workers + 1);
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned worker) {
        auto& pairs = pairs_of[worker];
        for (std::size_t i = b; i < e; ++i) {
          const auto ei = static_cast<Eigen::Index>(i);
          double d = k_inf;
          grid.nearest(hh.x_m[ei], hh.y_m[ei], &d);
          hc.team_distance_m[ei] = d;
          const bool target = hc.weight[ei] > 0;
          grid.for_each_within(hh.x_m[ei], hh.y_m[ei], max_reach, [&](std::uint32_t t, double d2) {
            const double r = tm.reach_m[static_cast<Eigen::Index>(t)];
            if (d2 > r * r) return;
            hc.in_team_range[i] = 1;
            if (target) pairs.push_back({static_cast<std::int32_t>(i), static_cast<std::int32_t>(t), std::sqrt(d2)});
          });
        }
      },
      4096);
  std::vector<Pair> pairs;
  for (auto& p : pairs_of) {
    pairs.insert(pairs.end(), p.begin(), p.end());
    std::vector<Pair>().swap(p);
  }
  // Each household's teams, nearest first (ties: team index): a total order, whatever the threads.
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    if (a.household != b.household) return a.household < b.household;
    if (a.distance_m != b.distance_m) return a.distance_m < b.distance_m;
    return a.team < b.team;
  });
  // Candidates: target households within some team's reach, keyed by the team rule with the
  // distance to their nearest team (TeamClaim at household level); adjacency in CSR.
  std::vector<TeamClaim> claim;
  std::vector<std::size_t> first{0};
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const Pair& p = pairs[k];
    if (k > 0 && pairs[k - 1].household == p.household) continue;
    if (k > 0) first.push_back(k);
    const double w = hc.weight[static_cast<Eigen::Index>(p.household)];
    claim.push_back({w * unheard_share_of(hc, objective, static_cast<std::size_t>(p.household)), w, p.distance_m,
                     p.household, p.team});
  }
  first.push_back(pairs.size());
  const std::size_t nc = claim.size();
  std::vector<std::int32_t> order(nc);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    return serves_before(claim[static_cast<std::size_t>(a)], claim[static_cast<std::size_t>(b)]);
  });

  // Matching state: per candidate its team and place in the team's list; per team its served
  // candidates, whether it is closed, and the search that last visited it (with how it was entered).
  const std::size_t nt = tm.size();
  std::vector<std::int32_t> team_of(nc, -1), slot(nc, -1);
  std::vector<std::vector<std::int32_t>> served(nt);
  std::vector<std::uint8_t> closed(nt, 0);
  std::vector<std::int32_t> seen(nt, -1), from_team(nt, -1), mover(nt, -1), queue;
  auto has_room = [&](std::size_t t) { return static_cast<std::int64_t>(served[t].size()) < capacity[t]; };
  auto join = [&](std::int32_t c, std::int32_t t) {
    auto& list = served[static_cast<std::size_t>(t)];
    team_of[static_cast<std::size_t>(c)] = t;
    slot[static_cast<std::size_t>(c)] = static_cast<std::int32_t>(list.size());
    list.push_back(c);
  };
  auto leave = [&](std::int32_t c) {
    auto& list = served[static_cast<std::size_t>(team_of[static_cast<std::size_t>(c)])];
    const auto s = static_cast<std::size_t>(slot[static_cast<std::size_t>(c)]);
    list[s] = list.back();
    slot[static_cast<std::size_t>(list[s])] = static_cast<std::int32_t>(s);
    list.pop_back();
    team_of[static_cast<std::size_t>(c)] = -1;
  };
  for (std::size_t step = 0; step < nc; ++step) {
    const std::int32_t c = order[step];
    const auto cu = static_cast<std::size_t>(c);
    // A free choice: the nearest team with room.
    std::int32_t direct = -1;
    for (std::size_t k = first[cu]; k < first[cu + 1] && direct < 0; ++k) {
      const auto t = static_cast<std::size_t>(pairs[k].team);
      if (!closed[t] && has_room(t)) direct = pairs[k].team;
    }
    if (direct >= 0) {
      join(c, direct);
      continue;
    }
    // Breadth-first search for a team with room, each step moving one served household on.
    const auto search = static_cast<std::int32_t>(step);
    queue.clear();
    auto visit = [&](std::int32_t t, std::int32_t via_team, std::int32_t via) {
      const auto tu = static_cast<std::size_t>(t);
      if (closed[tu] || seen[tu] == search) return false;
      seen[tu] = search;
      from_team[tu] = via_team;
      mover[tu] = via;
      queue.push_back(t);
      return has_room(tu);
    };
    std::int32_t found = -1;
    for (std::size_t k = first[cu]; k < first[cu + 1] && found < 0; ++k)
      if (visit(pairs[k].team, -1, c)) found = pairs[k].team;
    for (std::size_t head = 0; head < queue.size() && found < 0; ++head) {
      const std::int32_t t = queue[head];
      for (const std::int32_t j : served[static_cast<std::size_t>(t)]) {
        const auto ju = static_cast<std::size_t>(j);
        for (std::size_t k = first[ju]; k < first[ju + 1] && found < 0; ++k)
          if (visit(pairs[k].team, t, j)) found = pairs[k].team;
        if (found >= 0) break;
      }
    }
    if (found < 0) {
      for (const std::int32_t t : queue) closed[static_cast<std::size_t>(t)] = 1;
      continue;
    }
    // Shift along the path: each mover goes one team on, the new household takes the first.
    for (std::int32_t t = found; t >= 0;) {
      const auto tu = static_cast<std::size_t>(t);
      const std::int32_t j = mover[tu], prev = from_team[tu];
      if (prev >= 0) leave(j);
      join(j, t);
      t = prev;
    }
  }
  for (std::size_t k = 0; k < pairs.size(); ++k) ++out.teams[static_cast<std::size_t>(pairs[k].team)].in_range_target;
  for (std::size_t cu = 0; cu < nc; ++cu) {
    const std::int32_t t = team_of[cu];
    const auto i = static_cast<std::size_t>(claim[cu].household);
    if (t >= 0) {
      hc.team[i] = t;
      hc.reached_team[i] = 1;
      ++out.teams[static_cast<std::size_t>(t)].assigned;
    } else {
      for (std::size_t k = first[cu]; k < first[cu + 1]; ++k)
        ++out.teams[static_cast<std::size_t>(pairs[k].team)].unserved_in_range;
    }
  }
}

}  // namespace infogap
