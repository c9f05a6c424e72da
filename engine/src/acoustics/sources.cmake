# Loudspeaker acoustics (ISO 9613-1/-2, horn directivity, speech level tables) and the acoustic
# field of a run (SpeakerField: clusters, level tables, the one reach rule). Std + Eigen only.
infogap_area(acoustics
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/iso9613.cpp
    ${CMAKE_CURRENT_LIST_DIR}/horn.cpp
    ${CMAKE_CURRENT_LIST_DIR}/speaker_field.cpp
  PUBLIC_DEPS infogap_core)
