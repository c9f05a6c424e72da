# Python bindings: extension module `infogap._core` (pybind11) + pure-Python package `infogap`.
# After `cmake --build`, `PYTHONPATH=<build>/python /usr/bin/python3 -c "import infogap"` works:
# the module is written to <build>/python/infogap and the package's .py files are copied beside it.

# Pin Debian's interpreter before pybind11 looks for one (PRACTICES.md §6): the first python3 on
# PATH may be a pyenv shim without numpy. -DPython_EXECUTABLE=... still overrides.
if(NOT DEFINED Python_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python_EXECUTABLE /usr/bin/python3)
endif()
find_package(Python 3.11 REQUIRED COMPONENTS Interpreter Development.Module)
find_package(pybind11 2.10 CONFIG REQUIRED)   # new mode: Python is already found

set(INFOGAP_PYTHON_DIR ${CMAKE_CURRENT_LIST_DIR})
set(INFOGAP_PYTHON_BUILD_DIR ${CMAKE_BINARY_DIR}/python/infogap)

pybind11_add_module(infogap_python MODULE
  ${INFOGAP_PYTHON_DIR}/src/module.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_error.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_acoustics.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_scenario.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_layers.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_coverage.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_engine.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_partition.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_synth.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_table.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_validate.cpp
  ${INFOGAP_PYTHON_DIR}/src/bind_compare.cpp)
target_include_directories(infogap_python PRIVATE ${INFOGAP_PYTHON_DIR}/src)
target_link_libraries(infogap_python PRIVATE infogap::engine Eigen3::Eigen)
infogap_target_defaults(infogap_python)
set_target_properties(infogap_python PROPERTIES
  OUTPUT_NAME _core
  LIBRARY_OUTPUT_DIRECTORY ${INFOGAP_PYTHON_BUILD_DIR})

# The pure-Python part of the package (explicit list, no GLOB), copied next to _core at build time.
set(INFOGAP_PYTHON_FILES
  __init__.py
  _acoustics.py
  _api.py
  distributed.py
  _frames.py
  _core.pyi
  py.typed)
set(copied "")
foreach(f IN LISTS INFOGAP_PYTHON_FILES)
  add_custom_command(
    OUTPUT ${INFOGAP_PYTHON_BUILD_DIR}/${f}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${INFOGAP_PYTHON_BUILD_DIR}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${INFOGAP_PYTHON_DIR}/infogap/${f} ${INFOGAP_PYTHON_BUILD_DIR}/${f}
    DEPENDS ${INFOGAP_PYTHON_DIR}/infogap/${f}
    COMMENT "Copying infogap/${f}")
  list(APPEND copied ${INFOGAP_PYTHON_BUILD_DIR}/${f})
endforeach()
add_custom_target(infogap_python_files ALL DEPENDS ${copied})
add_dependencies(infogap_python infogap_python_files)

# Install into the Debian site directory, relative to the install prefix so that
# `cmake --install <build> --prefix P` puts the package under P: lib/python3.11/dist-packages
# (on sys.path of /usr/bin/python3 for both prefixes /usr/local and /usr). Debian's own
# Python_SITEARCH (/usr/lib/python3/dist-packages) is absolute: pass it as
# -DINFOGAP_PYTHON_INSTALL_DIR=... to install there whatever the prefix (Debian packaging).
if(Python_SITEARCH MATCHES "dist-packages")
  set(site_dir_name dist-packages)
else()
  set(site_dir_name site-packages)
endif()
set(INFOGAP_PYTHON_INSTALL_DIR lib/python${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}/${site_dir_name} CACHE PATH
    "Where `cmake --install` puts the infogap package (relative paths are relative to the prefix)")
install(TARGETS infogap_python LIBRARY DESTINATION ${INFOGAP_PYTHON_INSTALL_DIR}/infogap)
list(TRANSFORM INFOGAP_PYTHON_FILES PREPEND ${INFOGAP_PYTHON_DIR}/infogap/ OUTPUT_VARIABLE py_sources)
install(FILES ${py_sources} DESTINATION ${INFOGAP_PYTHON_INSTALL_DIR}/infogap)
