infogap_area(optimize
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/problem.cpp
    ${CMAKE_CURRENT_LIST_DIR}/merge.cpp
    ${CMAKE_CURRENT_LIST_DIR}/heuristic.cpp
    ${CMAKE_CURRENT_LIST_DIR}/bound.cpp
    ${CMAKE_CURRENT_LIST_DIR}/coin.cpp
    ${CMAKE_CURRENT_LIST_DIR}/optimize.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS PkgConfig::CBC)
