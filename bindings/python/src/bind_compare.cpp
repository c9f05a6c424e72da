// infogap/compare.hpp → Python: compare_runs (GIL released) and its CompareResult. The tables are
// the change.gpkg layers as the writer gets them (infogap._core.Table); frames are built in Python.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "infogap/compare.hpp"

namespace infogap::python {
namespace {

py::dict totals_dict(const CompareTotals& t) {
  py::dict d;
  d["households"] = t.households;
  d["target_households"] = t.target_households;
  d["target_weight"] = t.target_weight;
  d["reached"] = t.reached;
  d["gap_households"] = t.gap_households;
  d["gap_weight"] = t.gap_weight;
  d["gap_rate"] = t.gap_rate;
  return d;
}

py::dict counts_dict(const ChangeCounts& c) {
  py::dict d;
  for (const auto& [k, v] : c.by_class) d[py::str(k)] = v;
  d["status_differs"] = c.status_differs;
  d["before"] = c.before;
  d["after"] = c.after;
  d["matched"] = c.matched;
  return d;
}

}  // namespace

void bind_compare(py::module_& m) {
  py::class_<CompareResult>(m, "CompareResult", "Progress between two runs (infogap/compare.hpp).")
      .def_readonly("units", &CompareResult::units, "Whose units: '' (each run's own), 'before' or 'after'.")
      .def_readonly("groupings", &CompareResult::groupings, "Groupings compared, in order.")
      .def_readonly("skipped", &CompareResult::skipped, "Groupings of one run only, not compared.")
      .def_readonly("unmapped", &CompareResult::unmapped, "Grouping → hamlet ids without a unit on the units side.")
      .def_readonly("hamlets", &CompareResult::hamlets, "change.gpkg layer hamlets.")
      .def_readonly("households", &CompareResult::households, "change.gpkg layer households.")
      .def_readonly("groups", &CompareResult::groups, "change.gpkg layer per grouping.")
      .def_property_readonly(
          "before", [](const CompareResult& r) { return totals_dict(r.before); },
          "Totals of the before run over every household.")
      .def_property_readonly(
          "after", [](const CompareResult& r) { return totals_dict(r.after); },
          "Totals of the after run over every household.")
      .def_property_readonly(
          "households_change", [](const CompareResult& r) { return counts_dict(r.households_change); },
          "Households per change class (every household).")
      .def_property_readonly(
          "target_change", [](const CompareResult& r) { return counts_dict(r.target_change); },
          "Households per change class (target weight on either side).")
      .def_readonly("epsg", &CompareResult::epsg, "Working CRS of the runs.")
      .def_readonly("output_dir", &CompareResult::output_dir, "Folder written ('' = none).")
      .def_readonly("files", &CompareResult::files, "Files written there.")
      .def_readonly("summary_json", &CompareResult::summary_json, "summary_change.json text.");

  m.def(
      "compare_runs",
      [](const std::string& before, const std::string& after, const std::string& output_dir, const std::string& units,
         const std::vector<std::string>& languages) {
        CompareOptions o;
        o.output_dir = output_dir;
        o.units = units;
        o.languages = languages;
        py::gil_scoped_release release;
        return compare_runs(before, after, o);
      },
      py::arg("before"), py::arg("after"), py::arg("output_dir") = "", py::arg("units") = "",
      py::arg("languages") = std::vector<std::string>{"vi", "en"},
      "Compares two runs (output folders or scenario files); writes the change outputs when output_dir is set.");
}

}  // namespace infogap::python
