// Lagrangian bound and the MIP/LP model of the placement problems.

#include "optimize/bound.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "infogap/parallel.hpp"

namespace infogap::detail {
namespace {

std::size_t idx(std::int32_t i) {
  return static_cast<std::size_t>(i);
}
std::size_t idx(std::int64_t i) {
  return static_cast<std::size_t>(i);
}

/// Largest number of (row, capacitated site) pairs that get a y_rc ≤ x_c row.
constexpr std::int64_t k_max_edge_rows = 200000;
constexpr int k_no_edge_row = -2;
/// An entry of a set served together whose y is that of the set's first entry in the column.
constexpr int k_same_set = -3;
/// Weight of a (row, capacitated site) pair in model_size.
constexpr std::int64_t k_assignment_weight = 20;

}  // namespace

double lagrangian_bound(const Instance& in, const std::vector<char>& eligible, const Limits& lim, double target,
                        double stop_at, double max_seconds, Primal* primal, int max_iterations) {
  const Deadline deadline(max_seconds);
  const auto nr = idx(in.n_rows), nc = idx(in.n_cols);
  // L bounds the weight of the placement with the existing columns: the newly reached weight is
  // that minus what they reach alone.
  target += in.fixed_weight;
  stop_at += in.fixed_weight;
  // active rows: positive weight and reached by an eligible or existing column
  std::vector<char> active(nr, 0);
  std::vector<std::int32_t> cols;    // the eligible columns (the choice)
  std::vector<std::int32_t> scored;  // and the existing ones (always built)
  for (std::size_t c = 0; c < nc; ++c) {
    if (eligible[c] == 0 && in.fixed[c] == 0) continue;
    (in.fixed[c] != 0 ? scored : cols).push_back(static_cast<std::int32_t>(c));
    for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) {
      const auto r = idx(in.col_rows[idx(k)]);
      if (in.w[r] > 0) active[r] = 1;
    }
  }
  const auto fixed = static_cast<std::ptrdiff_t>(scored.size());
  scored.insert(scored.end(), cols.begin(), cols.end());
  // A held row is relaxed to reached whatever is built (z_r ≤ cover_r + 1): a constant of L, and
  // no column scores for it (λ_r = 0).
  double held_weight = 0;
  std::vector<double> lambda(in.w);  // λ = w: scores are the standalone weights
  for (std::size_t r = 0; r < nr && in.any_held; ++r) {
    if (in.held[r] == 0) continue;
    held_weight += in.w[r];
    active[r] = 0;
    lambda[r] = 0.0;
  }
  std::vector<std::int32_t> rows;
  for (std::size_t r = 0; r < nr; ++r) {
    if (active[r] != 0) rows.push_back(static_cast<std::int32_t>(r));
  }
  if (rows.empty()) return held_weight - in.fixed_weight;

  std::vector<double> score(nc, 0.0), x(nc, 0.0), grad(nr, 0.0);
  std::vector<std::pair<double, std::int32_t>> tmp;
  std::vector<std::vector<std::pair<double, std::int32_t>>> buffers(std::max(1u, thread_count()));
  std::vector<std::int32_t> sel;

  // fractional knapsack of λ over a capacitated column; calls fn(row, y) for the rows it takes.
  // What it takes is a row, or a set of rows served together whole (its λ summed, its
  // households: the set model's own subproblem). Only the best ⌈cap / min h⌉ + 1 by λ/h can be
  // taken: nth_element, then sort those.
  const bool sets = in.any_together;
  const auto unit_h = [&](std::int32_t u) { return in.unit_h(idx(u)); };
  const auto unit_of = [&](std::int32_t r) { return static_cast<std::int32_t>(in.unit_of(idx(r))); };
  std::vector<double> min_h(nc, k_inf);
  for (const auto c : scored) {
    const auto cu = idx(c);
    if (in.capped[cu] == 0) continue;
    for (auto k = in.col_ptr[cu]; k < in.col_ptr[cu + 1]; ++k)
      min_h[cu] = std::min(min_h[cu], unit_h(unit_of(in.col_rows[idx(k)])));
  }
  const auto by_ratio = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  const auto knap = [&](std::size_t c, std::vector<std::pair<double, std::int32_t>>& buf, auto&& fn) {
    buf.clear();
    for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) {
      const auto r = in.col_rows[idx(k)];
      if (lambda[idx(r)] > 0) buf.emplace_back(lambda[idx(r)], unit_of(r));
    }
    if (sets) {  // λ summed per set (a column reaches all of a set's rows)
      std::sort(buf.begin(), buf.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
      std::size_t n = 0;
      for (std::size_t i = 0; i < buf.size(); ++n) {
        double l = 0;
        const std::int32_t u = buf[i].second;
        for (; i < buf.size() && buf[i].second == u; ++i) l += buf[i].first;
        buf[n] = {l, u};
      }
      buf.resize(n);
    }
    for (auto& [l, u] : buf) l /= unit_h(u);
    const double need = std::ceil(in.cap[c] / min_h[c]) + 1;
    if (need < static_cast<double>(buf.size())) {
      const auto top = static_cast<std::ptrdiff_t>(need);
      std::nth_element(buf.begin(), buf.begin() + top, buf.end(), by_ratio);
      buf.resize(static_cast<std::size_t>(top));
    }
    std::sort(buf.begin(), buf.end(), by_ratio);
    double remaining = in.cap[c], s = 0;
    for (const auto& [ratio, u] : buf) {
      if (remaining <= 0) break;
      const double take = std::min(unit_h(u), remaining);
      const double y = take / unit_h(u);
      if (!sets) {
        s += lambda[idx(u)] * y;
        fn(idx(u), y);
      } else {
        s += ratio * take;
        in.for_unit_rows(idx(u), [&](std::size_t r) { fn(r, y); });
      }
      remaining -= take;
    }
    return s;
  };
  const auto none = [](std::size_t, double) {};

  // value of the integer part of a subproblem solution (unlimited sites first, then capacitated
  // ones filling neediest-first what is left)
  std::vector<std::int32_t> stamp(nr, 0), taken_stamp(nr, 0);
  std::vector<double> taken(nr, 0.0);
  std::int32_t round = 0;
  std::vector<std::int32_t> integral;
  const auto primal_value = [&](const std::vector<std::int32_t>& set) {
    ++round;
    double v = 0;
    for (const auto c : set) {
      const auto cu = idx(c);
      if (in.capped[cu] != 0) continue;
      for (auto k = in.col_ptr[cu]; k < in.col_ptr[cu + 1]; ++k) {
        const auto r = idx(in.col_rows[idx(k)]);
        if (stamp[r] != round) {
          stamp[r] = round;
          v += in.w[r];
        }
      }
    }
    for (const auto c : set) {
      const auto cu = idx(c);
      if (in.capped[cu] == 0) continue;
      double remaining = in.cap[cu];
      for (auto k = in.col_ptr[cu]; k < in.col_ptr[cu + 1] && remaining > 0; ++k) {
        const auto r = idx(in.col_rows[idx(k)]);
        if (stamp[r] == round || in.w[r] <= 0) continue;
        if (taken_stamp[r] != round) {
          taken_stamp[r] = round;
          taken[r] = 0;
        }
        const double take_h = std::min((1.0 - taken[r]) * in.h[r], remaining);
        if (take_h <= 0) continue;
        taken[r] += take_h / in.h[r];
        remaining -= take_h;
        v += in.w[r] * take_h / in.h[r];
      }
    }
    return v;
  };

  double best = std::numeric_limits<double>::infinity();
  double alpha = 1.0;
  int no_improve = 0;
  for (int it = 0; it < max_iterations; ++it) {
    // z part
    double l_value = held_weight;
    for (const auto r : rows) l_value += std::max(0.0, in.w[idx(r)] - lambda[idx(r)]);
    // column scores (independent per column: the result does not depend on the thread count)
    parallel_for(
        scored.size(),
        [&](std::size_t b, std::size_t e, unsigned worker) {
          auto& buf = buffers[worker];
          for (std::size_t i = b; i < e; ++i) {
            const auto cu = idx(scored[i]);
            double s = 0;
            if (in.capped[cu] != 0) {
              s = knap(cu, buf, none);
            } else {
              for (auto k = in.col_ptr[cu]; k < in.col_ptr[cu + 1]; ++k) s += lambda[idx(in.col_rows[idx(k)])];
            }
            score[cu] = s;
            x[cu] = 0.0;
          }
        },
        64);
    // the existing columns, then the best x within the limits
    sel.assign(scored.begin(), scored.begin() + fixed);
    for (const auto c : sel) x[idx(c)] = 1.0;
    const auto top_k = [&](int kind, int k) {
      if (k <= 0) return;
      tmp.clear();
      for (const auto c : cols) {
        if (score[idx(c)] > 0 && (kind < 0 || static_cast<int>(in.kind[idx(c)]) == kind))
          tmp.emplace_back(score[idx(c)], c);
      }
      const auto n = std::min<std::size_t>(static_cast<std::size_t>(k), tmp.size());
      std::nth_element(tmp.begin(), tmp.begin() + static_cast<std::ptrdiff_t>(n > 0 ? n - 1 : 0), tmp.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      for (std::size_t i = 0; i < n; ++i) {
        x[idx(tmp[i].second)] = 1.0;
        sel.push_back(tmp[i].second);
      }
    };
    switch (lim.type) {
      case Limits::Type::per_kind:
        top_k(0, lim.per_kind[0]);
        top_k(1, lim.per_kind[1]);
        break;
      case Limits::Type::total:
        top_k(-1, lim.total);
        break;
      case Limits::Type::budget: {
        tmp.clear();
        for (const auto c : cols) {
          if (score[idx(c)] <= 0) continue;
          const double cost = in.cost[idx(c)];
          tmp.emplace_back(cost > 0 ? score[idx(c)] / cost : std::numeric_limits<double>::infinity(), c);
        }
        std::sort(tmp.begin(), tmp.end(), [](const auto& a, const auto& b) {
          return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        double left = lim.budget;
        for (const auto& [ratio, c] : tmp) {
          const double cost = in.cost[idx(c)];
          double v = 1.0;
          if (cost > 0) {
            if (left <= 0) break;
            v = std::min(1.0, left / cost);
            left -= v * cost;
          }
          x[idx(c)] = v;
          sel.push_back(c);
        }
        break;
      }
    }
    for (const auto c : sel) l_value += x[idx(c)] * score[idx(c)];
    if (primal != nullptr) {
      integral.clear();
      for (const auto c : sel) {
        if (x[idx(c)] >= 1.0) integral.push_back(c);
      }
      const double v = primal_value(integral);  // the existing columns first, as they are in sel
      if (v > primal->value) {
        primal->value = v;
        primal->chosen.assign(integral.begin() + fixed, integral.end());
      }
    }

    // an iteration counts as progress when it closes at least 0.1 % of the remaining gap
    const bool progress = !std::isfinite(best) ||
                          l_value < best - std::max(1e-3 * (best - target), 1e-12 * std::max(1.0, std::abs(l_value)));
    best = std::min(best, l_value);
    if (progress) {
      no_improve = 0;
    } else if (++no_improve >= 20) {
      alpha *= 0.5;
      no_improve = 0;
    }
    if (best <= stop_at || alpha < 1e-4 || deadline.expired()) break;

    // subgradient ∂L/∂λ_r = Σ_c x_c a_rc (or x_c y_rc) − z_r
    for (const auto r : rows) grad[idx(r)] = in.w[idx(r)] > lambda[idx(r)] ? -1.0 : 0.0;
    for (const auto c : sel) {
      const auto cu = idx(c);
      const double xc = x[cu];
      if (in.capped[cu] != 0) {
        knap(cu, tmp, [&](std::size_t r, double y) { grad[r] += xc * y; });
      } else {
        for (auto k = in.col_ptr[cu]; k < in.col_ptr[cu + 1]; ++k) {
          const auto r = idx(in.col_rows[idx(k)]);
          if (active[r] != 0) grad[r] += xc;
        }
      }
    }
    double norm2 = 0;
    for (const auto r : rows) norm2 += grad[idx(r)] * grad[idx(r)];
    if (norm2 <= 1e-18) break;  // λ is optimal
    const double step = alpha * std::max(l_value - target, 1e-9 * std::max(1.0, l_value)) / norm2;
    for (const auto r : rows) {
      auto& l = lambda[idx(r)];
      l = std::clamp(l - step * grad[idx(r)], 0.0, in.w[idx(r)]);
    }
  }
  return best - in.fixed_weight;
}

PlacementModel build_model(const Instance& in, const Mode& mode, const std::vector<char>& eligible, bool with_groups) {
  PlacementModel pm;
  LinearModel& m = pm.lp;
  pm.z_col.assign(idx(in.n_rows), -1);
  pm.y_col.assign(idx(in.nnz()), -1);
  const auto nr = idx(in.n_rows), nc = idx(in.n_cols);
  const bool cover = mode.type == Mode::Type::cover;
  m.maximise = !cover;
  const double scale = cost_scale(in, eligible);

  // the columns in the model: the eligible ones, and the existing ones (x = 1)
  std::vector<char> used(nc, 0);
  for (std::size_t c = 0; c < nc; ++c) used[c] = (eligible[c] != 0 || in.fixed[c] != 0) ? 1 : 0;
  std::vector<int> cov_row(nr, -1);
  // A held row: z_r − Σ cover + u_r ≤ 1, with u_r ≥ x_c for every column c in the model harming
  // it (one row x_c − u_r ≤ 0 per harm; u_r is 1 exactly when a harming column is built).
  pm.u_col.assign(nr, -1);
  std::vector<int> harm_row(in.harm_rows.size(), -1);  // per CSC harm entry
  for (std::size_t r = 0; r < nr && in.any_held; ++r)
    if (in.held[r] != 0 && in.w[r] > 0) cov_row[r] = m.add_row(-k_inf, 1.0);
  for (std::size_t c = 0; c < nc && in.any_held; ++c) {
    if (used[c] == 0) continue;
    for (auto k = in.harm_ptr[c]; k < in.harm_ptr[c + 1]; ++k)
      if (cov_row[idx(in.harm_rows[idx(k)])] >= 0) harm_row[idx(k)] = m.add_row(-k_inf, 0.0);
  }
  for (std::size_t c = 0; c < nc; ++c) {
    if (used[c] == 0) continue;
    for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) {
      const auto r = idx(in.col_rows[idx(k)]);
      if (in.w[r] > 0 && cov_row[r] < 0) cov_row[r] = m.add_row(-k_inf, 0.0);
    }
  }
  // A spoilable entry (r, c): its reach v_rc ≤ x_c (row va) and v_rc + x_b ≤ 1 per spoiler b (vb).
  const std::size_t n_sp = in.sp_row.size();
  pm.v_col.assign(n_sp, -1);
  std::vector<int> va_row(n_sp, -1), vb_row(in.sp_by.size(), -1);
  for (std::size_t e = 0; e < n_sp; ++e) {
    if (used[idx(in.sp_col[e])] == 0 || cov_row[idx(in.sp_row[e])] < 0) continue;
    va_row[e] = m.add_row(-k_inf, 0.0);
    for (auto k = in.sp_by_ptr[e]; k < in.sp_by_ptr[e + 1]; ++k)
      if (used[idx(in.sp_by[idx(k)])] != 0) vb_row[idx(k)] = m.add_row(-k_inf, 1.0);
  }
  std::array<int, 2> count_row{-1, -1};
  int budget_row = -1, demand_row = -1;
  if (mode.type == Mode::Type::counts) {
    for (std::size_t k = 0; k < 2; ++k) count_row[k] = m.add_row(-k_inf, mode.max_kind[k]);
  } else if (mode.type == Mode::Type::budget) {
    budget_row = m.add_row(-k_inf, mode.budget / scale);
  } else {
    demand_row = m.add_row(mode.demand + in.fixed_weight, k_inf);  // Σ w z counts the existing part
  }
  std::vector<int> group_row(in.group_req.size(), -1);
  if (with_groups) {
    for (std::size_t g = 0; g < in.group_req.size(); ++g) {
      if (group_needs_more(in, g)) group_row[g] = m.add_row(in.group_req[g], k_inf);
    }
  }
  // y_rc ≤ x_c only tightens the LP (Σ_r h_r y_rc ≤ cap_c x_c already forces y = 0 when x_c = 0);
  // it costs one row per (row, capacitated site) pair, so large instances go without it
  std::int64_t capped_nnz = 0;
  for (std::size_t c = 0; c < nc; ++c) {
    if (eligible[c] != 0 && in.capped[c] != 0) capped_nnz += in.col_ptr[c + 1] - in.col_ptr[c];
  }
  const bool edge_rows_on = capped_nnz <= k_max_edge_rows;  // (an existing column's x is 1: none)
  // sites x_c
  std::vector<int> cap_row(nc, -1);
  std::vector<std::int64_t> edge_row_start(nc, -1);
  std::vector<int> edge_rows;
  // sets served together: whether a row of the set is in the model (-1: not known yet), and the
  // column whose entries were last met (one y per set and capacitated column)
  std::vector<signed char> set_in_model(in.set_h.size(), -1);
  std::vector<std::int32_t> set_seen(in.set_h.size(), -1);
  const auto in_model = [&](std::size_t r) {
    if (!in.any_together) return cov_row[r] >= 0;
    const auto s = idx(in.set_of[r]);
    if (set_in_model[s] < 0) {
      set_in_model[s] = 0;
      for (auto j = in.set_ptr[s]; j < in.set_ptr[s + 1]; ++j)
        if (cov_row[idx(in.set_rows[idx(j)])] >= 0) set_in_model[s] = 1;
    }
    return set_in_model[s] != 0;
  };
  for (std::size_t c = 0; c < nc; ++c) {
    const bool ok = used[c] != 0, built = in.fixed[c] != 0;
    const double obj = cover && !built ? (mode.cover_cost ? in.cost[c] / scale : 1.0) : 0.0;
    m.add_col(built ? 1.0 : 0.0, ok ? 1.0 : 0.0, obj, true);
    if (!ok) continue;
    if (in.capped[c] != 0) {
      cap_row[c] = m.add_row(-k_inf, 0.0);
      m.add_entry(cap_row[c], -in.cap[c]);
      edge_row_start[c] = static_cast<std::int64_t>(edge_rows.size());
      for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) {
        const auto r = idx(in.col_rows[idx(k)]);
        if (!in_model(r)) {
          edge_rows.push_back(-1);
          continue;
        }
        if (in.any_together) {  // the set's first entry in the column stands for all of them
          const auto s = idx(in.set_of[r]);
          if (set_seen[s] == static_cast<std::int32_t>(c)) {
            edge_rows.push_back(k_same_set);
            continue;
          }
          set_seen[s] = static_cast<std::int32_t>(c);
        }
        if (!edge_rows_on || built) {
          edge_rows.push_back(k_no_edge_row);
          continue;
        }
        const int er = m.add_row(-k_inf, 0.0);  // y_rc − x_c ≤ 0
        edge_rows.push_back(er);
        m.add_entry(er, -1.0);
      }
    } else {
      auto s = in.any_spoil ? in.sp_at_ptr[c] : 0;  // its spoilable entries, by row: v_rc stands in
      for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) {
        const auto r = in.col_rows[idx(k)];
        if (in.any_spoil) {
          while (s < in.sp_at_ptr[c + 1] && in.sp_row[idx(in.sp_at[idx(s)])] < r) ++s;
          if (s < in.sp_at_ptr[c + 1] && in.sp_row[idx(in.sp_at[idx(s)])] == r) continue;
        }
        if (cov_row[idx(r)] >= 0) m.add_entry(cov_row[idx(r)], -1.0);
      }
      if (in.any_spoil) {
        for (auto k = in.sp_at_ptr[c]; k < in.sp_at_ptr[c + 1]; ++k)
          if (va_row[idx(in.sp_at[idx(k)])] >= 0) m.add_entry(va_row[idx(in.sp_at[idx(k)])], -1.0);
        for (auto k = in.sp_of_ptr[c]; k < in.sp_of_ptr[c + 1]; ++k) {
          const auto e = idx(in.sp_of[idx(k)]);
          for (auto j = in.sp_by_ptr[e]; j < in.sp_by_ptr[e + 1]; ++j)
            if (in.sp_by[idx(j)] == static_cast<std::int32_t>(c) && vb_row[idx(j)] >= 0) m.add_entry(vb_row[idx(j)], 1.0);
        }
      }
    }
    if (in.any_held)
      for (auto k = in.harm_ptr[c]; k < in.harm_ptr[c + 1]; ++k)
        if (harm_row[idx(k)] >= 0) m.add_entry(harm_row[idx(k)], 1.0);
    if (built) continue;
    if (count_row[0] >= 0) m.add_entry(count_row[static_cast<std::size_t>(in.kind[c])], 1.0);
    if (budget_row >= 0 && in.cost[c] > 0) m.add_entry(budget_row, in.cost[c] / scale);
  }
  // rows z_r
  const auto levels = idx(in.n_levels);
  for (std::size_t r = 0; r < nr; ++r) {
    if (cov_row[r] < 0) continue;
    pm.z_col[r] = m.add_col(0.0, 1.0, cover ? 0.0 : in.w[r], false);
    m.add_entry(cov_row[r], 1.0);
    if (demand_row >= 0) m.add_entry(demand_row, in.w[r]);
    for (std::size_t l = 0; l < levels; ++l) {
      const auto g = in.row_group[r * levels + l];
      if (g >= 0 && group_row[idx(g)] >= 0) m.add_entry(group_row[idx(g)], in.w[r]);
    }
  }
  // assignments y_rc (a set served together: one y_sc for its rows, taking its households)
  std::vector<int> set_var(in.set_h.size(), -1);
  for (std::size_t c = 0; c < nc; ++c) {
    if (used[c] == 0 || in.capped[c] == 0) continue;
    for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) {
      const auto r = idx(in.col_rows[idx(k)]);
      const int er = edge_rows[idx(edge_row_start[c] + (k - in.col_ptr[c]))];
      if (er == -1) continue;  // row not in the model
      if (!in.any_together) {
        pm.y_col[idx(k)] = m.add_col(0.0, 1.0, 0.0, false);
        m.add_entry(cov_row[r], -1.0);
        if (er >= 0) m.add_entry(er, 1.0);
        m.add_entry(cap_row[c], in.h[r]);
        continue;
      }
      const auto s = idx(in.set_of[r]);
      if (er == k_same_set) {  // (its first entry came before it)
        pm.y_col[idx(k)] = set_var[s];
        continue;
      }
      pm.y_col[idx(k)] = set_var[s] = m.add_col(0.0, 1.0, 0.0, false);
      for (auto j = in.set_ptr[s]; j < in.set_ptr[s + 1]; ++j)
        if (cov_row[idx(in.set_rows[idx(j)])] >= 0) m.add_entry(cov_row[idx(in.set_rows[idx(j)])], -1.0);
      if (er >= 0) m.add_entry(er, 1.0);
      m.add_entry(cap_row[c], in.set_h[s]);
    }
  }
  // unspoiled reach v_rc
  for (std::size_t e = 0; e < n_sp; ++e) {
    if (va_row[e] < 0) continue;
    pm.v_col[e] = m.add_col(0.0, 1.0, 0.0, false);
    m.add_entry(cov_row[idx(in.sp_row[e])], -1.0);
    m.add_entry(va_row[e], 1.0);
    for (auto k = in.sp_by_ptr[e]; k < in.sp_by_ptr[e + 1]; ++k)
      if (vb_row[idx(k)] >= 0) m.add_entry(vb_row[idx(k)], 1.0);
  }
  // harm indicators u_r
  if (in.any_held) {
    std::vector<std::vector<int>> rows_of(nr);  // harm rows per held row
    for (std::size_t c = 0; c < nc; ++c)
      for (auto k = in.harm_ptr[c]; k < in.harm_ptr[c + 1]; ++k)
        if (harm_row[idx(k)] >= 0) rows_of[idx(in.harm_rows[idx(k)])].push_back(harm_row[idx(k)]);
    for (std::size_t r = 0; r < nr; ++r) {
      if (rows_of[r].empty()) continue;
      pm.u_col[r] = m.add_col(0.0, 1.0, 0.0, false);
      m.add_entry(cov_row[r], 1.0);
      for (const int hr : rows_of[r]) m.add_entry(hr, -1.0);
    }
  }
  return pm;
}

std::vector<double> model_solution(const Instance& in, const PlacementModel& pm,
                                   const std::vector<std::int32_t>& chosen) {
  std::vector<double> x(static_cast<std::size_t>(pm.lp.n_cols()), 0.0);
  std::vector<Flow> flows;
  const auto share = row_shares(in, chosen, &flows);
  for (const auto c : chosen) {
    x[idx(c)] = 1.0;
    if (in.any_held)
      for (auto k = in.harm_ptr[idx(c)]; k < in.harm_ptr[idx(c) + 1]; ++k) {
        const int u = pm.u_col[idx(in.harm_rows[idx(k)])];
        if (u >= 0) x[idx(u)] = 1.0;
      }
  }
  for (const auto c : in.fixed_cols) x[idx(c)] = 1.0;
  if (in.any_spoil) {
    std::vector<char> is_chosen(idx(in.n_cols), 0);
    for (const auto c : chosen) is_chosen[idx(c)] = 1;
    for (std::size_t e = 0; e < pm.v_col.size(); ++e)
      if (pm.v_col[e] >= 0 && is_chosen[idx(in.sp_col[e])] != 0 && !in.spoiled_by(e, is_chosen))
        x[idx(pm.v_col[e])] = 1.0;
  }
  for (std::size_t r = 0; r < share.size(); ++r) {
    if (pm.z_col[r] >= 0) x[idx(pm.z_col[r])] = share[r];
  }
  std::vector<std::int64_t> pos(idx(in.n_rows), -1);
  std::int32_t col = -1;
  for (const auto& f : flows) {  // flows are grouped by column
    const auto c = idx(f.col);
    if (f.col != col) {
      if (col >= 0) {
        for (auto k = in.col_ptr[idx(col)]; k < in.col_ptr[idx(col) + 1]; ++k) pos[idx(in.col_rows[idx(k)])] = -1;
      }
      col = f.col;
      for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) pos[idx(in.col_rows[idx(k)])] = k;
    }
    const auto k = pos[idx(f.row)];
    if (k >= 0 && pm.y_col[idx(k)] >= 0) x[idx(pm.y_col[idx(k)])] = f.share;
  }
  return x;
}

double cost_scale(const Instance& in, const std::vector<char>& eligible) {
  double s = 0;
  for (std::size_t c = 0; c < eligible.size(); ++c) {
    if (eligible[c] != 0) s = std::max(s, in.cost[c]);
  }
  return s > 0 ? s : 1.0;
}

std::int64_t model_size(const Instance& in) {
  std::int64_t capped_nnz = 0;
  for (std::size_t c = 0; c < idx(in.n_cols); ++c) {
    if (in.capped[c] != 0) capped_nnz += in.col_ptr[c + 1] - in.col_ptr[c];
  }
  // an assignment variable y_rc costs CBC far more than a coverage entry (measured on capacitated
  // instances: its first LP solve alone takes ~20× longer per non-zero)
  return in.nnz() - capped_nnz + k_assignment_weight * capped_nnz +
         static_cast<std::int64_t>(in.n_rows) * (2 + in.n_levels);
}

}  // namespace infogap::detail
