# Who is reached: household → hamlet join, speaker reach (on the run's SpeakerField), team reach
# with capacity, target weights, gaps per hamlet and group.
infogap_area(coverage
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/coverage.cpp
    ${CMAKE_CURRENT_LIST_DIR}/teams.cpp
  PUBLIC_DEPS infogap_core infogap_acoustics
  PRIVATE_DEPS infogap_spatial infogap_adapters)
