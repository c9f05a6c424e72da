#include "adapters/gdal/text.hpp"

#include <cpl_string.h>

#include <climits>

namespace infogap::detail {
namespace {

bool gdal_is_utf8(std::string_view text) noexcept {
  while (text.size() > static_cast<std::size_t>(INT_MAX)) {  // CPLIsUTF8 takes an int length
    std::size_t cut = static_cast<std::size_t>(INT_MAX);
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;  // a character boundary
    if (CPLIsUTF8(text.data(), static_cast<int>(cut)) == 0) return false;
    text.remove_prefix(cut);
  }
  return CPLIsUTF8(text.data(), static_cast<int>(text.size())) != 0;
}

bool has_surrogate(std::string_view text) noexcept {
  for (std::size_t i = text.find('\xED'); i != std::string_view::npos; i = text.find('\xED', i + 1))
    if (i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0xA0U) return true;
  return false;
}

}  // namespace

bool is_utf8(std::string_view text) noexcept {
  return gdal_is_utf8(text) && !has_surrogate(text);
}

std::size_t invalid_utf8_offset(std::string_view text) noexcept {
  if (is_utf8(text)) return std::string_view::npos;
  // Walk character by character: the shortest prefix (1–4 bytes) GDAL accepts is one character.
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t len = 1;
    while (len <= 4 && i + len <= text.size() && !is_utf8(text.substr(i, len))) ++len;
    if (len > 4 || i + len > text.size()) return i;
    i += len;
  }
  return std::string_view::npos;  // not reached: the whole text was invalid
}

}  // namespace infogap::detail
