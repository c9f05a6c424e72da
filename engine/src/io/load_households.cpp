// The household points: ids, coordinates, poverty status, members, internet, devices.
#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <unordered_map>

#include "core/text.hpp"
#include "io/load_detail.hpp"

namespace infogap::load_detail {

namespace {

/// Households per chunk read: small next to the layer, large enough to keep both cores busy.
constexpr std::size_t k_household_chunk_rows = 500000;

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

void load_households(const Scenario& s, const std::string& working, Inputs& in,
                     const std::function<void(double)>& progress, std::size_t chunk_rows) {
  if (s.households.keyed_by_hamlet()) return load_households_by_hamlet(s, working, in);  // place_households.cpp
  const HouseholdsSource& src = s.households;
  // Read in chunks: only the typed values of every row are kept (never a table of every cell).
  LayerStream ls = open_layer(src, "households", {src.id, src.status}, {src.members, src.internet, src.devices});
  Layer& l = ls.layer;
  // The named columns, optional ones included: a typo must not quietly make every value unknown.
  require_named_columns(s, "households", l);
  const StatusLabels labels(src.status_values);

  // Rows expected, for progress: the driver's count, or the lines of a CSV (counted on another
  // thread while the first chunks are read).
  std::future<std::int64_t> lines;
  std::int64_t expected = ls.stream->row_count_hint();
  if (progress && expected < 0 && l.data.is_csv)
    lines = std::async(std::launch::async, [path = src.path] { return detail::count_lines(path); });

  std::vector<std::string> ids;
  std::vector<std::int64_t> fids;
  std::vector<double> x, y;
  std::vector<Poverty> st;
  std::vector<std::int32_t> mem, dev;
  std::vector<std::int8_t> net;
  std::vector<Issue> point_issues, cell_issues;  // rows of the whole layer
  bool internet_marks = false;
  std::size_t n = 0;
  const std::size_t rows_per_chunk = chunk_rows > 0 ? chunk_rows : k_household_chunk_rows;
  auto read_next = [&ls, rows_per_chunk] { return ls.next(rows_per_chunk); };
  std::future<Layer> ahead = std::async(std::launch::async, read_next);
  for (bool first = true;; first = false) {
    Layer c = ahead.get();
    const std::size_t m = c.rows();
    if (m == 0) break;
    ahead = std::async(std::launch::async, read_next);  // the next chunk is read while this one is checked
    if (first && c.data.table.geometry_kind == GeometryKind::none)
      throw InvalidInput(ErrorCode::invalid_input, "the household layer has no point geometry", l.where());
    const Column& id = c.data.table.column(src.id);
    const Column& status = c.data.table.column(src.status);
    const Column* members = optional_column(c, src.members);
    const Column* internet = optional_column(c, src.internet);
    const Column* devices = optional_column(c, src.devices);
    // An x anywhere in the column makes it a column of marks (empty = no): settled after the last chunk.
    internet_marks = internet_marks || flag_marks(internet);
    ids.resize(n + m);
    parallel_for(
        m,
        [&](std::size_t b, std::size_t e, unsigned) {
          for (std::size_t i = b; i < e; ++i) ids[n + i] = trim(id.as_text(i));
        },
        16384);
    for (std::size_t i = 0; i < m; ++i) fids.push_back(c.fid(i));
    const std::vector<std::uint8_t> none(m, 0);
    std::vector<double> cx, cy;
    for (Issue& is : reproject_points(c, none, working, cx, cy)) {
      is.row += n;
      point_issues.push_back(std::move(is));
    }
    x.insert(x.end(), cx.begin(), cx.end());
    y.insert(y.end(), cy.begin(), cy.end());
    st.resize(n + m, Poverty::not_poor);
    mem.resize(n + m, -1);
    dev.resize(n + m, -1);
    net.resize(n + m, -1);
    for (Issue& is : check_rows(m, none, [&](std::size_t i, std::vector<Issue>&out) {
           household_cells(labels, status, members, internet, false, devices, i, st[n + i], mem[n + i], net[n + i],
                           dev[n + i], out);
         })) {
      is.row += n;
      cell_issues.push_back(std::move(is));
    }
    n += m;
    if (progress) {
      if (expected < 0 && lines.valid() && lines.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
        expected = lines.get() - 1;  // the header line
      if (expected > 0) progress(std::min(0.99, static_cast<double>(n) / static_cast<double>(expected)));
    }
  }
  if (lines.valid()) lines.wait();
  if (n == 0) throw InvalidInput(ErrorCode::invalid_input, "the household layer is empty", l.where());
  if (internet_marks)
    for (auto& v : net)
      if (v < 0) v = 0;  // a column of x marks: an empty cell is "no" (a bad cell's row is rejected anyway)

  // The whole layer's rows: feature ids and the (trimmed) ids, for the id checks and the rejects.
  l.data.table.fid = std::move(fids);
  Column& id_column = l.data.table.columns[*l.data.table.find(src.id)];
  std::vector<std::uint8_t> bad(n, 0);
  LayerRejects rejects;
  {
    std::vector<Issue> id_issues = check_trimmed_ids(l, src.id, ids);
    id_column.texts = std::move(ids);  // a reject names its row's id
    add_rejects(l, std::move(id_issues), &id_column, bad, rejects);
  }
  add_rejects(l, std::move(point_issues), &id_column, bad, rejects);
  add_rejects(l, std::move(cell_issues), &id_column, bad, rejects);

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
    h.id.push_back(std::move(id_column.texts[i]));
    h.x_m[k] = x[i];
    h.y_m[k] = y[i];
    ++k;
    h.status.push_back(st[i]);
    h.members.push_back(mem[i]);
    h.internet.push_back(net[i]);
    h.devices.push_back(dev[i]);
    h.source_row.push_back(l.fid(i));
  }
  std::vector<std::string>().swap(id_column.texts);
  l.info.features = static_cast<std::int64_t>(n);
  in.households_input = static_cast<std::int64_t>(n);
  in.households_rejected = static_cast<std::int64_t>(rejects.size());
  const std::size_t first = in.rejects.size();
  const std::size_t swap_fits = rejects.swap_fits;
  rejects.move_to(in.rejects);
  finish_layer(l, static_cast<std::int64_t>(kept), in);
  check_rejected_share(s, l, in, first, swap_fits);
}

}  // namespace infogap::load_detail
