# Placeholder until the adapters are written: replace with the explicit source list
# (gdal/*.cpp, geos/*.cpp, proj/*.cpp); PRIVATE deps GDAL::GDAL GEOS::geos_c PROJ::proj.
infogap_area(adapters
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/placeholder.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS GDAL::GDAL GEOS::geos_c PROJ::proj)
