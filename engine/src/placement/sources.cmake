# Placement: candidate sites, the sparse coverage matrix (unreached target households × candidate
# columns), the optimizer call, and coverage after placement.
infogap_area(placement
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/candidates.cpp
    ${CMAKE_CURRENT_LIST_DIR}/coverage_matrix.cpp
    ${CMAKE_CURRENT_LIST_DIR}/placement.cpp
  PUBLIC_DEPS infogap_core infogap_acoustics infogap_coverage infogap_optimize
  PRIVATE_DEPS infogap_spatial infogap_adapters)
