infogap_add_test(infogap_pipeline_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/readme_reference_test.cpp ${CMAKE_CURRENT_LIST_DIR}/engine_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/placement_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/partition_test.cpp
  LIBS infogap_engine)
