# GDAL and PROJ adapter tests (owned by io). The GEOS adapter tests are in synth.cmake.
infogap_add_test(infogap_adapters_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/adapters/gdal_test.cpp ${CMAKE_CURRENT_LIST_DIR}/adapters/proj_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/adapters/wkb_test.cpp
  LIBS infogap_adapters infogap_core)
