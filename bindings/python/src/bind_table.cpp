// infogap/table.hpp → Python: the output tables the writers use (Engine.table), so Python frames
// get exactly the GeoPackage's columns. Numbers are numpy views of the table's buffers (no copy)
// where there is no NULL; flags are bool arrays; text is a list of str (None for NULL).
#include <pybind11/stl.h>

#include <cmath>
#include <limits>

#include "bindings.hpp"
#include "infogap/csv.hpp"
#include "infogap/table.hpp"

namespace infogap::python {
namespace {

const char* kind_name(GeometryKind k) {
  switch (k) {
    case GeometryKind::none:
      return "none";
    case GeometryKind::point:
      return "point";
    case GeometryKind::polygon:
      return "polygon";
    case GeometryKind::multipolygon:
      return "multipolygon";
    case GeometryKind::linestring:
      return "linestring";
  }
  return "none";
}

const char* type_name(const Column& c) {
  if (c.flag) return "flag";
  switch (c.type) {
    case ColumnType::integer:
      return "integer";
    case ColumnType::real:
      return "real";
    case ColumnType::text:
      return "text";
  }
  return "text";
}

bool any_null(const Column& c) {
  for (std::size_t i = 0; i < c.null.size(); ++i)
    if (c.null[i]) return true;
  return false;
}

/// A column as numpy: integer → int64 (float64 with NaN when it has NULLs), real → float64 (NaN
/// for NULL), flag → bool, text → list of str/None.
py::object column_values(const py::object& self, const std::string& name) {
  const Table& t = self.cast<const Table&>();
  const Column& c = t.column(name);
  const std::size_t n = c.size();
  if (c.type == ColumnType::text) {
    py::list out(n);
    for (std::size_t i = 0; i < n; ++i)
      out[i] = c.is_null(i) ? py::object(py::none()) : py::object(py::str(c.texts[i]));
    return out;
  }
  if (c.flag && !any_null(c)) {
    py::array a(py::dtype("bool"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)});
    auto* p = static_cast<bool*>(a.mutable_data());
    for (std::size_t i = 0; i < n; ++i) p[i] = c.ints[i] != 0;
    return a;
  }
  if (!any_null(c)) {
    if (c.type == ColumnType::integer) return view_of(c.ints, self);
    return view_of(c.reals, self);
  }
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = c.is_null(i) ? std::numeric_limits<double>::quiet_NaN()
                        : (c.type == ColumnType::integer ? static_cast<double>(c.ints[i]) : c.reals[i]);
  return array_copy(v);
}

}  // namespace

void bind_table(py::module_& m) {
  py::class_<Table>(m, "Table",
                    "An output table exactly as the writers get it (the GeoPackage layer's columns, types, NULLs "
                    "and WKB geometry in the working CRS).")
      .def("__len__", &Table::rows)
      .def_property_readonly("rows", &Table::rows, "Number of rows.")
      .def_property_readonly(
          "names",
          [](const Table& t) {
            std::vector<std::string> out;
            for (const auto& c : t.columns) out.push_back(c.name);
            return out;
          },
          "Column names in file order.")
      .def_property_readonly(
          "types",
          [](const Table& t) {
            std::vector<std::string> out;
            for (const auto& c : t.columns) out.emplace_back(type_name(c));
            return out;
          },
          "Column types in file order (integer, real, text, or flag for 0/1 columns shown as bool).")
      .def_property_readonly(
          "geometry_kind", [](const Table& t) { return std::string(kind_name(t.geometry_kind)); },
          "none, point, polygon, multipolygon or linestring.")
      .def("column", &column_values, py::arg("name"),
           "A column: int64 or float64 numpy array (NaN for NULL; a view when there is none), bool for flags, "
           "list of str (None for NULL) for text.")
      .def_property_readonly(
          "wkb",
          [](const Table& t) {
            py::list out(t.wkb.size());
            for (std::size_t i = 0; i < t.wkb.size(); ++i) {
              const auto& w = t.wkb[i];
              out[i] = w.empty() ? py::object(py::none())
                                 : py::object(py::bytes(reinterpret_cast<const char*>(w.data()), w.size()));
            }
            return out;
          },
          "Geometry per row as ISO WKB bytes (None for NULL); empty without geometry.")
      .def("__repr__", [](const Table& t) {
        return "<infogap._core.Table " + std::to_string(t.rows()) + " rows, " + std::to_string(t.columns.size()) +
               " columns, geometry " + kind_name(t.geometry_kind) + ">";
      });

  m.def("csv_text_field", &csv_text_field, py::arg("text"),
        "A text cell as infogap's CSV files write it: formula-neutralised, RFC 4180-quoted (csv.hpp).");
}

}  // namespace infogap::python
