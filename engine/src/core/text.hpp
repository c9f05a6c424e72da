#pragma once
// Private: text helpers shared by the areas (the scenario parser, the loader, the GIS files):
// UTF-8 check, Vietnamese → ASCII folding, and "did you mean" suggestions.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace infogap::detail {

/// UTF-8 → ASCII: Latin letters lose their diacritics (Vietnamese ơ ư ă â ê ô and the five tone
/// marks; đ → d, Đ → D), precomposed (NFC) or decomposed (NFD: combining marks U+0300–U+036F are
/// dropped) alike; other non-ASCII code points and invalid bytes become '_'.
std::string fold_to_ascii(std::string_view utf8);

/// fold_to_ascii, lower case, trimmed, runs of spaces/'_'/'-' as one space: the key by which
/// labels written by hand are compared ("Hộ  Nghèo" and "ho_ngheo" both → "ho ngheo").
std::string fold_key(std::string_view utf8);

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), ASCII
/// case-insensitive: "stauts" → "status" is 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to key when it is close enough to be a likely typo (distance at most
/// half the longer length and smaller than both lengths); "" otherwise. Ties: first candidate.
std::string nearest_name(std::string_view key, const std::vector<std::string>& candidates);

/// Up to `count` candidates nearest to key (by edit_distance, then file order), for "the layer
/// has no column 'powr_w'; closest: power_w, pole_h".
std::vector<std::string> closest_names(std::string_view key, const std::vector<std::string>& candidates,
                                       std::size_t count = 3);

}  // namespace infogap::detail
