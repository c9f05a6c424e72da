// Tolerant matching of commune and hamlet names (name_match.hpp).
#include "io/name_match.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.hpp"

namespace infogap::load_detail {
namespace {

/// Prefixes dropped from the front of a key (tokens, already folded and lower case).
constexpr std::array<std::string_view, 8> k_prefixes{"ap", "khom", "xa", "phuong", "thi tran", "to", "thon", "khu pho"};

/// "iii" → 3; 0 if the token is not a Roman number in [1, 39].
int roman(std::string_view t) {
  static constexpr std::array<std::string_view, 10> ones{"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
  static constexpr std::array<std::string_view, 4> tens{"", "x", "xx", "xxx"};
  for (int a = 0; a < 4; ++a) {
    if (!t.starts_with(tens[static_cast<std::size_t>(a)])) continue;
    const std::string_view rest = t.substr(tens[static_cast<std::size_t>(a)].size());
    for (int b = 0; b < 10; ++b)
      if (rest == ones[static_cast<std::size_t>(b)] && a * 10 + b > 0) return a * 10 + b;
  }
  return 0;
}

}  // namespace

std::string name_key(std::string_view name, bool strip_prefix) {
  const std::string folded = detail::fold_to_ascii(name);
  std::vector<std::string> tokens;
  std::string cur;
  for (const char ch : folded) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0) {
      // A letter after digits (or digits after letters) starts a new token: "ap3" → "ap 3".
      if (!cur.empty() && (std::isdigit(c) != 0) != (std::isdigit(static_cast<unsigned char>(cur.back())) != 0)) {
        tokens.push_back(cur);
        cur.clear();
      }
      cur.push_back(static_cast<char>(std::tolower(c)));
    } else if (!cur.empty()) {
      tokens.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) tokens.push_back(cur);
  // Drop one administrative prefix, if something is left after it.
  for (const std::string_view p : k_prefixes) {
    if (!strip_prefix) break;
    const bool two = p.find(' ') != std::string_view::npos;
    const std::size_t n = two ? 2 : 1;
    if (tokens.size() <= n) continue;
    const std::string head = two ? tokens[0] + " " + tokens[1] : tokens[0];
    if (head == p) {
      tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(n));
      break;
    }
  }
  std::string out;
  for (std::string& t : tokens) {
    if (std::isdigit(static_cast<unsigned char>(t[0])) != 0) {
      const std::size_t nz = t.find_first_not_of('0');
      t = nz == std::string::npos ? "0" : t.substr(nz);
    } else if (const int r = roman(t); r > 0) {
      t = std::to_string(r);
    }
    if (!out.empty()) out.push_back(' ');
    out += t;
  }
  return out;
}

std::size_t key_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

void NameIndex::add(std::string_view name, std::size_t index, bool suggested) {
  const std::string key = name_key(name);
  if (key.empty()) return;
  const auto [full, new_full] = m_by_full_key.emplace(name_key(name, false), index);
  if (!new_full && full->second != index) full->second = ambiguous;
  const auto [it, inserted] = m_by_key.emplace(key, index);
  if (inserted) {
    if (suggested) m_names.emplace_back(key, std::string(name));
  } else if (it->second != index) {
    it->second = ambiguous;
  }
}

std::size_t NameIndex::find(std::string_view name) const {
  if (const auto f = m_by_full_key.find(name_key(name, false)); f != m_by_full_key.end()) return f->second;
  const auto it = m_by_key.find(name_key(name));
  return it == m_by_key.end() ? none : it->second;
}

std::string NameIndex::suggest(std::string_view name, std::size_t k) const {
  const std::string key = name_key(name);
  std::vector<std::pair<std::size_t, std::size_t>> d;  // (distance, entry)
  d.reserve(m_names.size());
  for (std::size_t i = 0; i < m_names.size(); ++i) d.emplace_back(key_distance(key, m_names[i].first), i);
  const std::size_t n = std::min(k, d.size());
  std::partial_sort(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(n), d.end());
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (!out.empty()) out += ", ";
    out += "'" + m_names[d[i].second].second + "' (distance " + std::to_string(d[i].first) + ")";
  }
  return out;
}

}  // namespace infogap::load_detail
