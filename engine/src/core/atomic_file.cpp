#include "core/atomic_file.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "infogap/error.hpp"

namespace infogap::detail {

void write_file_atomic(const std::string& path, std::string_view bytes) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  // The process id keeps two concurrent writers of the same name apart.
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict, PR 105651) on "." + std::string at -O3.
  std::string name = ".";
  name += target.filename().string();
  name += ".tmp.";
  name += std::to_string(getpid());
  const fs::path temp = target.parent_path() / name;
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (f == nullptr) throw IoError(ErrorCode::io, "cannot create a file here", {temp.string(), "", "", {}});
  const std::size_t written = bytes.empty() ? 0 : std::fwrite(bytes.data(), 1, bytes.size(), f);
  const bool flushed = std::fflush(f) == 0 && fsync(fileno(f)) == 0;
  const bool closed = std::fclose(f) == 0;
  std::error_code ec;
  if (written != bytes.size() || !flushed || !closed) {
    fs::remove(temp, ec);
    throw IoError(ErrorCode::io, "cannot write the file (disk full?)", {path, "", "", {}});
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw IoError(ErrorCode::io, "cannot rename into place: " + ec.message(), {path, "", "", {}});
  }
}

std::string temp_path_for(const std::string& path, std::string_view ext) {
  const std::filesystem::path target(path);
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict, PR 105651) on "." + std::string at -O3.
  std::string name = ".";
  name += target.stem().string();
  name += ".tmp";
  if (!ext.empty()) {
    name += '.';
    name += ext;
  }
  return (target.parent_path() / name).string();
}

}  // namespace infogap::detail
