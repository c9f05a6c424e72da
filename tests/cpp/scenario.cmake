infogap_add_test(infogap_scenario_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/scenario_test.cpp ${CMAKE_CURRENT_LIST_DIR}/scenario_write_test.cpp
  LIBS infogap_scenario yaml-cpp nlohmann_json::nlohmann_json)
