# Tests of infogap/report.hpp (the HTML planner report).
infogap_add_test(infogap_report_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/report_test.cpp
  LIBS infogap_report nlohmann_json::nlohmann_json)

# Helper for tests/e2e/report_browser_test.py: writes sample reports into a folder.
add_executable(infogap_report_sample ${CMAKE_CURRENT_LIST_DIR}/report_sample.cpp)
target_include_directories(infogap_report_sample PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(infogap_report_sample PRIVATE infogap_report)
infogap_target_defaults(infogap_report_sample)
