#pragma once
// Private: generation of one synthetic province (geometry, households, equipment) from a spec.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/gdal/wkb.hpp"
#include "infogap/synth.hpp"
#include "infogap/table.hpp"
#include "synth/spec.hpp"

namespace infogap::detail::synth {

/// Poverty status codes used in the household block.
enum PovertyCode : std::uint8_t { k_poor = 0, k_near_poor = 1, k_not_poor = 2 };
/// "poor", "near_poor", "not_poor".
const char* poverty_text(std::uint8_t code) noexcept;

/// A generated commune.
struct CommuneGeo {
  std::size_t district = 0;
  const CommuneSpec* spec = nullptr;
  Wkb polygon;                        ///< Polygon or MultiPolygon, EPSG:32648
  double office_x = 0, office_y = 0;  ///< commune office (seat)
  double area_m2 = 0;
  bool coastal = false;
  double remoteness = 0;                     ///< 0 (at a district town) … 1 (farthest in the province)
  double poor_rate = 0, near_poor_rate = 0;  ///< expected rates used for the allocation
  std::int64_t households = 0;
  std::size_t first_hamlet = 0, hamlet_count = 0;  ///< index range in ProvinceData::hamlets
  std::vector<XyPath> lines;                       ///< canals, roads and streets clipped to the commune
};

/// A generated hamlet.
struct HamletGeo {
  std::size_t commune = 0;
  int number = 0;  ///< N of "Ấp N" / "Khóm N"
  std::string id;
  Wkb polygon;                        ///< MultiPolygon, EPSG:32648
  double centre_x = 0, centre_y = 0;  ///< hamlet centre (its Voronoi seed, on a canal or road)
  double area_m2 = 0;
  std::int64_t households = 0;
  bool has_speaker = true;    ///< false: deliberately left without a loudspeaker cluster
  std::vector<XyPath> lines;  ///< lines clipped to the hamlet (plus the hamlet road)
};

/// Households as structure of arrays, in output order (commune, hamlet).
struct HouseholdBlock {
  std::vector<double> x_m, y_m;       ///< EPSG:32648 (round trip of the rounded lon/lat)
  std::vector<double> lon, lat;       ///< EPSG:4326, rounded to 6 decimals
  std::vector<std::uint8_t> poverty;  ///< PovertyCode
  std::vector<std::uint8_t> members, internet, devices;
  std::vector<std::uint32_t> hamlet;  ///< index into ProvinceData::hamlets
  std::vector<float> line_offset_m;   ///< distance from the line it was strung along
  std::size_t size() const noexcept { return x_m.size(); }
  void reserve(std::size_t n);
  void append(const HouseholdBlock& other);
};

/// Everything generated for one province.
struct ProvinceData {
  const ProvinceSpec* spec = nullptr;
  Wkb outline;
  std::vector<Wkb> districts;
  std::vector<CommuneGeo> communes;
  std::vector<HamletGeo> hamlets;
  HouseholdBlock households;
  Table hamlets_table, speakers, teams, candidates, canals, communes_table, districts_table;
};

/// Generates the province. Deterministic for (spec, seed): every random stream is keyed by the
/// entity it generates, so the result does not depend on `parallel` or the thread count.
/// parallel: use infogap::parallel_for for the per-commune work.
ProvinceData generate_province(const ProvinceSpec& spec, std::uint64_t seed, bool parallel);

/// Fixed-point text of v with `decimals` digits (no exponent), as written to the CSV.
std::string fixed_text(double v, int decimals);

/// Bạc Liêu with the real outlines of options.boundaries (or the bundled copy), synth.cpp.
ProvinceSpec province_spec(const SynthOptions& options, std::int64_t households);
/// The number of households options ask for (0 = the scale's default). @throws InvalidInput if < 0
std::int64_t resolved_households(const SynthOptions& options);
/// Creates the output folder. @throws IoError
void prepare_dir(const std::filesystem::path& dir);

}  // namespace infogap::detail::synth
