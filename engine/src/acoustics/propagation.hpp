#pragma once
// Private helpers of the acoustics area: input checks and precomputed propagation models that
// evaluate many distances for one fixed geometry without recomputing height-dependent terms.
#include <string>

#include "infogap/acoustics.hpp"

namespace infogap::detail {

/// Throws InvalidInput("<name> must be <what>, got <value>") unless ok.
void require(bool ok, const char* name, const char* what, double value);

/// Checks temperature, humidity and pressure (InvalidInput naming the field).
void check_air(const Air& air);
/// Checks that each G is in [0, 1].
void check_ground(const GroundG& g);
/// Checks power, sensitivity, height, azimuth and beamwidth of a horn.
void check_horn(const Horn& horn);
/// Checks receiver height, ambient, SNR, facade loss and ground of a listener.
void check_listening(const Listening& l);

/// α per band (exact midbands) in dB/m for one air state; the air must be valid.
Bands absorption_db_per_m(const Air& air);

/// ISO 9613-2 general-method ground attenuation for fixed heights and G; at(dp) only evaluates
/// the distance-dependent exponentials. Inputs must be valid.
class GroundModel {
 public:
  GroundModel(double source_height_m, double receiver_height_m, const GroundG& g) noexcept;
  /// Agr per band at ground distance dp >= 0, dB.
  Bands at(double ground_distance_m) const noexcept;

 private:
  /// Height-dependent factors of a′, b′, c′, d′ for one end region (source or receiver).
  struct End {
    double g = 0.0;
    double a_peak = 0.0;  // 3.0·e^(−0.12(h−5)²)
    double a_far = 0.0;   // 5.7·e^(−0.09h²)
    double b = 0.0;       // 8.6·e^(−0.09h²)
    double c = 0.0;       // 14.0·e^(−0.46h²)
    double d = 0.0;       // 5.0·e^(−0.9h²)
  };
  static End make_end(double h, double g) noexcept;
  static void add_end(const End& e, double near50, double far, Bands& out) noexcept;

  End m_source;
  End m_receiver;
  double m_middle_g = 0.0;
  double m_q_distance_m = 0.0;  // 30·(hs + hr)
};

/// A horn seen by one listener type under one air state: everything but the distance and the
/// directivity precomputed. Inputs must be valid.
class HornPath {
 public:
  HornPath(const Horn& horn, const Listening& l, const Air& air) noexcept;
  /// Lp per band at ground distance dp >= 0 with directivity D (dB).
  Bands band_levels(double ground_distance_m, double directivity_db) const noexcept;
  /// A-weighted level at ground distance dp >= 0 with directivity D, dB(A).
  double level_dba(double ground_distance_m, double directivity_db) const noexcept;

 private:
  Bands m_base_db{};  // S + 10·lg P − 6 + Speech_j − Afacade
  Bands m_alpha_db_per_m{};
  double m_height_difference_m = 0.0;
  GroundModel m_ground;
};

}  // namespace infogap::detail
