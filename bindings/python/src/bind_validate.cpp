// infogap/validate.hpp → Python: the engine's verdict on a scenario's inputs (validate runs with
// the GIL released); str() of a report is the text `infogap validate` prints.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "infogap/validate.hpp"

namespace infogap::python {

void bind_validate(py::module_& m) {
  py::class_<InputProblem>(m, "InputProblem", "A problem that makes a layer unusable (file, column, rejected share).")
      .def_readonly("layer", &InputProblem::layer)
      .def_readonly("message", &InputProblem::message)
      .def("__repr__", [](const InputProblem& p) { return "<InputProblem " + p.layer + ": " + p.message + ">"; });

  py::class_<LayerValidation>(m, "LayerValidation", "One input layer as read, with its rejected rows.")
      .def_readonly("name", &LayerValidation::name)
      .def_readonly("info", &LayerValidation::info)
      .def_readonly("problems", &LayerValidation::problems)
      .def_readonly("reject_summary", &LayerValidation::reject_summary)
      .def("__repr__", [](const LayerValidation& l) {
        return "<LayerValidation " + l.name + ": " + std::to_string(l.info.features) + " read, " +
               std::to_string(l.info.accepted) + " kept, " + std::to_string(l.problems.size()) + " problem(s)>";
      });

  py::class_<RejectGroup>(m, "RejectGroup", "Rejected rows of one layer and column (column '' = the whole row).")
      .def_readonly("layer", &RejectGroup::layer)
      .def_readonly("column", &RejectGroup::column)
      .def_readonly("rows", &RejectGroup::rows)
      .def_readonly("first_reason", &RejectGroup::first_reason)
      .def("__repr__", [](const RejectGroup& g) {
        return "<RejectGroup " + g.layer + "." + (g.column.empty() ? std::string("(row)") : g.column) + ": " +
               std::to_string(g.rows) + " row(s), e.g. " + g.first_reason + ">";
      });

  py::class_<ValidationReport>(m, "ValidationReport",
                               "The engine's verdict on a scenario's inputs: layers, problems, usable or not.")
      .def_readonly("ok", &ValidationReport::ok, "The inputs are usable under the scenario's on_bad_rows.")
      .def_readonly("verdict", &ValidationReport::verdict)
      .def_readonly("scenario_name", &ValidationReport::scenario_name)
      .def_readonly("scenario_path", &ValidationReport::scenario_path)
      .def_readonly("working_crs", &ValidationReport::working_crs)
      .def_property_readonly(
          "on_bad_rows",
          [](const ValidationReport& r) { return r.on_bad_rows == OnBadRows::reject ? "reject" : "fail"; })
      .def_readonly("layers", &ValidationReport::layers)
      .def_readonly("notes", &ValidationReport::notes)
      .def_readonly("problems", &ValidationReport::problems, "Problems that make a layer unusable, every layer.")
      .def_readonly("rejects", &ValidationReport::rejects)
      .def_readonly("reject_summary", &ValidationReport::reject_summary)
      .def_readonly("households_input", &ValidationReport::households_input)
      .def_readonly("households_accepted", &ValidationReport::households_accepted)
      .def_readonly("households_rejected", &ValidationReport::households_rejected)
      .def_readonly("repaired_polygons", &ValidationReport::repaired_polygons)
      .def_readonly("dropped_parts", &ValidationReport::dropped_parts)
      .def_readonly("seconds", &ValidationReport::seconds)
      .def("__bool__", [](const ValidationReport& r) { return r.ok; })
      .def("__str__", [](const ValidationReport& r) { return format_report(r); })
      .def("format", &format_report, py::arg("show") = 50, "The report as `infogap validate` prints it.")
      .def("__repr__", [](const ValidationReport& r) { return "<ValidationReport " + r.verdict + ">"; });

  m.def(
      "validate",
      [](const Scenario& scenario) {
        py::gil_scoped_release release;
        return validate(scenario);
      },
      py::arg("scenario"),
      "Reads and checks every input layer (GIL released), lists every problem and judges the inputs by "
      "on_bad_rows.");
}

}  // namespace infogap::python
