infogap_add_test(infogap_coverage_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/coverage_test.cpp ${CMAKE_CURRENT_LIST_DIR}/coverage_teams_test.cpp ${CMAKE_CURRENT_LIST_DIR}/spatial/point_grid_test.cpp ${CMAKE_CURRENT_LIST_DIR}/spatial/disc_grid_test.cpp ${CMAKE_CURRENT_LIST_DIR}/spatial/hamlet_grid_test.cpp
  LIBS infogap_coverage infogap_spatial infogap_acoustics infogap_adapters infogap_core)
