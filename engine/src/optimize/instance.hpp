#pragma once
// Internal compact form of a CoverageProblem shared by the solvers of the optimize area.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <string>
#include <vector>

#include "infogap/optimize.hpp"

namespace infogap::detail {

inline constexpr double k_inf = std::numeric_limits<double>::infinity();

/// Wall-clock deadline.
class Deadline {
 public:
  explicit Deadline(double seconds) : m_start(std::chrono::steady_clock::now()), m_limit_s(seconds) {}
  /// Seconds since construction.
  double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count(); }
  /// Seconds left (≥ 0).
  double remaining() const {
    const double r = m_limit_s - elapsed();
    return r > 0 ? r : 0.0;
  }
  /// Whether the limit has passed.
  bool expired() const { return elapsed() >= m_limit_s; }

 private:
  std::chrono::steady_clock::time_point m_start;
  double m_limit_s;
};

/// Solved capacity assignments of linked sites, by what they were solved on (row_shares): the same
/// sites over the same open rows give the same flows, so evaluations that differ elsewhere reuse
/// them. Safe to share between threads.
class AssignmentCache {
 public:
  /// Flows (row, column, share) solved for `key`, or null.
  const std::vector<std::tuple<std::int32_t, std::int32_t, double>>* find(const std::vector<std::int64_t>& key) const;
  /// Keeps the flows of `key` (the first answer stays when two threads race).
  void put(std::vector<std::int64_t> key, std::vector<std::tuple<std::int32_t, std::int32_t, double>> flows);

 private:
  mutable std::mutex m_mutex;
  std::map<std::vector<std::int64_t>, std::vector<std::tuple<std::int32_t, std::int32_t, double>>> m_solved;
};

/// Rows × columns in CSC and CSR, plus row/column attributes, groups flattened to one list of
/// units (every (grouping, unit) pair is one "group" g with a requirement req_g).
struct Instance {
  std::int32_t n_rows = 0, n_cols = 0;
  std::vector<double> w, h, dens;      // per row: weight, households, weight per household
  std::vector<std::int64_t> col_ptr;   // CSC (size n_cols + 1)
  std::vector<std::int32_t> col_rows;  // rows of each column; a capacitated column's rows
                                       // are sorted by density desc, then row asc
  std::vector<std::int64_t> row_ptr;   // CSR (size n_rows + 1)
  std::vector<std::int32_t> row_cols;  // columns of each row, ascending
  std::vector<SiteKind> kind;
  std::vector<double> cost, cap;  // cap = +inf when unlimited
  std::vector<char> capped;       // finite capacity
  bool any_capped = false;
  // existing columns (CoverageProblem::existing): always built, never chosen
  std::vector<char> fixed;
  std::vector<std::int32_t> fixed_cols;
  double fixed_weight = 0, fixed_households = 0;  // what they reach alone (optimal assignment)
  // held rows (CoverageProblem::harm): reached by the existing sites until a chosen column harms them
  std::vector<char> held;                    // per row
  bool any_held = false;
  std::vector<std::int64_t> harm_ptr;        // per column (size n_cols + 1): the rows it harms …
  std::vector<std::int32_t> harm_rows;       // … ascending
  std::vector<std::int64_t> harmed_ptr;      // per row (size n_rows + 1): the columns harming it …
  std::vector<std::int32_t> harmed_cols;     // … ascending
  // spoiled entries (CoverageProblem::spoiled), one per distinct (row, col): entry e
  bool any_spoil = false;
  std::vector<std::int32_t> sp_row, sp_col;  // per entry
  std::vector<std::int64_t> sp_by_ptr;       // per entry (size + 1): the columns spoiling it …
  std::vector<std::int32_t> sp_by;
  std::vector<std::int64_t> sp_of_ptr;       // per column (n_cols + 1): the entries it spoils …
  std::vector<std::int32_t> sp_of;
  std::vector<std::int64_t> sp_at_ptr;       // per column (n_cols + 1): its own spoilable entries, by row …
  std::vector<std::int32_t> sp_at;
  /// Per entry: whether a column of `chosen` (a flag per column) spoils it.
  bool spoiled_by(std::size_t e, const std::vector<char>& chosen) const {
    for (auto k = sp_by_ptr[e]; k < sp_by_ptr[e + 1]; ++k)
      if (chosen[static_cast<std::size_t>(sp_by[static_cast<std::size_t>(k)])] != 0) return true;
    return false;
  }
  // sets of rows served whole by a capacitated site (CoverageProblem::together), numbered by their
  // first row; only when some set has more than one row
  bool any_together = false;
  std::vector<std::int32_t> set_of;   // per row: its set
  std::vector<std::int64_t> set_ptr;  // per set (size + 1): its rows …
  std::vector<std::int32_t> set_rows; // … ascending
  std::vector<double> set_h;          // per set: Σ h of its rows (what serving it takes)
  /// What a capacitated site serves row r in (a *unit*): its set, or the row itself.
  std::size_t unit_of(std::size_t r) const { return any_together ? static_cast<std::size_t>(set_of[r]) : r; }
  /// The households serving unit u takes.
  double unit_h(std::size_t u) const { return any_together ? set_h[u] : h[u]; }
  /// Calls fn(row) for each row of unit u.
  template <class Fn>
  void for_unit_rows(std::size_t u, Fn&& fn) const {
    if (!any_together) {
      fn(u);
      return;
    }
    for (auto k = set_ptr[u]; k < set_ptr[u + 1]; ++k) fn(static_cast<std::size_t>(set_rows[static_cast<std::size_t>(k)]));
  }
  std::shared_ptr<AssignmentCache> assignments = std::make_shared<AssignmentCache>();
  // groups
  std::int32_t n_levels = 0;            // number of groupings
  std::vector<std::int32_t> row_group;  // n_rows * n_levels: flat group index or -1
  // per flat group: Σ_{r∈g} w_r · share_r needed (share·total − base, base not counting the rows the
  // existing columns reach; those rows' shares count instead)
  std::vector<double> group_req;
  std::vector<double> group_base, group_total, group_share;  // base: outside the rows
  std::vector<double> group_fixed;                           // reached by the existing columns alone
  std::vector<std::int32_t> group_level, group_unit;
  std::vector<std::string> level_name;
  bool groups_active = false;  // some group_req > 0
  double base_weight = 0, total_weight = 0;

  std::int64_t nnz() const { return col_ptr.empty() ? 0 : col_ptr.back(); }
};

/// The sets of rows served together (CoverageProblem::together), numbered by their first row: per
/// row its set (returned), per set its rows (ptr, rows: CSR, ascending) and its households
/// (Σ `households` of its rows; empty → 1 each). @throws InvalidInput on a set out of [0, rows)
std::vector<std::int32_t> number_sets(const std::vector<std::int32_t>& together, const std::vector<double>& households,
                                      std::vector<std::int64_t>& ptr, std::vector<std::int32_t>& rows,
                                      std::vector<double>& set_h);

/// Checks sizes and values; throws InvalidInput naming the first problem.
void validate_problem(const CoverageProblem& p);

/// Builds the compact form (p must be valid). `assign_existing`: solve what the existing columns
/// reach alone (fixed_weight, group_fixed; needed by every evaluation, not by the row sets alone).
Instance make_instance(const CoverageProblem& p, bool assign_existing = true);

/// What the solvers must respect.
struct Mode {
  enum class Type : std::uint8_t { counts, budget, cover } type = Type::counts;
  std::array<int, 2> max_kind{0, 0};  // counts: per SiteKind
  double budget = 0;                  // budget
  double demand = 0;                  // cover: newly reached weight needed
  bool cover_cost = false;            // cover: minimise cost instead of count
};

/// Share of row `row` served by capacitated site `col`.
struct Flow {
  std::int32_t row = 0, col = 0;
  double share = 0.0;
};

/// Per-row covered share for a set of chosen columns and the existing ones (a held row no chosen
/// column harms counts as reached), with finite capacities
/// assigned by an optimal transportation LP (group minimums included when feasible and
/// `with_groups`); the LP's flows go to `flows` if given.
std::vector<double> row_shares(const Instance& in, const std::vector<std::int32_t>& chosen,
                               std::vector<Flow>* flows = nullptr, bool with_groups = true);

/// Σ w · share (the existing columns' part included).
double weight_of(const Instance& in, const std::vector<double>& share);

/// Whether group g needs more than the weight reached outside the rows and by the existing columns.
inline bool group_needs_more(const Instance& in, std::size_t g) {
  return in.group_share[g] > 0 && in.group_req[g] - in.group_fixed[g] > 1e-9 * std::max(1.0, in.group_total[g]);
}

}  // namespace infogap::detail
