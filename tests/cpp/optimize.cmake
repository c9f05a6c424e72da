infogap_add_test(infogap_optimize_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/optimize_test.cpp ${CMAKE_CURRENT_LIST_DIR}/optimize_existing_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/optimize_together_test.cpp
  LIBS infogap_optimize)
# Reference optima from PuLP + CBC (python3-pulp, coinor-cbc) run by /usr/bin/python3 (~10 s).
infogap_add_test(infogap_optimize_pulp_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/optimize_pulp_test.cpp
  LIBS infogap_optimize nlohmann_json::nlohmann_json)
