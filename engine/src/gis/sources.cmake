# GIS presentation: QGIS styles (QML), the QGIS project, shapefile field names.
infogap_area(gis
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/styles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qgis_project.cpp
    ${CMAKE_CURRENT_LIST_DIR}/text_util.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS infogap_adapters)
