#pragma once
/// @file optimize.hpp  Placement of new loudspeakers and teams on a sparse coverage matrix
/// (DESIGN.md §4 "Optimizer"): maximal covering with per-kind counts (MCLP), budgeted joint
/// placement, fewest sites reaching a coverage target (LSCP / partial cover) and minimum coverage
/// per group unit; exact (CBC) or heuristic (lazy greedy + 1-swap local search), always with a
/// valid bound.
///
/// Pure math: the caller builds the coverage matrix (rows = target households or merged demand
/// units still unreached by existing sites, columns = candidate sites) and reads back column
/// indices.
///
/// **Existing coverage.** Rows already reached by existing sites are *not* in the problem: their
/// weight goes into CoverageProblem::base_weight (and GroupConstraint::base_weight per unit). A row
/// of weight 0 is allowed and never counts. The exception is existing sites with a finite capacity
/// whose households compete (teams with a waiting list): they are columns marked `existing`, always
/// built (x_c = 1, free, outside the limits), and their rows — the households they serve and those
/// they cannot — are in the problem, so a new site that takes over some of their households frees
/// capacity for the waiting list. Their weight served today is in base_weight too; the objective
/// counts only what is newly reached (Σ_r w_r z_r minus what the existing columns reach alone).
///
/// **Harm.** Building a site can also take away existing coverage (a new loudspeaker's echo makes
/// an existing one unintelligible). Such rows are *held*: `harm` has an entry (r, c) for each
/// site c that takes row r's existing reach away. A held row is reached by the existing sites
/// (its weight is in base_weight) while none of its harming sites is built; once one is, it
/// counts only if a built site covers it (z_r ≤ cover_r + 1 − u_r, u_r ≥ x_c for c harming r),
/// so a placement's newly reached weight may be negative.
///
/// **Spoiled reach.** A site's reach of a row can also hold only while some other site is not
/// built (a new loudspeaker heard only until another new pole's echo drowns it): `spoiled` lists
/// such entries of `cover` with the site spoiling each. In the model the entry's x_c becomes
/// v_rc ≤ x_c, v_rc ≤ 1 − x_b for each spoiler b. Rows with a spoiled entry are never merged.
///
/// **Served together.** A row can be part of a household the capacitated sites serve whole (under
/// listening conditions a row is a household under one condition): `together` gives each row its
/// set. A capacitated site serves a set by one flow y_sc for all its rows, which takes
/// h_s = Σ_{r∈s} h_r of its capacity and reaches every row of the set (the rows a loudspeaker
/// already reaches gain nothing from it): in the model y_rc = y_sc for each row r of set s. A
/// capacitated site reaches all the rows of a set or none.
///
/// **Model** (x_c ∈ {0,1} site c built; z_r ∈ [0,1] share of row r reached; N(r) the sites that
/// reach row r; U the sites with infinite capacity, T those with a finite capacity, usually teams):
/// ```
///   maximise  Σ_r w_r z_r                                          (MCLP, budget)
///   z_r ≤ Σ_{c∈N(r)∩U} x_c + Σ_{c∈N(r)∩T} y_rc                     (every row r)
///   0 ≤ y_rc ≤ x_c,   Σ_r h_r y_rc ≤ cap_c x_c                      (every c ∈ T)
///   Σ_{c speaker} x_c ≤ max_speakers,  Σ_{c team} x_c ≤ max_teams    (counts), or
///   Σ_c cost_c x_c ≤ budget                                         (budget)
///   base_g + Σ_{r∈g} w_r z_r ≥ min_share · total_g                  (every unit g of every group)
/// ```
/// Fewest sites (coverage_target = t): minimise Σ_c x_c (or Σ_c cost_c x_c) subject to the same
/// rows and Σ_r w_r z_r ≥ t · total_weight − base_weight (counts and budget are not used).
/// y_rc is the share of row r's h_r households served by capacitated site c; the assignment is
/// splittable, which for integer households and capacities loses nothing: for a fixed set of sites
/// it is a transportation problem whose optimal vertices are integral in households. Weight per
/// household w_r/h_r is what the assignment maximises, i.e. neediest-first with reassignment.
/// Reported objectives always use this optimal assignment (evaluate_placement); the heuristic
/// assigns capacity greedily neediest-first while searching. With sets served together the
/// evaluation, the LP, CBC and the Lagrangian bound serve sets whole; the heuristic's greedy fill
/// takes each row of a set on its own (h_r each: optimistic while searching, never reported).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <Eigen/SparseCore>

namespace infogap {

/// @defgroup optimize Placement optimizer
/// @{

/// Kind of a candidate site.
enum class SiteKind : std::uint8_t { speaker = 0, team = 1 };

/// Sparse 0/1 coverage matrix: entry (r, c) stored and non-zero ⇔ site c reaches row r.
using CoverMatrix = Eigen::SparseMatrix<double, Eigen::ColMajor, std::int32_t>;

/// One grouping of the rows (e.g. communes) with a minimum coverage share per unit.
struct GroupConstraint {
  std::string name;                ///< grouping name, e.g. "commune" (used in messages)
  std::vector<std::int32_t> unit;  ///< per row: unit index in [0, units), or -1 for none
  Eigen::VectorXd base_weight;     ///< per unit: target weight already reached by existing sites
  Eigen::VectorXd total_weight;    ///< per unit: total target weight (reached or not, in the problem or not)
  double min_share = 0.0;          ///< per unit: base + newly reached ≥ min_share · total (0 = off)
};

/// An entry (row, col) of CoverageProblem::cover that does not count while site `by` is built.
struct SpoiledEntry {
  std::int32_t row = 0, col = 0, by = 0;
  auto operator<=>(const SpoiledEntry&) const = default;
};

/// A placement problem on a coverage matrix. Optional vectors may be left empty.
struct CoverageProblem {
  Eigen::VectorXd weight;               ///< per row: target weight (≥ 0)
  Eigen::VectorXd households;           ///< per row: households the row stands for (> 0); empty → 1
  CoverMatrix cover;                    ///< rows × candidate sites
  std::vector<SiteKind> kind;           ///< per column
  std::vector<double> cost;             ///< per column, VND (≥ 0); empty → 0 (needed for a budget)
  std::vector<double> capacity;         ///< per column: households it can serve (> 0, +inf = no limit); empty → +inf
  std::vector<GroupConstraint> groups;  ///< minimum coverage per group unit (any number of groupings)
  /// per column: 1 = an existing site (see the file doc): always built, free, outside the limits
  /// and the budget, never among the chosen; empty → none
  std::vector<char> existing;
  /// rows × columns, or empty (no harm): entry (r, c) non-zero ⇔ building site c takes away the
  /// existing reach of row r (see the file doc); only sites of infinite capacity that are not
  /// existing may harm
  CoverMatrix harm;
  /// entries of `cover` spoiled by another site (see the file doc): col and by of infinite
  /// capacity, not existing, different; any order, duplicates allowed
  std::vector<SpoiledEntry> spoiled;
  /// per row: the set of rows a capacitated site serves whole (see the file doc), an index ≥ 0;
  /// empty → each row is a set of its own
  std::vector<std::int32_t> together;
  double base_weight = 0.0;             ///< target weight already reached by existing sites (those of
                                        ///< the `existing` columns included)
  double total_weight = 0.0;            ///< total target weight of the study area; ≤ 0 → base_weight + Σ weight
};

/// What to solve and how.
struct OptimizeOptions {
  /// Which algorithm runs.
  enum class Solver : std::uint8_t {
    automatic,  ///< heuristic first; CBC too when the instance is small enough for time_limit_s
    exact,      ///< CBC branch and bound (warm-started by the heuristic) up to time_limit_s; a model
                ///< far too large for the limit gets the heuristic (message says so)
    heuristic,  ///< lazy greedy + 1-swap local search, and local search from the Lagrangian
                ///< subproblem placements; Lagrangian (or LP) bound
  };
  /// Objective of the fewest-sites problem.
  enum class CoverObjective : std::uint8_t { sites, cost };

  int max_speakers = 20;                  ///< MCLP: new speakers at most (ignored with budget or coverage_target)
  int max_teams = 5;                      ///< MCLP: new teams at most (ignored with budget or coverage_target)
  std::optional<double> budget;           ///< budgeted joint placement: Σ cost ≤ budget (VND)
  std::optional<double> coverage_target;  ///< fewest sites reaching this share (0..1] of total_weight
  CoverObjective cover_objective = CoverObjective::sites;  ///< with coverage_target: count or cost
  Solver solver = Solver::automatic;                       ///< algorithm
  double time_limit_s = 60.0;  ///< wall time for the whole call, s (soft: checked between steps)
  /// Called (on the calling thread) with the share of the call done, 0..1, after each step
  /// (heuristic, bound, local search, LP, CBC); may be empty.
  std::function<void(double)> progress{};
};

/// A group unit whose minimum coverage share is not met by the returned placement.
struct UnmetGroup {
  std::string group;       ///< GroupConstraint::name
  std::int32_t unit = -1;  ///< unit index
  double share = 0.0;      ///< (base + newly reached) / total after placement
  double required = 0.0;   ///< min_share
  double reachable = 0.0;  ///< share with every eligible candidate built (limits, budget and capacities
                           ///< ignored): no placement reaches more
};

/// Result of optimize_placement. Chosen sites are listed in rank order: greedy order of marginal
/// gain over the chosen set (marginal gain per VND with a budget), so a planner can stop early.
struct OptimizeResult {
  std::vector<std::int32_t> chosen;         ///< column indices of the problem, rank order
  std::vector<double> marginal_weight;      ///< per chosen site: weight it adds to the sites ranked before it
  std::vector<double> marginal_households;  ///< per chosen site: households it adds likewise
  std::vector<double> cumulative_weight;    ///< per chosen site: weight reached by the sites up to it
  double objective = 0.0;       ///< MCLP/budget: target weight newly reached; fewest sites: number of sites (or cost)
  double bound = 0.0;           ///< valid bound on the optimum: upper (maximising) or lower (fewest sites)
  double gap = 0.0;             ///< |bound − objective| / max(|bound|, |objective|, 1e-12); 0 = proven optimal
  double reached_weight = 0.0;  ///< target weight newly reached (= Σ marginal_weight)
  double reached_households = 0.0;  ///< households newly reached (= Σ marginal_households)
  double cost = 0.0;                ///< Σ cost of the chosen sites, VND (0 when costs are not given)
  std::int32_t speakers = 0;        ///< chosen sites of kind speaker
  std::int32_t teams = 0;           ///< chosen sites of kind team
  /// "cbc", "greedy+swap", "lagrangian+swap" (local search from the best Lagrangian subproblem
  /// placement), "greedy" (fewest sites) or "none" (nothing to place)
  std::string solver;
  /// "optimal" (proven), "time_limit" (CBC stopped; best answer kept), "feasible" (heuristic, gap
  /// open), "infeasible" (proven: group minimums or coverage target out of reach; best effort
  /// placement given), "groups_unmet" / "target_unmet" (heuristic could not meet them, unproven)
  std::string status;
  std::string message;  ///< why, when infeasible/groups_unmet/target_unmet or CBC was skipped; else empty
  std::vector<UnmetGroup> unmet_groups;  ///< group units below their minimum share (best effort result)
  std::vector<UnmetGroup> group_units;   ///< every group unit with a minimum share, met or not (same figures)
  double reachable_weight = 0.0;         ///< target weight every eligible candidate together reaches (limits, budget
                                         ///< and capacities ignored): a ceiling on the weight newly reached
  std::int64_t rows = 0;                 ///< rows of the problem given
  std::int64_t merged_rows = 0;          ///< rows after merge_identical_rows (what the solvers saw)
  double seconds = 0.0;                  ///< wall time of the call, s
  /// Whether the placement meets the coverage target and every group minimum (status none of
  /// "infeasible", "groups_unmet", "target_unmet"). PlacementResult::met says the same of a run.
  bool met() const { return rules_met(status); }
  static bool rules_met(const std::string& status) {
    return status != "infeasible" && status != "groups_unmet" && status != "target_unmet";
  }
};

/// The gap between a bound and an objective: |bound − objective| / max(|bound|, |objective|, 1e-12),
/// 0 below 1e-7 (the numerical noise of sums of weights). OptimizeResult::gap.
double relative_gap(double bound, double objective);

/// Coverage produced by a set of chosen sites (capacities assigned optimally, see the file doc).
struct PlacementCoverage {
  Eigen::VectorXd row_share;                  ///< per row: share of the row reached, in [0, 1]
  double weight = 0.0;                        ///< Σ weight · row_share: target weight newly reached
  double households = 0.0;                    ///< Σ households · row_share
  std::vector<Eigen::VectorXd> group_weight;  ///< per grouping, per unit: base + newly reached weight
};

/// Covering sets of rows in compressed form: the columns of row r are cols[ptr[r]] …
/// cols[ptr[r + 1] − 1], ascending (ptr has rows + 1 entries).
struct RowSets {
  std::vector<std::int64_t> ptr{0};
  std::vector<std::int32_t> cols;
  /// Number of rows.
  std::size_t rows() const noexcept { return ptr.empty() ? 0 : ptr.size() - 1; }
};

/// The one rule by which demand rows (households) are merged: rows with the same covering set, the
/// same unit in every grouping and, when `by_density` (some site has a finite capacity), the same
/// weight per household become one row whose weight and households are the sums; rows of weight 0
/// are dropped. Merged rows are numbered by their first input row, so the result is the same
/// whatever the order rows were found in. The problem's size then follows the distinct coverage
/// patterns, not the households. Returns a problem with `cover` (rows × n_cols), weight,
/// households and the groups' `unit` per merged row (the groups' other fields copied); the caller
/// sets kind, cost, capacity, base_weight and total_weight.
/// @param households per row (> 0); empty → 1 each
/// @param groups per grouping, `unit` per input row (−1 = none)
/// @param row_map if not null, filled with the merged row of every input row (−1 if dropped)
/// @param harm if not null, the sites harming each input row (CoverageProblem::harm by row): rows
///        merge only when these are the same too, and the result's `harm` is set
/// @param alone if not null, per input row: 1 = never merged (a row with spoiled entries)
/// @param together if not null, per input row: its set of rows served whole
///        (CoverageProblem::together); then sets merge, not rows: two sets of the same number of
///        rows whose rows (in input order) are pairwise alike become one set, each row merged with
///        its counterpart, and the result's `together` is set. A dropped row's households go to the
///        first kept row of its set (a set takes them all).
CoverageProblem aggregate_rows(const RowSets& sets, std::int32_t n_cols, const Eigen::VectorXd& weight,
                               const Eigen::VectorXd& households, const std::vector<GroupConstraint>& groups,
                               bool by_density, std::vector<std::int32_t>* row_map = nullptr,
                               const RowSets* harm = nullptr, const std::vector<char>* alone = nullptr,
                               const std::vector<std::int32_t>* together = nullptr);

/// Rows with the same covering set and the same group units merged into one row whose weight and
/// households are the sums (rows of weight 0 are dropped). When some site has a finite capacity
/// the weight per household must match too, so the merged problem has the same optimum
/// (aggregate_rows is the rule).
/// @param row_map if not null, filled with the merged row of every input row (-1 if dropped)
/// @throws InvalidInput if the problem is malformed (see optimize_placement)
CoverageProblem merge_identical_rows(const CoverageProblem& p, std::vector<std::int32_t>* row_map = nullptr);

/// Solves the placement problem chosen by the options (see the file doc for the model). Rows are
/// merged first (merge_identical_rows). Group minimums that cannot be met give status
/// "infeasible" (proven: by CBC, or because all candidates together fall short) or "groups_unmet"
/// (heuristic could not meet them) and a best-effort placement that reduces the shortfall first.
/// A coverage target that all candidates together cannot reach gives status "infeasible" and
/// the placement of every useful candidate.
/// REQUIRES: sizes consistent; weights ≥ 0, households > 0, costs ≥ 0, capacities > 0.
/// @throws InvalidInput on a malformed problem or options (negative counts, budget with
///         coverage_target, a budget or cost objective without costs)
/// @throws Error(ErrorCode::solver) if CBC fails
/// Thread safety: reentrant; concurrent calls are safe (their CBC solves run one at a time: CBC's
/// driver keeps global state). The time limit is soft: checked between steps, and the final
/// evaluation and ranking run after it.
OptimizeResult optimize_placement(const CoverageProblem& p, const OptimizeOptions& o);

/// Coverage of a set of chosen sites, recomputed from the problem (finite capacities assigned by
/// an optimal transportation LP that also honours the group minimums when it can).
/// @throws InvalidInput on a malformed problem or a column index out of range
PlacementCoverage evaluate_placement(const CoverageProblem& p, const std::vector<std::int32_t>& chosen);

/// Target weight newly reached by the chosen sites (evaluate_placement(p, chosen).weight).
double covered_weight(const CoverageProblem& p, const std::vector<std::int32_t>& chosen);

/// @}

}  // namespace infogap
