# infogap_report: the planner report report.<lang>.html (DESIGN.md §5).
# Leaflet is inlined at build time from node_modules (npm ci, pinned by package-lock.json): the
# custom command below turns it and assets/report.{js,css} into a generated C++ source.
set(INFOGAP_LEAFLET_DIR ${PROJECT_SOURCE_DIR}/node_modules/leaflet/dist)
set(INFOGAP_REPORT_ASSETS_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/report_assets.cpp)
set(_report_asset_deps
  ${CMAKE_CURRENT_LIST_DIR}/embed_assets.cmake
  ${CMAKE_CURRENT_LIST_DIR}/assets/report.js
  ${CMAKE_CURRENT_LIST_DIR}/assets/report.css)
if(EXISTS ${INFOGAP_LEAFLET_DIR}/leaflet.js)
  list(APPEND _report_asset_deps ${INFOGAP_LEAFLET_DIR}/leaflet.js ${INFOGAP_LEAFLET_DIR}/leaflet.css)
else()
  message(WARNING "node_modules/leaflet is missing: infogap_report (the HTML report) will fail to build. "
                  "Run scripts/install-deps (npm ci), then build again.")
endif()
add_custom_command(
  OUTPUT ${INFOGAP_REPORT_ASSETS_CPP}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/generated
  COMMAND ${CMAKE_COMMAND} -DLEAFLET_DIR=${INFOGAP_LEAFLET_DIR}
          -DREPORT_JS=${CMAKE_CURRENT_LIST_DIR}/assets/report.js
          -DREPORT_CSS=${CMAKE_CURRENT_LIST_DIR}/assets/report.css
          -DOUTPUT=${INFOGAP_REPORT_ASSETS_CPP} -P ${CMAKE_CURRENT_LIST_DIR}/embed_assets.cmake
  DEPENDS ${_report_asset_deps}
  COMMENT "Inlining Leaflet and the report script/style into report_assets.cpp"
  VERBATIM)

infogap_area(report
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/report.cpp
    ${CMAKE_CURRENT_LIST_DIR}/strings.cpp
    ${CMAKE_CURRENT_LIST_DIR}/format.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chart.cpp
    ${CMAKE_CURRENT_LIST_DIR}/html.cpp
    ${CMAKE_CURRENT_LIST_DIR}/change_report.cpp
    ${INFOGAP_REPORT_ASSETS_CPP}
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS nlohmann_json::nlohmann_json)
