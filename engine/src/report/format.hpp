#pragma once
// Text helpers of the HTML report: escaping and per-language number formatting.

#include <string>
#include <string_view>
#include <utility>

namespace infogap::detail {

/// Escapes & < > " ' for HTML text and attribute values.
std::string escape_html(std::string_view text);

/// Number with `decimals` digits after the separator and thousands grouping:
/// vi 1.234.567,5 — en 1,234,567.5. NaN and infinities give "–". -0 prints as 0.
/// @throws InvalidInput for an unknown language
std::string format_number(double value, int decimals, std::string_view language);

/// A fraction as a percentage: 0.4523 → "45,2%" (vi) / "45.2%" (en); NaN gives "–".
std::string format_percent(double fraction, int decimals, std::string_view language);

/// Makes JSON text safe inside a <script> element: < > & become \u003c \u003e \u0026 (valid JSON
/// escapes, as they can only occur inside strings), so "</script>" cannot end the element.
std::string script_safe_json(std::string_view json_text);

/// The thousands and decimal separators of a language: {'.', ','} for vi, {',', '.'} for en.
/// @throws InvalidInput for an unknown language
std::pair<char, char> number_separators(std::string_view language);

}  // namespace infogap::detail
