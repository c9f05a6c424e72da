# Outputs of a run (DESIGN §5): the output tables (schema), the staging folder and its atomic
# commit, raster products, GIS files (shapefiles, styles, QGIS project), the report model,
# summary.json and rejects.csv.
infogap_area(output
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/tables.cpp
    ${CMAKE_CURRENT_LIST_DIR}/staging.cpp
    ${CMAKE_CURRENT_LIST_DIR}/progress.cpp
    ${CMAKE_CURRENT_LIST_DIR}/write.cpp
    ${CMAKE_CURRENT_LIST_DIR}/raster_products.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gis_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/report_model.cpp
    ${CMAKE_CURRENT_LIST_DIR}/summary.cpp
    ${CMAKE_CURRENT_LIST_DIR}/rejects.cpp
  PUBLIC_DEPS infogap_core infogap_acoustics infogap_coverage
  PRIVATE_DEPS infogap_spatial infogap_raster infogap_gis infogap_report infogap_adapters nlohmann_json::nlohmann_json)
