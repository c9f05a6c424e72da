infogap_add_test(infogap_core_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/error_test.cpp ${CMAKE_CURRENT_LIST_DIR}/table_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/parallel_test.cpp ${CMAKE_CURRENT_LIST_DIR}/text_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/core/csv_test.cpp
  LIBS infogap_core)
