// infogap::Error hierarchy → Python exceptions (STYLE.md §8): Error(RuntimeError),
// InvalidInput(Error, ValueError), IoError(Error, OSError), each carrying the engine's message,
// .code (the ErrorCode name), .reason and the context (.file, .layer, .column, .feature_id).
#include <Python.h>

#include <exception>

#include "bindings.hpp"
#include "infogap/error.hpp"

namespace infogap::python {
namespace {

// The exception types live as long as the interpreter (module objects are never unloaded), so
// the handles are intentionally never released.
py::handle g_error, g_invalid_input, g_io_error;

void raise(py::handle type, const Error& e) {
  py::object exc = type(py::str(e.what()));
  exc.attr("code") = py::str(to_string(e.code()));
  exc.attr("exit_code") = exit_code_for(e.code());
  exc.attr("reason") = py::str(e.reason());
  const ErrorContext& c = e.context();
  exc.attr("file") = py::str(c.file);
  exc.attr("layer") = py::str(c.layer);
  exc.attr("column") = py::str(c.column);
  exc.attr("feature_id") = c.feature_id ? py::object(py::int_(*c.feature_id)) : py::object(py::none());
  PyErr_SetObject(type.ptr(), exc.ptr());
}

}  // namespace

void bind_error(py::module_& m) {
  // py::exception creates the type with PyErr_NewException, which accepts a tuple of bases.
  g_error = py::exception<Error>(m, "Error", PyExc_RuntimeError).release();
  g_invalid_input =
      py::exception<InvalidInput>(m, "InvalidInput", py::make_tuple(g_error, py::handle(PyExc_ValueError))).release();
  g_io_error = py::exception<IoError>(m, "IoError", py::make_tuple(g_error, py::handle(PyExc_OSError))).release();
  g_error.attr("__doc__") = "Base of every infogap error (a RuntimeError); .code names the ErrorCode.";
  g_invalid_input.attr("__doc__") = "Bad scenario or input data (also a ValueError).";
  g_io_error.attr("__doc__") = "A file cannot be read or written (also an OSError).";

  // Most derived first: the first matching catch clause wins.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const IoError& e) {
      raise(g_io_error, e);
    } catch (const InvalidInput& e) {
      raise(g_invalid_input, e);
    } catch (const Error& e) {
      raise(g_error, e);
    }
  });
}

}  // namespace infogap::python
