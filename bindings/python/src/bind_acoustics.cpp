// infogap/acoustics.hpp → Python: ISO 9613-1 absorption, ISO 9613-2 point-source levels,
// A-weighting, horn levels and audible range (ACOUSTICS.md). Scalar C++ functions are vectorized
// over numpy arrays with py::vectorize; structs are bound with keyword constructors whose defaults
// come from the C++ default member initialisers.
#include <pybind11/stl.h>

#include <cmath>
#include <sstream>

#include "bindings.hpp"
#include "infogap/acoustics.hpp"
#include "infogap/error.hpp"

namespace infogap::python {
namespace {

py::array_t<double> bands_array(const Bands& b) {
  py::array_t<double> a(static_cast<py::ssize_t>(b.size()));
  std::copy(b.begin(), b.end(), a.mutable_data());
  return a;
}

py::tuple bands_tuple(const Bands& b) {
  py::tuple t(b.size());
  for (std::size_t i = 0; i < b.size(); ++i) t[i] = py::float_(b[i]);
  return t;
}

/// A float (one value for every band) or a sequence of 8 values.
Bands to_bands(const py::handle& h, const char* what) {
  Bands b{};
  if (py::isinstance<py::float_>(h) || py::isinstance<py::int_>(h)) {
    b.fill(h.cast<double>());
    return b;
  }
  const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(h);
  if (!a || a.ndim() != 1 || a.size() != static_cast<py::ssize_t>(b.size()))
    throw InvalidInput(ErrorCode::invalid_input, std::string(what) + ": expected one number or 8 octave-band values");
  std::copy(a.data(), a.data() + b.size(), b.begin());
  return b;
}

/// A GroundG, one G for every region, or a triple (Gs, Gm, Gr).
GroundG to_ground(const py::handle& h) {
  if (py::isinstance<GroundG>(h)) return h.cast<GroundG>();
  if (py::isinstance<py::float_>(h) || py::isinstance<py::int_>(h)) {
    const double g = h.cast<double>();
    return GroundG{g, g, g};
  }
  const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(h);
  if (!a || a.ndim() != 1 || a.size() != 3)
    throw InvalidInput(ErrorCode::invalid_input, "ground_g: expected G, (Gs, Gm, Gr) or a GroundG");
  return GroundG{a.at(0), a.at(1), a.at(2)};
}

Eigen::Vector3d to_xyz(const py::handle& h, const char* what) {
  const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(h);
  if (!a || a.ndim() != 1 || a.size() != 3)
    throw InvalidInput(ErrorCode::invalid_input, std::string(what) + ": expected (x, y, z) in metres");
  return {a.at(0), a.at(1), a.at(2)};
}

std::string repr_ground(const GroundG& g) {
  std::ostringstream s;
  s << "GroundG(source=" << g.source << ", middle=" << g.middle << ", receiver=" << g.receiver << ")";
  return s.str();
}

}  // namespace

void bind_acoustics(py::module_& m) {
  const Air air0;
  const GroundG g0;
  const Horn horn0;
  const Listening l0;

  py::class_<Air>(m, "Air", "Weather along the path (ISO 9613-1 inputs).")
      .def(py::init([](double temperature_c, double humidity_pct, double pressure_kpa) {
             return Air{temperature_c, humidity_pct, pressure_kpa};
           }),
           py::arg("temperature_c") = air0.temperature_c, py::arg("humidity_pct") = air0.humidity_pct,
           py::arg("pressure_kpa") = air0.pressure_kpa)
      .def_readwrite("temperature_c", &Air::temperature_c)
      .def_readwrite("humidity_pct", &Air::humidity_pct)
      .def_readwrite("pressure_kpa", &Air::pressure_kpa)
      .def("__repr__", [](const Air& a) {
        std::ostringstream s;
        s << "Air(temperature_c=" << a.temperature_c << ", humidity_pct=" << a.humidity_pct
          << ", pressure_kpa=" << a.pressure_kpa << ")";
        return s.str();
      });

  py::class_<GroundG>(m, "GroundG", "ISO 9613-2 ground factor per region (0 hard, 1 porous).")
      .def(py::init([](double source, double middle, double receiver) {
             return GroundG{source, middle, receiver};
           }),
           py::arg("source") = g0.source, py::arg("middle") = g0.middle, py::arg("receiver") = g0.receiver)
      .def_static(
          "uniform",
          [](double g) {
            return GroundG{g, g, g};
          },
          py::arg("g"), "One G for every region.")
      .def_readwrite("source", &GroundG::source)
      .def_readwrite("middle", &GroundG::middle)
      .def_readwrite("receiver", &GroundG::receiver)
      .def("__repr__", &repr_ground);

  py::class_<Horn>(m, "Horn", "One loudspeaker horn; azimuth_deg NaN = omnidirectional.")
      .def(py::init(
               [](double power_w, double sensitivity_db, double height_m, double azimuth_deg, double beamwidth_deg) {
                 return Horn{power_w, sensitivity_db, height_m, azimuth_deg, beamwidth_deg};
               }),
           py::arg("power_w") = horn0.power_w, py::arg("sensitivity_db") = horn0.sensitivity_db,
           py::arg("height_m") = horn0.height_m, py::arg("azimuth_deg") = horn0.azimuth_deg,
           py::arg("beamwidth_deg") = horn0.beamwidth_deg)
      .def_readwrite("power_w", &Horn::power_w)
      .def_readwrite("sensitivity_db", &Horn::sensitivity_db)
      .def_readwrite("height_m", &Horn::height_m)
      .def_readwrite("azimuth_deg", &Horn::azimuth_deg)
      .def_readwrite("beamwidth_deg", &Horn::beamwidth_deg)
      .def("__repr__", [](const Horn& h) {
        std::ostringstream s;
        s << "Horn(power_w=" << h.power_w << ", sensitivity_db=" << h.sensitivity_db << ", height_m=" << h.height_m
          << ", azimuth_deg=" << h.azimuth_deg << ", beamwidth_deg=" << h.beamwidth_deg << ")";
        return s.str();
      });

  py::class_<Listening>(m, "Listening", "The listener and the acoustic environment of a reach question.")
      .def(py::init([](double receiver_height_m, double ambient_dba, double required_snr_db, double facade_loss_db,
                       const py::object& ground_g) {
             return Listening{receiver_height_m, ambient_dba, required_snr_db, facade_loss_db, to_ground(ground_g)};
           }),
           py::arg("receiver_height_m") = l0.receiver_height_m, py::arg("ambient_dba") = l0.ambient_dba,
           py::arg("required_snr_db") = l0.required_snr_db, py::arg("facade_loss_db") = l0.facade_loss_db,
           py::arg("ground_g") = l0.ground.middle)
      .def_readwrite("receiver_height_m", &Listening::receiver_height_m)
      .def_readwrite("ambient_dba", &Listening::ambient_dba)
      .def_readwrite("required_snr_db", &Listening::required_snr_db)
      .def_readwrite("facade_loss_db", &Listening::facade_loss_db)
      .def_readwrite("ground", &Listening::ground)
      .def("__repr__", [](const Listening& l) {
        std::ostringstream s;
        s << "Listening(receiver_height_m=" << l.receiver_height_m << ", ambient_dba=" << l.ambient_dba
          << ", required_snr_db=" << l.required_snr_db << ", facade_loss_db=" << l.facade_loss_db
          << ", ground_g=" << repr_ground(l.ground) << ")";
        return s.str();
      });

  m.attr("k_octave_bands_hz") = bands_tuple(k_octave_bands_hz);
  m.attr("k_octave_bands_nominal_hz") = bands_tuple(k_octave_bands_nominal_hz);
  m.attr("k_a_weighting_db") = bands_tuple(k_a_weighting_db);
  m.attr("k_speech_spectrum_db") = bands_tuple(k_speech_spectrum_db);
  m.attr("k_validity_limit_m") = k_validity_limit_m;

  m.def("atmospheric_absorption", py::vectorize(&atmospheric_absorption), py::arg("frequency_hz"),
        py::arg("temperature_c"), py::arg("humidity_pct"), py::arg("pressure_kpa") = 101.325,
        "ISO 9613-1 pure-tone absorption coefficient in dB/km (numpy arrays broadcast).");

  m.def(
      "ground_attenuation",
      [](double source_height_m, double receiver_height_m, double ground_distance_m, const py::object& ground_g) {
        return bands_array(
            ground_attenuation(source_height_m, receiver_height_m, ground_distance_m, to_ground(ground_g)));
      },
      py::arg("source_height_m"), py::arg("receiver_height_m"), py::arg("ground_distance_m"), py::arg("ground_g"),
      "ISO 9613-2 general-method ground attenuation Agr per octave band, dB (negative = gain).");

  m.def(
      "point_source_levels",
      [](const py::object& lw_db, const py::object& source_xyz, const py::object& receiver_xyz,
         const py::object& ground_g, double temperature_c, double humidity_pct, double pressure_kpa) {
        return bands_array(point_source_levels(to_bands(lw_db, "lw_db"), to_xyz(source_xyz, "source_xyz"),
                                               to_xyz(receiver_xyz, "receiver_xyz"), to_ground(ground_g),
                                               Air{temperature_c, humidity_pct, pressure_kpa}));
      },
      py::arg("lw_db"), py::arg("source_xyz"), py::arg("receiver_xyz"), py::arg("ground_g"), py::arg("temperature_c"),
      py::arg("humidity_pct"), py::arg("pressure_kpa") = 101.325,
      "Octave-band levels (63 Hz-8 kHz) at the receiver from a point source of sound power lw_db, "
      "ISO 9613-2 Eq. 3 (downwind, no barrier), dB. ground_g: G, (Gs, Gm, Gr) or GroundG.");

  m.def(
      "a_weighted",
      [](const py::array_t<double, py::array::c_style | py::array::forcecast>& levels_db) -> py::object {
        if (levels_db.ndim() < 1 || levels_db.shape(levels_db.ndim() - 1) != 8)
          throw InvalidInput(ErrorCode::invalid_input, "a_weighted: the last axis must hold 8 octave-band levels");
        const py::ssize_t rows = levels_db.size() / 8;
        std::vector<py::ssize_t> shape(levels_db.shape(), levels_db.shape() + levels_db.ndim() - 1);
        py::array_t<double> out(shape);
        const double* in = levels_db.data();
        double* o = out.mutable_data();
        for (py::ssize_t r = 0; r < rows; ++r) {
          Bands b;
          std::copy(in + 8 * r, in + 8 * (r + 1), b.begin());
          o[r] = a_weighted(b);
        }
        if (levels_db.ndim() == 1) return py::float_(o[0]);
        return out;
      },
      py::arg("levels_db"),
      "A-weighted total of 8 octave-band levels, dB(A); an array of shape (..., 8) gives shape (...).");

  m.def("directivity_db",
        py::vectorize([](Horn horn, double bearing_deg) { return directivity_db(horn, bearing_deg); }), py::arg("horn"),
        py::arg("bearing_deg"), "Generic horn directivity D(theta), dB (0 on axis, >= -20).");

  m.def(
      "horn_band_levels",
      [](const Horn& horn, double ground_distance_m, double bearing_deg, const Listening& listening, const Air& air) {
        return bands_array(horn_band_levels(horn, ground_distance_m, bearing_deg, listening, air));
      },
      py::arg("horn"), py::arg("ground_distance_m"), py::arg("bearing_deg") = std::nan(""), py::arg("listening") = l0,
      py::arg("air") = air0, "Speech level per octave band at a listener, dB (bearing NaN = on axis).");

  m.def("horn_level_dba",
        py::vectorize([](Horn horn, double ground_distance_m, double bearing_deg, Listening listening, Air air) {
          return horn_level_dba(horn, ground_distance_m, bearing_deg, listening, air);
        }),
        py::arg("horn"), py::arg("ground_distance_m"), py::arg("bearing_deg") = std::nan(""), py::arg("listening") = l0,
        py::arg("air") = air0,
        "A-weighted speech level of one horn at a listener, dB(A); distance and bearing broadcast "
        "(bearing NaN = on axis).");

  m.def("audible_range", &audible_range, py::arg("horn") = horn0, py::arg("listening") = l0, py::arg("air") = air0,
        py::arg("max_m") = 5000.0,
        "On-axis distance (m) up to which the horn's speech exceeds ambient by the required SNR.");
}

}  // namespace infogap::python
