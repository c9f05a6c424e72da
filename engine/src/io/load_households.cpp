// The household points: ids, coordinates, poverty status, members, internet, devices.
#include "io/load_detail.hpp"

namespace infogap::load_detail {

Poverty parse_status(const std::string& raw, bool& ok) {
  const std::string t = lower(trim(raw));
  ok = true;
  if (t == "poor") return Poverty::poor;
  if (t == "near_poor") return Poverty::near_poor;
  if (t == "not_poor") return Poverty::not_poor;
  ok = false;
  return Poverty::not_poor;
}

void load_households(const Scenario& s, const std::string& working, Inputs& in) {
  if (s.households.keyed_by_hamlet()) return load_households_by_hamlet(s, working, in);  // place_households.cpp
  const HouseholdsSource& src = s.households;
  Layer l = read_layer(src, "households", {src.id, src.status}, {src.members, src.internet, src.devices});
  require_column(l, src.id, "id");
  require_column(l, src.status, "status");
  if (l.rows() == 0) throw InvalidInput(ErrorCode::invalid_input, "the household layer is empty", l.where());
  if (l.data.table.geometry_kind == GeometryKind::none)
    throw InvalidInput(ErrorCode::invalid_input, "the household layer has no point geometry", l.where());
  const Column* members = optional_column(l, src.members);
  const Column* internet = optional_column(l, src.internet);
  const Column* devices = optional_column(l, src.devices);
  for (const auto& [key, col] :
       {std::pair{"members", &src.members}, std::pair{"internet", &src.internet}, std::pair{"devices", &src.devices}})
    if (!col->empty() && optional_column(l, *col) == nullptr)
      in.notes.push_back(std::string("households: no column '") + *col + "' in " + l.path + " → " + key +
                         " unknown for every household");

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
                           bool ok = false;
                           if (status.is_null(i) || trim(status.as_text(i)).empty()) {
                             out.push_back({i, status.name, "missing poverty status"});
                             return;
                           }
                           st[i] = parse_status(status.as_text(i), ok);
                           if (!ok) {
                             out.push_back({i, status.name,
                                            "unknown poverty status '" + trim(status.as_text(i)) +
                                                "' (expected poor, near_poor or not_poor)"});
                             return;
                           }
                           std::string reason;
                           if (!parse_count(members, i, mem[i], reason)) {
                             out.push_back({i, members->name, reason});
                             return;
                           }
                           if (!parse_flag(internet, i, net[i], reason)) {
                             out.push_back({i, internet->name, reason});
                             return;
                           }
                           if (!parse_count(devices, i, dev[i], reason)) {
                             out.push_back({i, devices->name, reason});
                             return;
                           }
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
  rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
}

}  // namespace infogap::load_detail
