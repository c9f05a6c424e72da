# Tests of infogap/raster.hpp and infogap/styles.hpp, the COG writer read back with GDAL (owner: gis).
infogap_add_test(infogap_raster_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/raster_test.cpp ${CMAKE_CURRENT_LIST_DIR}/styles_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/adapters/raster_writer_test.cpp
  LIBS infogap_raster infogap_gis infogap_adapters infogap_core GDAL::GDAL)

# Writes a small sample of every GIS output into a folder (tests/e2e/qgis_test.py), and times the
# distance raster against gdal_proximity (--bench, tests/benchmarks/bench_raster.py).
add_executable(infogap_gis_sample ${CMAKE_CURRENT_LIST_DIR}/gis_sample.cpp)
target_include_directories(infogap_gis_sample PRIVATE ${PROJECT_SOURCE_DIR}/engine/src ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(infogap_gis_sample PRIVATE infogap_raster infogap_gis infogap_adapters infogap_core)
set_target_properties(infogap_gis_sample PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
infogap_target_defaults(infogap_gis_sample)
