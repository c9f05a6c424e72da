// `infogap acoustics absorption|level|range`: the acoustic model of ACOUSTICS.md from the shell.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "infogap/acoustics.hpp"
#include "infogap/error.hpp"

namespace infogap::cli {
namespace {

[[noreturn]] void bad_option(const std::string& option, const std::string& message) {
  throw InvalidInput(ErrorCode::invalid_input, option + ": " + message);
}

/// Comma-separated numbers; every item must parse completely as a finite number.
std::vector<double> parse_numbers(const std::string& option, const std::string& text) {
  std::vector<double> values;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find(',', begin);
    const std::string item = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    char* stop = nullptr;
    const double v = std::strtod(item.c_str(), &stop);
    if (item.empty() || stop == item.c_str() || *stop != '\0' || !std::isfinite(v)) {
      bad_option(option, "'" + text + "' is not a comma-separated list of numbers");
    }
    values.push_back(v);
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return values;
}

Eigen::Vector3d parse_point(const std::string& option, const std::string& text) {
  const std::vector<double> v = parse_numbers(option, text);
  if (v.size() != 3) bad_option(option, "expected x,y,z in metres, got '" + text + "'");
  if (v[2] < 0.0) bad_option(option, "height z must be >= 0 m, got '" + text + "'");
  return {v[0], v[1], v[2]};
}

GroundG parse_ground(const std::string& text) {
  const std::vector<double> v = parse_numbers("--ground-g", text);
  if (v.size() != 1 && v.size() != 3) bad_option("--ground-g", "expected G or Gs,Gm,Gr, got '" + text + "'");
  for (const double g : v) {
    if (g < 0.0 || g > 1.0) bad_option("--ground-g", "each G must be in [0, 1], got '" + text + "'");
  }
  return v.size() == 1 ? GroundG{v[0], v[0], v[0]} : GroundG{v[0], v[1], v[2]};
}

Air checked_air(double temperature_c, double humidity_pct, double pressure_kpa) {
  if (!std::isfinite(temperature_c) || temperature_c <= -273.15)
    bad_option("--temperature-c", "must be above -273.15 °C");
  if (!(humidity_pct >= 0.0 && humidity_pct <= 100.0)) bad_option("--humidity-pct", "must be in [0, 100] %");
  if (!std::isfinite(pressure_kpa) || pressure_kpa <= 0.0) bad_option("--pressure-kpa", "must be > 0 kPa");
  return {temperature_c, humidity_pct, pressure_kpa};
}

/// An option under the name the scenario and Python use (e.g. --power-w for power_w), with its old
/// spelling kept as a hidden alias (same variable; not shown in --help).
template <class T>
CLI::Option* named_option(CLI::App* cmd, const std::string& name, const std::string& old, T& value,
                          const std::string& help) {
  CLI::Option* o = cmd->add_option(name, value, help);
  if (!old.empty()) cmd->add_option(old, value)->group("");
  return o;
}

/// A required option given under either spelling (CLI11 cannot require one of two names).
template <class T>
void require_given(const std::string& name, const std::optional<T>& value) {
  if (!value) bad_option(name, "is required");
}

void print_json(const nlohmann::json& j) {
  std::printf("%s\n", j.dump().c_str());
}

/// Options shared by the three subcommands.
struct AirOptions {
  double temperature_c = Air{}.temperature_c;
  double humidity_pct = Air{}.humidity_pct;
  double pressure_kpa = Air{}.pressure_kpa;
  bool json = false;

  void add_to(CLI::App* cmd) {
    named_option(cmd, "--temperature-c", "--temperature", temperature_c, "Air temperature, °C")->capture_default_str();
    named_option(cmd, "--humidity-pct", "--humidity", humidity_pct, "Relative humidity, %")->capture_default_str();
    named_option(cmd, "--pressure-kpa", "--pressure", pressure_kpa, "Atmospheric pressure, kPa")->capture_default_str();
    cmd->add_flag("--json", json, "Print JSON instead of a table");
  }
  Air air() const { return checked_air(temperature_c, humidity_pct, pressure_kpa); }
};

void add_absorption(CLI::App* parent, int& exit_code) {
  struct Options : AirOptions {
    std::optional<double> frequency_hz;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = parent->add_subcommand("absorption", "Air absorption coefficient α of ISO 9613-1, dB/km");
  named_option(cmd, "--frequency-hz", "--frequency", opt->frequency_hz, "Frequency, Hz (required)");
  opt->add_to(cmd);
  cmd->callback([opt, &exit_code] {
    require_given("--frequency-hz", opt->frequency_hz);
    const double frequency_hz = *opt->frequency_hz;
    if (!std::isfinite(frequency_hz) || frequency_hz <= 0.0) bad_option("--frequency-hz", "must be > 0 Hz");
    const Air air = opt->air();
    const double alpha = atmospheric_absorption(frequency_hz, air.temperature_c, air.humidity_pct, air.pressure_kpa);
    if (opt->json) {
      print_json({{"alpha_db_per_km", alpha}});
    } else {
      std::printf("frequency     %10.2f Hz\n", frequency_hz);
      std::printf("temperature   %10.2f °C\n", air.temperature_c);
      std::printf("humidity      %10.2f %%\n", air.humidity_pct);
      std::printf("pressure      %10.3f kPa\n", air.pressure_kpa);
      std::printf("alpha         %10.4f dB/km\n", alpha);
    }
    exit_code = 0;
  });
}

void add_level(CLI::App* parent, int& exit_code) {
  struct Options : AirOptions {
    std::optional<std::string> lw, source, receiver;
    std::string ground = "0.7";
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = parent->add_subcommand(
      "level", "Octave-band levels at a receiver from a point source of sound power Lw (ISO 9613-2 Eq. 3, downwind)");
  named_option(cmd, "--lw-db", "--lw", opt->lw,
               "Sound power level, dB re 1 pW: one value for all bands or 8 comma-separated (required)");
  named_option(cmd, "--source-xyz", "--source", opt->source,
               "Source x,y,z in metres, z = height above ground (required)");
  named_option(cmd, "--receiver-xyz", "--receiver", opt->receiver, "Receiver x,y,z in metres (required)");
  named_option(cmd, "--ground-g", "--ground", opt->ground, "Ground factor G, or Gs,Gm,Gr per region, each in [0, 1]")
      ->capture_default_str();
  opt->add_to(cmd);
  cmd->callback([opt, &exit_code] {
    require_given("--lw-db", opt->lw);
    require_given("--source-xyz", opt->source);
    require_given("--receiver-xyz", opt->receiver);
    const std::vector<double> lw_values = parse_numbers("--lw-db", *opt->lw);
    if (lw_values.size() != 1 && lw_values.size() != 8) {
      bad_option("--lw-db", "expected one value or 8 comma-separated values, got " + std::to_string(lw_values.size()));
    }
    Bands lw{};
    for (std::size_t j = 0; j < lw.size(); ++j) lw[j] = lw_values.size() == 1 ? lw_values[0] : lw_values[j];
    const Eigen::Vector3d source = parse_point("--source-xyz", *opt->source);
    const Eigen::Vector3d receiver = parse_point("--receiver-xyz", *opt->receiver);
    const GroundG g = parse_ground(opt->ground);
    const Bands levels = point_source_levels(lw, source, receiver, g, opt->air());
    const double la = a_weighted(levels);
    if (opt->json) {
      print_json({{"bands_hz", k_octave_bands_hz}, {"levels_db", levels}, {"la_dba", la}});
    } else {
      std::printf("distance %.2f m (ground %.2f m); G = %g/%g/%g\n", (receiver - source).norm(),
                  (receiver.head<2>() - source.head<2>()).norm(), g.source, g.middle, g.receiver);
      std::printf("%8s %10s %10s\n", "band Hz", "Lw dB", "Lp dB");
      for (std::size_t j = 0; j < levels.size(); ++j) {
        std::printf("%8.0f %10.2f %10.2f\n", k_octave_bands_nominal_hz[j], lw[j], levels[j]);
      }
      std::printf("%8s %10s %10.2f dB(A)\n", "LA", "", la);
    }
    exit_code = 0;
  });
}

void add_range(CLI::App* parent, int& exit_code) {
  struct Options : AirOptions {
    Horn horn;
    Listening listening;
    std::string ground = "0.7";
    std::string distances = "0,50,100,200,300,500,1000";
    double max_m = 5000.0;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = parent->add_subcommand("range", "On-axis audible range of a horn (speech SNR above ambient)");
  named_option(cmd, "--power-w", "--power", opt->horn.power_w, "Power tap, W")->capture_default_str();
  named_option(cmd, "--sensitivity-db", "--sensitivity", opt->horn.sensitivity_db, "Sensitivity, dB SPL at 1 W / 1 m")
      ->capture_default_str();
  named_option(cmd, "--height-m", "--height", opt->horn.height_m, "Horn height above ground, m")->capture_default_str();
  named_option(cmd, "--ambient-dba", "--ambient", opt->listening.ambient_dba, "Ambient noise, dB(A)")
      ->capture_default_str();
  named_option(cmd, "--required-snr-db", "--snr", opt->listening.required_snr_db, "Required speech-to-noise margin, dB")
      ->capture_default_str();
  named_option(cmd, "--ground-g", "--ground", opt->ground, "Ground factor G, or Gs,Gm,Gr per region, each in [0, 1]")
      ->capture_default_str();
  named_option(cmd, "--facade-loss-db", "--facade", opt->listening.facade_loss_db,
               "Facade loss for listeners indoors, dB")
      ->capture_default_str();
  named_option(cmd, "--receiver-height-m", "--receiver-height", opt->listening.receiver_height_m,
               "Listener ear height, m")
      ->capture_default_str();
  named_option(cmd, "--distance-m", "", opt->distances, "Distances on axis to list the level at, m, comma-separated")
      ->capture_default_str();
  named_option(cmd, "--max-m", "--max", opt->max_m, "Largest distance searched, m")->capture_default_str();
  opt->add_to(cmd);
  cmd->callback([opt, &exit_code] {
    const Horn& h = opt->horn;
    Listening l = opt->listening;
    if (!std::isfinite(h.power_w) || h.power_w <= 0.0) bad_option("--power-w", "must be > 0 W");
    if (!std::isfinite(h.sensitivity_db)) bad_option("--sensitivity-db", "must be finite");
    if (!std::isfinite(h.height_m) || h.height_m < 0.0) bad_option("--height-m", "must be >= 0 m");
    if (!std::isfinite(l.ambient_dba)) bad_option("--ambient-dba", "must be finite");
    if (!std::isfinite(l.required_snr_db)) bad_option("--required-snr-db", "must be finite");
    if (!std::isfinite(l.facade_loss_db) || l.facade_loss_db < 0.0) bad_option("--facade-loss-db", "must be >= 0 dB");
    if (!std::isfinite(l.receiver_height_m) || l.receiver_height_m < 0.0)
      bad_option("--receiver-height-m", "must be >= 0 m");
    if (!std::isfinite(opt->max_m) || opt->max_m <= 0.0) bad_option("--max-m", "must be > 0 m");
    const std::vector<double> distances = parse_numbers("--distance-m", opt->distances);
    for (const double d : distances)
      if (d < 0.0) bad_option("--distance-m", "distances must be >= 0 m");
    l.ground = parse_ground(opt->ground);
    const Air air = opt->air();
    const double range = audible_range(h, l, air, opt->max_m);
    if (opt->json) {
      print_json({{"range_m", range}});
    } else {
      std::printf("horn: %g W, %g dB @ 1 W/1 m, %g m high; listener %g m, ambient %g dB(A), SNR %g dB, facade %g dB\n",
                  h.power_w, h.sensitivity_db, h.height_m, l.receiver_height_m, l.ambient_dba, l.required_snr_db,
                  l.facade_loss_db);
      std::printf("%12s %14s %10s\n", "distance m", "LA dB(A)", "SNR dB");
      for (const double d : distances) {
        const double la = horn_level_dba(h, d, 0.0, l, air);
        std::printf("%12.0f %14.1f %10.1f\n", d, la, la - l.ambient_dba);
      }
      std::printf("audible range on axis: %.1f m", range);
      if (range >= opt->max_m) std::printf(" (still heard at --max-m %.0f m)", opt->max_m);
      if (beyond_validity(range)) std::printf(" [beyond the ~1 km validity of ISO 9613-2]");
      std::printf("\n");
    }
    exit_code = 0;
  });
}

}  // namespace

void add_acoustics_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("acoustics", "Loudspeaker acoustics (ISO 9613-1/-2): absorption, level, range");
  cmd->require_subcommand(1);
  add_absorption(cmd, exit_code);
  add_level(cmd, exit_code);
  add_range(cmd, exit_code);
}

}  // namespace infogap::cli
