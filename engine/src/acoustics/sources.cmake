# Loudspeaker acoustics (ISO 9613-1/-2, horn directivity, speech level tables). Std + Eigen only.
infogap_area(acoustics
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/iso9613.cpp
    ${CMAKE_CURRENT_LIST_DIR}/horn.cpp
  PUBLIC_DEPS infogap_core)
