#pragma once
// Shared helpers of the fuzz targets: fixed layers in GDAL's in-memory file system and a failure
// report that aborts (so both libFuzzer and the replay driver stop with the input saved/named).
#include <cstddef>
#include <cstdint>
#include <string>

namespace infogap::fuzz {

/// Prints what broken invariant was found (with two texts for context) and aborts.
[[noreturn]] void fail(const std::string& what, const std::string& detail, const std::string& detail2 = {});

/// Writes bytes to a path (a /vsimem/ path: GDAL's in-memory file system). Overwrites.
void write_mem_file(const std::string& path, const std::uint8_t* data, std::size_t size);

/// Writes text to a /vsimem/ path.
void write_mem_file(const std::string& path, const std::string& text);

/// One-time setup for the loader targets: one worker thread (deterministic), GDAL registered,
/// GDAL's error messages kept quiet.
void init_loader();

/// A fixed hamlet layer (two adjacent squares near Bac Lieu, EPSG:4326) as GeoJSON text.
const std::string& hamlets_geojson();

/// A fixed household CSV (lon/lat) with a few households inside and outside the hamlets.
const std::string& households_csv();

}  // namespace infogap::fuzz
