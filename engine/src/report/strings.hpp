#pragma once
// The report's string tables, one per language, and the placeholder filler.

#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "infogap/language.hpp"

namespace infogap::detail {

/// key → text of one language. Text is plain (HTML-escaped when written); `{name}` marks a placeholder.
using StringTable = std::map<std::string, std::string, std::less<>>;

/// The string table of a language.
const StringTable& report_strings(Language language);

/// Keys whose text may be the same in every language (units, symbols, product names); every other
/// key must differ between "vi" and "en" so that nothing is left untranslated.
const std::set<std::string, std::less<>>& report_untranslated_keys();

/// Placeholders (`{name}`) of a text, in order of appearance.
std::vector<std::string> placeholders(std::string_view text);

/// Replaces each `{name}` of `text` by its value (values are inserted as given, not escaped).
/// @throws Error(internal) if `text` has a placeholder without a value
std::string fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string>> values);

/// Looks a key up in a table. @throws Error(internal) if the key is missing.
const std::string& text_of(const StringTable& table, std::string_view key);

}  // namespace infogap::detail
