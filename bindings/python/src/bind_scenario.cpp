// infogap/scenario.hpp → Python: parse a scenario (file or text), serialise it back (YAML/JSON).
// The Python package's Scenario class wraps this one and adds from_dict/to_dict.
#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "infogap/scenario.hpp"

namespace infogap::python {

void bind_scenario(py::module_& m) {
  py::class_<Scenario>(m, "Scenario", "A parsed scenario with every default filled in (DESIGN.md §3).")
      .def(py::init<>(), "The default scenario (no layers: not runnable as is).")
      .def_static("from_yaml", &Scenario::from_yaml, py::arg("path"),
                  "Parses a YAML file; relative paths resolve against its folder.")
      .def_static("from_yaml_string", &Scenario::from_yaml_string, py::arg("text"), py::arg("base_dir"),
                  py::arg("source_name") = "<string>", "Parses YAML text; relative paths resolve against base_dir.")
      .def("to_yaml", &Scenario::to_yaml, "The scenario after defaults, as YAML text.")
      .def("to_json", &Scenario::to_json, "The scenario after defaults, as JSON text (same keys as to_yaml).")
      .def_readonly("name", &Scenario::name)
      .def_readonly("source_path", &Scenario::source_path)
      .def_readonly("working_crs", &Scenario::working_crs)
      .def_property_readonly("output_dir", [](const Scenario& s) { return s.output.dir; })
      .def_property_readonly("optimize_enabled", [](const Scenario& s) { return s.optimize.enabled; })
      .def_property_readonly("group_by", [](const Scenario& s) { return s.hamlets.group_by; })
      .def(py::self == py::self)  // NOLINT(misc-redundant-expression)
      .def("__repr__", [](const Scenario& s) { return "<infogap._core.Scenario " + s.name + ">"; });

  m.def("scenario_defaults", &scenario_defaults,
        "Every scenario key with its default as (dotted.key, YAML scalar text) pairs.");
}

}  // namespace infogap::python
