// Synthetic province: assembly of the generated pieces into tables, and generate_province, which
// runs the steps (province_layout.cpp, province_people.cpp, province_equipment.cpp) in order.
#include "synth/province.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "adapters/geos/geometry_ops.hpp"
#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "synth/generator.hpp"
#include "synth/geometry_util.hpp"
#include "synth/random.hpp"

namespace infogap::detail::synth {

const char* poverty_text(std::uint8_t code) noexcept {
  switch (code) {
    case k_poor:
      return "poor";
    case k_near_poor:
      return "near_poor";
    default:
      return "not_poor";
  }
}

std::string fixed_text(double v, int decimals) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  return std::string(buf, res.ptr);
}

void HouseholdBlock::reserve(std::size_t n) {
  x_m.reserve(n);
  y_m.reserve(n);
  lon.reserve(n);
  lat.reserve(n);
  poverty.reserve(n);
  members.reserve(n);
  internet.reserve(n);
  devices.reserve(n);
  hamlet.reserve(n);
  line_offset_m.reserve(n);
}

void HouseholdBlock::append(const HouseholdBlock& o) {
  auto cat = [](auto& a, const auto& b) { a.insert(a.end(), b.begin(), b.end()); };
  cat(x_m, o.x_m);
  cat(y_m, o.y_m);
  cat(lon, o.lon);
  cat(lat, o.lat);
  cat(poverty, o.poverty);
  cat(members, o.members);
  cat(internet, o.internet);
  cat(devices, o.devices);
  cat(hamlet, o.hamlet);
  cat(line_offset_m, o.line_offset_m);
}

void Generator::assemble() {
  // Households in commune order.
  std::size_t total = 0;
  for (const CommuneOut& o : outs) total += o.households.size();
  data.households.reserve(total);
  for (const CommuneOut& o : outs) data.households.append(o.households);

  // Teams: exact total of members (province scale): ±1 on random hamlet teams within 3–11.
  std::vector<TeamRow*> teams;
  for (CommuneOut& o : outs)
    for (TeamRow& t : o.teams) teams.push_back(&t);
  if (spec.team_members_total > 0) {
    Rng rng(stream(k_stream_teams, 999999));
    std::int64_t sum = 0;
    for (const TeamRow* t : teams) sum += t->members;
    std::size_t guard = 0;
    while (sum != spec.team_members_total && guard++ < 10000000) {
      TeamRow& t = *teams[rng.below(teams.size())];
      if (t.commune_level) continue;
      if (sum > spec.team_members_total && t.members > 3) {
        --t.members;
        --sum;
      } else if (sum < spec.team_members_total && t.members < 11) {
        ++t.members;
        ++sum;
      }
    }
    if (sum != spec.team_members_total) internal("cannot reach the team member total");
  }

  auto group = [&](std::size_t hamlet, std::vector<std::string>& commune, std::vector<std::string>& district) {
    const CommuneGeo& g = data.communes[data.hamlets[hamlet].commune];
    commune.push_back(g.spec->name);
    district.push_back(spec.districts[g.district].name);
  };

  {  // hamlets
    Table& t = data.hamlets_table;
    std::vector<std::string> id, name, commune, type, district, unit;
    t.geometry_kind = GeometryKind::multipolygon;
    for (const HamletGeo& h : data.hamlets) {
      const CommuneGeo& g = data.communes[h.commune];
      id.push_back(h.id);
      name.push_back(std::string(is_urban(g.spec->type) ? "Khóm " : "Ấp ") + std::to_string(h.number));
      commune.push_back(g.spec->name);
      type.push_back(to_text(g.spec->type));
      district.push_back(spec.districts[g.district].name);
      unit.push_back(g.spec->commune_2025);
      t.wkb.push_back(h.polygon);
    }
    t.add_text("hamlet_id", std::move(id));
    t.add_text("name", std::move(name));
    t.add_text("commune", std::move(commune));
    t.add_text("commune_type", std::move(type));
    t.add_text("district", std::move(district));
    t.add_text("commune_2025", std::move(unit));
  }
  {  // speakers (one row per horn)
    Table& t = data.speakers;
    t.geometry_kind = GeometryKind::point;
    std::vector<std::string> id, cluster, hamlet, commune, district;
    std::vector<double> power, sens, height, az, beam;
    for (const CommuneOut& o : outs)
      for (const SpeakerRow& s : o.speakers) {
        id.push_back(s.cluster_id + "-" + std::to_string(s.horn));
        cluster.push_back(s.cluster_id);
        power.push_back(s.power_w);
        sens.push_back(s.sensitivity_db);
        height.push_back(s.height_m);
        az.push_back(s.azimuth_deg);
        beam.push_back(s.beamwidth_deg);
        hamlet.push_back(data.hamlets[s.hamlet].id);
        group(s.hamlet, commune, district);
        t.wkb.push_back(point_wkb(s.x, s.y));
      }
    t.add_text("speaker_id", std::move(id));
    t.add_text("cluster_id", std::move(cluster));
    t.add_real("power_w", std::move(power));
    t.add_real("sensitivity_db", std::move(sens));
    t.add_real("height_m", std::move(height));
    t.add_real("azimuth_deg", std::move(az));
    t.add_real("beamwidth_deg", std::move(beam));
    t.add_text("hamlet_id", std::move(hamlet));
    t.add_text("commune", std::move(commune));
    t.add_text("district", std::move(district));
  }
  {  // teams
    Table& t = data.teams;
    t.geometry_kind = GeometryKind::point;
    std::vector<std::string> id, level, hamlet, commune, district;
    std::vector<std::int64_t> members;
    for (const TeamRow* r : teams) {
      id.push_back(r->id);
      level.push_back(r->commune_level ? "commune" : "hamlet");
      members.push_back(r->members);
      hamlet.push_back(r->commune_level ? std::string() : data.hamlets[r->hamlet].id);
      group(r->hamlet, commune, district);
      t.wkb.push_back(point_wkb(r->x, r->y));
    }
    std::vector<bool> null(hamlet.size());
    for (std::size_t i = 0; i < hamlet.size(); ++i) null[i] = hamlet[i].empty();
    t.add_text("team_id", std::move(id));
    t.add_text("level", std::move(level));
    t.add_integer("members", std::move(members));
    t.add_text("hamlet_id", std::move(hamlet), std::move(null));
    t.add_text("commune", std::move(commune));
    t.add_text("district", std::move(district));
  }
  {  // candidates
    Table& t = data.candidates;
    t.geometry_kind = GeometryKind::point;
    std::vector<std::string> id, kind, type, name, hamlet, commune, district;
    for (const CommuneOut& o : outs)
      for (const CandidateRow& r : o.candidates) {
        id.push_back(r.id);
        kind.push_back(r.kind);
        type.push_back(r.type);
        name.push_back(r.name);
        hamlet.push_back(data.hamlets[r.hamlet].id);
        group(r.hamlet, commune, district);
        t.wkb.push_back(point_wkb(r.x, r.y));
      }
    t.add_text("candidate_id", std::move(id));
    t.add_text("kind", std::move(kind));
    t.add_text("type", std::move(type));
    t.add_text("name", std::move(name));
    t.add_text("hamlet_id", std::move(hamlet));
    t.add_text("commune", std::move(commune));
    t.add_text("district", std::move(district));
  }
  {  // canals, roads, streets (context)
    Table& t = data.canals;
    t.geometry_kind = GeometryKind::linestring;
    std::vector<std::string> kind;
    auto push = [&](const XyPath& p, const char* k) {
      if (p.size() < 2) return;
      kind.push_back(k);
      t.wkb.push_back(linestring(p.x, p.y));
    };
    for (const auto& lines : district_canals)
      for (const XyPath& p : lines) push(p, "canal");
    for (const XyPath& p : roads) push(p, "road");
    for (const auto& lines : streets)
      for (const XyPath& p : lines) push(p, "street");
    for (const CommuneOut& o : outs)
      for (const XyPath& p : o.hamlet_roads) push(p, "hamlet_road");
    std::vector<std::int64_t> id(kind.size());
    std::iota(id.begin(), id.end(), std::int64_t{1});
    t.add_integer("line_id", std::move(id));
    t.add_text("kind", std::move(kind));
  }
  {  // communes (context)
    Table& t = data.communes_table;
    t.geometry_kind = GeometryKind::multipolygon;
    std::vector<std::string> code, gso, name, type, district, unit;
    std::vector<std::int64_t> coastal, hamlets, households;
    std::vector<double> office_x, office_y;
    for (const CommuneGeo& g : data.communes) {
      code.push_back(g.spec->code);
      gso.push_back(g.spec->gso_code);
      name.push_back(g.spec->name);
      type.push_back(to_text(g.spec->type));
      district.push_back(spec.districts[g.district].name);
      unit.push_back(g.spec->commune_2025);
      coastal.push_back(g.coastal ? 1 : 0);
      hamlets.push_back(static_cast<std::int64_t>(g.hamlet_count));
      households.push_back(g.households);
      office_x.push_back(g.office_x);
      office_y.push_back(g.office_y);
      t.wkb.push_back(as_multipolygon(g.polygon));
    }
    std::vector<bool> no_gso(gso.size());
    for (std::size_t i = 0; i < gso.size(); ++i) no_gso[i] = gso[i].empty();
    t.add_text("commune_code", std::move(code));
    t.add_text("gso_code", std::move(gso), std::move(no_gso));
    t.add_text("commune", std::move(name));
    t.add_text("commune_type", std::move(type));
    t.add_text("district", std::move(district));
    t.add_text("commune_2025", std::move(unit));
    t.add_integer("coastal", std::move(coastal));
    t.add_integer("hamlets", std::move(hamlets));
    t.add_integer("households", std::move(households));
    t.add_real("office_x", std::move(office_x));
    t.add_real("office_y", std::move(office_y));
  }
  {  // districts (context)
    Table& t = data.districts_table;
    t.geometry_kind = GeometryKind::multipolygon;
    std::vector<std::string> name, gso;
    std::vector<std::int64_t> communes;
    for (std::size_t d = 0; d < spec.districts.size(); ++d) {
      name.push_back(spec.districts[d].name);
      gso.push_back(spec.districts[d].gso_code);
      communes.push_back(static_cast<std::int64_t>(spec.districts[d].communes.size()));
      t.wkb.push_back(as_multipolygon(spec.real_outlines ? spec.districts[d].outline : data.districts[d]));
    }
    std::vector<bool> no_gso(gso.size());
    for (std::size_t i = 0; i < gso.size(); ++i) no_gso[i] = gso[i].empty();
    t.add_text("district", std::move(name));
    t.add_text("gso_code", std::move(gso), std::move(no_gso));
    t.add_integer("communes", std::move(communes));
  }
}

ProvinceData generate_province(const ProvinceSpec& spec, std::uint64_t seed, bool parallel) {
  ProvinceData data;
  data.spec = &spec;
  const std::uint64_t province_seed = spec.salt == 0 ? seed : stream_seed(seed, k_stream_national, spec.salt);
  Generator gen{spec, province_seed, data, {}, {}, {}, {}, {}};
  if (spec.real_outlines) {
    gen.real_layout();
  } else {
    gen.outline_and_districts();
    gen.communes();
  }
  gen.commune_attributes();
  gen.canals();
  gen.outs.resize(data.communes.size());
  const std::size_t n = data.communes.size();
  if (parallel) {
    parallel_for(
        n,
        [&gen](std::size_t begin, std::size_t end, unsigned) {
          for (std::size_t c = begin; c < end; ++c) gen.commune_detail(c);
        },
        1);
  } else {
    for (std::size_t c = 0; c < n; ++c) gen.commune_detail(c);
  }
  gen.assemble();
  return data;
}

}  // namespace infogap::detail::synth