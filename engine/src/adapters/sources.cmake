# The only code that includes GDAL, GEOS and PROJ headers (DESIGN.md §1).
#   gdal/: io (files, vector reader/writer, errors) + raster_writer, rasterize, crs_text (gis),
#          text (the UTF-8 check: io, scenario, gis), wkb (the WKB codec: io, synth, output)
#   geos/: geometry_ops, geos_context, geojson (synth, report)
#   proj/: transformer (io)
infogap_area(adapters
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/gdal/gdal_error.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gdal/files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gdal/vector_reader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gdal/vector_writer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gdal/raster_writer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gdal/raster_reader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gdal/rasterize.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gdal/crs_text.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gdal/text.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gdal/wkb.cpp
    ${CMAKE_CURRENT_LIST_DIR}/geos/geos_context.cpp
    ${CMAKE_CURRENT_LIST_DIR}/geos/geometry_ops.cpp
    ${CMAKE_CURRENT_LIST_DIR}/geos/geojson.cpp
    ${CMAKE_CURRENT_LIST_DIR}/proj/transformer.cpp
  PUBLIC_DEPS infogap_core
  PRIVATE_DEPS GDAL::GDAL GEOS::geos_c PROJ::proj)
