# infogap_scenario: the scenario file (DESIGN.md §3) — parse, validate, write back.
infogap_area(scenario
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/scenario_read.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scenario_write.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scenario_text.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_adapters yaml-cpp nlohmann_json::nlohmann_json)
