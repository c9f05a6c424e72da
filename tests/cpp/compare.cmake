# Tests of infogap/compare.hpp (infogap compare: progress between two runs).
infogap_add_test(infogap_compare_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/compare_test.cpp
  LIBS infogap_compare)
