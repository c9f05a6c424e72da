#pragma once
// Private: what a synthetic province is made of before any geometry is generated: its outline,
// districts (with anchor points that shape them), communes (names, types, post-2025 unit, fixed
// seats of towns), trunk roads, and the totals to hit.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/gdal/wkb.hpp"

namespace infogap::detail::synth {

/// Commune-level unit type (pre-July-2025).
enum class CommuneType : std::uint8_t { xa, phuong, thi_tran };

/// "xã", "phường" or "thị trấn".
const char* to_text(CommuneType type) noexcept;
/// True for phường and thị trấn (urban units, whose hamlets are khóm).
inline bool is_urban(CommuneType type) noexcept {
  return type != CommuneType::xa;
}

/// One commune-level unit.
struct CommuneSpec {
  std::string code;  ///< short id used in every derived id, e.g. "BL07"
  std::string name;  ///< e.g. "Xã Ninh Quới A" (unique in the province)
  CommuneType type = CommuneType::xa;
  std::string commune_2025;  ///< post-2025 unit (illustrative)
  bool fixed = false;        ///< true: the seat is at (x, y) (towns, wards); false: placed by the generator
  double x = 0, y = 0;       ///< seat, EPSG:32648 metres, when fixed
  std::string gso_code;      ///< GSO code 2024 (Bạc Liêu; "" for national tiles)
  Wkb outline;               ///< real outline (EPSG:32648) when ProvinceSpec::real_outlines
};

/// One district-level unit.
struct DistrictSpec {
  std::string name;
  std::vector<std::array<double, 2>> anchors;  ///< Voronoi anchors whose cells make the district (m)
  std::vector<CommuneSpec> communes;
  std::string gso_code;  ///< GSO district code 2024 (Bạc Liêu; "" for national tiles)
  Wkb outline;           ///< real outline (EPSG:32648) when ProvinceSpec::real_outlines
};

/// A whole province to generate.
struct ProvinceSpec {
  std::string name;
  XyPath outline;           ///< closed ring without the repeated last point, EPSG:32648
  std::vector<bool> coast;  ///< coast[i]: the edge from vertex i to i+1 is sea coast
  std::vector<DistrictSpec> districts;
  std::vector<XyPath> trunk_roads;      ///< national/provincial roads (extend beyond the outline)
  int hamlets_total = 0;                ///< exact number of hamlets
  std::int64_t households = 0;          ///< exact number of households
  std::int64_t team_members_total = 0;  ///< exact total of team members (0 = natural draws)
  double canal_angle_deg = 30.0;        ///< main canal direction, degrees counter-clockwise from east
  std::uint64_t salt = 0;               ///< 0 for the province; tile number + 1 for national tiles
  /// true: the communes and districts carry real outlines (synth/boundaries.hpp); the generator
  /// makes the communes a clean partition of them instead of Voronoi cells of the districts.
  bool real_outlines = false;
};

/// Bạc Liêu (pre-2025 units): 7 districts, 64 communes (49 xã, 10 phường, 5 thị trấn) with their GSO
/// codes, 512 hamlets, 4,177 team members, the real extent. The outline, district anchors, seats and
/// roads are hand-typed approximations; attach_boundaries (synth/boundaries.hpp) adds the real
/// commune and district outlines.
ProvinceSpec bac_lieu_spec(std::int64_t households);

/// One synthetic tile of the national benchmark: a province-like blob centred at (cx, cy) with
/// 7 districts and 64 communes named "Xã 00123" etc. numbered from first_commune.
ProvinceSpec national_tile_spec(std::uint64_t seed, int tile, double cx, double cy, int first_commune,
                                int hamlets_total, std::int64_t households);

}  // namespace infogap::detail::synth
