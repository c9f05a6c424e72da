#include "infogap/language.hpp"

#include <string>

#include "infogap/error.hpp"

namespace infogap {

Language language_from_code(std::string_view code) {
  if (code == "vi") return Language::vi;
  if (code == "en") return Language::en;
  throw InvalidInput(ErrorCode::invalid_scenario, "unknown language '" + std::string(code) + "' (expected vi or en)");
}

const char* to_code(Language language) noexcept {
  return language == Language::vi ? "vi" : "en";
}

}  // namespace infogap
