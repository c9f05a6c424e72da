#pragma once
// Private to the report area: the HTML pieces every report page shares (report.<lang>.html and
// report_change.<lang>.html): the writer with its language and strings, sortable tables, cards,
// sections, and the self-contained page around them (Leaflet, style and script inlined).
#include <string>
#include <string_view>
#include <vector>

#include "infogap/language.hpp"
#include "report/strings.hpp"

namespace infogap::detail {

/// Rendering state: the language, its strings and the output buffer.
class Writer {
 public:
  Writer(const StringTable& strings, Language language) : m_strings(strings), m_language(language) {}

  const std::string& s(std::string_view key) const { return text_of(m_strings, key); }
  std::string h(std::string_view key) const;
  Language language() const noexcept { return m_language; }
  const StringTable& strings() const noexcept { return m_strings; }

  std::string count(double v) const;
  std::string weight(double v) const;
  std::string percent(double fraction) const;

  /// Label of a group_by column: translated for the usual names, else the column name itself.
  std::string group_label(const std::string& name) const;
  /// Label of a poverty status value: translated for poor/near_poor/not_poor, else the value.
  std::string status_label(const std::string& status) const;

  std::string& out() noexcept { return m_out; }
  void operator+=(std::string_view text) { m_out += text; }

 private:
  const StringTable& m_strings;
  Language m_language;
  std::string m_out;
};

/// numerator / denominator, NaN when the denominator is not positive.
double ratio(double numerator, double denominator);

/// Raw value for the data-sort attribute: C locale, full precision; empty for NaN (sorted last).
std::string sort_key(double v);

/// A column of a sortable table.
struct HtmlColumn {
  std::string label;
  bool numeric;
};

void table_head(Writer& w, const std::vector<HtmlColumn>& columns, const std::string& css_class);
void table_end(Writer& w);
void cell_text(Writer& w, const std::string& text);
void cell_num(Writer& w, double raw, const std::string& shown);
void card(Writer& w, const std::string& css, const std::string& label, const std::string& value,
          const std::string& note);
void section_open(Writer& w, const std::string& id, const std::string& title_key);
/// The map section: an intro paragraph (strings key) and the element report.js draws the map of
/// `expected_hamlets` hamlets in (a note when scripts are off).
void map_section(Writer& w, const std::string& intro_key, std::size_t expected_hamlets);

/// <!DOCTYPE> … <body>: meta (nothing fetched), title, Leaflet's and the report's style sheets.
void page_start(Writer& w, const std::string& title, const std::string& engine_version);
/// The data block read by report.js, Leaflet and report.js, </body></html>.
void page_end(Writer& w, const std::string& data_json);
/// </main>, the footer naming the engine version, then page_end.
void page_close(Writer& w, const std::string& engine_version, const std::string& data_json);

}  // namespace infogap::detail
