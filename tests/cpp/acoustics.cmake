infogap_add_test(infogap_acoustics_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/acoustics_test.cpp
  LIBS infogap_acoustics)
