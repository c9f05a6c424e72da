#include "infogap/language.hpp"

#include <string>

#include "infogap/error.hpp"

namespace infogap {

Language language_from_code(std::string_view code) {
  for (std::size_t i = 0; i < k_languages.size(); ++i)
    if (code == k_language_codes[i]) return k_languages[i];
  throw InvalidInput(ErrorCode::invalid_scenario, "unknown language '" + std::string(code) + "' (expected vi or en)");
}

const char* to_code(Language language) noexcept {
  return k_language_codes[static_cast<std::size_t>(language)].data();  // literals: NUL-terminated
}

}  // namespace infogap
