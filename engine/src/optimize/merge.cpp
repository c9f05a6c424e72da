// The merging of placement problems' rows (aggregate_rows, merge_identical_rows): rows, or sets
// of rows served together, with the same covering set, group units, harm and weight per household
// become one, so a problem's size follows its distinct coverage patterns.

#include <algorithm>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "infogap/error.hpp"
#include "infogap/optimize.hpp"
#include "optimize/instance.hpp"

namespace infogap {

CoverageProblem aggregate_rows(const RowSets& sets, std::int32_t n_cols, const Eigen::VectorXd& weight,
                               const Eigen::VectorXd& households, const std::vector<GroupConstraint>& groups,
                               bool by_density, std::vector<std::int32_t>* row_map, const RowSets* harm,
                               const std::vector<char>* alone, const std::vector<std::int32_t>* together) {
  const std::size_t nr = sets.rows();
  if (harm != nullptr && harm->rows() != nr) harm = nullptr;  // (an empty harm: none)
  if (together != nullptr && together->size() != nr) together = nullptr;
  const std::size_t levels = groups.size();
  auto hh = [&](std::size_t r) { return households.size() != 0 ? households[static_cast<Eigen::Index>(r)] : 1.0; };
  auto unit = [&](std::size_t r, std::size_t l) { return groups[l].unit[r]; };
  auto positive = [&](std::size_t r) { return weight[static_cast<Eigen::Index>(r)] > 0; };
  // What merges: sets of rows served together (CoverageProblem::together), each a row of its own
  // without `together`. A set's rows in input order (CSR), and its households (all its rows').
  std::vector<std::int64_t> set_ptr;
  std::vector<std::int32_t> set_rows;
  std::vector<std::int32_t> set_of_row;  // per row: its set
  std::vector<double> set_h;
  if (together != nullptr) {
    std::vector<double> h(nr);
    for (std::size_t r = 0; r < nr; ++r) h[r] = hh(r);
    set_of_row = detail::number_sets(*together, h, set_ptr, set_rows, set_h);
  }
  const std::size_t n_sets = together != nullptr ? set_h.size() : nr;
  auto set_size = [&](std::size_t s) {
    return together != nullptr ? static_cast<std::size_t>(set_ptr[s + 1] - set_ptr[s]) : std::size_t{1};
  };
  auto row_in = [&](std::size_t s, std::size_t k) {
    return together != nullptr ? static_cast<std::size_t>(set_rows[static_cast<std::size_t>(set_ptr[s]) + k]) : s;
  };
  // weight per household of the set a row is in (what a capacitated site's assignment weighs)
  auto dens = [&](std::size_t r) {
    return weight[static_cast<Eigen::Index>(r)] /
           (together != nullptr ? set_h[static_cast<std::size_t>(set_of_row[r])] : hh(r));
  };
  // A hash of each set's key (per row: covering set, units, density, harming sites), then sets
  // sorted by (hash, first row): equal keys end up next to each other, and full comparisons settle
  // the rare collisions.
  auto mix = [](std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
  };
  auto row_hash = [&](std::uint64_t h, std::size_t r) -> std::uint64_t {
    if (!positive(r)) return mix(h, 0xfffffffdULL);  // dropped: its place only
    for (auto k = sets.ptr[r]; k < sets.ptr[r + 1]; ++k)
      h = mix(h, static_cast<std::uint64_t>(sets.cols[static_cast<std::size_t>(k)]));
    h = mix(h, static_cast<std::uint64_t>(sets.ptr[r + 1] - sets.ptr[r]));
    for (std::size_t l = 0; l < levels; ++l) h = mix(h, static_cast<std::uint64_t>(unit(r, l) + 1));
    if (alone != nullptr && (*alone)[r] != 0) h = mix(h, 0xfffffffeULL + r);  // a class of its own
    if (harm != nullptr) {  // the harming sites, after a marker
      h = mix(h, 0xffffffffULL);
      for (auto k = harm->ptr[r]; k < harm->ptr[r + 1]; ++k)
        h = mix(h, static_cast<std::uint64_t>(harm->cols[static_cast<std::size_t>(k)]));
    }
    if (by_density) {
      const double d = dens(r);
      std::uint64_t bits = 0;
      std::memcpy(&bits, &d, sizeof bits);
      h = mix(h, bits);
    }
    return h;
  };
  std::vector<std::pair<std::uint64_t, std::int32_t>> keyed;
  keyed.reserve(n_sets);
  for (std::size_t s = 0; s < n_sets; ++s) {
    bool any = false;
    std::uint64_t h = 0x12345678ULL;
    for (std::size_t k = 0; k < set_size(s); ++k) {
      any = any || positive(row_in(s, k));
      h = row_hash(h, row_in(s, k));
    }
    if (any) keyed.emplace_back(set_size(s) == 1 ? h : mix(h, static_cast<std::uint64_t>(set_size(s))), static_cast<std::int32_t>(s));
  }
  std::sort(keyed.begin(), keyed.end());
  const auto same_row = [&](std::size_t a, std::size_t b) {
    if (positive(a) != positive(b)) return false;
    if (!positive(a)) return true;
    if (alone != nullptr && a != b && ((*alone)[a] != 0 || (*alone)[b] != 0)) return false;
    if (sets.ptr[a + 1] - sets.ptr[a] != sets.ptr[b + 1] - sets.ptr[b]) return false;
    if (!std::equal(sets.cols.begin() + sets.ptr[a], sets.cols.begin() + sets.ptr[a + 1],
                    sets.cols.begin() + sets.ptr[b]))
      return false;
    for (std::size_t l = 0; l < levels; ++l)
      if (unit(a, l) != unit(b, l)) return false;
    if (harm != nullptr &&
        (harm->ptr[a + 1] - harm->ptr[a] != harm->ptr[b + 1] - harm->ptr[b] ||
         !std::equal(harm->cols.begin() + harm->ptr[a], harm->cols.begin() + harm->ptr[a + 1],
                     harm->cols.begin() + harm->ptr[b])))
      return false;
    return !by_density || dens(a) == dens(b);
  };
  const auto same = [&](std::size_t a, std::size_t b) {
    if (set_size(a) != set_size(b)) return false;
    for (std::size_t k = 0; k < set_size(a); ++k)
      if (!same_row(row_in(a, k), row_in(b, k))) return false;
    return true;
  };
  // Classes: within a run of equal hashes, a set joins the first earlier set of the run it equals.
  std::vector<std::int32_t> cls(n_sets, -1);
  std::vector<std::int32_t> class_first;  // lowest set (and so lowest first row) of each class
  for (std::size_t i = 0; i < keyed.size();) {
    std::size_t j = i;
    while (j < keyed.size() && keyed[j].first == keyed[i].first) ++j;
    std::vector<std::int32_t> heads;  // class of each distinct key in the run
    for (std::size_t k = i; k < j; ++k) {
      const auto s = static_cast<std::size_t>(keyed[k].second);
      std::int32_t c = -1;
      for (const std::int32_t head : heads)
        if (same(static_cast<std::size_t>(class_first[static_cast<std::size_t>(head)]), s)) c = head;
      if (c < 0) {
        c = static_cast<std::int32_t>(class_first.size());
        class_first.push_back(static_cast<std::int32_t>(s));  // sorted by set within the run: the lowest
        heads.push_back(c);
      }
      cls[s] = c;
    }
    i = j;
  }
  // Merged rows: the kept rows of each class's first set, numbered by their input row.
  std::vector<std::pair<std::int32_t, std::int32_t>> first_rows;  // (input row, class)
  for (std::size_t c = 0; c < class_first.size(); ++c) {
    const auto s = static_cast<std::size_t>(class_first[c]);
    for (std::size_t k = 0; k < set_size(s); ++k)
      if (positive(row_in(s, k))) first_rows.emplace_back(static_cast<std::int32_t>(row_in(s, k)), static_cast<std::int32_t>(c));
  }
  std::sort(first_rows.begin(), first_rows.end());
  std::vector<std::int32_t> merged_of_row(nr, -1);  // per row of a class's first set: its merged row
  for (std::size_t m = 0; m < first_rows.size(); ++m)
    merged_of_row[static_cast<std::size_t>(first_rows[m].first)] = static_cast<std::int32_t>(m);
  std::vector<std::int32_t> merged_set(class_first.size(), -1);  // per class: its set in the result
  std::int32_t n_merged_sets = 0;
  for (const auto& [r, c] : first_rows)
    if (merged_set[static_cast<std::size_t>(c)] < 0) merged_set[static_cast<std::size_t>(c)] = n_merged_sets++;

  const auto nm = static_cast<Eigen::Index>(first_rows.size());
  CoverageProblem out;
  out.weight = Eigen::VectorXd::Zero(nm);
  out.households = Eigen::VectorXd::Zero(nm);
  std::vector<std::int32_t> map(nr, -1);
  for (std::size_t s = 0; s < n_sets; ++s) {
    if (cls[s] < 0) continue;
    const auto first = static_cast<std::size_t>(class_first[static_cast<std::size_t>(cls[s])]);
    std::int32_t first_kept = -1;
    double dropped_h = 0;  // a dropped row's households: the set takes them all
    for (std::size_t k = 0; k < set_size(s); ++k) {
      const std::size_t r = row_in(s, k);
      if (!positive(r)) {
        dropped_h += hh(r);
        continue;
      }
      const std::int32_t m = merged_of_row[row_in(first, k)];
      if (first_kept < 0) first_kept = m;
      map[r] = m;
      out.weight[m] += weight[static_cast<Eigen::Index>(r)];
      out.households[m] += hh(r);
    }
    out.households[first_kept] += dropped_h;
  }
  std::vector<Eigen::Triplet<double, std::int32_t>> trip;
  for (std::size_t m = 0; m < first_rows.size(); ++m) {
    const auto r = static_cast<std::size_t>(first_rows[m].first);
    for (auto j = sets.ptr[r]; j < sets.ptr[r + 1]; ++j)
      trip.emplace_back(static_cast<std::int32_t>(m), sets.cols[static_cast<std::size_t>(j)], 1.0);
  }
  out.cover.resize(nm, n_cols);
  out.cover.setFromTriplets(trip.begin(), trip.end());
  out.cover.makeCompressed();
  if (harm != nullptr && !harm->cols.empty()) {
    trip.clear();
    for (std::size_t m = 0; m < first_rows.size(); ++m) {
      const auto r = static_cast<std::size_t>(first_rows[m].first);
      for (auto j = harm->ptr[r]; j < harm->ptr[r + 1]; ++j)
        trip.emplace_back(static_cast<std::int32_t>(m), harm->cols[static_cast<std::size_t>(j)], 1.0);
    }
    out.harm.resize(nm, n_cols);
    out.harm.setFromTriplets(trip.begin(), trip.end());
    out.harm.makeCompressed();
  }
  out.groups.reserve(levels);
  for (std::size_t l = 0; l < levels; ++l) {
    GroupConstraint g;
    g.name = groups[l].name;
    g.base_weight = groups[l].base_weight;
    g.total_weight = groups[l].total_weight;
    g.min_share = groups[l].min_share;
    g.unit.assign(static_cast<std::size_t>(nm), -1);
    for (std::size_t m = 0; m < first_rows.size(); ++m)
      g.unit[m] = groups[l].unit[static_cast<std::size_t>(first_rows[m].first)];
    out.groups.push_back(std::move(g));
  }
  if (together != nullptr) {
    out.together.resize(first_rows.size());
    for (std::size_t m = 0; m < first_rows.size(); ++m)
      out.together[m] = merged_set[static_cast<std::size_t>(first_rows[m].second)];
  }
  if (row_map != nullptr) *row_map = std::move(map);
  return out;
}

CoverageProblem merge_identical_rows(const CoverageProblem& p, std::vector<std::int32_t>* row_map) {
  detail::validate_problem(p);
  const detail::Instance in = detail::make_instance(p, false);  // the row sets only
  RowSets sets;
  sets.ptr = in.row_ptr;
  sets.cols = in.row_cols;
  const Eigen::VectorXd households =
      Eigen::Map<const Eigen::VectorXd>(in.h.data(), static_cast<Eigen::Index>(in.h.size()));
  RowSets harm;
  if (in.any_held) {
    harm.ptr = in.harmed_ptr;
    harm.cols = in.harmed_cols;
  }
  std::vector<char> alone;
  if (in.any_spoil) {
    alone.assign(static_cast<std::size_t>(in.n_rows), 0);
    for (const auto r : in.sp_row) alone[static_cast<std::size_t>(r)] = 1;
  }
  std::vector<std::int32_t> map;
  CoverageProblem out = aggregate_rows(sets, in.n_cols, p.weight, households, p.groups, in.any_capped, &map,
                                       in.any_held ? &harm : nullptr, in.any_spoil ? &alone : nullptr,
                                       p.together.empty() ? nullptr : &p.together);
  for (const auto& s : p.spoiled)
    if (map[static_cast<std::size_t>(s.row)] >= 0) out.spoiled.push_back({map[static_cast<std::size_t>(s.row)], s.col, s.by});
  if (row_map != nullptr) *row_map = std::move(map);
  out.kind = p.kind;
  out.cost = p.cost;
  out.capacity = p.capacity;
  out.existing = p.existing;
  out.base_weight = p.base_weight;
  out.total_weight = in.total_weight;
  return out;
}

}  // namespace infogap
