#pragma once
// Linear models solved by CBC (MIP) or Clp (LP) through their C interfaces; RAII owners.

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <coin/Coin_C_defines.h>

namespace infogap::detail {

/// A linear model built column by column (CSC). Rows must be added before columns use them.
struct LinearModel {
  std::vector<CoinBigIndex> start;  // first entry of each column
  std::vector<int> index;
  std::vector<double> value;
  std::vector<double> col_lb, col_ub, obj;
  std::vector<char> integer;
  std::vector<double> row_lb, row_ub;
  bool maximise = true;

  int n_cols() const { return static_cast<int>(col_lb.size()); }
  int n_rows() const { return static_cast<int>(row_lb.size()); }
  /// Adds a row lb ≤ a·x ≤ ub and returns its index.
  int add_row(double lb, double ub);
  /// Starts a new column; its entries follow with add_entry. Returns its index.
  int add_col(double lb, double ub, double objective, bool is_integer);
  /// Adds coefficient `v` in row `row` to the last column.
  void add_entry(int row, double v);
};

/// Outcome of a MIP solve.
struct MipOutcome {
  bool has_solution = false;  ///< an integer-feasible solution exists (x filled)
  bool optimal = false;       ///< proven optimal
  bool infeasible = false;    ///< proven infeasible
  bool stopped = false;       ///< stopped on the time limit
  double objective = 0.0;     ///< objective of x, in the model's sense
  double bound = 0.0;         ///< best possible objective, in the model's sense
  std::vector<double> x;      ///< column values
};

/// Solves with CBC, warm-started by `initial` (a full feasible column vector) when not empty.
/// (Cbc_setMIPStartI of CBC 2.10.8 fails inside Cbc_solve with "ClpModel::getColumnName,
/// Illegal index" unless preprocessing is off, so the start is given as a full solution.)
/// `progress`, when set, is called on this thread every half second of the solve with the share of
/// time_limit_s spent (CBC itself reports nothing).
/// @throws Error(solver) if CBC abandons the solve
MipOutcome solve_mip(const LinearModel& m, double time_limit_s, const std::vector<double>& initial,
                     const std::function<void(double)>& progress = {});

/// Outcome of an LP solve.
struct LpOutcome {
  bool optimal = false;
  bool infeasible = false;
  double objective = 0.0;
  std::vector<double> x;
};

/// Solves the LP relaxation with Clp (integrality ignored).
LpOutcome solve_lp(const LinearModel& m, double time_limit_s);

}  // namespace infogap::detail
