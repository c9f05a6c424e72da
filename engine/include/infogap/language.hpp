#pragma once
/// @file language.hpp  The one language type of the outputs: the HTML report (report.hpp) and the
/// QGIS styles and project (styles.hpp) both take it. The scenario names languages by code
/// (`output.languages: [vi, en]`); language_from_code is the one place a code is checked.

#include <array>
#include <cstdint>
#include <string_view>

namespace infogap {

/// Language of the report, labels and layer titles.
enum class Language : std::uint8_t { vi, en };

/// Every language, in output order.
inline constexpr std::array<Language, 2> k_languages{Language::vi, Language::en};
/// Their codes, in the same order: what the scenario's `output.languages` accepts.
inline constexpr std::array<std::string_view, 2> k_language_codes{"vi", "en"};

/// "vi" → Language::vi, "en" → Language::en. @throws InvalidInput for any other code
Language language_from_code(std::string_view code);

/// "vi" or "en".
const char* to_code(Language language) noexcept;

}  // namespace infogap
