#pragma once
// Private: PROJ adapter API. One PJ_CONTEXT per thread; transformers are per thread too.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace infogap::detail {

/// A coordinate transformation from one CRS to another, normalised for visualisation
/// (x = lon/easting, y = lat/northing whatever the authority axis order). Not thread-safe:
/// one instance per thread (it owns its own PJ_CONTEXT).
class Transformer {
 public:
  /// @throws InvalidInput(crs) if either CRS is unknown or no transformation exists
  Transformer(const std::string& source_crs, const std::string& target_crs);
  ~Transformer();
  Transformer(Transformer&&) noexcept;
  Transformer& operator=(Transformer&&) noexcept;
  Transformer(const Transformer&) = delete;
  Transformer& operator=(const Transformer&) = delete;

  /// Transforms n points in place. Points that fail become NaN and their indices are appended
  /// to failed (if given). Returns the number of failures.
  std::size_t transform(double* x, double* y, std::size_t n, std::vector<std::size_t>* failed = nullptr) const;
  /// True if source and target are the same CRS (transform is a no-op).
  bool is_identity() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// EPSG code of the WGS 84 / UTM zone containing (lon, lat): 326zz north, 327zz south.
int utm_epsg_for(double lon_deg, double lat_deg) noexcept;

/// Normalises a user CRS string ("EPSG:4326", "epsg:32648", WKT, PROJ string); returns
/// "EPSG:nnnn" when identifiable, otherwise the input. @throws InvalidInput(crs) if PROJ cannot parse it.
std::string normalize_crs(const std::string& crs);

/// EPSG code of a CRS string, or 0.
int epsg_of(const std::string& crs);

/// What PROJ knows about a CRS (the horizontal part of a compound CRS).
struct CrsInfo {
  std::string normalized;   ///< "EPSG:nnnn" when identifiable, otherwise the input text
  int epsg = 0;             ///< 0 when not identifiable as an EPSG code
  std::string name;         ///< e.g. "WGS 84 / UTM zone 48N"
  bool geographic = false;  ///< coordinates are longitude/latitude in degrees
  bool projected = false;   ///< a projected CRS
  bool metres = false;      ///< the first axis unit is the metre
};

/// Describes a CRS. @throws InvalidInput(crs) if PROJ cannot parse it or it is not a CRS.
CrsInfo crs_info(const std::string& crs);

}  // namespace infogap::detail
