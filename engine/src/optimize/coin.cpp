#include "optimize/coin.hpp"

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <future>
#include <mutex>
#include <string>

#include <coin/Cbc_C_Interface.h>
#include <coin/Clp_C_Interface.h>

#include "infogap/error.hpp"

namespace infogap::detail {
namespace {

struct CbcDeleter {
  void operator()(Cbc_Model* m) const noexcept { Cbc_deleteModel(m); }
};
using CbcPtr = std::unique_ptr<Cbc_Model, CbcDeleter>;

struct ClpDeleter {
  void operator()(Clp_Simplex* m) const noexcept { Clp_deleteModel(m); }
};
using ClpPtr = std::unique_ptr<Clp_Simplex, ClpDeleter>;

// Cbc_solve runs CbcMain1, whose command parser keeps global state (CbcOrClpRead_mode, ...):
// one solve at a time per process.
std::mutex& cbc_mutex() {
  static std::mutex m;
  return m;
}

// COIN treats |bound| ≥ 1e30 as infinite; std::numeric_limits infinity is accepted too but the
// documented value is COIN_DBL_MAX.
std::vector<double> finite_bounds(const std::vector<double>& v) {
  std::vector<double> out(v);
  for (double& b : out) {
    if (std::isinf(b)) b = b > 0 ? DBL_MAX : -DBL_MAX;
  }
  return out;
}

}  // namespace

int LinearModel::add_row(double lb, double ub) {
  row_lb.push_back(lb);
  row_ub.push_back(ub);
  return n_rows() - 1;
}

int LinearModel::add_col(double lb, double ub, double objective, bool is_integer) {
  start.push_back(static_cast<CoinBigIndex>(index.size()));
  col_lb.push_back(lb);
  col_ub.push_back(ub);
  obj.push_back(objective);
  integer.push_back(is_integer ? 1 : 0);
  return n_cols() - 1;
}

void LinearModel::add_entry(int row, double v) {
  index.push_back(row);
  value.push_back(v);
}

namespace {
// `start` holds n_cols entries while building; COIN wants n_cols + 1.
std::vector<CoinBigIndex> full_starts(const LinearModel& m) {
  std::vector<CoinBigIndex> s(m.start);
  s.push_back(static_cast<CoinBigIndex>(m.index.size()));
  return s;
}
}  // namespace

MipOutcome solve_mip(const LinearModel& m, double time_limit_s, const std::vector<double>& initial,
                     const std::function<void(double)>& progress) {
  CbcPtr model(Cbc_newModel());
  if (!model) throw Error(ErrorCode::solver, "CBC: cannot create a model");
  const auto starts = full_starts(m);
  const auto clb = finite_bounds(m.col_lb), cub = finite_bounds(m.col_ub);
  const auto rlb = finite_bounds(m.row_lb), rub = finite_bounds(m.row_ub);
  Cbc_loadProblem(model.get(), m.n_cols(), m.n_rows(), starts.data(), m.index.data(), m.value.data(), clb.data(),
                  cub.data(), m.obj.data(), rlb.data(), rub.data());
  for (int j = 0; j < m.n_cols(); ++j) {
    if (m.integer[static_cast<std::size_t>(j)] != 0) Cbc_setInteger(model.get(), j);
  }
  Cbc_setObjSense(model.get(), m.maximise ? -1.0 : 1.0);
  // INFOGAP_CBC_LOG set in the environment: CBC's own log on stdout (diagnosis of slow solves)
  Cbc_setLogLevel(model.get(), std::getenv("INFOGAP_CBC_LOG") != nullptr ? 1 : 0);
  Cbc_setMaximumSeconds(model.get(), time_limit_s > 0.01 ? time_limit_s : 0.01);
  if (static_cast<int>(initial.size()) == m.n_cols()) Cbc_setInitialSolution(model.get(), initial.data());
  {
    const std::lock_guard<std::mutex> lock(cbc_mutex());
    if (!progress) {
      Cbc_solve(model.get());
    } else {
      // CBC reports nothing while it searches (a national placement: minutes): the solve runs on a
      // thread of its own while this one reports the share of the time limit spent, which bounds
      // the solve, every half second.
      const auto t0 = std::chrono::steady_clock::now();
      auto solving = std::async(std::launch::async, [&model] { Cbc_solve(model.get()); });
      while (solving.wait_for(std::chrono::milliseconds(500)) != std::future_status::ready) {
        const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - t0;
        progress(std::min(1.0, spent.count() / time_limit_s));
      }
      solving.get();
    }
  }
  if (Cbc_isAbandoned(model.get()) != 0) {
    throw Error(ErrorCode::solver, "CBC abandoned the solve (numerical difficulties)");
  }
  MipOutcome out;
  out.optimal = Cbc_isProvenOptimal(model.get()) != 0;
  out.infeasible = Cbc_isProvenInfeasible(model.get()) != 0;
  out.stopped = Cbc_isSecondsLimitReached(model.get()) != 0;
  const double* best = Cbc_bestSolution(model.get());
  if (best != nullptr && !out.infeasible) {
    out.has_solution = true;
    out.x.assign(best, best + m.n_cols());
    out.objective = Cbc_getObjValue(model.get());
  }
  out.bound = Cbc_getBestPossibleObjValue(model.get());
  return out;
}

LpOutcome solve_lp(const LinearModel& m, double time_limit_s) {
  ClpPtr model(Clp_newModel());
  if (!model) throw Error(ErrorCode::solver, "Clp: cannot create a model");
  const auto starts = full_starts(m);
  const auto clb = finite_bounds(m.col_lb), cub = finite_bounds(m.col_ub);
  const auto rlb = finite_bounds(m.row_lb), rub = finite_bounds(m.row_ub);
  Clp_setLogLevel(model.get(), 0);
  Clp_loadProblem(model.get(), m.n_cols(), m.n_rows(), starts.data(), m.index.data(), m.value.data(), clb.data(),
                  cub.data(), m.obj.data(), rlb.data(), rub.data());
  Clp_setObjSense(model.get(), m.maximise ? -1.0 : 1.0);
  Clp_setMaximumSeconds(model.get(), time_limit_s > 0.01 ? time_limit_s : 0.01);
  Clp_initialSolve(model.get());
  LpOutcome out;
  out.optimal = Clp_isProvenOptimal(model.get()) != 0;
  out.infeasible = Clp_isProvenPrimalInfeasible(model.get()) != 0;
  out.objective = Clp_getObjValue(model.get());
  const double* x = Clp_getColSolution(model.get());
  if (x != nullptr) out.x.assign(x, x + m.n_cols());
  return out;
}

}  // namespace infogap::detail
