# infogap_io: load + validate the scenario's layers (GDAL/PROJ/GEOS through the adapters), rejects.csv.
# load.cpp orchestrates; fields.cpp (cells), layer.cpp (one layer, ids, rejects), points.cpp
# (points + reprojection), working_crs.cpp, load_<layer>.cpp; private header load_detail.hpp.
infogap_area(io
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/load.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fields.cpp
    ${CMAKE_CURRENT_LIST_DIR}/layer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/points.cpp
    ${CMAKE_CURRENT_LIST_DIR}/working_crs.cpp
    ${CMAKE_CURRENT_LIST_DIR}/load_hamlets.cpp
    ${CMAKE_CURRENT_LIST_DIR}/load_households.cpp
    ${CMAKE_CURRENT_LIST_DIR}/load_equipment.cpp
    ${CMAKE_CURRENT_LIST_DIR}/validate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/name_match.cpp
    ${CMAKE_CURRENT_LIST_DIR}/derive_hamlets.cpp
    ${CMAKE_CURRENT_LIST_DIR}/place_households.cpp
    ${CMAKE_CURRENT_LIST_DIR}/partitions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/preflight.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_adapters infogap_acoustics infogap_gis infogap_raster)
