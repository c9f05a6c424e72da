# Rasters: grids over the hamlets, distance, density and point-source accumulation, COG writing.
infogap_area(raster
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/grid.cpp
    ${CMAKE_CURRENT_LIST_DIR}/nearest_distance.cpp
    ${CMAKE_CURRENT_LIST_DIR}/point_sources.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_adapters)
