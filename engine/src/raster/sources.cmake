# Rasters (grids, distance, point sources, COG front), QGIS styles and project, shapefile fields.
infogap_area(raster
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/grid.cpp
    ${CMAKE_CURRENT_LIST_DIR}/nearest_distance.cpp
    ${CMAKE_CURRENT_LIST_DIR}/point_sources.cpp
    ${CMAKE_CURRENT_LIST_DIR}/styles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qgis_project.cpp
    ${CMAKE_CURRENT_LIST_DIR}/text_util.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_adapters)
