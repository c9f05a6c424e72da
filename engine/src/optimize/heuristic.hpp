#pragma once
// Lazy greedy (CELF) + 1-swap local search on the compact instance; deterministic.

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "optimize/instance.hpp"

namespace infogap::detail {

/// Incremental coverage of a set of sites. Unlimited sites reach their rows fully; a capacitated
/// site fills its capacity neediest-first (weight per household desc, then row index) over the
/// households not yet reached when it is added, and keeps that assignment until removed. The
/// existing columns are added first; when an unlimited site reaches households they serve, the
/// place freed goes to their next neediest households (in gain and add; a removal does not give
/// them back). A held row counts as reached by one unlimited site until a chosen column harms it
/// (its loss is not refilled by the existing columns: the heuristic's view is the pessimistic one).
/// Rows a capacitated site serves together (Instance::set_of) are filled one by one, each taking
/// its own households: an optimistic guide for the search; what is reported comes from row_shares.
class CoverState {
 public:
  /// Flows (row, share) a capacitated site serves.
  using Served = std::vector<std::pair<std::int32_t, double>>;

  explicit CoverState(const Instance& in);

  double value() const { return m_value; }            ///< Σ w · share
  double households() const { return m_households; }  ///< Σ h · share
  bool chosen(std::int32_t c) const { return m_chosen[static_cast<std::size_t>(c)] != 0; }
  /// Newly reached weight per flat group.
  const std::vector<double>& group_weight() const { return m_group; }
  /// Σ_g max(0, req_g − reached_g).
  double total_deficit() const;

  /// Weight c would add.
  double gain(std::int32_t c) const;
  /// Adds to `delta` (size = groups) the weight c would add per group; lists touched groups once.
  void gain_groups(std::int32_t c, std::vector<double>& delta, std::vector<std::int32_t>& touched) const;
  /// Reduction of total_deficit() that adding c would bring.
  double deficit_reduction(std::int32_t c) const;
  /// Weight lost if c is removed.
  double loss(std::int32_t c) const;

  void add(std::int32_t c);
  /// Removes c; a capacitated site's flows go to `saved`.
  void remove(std::int32_t c, Served& saved);
  /// Puts back a site removed just before, with its former flows.
  void restore(std::int32_t c, const Served& saved);

  /// Starts maintaining gain() of every unlimited site incrementally (O(1) lookups).
  void track_gains();
  /// gain(c) for an unlimited site once track_gains() was called (without the existing columns'
  /// refill).
  double tracked_gain(std::int32_t c) const {
    const auto cu = static_cast<std::size_t>(c);
    return m_gain[cu] - (m_in->any_held ? harm_loss(cu) : 0.0) -
           (m_in->any_spoil ? void_resid(cu) + spoil_loss(cu) : 0.0);
  }

 private:
  double resid(std::size_t r) const;
  /// Weight unlimited site c reaches itself (without the existing columns' refill).
  double own_gain(std::size_t c) const;
  void set_row(std::size_t r, std::int32_t cnt, double tf);
  /// Weight lost by the held rows c harms that nothing else reaches once their existing reach goes.
  double harm_loss(std::size_t c) const;
  /// A reach of row r that a counter (harms, spoilers) switches off while above 0: the row's count
  /// follows the counter's crossing of 0.
  void switch_reach(std::size_t r, std::int32_t before, std::int32_t after);
  /// Counts c's harm in (+1) or out (−1) of the held rows it harms.
  void apply_harm(std::size_t c, std::int32_t delta);
  /// Whether entry e (a spoilable entry) is spoiled by a chosen column.
  bool is_void(std::size_t e) const { return m_void[e] > 0; }
  /// Calls fn(r) for each row column c reaches with an entry no chosen column spoils.
  template <class Fn>
  void for_own_rows(std::size_t c, Fn&& fn) const;
  /// Σ resid over the rows of c whose entry a chosen column spoils.
  double void_resid(std::size_t c) const;
  /// Weight lost by the rows whose only reaching entries c would spoil.
  double spoil_loss(std::size_t c) const;
  /// Whether c reaches row r with an entry no chosen column spoils.
  bool reaches_unspoiled(std::size_t c, std::size_t r) const;
  /// Counts c's spoiling in (+1) or out (−1) of the entries it spoils.
  void apply_spoil(std::size_t c, std::int32_t delta);

  /// Calls take(row, share) for the capacity an unlimited site c frees in the existing capacitated
  /// columns (the share they serve of its rows) and fill(row, team, share) for their neediest-first
  /// refill of it; `covered` marks c's rows (scratch, reset on return).
  template <class Take, class Fill>
  void refill(std::size_t c, Take&& take, Fill&& fill) const;

  const Instance* m_in;
  std::vector<std::vector<std::pair<std::int32_t, double>>> m_fixed;  // per row: (existing column, share)
  bool m_any_fixed = false;  // some existing capacitated column
  mutable std::vector<double> m_freed;    // per column (scratch)
  mutable std::vector<double> m_extra;    // per row (scratch)
  mutable std::vector<char> m_covered;    // per row (scratch)
  std::vector<std::int32_t> m_cnt;    // chosen unlimited sites reaching the row (+1: a held row unharmed)
  std::vector<std::int32_t> m_harms;  // per held row: chosen columns harming it
  std::vector<std::int32_t> m_void;   // per spoilable entry: chosen columns spoiling it
  std::vector<double> m_tf;         // share served by capacitated sites
  std::vector<char> m_chosen;
  std::vector<Served> m_served;  // per column (capacitated, chosen)
  std::vector<double> m_group;
  std::vector<double> m_gain;  // tracked gains of unlimited sites
  bool m_tracking = false;
  double m_value = 0, m_households = 0;
  mutable std::vector<double> m_scratch;  // per group (gain_groups/deficit_reduction)
  mutable std::vector<std::int32_t> m_touched;
};

/// Resources used by a placement (counts per kind, cost).
struct Usage {
  std::array<int, 2> count{0, 0};
  double cost = 0;
};

/// Heuristic outcome.
struct HeuristicOutcome {
  std::vector<std::int32_t> chosen;  // in order of addition
  bool groups_met = true;
  bool demand_met = true;  // cover mode
};

/// Whether column c may be added to a placement using `u` under `mode` (eligibility only).
bool allowed(const Instance& in, const Mode& mode, const Usage& u, std::int32_t c);

/// Columns that can ever be used under the mode (kind with a positive count, cost within budget).
std::vector<char> eligible_columns(const Instance& in, const Mode& mode);

/// Greedy + (counts/budget) 1-swap local search, or greedy + redundancy removal (cover).
HeuristicOutcome run_heuristic(const Instance& in, const Mode& mode, const Deadline& deadline);

/// Local search (and filling of free slots or budget) from a given placement within the limits.
std::vector<std::int32_t> improve_placement(const Instance& in, const Mode& mode,
                                            const std::vector<std::int32_t>& start, const Deadline& deadline);

/// Greedy re-ordering of a chosen set: repeatedly the site of largest marginal gain (per cost
/// when `per_cost`), ties by lower column index. `progress` (may be empty) gets the share ranked.
std::vector<std::int32_t> rank_order(const Instance& in, const std::vector<std::int32_t>& chosen, bool per_cost,
                                     const std::function<void(double)>& progress = {});

}  // namespace infogap::detail
