# infogap_io: load + validate the scenario's layers (GDAL/PROJ/GEOS through the adapters), rejects.csv.
infogap_area(io
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/load.cpp
    ${CMAKE_CURRENT_LIST_DIR}/validate.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_adapters infogap_acoustics)
