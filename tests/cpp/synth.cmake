# GEOS adapter tests (owned by synth) and the synthetic-province tests.
infogap_add_test(infogap_geos_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/adapters/geos_test.cpp
  LIBS infogap_adapters)
infogap_add_test(infogap_synth_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/synth_test.cpp
  LIBS infogap_synth infogap_io infogap_scenario infogap_adapters infogap_core)
