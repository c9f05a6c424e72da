// write_outputs: every requested output of a run, staged and committed (DESIGN §5).
#include <chrono>
#include <cmath>
#include <optional>

#include "adapters/gdal/gdal_io.hpp"
#include "core/atomic_file.hpp"
#include "core/csv.hpp"
#include "infogap/error.hpp"
#include "output/output.hpp"
#include "output/products.hpp"
#include "output/staging.hpp"
#include "output/tables.hpp"

namespace infogap::detail {
namespace {

/// Households per chunk of the streamed households layer (one GeoPackage transaction each).
constexpr std::size_t k_household_chunk_rows = 100000;

}  // namespace

void write_outputs(const Scenario& sc, const Inputs& in, const CoverageResult& cov, const SpeakerField& field,
                   const PlacementResult* placement, const std::string& dir, const RunOptions& options,
                   const std::function<std::string(const std::vector<std::string>&)>& summary,
                   std::map<std::string, double>& timings) {
  check_output_dir(sc, dir);
  Staging st(dir);
  auto timed = [&timings](const std::string& stage, auto&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    timings["write_" + stage] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  const auto& out = sc.output;
  const bool with_report = options.write_report;
  // Weights: seconds each step took on the bundled province at 10 m (summary.json timings_s).
  std::vector<std::pair<std::string, double>> steps;
  if (out.wants("gpkg")) steps.emplace_back("gpkg", 2.6);
  if (out.wants("csv")) steps.emplace_back("csv", 0.05);
  if (out.wants("xlsx")) steps.emplace_back("xlsx", 0.1);
  if (out.wants("tif")) {
    steps.emplace_back("rasterize", 2.9);
    for (const char* r : {"speech_level", "speakers_audible", "team_distance", "gap_density"})
      steps.emplace_back(r, r == std::string("speakers_audible") ? 0.2 : 1.3);
  }
  if (out.wants("shp")) steps.emplace_back("shp", 0.05);
  if (with_report && out.wants("html")) steps.emplace_back("html", 0.1);
  if (with_report && out.wants("qgis")) steps.emplace_back("qgis", 0.02);
  steps.emplace_back("summary", 0.02);
  WriteProgress progress(options.progress, std::move(steps));
  RunStyles styles = vector_styles(sc, in, field);
  const Table hamlets = hamlets_table(in, cov, placement);
  std::optional<Table> sites;
  if (placement) sites = proposed_sites_table(in, *placement);

  if (out.wants("gpkg")) {
    timed("gpkg", [&] {
      // The households layer is streamed in chunks built from the run's arrays (never a table of
      // every household); the other layers are small.
      const std::vector<std::string> names = output_layer_names(sc, in, placement);
      std::vector<Table> tables;
      tables.reserve(names.size());
      std::vector<VectorLayerOut> layers;
      for (const auto& name : names) {
        VectorLayerOut l{name, nullptr, styles.of(name)};
        if (name == "hamlets") {
          l.table = &hamlets;
        } else if (name == "proposed_sites") {
          l.table = &*sites;
        } else if (name == "households") {
          l.rows = in.households.size();
          l.chunk_rows = k_household_chunk_rows;
          l.chunk = [&](std::size_t begin, std::size_t end) { return households_table(in, cov, begin, end); };
        } else {
          l.table = &tables.emplace_back(output_table(sc, in, cov, placement, name));
        }
        layers.push_back(std::move(l));
      }
      write_gpkg(st.path("coverage.gpkg"), layers, in.working_epsg, progress.within("gpkg"));
    });
    progress.done("gpkg");
  }
  if (out.wants("csv")) {
    timed("csv", [&] {
      const CsvFormat format = csv_format(cov.households.condition_name);
      write_csv(csv_view(hamlets, true), st.path("hamlet_gaps.csv"), format);
      for (std::size_t g = 0; g < in.hamlets.group_names.size(); ++g)
        write_csv(csv_view(group_table(in, cov, g, false), true), st.path(in.hamlets.group_names[g] + "_gaps.csv"),
                  format);
      if (sites) write_csv(csv_view(*sites, false), st.path("proposed_sites.csv"), format);
    });
    progress.done("csv");
  }
  if (out.wants("xlsx")) {
    // The gap tables of the CSVs as one workbook, a sheet per table (same rows and columns).
    timed("xlsx", [&] {
      // The same rows, order and rounding as the CSV files (a workbook is read like them).
      const CsvFormat format = csv_format(cov.households.condition_name);
      auto as_read = [&format](Table t) {
        for (Column& c : t.columns) {
          const auto d = format.decimals.find(c.name);
          if (d == format.decimals.end() || c.type != ColumnType::real) continue;
          const double scale = std::pow(10.0, d->second);
          for (double& v : c.reals)
            if (std::isfinite(v)) v = std::round(v * scale) / scale;
        }
        return t;
      };
      std::vector<Table> tables;
      std::vector<std::string> names;
      tables.push_back(as_read(csv_view(hamlets, true)));
      names.emplace_back("hamlet_gaps");
      for (std::size_t g = 0; g < in.hamlets.group_names.size(); ++g) {
        tables.push_back(as_read(csv_view(group_table(in, cov, g, false), true)));
        names.push_back(in.hamlets.group_names[g] + "_gaps");
      }
      if (sites) {
        tables.push_back(as_read(csv_view(*sites, false)));
        names.emplace_back("proposed_sites");
      }
      std::vector<VectorLayerOut> sheets;
      for (std::size_t k = 0; k < tables.size(); ++k) sheets.push_back({names[k], &tables[k], ""});
      write_xlsx(st.path("gaps.xlsx"), sheets);
    });
    progress.done("xlsx");
  }
  if (out.wants("tif")) write_raster_products(sc, in, cov, field, st.dir(), styles, timings, progress);
  if (out.wants("shp")) {
    timed("shp", [&] { write_shapefiles(in, hamlets, sites ? &*sites : nullptr, st.dir(), styles); });
    progress.done("shp");
  }
  if (with_report && out.wants("html")) {
    timed("html", [&] {
      ReportModel model = build_report_model(sc, in, cov, placement);
      for (const auto& code : out.languages) model.languages.push_back(language_from_code(code));
      model.output_dir = normal_path(dir).string();  // as summary.json's "output_dir"
      for (const Language l : model.languages)
        write_report(model, l, st.path(std::string("report.") + to_code(l) + ".html"));
    });
    progress.done("html");
  }
  if (with_report && out.wants("qgis")) {
    timed("qgis", [&] { write_project(sc, in, sites ? &*sites : nullptr, field, st.dir(), styles); });
    progress.done("qgis");
  }
  write_rejects_csv(in.rejects, st.path("rejects.csv"));
  std::vector<std::string> files = st.files();
  files.emplace_back("summary.json");
  write_file_atomic(st.path("summary.json"), summary(files));
  st.commit({"summary.json"});
  progress.done("summary");
}

}  // namespace infogap::detail
