#pragma once
// Private: WGS 84 ↔ UTM (transverse Mercator, Krüger series to n⁴, sub-millimetre within a zone and
// well beyond) for the synthetic dataset, which converts its own coordinates without a PROJ context.

namespace infogap::detail::synth {

/// WGS 84 / UTM zone 48N (EPSG:32648): central meridian 105° E.
constexpr double k_utm48_lon0_deg = 105.0;

/// Geographic (lon, lat in degrees) → UTM easting/northing (m) of the northern zone with the given
/// central meridian.
void utm_forward(double lon_deg, double lat_deg, double& easting_m, double& northing_m,
                 double lon0_deg = k_utm48_lon0_deg) noexcept;

/// UTM easting/northing (m) → geographic (lon, lat in degrees).
void utm_inverse(double easting_m, double northing_m, double& lon_deg, double& lat_deg,
                 double lon0_deg = k_utm48_lon0_deg) noexcept;

}  // namespace infogap::detail::synth
