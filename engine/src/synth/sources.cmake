# infogap_synth: the deterministic synthetic province (and national benchmark) behind `infogap synth`.
find_package(ZLIB REQUIRED)
infogap_area(synth
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/utm.cpp
    ${CMAKE_CURRENT_LIST_DIR}/spec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/province.cpp
    ${CMAKE_CURRENT_LIST_DIR}/synth.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_adapters ZLIB::ZLIB)
