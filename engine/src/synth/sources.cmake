# infogap_synth: the deterministic synthetic province (and national benchmark) behind `infogap synth`.
find_package(ZLIB REQUIRED)
infogap_area(synth
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/utm.cpp
    ${CMAKE_CURRENT_LIST_DIR}/spec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/boundaries.cpp
    ${CMAKE_CURRENT_LIST_DIR}/geometry_util.cpp
    ${CMAKE_CURRENT_LIST_DIR}/province_layout.cpp
    ${CMAKE_CURRENT_LIST_DIR}/province_people.cpp
    ${CMAKE_CURRENT_LIST_DIR}/province_equipment.cpp
    ${CMAKE_CURRENT_LIST_DIR}/province.cpp
    ${CMAKE_CURRENT_LIST_DIR}/synth.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lists.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_adapters ZLIB::ZLIB)
# The bundled real outlines (data/boundaries) when neither INFOGAP_DATA_DIR nor an installed copy exists.
target_compile_definitions(infogap_synth PRIVATE INFOGAP_SOURCE_DATA_DIR="${PROJECT_SOURCE_DIR}/data")
