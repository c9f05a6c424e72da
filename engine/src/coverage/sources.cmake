infogap_area(coverage
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/coverage.cpp
    ${CMAKE_CURRENT_LIST_DIR}/speaker_field.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../spatial/point_grid.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../spatial/disc_grid.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../spatial/hamlet_grid.cpp
  PUBLIC_DEPS infogap_core infogap_acoustics infogap_adapters)
