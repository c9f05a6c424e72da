// Synthetic province, equipment: loudspeaker clusters, teams and candidate sites of a commune.
#include "synth/generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "adapters/geos/geometry_ops.hpp"
#include "synth/geometry_util.hpp"
#include "synth/random.hpp"
#include "synth/utm.hpp"

namespace infogap::detail::synth {

void Generator::equipment(std::size_t c, const PolygonIndex& index) {
  CommuneGeo& g = data.communes[c];
  const CommuneSpec& cs = *g.spec;
  CommuneOut& out = outs[c];
  const HouseholdBlock& hb = out.households;
  Rng rng(stream(k_stream_speakers, spec.salt * 1000003ULL + c));
  const std::size_t n = g.hamlet_count;
  std::vector<std::uint32_t> hits;
  auto inside = [&](std::size_t k, double x, double y) {
    index.covering(x, y, hits);
    return std::find(hits.begin(), hits.end(), static_cast<std::uint32_t>(k)) != hits.end();
  };
  // Households of each hamlet (indices into the commune block).
  std::vector<std::vector<std::size_t>> members_of(n);
  for (std::size_t i = 0; i < hb.size(); ++i) members_of[hb.hamlet[i] - g.first_hamlet].push_back(i);

  // Clusters: 10–16 in a rural commune, fewer in wards and towns; some hamlets get none.
  std::int64_t clusters = 0;
  switch (cs.type) {
    case CommuneType::xa:
      clusters = rng.integer(10, 16);
      break;
    case CommuneType::phuong:
      clusters = rng.integer(3, 6);
      break;
    case CommuneType::thi_tran:
      clusters = rng.integer(5, 9);
      break;
  }
  double dmax = 1.0;
  for (std::size_t k = 0; k < n; ++k) {
    const HamletGeo& h = data.hamlets[g.first_hamlet + k];
    dmax = std::max(dmax, std::hypot(h.centre_x - g.office_x, h.centre_y - g.office_y));
  }
  std::vector<std::size_t> with;  // hamlets that will get a cluster at their centre (office hamlet first)
  with.push_back(0);
  std::vector<std::size_t> rest;
  for (std::size_t k = 1; k < n; ++k) {
    const HamletGeo& h = data.hamlets[g.first_hamlet + k];
    const double far = std::hypot(h.centre_x - g.office_x, h.centre_y - g.office_y) / dmax;
    if (rng.bernoulli(0.10 + 0.25 * far)) continue;  // deliberately left without a loudspeaker
    rest.push_back(k);
  }
  for (std::size_t k = rest.size(); k > 1; --k) std::swap(rest[k - 1], rest[rng.below(k)]);
  for (std::size_t k : rest)
    if (static_cast<std::int64_t>(with.size()) < clusters) with.push_back(k);
  for (std::size_t k = 0; k < n; ++k) data.hamlets[g.first_hamlet + k].has_speaker = false;
  for (std::size_t k : with) data.hamlets[g.first_hamlet + k].has_speaker = true;

  std::vector<std::array<double, 3>> sites;  // x, y, hamlet (local)
  for (std::size_t k : with) {
    const HamletGeo& h = data.hamlets[g.first_hamlet + k];
    double x = h.centre_x, y = h.centre_y;
    if (k == 0) {
      x = g.office_x;
      y = g.office_y;
    }
    const double a = rng.uniform(0.0, 2 * k_pi), r = rng.uniform(5.0, 30.0);
    if (inside(k, x + r * std::cos(a), y + r * std::sin(a))) {
      x += r * std::cos(a);
      y += r * std::sin(a);
    }
    sites.push_back({x, y, static_cast<double>(k)});
  }
  // More clusters along the roads of hamlets that have one, ≥ 350 m from the others when possible.
  std::vector<double> hw;
  for (std::size_t k : with) hw.push_back(static_cast<double>(members_of[k].size()));
  const bool any_households = std::any_of(hw.begin(), hw.end(), [](double v) { return v > 0; });
  while (static_cast<std::int64_t>(sites.size()) < clusters && any_households) {
    std::array<double, 3> best{};
    double best_d = -1;
    for (int tries = 0; tries < 60; ++tries) {
      const std::size_t k = with[rng.choose(hw)];
      const auto& mem = members_of[k];
      if (mem.empty()) continue;
      const std::size_t i = mem[rng.below(mem.size())];
      double dn = std::numeric_limits<double>::infinity();
      for (const auto& s : sites) dn = std::min(dn, std::hypot(hb.x_m[i] - s[0], hb.y_m[i] - s[1]));
      if (dn > best_d) {
        best_d = dn;
        best = {hb.x_m[i], hb.y_m[i], static_cast<double>(k)};
      }
      if (dn >= 350.0) break;
    }
    sites.push_back(best);
  }
  // Horns: mostly 2 per cluster pointing both ways along the canals.
  const double along = 90.0 - district_angle[g.district] * 180.0 / k_pi;  // compass bearing
  for (std::size_t s = 0; s < sites.size(); ++s) {
    char id[40];
    std::snprintf(id, sizeof id, "L-%s-%02zu", cs.code.c_str(), s + 1);
    const int horns = static_cast<int>(rng.choose({0.04, 0.86, 0.04, 0.06})) + 1;
    const double power = std::array<double, 3>{25, 30, 50}[rng.choose({0.25, 0.5, 0.25})];
    const double sens = std::array<double, 3>{108, 110, 112}[rng.choose({0.25, 0.45, 0.3})];
    const double height = 6.0 + 0.5 * static_cast<double>(rng.integer(0, 12));
    const double beam = std::array<double, 3>{60, 90, 120}[rng.choose({0.3, 0.6, 0.1})];
    const double az0 = along + rng.normal(0.0, 12.0);
    for (int k = 0; k < horns; ++k) {
      SpeakerRow row;
      row.cluster_id = id;
      row.horn = k + 1;
      row.x = sites[s][0];
      row.y = sites[s][1];
      row.power_w = power;
      row.sensitivity_db = sens;
      row.height_m = height;
      double az = std::fmod(az0 + 360.0 * k / horns, 360.0);
      if (az < 0) az += 360.0;
      row.azimuth_deg = std::round(az * 10.0) / 10.0;
      row.beamwidth_deg = beam;
      row.hamlet = g.first_hamlet + static_cast<std::size_t>(sites[s][2]);
      out.speakers.push_back(std::move(row));
    }
  }

  // Teams: one at the commune office, one per hamlet at its centre (cultural house).
  Rng trng(stream(k_stream_teams, spec.salt * 1000003ULL + c));
  {
    TeamRow t;
    t.id = "T-" + cs.code;
    t.commune_level = true;
    t.members = trng.integer(8, 12);
    t.x = g.office_x;
    t.y = g.office_y;
    t.hamlet = g.first_hamlet;
    out.teams.push_back(std::move(t));
  }
  for (std::size_t k = 0; k < n; ++k) {
    const HamletGeo& h = data.hamlets[g.first_hamlet + k];
    TeamRow t;
    t.id = "T-" + h.id;
    t.members = trng.integer(5, 9);
    t.x = h.centre_x;
    t.y = h.centre_y;
    const double a = trng.uniform(0.0, 2 * k_pi), r = trng.uniform(10.0, 40.0);
    if (inside(k, t.x + r * std::cos(a), t.y + r * std::sin(a))) {
      t.x += r * std::cos(a);
      t.y += r * std::sin(a);
    }
    t.hamlet = g.first_hamlet + k;
    out.teams.push_back(std::move(t));
  }

  // Candidate sites: centres of hamlets without a cluster (any), cultural houses (speaker),
  // schools (team).
  Rng crng(stream(k_stream_candidates, spec.salt * 1000003ULL + c));
  const char* hamlet_word = is_urban(cs.type) ? "Khóm" : "Ấp";
  int number = 0;
  auto add = [&](const char* kind, const char* type, const std::string& name, double x, double y, std::size_t k) {
    CandidateRow row;
    char id[40];
    std::snprintf(id, sizeof id, "D-%s-%02d", cs.code.c_str(), ++number);
    row.id = id;
    row.kind = kind;
    row.type = type;
    row.name = name;
    row.x = x;
    row.y = y;
    row.hamlet = g.first_hamlet + k;
    out.candidates.push_back(std::move(row));
  };
  for (std::size_t k = 0; k < n; ++k) {
    const HamletGeo& h = data.hamlets[g.first_hamlet + k];
    const std::string label = std::string(hamlet_word) + " " + std::to_string(h.number);
    if (!h.has_speaker) add("any", "hamlet_centre", "Trung tâm " + label, h.centre_x, h.centre_y, k);
    if (!members_of[k].empty() && crng.bernoulli(0.5)) {
      const std::size_t i = members_of[k][crng.below(members_of[k].size())];
      add("speaker", "cultural_house", "Nhà văn hóa " + label, hb.x_m[i], hb.y_m[i], k);
    }
  }
  if (hb.size() > 0) {
    const std::int64_t schools = crng.integer(2, 4);
    for (std::int64_t s = 0; s < schools; ++s) {
      const std::size_t i = static_cast<std::size_t>(crng.below(hb.size()));
      add("team", "school", "Trường học " + std::to_string(s + 1) + " – " + cs.name, hb.x_m[i], hb.y_m[i],
          hb.hamlet[i] - g.first_hamlet);
    }
  }
}

}  // namespace infogap::detail::synth
