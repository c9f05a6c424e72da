# The loader/validator (layers.hpp) and the WKB walker of the io area.
infogap_add_test(infogap_io_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/layers_test.cpp
  LIBS infogap_io infogap_adapters infogap_core)
