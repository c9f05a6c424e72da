#pragma once
// Bounds: Lagrangian relaxation of the row coverage constraints (subgradient), and the MIP/LP
// model shared by CBC and Clp.

#include <array>
#include <cstdint>
#include <vector>

#include "optimize/coin.hpp"
#include "optimize/instance.hpp"

namespace infogap::detail {

/// Resource limits of a maximal covering relaxation.
struct Limits {
  enum class Type : std::uint8_t { per_kind, total, budget } type = Type::per_kind;
  std::array<int, 2> per_kind{0, 0};  ///< per SiteKind
  int total = 0;                      ///< any kind
  double budget = 0;                  ///< Σ cost
};

/// Best integer placement met along the subgradient iterations (the sites x = 1 of each
/// subproblem), valued with neediest-first capacity fill: a Lagrangian heuristic.
struct Primal {
  std::vector<std::int32_t> chosen;
  double value = -1.0;
};

/// Upper bound on the weight any placement within `lim` (eligible columns only) can reach,
/// ignoring group minimums:
///   L(λ) = Σ_r max(0, w_r − λ_r) + max_{x within lim} Σ_c x_c s_c(λ),  0 ≤ λ_r ≤ w_r,
/// s_c = Σ_{r∈N(c)} λ_r, or for a capacitated site the fractional knapsack of λ_r over households
/// (a set of rows served together taken whole: Σ λ over its rows, its households).
/// Minimised by subgradient steps (Polyak, target `target`); returns the least L seen, stopping
/// early once L ≤ stop_at. Fills `primal` if given.
double lagrangian_bound(const Instance& in, const std::vector<char>& eligible, const Limits& lim, double target,
                        double stop_at, double max_seconds, Primal* primal = nullptr, int max_iterations = 3000);

/// The MIP of the file doc of optimize.hpp and where its variables are.
struct PlacementModel {
  LinearModel lp;          ///< columns 0..n_cols-1 are the sites x_c
  std::vector<int> z_col;  ///< per row: column of z_r, -1 if absent
  std::vector<int> y_col;  ///< per CSC entry of a capacitated site: column of y_rc (a set served
                           ///< together: its y_sc, one for all its entries), -1 if absent
  std::vector<int> u_col;  ///< per row: column of u_r (a held row harmed), -1 if absent
  std::vector<int> v_col;  ///< per spoilable entry: column of v_rc (its reach, unspoiled), -1 if absent
};

/// Builds the MIP. `with_groups` adds the group rows; `eligible` fixes the other sites to 0.
PlacementModel build_model(const Instance& in, const Mode& mode, const std::vector<char>& eligible, bool with_groups);

/// Full column vector of the MIP for a chosen set (z and y from the optimal assignment).
std::vector<double> model_solution(const Instance& in, const PlacementModel& pm,
                                   const std::vector<std::int32_t>& chosen);

/// Scale of the cost coefficients in build_model (largest eligible cost, or 1).
double cost_scale(const Instance& in, const std::vector<char>& eligible);

/// Size of build_model for the time estimate: its non-zeros, each capacity assignment counted 20×.
std::int64_t model_size(const Instance& in);

}  // namespace infogap::detail
