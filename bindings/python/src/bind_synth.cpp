// infogap/synth.hpp → Python: write the deterministic synthetic province (GIL released).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "infogap/synth.hpp"

namespace infogap::python {

void bind_synth(py::module_& m) {
  py::class_<SynthSummary>(m, "SynthSummary", "What write_synth produced.")
      .def_readonly("districts", &SynthSummary::districts)
      .def_readonly("communes", &SynthSummary::communes)
      .def_readonly("hamlets", &SynthSummary::hamlets)
      .def_readonly("households", &SynthSummary::households)
      .def_readonly("speakers", &SynthSummary::speakers)
      .def_readonly("clusters", &SynthSummary::clusters)
      .def_readonly("teams", &SynthSummary::teams)
      .def_readonly("team_members", &SynthSummary::team_members)
      .def_readonly("candidates", &SynthSummary::candidates)
      .def_readonly("poor", &SynthSummary::poor)
      .def_readonly("near_poor", &SynthSummary::near_poor)
      .def_readonly("seconds", &SynthSummary::seconds)
      .def_readonly("files", &SynthSummary::files);

  m.def(
      "write_synth",
      [](const std::string& output_dir, std::int64_t households, std::uint64_t seed, bool national,
         const py::object& progress, const std::string& boundaries, int provinces) {
        SynthOptions o;
        o.provinces = provinces;
        o.boundaries = boundaries;
        o.households = households;
        o.seed = seed;
        o.scale = national ? SynthScale::national : SynthScale::province;
        const ProgressFn fn = progress_adapter(progress);
        py::gil_scoped_release release;
        return write_synth(o, output_dir, fn);
      },
      py::arg("output_dir"), py::arg("households") = 0, py::arg("seed") = 2024, py::arg("national") = false,
      py::arg("progress") = py::none(), py::arg("boundaries") = "", py::arg("provinces") = 0,
      "Writes the synthetic Bạc Liêu province (households 0 = default count) into output_dir; boundaries: "
      "folder of the real outlines (\"\" = the bundled data/boundaries); national with provinces K: the "
      "first K synthetic provinces only.");
}

}  // namespace infogap::python
