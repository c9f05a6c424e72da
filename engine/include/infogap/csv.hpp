#pragma once
/// @file csv.hpp  The text-cell rule of infogap's CSV files (DESIGN.md §5), for CSV files written
/// outside the engine's own writer (the sweep index of infogap.distributed, through Python).

#include <string>
#include <string_view>

namespace infogap {

/// A text cell as infogap's CSV files write it: a leading `'` before a first character a
/// spreadsheet would run as a formula (= + - @ tab CR), then RFC 4180 quoting when it holds a
/// comma, a double quote, CR or LF, or starts or ends with a space (quotes doubled).
std::string csv_text_field(std::string_view text);

}  // namespace infogap
