#include "report/html.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "core/markup.hpp"
#include "report/assets.hpp"
#include "report/format.hpp"

namespace infogap::detail {

std::string Writer::h(std::string_view key) const {
  return escape_markup(s(key));
}
std::string Writer::count(double v) const {
  return format_number(v, 0, m_language);
}
std::string Writer::weight(double v) const {
  return format_number(v, 1, m_language);
}
std::string Writer::percent(double fraction) const {
  return format_percent(fraction, 1, m_language);
}
std::string Writer::group_label(const std::string& name) const {
  const auto it = m_strings.find("group_" + name);
  return it == m_strings.end() ? name : it->second;
}
std::string Writer::status_label(const std::string& status) const {
  const auto it = m_strings.find("status_" + status);
  return it == m_strings.end() ? status : it->second;
}

double ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : std::numeric_limits<double>::quiet_NaN();
}

std::string sort_key(double v) {
  if (!std::isfinite(v)) return {};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

void table_head(Writer& w, const std::vector<HtmlColumn>& columns, const std::string& css_class) {
  w += "<div class=\"table-wrap\"><table class=\"" + css_class + "\"><thead><tr>";
  for (const auto& c : columns) {
    w += std::string("<th scope=\"col\" tabindex=\"0\" data-type=\"") + (c.numeric ? "num" : "text") + "\" title=\"" +
         w.h("sort_hint") + "\">" + escape_markup(c.label) + "</th>";
  }
  w += "</tr></thead><tbody>\n";
}

void table_end(Writer& w) {
  w += "</tbody></table></div>\n";
}

void cell_text(Writer& w, const std::string& text) {
  w += "<td data-sort=\"" + escape_markup(text) + "\">" + escape_markup(text) + "</td>";
}
void cell_num(Writer& w, double raw, const std::string& shown) {
  w += "<td class=\"num\" data-sort=\"" + sort_key(raw) + "\">" + escape_markup(shown) + "</td>";
}

void card(Writer& w, const std::string& css, const std::string& label, const std::string& value,
          const std::string& note) {
  w += "<div class=\"card " + css + "\"><div class=\"card-label\">" + escape_markup(label) +
       "</div><div class=\"card-value\">" + escape_markup(value) + "</div><div class=\"card-note\">" +
       escape_markup(note) + "</div></div>\n";
}

void section_open(Writer& w, const std::string& id, const std::string& title_key) {
  w += "<section id=\"" + id + "\"><h2>" + w.h(title_key) + "</h2>\n";
}

void map_section(Writer& w, const std::string& intro_key, std::size_t expected_hamlets) {
  section_open(w, "map-section", "section_map");
  w += "<p>" + w.h(intro_key) + "</p>\n";
  w += "<div id=\"map\" class=\"map\" data-hamlet-count=\"0\" data-expected-hamlets=\"" +
       std::to_string(expected_hamlets) + "\" role=\"region\" aria-label=\"" + w.h("section_map") +
       "\"><noscript><p class=\"noscript\">" + w.h("map_noscript") + "</p></noscript></div>\n";
  w += "</section>\n";
}

void page_start(Writer& w, const std::string& title, const std::string& engine_version) {
  w.out().reserve(leaflet_js().size() + leaflet_css().size() + 400000);
  w +=
      "<!DOCTYPE html>\n<html lang=\"" + std::string(to_code(w.language())) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing may be fetched: scripts and styles are inline, images are data: URIs.
  w += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
       "style-src 'unsafe-inline'; img-src data:\">\n";
  w += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  w += "<meta name=\"generator\" content=\"infogap " + escape_markup(engine_version) + "\">\n";
  w += "<title>" + escape_markup(title) + "</title>\n";
  w += "<style>\n";
  w += leaflet_css();
  w += "\n</style>\n<style>\n";
  w += report_css();
  w += "\n</style>\n</head>\n<body>\n";
}

void page_end(Writer& w, const std::string& data_json) {
  w += "<script type=\"application/json\" id=\"infogap-data\">" + data_json + "</script>\n";
  w += "<script>\n";
  w += leaflet_js();
  w += "\n</script>\n<script>\n";
  w += report_js();
  w += "\n</script>\n</body>\n</html>\n";
}

void page_close(Writer& w, const std::string& engine_version, const std::string& data_json) {
  w += "</main>\n<footer class=\"page-footer\"><p>" +
       escape_markup(fill(w.s("footer"), {{"version", engine_version}})) + "</p></footer>\n";
  page_end(w, data_json);
}

}  // namespace infogap::detail
