# The loader/validator (layers.hpp) and the WKB walker of the io area.
infogap_add_test(infogap_io_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/layers_test.cpp ${CMAKE_CURRENT_LIST_DIR}/layers_lists_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/io/chunked_load_test.cpp
  LIBS infogap_io infogap_output infogap_adapters infogap_core)

# `infogap validate` end to end (exit codes, output, --rejects; nothing else written).
if(TARGET infogap_cli)
  add_test(NAME validate_cli
           COMMAND ${CMAKE_COMMAND} -DINFOGAP=$<TARGET_FILE:infogap_cli>
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/validate_cli_work -P ${CMAKE_CURRENT_LIST_DIR}/io/validate_cli_test.cmake)
  set_tests_properties(validate_cli PROPERTIES LABELS "unit")
endif()

# Real inputs: hamlets derived from communes, households placed inside their hamlet, tolerant names.
infogap_add_test(infogap_real_inputs_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/real_inputs_test.cpp
  LIBS infogap_io infogap_adapters infogap_core)
