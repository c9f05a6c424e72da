// The second bundled example, data/bac_lieu_lists (`infogap synth --example lists`): what a commune
// holds, cut from the synthetic province for four communes of Hòa Bình district. Commune polygons
// (the real outlines), one point per hamlet (its centre, no boundary), the poverty review list as an
// Excel workbook keyed by commune and hamlet name as people write them (case, diacritics, "Ấp III"
// for "Ấp 3", Vietnamese statuses, có/không) without coordinates, building footprints around the
// households' synthetic homes, and the loudspeakers, teams and candidate sites of those communes.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/gdal/wkb.hpp"
#include "core/atomic_file.hpp"
#include "core/table_rows.hpp"
#include "core/text.hpp"
#include "infogap/error.hpp"
#include "infogap/synth.hpp"
#include "synth/province.hpp"
#include "synth/random.hpp"
#include "synth/utm.hpp"

namespace infogap {
namespace {

namespace fs = std::filesystem;
using detail::synth::fixed_text;
using detail::synth::ProvinceData;
using detail::synth::Rng;

/// Stream purpose of the lists' spelling and footprints (after the generator's own purposes).
constexpr std::uint64_t k_stream_lists = 101;
/// The sheet of the household list.
constexpr const char* k_sheet = "Danh sách hộ";

/// Synthetic hamlet names for the hamlets of Xã Vĩnh Thịnh (the other communes keep "Ấp N" /
/// "Khóm N"): a commune's hamlets are often named, not numbered.
constexpr const char* k_named_hamlets[] = {"Phước Thạnh", "Cái Cùng",  "Thạnh Hưng", "Vĩnh Mới",  "Bà Hiên",
                                           "Kinh Tư",     "Hòa Thạnh", "Vĩnh Lạc",   "Thào Lạng", "Đầu Láng",
                                           "Bửu Đông",    "Năm Căn",   "Ba Đình",    "Cây Gừa",   "Vàm Xáng"};

std::string upper_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

/// Roman numeral of 1 … 39 ("Ấp III"); the number itself beyond.
std::string roman(int n) {
  if (n < 1 || n > 39) return std::to_string(n);
  static const char* const ones[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
  return std::string(static_cast<std::size_t>(n / 10), 'X') + ones[n % 10];
}

/// A commune's name without its "Xã " / "Phường " / "Thị trấn " prefix.
std::string bare_commune(const std::string& full) {
  for (const char* p : {"Xã ", "Phường ", "Thị trấn "}) {
    const std::string prefix(p);
    if (full.rfind(prefix, 0) == 0) return full.substr(prefix.size());
  }
  return full;
}

/// The commune as one row of the list writes it.
std::string commune_spelling(const std::string& full, Rng& rng) {
  const std::string bare = bare_commune(full);
  const std::string prefix = full.substr(0, full.size() - bare.size());
  switch (rng.below(10)) {
    case 0:
      return bare;
    case 1:
      return detail::fold_to_ascii(full);
    case 2:
      return upper_ascii(detail::fold_to_ascii(bare));
    case 3:
      return (prefix == "Xã " ? "xã " : prefix == "Thị trấn " ? "thị trấn " : "phường ") + bare;
    case 4:
      return " " + full + "  ";
    default:
      return full;
  }
}

/// The hamlet as one row of the list writes it: word "Ấp"/"Khóm", then a number or a name.
std::string hamlet_spelling(bool urban, int number, const std::string& name, Rng& rng) {
  const auto pick = rng.below(12);
  if (!name.empty()) {
    const std::string word = urban ? "Khóm" : "Ấp";
    switch (pick) {
      case 0:
        return name;
      case 1:
        return (urban ? "khóm " : "ấp ") + name;
      case 2:
        return detail::fold_to_ascii(word + " " + name);
      case 3:
        return upper_ascii(detail::fold_to_ascii(name));
      default:
        return word + " " + name;
    }
  }
  static const char* const ap[] = {"Ấp", "ấp", "Ap", "ẤP"};
  static const char* const khom[] = {"Khóm", "khóm", "Khom", "KHÓM"};
  const char* const* words = urban ? khom : ap;
  std::string num = std::to_string(number);
  if (pick < 2) num = roman(number);
  if (pick == 2 && number < 10) num = "0" + num;
  const std::size_t w = pick < 6 ? 0 : static_cast<std::size_t>(rng.below(4));
  return std::string(words[w]) + (pick == 11 ? "  " : " ") + num;
}

/// A poverty status as review lists write it.
std::string status_spelling(std::uint8_t code, Rng& rng) {
  static const char* const poor[] = {"Hộ nghèo", "Hộ nghèo", "Hộ nghèo", "hộ nghèo", "Nghèo", "HỘ NGHÈO", "Ho ngheo"};
  static const char* const near[] = {"Hộ cận nghèo", "Hộ cận nghèo", "Hộ cận nghèo", "hộ cận nghèo",
                                     "Cận nghèo",    "HỘ CẬN NGHÈO", "Ho can ngheo"};
  static const char* const other[] = {"Không nghèo",    "Không nghèo",        "Không nghèo",
                                      "Hộ không nghèo", "không nghèo",        "Khong ngheo",
                                      "Hộ thoát nghèo", "Hộ thoát cận nghèo", "Hộ mới thoát nghèo"};
  switch (code) {
    case detail::synth::k_poor:
      return poor[rng.below(std::size(poor))];
    case detail::synth::k_near_poor:
      return near[rng.below(std::size(near))];
    default:
      return other[rng.below(std::size(other))];
  }
}

/// The rows of t whose text column `column` is one of `values`.
std::vector<std::size_t> rows_in(const Table& t, const std::string& column, const std::set<std::string>& values) {
  std::vector<std::size_t> rows;
  const Column& c = t.column(column);
  for (std::size_t i = 0; i < t.rows(); ++i)
    if (values.count(c.as_text(i)) != 0) rows.push_back(i);
  return rows;
}

/// Square footprint of side s centred at (x, y), turned by angle a (radians), as a MultiPolygon.
detail::Wkb footprint(double x, double y, double s, double a) {
  detail::XyPath ring;
  const double c = std::cos(a) * s / 2, d = std::sin(a) * s / 2;
  for (const auto& [u, v] : {std::pair{-1.0, -1.0}, {1.0, -1.0}, {1.0, 1.0}, {-1.0, 1.0}, {-1.0, -1.0}}) {
    ring.x.push_back(x + u * c - v * d);
    ring.y.push_back(y + u * d + v * c);
  }
  return detail::multipolygon({{ring}});
}

std::string group_digits(std::int64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string lists_scenario_yaml(const SynthOptions& o) {
  std::string t;
  t += "# SYNTHETIC data (infogap synth --example lists --seed " + std::to_string(o.seed) + "): see README.md.\n";
  t += "# What a commune holds: commune outlines, one point per hamlet, the household list (Excel) keyed by\n";
  t += "# commune and hamlet name without coordinates, building footprints, loudspeakers and teams.\n";
  t += "name: \"Hòa Bình — danh sách của xã / a commune's lists (SYNTHETIC DATA)\"\n";
  t += "working_crs: auto\n";
  t += "synthetic: true\n";
  t += "communes:                   # commune polygons: each is split among its hamlet points\n";
  t += "  path: communes.gpkg\n  layer: communes\n  id: gso_code\n  name: commune\n";
  t += "hamlets:                    # one point per hamlet (its centre), no boundary\n";
  t += "  path: hamlets.csv\n  x: lon\n  y: lat\n  crs: \"EPSG:4326\"\n  id: hamlet_id\n  name: name\n";
  t += "  commune: commune\n  group_by: [commune]\n";
  t += "households:                 # the poverty review list, no coordinates\n";
  t += "  path: households.xlsx\n  layer: \"" + std::string(k_sheet) + "\"\n  id: \"Mã hộ\"\n";
  t += "  commune: \"Xã/Phường/Thị trấn\"\n  hamlet_name: \"Ấp/Khóm\"\n  status: \"Phân loại hộ\"\n";
  t += "  status_values: {\"Hộ mới thoát nghèo\": not_poor}   # a label of this list\n";
  t += "  members: \"Số nhân khẩu\"\n  internet: \"Sử dụng Internet\"\n  devices: \"Số thiết bị thông tin\"\n";
  t += "demand:                     # households are placed on the building footprints of their hamlet\n";
  t += "  footprints: {path: footprints.gpkg, layer: footprints}\n";
  t += "speakers:\n  path: speakers.gpkg\n  layer: speakers\n  id: speaker_id\n  cluster: cluster_id\n";
  t += "teams:\n  path: teams.gpkg\n  layer: teams\n  id: team_id\n  members: members\n";
  t += "  reach_m: 1500\n  households_per_member: 5\n";
  t += "optimize:\n  new_speakers: 6\n  new_teams: 2\n";
  t += "  candidates: {path: candidates.gpkg, layer: candidates, id: candidate_id, kind: kind, name: name, type: "
       "type}\n";
  t += "output:\n  dir: out\n  languages: [vi, en]\n  formats: [gpkg, shp, tif, csv, html, qgis, xlsx]\n";
  return t;
}

std::string lists_readme(const SynthOptions& o, const SynthSummary& s) {
  std::string t;
  t += "# A commune's lists — SYNTHETIC example (Hòa Bình district, Bạc Liêu)\n\n";
  t += "**Every record in this folder is SYNTHETIC (dữ liệu tổng hợp, không phải dữ liệu thật), except the commune "
       "outlines.** Nothing here describes a real hamlet, household, building, loudspeaker or team.\n";
  t += "It was generated by `infogap synth --example lists --seed " + std::to_string(o.seed) +
       " -o <dir>`: the four communes below cut from the synthetic province of the same seed (`data/bac_lieu`), "
       "written in the form a commune holds its data.\n\n";
  t += "## What a commune holds, and where it is here\n\n";
  t += "| file | what | rows |\n|---|---|---|\n";
  t += "| communes.gpkg | layer `communes`: the real outlines (censusVN2009, MIT; see `data/README.md`) of " +
       std::to_string(s.communes) + " communes, `gso_code, commune, commune_type, district`, EPSG:32648 | " +
       group_digits(s.communes) + " |\n";
  t += "| hamlets.csv | one point per hamlet (its centre), no boundary: `hamlet_id, name, commune, lon, lat` "
       "(EPSG:4326) | " +
       group_digits(s.hamlets) + " |\n";
  t += "| households.xlsx | sheet `" + std::string(k_sheet) +
       "`, the poverty review list: `STT, Mã hộ, Xã/Phường/Thị trấn, Ấp/Khóm, Phân loại hộ, Số nhân khẩu, Sử "
       "dụng Internet, Số thiết bị thông tin`; **no coordinates** | " +
       group_digits(s.households) + " |\n";
  t += "| footprints.gpkg | layer `footprints`: synthetic building footprints (8–16 m squares around the "
       "synthetic homes, plus sheds and shops), EPSG:32648 | " +
       group_digits(s.footprints) + " |\n";
  t += "| speakers.gpkg | loudspeaker horns, grouped by `cluster_id` | " + group_digits(s.speakers) + " horns in " +
       group_digits(s.clusters) + " clusters |\n";
  t += "| teams.gpkg | digital-technology teams | " + group_digits(s.teams) + " teams, " +
       group_digits(s.team_members) + " members |\n";
  t += "| candidates.gpkg | candidate sites with `name` and `type` (cultural_house, school, hamlet_centre) | " +
       group_digits(s.candidates) + " |\n";
  t += "| scenario.yaml | the scenario: `communes:`, `households.commune / hamlet_name / status_values`, "
       "`demand.footprints` | |\n\n";
  t += "Households: " + group_digits(s.poor) + " poor, " + group_digits(s.near_poor) + " near-poor.\n\n";
  t += "## How the list is written\n\n";
  t += "As people type it: the commune as `Xã Vĩnh Hậu`, `Vĩnh Hậu`, `Xa Vinh Hau`, `VINH HAU`, `xã Vĩnh Hậu`; the "
       "hamlet as `Ấp 3`, `ấp III`, `Ap 03`, `ẤP 3`, or by name (`Ấp Phước Thạnh`, `Phuoc Thanh`: the hamlets of "
       "Xã Vĩnh Thịnh are named, the others numbered); the status as `Hộ nghèo`, `Nghèo`, `HỘ CẬN NGHÈO`, `Ho "
       "ngheo`, `Không nghèo`, `Hộ thoát nghèo`, `Hộ thoát cận nghèo` or `Hộ mới thoát nghèo` (a label of this "
       "list: `households.status_values` maps it); internet use as `Có` / `Không` (some left empty: unknown). About "
       "one row in a thousand names a hamlet its commune does not have (`Ấp 47`): `infogap` rejects it with the "
       "closest names.\n\n";
  t += "## What is approximate in a run\n\n";
  t += "The hamlet boundaries are **derived** (each commune split among its hamlet points, Voronoi) and the "
       "households are **placed** on the footprints of their hamlet (no surveyed location): the report and "
       "`summary.json` (`locations`) say so. The counts per hamlet and per status are exact.\n";
  return t;
}

}  // namespace

SynthSummary write_synth_lists(const SynthOptions& options, const std::string& out_dir, const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  if (options.scale != SynthScale::province)
    throw InvalidInput(ErrorCode::invalid_input, "synth --example lists: only at the province scale");
  if (out_dir.empty()) throw InvalidInput(ErrorCode::invalid_input, "synth: an output folder (-o DIR) is required");
  const std::int64_t households = detail::synth::resolved_households(options);
  const fs::path dir(out_dir);
  detail::synth::prepare_dir(dir);
  if (progress) progress("generate", 0.0);
  const detail::synth::ProvinceSpec spec = detail::synth::province_spec(options, households);
  const ProvinceData d = detail::synth::generate_province(spec, options.seed, true);
  if (progress) progress("generate", 1.0);
  if (progress) progress("write", 0.0);

  const std::vector<std::string>& names = synth_lists_communes();
  const std::set<std::string> wanted(names.begin(), names.end());
  std::vector<std::size_t> communes;  // indices into d.communes, in the order of `names`
  for (const std::string& n : names)
    for (std::size_t c = 0; c < d.communes.size(); ++c)
      if (d.communes[c].spec->name == n) communes.push_back(c);
  if (communes.size() != names.size())
    throw Error(ErrorCode::internal, "synth --example lists: a commune of the example is not in the province");

  SynthSummary summary;
  summary.communes = static_cast<std::int64_t>(communes.size());

  // Hamlet names: numbered, except in Xã Vĩnh Thịnh.
  std::vector<std::string> hamlet_name(d.hamlets.size());  // "" = numbered
  for (const std::size_t c : communes) {
    const auto& g = d.communes[c];
    if (g.spec->name != "Xã Vĩnh Thịnh") continue;
    for (std::size_t k = 0; k < g.hamlet_count; ++k) hamlet_name[g.first_hamlet + k] = k_named_hamlets[k % 15];
  }
  auto label = [&](std::size_t h) {
    const bool urban = detail::synth::is_urban(d.communes[d.hamlets[h].commune].spec->type);
    const std::string word = urban ? "Khóm" : "Ấp";
    return word + " " + (hamlet_name[h].empty() ? std::to_string(d.hamlets[h].number) : hamlet_name[h]);
  };
  // Named hamlets by id → ("Ấp N" as the generator wrote it, the name).
  std::map<std::string, std::pair<std::string, std::string>> renamed;
  for (std::size_t h = 0; h < d.hamlets.size(); ++h)
    if (!hamlet_name[h].empty()) renamed[d.hamlets[h].id] = {"Ấp " + std::to_string(d.hamlets[h].number), label(h)};

  // Communes: the real outlines (the province's clean partition).
  {
    const Table cut = detail::take_rows(d.communes_table, rows_in(d.communes_table, "commune", wanted));
    Table t;
    for (const char* c : {"gso_code", "commune", "commune_type", "district"}) t.columns.push_back(cut.column(c));
    t.geometry_kind = cut.geometry_kind;
    t.wkb = cut.wkb;
    detail::write_gpkg((dir / "communes.gpkg").string(), {{"communes", &t, ""}}, k_synth_epsg);
    summary.files.push_back((dir / "communes.gpkg").string());
  }

  // Hamlets: one point each (the centre), lon/lat, no boundary.
  {
    std::vector<std::string> id, name, commune;
    std::vector<double> lon, lat;
    for (const std::size_t c : communes) {
      const auto& g = d.communes[c];
      for (std::size_t k = 0; k < g.hamlet_count; ++k) {
        const std::size_t h = g.first_hamlet + k;
        id.push_back(d.hamlets[h].id);
        name.push_back(label(h));
        commune.push_back(g.spec->name);
        double x = 0, y = 0;
        detail::synth::utm_inverse(d.hamlets[h].centre_x, d.hamlets[h].centre_y, x, y);
        lon.push_back(std::stod(fixed_text(x, 6)));
        lat.push_back(std::stod(fixed_text(y, 6)));
      }
    }
    Table t;
    t.add_text("hamlet_id", std::move(id));
    t.add_text("name", std::move(name));
    t.add_text("commune", std::move(commune));
    t.geometry_kind = GeometryKind::point;
    for (std::size_t i = 0; i < lon.size(); ++i) t.wkb.push_back(detail::point_wkb(lon[i], lat[i]));
    summary.hamlets = static_cast<std::int64_t>(lon.size());
    detail::write_vector((dir / "hamlets.csv").string(), "CSV", "hamlets", t, 4326);
    summary.files.push_back((dir / "hamlets.csv").string());
  }

  // Households: the list as a commune keeps it (no coordinates), and footprints around their homes.
  {
    std::vector<std::int64_t> row_no, members, devices;
    std::vector<std::string> code, commune, hamlet, status, internet;
    Table fp;
    fp.geometry_kind = GeometryKind::multipolygon;
    std::vector<std::int64_t> fp_id;
    const auto& hb = d.households;
    for (const std::size_t c : communes) {
      const auto& g = d.communes[c];
      const bool urban = detail::synth::is_urban(g.spec->type);
      Rng rng(detail::synth::stream_seed(options.seed, k_stream_lists, c));
      const std::string prefix = detail::fold_key(bare_commune(g.spec->name));
      std::string initials;  // "VH" for Vĩnh Hậu: the household codes of the commune
      for (std::size_t p = 0; p < prefix.size(); ++p)
        if (p == 0 || prefix[p - 1] == ' ') initials += static_cast<char>(std::toupper(prefix[p]));
      int k = 0;
      for (std::size_t i = 0; i < hb.size(); ++i) {
        const std::size_t h = hb.hamlet[i];
        if (d.hamlets[h].commune != c) continue;
        row_no.push_back(static_cast<std::int64_t>(row_no.size()) + 1);
        char code_text[32];
        std::snprintf(code_text, sizeof code_text, "%s-%05d", initials.c_str(), ++k);
        code.push_back(code_text);
        commune.push_back(commune_spelling(g.spec->name, rng));
        // About one row in a thousand names a hamlet the commune does not have (a typing slip): rejected,
        // with the closest names suggested.
        if (rng.bernoulli(0.001))
          hamlet.push_back(std::string(urban ? "Khóm " : "Ấp ") + std::to_string(d.hamlets[h].number + 40));
        else
          hamlet.push_back(hamlet_spelling(urban, d.hamlets[h].number, hamlet_name[h], rng));
        status.push_back(status_spelling(hb.poverty[i], rng));
        members.push_back(hb.members[i]);
        const bool unknown = rng.bernoulli(0.02);
        internet.push_back(unknown               ? ""
                           : hb.internet[i] != 0 ? (rng.bernoulli(0.8) ? "Có" : "có")
                                                 : (rng.bernoulli(0.8) ? "Không" : "không"));
        devices.push_back(hb.devices[i]);
        if (hb.poverty[i] == detail::synth::k_poor) ++summary.poor;
        if (hb.poverty[i] == detail::synth::k_near_poor) ++summary.near_poor;
        // The home, and now and then a shed or shop beside it.
        fp.wkb.push_back(footprint(hb.x_m[i], hb.y_m[i], rng.uniform(8.0, 16.0), rng.uniform(0.0, 1.5)));
        if (rng.bernoulli(0.1)) {
          const double a = rng.uniform(0.0, 6.283185307179586), r = rng.uniform(20.0, 40.0);
          fp.wkb.push_back(footprint(hb.x_m[i] + r * std::cos(a), hb.y_m[i] + r * std::sin(a), rng.uniform(5.0, 12.0),
                                     rng.uniform(0.0, 1.5)));
        }
      }
    }
    summary.households = static_cast<std::int64_t>(row_no.size());
    Table t;
    t.add_integer("STT", std::move(row_no));
    t.add_text("Mã hộ", std::move(code));
    t.add_text("Xã/Phường/Thị trấn", std::move(commune));
    t.add_text("Ấp/Khóm", std::move(hamlet));
    t.add_text("Phân loại hộ", std::move(status));
    t.add_integer("Số nhân khẩu", std::move(members));
    t.add_text("Sử dụng Internet", std::move(internet));
    t.add_integer("Số thiết bị thông tin", std::move(devices));
    detail::write_xlsx((dir / "households.xlsx").string(), {{k_sheet, &t, ""}});
    summary.files.push_back((dir / "households.xlsx").string());
    for (std::size_t i = 0; i < fp.wkb.size(); ++i) fp_id.push_back(static_cast<std::int64_t>(i) + 1);
    summary.footprints = static_cast<std::int64_t>(fp.wkb.size());
    fp.add_integer("building_id", std::move(fp_id));
    detail::write_gpkg((dir / "footprints.gpkg").string(), {{"footprints", &fp, ""}}, k_synth_epsg);
    summary.files.push_back((dir / "footprints.gpkg").string());
  }

  // Equipment and candidate sites of the four communes; named hamlets renamed in the site names.
  {
    Table speakers = detail::take_rows(d.speakers, rows_in(d.speakers, "commune", wanted));
    Table teams = detail::take_rows(d.teams, rows_in(d.teams, "commune", wanted));
    Table candidates = detail::take_rows(d.candidates, rows_in(d.candidates, "commune", wanted));
    const Column& hid = candidates.column("hamlet_id");
    Column& cname = candidates.columns[*candidates.find("name")];
    for (std::size_t i = 0; i < candidates.rows(); ++i) {
      const auto it = renamed.find(hid.as_text(i));
      if (it == renamed.end()) continue;
      const auto& [numbered, named] = it->second;
      std::string& n = cname.texts[i];
      if (n.size() >= numbered.size() && n.compare(n.size() - numbered.size(), numbered.size(), numbered) == 0)
        n = n.substr(0, n.size() - numbered.size()) + named;
    }
    summary.speakers = static_cast<std::int64_t>(speakers.rows());
    const Column& cl = speakers.column("cluster_id");
    summary.clusters = static_cast<std::int64_t>(std::set<std::string>(cl.texts.begin(), cl.texts.end()).size());
    summary.teams = static_cast<std::int64_t>(teams.rows());
    for (const std::int64_t m : teams.column("members").ints) summary.team_members += m;
    summary.candidates = static_cast<std::int64_t>(candidates.rows());
    for (const auto& [file, layer, table] :
         {std::tuple{"speakers.gpkg", "speakers", &speakers}, std::tuple{"teams.gpkg", "teams", &teams},
          std::tuple{"candidates.gpkg", "candidates", &candidates}}) {
      detail::write_gpkg((dir / file).string(), {{layer, table, ""}}, k_synth_epsg);
      summary.files.push_back((dir / file).string());
    }
  }

  detail::write_file_atomic((dir / "scenario.yaml").string(), lists_scenario_yaml(options));
  summary.files.push_back((dir / "scenario.yaml").string());
  detail::write_file_atomic((dir / "README.md").string(), lists_readme(options, summary));
  summary.files.push_back((dir / "README.md").string());
  if (progress) progress("write", 1.0);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace infogap
