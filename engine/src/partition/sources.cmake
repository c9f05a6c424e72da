# Partitioned runs (DESIGN.md §5 "Partitioned runs"): a partition's inputs and coverage cut from a
# run computed on the whole input (with the halo of equipment that matters inside it), and the
# national roll-up written from the partition folders. The partition list is io's (io/partitions.cpp).
infogap_area(partition
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/subset.cpp
    ${CMAKE_CURRENT_LIST_DIR}/rollup.cpp
  PUBLIC_DEPS infogap_core infogap_acoustics infogap_coverage infogap_output
  PRIVATE_DEPS infogap_io infogap_spatial infogap_report infogap_gis infogap_adapters nlohmann_json::nlohmann_json)
