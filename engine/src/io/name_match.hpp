#pragma once
// Private to the io area: tolerant matching of commune and hamlet names (DESIGN.md §3). Names
// compare after folding Vietnamese to ASCII, case, spacing and punctuation, dropping an
// administrative prefix (Ấp, Khóm, Xã, Phường, Thị trấn, Tổ) and writing Roman numbers in Arabic
// ("Ấp III" = "ấp 3" = "Ap 03").

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace infogap::load_detail {

/// The comparison key of a name: "Ấp Phước Thạnh III" → "phuoc thanh 3"; "" for an empty name.
/// strip_prefix false keeps the administrative prefix ("ap phuoc thanh 3").
std::string name_key(std::string_view name, bool strip_prefix = true);

/// Levenshtein distance between two keys (bytes).
std::size_t key_distance(std::string_view a, std::string_view b);

/// Names → indices, looked up by key. A key given by two entries is ambiguous.
class NameIndex {
 public:
  /// Adds a name (and its index); empty names are ignored. `suggested`: offered by suggest() (an
  /// id added beside a name matches but is not suggested in its place).
  void add(std::string_view name, std::size_t index, bool suggested = true);
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  static constexpr std::size_t ambiguous = static_cast<std::size_t>(-2);
  /// The index of the name, none, or ambiguous. The key with its prefix decides first ("Xã Phước
  /// Long" ≠ "Thị trấn Phước Long"), then the key without it ("Phước Long" is then ambiguous).
  std::size_t find(std::string_view name) const;
  /// Up to `k` names closest to `name` (edit distance of the keys), nearest first, as
  /// "'Ấp 3' (distance 1)"; joined with ", ". "" if the index is empty.
  std::string suggest(std::string_view name, std::size_t k = 3) const;

 private:
  std::unordered_map<std::string, std::size_t> m_by_key, m_by_full_key;
  std::vector<std::pair<std::string, std::string>> m_names;  ///< (key, original name), unique keys
};

}  // namespace infogap::load_detail
