// Validation, compact form and coverage evaluation of placement problems (the merging of rows:
// merge.cpp).

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

#include "infogap/error.hpp"
#include "infogap/optimize.hpp"
#include "optimize/coin.hpp"
#include "optimize/instance.hpp"

namespace infogap {
namespace detail {
namespace {

[[noreturn]] void bad(const std::string& what) {
  throw InvalidInput(ErrorCode::invalid_input, "placement problem: " + what);
}

bool finite_nonneg(double v) {
  return std::isfinite(v) && v >= 0;
}

}  // namespace

std::vector<std::int32_t> number_sets(const std::vector<std::int32_t>& together, const std::vector<double>& households,
                                      std::vector<std::int64_t>& ptr, std::vector<std::int32_t>& rows,
                                      std::vector<double>& set_h) {
  const std::size_t nr = together.size();
  std::vector<std::int32_t> number(nr, -1), of(nr);
  std::int32_t n = 0;
  for (std::size_t r = 0; r < nr; ++r) {
    const auto t = together[r];
    if (t < 0 || static_cast<std::size_t>(t) >= nr)
      throw InvalidInput(ErrorCode::invalid_input, "placement problem: together of row " + std::to_string(r) + " is " +
                                                       std::to_string(t) + ", not in [0, rows)");
    auto& k = number[static_cast<std::size_t>(t)];
    if (k < 0) k = n++;
    of[r] = k;
  }
  ptr.assign(static_cast<std::size_t>(n) + 1, 0);
  set_h.assign(static_cast<std::size_t>(n), 0.0);
  for (std::size_t r = 0; r < nr; ++r) {
    ++ptr[static_cast<std::size_t>(of[r]) + 1];
    set_h[static_cast<std::size_t>(of[r])] += households.empty() ? 1.0 : households[r];
  }
  for (std::size_t s = 0; s < static_cast<std::size_t>(n); ++s) ptr[s + 1] += ptr[s];
  rows.resize(nr);
  std::vector<std::int64_t> at(ptr.begin(), ptr.end() - 1);
  for (std::size_t r = 0; r < nr; ++r)
    rows[static_cast<std::size_t>(at[static_cast<std::size_t>(of[r])]++)] = static_cast<std::int32_t>(r);
  return of;
}

void validate_problem(const CoverageProblem& p) {
  const auto n_rows = static_cast<std::size_t>(p.cover.rows());
  const auto n_cols = static_cast<std::size_t>(p.cover.cols());
  if (static_cast<std::size_t>(p.weight.size()) != n_rows) {
    bad("weight has " + std::to_string(p.weight.size()) + " entries for " + std::to_string(n_rows) + " rows");
  }
  for (Eigen::Index r = 0; r < p.weight.size(); ++r) {
    if (!finite_nonneg(p.weight[r])) bad("weight of row " + std::to_string(r) + " is negative or not finite");
  }
  if (p.households.size() != 0) {
    if (static_cast<std::size_t>(p.households.size()) != n_rows) bad("households size differs from the rows");
    for (Eigen::Index r = 0; r < p.households.size(); ++r) {
      if (!(std::isfinite(p.households[r]) && p.households[r] > 0)) {
        bad("households of row " + std::to_string(r) + " must be > 0");
      }
    }
  }
  if (p.kind.size() != n_cols)
    bad("kind has " + std::to_string(p.kind.size()) + " entries for " + std::to_string(n_cols) + " columns");
  for (std::size_t c = 0; c < n_cols; ++c) {
    if (p.kind[c] != SiteKind::speaker && p.kind[c] != SiteKind::team)
      bad("unknown kind in column " + std::to_string(c));
  }
  if (!p.cost.empty()) {
    if (p.cost.size() != n_cols) bad("cost size differs from the columns");
    for (std::size_t c = 0; c < n_cols; ++c) {
      if (!finite_nonneg(p.cost[c])) bad("cost of column " + std::to_string(c) + " is negative or not finite");
    }
  }
  if (!p.capacity.empty()) {
    if (p.capacity.size() != n_cols) bad("capacity size differs from the columns");
    for (std::size_t c = 0; c < n_cols; ++c) {
      if (std::isnan(p.capacity[c]) || p.capacity[c] <= 0)
        bad("capacity of column " + std::to_string(c) + " must be > 0");
    }
  }
  if (!p.existing.empty() && p.existing.size() != n_cols) bad("existing size differs from the columns");
  if (p.harm.size() != 0) {
    if (static_cast<std::size_t>(p.harm.rows()) != n_rows || static_cast<std::size_t>(p.harm.cols()) != n_cols)
      bad("harm is " + std::to_string(p.harm.rows()) + " × " + std::to_string(p.harm.cols()) + ", the cover " +
          std::to_string(n_rows) + " × " + std::to_string(n_cols));
    for (Eigen::Index c = 0; c < p.harm.outerSize(); ++c) {
      bool any = false;
      for (CoverMatrix::InnerIterator it(p.harm, c); it; ++it) {
        if (!std::isfinite(it.value())) bad("harm has a non-finite entry in column " + std::to_string(c));
        any = any || it.value() != 0.0;
      }
      const auto cu = static_cast<std::size_t>(c);
      if (any && ((!p.existing.empty() && p.existing[cu] != 0) ||
                  (!p.capacity.empty() && std::isfinite(p.capacity[cu]))))
        bad("column " + std::to_string(c) + " harms rows but is existing or has a finite capacity");
      for (CoverMatrix::InnerIterator it(p.harm, c); it; ++it)
        if (it.value() != 0.0 && p.cover.coeff(it.row(), c) != 0.0)
          bad("column " + std::to_string(c) + " both reaches and harms row " + std::to_string(it.row()));
    }
  }
  for (Eigen::Index c = 0; c < p.cover.outerSize(); ++c) {
    for (CoverMatrix::InnerIterator it(p.cover, c); it; ++it) {
      if (!std::isfinite(it.value())) bad("cover has a non-finite entry in column " + std::to_string(c));
    }
  }
  for (const auto& g : p.groups) {
    const std::string name = "group '" + g.name + "': ";
    if (g.unit.size() != n_rows) bad(name + "unit size differs from the rows");
    if (g.base_weight.size() != g.total_weight.size()) bad(name + "base_weight and total_weight sizes differ");
    const auto units = static_cast<std::int32_t>(g.total_weight.size());
    for (std::size_t r = 0; r < n_rows; ++r) {
      if (g.unit[r] < -1 || g.unit[r] >= units) bad(name + "unit of row " + std::to_string(r) + " out of range");
    }
    for (Eigen::Index u = 0; u < g.total_weight.size(); ++u) {
      if (!finite_nonneg(g.base_weight[u]) || !finite_nonneg(g.total_weight[u])) {
        bad(name + "weights of unit " + std::to_string(u) + " are negative or not finite");
      }
    }
    if (!(g.min_share >= 0 && g.min_share <= 1)) bad(name + "min_share must be in [0, 1]");
  }
  for (const auto& s : p.spoiled) {
    const auto in_range = [&](std::int32_t c) { return c >= 0 && static_cast<std::size_t>(c) < n_cols; };
    if (s.row < 0 || static_cast<std::size_t>(s.row) >= n_rows || !in_range(s.col) || !in_range(s.by) || s.col == s.by)
      bad("spoiled entry (" + std::to_string(s.row) + ", " + std::to_string(s.col) + ", " + std::to_string(s.by) +
          ") out of range");
    for (const auto c : {s.col, s.by}) {
      const auto cu = static_cast<std::size_t>(c);
      if ((!p.existing.empty() && p.existing[cu] != 0) || (!p.capacity.empty() && std::isfinite(p.capacity[cu])))
        bad("spoiled entry in or by column " + std::to_string(c) + ", which is existing or has a finite capacity");
    }
    if (p.cover.coeff(s.row, s.col) == 0.0)
      bad("spoiled entry (" + std::to_string(s.row) + ", " + std::to_string(s.col) + ") is not in the cover");
  }
  if (!p.together.empty()) {
    if (p.together.size() != n_rows) bad("together has " + std::to_string(p.together.size()) + " entries for " +
                                          std::to_string(n_rows) + " rows");
    std::vector<std::int64_t> ptr;  // per set: its rows (number_sets throws on a set out of range)
    std::vector<std::int32_t> rows;
    std::vector<double> households;
    const std::vector<std::int32_t> set_of = number_sets(p.together, {}, ptr, rows, households);
    std::vector<std::int64_t> seen(households.size(), 0);  // per set: rows a column reaches
    std::vector<std::int32_t> touched;
    for (Eigen::Index c = 0; c < p.cover.outerSize(); ++c) {
      const auto cu = static_cast<std::size_t>(c);
      if (p.capacity.empty() || !std::isfinite(p.capacity[cu])) continue;
      touched.clear();
      for (CoverMatrix::InnerIterator it(p.cover, c); it; ++it) {
        if (it.value() == 0.0) continue;
        const auto s = static_cast<std::size_t>(set_of[static_cast<std::size_t>(it.row())]);
        if (seen[s]++ == 0) touched.push_back(static_cast<std::int32_t>(s));
      }
      for (const auto s : touched) {
        const auto su = static_cast<std::size_t>(s);
        if (seen[su] != ptr[su + 1] - ptr[su])
          bad("column " + std::to_string(c) + " has a finite capacity and reaches " + std::to_string(seen[su]) + " of the " +
              std::to_string(ptr[su + 1] - ptr[su]) + " rows of a set (together, first row " + std::to_string(rows[static_cast<std::size_t>(ptr[su])]) +
              "): all or none");
        seen[su] = 0;
      }
    }
  }
  if (!finite_nonneg(p.base_weight)) bad("base_weight is negative or not finite");
  if (!std::isfinite(p.total_weight)) bad("total_weight is not finite");
}

Instance make_instance(const CoverageProblem& p, bool assign_existing) {
  Instance in;
  in.n_rows = static_cast<std::int32_t>(p.cover.rows());
  in.n_cols = static_cast<std::int32_t>(p.cover.cols());
  const auto nr = static_cast<std::size_t>(in.n_rows), nc = static_cast<std::size_t>(in.n_cols);
  in.w.assign(p.weight.data(), p.weight.data() + p.weight.size());
  in.h = p.households.size() != 0 ? std::vector<double>(p.households.data(), p.households.data() + p.households.size())
                                  : std::vector<double>(nr, 1.0);
  in.dens.resize(nr);
  for (std::size_t r = 0; r < nr; ++r) in.dens[r] = in.w[r] / in.h[r];
  in.kind = p.kind;
  in.cost = p.cost.empty() ? std::vector<double>(nc, 0.0) : p.cost;
  in.cap = p.capacity.empty() ? std::vector<double>(nc, k_inf) : p.capacity;
  in.capped.resize(nc);
  in.fixed = p.existing.empty() ? std::vector<char>(nc, 0) : p.existing;
  for (std::size_t c = 0; c < nc; ++c) {
    in.capped[c] = std::isfinite(in.cap[c]) ? 1 : 0;
    in.any_capped = in.any_capped || in.capped[c] != 0;
    if (in.fixed[c] != 0) in.fixed_cols.push_back(static_cast<std::int32_t>(c));
  }
  // CSC without explicit zeros
  in.col_ptr.assign(nc + 1, 0);
  in.col_rows.reserve(static_cast<std::size_t>(p.cover.nonZeros()));
  std::vector<std::int64_t> row_count(nr, 0);
  for (std::size_t c = 0; c < nc; ++c) {
    for (CoverMatrix::InnerIterator it(p.cover, static_cast<Eigen::Index>(c)); it; ++it) {
      if (it.value() == 0.0) continue;
      const auto r = static_cast<std::int32_t>(it.row());
      in.col_rows.push_back(r);
      ++row_count[static_cast<std::size_t>(r)];
    }
    in.col_ptr[c + 1] = static_cast<std::int64_t>(in.col_rows.size());
    auto b = in.col_rows.begin() + in.col_ptr[c], e = in.col_rows.end();
    if (in.capped[c] != 0) {
      std::sort(b, e, [&](std::int32_t a, std::int32_t z) {
        const double da = in.dens[static_cast<std::size_t>(a)], dz = in.dens[static_cast<std::size_t>(z)];
        return da != dz ? da > dz : a < z;
      });
    } else {
      std::sort(b, e);
    }
  }
  // CSR
  in.row_ptr.assign(nr + 1, 0);
  for (std::size_t r = 0; r < nr; ++r) in.row_ptr[r + 1] = in.row_ptr[r] + row_count[r];
  in.row_cols.resize(in.col_rows.size());
  std::vector<std::int64_t> fill(in.row_ptr.begin(), in.row_ptr.end() - 1);
  for (std::size_t c = 0; c < nc; ++c) {
    for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k) {
      const auto r = static_cast<std::size_t>(in.col_rows[static_cast<std::size_t>(k)]);
      in.row_cols[static_cast<std::size_t>(fill[r]++)] = static_cast<std::int32_t>(c);
    }
  }
  // harm: CSC by column, CSR by row (explicit zeros dropped)
  in.held.assign(nr, 0);
  if (p.harm.size() != 0) {
    in.harm_ptr.assign(nc + 1, 0);
    in.harmed_ptr.assign(nr + 1, 0);
    for (std::size_t c = 0; c < nc; ++c) {
      for (CoverMatrix::InnerIterator it(p.harm, static_cast<Eigen::Index>(c)); it; ++it) {
        if (it.value() == 0.0) continue;
        in.harm_rows.push_back(static_cast<std::int32_t>(it.row()));
        ++in.harmed_ptr[static_cast<std::size_t>(it.row()) + 1];
        in.held[static_cast<std::size_t>(it.row())] = 1;
      }
      in.harm_ptr[c + 1] = static_cast<std::int64_t>(in.harm_rows.size());
      std::sort(in.harm_rows.begin() + in.harm_ptr[c], in.harm_rows.end());
    }
    for (std::size_t r = 0; r < nr; ++r) in.harmed_ptr[r + 1] += in.harmed_ptr[r];
    in.harmed_cols.resize(in.harm_rows.size());
    std::vector<std::int64_t> at(in.harmed_ptr.begin(), in.harmed_ptr.end() - 1);
    for (std::size_t c = 0; c < nc; ++c)
      for (auto k = in.harm_ptr[c]; k < in.harm_ptr[c + 1]; ++k)
        in.harmed_cols[static_cast<std::size_t>(at[static_cast<std::size_t>(in.harm_rows[static_cast<std::size_t>(k)])]++)] =
            static_cast<std::int32_t>(c);
    in.any_held = !in.harm_rows.empty();
  }
  // spoiled entries: one per (row, col), with its spoilers
  if (!p.spoiled.empty()) {
    std::vector<SpoiledEntry> sp(p.spoiled);
    std::sort(sp.begin(), sp.end(), [](const SpoiledEntry& a, const SpoiledEntry& b) {
      return std::tie(a.col, a.row, a.by) < std::tie(b.col, b.row, b.by);
    });
    sp.erase(std::unique(sp.begin(), sp.end()), sp.end());
    in.sp_by_ptr.push_back(0);
    in.sp_at_ptr.assign(nc + 1, 0);
    in.sp_of_ptr.assign(nc + 1, 0);
    for (std::size_t k = 0; k < sp.size(); ++k) {
      if (k == 0 || sp[k].col != sp[k - 1].col || sp[k].row != sp[k - 1].row) {
        if (k > 0) in.sp_by_ptr.push_back(static_cast<std::int64_t>(in.sp_by.size()));
        in.sp_row.push_back(sp[k].row);
        in.sp_col.push_back(sp[k].col);
        ++in.sp_at_ptr[static_cast<std::size_t>(sp[k].col) + 1];
      }
      in.sp_by.push_back(sp[k].by);
      ++in.sp_of_ptr[static_cast<std::size_t>(sp[k].by) + 1];
    }
    in.sp_by_ptr.push_back(static_cast<std::int64_t>(in.sp_by.size()));
    for (std::size_t c = 0; c < nc; ++c) {
      in.sp_at_ptr[c + 1] += in.sp_at_ptr[c];
      in.sp_of_ptr[c + 1] += in.sp_of_ptr[c];
    }
    in.sp_at.resize(in.sp_row.size());  // entries are sorted by (col, row): in order
    for (std::size_t e = 0; e < in.sp_row.size(); ++e) in.sp_at[e] = static_cast<std::int32_t>(e);
    in.sp_of.resize(in.sp_by.size());
    std::vector<std::int64_t> at(in.sp_of_ptr.begin(), in.sp_of_ptr.end() - 1);
    for (std::size_t e = 0; e < in.sp_row.size(); ++e)
      for (auto k = in.sp_by_ptr[e]; k < in.sp_by_ptr[e + 1]; ++k)
        in.sp_of[static_cast<std::size_t>(at[static_cast<std::size_t>(in.sp_by[static_cast<std::size_t>(k)])]++)] =
            static_cast<std::int32_t>(e);
    in.any_spoil = true;
  }
  // sets served together, numbered by their first row
  if (!p.together.empty()) {
    in.set_of = number_sets(p.together, in.h, in.set_ptr, in.set_rows, in.set_h);
    in.any_together = in.set_h.size() < nr;
    if (!in.any_together) {
      in.set_of.clear();
      in.set_ptr.clear();
      in.set_rows.clear();
      in.set_h.clear();
    }
  }
  // groups, flattened
  in.n_levels = static_cast<std::int32_t>(p.groups.size());
  in.row_group.assign(nr * p.groups.size(), -1);
  for (std::size_t l = 0; l < p.groups.size(); ++l) {
    const auto& g = p.groups[l];
    in.level_name.push_back(g.name);
    const auto offset = static_cast<std::int32_t>(in.group_req.size());
    for (Eigen::Index u = 0; u < g.total_weight.size(); ++u) {
      const double req = g.min_share * g.total_weight[u] - g.base_weight[u];
      in.group_req.push_back(g.min_share > 0 ? req : 0.0);
      in.group_base.push_back(g.base_weight[u]);
      in.group_total.push_back(g.total_weight[u]);
      in.group_share.push_back(g.min_share);
      in.group_level.push_back(static_cast<std::int32_t>(l));
      in.group_unit.push_back(static_cast<std::int32_t>(u));
      const double tol = 1e-9 * std::max(1.0, g.total_weight[u]);
      if (g.min_share > 0 && req > tol) in.groups_active = true;
    }
    for (std::size_t r = 0; r < nr; ++r) {
      if (g.unit[r] >= 0) in.row_group[r * p.groups.size() + l] = offset + g.unit[r];
    }
  }
  in.base_weight = p.base_weight;
  const double sum_w = std::accumulate(in.w.begin(), in.w.end(), 0.0);
  in.total_weight = p.total_weight > 0 ? p.total_weight : p.base_weight + sum_w;
  // What the existing columns reach alone, and the held rows, are already in the bases: the rows'
  // shares count them instead (the assignment of most weight, as coverage makes it).
  in.group_fixed.assign(in.group_req.size(), 0.0);
  if (assign_existing && (!in.fixed_cols.empty() || in.any_held)) {
    const auto share = row_shares(in, {}, nullptr, false);
    in.fixed_weight = weight_of(in, share);
    for (std::size_t r = 0; r < nr; ++r) {
      in.fixed_households += in.h[r] * share[r];
      for (std::size_t l = 0; l < p.groups.size(); ++l) {
        const auto g = in.row_group[r * p.groups.size() + l];
        if (g >= 0) in.group_fixed[static_cast<std::size_t>(g)] += in.w[r] * share[r];
      }
    }
    for (std::size_t g = 0; g < in.group_req.size(); ++g) {
      in.group_base[g] -= in.group_fixed[g];
      if (in.group_share[g] > 0) in.group_req[g] += in.group_fixed[g];
    }
  }
  return in;
}

double weight_of(const Instance& in, const std::vector<double>& share) {
  double s = 0;
  for (std::size_t r = 0; r < share.size(); ++r) s += in.w[r] * share[r];
  return s;
}

const std::vector<std::tuple<std::int32_t, std::int32_t, double>>* AssignmentCache::find(
    const std::vector<std::int64_t>& key) const {
  const std::lock_guard lock(m_mutex);
  const auto it = m_solved.find(key);
  return it == m_solved.end() ? nullptr : &it->second;  // entries are never erased: the pointer stays valid
}

void AssignmentCache::put(std::vector<std::int64_t> key, std::vector<std::tuple<std::int32_t, std::int32_t, double>> flows) {
  const std::lock_guard lock(m_mutex);
  m_solved.emplace(std::move(key), std::move(flows));
}

std::vector<double> row_shares(const Instance& in, const std::vector<std::int32_t>& chosen, std::vector<Flow>* flows,
                               bool use_groups) {
  const auto nr = static_cast<std::size_t>(in.n_rows);
  if (flows != nullptr) flows->clear();
  std::vector<double> share(nr, 0.0);
  if (in.any_held) {  // a held row is reached unless a chosen column harms it
    for (std::size_t r = 0; r < nr; ++r) share[r] = in.held[r] != 0 ? 1.0 : 0.0;
    for (const auto c : chosen)
      for (auto k = in.harm_ptr[static_cast<std::size_t>(c)]; k < in.harm_ptr[static_cast<std::size_t>(c) + 1]; ++k)
        share[static_cast<std::size_t>(in.harm_rows[static_cast<std::size_t>(k)])] = 0.0;
  }
  std::vector<std::int32_t> capped_chosen;
  std::vector<std::int32_t> all(in.fixed_cols);
  all.insert(all.end(), chosen.begin(), chosen.end());
  std::vector<char> is_chosen;  // (spoiled entries)
  std::vector<std::int32_t> void_rows;
  if (in.any_spoil) {
    is_chosen.assign(static_cast<std::size_t>(in.n_cols), 0);
    for (const auto c : chosen) is_chosen[static_cast<std::size_t>(c)] = 1;
  }
  for (const auto c : all) {
    const auto cu = static_cast<std::size_t>(c);
    if (in.capped[cu] != 0) {
      capped_chosen.push_back(c);
      continue;
    }
    void_rows.clear();  // its entries a chosen column spoils (by row, ascending)
    if (in.any_spoil)
      for (auto k = in.sp_at_ptr[cu]; k < in.sp_at_ptr[cu + 1]; ++k) {
        const auto e = static_cast<std::size_t>(in.sp_at[static_cast<std::size_t>(k)]);
        if (in.spoiled_by(e, is_chosen)) void_rows.push_back(in.sp_row[e]);
      }
    for (auto k = in.col_ptr[cu]; k < in.col_ptr[cu + 1]; ++k) {
      const auto r = in.col_rows[static_cast<std::size_t>(k)];
      if (!void_rows.empty() && std::binary_search(void_rows.begin(), void_rows.end(), r)) continue;
      share[static_cast<std::size_t>(r)] = 1.0;
    }
  }
  if (capped_chosen.empty()) return share;
  std::sort(capped_chosen.begin(), capped_chosen.end());
  capped_chosen.erase(std::unique(capped_chosen.begin(), capped_chosen.end()), capped_chosen.end());

  // Transportation LP over the units not reached by an unlimited site (a unit: a set of rows served
  // together, or a row):
  //   max Σ v_u f_uc  s.t.  Σ_c f_uc ≤ 1 (unit),  Σ_u h_u f_uc ≤ cap_c (site),  0 ≤ f ≤ 1,
  // plus Σ_{r∈g} w_r Σ_c f_rc ≥ req_g − (weight of g already reached) for active groups; v_u is
  // the weight of the unit's rows not yet reached, h_u its households (all its rows': a site
  // serves a set whole). Without group rows it falls apart into the components of the sites
  // linked by the rows they share: each is solved on its own, a lone site by its fractional
  // knapsack (most weight per household first, which is that LP's optimum), the others by Clp.
  const bool sets = in.any_together;
  const auto open = [&](std::size_t r) { return share[r] < 1.0 && in.w[r] > 0; };
  const auto unit_value = [&](std::size_t u) {
    double v = 0;
    in.for_unit_rows(u, [&](std::size_t r) {
      if (open(r)) v += in.w[r] * (1.0 - share[r]);
    });
    return v;
  };
  // the units of site c with weight not yet reached, once each, in c's order of rows
  std::vector<std::int32_t> unit_mark(sets ? in.set_h.size() : 0, -1);
  std::vector<std::size_t> units_of_site;
  const auto site_units = [&](std::size_t cu) -> const std::vector<std::size_t>& {
    units_of_site.clear();
    for (auto k = in.col_ptr[cu]; k < in.col_ptr[cu + 1]; ++k) {
      const auto r = static_cast<std::size_t>(in.col_rows[static_cast<std::size_t>(k)]);
      if (!open(r)) continue;
      const std::size_t u = in.unit_of(r);
      if (sets) {
        if (unit_mark[u] == static_cast<std::int32_t>(cu)) continue;
        unit_mark[u] = static_cast<std::int32_t>(cu);
      }
      units_of_site.push_back(u);
    }
    if (sets)
      for (const auto u : units_of_site) unit_mark[u] = -1;
    return units_of_site;
  };
  // what serving unit u takes f of adds: to the shares, and to the flows (each row it reaches)
  std::vector<std::pair<std::size_t, double>> added;
  const auto serve = [&](std::size_t u, std::int32_t c, double f, std::vector<Flow>* out) {
    in.for_unit_rows(u, [&](std::size_t r) {
      if (!open(r)) return;
      added.emplace_back(r, f);
      if (out != nullptr && f > 0) out->push_back({static_cast<std::int32_t>(r), c, f});
    });
  };
  std::vector<int> lp_row(sets ? in.set_h.size() : nr, -1);
  std::vector<std::size_t> lp_units_used;
  struct Var {
    std::size_t unit;
    std::int32_t col;
    int var;
  };
  const auto build = [&](const std::vector<std::int32_t>& sites, bool with_groups, LinearModel& m,
                         std::vector<Var>& var_unit) {
    for (const auto u : lp_units_used) lp_row[u] = -1;
    lp_units_used.clear();
    var_unit.clear();
    for (const auto c : sites)
      for (const auto u : site_units(static_cast<std::size_t>(c)))
        if (lp_row[u] < 0) {
          lp_row[u] = m.add_row(-k_inf, 1.0);
          lp_units_used.push_back(u);
        }
    std::vector<int> group_row(in.group_req.size(), -1);
    const auto levels = static_cast<std::size_t>(in.n_levels);
    if (with_groups) {
      std::vector<double> reached(in.group_req.size(), 0.0);
      for (std::size_t r = 0; r < nr; ++r) {
        for (std::size_t l = 0; l < levels; ++l) {
          const auto g = in.row_group[r * levels + l];
          if (g >= 0) reached[static_cast<std::size_t>(g)] += in.w[r] * share[r];
        }
      }
      for (std::size_t g = 0; g < in.group_req.size(); ++g) {
        const double need = in.group_req[g] - reached[g];
        if (in.group_share[g] > 0 && need > 1e-9 * std::max(1.0, in.group_total[g]))
          group_row[g] = m.add_row(need, k_inf);
      }
    }
    std::vector<std::pair<int, double>> group_part;
    for (const auto c : sites) {
      const auto cu = static_cast<std::size_t>(c);
      const int cap_row = m.add_row(-k_inf, in.cap[cu]);
      for (const auto u : site_units(cu)) {
        m.add_col(0.0, 1.0, unit_value(u), false);
        m.add_entry(lp_row[u], 1.0);
        m.add_entry(cap_row, in.unit_h(u));
        group_part.clear();
        in.for_unit_rows(u, [&](std::size_t r) {
          if (!open(r)) return;
          for (std::size_t l = 0; l < levels; ++l) {
            const auto g = in.row_group[r * levels + l];
            if (g >= 0 && group_row[static_cast<std::size_t>(g)] >= 0)
              group_part.emplace_back(group_row[static_cast<std::size_t>(g)], in.w[r] * (1.0 - share[r]));
          }
        });
        std::sort(group_part.begin(), group_part.end());
        for (std::size_t k = 0; k < group_part.size();) {  // one entry per group row
          double a = 0;
          const int gr = group_part[k].first;
          for (; k < group_part.size() && group_part[k].first == gr; ++k) a += group_part[k].second;
          m.add_entry(gr, a);
        }
        var_unit.push_back({u, c, m.n_cols() - 1});
      }
    }
  };
  // Solves the LP of `sites` and adds its flows to the shares (flows are taken from the shares
  // before any is added: the sites' rows are theirs alone).
  const auto solve = [&](const std::vector<std::int32_t>& sites, bool with_groups, std::vector<Flow>* out) {
    std::vector<Var> var_unit;
    LinearModel m;
    build(sites, with_groups, m, var_unit);
    LpOutcome lp;
    if (m.n_cols() > 0) lp = solve_lp(m, 600.0);
    if (m.n_cols() > 0 && !lp.optimal && with_groups) {
      m = LinearModel{};
      build(sites, false, m, var_unit);
      lp = solve_lp(m, 600.0);
    }
    if (m.n_cols() > 0 && !lp.optimal) throw Error(ErrorCode::solver, "Clp could not solve the capacity assignment LP");
    for (const auto& v : var_unit) serve(v.unit, v.col, lp.x[static_cast<std::size_t>(v.var)], out);
  };
  const bool groups = use_groups && in.groups_active;
  if (groups) {
    solve(capped_chosen, true, flows);
  } else {
    const std::size_t n_sites = capped_chosen.size();
    std::vector<std::int32_t> parent(n_sites);
    std::iota(parent.begin(), parent.end(), 0);
    const auto root = [&](std::int32_t a) {
      while (parent[static_cast<std::size_t>(a)] != a)
        a = parent[static_cast<std::size_t>(a)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(a)])];
      return a;
    };
    std::vector<std::int32_t> row_site(nr, -1);
    for (std::size_t k = 0; k < n_sites; ++k) {
      const auto cu = static_cast<std::size_t>(capped_chosen[k]);
      for (auto j = in.col_ptr[cu]; j < in.col_ptr[cu + 1]; ++j) {
        const auto r = static_cast<std::size_t>(in.col_rows[static_cast<std::size_t>(j)]);
        if (!open(r)) continue;
        if (row_site[r] < 0) {
          row_site[r] = static_cast<std::int32_t>(k);
        } else {
          const std::int32_t a = root(row_site[r]), b = root(static_cast<std::int32_t>(k));
          if (a != b) parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
        }
      }
    }
    std::vector<std::vector<std::int32_t>> component(n_sites);
    for (std::size_t k = 0; k < n_sites; ++k)
      component[static_cast<std::size_t>(root(static_cast<std::int32_t>(k)))].push_back(capped_chosen[k]);
    std::vector<std::int64_t> key;
    for (const auto& sites_of : component) {
      if (sites_of.size() > 1) {
        // the component's sites and its open rows (with their share) say what its LP is
        key.assign(sites_of.begin(), sites_of.end());
        key.push_back(-1);
        for (const auto c : sites_of) {
          const auto cu = static_cast<std::size_t>(c);
          for (auto j = in.col_ptr[cu]; j < in.col_ptr[cu + 1]; ++j) {
            const auto r = static_cast<std::size_t>(in.col_rows[static_cast<std::size_t>(j)]);
            if (open(r)) key.push_back(static_cast<std::int64_t>(r));
          }
        }
        if (const auto* known = in.assignments->find(key)) {
          for (const auto& [r, c, f] : *known) {
            added.emplace_back(static_cast<std::size_t>(r), f);
            if (flows != nullptr && f > 0) flows->push_back({r, c, f});
          }
          continue;
        }
        std::vector<Flow> mine;
        solve(sites_of, false, &mine);
        std::vector<std::tuple<std::int32_t, std::int32_t, double>> solved;
        for (const auto& f : mine) solved.emplace_back(f.row, f.col, f.share);
        if (flows != nullptr) flows->insert(flows->end(), mine.begin(), mine.end());
        in.assignments->put(std::move(key), std::move(solved));
        key = {};
        continue;
      }
      if (sites_of.empty()) continue;
      const std::int32_t c = sites_of.front();
      const auto cu = static_cast<std::size_t>(c);
      // a lone site: most weight per household first (a row's column order is that already; sets
      // are ordered by what is left of them)
      std::vector<std::size_t> order = site_units(cu);
      if (sets) {
        std::vector<double> density(order.size());
        for (std::size_t k = 0; k < order.size(); ++k) density[k] = unit_value(order[k]) / in.unit_h(order[k]);
        std::vector<std::size_t> pos(order.size());
        std::iota(pos.begin(), pos.end(), 0);
        std::sort(pos.begin(), pos.end(), [&](std::size_t a, std::size_t b) {
          return density[a] != density[b] ? density[a] > density[b] : order[a] < order[b];
        });
        std::vector<std::size_t> sorted(order.size());
        for (std::size_t k = 0; k < pos.size(); ++k) sorted[k] = order[pos[k]];
        order = std::move(sorted);
      }
      double remaining = in.cap[cu];
      for (std::size_t k = 0; k < order.size() && remaining > 1e-12 * std::max(1.0, in.cap[cu]); ++k) {
        const std::size_t u = order[k];
        const double take = std::min(in.unit_h(u), remaining);  // (an open unit is not served yet)
        remaining -= take;
        serve(u, c, take / in.unit_h(u), flows);
      }
    }
  }
  for (const auto& [r, f] : added) share[r] += f;
  for (auto& s : share) s = std::clamp(s, 0.0, 1.0);
  return share;
}

}  // namespace detail

PlacementCoverage evaluate_placement(const CoverageProblem& p, const std::vector<std::int32_t>& chosen) {
  detail::validate_problem(p);
  for (const auto c : chosen) {
    if (c < 0 || c >= p.cover.cols()) {
      throw InvalidInput(ErrorCode::invalid_input, "evaluate_placement: column " + std::to_string(c) + " out of range");
    }
  }
  const detail::Instance in = detail::make_instance(p);
  const auto share = detail::row_shares(in, chosen);
  PlacementCoverage out;
  out.row_share = Eigen::Map<const Eigen::VectorXd>(share.data(), static_cast<Eigen::Index>(share.size()));
  out.weight = detail::weight_of(in, share) - in.fixed_weight;
  for (std::size_t r = 0; r < share.size(); ++r) out.households += in.h[r] * share[r];
  out.households -= in.fixed_households;
  std::size_t offset = 0;  // flat index of the grouping's first unit
  for (const auto& g : p.groups) {
    Eigen::VectorXd gw = g.base_weight;
    for (Eigen::Index u = 0; u < gw.size(); ++u)  // the existing columns' part counts in the rows
      gw[u] -= in.group_fixed[offset + static_cast<std::size_t>(u)];
    offset += static_cast<std::size_t>(gw.size());
    for (std::size_t r = 0; r < share.size(); ++r) {
      if (g.unit[r] >= 0) gw[g.unit[r]] += in.w[r] * share[r];
    }
    out.group_weight.push_back(std::move(gw));
  }
  return out;
}

double covered_weight(const CoverageProblem& p, const std::vector<std::int32_t>& chosen) {
  return evaluate_placement(p, chosen).weight;
}

}  // namespace infogap
