# Progress between two runs (`infogap compare`, DESIGN.md §5b): reading each side (a run's folder,
# or a scenario run first through the facade), matching households, hamlets and group units, and
# writing change.gpkg, change_<group>.csv, the diverging styles, report_change.<lang>.html and
# summary_change.json through the output area's staging folder.
infogap_area(compare
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/sides.cpp
    ${CMAKE_CURRENT_LIST_DIR}/compare.cpp
    ${CMAKE_CURRENT_LIST_DIR}/write.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_facade infogap_scenario infogap_output infogap_gis infogap_report infogap_adapters
               nlohmann_json::nlohmann_json)
