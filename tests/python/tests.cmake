# Python tests (owner: python): pytest on the infogap package built into <build>/python, run with
# Debian's interpreter (PRACTICES.md §6-7). Label `python`; the notebooks run apart (`notebook;slow`).
if(INFOGAP_BUILD_PYTHON)
  if(DEFINED Python_EXECUTABLE)
    set(infogap_test_python ${Python_EXECUTABLE})
  else()
    set(infogap_test_python /usr/bin/python3)
  endif()
  set(infogap_python_test_env
    "PYTHONPATH=${CMAKE_BINARY_DIR}/python"
    "INFOGAP_CLI=$<TARGET_FILE:infogap_cli>"
    "INFOGAP_DATA_DIR=${PROJECT_SOURCE_DIR}/data"
    "INFOGAP_NOTEBOOKS_DIR=${PROJECT_SOURCE_DIR}/notebooks"
    "PYDEVD_DISABLE_FILE_VALIDATION=1")
  set(infogap_pytest ${infogap_test_python} -m pytest --strict-markers --strict-config -p no:cacheprovider
      -c ${CMAKE_CURRENT_LIST_DIR}/pytest.ini)

  add_test(NAME python
    COMMAND ${infogap_pytest} -q -m "not notebook and not distributed" ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(python PROPERTIES LABELS python TIMEOUT 900 ENVIRONMENT "${infogap_python_test_env}")

  # infogap.distributed on a LocalCluster of 2 worker processes (python3-distributed).
  add_test(NAME python_distributed
    COMMAND ${infogap_pytest} -q -m distributed ${CMAKE_CURRENT_LIST_DIR}/test_distributed.py)
  set_tests_properties(python_distributed PROPERTIES LABELS "python;distributed;slow" TIMEOUT 1200
    ENVIRONMENT "${infogap_python_test_env}")

  add_test(NAME python_notebooks
    COMMAND ${infogap_pytest} -q -m notebook ${CMAKE_CURRENT_LIST_DIR}/test_notebooks.py)
  set_tests_properties(python_notebooks PROPERTIES LABELS "notebook;slow" TIMEOUT 1800
    ENVIRONMENT "${infogap_python_test_env}")
endif()
