#pragma once
// Private: RAII over the GEOS C API (_r functions only). Only adapters/geos/*.cpp include this.

#include <geos_c.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace infogap::detail {

/// One GEOS context handle (GEOS_init_r) whose error messages are stored, never thrown from the
/// callback: the adapter checks each call's return value and throws with take_message().
/// Move-only. Thread safety: one context per thread (GEOS re-entrant API).
class GeosContext {
 public:
  GeosContext();
  ~GeosContext();
  GeosContext(GeosContext&& other) noexcept;
  GeosContext& operator=(GeosContext&& other) noexcept;
  GeosContext(const GeosContext&) = delete;
  GeosContext& operator=(const GeosContext&) = delete;

  /// The raw handle for GEOS *_r calls.
  GEOSContextHandle_t get() const noexcept { return m_handle; }
  /// Returns and clears the last error message GEOS reported ("" when none).
  std::string take_message();

  /// The context's WKB reader / writer (ISO flavour, 2-D, little-endian), created on first use.
  GEOSWKBReader* wkb_reader();
  GEOSWKBWriter* wkb_writer();

 private:
  void release() noexcept;

  GEOSContextHandle_t m_handle = nullptr;
  std::unique_ptr<std::string> m_message;  ///< its address is the handler's userdata: stable across moves
  GEOSWKBReader* m_reader = nullptr;
  GEOSWKBWriter* m_writer = nullptr;
};

/// The calling thread's GEOS context (created on first use, destroyed at thread exit).
GeosContext& thread_geos_context();

/// Destroys a geometry in its context.
struct GeomDeleter {
  GEOSContextHandle_t ctx = nullptr;
  void operator()(GEOSGeometry* g) const noexcept { GEOSGeom_destroy_r(ctx, g); }
};
/// Owned GEOS geometry.
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

/// Destroys a prepared geometry in its context.
struct PreparedDeleter {
  GEOSContextHandle_t ctx = nullptr;
  void operator()(const GEOSPreparedGeometry* g) const noexcept { GEOSPreparedGeom_destroy_r(ctx, g); }
};
/// Owned prepared geometry (not thread-safe: lazily builds indexes).
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

/// Destroys an STRtree in its context.
struct StrTreeDeleter {
  GEOSContextHandle_t ctx = nullptr;
  void operator()(GEOSSTRtree* t) const noexcept { GEOSSTRtree_destroy_r(ctx, t); }
};
/// Owned STRtree.
using StrTreePtr = std::unique_ptr<GEOSSTRtree, StrTreeDeleter>;

/// Wraps a geometry returned by a GEOS call; throws Error(geometry) naming `what` when it is null.
GeomPtr checked(GeosContext& ctx, GEOSGeometry* g, const char* what);

/// Parses ISO/extended WKB. @throws InvalidInput if the bytes are not WKB
GeomPtr geom_from_wkb(GeosContext& ctx, const std::vector<std::uint8_t>& wkb);
/// Writes ISO WKB (2-D, little-endian). @throws Error(geometry)
std::vector<std::uint8_t> geom_to_wkb(GeosContext& ctx, const GEOSGeometry& g);

}  // namespace infogap::detail
