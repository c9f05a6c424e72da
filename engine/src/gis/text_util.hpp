#pragma once
// Private helpers of the raster area: XML escaping, number formatting, atomic text files.

#include <string>
#include <string_view>

#include "core/text.hpp"

namespace infogap::detail {

/// Escapes & < > " ' for XML text and attribute values.
std::string xml_escape(std::string_view text);

/// Shortest decimal text that reads back as the same double ("55", "0.1", "1e+20"); "nan"/"inf"
/// are written as "nan", "inf", "-inf".
std::string xml_number(double v);

/// Writes text to path via a temporary name in the same folder and a rename. @throws IoError
void write_text_atomic(const std::string& path, std::string_view text);

// fold_to_ascii: core/text.hpp (shared with the loader).

}  // namespace infogap::detail
