// Lazy greedy (CELF) + 1-swap local search for the placement problems; deterministic.

#include "optimize/heuristic.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <tuple>

namespace infogap::detail {
namespace {

std::size_t idx(std::int32_t i) {
  return static_cast<std::size_t>(i);
}
std::size_t idx(std::int64_t i) {
  return static_cast<std::size_t>(i);
}

// Share below which a residual counts as nothing.
constexpr double k_share_eps = 1e-12;

double weight_tol(const Instance& in) {
  return 1e-9 * std::max(1.0, in.total_weight);
}

}  // namespace

CoverState::CoverState(const Instance& in)
    : m_in(&in),
      m_cnt(idx(in.n_rows), 0),
      m_tf(idx(in.n_rows), 0.0),
      m_chosen(idx(in.n_cols), 0),
      m_served(idx(in.n_cols)),
      m_group(in.group_req.size(), 0.0),
      m_scratch(in.group_req.size(), 0.0) {
  if (in.any_spoil) m_void.assign(in.sp_row.size(), 0);
  if (in.any_held) {  // a held row is reached (by the existing sites) until a chosen column harms it
    m_harms.assign(idx(in.n_rows), 0);
    for (std::size_t r = 0; r < m_cnt.size(); ++r) m_cnt[r] = in.held[r];
  }
  // The existing columns are always there: what they reach is not a gain (the groups keep it, their
  // requirements count it).
  for (const auto c : in.fixed_cols) add(c);
  m_value = m_households = 0.0;
  for (const auto c : in.fixed_cols) {
    if (in.capped[idx(c)] == 0) continue;
    if (!m_any_fixed) m_fixed.resize(idx(in.n_rows));
    m_any_fixed = true;
    for (const auto& [r, f] : m_served[idx(c)]) m_fixed[idx(r)].emplace_back(c, f);
  }
  if (m_any_fixed) {
    m_freed.assign(idx(in.n_cols), 0.0);
    m_extra.assign(idx(in.n_rows), 0.0);
    m_covered.assign(idx(in.n_rows), 0);
  }
}

template <class Take, class Fill>
void CoverState::refill(std::size_t c, Take&& take, Fill&& fill) const {
  const Instance& in = *m_in;
  std::vector<std::int32_t> teams;
  for_own_rows(c, [&](std::size_t r) {
    m_covered[r] = 1;
    if (m_cnt[r] > 0) return;
    for (const auto& [t, f] : m_fixed[r]) {
      if (m_freed[idx(t)] == 0.0) teams.push_back(t);
      m_freed[idx(t)] += f * in.h[r];
      take(r, t, f);
    }
  });
  std::sort(teams.begin(), teams.end());
  std::vector<std::size_t> extra_rows;
  for (const auto t : teams) {
    const auto tu = idx(t);
    double remaining = m_freed[tu];
    for (auto k = in.col_ptr[tu]; k < in.col_ptr[tu + 1] && remaining > 1e-12; ++k) {
      const auto r = idx(in.col_rows[idx(k)]);
      if (in.dens[r] <= 0) break;  // rows are sorted by density desc
      if (m_cnt[r] > 0 || m_covered[r] != 0) continue;
      const double avail = 1.0 - std::min(1.0, m_tf[r] + m_extra[r]);
      if (avail <= k_share_eps) continue;
      const double take_h = std::min(avail * in.h[r], remaining);
      if (m_extra[r] == 0.0) extra_rows.push_back(r);
      m_extra[r] += take_h / in.h[r];
      remaining -= take_h;
      fill(r, t, take_h / in.h[r]);
    }
    m_freed[tu] = 0.0;
  }
  for (const auto r : extra_rows) m_extra[r] = 0.0;
  for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) m_covered[idx(in.col_rows[idx(k)])] = 0;
}

double CoverState::resid(std::size_t r) const {
  if (m_cnt[r] > 0 || m_in->w[r] <= 0) return 0.0;
  return m_in->w[r] * (1.0 - std::min(1.0, m_tf[r]));
}

void CoverState::set_row(std::size_t r, std::int32_t cnt, double tf) {
  const Instance& in = *m_in;
  const double old_resid = resid(r);
  const double old_share = m_cnt[r] > 0 ? 1.0 : std::min(1.0, m_tf[r]);
  m_cnt[r] = cnt;
  m_tf[r] = std::clamp(tf, 0.0, 1.0 + 1e-9);
  const double new_resid = resid(r);
  const double new_share = m_cnt[r] > 0 ? 1.0 : std::min(1.0, m_tf[r]);
  const double delta = old_resid - new_resid;
  m_value += delta;
  m_households += in.h[r] * (new_share - old_share);
  if (delta == 0.0) return;
  const auto levels = idx(in.n_levels);
  for (std::size_t l = 0; l < levels; ++l) {
    const auto g = in.row_group[r * levels + l];
    if (g >= 0) m_group[idx(g)] += delta;
  }
  if (m_tracking) {
    for (auto k = in.row_ptr[r]; k < in.row_ptr[r + 1]; ++k) {
      const auto d = idx(in.row_cols[idx(k)]);
      if (in.capped[d] == 0) m_gain[d] -= delta;
    }
  }
}

namespace {
// Calls fn(row, share taken) for the neediest-first fill of capacitated column c.
template <class Fn>
void fill(const Instance& in, const std::vector<std::int32_t>& cnt, const std::vector<double>& tf, std::size_t c,
          Fn&& fn) {
  double remaining = in.cap[c];
  const double stop = 1e-12 * std::max(1.0, in.cap[c]);
  for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) {
    const auto r = idx(in.col_rows[idx(k)]);
    if (in.dens[r] <= 0) break;  // rows are sorted by density desc
    if (cnt[r] > 0) continue;
    const double avail = 1.0 - std::min(1.0, tf[r]);
    if (avail <= k_share_eps) continue;
    const double take_h = std::min(avail * in.h[r], remaining);
    fn(r, take_h / in.h[r]);
    remaining -= take_h;
    if (remaining <= stop) break;
  }
}
}  // namespace

double CoverState::harm_loss(std::size_t c) const {
  const Instance& in = *m_in;
  double l = 0;
  for (auto k = in.harm_ptr[c]; k < in.harm_ptr[c + 1]; ++k) {
    const auto r = idx(in.harm_rows[idx(k)]);
    if (m_harms[r] == 0 && m_cnt[r] == 1 && in.w[r] > 0) l += in.w[r] * (1.0 - std::min(1.0, m_tf[r]));
  }
  return l;
}

void CoverState::switch_reach(std::size_t r, std::int32_t before, std::int32_t after) {
  if (before == 0 && after > 0) set_row(r, m_cnt[r] - 1, m_tf[r]);
  if (before > 0 && after == 0) set_row(r, m_cnt[r] + 1, m_tf[r]);
}

void CoverState::apply_harm(std::size_t c, std::int32_t delta) {
  const Instance& in = *m_in;
  if (!in.any_held) return;
  for (auto k = in.harm_ptr[c]; k < in.harm_ptr[c + 1]; ++k) {
    const auto r = idx(in.harm_rows[idx(k)]);
    const std::int32_t before = m_harms[r];
    m_harms[r] += delta;
    switch_reach(r, before, m_harms[r]);
  }
}

template <class Fn>
void CoverState::for_own_rows(std::size_t c, Fn&& fn) const {
  const Instance& in = *m_in;
  if (!in.any_spoil || in.sp_at_ptr[c] == in.sp_at_ptr[c + 1]) {
    for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) fn(idx(in.col_rows[idx(k)]));
    return;
  }
  // c's spoilable entries are by row, as its rows (an unlimited column's rows ascend)
  auto s = in.sp_at_ptr[c];
  for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) {
    const auto r = in.col_rows[idx(k)];
    while (s < in.sp_at_ptr[c + 1] && in.sp_row[idx(in.sp_at[idx(s)])] < r) ++s;
    if (s < in.sp_at_ptr[c + 1] && in.sp_row[idx(in.sp_at[idx(s)])] == r && is_void(idx(in.sp_at[idx(s)]))) continue;
    fn(idx(r));
  }
}

double CoverState::void_resid(std::size_t c) const {
  const Instance& in = *m_in;
  double v = 0;
  for (auto k = in.sp_at_ptr[c]; k < in.sp_at_ptr[c + 1]; ++k) {
    const auto e = idx(in.sp_at[idx(k)]);
    if (is_void(e)) v += resid(idx(in.sp_row[e]));
  }
  return v;
}

double CoverState::spoil_loss(std::size_t c) const {
  const Instance& in = *m_in;
  // per row: the reaching entries c would spoil; the row is lost when they are all it has and c
  // does not reach it itself
  std::vector<std::pair<std::size_t, std::int32_t>> lost;
  for (auto k = in.sp_of_ptr[c]; k < in.sp_of_ptr[c + 1]; ++k) {
    const auto e = idx(in.sp_of[idx(k)]);
    if (!is_void(e) && m_chosen[idx(in.sp_col[e])] != 0) lost.emplace_back(idx(in.sp_row[e]), 1);
  }
  if (lost.empty()) return 0.0;
  std::sort(lost.begin(), lost.end());
  double l = 0;
  for (std::size_t i = 0; i < lost.size();) {
    const std::size_t r = lost[i].first;
    std::int32_t n = 0;
    for (; i < lost.size() && lost[i].first == r; ++i) ++n;
    if (m_cnt[r] != n || !(in.w[r] > 0) || reaches_unspoiled(c, r)) continue;
    l += in.w[r] * (1.0 - std::min(1.0, m_tf[r]));
  }
  return l;
}

bool CoverState::reaches_unspoiled(std::size_t c, std::size_t r) const {
  const Instance& in = *m_in;
  const auto b = in.col_rows.begin() + in.col_ptr[c], e = in.col_rows.begin() + in.col_ptr[c + 1];
  if (!std::binary_search(b, e, static_cast<std::int32_t>(r))) return false;
  for (auto k = in.sp_at_ptr[c]; k < in.sp_at_ptr[c + 1]; ++k) {
    const auto s = idx(in.sp_at[idx(k)]);
    if (idx(in.sp_row[s]) == r) return !is_void(s);
  }
  return true;
}

void CoverState::apply_spoil(std::size_t c, std::int32_t delta) {
  const Instance& in = *m_in;
  if (!in.any_spoil) return;
  for (auto k = in.sp_of_ptr[c]; k < in.sp_of_ptr[c + 1]; ++k) {
    const auto e = idx(in.sp_of[idx(k)]);
    const std::int32_t before = m_void[e];
    m_void[e] += delta;
    if (m_chosen[idx(in.sp_col[e])] != 0) switch_reach(idx(in.sp_row[e]), before, m_void[e]);
  }
}

double CoverState::own_gain(std::size_t c) const {
  double g = 0;
  for_own_rows(c, [&](std::size_t r) { g += resid(r); });
  return g;
}

double CoverState::gain(std::int32_t c) const {
  const Instance& in = *m_in;
  const auto cu = idx(c);
  double g = 0;
  if (in.capped[cu] != 0) {
    fill(in, m_cnt, m_tf, cu, [&](std::size_t r, double s) { g += in.w[r] * s; });
  } else {
    g = own_gain(cu);
    if (m_any_fixed)
      refill(cu, [](std::size_t, std::int32_t, double) {}, [&](std::size_t r, std::int32_t, double s) { g += in.w[r] * s; });
    if (in.any_held) g -= harm_loss(cu);
    if (in.any_spoil) g -= spoil_loss(cu);
  }
  return g;
}

void CoverState::gain_groups(std::int32_t c, std::vector<double>& delta, std::vector<std::int32_t>& touched) const {
  const Instance& in = *m_in;
  const auto cu = idx(c);
  const auto levels = idx(in.n_levels);
  const auto put = [&](std::size_t r, double amount) {
    if (amount <= 0) return;
    for (std::size_t l = 0; l < levels; ++l) {
      const auto g = in.row_group[r * levels + l];
      if (g < 0) continue;
      if (delta[idx(g)] == 0.0) touched.push_back(g);
      delta[idx(g)] += amount;
    }
  };
  if (in.capped[cu] != 0) {
    fill(in, m_cnt, m_tf, cu, [&](std::size_t r, double s) { put(r, in.w[r] * s); });
  } else {
    for_own_rows(cu, [&](std::size_t r) { put(r, resid(r)); });
  }
}

double CoverState::total_deficit() const {
  double d = 0;
  for (std::size_t g = 0; g < m_group.size(); ++g) d += std::max(0.0, m_in->group_req[g] - m_group[g]);
  return d;
}

double CoverState::deficit_reduction(std::int32_t c) const {
  m_touched.clear();
  gain_groups(c, m_scratch, m_touched);
  double red = 0;
  for (const auto g : m_touched) {
    const auto gu = idx(g);
    red += std::min(std::max(0.0, m_in->group_req[gu] - m_group[gu]), m_scratch[gu]);
    m_scratch[gu] = 0.0;
  }
  return red;
}

double CoverState::loss(std::int32_t c) const {
  const Instance& in = *m_in;
  const auto cu = idx(c);
  double l = 0;
  if (in.capped[cu] != 0) {
    for (const auto& [r, f] : m_served[cu]) {
      const auto ru = idx(r);
      if (m_cnt[ru] > 0) continue;
      l += in.w[ru] * (std::min(1.0, m_tf[ru]) - std::min(1.0, std::max(0.0, m_tf[ru] - f)));
    }
  } else {
    for_own_rows(cu, [&](std::size_t r) {
      if (m_cnt[r] == 1 && in.w[r] > 0) l += in.w[r] * (1.0 - std::min(1.0, m_tf[r]));
    });
    if (in.any_spoil) {  // the entries only c spoils count again: their rows, once each
      std::vector<std::size_t> back;
      for (auto k = in.sp_of_ptr[cu]; k < in.sp_of_ptr[cu + 1]; ++k) {
        const auto e = idx(in.sp_of[idx(k)]);
        const auto r = idx(in.sp_row[e]);
        if (m_void[e] == 1 && m_chosen[idx(in.sp_col[e])] != 0 && m_cnt[r] == 0 && in.w[r] > 0) back.push_back(r);
      }
      std::sort(back.begin(), back.end());
      back.erase(std::unique(back.begin(), back.end()), back.end());
      for (const auto r : back) l -= in.w[r] * (1.0 - std::min(1.0, m_tf[r]));
    }
    if (in.any_held)  // the held rows only c harms get their existing reach back
      for (auto k = in.harm_ptr[cu]; k < in.harm_ptr[cu + 1]; ++k) {
        const auto r = idx(in.harm_rows[idx(k)]);
        if (m_harms[r] == 1 && m_cnt[r] == 0 && in.w[r] > 0) l -= in.w[r] * (1.0 - std::min(1.0, m_tf[r]));
      }
  }
  return l;
}

void CoverState::add(std::int32_t c) {
  const Instance& in = *m_in;
  const auto cu = idx(c);
  m_chosen[cu] = 1;
  if (in.capped[cu] != 0) {
    Served served;
    fill(in, m_cnt, m_tf, cu, [&](std::size_t r, double s) { served.emplace_back(static_cast<std::int32_t>(r), s); });
    for (const auto& [r, s] : served) set_row(idx(r), m_cnt[idx(r)], m_tf[idx(r)] + s);
    m_served[cu] = std::move(served);
  } else {
    // the places this site frees in the existing columns, and who takes them
    std::vector<std::pair<std::size_t, std::int32_t>> freed;
    std::vector<std::tuple<std::size_t, std::int32_t, double>> filled;
    if (m_any_fixed)
      refill(
          cu, [&](std::size_t r, std::int32_t t, double) { freed.emplace_back(r, t); },
          [&](std::size_t r, std::int32_t t, double sh) { filled.emplace_back(r, t, sh); });
    for_own_rows(cu, [&](std::size_t r) { set_row(r, m_cnt[r] + 1, m_tf[r]); });
    for (const auto& [r, t] : freed) {
      auto& list = m_fixed[r];
      const auto it = std::find_if(list.begin(), list.end(), [t = t](const auto& e) { return e.first == t; });
      set_row(r, m_cnt[r], m_tf[r] - it->second);
      list.erase(it);
    }
    for (const auto& [r, t, sh] : filled) {
      set_row(r, m_cnt[r], m_tf[r] + sh);
      m_fixed[r].emplace_back(t, sh);
    }
    apply_harm(cu, +1);
    apply_spoil(cu, +1);
  }
}

void CoverState::remove(std::int32_t c, Served& saved) {
  const Instance& in = *m_in;
  const auto cu = idx(c);
  m_chosen[cu] = 0;
  saved.clear();
  if (in.capped[cu] != 0) {
    saved = std::move(m_served[cu]);
    m_served[cu].clear();
    for (const auto& [r, f] : saved) set_row(idx(r), m_cnt[idx(r)], m_tf[idx(r)] - f);
  } else {
    for_own_rows(cu, [&](std::size_t r) { set_row(r, m_cnt[r] - 1, m_tf[r]); });
    apply_harm(cu, -1);
    apply_spoil(cu, -1);
  }
}

void CoverState::restore(std::int32_t c, const Served& saved) {
  const Instance& in = *m_in;
  const auto cu = idx(c);
  if (in.capped[cu] == 0) {
    add(c);
    return;
  }
  m_chosen[cu] = 1;
  for (const auto& [r, f] : saved) set_row(idx(r), m_cnt[idx(r)], m_tf[idx(r)] + f);
  m_served[cu] = saved;
}

void CoverState::track_gains() {
  const Instance& in = *m_in;
  m_gain.assign(idx(in.n_cols), 0.0);
  for (std::int32_t c = 0; c < in.n_cols; ++c)  // what it reaches itself (set_row keeps that up to date)
    if (in.capped[idx(c)] == 0)  // every row (tracked_gain takes the spoiled entries' off)
      for (auto k = in.col_ptr[idx(c)]; k < in.col_ptr[idx(c) + 1]; ++k) m_gain[idx(c)] += resid(idx(in.col_rows[idx(k)]));
  m_tracking = true;
}

std::vector<char> eligible_columns(const Instance& in, const Mode& mode) {
  std::vector<char> e(idx(in.n_cols), 0);
  for (std::size_t c = 0; c < e.size(); ++c) {
    if (in.col_ptr[c + 1] == in.col_ptr[c] || in.fixed[c] != 0) continue;  // reaches nothing, or built
    switch (mode.type) {
      case Mode::Type::counts:
        e[c] = mode.max_kind[static_cast<std::size_t>(in.kind[c])] > 0 ? 1 : 0;
        break;
      case Mode::Type::budget:
        e[c] = in.cost[c] <= mode.budget * (1 + 1e-12) ? 1 : 0;
        break;
      case Mode::Type::cover:
        e[c] = 1;
        break;
    }
  }
  return e;
}

bool allowed(const Instance& in, const Mode& mode, const Usage& u, std::int32_t c) {
  const auto cu = idx(c);
  if (in.col_ptr[cu + 1] == in.col_ptr[cu] || in.fixed[cu] != 0) return false;
  switch (mode.type) {
    case Mode::Type::counts: {
      const auto k = static_cast<std::size_t>(in.kind[cu]);
      return u.count[k] < mode.max_kind[k];
    }
    case Mode::Type::budget:
      return u.cost + in.cost[cu] <= mode.budget * (1 + 1e-12);
    case Mode::Type::cover:
      return true;
  }
  return false;
}

namespace {

void take(const Instance& in, Usage& u, std::int32_t c) {
  ++u.count[static_cast<std::size_t>(in.kind[idx(c)])];
  u.cost += in.cost[idx(c)];
}
void release(const Instance& in, Usage& u, std::int32_t c) {
  --u.count[static_cast<std::size_t>(in.kind[idx(c)])];
  u.cost -= in.cost[idx(c)];
}

enum class Key : std::uint8_t { gain, deficit };

struct Item {
  double key;
  std::int32_t col;
  std::int32_t stamp;
};
// priority_queue top = largest key, ties: lowest column
struct ItemOrder {
  bool operator()(const Item& a, const Item& b) const { return a.key != b.key ? a.key < b.key : a.col > b.col; }
};
using Heap = std::priority_queue<Item, std::vector<Item>, ItemOrder>;

double cost_floor(const Instance& in) {
  const double mx = in.cost.empty() ? 0.0 : *std::max_element(in.cost.begin(), in.cost.end());
  return 1e-9 * std::max(1.0, mx);
}

double key_of(const Instance& in, const CoverState& s, std::int32_t c, Key key, bool per_cost) {
  const double g = key == Key::gain ? s.gain(c) : s.deficit_reduction(c);
  return per_cost ? g / std::max(in.cost[idx(c)], cost_floor(in)) : g;
}

// CELF lazy greedy: adds the allowed column of largest key until `done()` or no positive key.
template <class Done>
void greedy(const Instance& in, const Mode& mode, CoverState& s, Usage& u, std::vector<std::int32_t>& chosen, Key key,
            bool per_cost, Done&& done) {
  if (done()) return;
  const double tol = key == Key::gain && !per_cost ? 1e-12 * std::max(1.0, in.total_weight) : 0.0;
  Heap heap;
  std::int32_t round = 0;
  for (std::int32_t c = 0; c < in.n_cols; ++c) {
    if (s.chosen(c) || !allowed(in, mode, u, c)) continue;
    const double k = key_of(in, s, c, key, per_cost);
    if (k > tol) heap.push({k, c, round});
  }
  while (!heap.empty() && !done()) {
    const Item top = heap.top();
    heap.pop();
    if (s.chosen(top.col) || !allowed(in, mode, u, top.col)) continue;  // resources only shrink
    if (top.stamp != round) {
      const double k = key_of(in, s, top.col, key, per_cost);
      if (k > tol) heap.push({k, top.col, round});
      continue;
    }
    s.add(top.col);
    take(in, u, top.col);
    chosen.push_back(top.col);
    ++round;
  }
}

// 1-swap local search: for each chosen site (in turn), the best replacement that raises the
// covered weight (and does not raise the group deficit) is applied; repeats until no swap helps
// or the deadline passes.
void local_search(const Instance& in, const Mode& mode, CoverState& s, Usage& u, std::vector<std::int32_t>& chosen,
                  const Deadline& deadline) {
  s.track_gains();
  const double eps = weight_tol(in);
  const double deficit_tol = 1e-9 * std::max(1.0, in.total_weight);
  std::vector<std::pair<double, std::int32_t>> cands;
  CoverState::Served saved;
  bool improved = true;
  while (improved && !deadline.expired()) {
    improved = false;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      if (deadline.expired()) break;
      const std::int32_t c = chosen[i];
      const double loss = s.loss(c);
      const double deficit_before = in.groups_active ? s.total_deficit() : 0.0;
      s.remove(c, saved);
      release(in, u, c);
      cands.clear();
      for (std::int32_t d = 0; d < in.n_cols; ++d) {
        if (d == c || s.chosen(d) || !allowed(in, mode, u, d)) continue;
        const double g = in.capped[idx(d)] != 0 ? s.gain(d) : s.tracked_gain(d);
        if (g > loss + eps) cands.emplace_back(g, d);
      }
      const auto better = [](const std::pair<double, std::int32_t>& a, const std::pair<double, std::int32_t>& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      };
      std::int32_t pick = -1;
      if (!cands.empty()) {
        if (!in.groups_active) {
          pick = std::min_element(cands.begin(), cands.end(), better)->second;
        } else {
          const auto n_try = std::min<std::size_t>(16, cands.size());
          std::partial_sort(cands.begin(), cands.begin() + static_cast<std::ptrdiff_t>(n_try), cands.end(), better);
          const double deficit_now = s.total_deficit();
          for (std::size_t k = 0; k < n_try && pick < 0; ++k) {
            const double after = deficit_now - s.deficit_reduction(cands[k].second);
            if (after <= deficit_before + deficit_tol) pick = cands[k].second;
          }
        }
      }
      if (pick >= 0) {
        s.add(pick);
        take(in, u, pick);
        chosen[i] = pick;
        improved = true;
      } else {
        s.restore(c, saved);
        take(in, u, c);
      }
    }
  }
}

// A capacitated site whose rows are all taken by other capacitated sites gains nothing in the
// greedy fill, yet can gain once the others are reassigned. With slots or budget left, such sites
// are scored by the optimal assignment (row_shares) and the best one is added, repeatedly.
void fill_with_reassignment(const Instance& in, const Mode& mode, CoverState& s, Usage& u,
                            std::vector<std::int32_t>& chosen, const Deadline& deadline) {
  const double tol = weight_tol(in);
  std::vector<char> served(idx(in.n_rows), 0);
  while (!deadline.expired()) {
    std::fill(served.begin(), served.end(), 0);
    bool any = false;
    std::vector<std::int32_t> capped_sites(in.fixed_cols);
    capped_sites.insert(capped_sites.end(), chosen.begin(), chosen.end());
    for (const auto c : capped_sites) {
      if (in.capped[idx(c)] == 0) continue;
      any = true;
      for (auto k = in.col_ptr[idx(c)]; k < in.col_ptr[idx(c) + 1]; ++k) served[idx(in.col_rows[idx(k)])] = 1;
    }
    if (!any) return;
    const double base = weight_of(in, row_shares(in, chosen));
    std::int32_t pick = -1;
    double pick_key = 0;
    std::vector<std::int32_t> trial(chosen);
    trial.push_back(-1);
    for (std::int32_t d = 0; d < in.n_cols && !deadline.expired(); ++d) {
      const auto du = idx(d);
      if (in.capped[du] == 0 || s.chosen(d) || !allowed(in, mode, u, d)) continue;
      bool overlap = false;
      for (auto k = in.col_ptr[du]; k < in.col_ptr[du + 1] && !overlap; ++k)
        overlap = served[idx(in.col_rows[idx(k)])] != 0;
      if (!overlap) continue;
      trial.back() = d;
      const double g = weight_of(in, row_shares(in, trial)) - base;
      if (g <= tol) continue;
      const double key = mode.type == Mode::Type::budget ? g / std::max(in.cost[du], cost_floor(in)) : g;
      if (key > pick_key) {
        pick_key = key;
        pick = d;
      }
    }
    if (pick < 0) return;
    s.add(pick);
    take(in, u, pick);
    chosen.push_back(pick);
  }
}

struct Run {
  CoverState state;
  Usage usage;
  std::vector<std::int32_t> chosen;
};

Run greedy_run(const Instance& in, const Mode& mode, bool per_cost) {
  Run run{CoverState(in), Usage{}, {}};
  const double dtol = 1e-9 * std::max(1.0, in.total_weight);
  if (in.groups_active) {
    greedy(in, mode, run.state, run.usage, run.chosen, Key::deficit, per_cost,
           [&] { return run.state.total_deficit() <= dtol; });
  }
  if (mode.type == Mode::Type::cover) {
    const double need = mode.demand - weight_tol(in);
    greedy(in, mode, run.state, run.usage, run.chosen, Key::gain, per_cost, [&] { return run.state.value() >= need; });
  } else {
    greedy(in, mode, run.state, run.usage, run.chosen, Key::gain, per_cost, [] { return false; });
  }
  return run;
}

}  // namespace

HeuristicOutcome run_heuristic(const Instance& in, const Mode& mode, const Deadline& deadline) {
  const double dtol = 1e-9 * std::max(1.0, in.total_weight);
  Run run =
      greedy_run(in, mode, mode.type == Mode::Type::budget || (mode.type == Mode::Type::cover && mode.cover_cost));
  if (mode.type == Mode::Type::budget) {
    // Khuller–Moss–Naor: the better of the per-cost greedy and the plain greedy.
    Run plain = greedy_run(in, mode, false);
    const double d_run = run.state.total_deficit(), d_plain = plain.state.total_deficit();
    if (d_plain < d_run - dtol || (d_plain <= d_run + dtol && plain.state.value() > run.state.value())) {
      run = std::move(plain);
    }
  }
  if (mode.type == Mode::Type::cover) {
    // drop sites no longer needed (most expensive first with the cost objective, else last added first)
    std::vector<std::int32_t> order(run.chosen.rbegin(), run.chosen.rend());
    if (mode.cover_cost) {
      std::stable_sort(order.begin(), order.end(),
                       [&](std::int32_t a, std::int32_t b) { return in.cost[idx(a)] > in.cost[idx(b)]; });
    }
    const double need = mode.demand - weight_tol(in);
    CoverState::Served saved;
    for (const auto c : order) {
      if (run.state.value() < need) break;
      const double deficit_before = run.state.total_deficit();
      run.state.remove(c, saved);
      if (run.state.value() >= need && run.state.total_deficit() <= deficit_before + dtol) {
        release(in, run.usage, c);
        run.chosen.erase(std::find(run.chosen.begin(), run.chosen.end(), c));
      } else {
        run.state.restore(c, saved);
      }
    }
  } else {
    local_search(in, mode, run.state, run.usage, run.chosen, deadline);
    // slots or budget freed by swaps
    greedy(in, mode, run.state, run.usage, run.chosen, Key::gain, mode.type == Mode::Type::budget,
           [] { return false; });
    if (in.any_capped) fill_with_reassignment(in, mode, run.state, run.usage, run.chosen, deadline);
  }
  HeuristicOutcome out;
  out.chosen = std::move(run.chosen);
  out.groups_met = run.state.total_deficit() <= dtol;
  out.demand_met = mode.type != Mode::Type::cover || run.state.value() >= mode.demand - weight_tol(in);
  return out;
}

std::vector<std::int32_t> improve_placement(const Instance& in, const Mode& mode,
                                            const std::vector<std::int32_t>& start, const Deadline& deadline) {
  CoverState state(in);
  Usage usage;
  std::vector<std::int32_t> chosen;
  for (const auto c : start) {
    if (state.chosen(c) || !allowed(in, mode, usage, c)) continue;
    state.add(c);
    take(in, usage, c);
    chosen.push_back(c);
  }
  local_search(in, mode, state, usage, chosen, deadline);
  greedy(in, mode, state, usage, chosen, Key::gain, mode.type == Mode::Type::budget, [] { return false; });
  if (in.any_capped) fill_with_reassignment(in, mode, state, usage, chosen, deadline);
  return chosen;
}

std::vector<std::int32_t> rank_order(const Instance& in, const std::vector<std::int32_t>& chosen, bool per_cost,
                                     const std::function<void(double)>& progress) {
  CoverState s(in);
  Heap heap;
  std::int32_t round = 0;
  for (const auto c : chosen) heap.push({key_of(in, s, c, Key::gain, per_cost), c, round});
  std::vector<std::int32_t> order;
  order.reserve(chosen.size());
  while (!heap.empty()) {
    const Item top = heap.top();
    heap.pop();
    if (top.stamp != round) {
      heap.push({key_of(in, s, top.col, Key::gain, per_cost), top.col, round});
      continue;
    }
    s.add(top.col);
    order.push_back(top.col);
    ++round;
    if (progress) progress(static_cast<double>(order.size()) / static_cast<double>(chosen.size()));
  }
  return order;
}

}  // namespace infogap::detail
