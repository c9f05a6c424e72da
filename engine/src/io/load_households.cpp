// The household points: ids, coordinates, poverty status, members, internet, devices.
#include <map>
#include <optional>
#include <unordered_map>

#include "core/text.hpp"
#include "io/load_detail.hpp"

namespace infogap::load_detail {

namespace {

/// A status label as compared: folded to lower-case ASCII, the "Hộ" (household) prefix dropped.
std::string status_key(const std::string& raw) {
  std::string k = detail::fold_key(raw);
  if (k.rfind("ho ", 0) == 0) k.erase(0, 3);
  return k;
}

Poverty poverty_of(const std::string& name) {
  return name == "poor" ? Poverty::poor : name == "near_poor" ? Poverty::near_poor : Poverty::not_poor;
}

}  // namespace

StatusLabels::StatusLabels(const std::map<std::string, std::string>& extra) {
  // English, and Vietnamese as poverty lists write them ("thoát" = escaped: no longer poor).
  const std::pair<const char*, Poverty> builtin[] = {{"poor", Poverty::poor},
                                                     {"near poor", Poverty::near_poor},
                                                     {"not poor", Poverty::not_poor},
                                                     {"ngheo", Poverty::poor},
                                                     {"can ngheo", Poverty::near_poor},
                                                     {"khong ngheo", Poverty::not_poor},
                                                     {"thoat ngheo", Poverty::not_poor},
                                                     {"thoat can ngheo", Poverty::not_poor}};
  for (const auto& [label, p] : builtin) m_labels[label] = p;
  for (const auto& [label, name] : extra) m_labels[status_key(label)] = poverty_of(name);  // the scenario's win
}

std::optional<Poverty> StatusLabels::find(const std::string& raw) const {
  const auto it = m_labels.find(status_key(raw));
  if (it == m_labels.end()) return std::nullopt;
  return it->second;
}

void household_cells(const StatusLabels& labels, const Column& status, const Column* members, const Column* internet,
                     bool internet_marks, const Column* devices, std::size_t i, Poverty& st, std::int32_t& mem,
                     std::int8_t& net, std::int32_t& dev, std::vector<Issue>& out) {
  if (status.is_null(i) || trim(status.as_text(i)).empty()) {
    out.push_back({i, status.name, "missing poverty status"});
    return;
  }
  const std::optional<Poverty> p = labels.find(status.as_text(i));
  if (!p) {
    out.push_back({i, status.name,
                   "unknown poverty status '" + trim(status.as_text(i)) +
                       "' (expected poor, near_poor, not_poor or hộ nghèo, cận nghèo, không nghèo, thoát nghèo; "
                       "map other labels with households.status_values)"});
    return;
  }
  st = *p;
  std::string reason;
  if (!parse_count(members, i, mem, reason)) {
    out.push_back({i, members->name, reason});
  } else if (!parse_flag(internet, i, net, reason, internet_marks)) {
    out.push_back({i, internet->name, reason});
  } else if (!parse_count(devices, i, dev, reason)) {
    out.push_back({i, devices->name, reason});
  }
}

void load_households(const Scenario& s, const std::string& working, Inputs& in) {
  if (s.households.keyed_by_hamlet()) return load_households_by_hamlet(s, working, in);  // place_households.cpp
  const HouseholdsSource& src = s.households;
  Layer l = read_layer(src, "households", {src.id, src.status}, {src.members, src.internet, src.devices});
  // The named columns, optional ones included: a typo must not quietly make every value unknown.
  require_named_columns(s, "households", l);
  if (l.rows() == 0) throw InvalidInput(ErrorCode::invalid_input, "the household layer is empty", l.where());
  if (l.data.table.geometry_kind == GeometryKind::none)
    throw InvalidInput(ErrorCode::invalid_input, "the household layer has no point geometry", l.where());
  const Column* members = optional_column(l, src.members);
  const Column* internet = optional_column(l, src.internet);
  const Column* devices = optional_column(l, src.devices);
  const bool internet_marks = flag_marks(internet);
  const StatusLabels labels(src.status_values);

  const std::size_t n = l.rows();
  const Column& id = l.data.table.column(src.id);
  const Column& status = l.data.table.column(src.status);
  std::vector<std::string> ids;
  std::vector<std::uint8_t> bad(n, 0);
  LayerRejects rejects;
  add_rejects(l, check_ids(l, id, ids), &id, bad, rejects);

  std::vector<double> x, y;
  add_rejects(l, reproject_points(l, bad, working, x, y), &id, bad, rejects);

  std::vector<Poverty> st(n, Poverty::not_poor);
  std::vector<std::int32_t> mem(n, -1), dev(n, -1);
  std::vector<std::int8_t> net(n, -1);
  add_rejects(l,
              check_rows(n, bad,
                         [&](std::size_t i, std::vector<Issue>& out) {
                           household_cells(labels, status, members, internet, internet_marks, devices, i, st[i], mem[i],
                                           net[i], dev[i], out);
                         }),
              &id, bad, rejects);

  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (bad[i] == 0) ++kept;
  Households& h = in.households;
  h.id.reserve(kept);
  h.x_m.resize(static_cast<Eigen::Index>(kept));
  h.y_m.resize(static_cast<Eigen::Index>(kept));
  h.status.reserve(kept);
  h.members.reserve(kept);
  h.internet.reserve(kept);
  h.devices.reserve(kept);
  h.source_row.reserve(kept);
  Eigen::Index k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (bad[i] != 0) continue;
    h.id.push_back(std::move(ids[i]));
    h.x_m[k] = x[i];
    h.y_m[k] = y[i];
    ++k;
    h.status.push_back(st[i]);
    h.members.push_back(mem[i]);
    h.internet.push_back(net[i]);
    h.devices.push_back(dev[i]);
    h.source_row.push_back(l.fid(i));
  }
  in.households_input = static_cast<std::int64_t>(n);
  in.households_rejected = static_cast<std::int64_t>(rejects.size());
  const std::size_t first = in.rejects.size();
  const std::size_t swap_fits = rejects.swap_fits;
  rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
  check_rejected_share(s, l, in, first, swap_fits);
}

}  // namespace infogap::load_detail
