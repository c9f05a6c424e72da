#include "adapters/geos/geos_context.hpp"

#include <string>
#include <utility>

#include "infogap/error.hpp"

namespace infogap::detail {

namespace {

// Only records the text: never throws through the C library.
void store_message(const char* message, void* userdata) {
  auto* sink = static_cast<std::string*>(userdata);
  if (sink == nullptr) return;
  try {
    *sink = message != nullptr ? message : "";
  } catch (...) {  // allocation failure: keep the previous text
  }
}

}  // namespace

GeosContext::GeosContext() : m_message(std::make_unique<std::string>()) {
  m_handle = GEOS_init_r();
  if (m_handle == nullptr) throw Error(ErrorCode::geometry, "GEOS_init_r failed");
  GEOSContext_setErrorMessageHandler_r(m_handle, &store_message, m_message.get());
}

GeosContext::~GeosContext() {
  release();
}

void GeosContext::release() noexcept {
  if (m_handle == nullptr) return;
  if (m_reader != nullptr) GEOSWKBReader_destroy_r(m_handle, m_reader);
  if (m_writer != nullptr) GEOSWKBWriter_destroy_r(m_handle, m_writer);
  GEOS_finish_r(m_handle);
  m_reader = nullptr;
  m_writer = nullptr;
  m_handle = nullptr;
}

GeosContext::GeosContext(GeosContext&& other) noexcept
    : m_handle(std::exchange(other.m_handle, nullptr)),
      m_message(std::move(other.m_message)),
      m_reader(std::exchange(other.m_reader, nullptr)),
      m_writer(std::exchange(other.m_writer, nullptr)) {}

GeosContext& GeosContext::operator=(GeosContext&& other) noexcept {
  if (this != &other) {
    release();
    m_handle = std::exchange(other.m_handle, nullptr);
    m_message = std::move(other.m_message);
    m_reader = std::exchange(other.m_reader, nullptr);
    m_writer = std::exchange(other.m_writer, nullptr);
  }
  return *this;
}

std::string GeosContext::take_message() {
  if (!m_message) return {};
  std::string out = std::move(*m_message);
  m_message->clear();
  return out.empty() ? std::string("(no GEOS message)") : out;
}

GEOSWKBReader* GeosContext::wkb_reader() {
  if (m_reader == nullptr) {
    m_reader = GEOSWKBReader_create_r(m_handle);
    if (m_reader == nullptr) throw Error(ErrorCode::geometry, "GEOSWKBReader_create_r failed: " + take_message());
  }
  return m_reader;
}

GEOSWKBWriter* GeosContext::wkb_writer() {
  if (m_writer == nullptr) {
    m_writer = GEOSWKBWriter_create_r(m_handle);
    if (m_writer == nullptr) throw Error(ErrorCode::geometry, "GEOSWKBWriter_create_r failed: " + take_message());
    GEOSWKBWriter_setOutputDimension_r(m_handle, m_writer, 2);
    GEOSWKBWriter_setByteOrder_r(m_handle, m_writer, GEOS_WKB_NDR);
    GEOSWKBWriter_setFlavor_r(m_handle, m_writer, GEOS_WKB_ISO);
    GEOSWKBWriter_setIncludeSRID_r(m_handle, m_writer, 0);
  }
  return m_writer;
}

GeosContext& thread_geos_context() {
  thread_local GeosContext ctx;
  return ctx;
}

GeomPtr checked(GeosContext& ctx, GEOSGeometry* g, const char* what) {
  if (g == nullptr) throw Error(ErrorCode::geometry, std::string(what) + " failed: " + ctx.take_message());
  return GeomPtr(g, GeomDeleter{ctx.get()});
}

GeomPtr geom_from_wkb(GeosContext& ctx, const std::vector<std::uint8_t>& wkb) {
  if (wkb.empty()) throw InvalidInput(ErrorCode::invalid_input, "empty WKB (NULL geometry)");
  GEOSGeometry* g = GEOSWKBReader_read_r(ctx.get(), ctx.wkb_reader(), wkb.data(), wkb.size());
  if (g == nullptr) throw InvalidInput(ErrorCode::invalid_input, "unreadable WKB: " + ctx.take_message());
  return GeomPtr(g, GeomDeleter{ctx.get()});
}

std::vector<std::uint8_t> geom_to_wkb(GeosContext& ctx, const GEOSGeometry& g) {
  std::size_t size = 0;
  unsigned char* buf = GEOSWKBWriter_write_r(ctx.get(), ctx.wkb_writer(), &g, &size);
  if (buf == nullptr) throw Error(ErrorCode::geometry, "GEOSWKBWriter_write_r failed: " + ctx.take_message());
  std::vector<std::uint8_t> out(buf, buf + size);
  GEOSFree_r(ctx.get(), buf);
  return out;
}

}  // namespace infogap::detail
