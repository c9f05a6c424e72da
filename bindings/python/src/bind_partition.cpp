// infogap/partition.hpp → Python: the partitions of a scenario and the national roll-up of a
// partitioned run (with the GIL released).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "infogap/partition.hpp"

namespace infogap::python {

void bind_partition(py::module_& m) {
  py::class_<PartitionInfo>(m, "PartitionInfo", "One partition of a scenario with output.partition_by.")
      .def_readonly("value", &PartitionInfo::value, "The hamlets' value of output.partition_by.")
      .def_readonly("folder", &PartitionInfo::folder, "Its folder under the output folder.")
      .def_readonly("hamlets", &PartitionInfo::hamlets, "Rows of the hamlets layer with this value.")
      .def("__repr__", [](const PartitionInfo& p) {
        return "PartitionInfo(value='" + p.value + "', folder='" + p.folder +
               "', hamlets=" + std::to_string(p.hamlets) + ")";
      });
  m.def(
      "partitions",
      [](const Scenario& scenario) {
        py::gil_scoped_release release;
        return partitions(scenario);
      },
      py::arg("scenario"),
      "The partitions of a scenario with output.partition_by, read from the hamlets layer alone, in order of value.");
  m.def("partition_folder", &partition_folder, py::arg("value"), "The folder name of a partition value.");
  m.def(
      "write_rollup",
      [](const Scenario& scenario, const std::string& output_dir, const py::object& progress) {
        const ProgressFn fn = progress_adapter(progress);
        py::gil_scoped_release release;
        write_rollup(scenario, output_dir, fn);
      },
      py::arg("scenario"), py::arg("output_dir"), py::arg("progress") = py::none(),
      "Writes the national roll-up into output_dir from the partition folders already there.");
}

}  // namespace infogap::python
