#pragma once
// Private: the one UTF-8 check of the engine (input layers, the scenario file, ASCII folding of
// shapefile names). The check is GDAL's CPLIsUTF8; these wrappers only add a byte offset for
// messages and RFC 3629's ban on encoded UTF-16 surrogates (ED A0..BF), which CPLIsUTF8 accepts
// and Python, SQLite's and QGIS's decoders do not.
#include <cstddef>
#include <string_view>

namespace infogap::detail {

/// Whether text is valid UTF-8 (CPLIsUTF8, no surrogates). An embedded NUL byte is invalid.
bool is_utf8(std::string_view text) noexcept;

/// Byte offset of the first byte that does not start a valid UTF-8 character (overlong forms,
/// surrogates, code points above U+10FFFF, truncated sequences, NUL), or npos when text is valid.
std::size_t invalid_utf8_offset(std::string_view text) noexcept;

}  // namespace infogap::detail
