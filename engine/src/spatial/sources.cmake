# Spatial indexes over points, discs and hamlet polygons (the hamlet grid prepares GEOS geometries
# through the adapters).
infogap_area(spatial
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/point_grid.cpp
    ${CMAKE_CURRENT_LIST_DIR}/disc_grid.cpp
    ${CMAKE_CURRENT_LIST_DIR}/hamlet_grid.cpp
    ${CMAKE_CURRENT_LIST_DIR}/extent.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_adapters)
