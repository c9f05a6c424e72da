# Placeholder until the area is written: replace with the area's explicit source list.
infogap_area(io
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/placeholder.cpp
  PUBLIC_DEPS infogap_core)
