infogap_add_test(infogap_pipeline_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/readme_reference_test.cpp ${CMAKE_CURRENT_LIST_DIR}/engine_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/placement_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/partition_test.cpp
  LIBS infogap_engine)
# Placement: the aggregated coverage matrix against the per-household one; the team claim against
# the coverage recomputed after placement; the echo claim (new poles drowning a listener together).
infogap_add_test(infogap_placement_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/placement/coverage_matrix_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/placement/team_claim_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/placement/echo_claim_test.cpp
  LIBS infogap_engine)
