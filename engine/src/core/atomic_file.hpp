#pragma once
// Private: the one way the engine writes a small file: a temporary name in the same folder,
// flushed and closed, then renamed into place. A failure removes the temporary and throws
// IoError naming the file; the target is never left half-written.
#include <string>
#include <string_view>

namespace infogap::detail {

/// Writes bytes to path atomically. @throws IoError (cannot create, write — e.g. disk full — or rename)
void write_file_atomic(const std::string& path, std::string_view bytes);

/// The hidden temporary name a file is written under before the rename: "<dir>/.<stem>.tmp.<ext>"
/// for path "<dir>/<stem>.<old ext>" (ext without its dot; empty = none).
std::string temp_path_for(const std::string& path, std::string_view ext);

}  // namespace infogap::detail
