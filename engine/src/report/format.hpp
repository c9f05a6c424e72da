#pragma once
// Text helpers of the HTML report: per-language number formatting, JSON inside <script>.

#include <string>
#include <string_view>
#include <utility>

#include "infogap/language.hpp"

namespace infogap::detail {

/// Number with `decimals` digits after the separator and thousands grouping:
/// vi 1.234.567,5 — en 1,234,567.5. NaN and infinities give "–". -0 prints as 0.
std::string format_number(double value, int decimals, Language language);

/// A fraction as a percentage: 0.4523 → "45,2%" (vi) / "45.2%" (en); NaN gives "–".
std::string format_percent(double fraction, int decimals, Language language);

/// Makes JSON text safe inside a <script> element: < > & become \u003c \u003e \u0026 (valid JSON
/// escapes, as they can only occur inside strings), so "</script>" cannot end the element.
std::string script_safe_json(std::string_view json_text);

/// The thousands and decimal separators of a language: {'.', ','} for vi, {',', '.'} for en.
std::pair<char, char> number_separators(Language language);

/// The reports' "generated at" time: SOURCE_DATE_EPOCH (seconds, UTC) when set — the
/// reproducible-builds convention, so two runs can give byte-identical reports — else now (local).
std::string generated_at_text();

}  // namespace infogap::detail
