#pragma once
/// @file language.hpp  The one language type of the outputs: the HTML report (report.hpp) and the
/// QGIS styles and project (styles.hpp) both take it. The scenario names languages by code
/// (`output.languages: [vi, en]`); language_from_code is the one place a code is checked.

#include <cstdint>
#include <string_view>

namespace infogap {

/// Language of the report, labels and layer titles.
enum class Language : std::uint8_t { vi, en };

/// "vi" → Language::vi, "en" → Language::en. @throws InvalidInput for any other code
Language language_from_code(std::string_view code);

/// "vi" or "en".
const char* to_code(Language language) noexcept;

}  // namespace infogap
