// infogap._core: the pybind11 extension module under the `infogap` package. A thin front on
// infogap::engine (STYLE.md §8): bindings convert, release the GIL and map exceptions.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "infogap/parallel.hpp"
#include "infogap/version.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "infogap engine bindings (see the infogap package for the documented Python API)";
  m.attr("__version__") = INFOGAP_VERSION_STRING;
  // Dependency order: errors first (every later call may throw), then value types, then the engine.
  infogap::python::bind_error(m);
  infogap::python::bind_acoustics(m);
  infogap::python::bind_scenario(m);
  infogap::python::bind_layers(m);
  infogap::python::bind_coverage(m);
  infogap::python::bind_table(m);
  infogap::python::bind_validate(m);
  infogap::python::bind_engine(m);
  infogap::python::bind_synth(m);
  infogap::python::bind_partition(m);
  infogap::python::bind_compare(m);
  m.def("thread_count", &infogap::thread_count,
        "Worker threads the engine uses (set_threads, $INFOGAP_THREADS or all cores).");
  m.def("set_threads", &infogap::set_threads, pybind11::arg("n"), "Sets the engine's worker threads (0 = automatic).");
}
