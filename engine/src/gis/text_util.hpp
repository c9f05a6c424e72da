#pragma once
// Private helpers of the gis area: number formatting for XML and Vietnamese → ASCII folding.

#include <string>
#include <string_view>

namespace infogap::detail {

/// Shortest decimal text that reads back as the same double ("55", "0.1", "1e+20"); "nan"/"inf"
/// are written as "nan", "inf", "-inf".
std::string xml_number(double v);

/// UTF-8 → ASCII: Vietnamese letters lose their diacritics (đ → d, Đ → D); other non-ASCII code
/// points become '_'. Each byte the UTF-8 check (adapters/gdal/text.hpp) refuses becomes '_'.
std::string fold_to_ascii(std::string_view utf8);

}  // namespace infogap::detail
