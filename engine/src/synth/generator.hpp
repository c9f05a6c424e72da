#pragma once
// Private: the generator of one synthetic province, shared by the files that implement its steps:
// province_layout.cpp (outline, districts, communes, their attributes, canals and roads),
// province_people.cpp (hamlets of a commune, households, poverty and attributes),
// province_equipment.cpp (loudspeakers, teams, candidate sites) and province.cpp (assembly).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/gdal/wkb.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "synth/province.hpp"
#include "synth/random.hpp"
#include "synth/spec.hpp"

namespace infogap::detail::synth {

inline constexpr double k_poor_rate = 0.0509;       // Bạc Liêu, start of 2022 (DOMAIN.md)
inline constexpr double k_near_poor_rate = 0.0654;  // idem

// ---- per-commune outputs -----------------------------------------------------------------------

struct SpeakerRow {
  std::string cluster_id;
  int horn = 0;
  double x = 0, y = 0, power_w = 0, sensitivity_db = 0, height_m = 0, azimuth_deg = 0, beamwidth_deg = 0;
  std::size_t hamlet = 0;
};

struct TeamRow {
  std::string id;
  bool commune_level = false;
  std::int64_t members = 0;
  double x = 0, y = 0;
  std::size_t hamlet = 0;
};

struct CandidateRow {
  std::string id, kind, type, name;
  double x = 0, y = 0;
  std::size_t hamlet = 0;
};

struct CommuneOut {
  HouseholdBlock households;
  std::vector<SpeakerRow> speakers;
  std::vector<TeamRow> teams;
  std::vector<CandidateRow> candidates;
  std::vector<XyPath> hamlet_roads;
};

/// One province being generated; the steps run in the order of generate_province.
struct Generator {
  const ProvinceSpec& spec;
  std::uint64_t seed;
  ProvinceData& data;
  std::vector<std::vector<XyPath>> district_canals;
  std::vector<double> district_angle;        // radians from east
  std::vector<XyPath> roads;                 // trunk roads clipped to the outline
  std::vector<std::vector<XyPath>> streets;  // per commune (urban only)
  std::vector<CommuneOut> outs;

  std::uint64_t stream(std::uint64_t purpose, std::uint64_t index) const { return stream_seed(seed, purpose, index); }

  void outline_and_districts();
  void communes();
  void real_layout();  // instead of the two above when spec.real_outlines
  std::vector<std::array<double, 4>> real_coast(const std::vector<std::array<double, 4>>& typed) const;
  void commune_attributes();
  void canals();
  void commune_detail(std::size_t c);
  void households_of(std::size_t c, const PolygonIndex& index);
  void poverty_and_attributes(std::size_t c);
  void equipment(std::size_t c, const PolygonIndex& index);
  void assemble();
};
}  // namespace infogap::detail::synth
