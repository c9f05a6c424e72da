#pragma once
/// @file bindings.hpp  Shared helpers of the `infogap._core` extension module: one bind_<header>
/// function per public header (registered in dependency order by module.cpp), numpy views over
/// engine memory, and the progress-callback adapter.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "infogap/engine.hpp"

namespace infogap::python {

namespace py = pybind11;

/// Exception types and their translator (bind_error.cpp). Must run first.
void bind_error(py::module_& m);
/// Acoustics functions and parameter structs (bind_acoustics.cpp).
void bind_acoustics(py::module_& m);
/// Scenario parsing and serialisation (bind_scenario.cpp).
void bind_scenario(py::module_& m);
/// Loaded inputs: Inputs, Hamlets, Households, ... (bind_layers.cpp).
void bind_layers(py::module_& m);
/// CoverageResult, HouseholdCoverage, area gaps (bind_coverage.cpp).
void bind_coverage(py::module_& m);
/// Output tables (bind_table.cpp).
void bind_table(py::module_& m);
/// validate and its report (bind_validate.cpp).
void bind_validate(py::module_& m);
/// Engine, PlacementResult (bind_engine.cpp).
void bind_engine(py::module_& m);
/// infogap/partition.hpp: PartitionInfo, partitions, partition_folder, write_rollup.
void bind_partition(py::module_& m);
/// Synthetic province writer (bind_synth.cpp).
void bind_synth(py::module_& m);
/// compare_runs and CompareResult (bind_compare.cpp).
void bind_compare(py::module_& m);

/// Marks an array read-only: views over engine results must not change the engine's state.
inline void set_read_only(py::array& a) {
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
}

/// A 1-D read-only numpy array over n values at data, with base `owner` (the Python object that
/// keeps the memory alive). No copy. An empty input gives an empty array.
template <class T>
py::array view_of(const T* data, std::size_t n, py::handle owner) {
  if (n == 0) return py::array_t<T>(0);
  py::array a = py::array_t<T>({static_cast<py::ssize_t>(n)}, {static_cast<py::ssize_t>(sizeof(T))}, data, owner);
  set_read_only(a);
  return a;
}

/// View of a std::vector (no copy); owner keeps the vector alive.
template <class T>
py::array view_of(const std::vector<T>& v, py::handle owner) {
  return view_of(v.data(), v.size(), owner);
}

/// View of an Eigen vector (no copy); owner keeps the vector alive.
inline py::array view_of(const Eigen::VectorXd& v, py::handle owner) {
  return view_of(v.data(), static_cast<std::size_t>(v.size()), owner);
}

/// A bool array over 0/1 bytes (no copy); owner keeps the vector alive.
inline py::array bool_view_of(const std::vector<std::uint8_t>& v, py::handle owner) {
  if (v.empty()) return py::array(py::dtype("bool"), std::vector<py::ssize_t>{0});
  py::array a(py::dtype("bool"), {static_cast<py::ssize_t>(v.size())}, {py::ssize_t{1}}, v.data(), owner);
  set_read_only(a);
  return a;
}

/// A copied 1-D array (for small tables built on the fly, where there is no buffer to share).
template <class T>
py::array_t<T> array_copy(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

/// Wraps a Python callable(stage, fraction) as a ProgressFn that may be called while the GIL is
/// released: it re-takes the GIL for each call. A Python exception raised by the callable
/// propagates as py::error_already_set and aborts the engine call. None → empty function.
/// The returned function holds a reference to the callable: destroy it with the GIL held.
ProgressFn progress_adapter(const py::object& callback);

/// Converts the engine's area gaps into a dict of columns (numpy arrays and lists of str): id,
/// name, groups (one list per group_by column; hamlets only), households, target_households,
/// target_weight, reached_speaker, reached_team, reached_any, gap_households, reached_weight,
/// gap_weight, gap_rate, rank. A copy: these tables are small (one row per area).
py::dict gap_columns(const std::vector<AreaGap>& gaps);

/// A number with thousands separators for __repr__ ("225,600", "1,234.5").
std::string grouped(double value, int decimals);

}  // namespace infogap::python

namespace infogap::python {

/// Adds a read-only property `name` to cls that returns a numpy view (no copy) of the member,
/// with the Python object of the instance as base (it keeps the engine alive).
template <class C, class V>
void def_view(py::class_<C>& cls, const char* name, V C::*member, const char* doc) {
  cls.def_property_readonly(
      name, [member](const py::object& self) { return view_of(self.cast<const C&>().*member, self); }, doc);
}

/// As def_view for a std::vector<std::uint8_t> of 0/1 flags, seen as a numpy bool array.
template <class C>
void def_bool_view(py::class_<C>& cls, const char* name, std::vector<std::uint8_t> C::*member, const char* doc) {
  cls.def_property_readonly(
      name, [member](const py::object& self) { return bool_view_of(self.cast<const C&>().*member, self); }, doc);
}

}  // namespace infogap::python
