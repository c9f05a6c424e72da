// GDAL registration, file helpers (rename, sha256) and layer listing.
#include <cpl_conv.h>
#include <cpl_port.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/gdal/gdal_error.hpp"
#include "adapters/gdal/gdal_io.hpp"

// GDAL exports its SHA-256 (port/cpl_sha256.c, CPL_DLL) but Debian's libgdal-dev does not install
// cpl_sha256.h. Declare the three functions; the context is handed over as an opaque buffer that is
// larger and at least as aligned as GDAL's CPL_SHA256Context (108 bytes, 8-byte aligned in 3.x).
extern "C" {
struct InfogapSha256Context;
void CPL_SHA256Init(InfogapSha256Context* sc);
void CPL_SHA256Update(InfogapSha256Context* sc, const void* data, size_t len);
void CPL_SHA256Final(InfogapSha256Context* sc, GByte hash[32]);
}

namespace infogap::detail {

void gdal_initialize() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Runs are offline: PROJ (through GDAL's OSR) never reaches the network for grids.
    CPLSetConfigOption("PROJ_NETWORK", "OFF");
    GDALAllRegister();
  });
}

void rename_file(const std::string& from, const std::string& to) {
  GdalErrorCapture capture;
  if (VSIRename(from.c_str(), to.c_str()) != 0) {
    const int err = errno;
    std::string why = capture.message();
    if (why.empty()) why = std::strerror(err);
    throw IoError(ErrorCode::io, "cannot rename '" + from + "' to '" + to + "': " + why, {to, "", "", {}});
  }
}

std::string sha256_file(const std::string& path) {
  GdalErrorCapture capture;
  VSILFILE* fp = VSIFOpenExL(path.c_str(), "rb", TRUE);
  if (fp == nullptr) throw_gdal(ErrorCode::io, "cannot open for reading", capture, {path, "", "", {}});
  struct Closer {
    VSILFILE* fp;
    ~Closer() { VSIFCloseL(fp); }
  } closer{fp};

  alignas(16) std::array<unsigned char, 512> context_storage{};  // > sizeof(CPL_SHA256Context)
  auto* ctx = reinterpret_cast<InfogapSha256Context*>(context_storage.data());
  CPL_SHA256Init(ctx);
  std::vector<unsigned char> buffer(1 << 20);
  for (;;) {
    const size_t got = VSIFReadL(buffer.data(), 1, buffer.size(), fp);
    if (got > 0) CPL_SHA256Update(ctx, buffer.data(), got);
    if (got < buffer.size()) {
      if (VSIFEofL(fp) == 0) throw_gdal(ErrorCode::io, "read error", capture, {path, "", "", {}});
      break;
    }
  }
  std::array<GByte, 32> hash{};
  CPL_SHA256Final(ctx, hash.data());
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (const GByte b : hash) {
    out.push_back(k_hex[b >> 4]);
    out.push_back(k_hex[b & 0x0f]);
  }
  return out;
}

std::vector<std::string> list_layers(const std::string& path) {
  gdal_initialize();
  GdalErrorCapture capture;
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR));
  if (!ds) throw_gdal(ErrorCode::io, "cannot open as a vector file", capture, {path, "", "", {}});
  std::vector<std::string> names;
  for (int i = 0; i < ds->GetLayerCount(); ++i) names.emplace_back(ds->GetLayer(i)->GetName());
  return names;
}

}  // namespace infogap::detail
