#pragma once
// Private helpers of the gis area: number formatting for XML (Vietnamese → ASCII folding is in
// core/text.hpp, shared with the loader).

#include <string>
#include <string_view>

#include "core/text.hpp"

namespace infogap::detail {

/// Shortest decimal text that reads back as the same double ("55", "0.1", "1e+20"); "nan"/"inf"
/// are written as "nan", "inf", "-inf".
std::string xml_number(double v);

}  // namespace infogap::detail
