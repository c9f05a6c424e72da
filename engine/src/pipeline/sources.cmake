infogap_area(pipeline
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/engine.cpp
    ${CMAKE_CURRENT_LIST_DIR}/outputs.cpp
    ${CMAKE_CURRENT_LIST_DIR}/placement.cpp
    ${CMAKE_CURRENT_LIST_DIR}/write.cpp
    ${CMAKE_CURRENT_LIST_DIR}/extras.cpp
    ${CMAKE_CURRENT_LIST_DIR}/report_model.cpp
  PUBLIC_DEPS infogap_core infogap_scenario infogap_io infogap_coverage infogap_optimize infogap_raster
              infogap_report infogap_adapters
  PRIVATE_DEPS nlohmann_json::nlohmann_json)
