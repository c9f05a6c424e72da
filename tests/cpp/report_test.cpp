// Tests of infogap/report.hpp: the self-contained bilingual HTML report.
// The browser side (map drawn, no console error, screenshot) is tests/e2e/report_browser_test.py.
#include "infogap/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/markup.hpp"
#include "infogap/error.hpp"
#include "report/chart.hpp"
#include "report/format.hpp"
#include "report/strings.hpp"
#include "support/report_world.hpp"
#include "support/test_config.hpp"

namespace {

using infogap::Language;
using infogap::render_report_html;
using infogap::ReportModel;
using nlohmann::json;

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

/// The text of the <script type="application/json" id="infogap-data"> element.
std::string data_block(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"infogap-data\">";
  const std::size_t start = html.find(open);
  EXPECT_NE(start, std::string::npos);
  if (start == std::string::npos) return {};
  const std::size_t end = html.find("</script>", start);
  EXPECT_NE(end, std::string::npos);
  return html.substr(start + open.size(), end - start - open.size());
}

/// The document without its data block (which holds every string of the language, shown or not).
std::string visible(const std::string& html) {
  const std::string block = data_block(html);
  std::string out = html;
  const std::size_t at = out.find(block);
  if (!block.empty() && at != std::string::npos) out.erase(at, block.size());
  return out;
}

/// Tags of the document as an HTML parser sees them: the contents of <script> and <style> are
/// raw text and skipped; each returned string is one tag, "<" to ">".
std::vector<std::string> tags_of(const std::string& html) {
  std::vector<std::string> tags;
  std::size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string::npos) {
    const std::size_t end = html.find('>', pos);
    if (end == std::string::npos) break;
    std::string tag = html.substr(pos, end - pos + 1);
    tags.push_back(tag);
    pos = end + 1;
    for (const std::string raw : {"script", "style"}) {
      if (tag.rfind("<" + raw, 0) == 0) {
        const std::size_t close = html.find("</" + raw, pos);
        pos = close == std::string::npos ? html.size() : close;
      }
    }
  }
  return tags;
}

/// Code points of UTF-8 text; returns false on an invalid sequence.
bool decode_utf8(const std::string& text, std::vector<char32_t>& out) {
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    int extra = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      extra = 1;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      extra = 2;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      extra = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(extra) >= text.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto c = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    out.push_back(cp);
    i += 1 + static_cast<std::size_t>(extra);
  }
  return true;
}

/// RFC 4648 base64 with padding (independent of the CMake encoder used at build time).
std::string base64(const std::string& bytes) {
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto v = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
    for (const unsigned shift : {18u, 12u, 6u, 0u}) out += k_alphabet[(v >> shift) & 63u];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += k_alphabet[(v >> 18) & 63u];
    out += k_alphabet[(v >> 12) & 63u];
    out += rest == 2 ? k_alphabet[(v >> 6) & 63u] : '=';
    out += '=';
  }
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---- string tables ----------------------------------------------------------------------------

TEST(ReportStrings, SameKeysInBothLanguages) {
  const auto& en = infogap::detail::report_strings(Language::en);
  const auto& vi = infogap::detail::report_strings(Language::vi);
  for (const auto& [key, text] : en) EXPECT_TRUE(vi.count(key) == 1) << "missing in vi: " << key;
  for (const auto& [key, text] : vi) EXPECT_TRUE(en.count(key) == 1) << "missing in en: " << key;
  EXPECT_GT(en.size(), 100u);  // the table is the whole UI, not a stub
}

TEST(ReportStrings, VietnameseIsTranslatedExceptTheAllowList) {
  const auto& en = infogap::detail::report_strings(Language::en);
  const auto& vi = infogap::detail::report_strings(Language::vi);
  const auto& allowed = infogap::detail::report_untranslated_keys();
  for (const auto& key : allowed) EXPECT_TRUE(en.count(key) == 1 && vi.count(key) == 1) << key;
  for (const auto& [key, text] : en) {
    const auto it = vi.find(key);
    if (it == vi.end()) continue;
    EXPECT_FALSE(text.empty()) << key;
    EXPECT_FALSE(it->second.empty()) << key;
    if (allowed.count(key) == 0) {
      EXPECT_NE(it->second, text) << "untranslated: " << key;
    }
  }
}

TEST(ReportStrings, SamePlaceholdersInBothLanguages) {
  const auto& en = infogap::detail::report_strings(Language::en);
  const auto& vi = infogap::detail::report_strings(Language::vi);
  for (const auto& [key, text] : en) {
    auto a = infogap::detail::placeholders(text);
    auto b = infogap::detail::placeholders(vi.at(key));
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b) << key;
  }
}

TEST(ReportStrings, VietnameseIsValidPrecomposedUtf8WithTheDomainTerms) {
  const auto& vi = infogap::detail::report_strings(Language::vi);
  std::string all;
  for (const auto& [key, text] : vi) {
    std::vector<char32_t> cps;
    ASSERT_TRUE(decode_utf8(text, cps)) << key;
    for (const char32_t cp : cps) {
      // Combining diacritics (U+0300–U+036F) mean decomposed text: Vietnamese must be precomposed (NFC).
      EXPECT_FALSE(cp >= 0x300 && cp <= 0x36F) << key;
    }
    all += text + "\n";
  }
  for (const std::string term :
       {"Báo cáo độ phủ thông tin", "Hộ nghèo", "Hộ cận nghèo", "Ấp/khóm", "Loa truyền thanh",
        "Tổ công nghệ số cộng đồng", "Khoảng trống", "Xã/phường", "Nghe được loa truyền thanh"}) {
    EXPECT_NE(all.find(term), std::string::npos) << term;
  }
}

TEST(ReportStrings, FillReplacesPlaceholdersAndRejectsMissingValues) {
  EXPECT_EQ(infogap::detail::fill("{a} + {b} = {a}{b}", {{"a", "1"}, {"b", "<2>"}}), "1 + <2> = 1<2>");
  EXPECT_THROW(infogap::detail::fill("{a} {c}", {{"a", "1"}}), infogap::Error);
  EXPECT_THROW(infogap::language_from_code("fr"), infogap::InvalidInput);  // the one check of a code
}

// ---- formatting -------------------------------------------------------------------------------

TEST(ReportFormat, NumbersPerLanguage) {
  using infogap::detail::format_number;
  EXPECT_EQ(format_number(1234.5, 1, Language::vi), "1.234,5");
  EXPECT_EQ(format_number(1234.5, 1, Language::en), "1,234.5");
  EXPECT_EQ(format_number(1234567.891, 2, Language::en), "1,234,567.89");
  EXPECT_EQ(format_number(1234567.891, 2, Language::vi), "1.234.567,89");
  EXPECT_EQ(format_number(-1234.6, 0, Language::en), "-1,235");
  EXPECT_EQ(format_number(999.96, 1, Language::en), "1,000.0");  // the carry crosses a group
  EXPECT_EQ(format_number(100, 0, Language::vi), "100");
  EXPECT_EQ(format_number(1000, 0, Language::vi), "1.000");
  EXPECT_EQ(format_number(-0.04, 1, Language::en), "0.0");  // no "-0.0"
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN(), 1, Language::en), "\u2013");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity(), 0, Language::vi), "\u2013");
  EXPECT_EQ(infogap::detail::format_percent(0.4523, 1, Language::vi), "45,2%");
  EXPECT_EQ(infogap::detail::format_percent(0.4523, 1, Language::en), "45.2%");
  EXPECT_THROW(infogap::language_from_code("de"), infogap::InvalidInput);
}

TEST(ReportFormat, EscapesHtmlAndScriptJson) {
  EXPECT_EQ(infogap::detail::escape_markup("<a href=\"x\">Tom & 'Ấp'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Ấp&#39;&lt;/a&gt;");
  const std::string safe = infogap::detail::script_safe_json(R"({"a":"</script><b>&"})");
  EXPECT_EQ(safe.find('<'), std::string::npos);
  EXPECT_EQ(json::parse(safe)["a"], "</script><b>&");
}

TEST(ReportChart, NiceSteps) {
  EXPECT_DOUBLE_EQ(infogap::detail::nice_step(14.5, 5), 5.0);   // raw 2.9 → 5
  EXPECT_DOUBLE_EQ(infogap::detail::nice_step(9.0, 5), 2.0);    // raw 1.8 → 2
  EXPECT_DOUBLE_EQ(infogap::detail::nice_step(0.4, 4), 0.1);    // raw 0.1 → 0.1
  EXPECT_DOUBLE_EQ(infogap::detail::nice_step(700, 6), 200.0);  // raw 116.7 → 200
}

// ---- rendering --------------------------------------------------------------------------------

class ReportHtml : public ::testing::Test {
 protected:
  ReportModel m_model = infogap::test::make_report_model(4, 3);
};

TEST_F(ReportHtml, BothLanguagesRenderCompleteDocuments) {
  for (const Language lang : infogap::report_languages()) {
    const std::string language = infogap::to_code(lang);
    const std::string html = render_report_html(m_model, lang);
    const auto& strings = infogap::detail::report_strings(lang);
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u) << language;
    EXPECT_NE(html.find("<html lang=\"" + language + "\">"), std::string::npos) << language;
    EXPECT_NE(html.find("</html>"), std::string::npos) << language;
    EXPECT_NE(html.find("<h1>" + infogap::detail::escape_markup(strings.at("title")) + "</h1>"), std::string::npos);
    for (const std::string id :
         {"summary", "map-section", "hamlets", "groups", "proposed", "method", "parameters", "sources"}) {
      EXPECT_NE(html.find("<section id=\"" + id + "\">"), std::string::npos) << language << " " << id;
    }
    EXPECT_NE(html.find("id=\"map\""), std::string::npos);
    // the other language is linked, not this one
    const std::string other = language == "vi" ? "en" : "vi";
    EXPECT_NE(html.find("href=\"report." + other + ".html\""), std::string::npos);
    EXPECT_EQ(html.find("href=\"report." + language + ".html\""), std::string::npos);
  }
  const std::string vi = visible(render_report_html(m_model, Language::vi));
  for (const std::string term : {"Báo cáo độ phủ thông tin", "Hộ nghèo", "Hộ cận nghèo", "Ấp/khóm", "Khoảng trống",
                                 "Xã/phường", "Loa truyền thanh", "Tổ công nghệ số cộng đồng"}) {
    EXPECT_NE(vi.find(term), std::string::npos) << term;
  }
  EXPECT_NE(vi.find("<div class=\"banner\" role=\"note\">Dữ liệu mô phỏng."), std::string::npos);
  EXPECT_NE(visible(render_report_html(m_model, Language::en)).find("Information coverage report"), std::string::npos);
  m_model.synthetic_data = false;
  EXPECT_EQ(render_report_html(m_model, Language::vi).find("<div class=\"banner\""), std::string::npos);
}

TEST_F(ReportHtml, NumbersAreFormattedPerLanguage) {
  // 12 hamlets with 300 + 37·k households: 12·300 + 37·(0+…+11) = 3600 + 2442 = 6042
  EXPECT_DOUBLE_EQ(m_model.households_joined, 6042.0);
  m_model.target_weight = 1234.5;
  const std::string vi = render_report_html(m_model, Language::vi);
  const std::string en = render_report_html(m_model, Language::en);
  EXPECT_NE(vi.find("<div class=\"card-value\">6.042</div>"), std::string::npos);
  EXPECT_NE(en.find("<div class=\"card-value\">6,042</div>"), std::string::npos);
  EXPECT_NE(vi.find("tổng trọng số 1.234,5"), std::string::npos);
  EXPECT_NE(en.find("total weight 1,234.5"), std::string::npos);
  // the JSON block tells the script which separators to use
  EXPECT_EQ(json::parse(data_block(vi))["separators"], (json{{"group", "."}, {"decimal", ","}}));
  EXPECT_EQ(json::parse(data_block(en))["separators"], (json{{"group", ","}, {"decimal", "."}}));
}

// Households heard only beyond ISO 9613-2's ~1 km get a caveat under the headline figures, in
// both languages; none, no caveat.
TEST_F(ReportHtml, BeyondValidityCaveatIsShownWhenSomeTargetHouseholdsAreHeardPastOneKilometre) {
  m_model.reached_beyond_validity = 0;
  EXPECT_EQ(render_report_html(m_model, Language::en).find("id=\"beyond-validity\""), std::string::npos);
  m_model.reached_beyond_validity = 123;
  const std::string en = render_report_html(m_model, Language::en);
  const std::string vi = render_report_html(m_model, Language::vi);
  EXPECT_NE(en.find("<p class=\"caveat\" id=\"beyond-validity\">123 target households ("), std::string::npos);
  EXPECT_NE(en.find("beyond the distances ISO 9613-2 is meant for"), std::string::npos);
  EXPECT_NE(vi.find("<p class=\"caveat\" id=\"beyond-validity\">123 hộ mục tiêu ("), std::string::npos);
}

TEST_F(ReportHtml, AccountingLineShowsTheIdentityOrTheMismatch) {
  const std::string ok = render_report_html(m_model, Language::en);
  // 6042 joined + 17 outside + 3 rejected = 6062
  EXPECT_NE(ok.find("Accounting: 6,062 households in the input = 6,042 joined to a hamlet + 17 outside every hamlet + "
                    "3 rejected (unusable rows). The sum holds."),
            std::string::npos);
  m_model.households_input += 5;
  const std::string bad = render_report_html(m_model, Language::en);
  EXPECT_NE(bad.find("class=\"accounting mismatch\""), std::string::npos);
  EXPECT_NE(bad.find("5 households are unaccounted for"), std::string::npos);
}

TEST_F(ReportHtml, EscapesHostileText) {
  const std::string hostile = "<script>alert(\"x\")</script> & 'Ấp'";
  const std::string benign_html = render_report_html(m_model, Language::vi);
  m_model.hamlets[0].name = hostile;
  m_model.scenario_name = "\"><img src=x onerror=alert(1)>";
  m_model.parameters["evil</script>"] = "<b>";
  m_model.speakers[0].label = "</script><script>alert(2)</script>";
  const std::string html = render_report_html(m_model, Language::vi);
  EXPECT_EQ(html.find("<script>alert("), std::string::npos);
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Ấp&#39;"), std::string::npos);
  // exactly as many script elements as with benign text (data, Leaflet, report script)
  EXPECT_EQ(count_of(html, "<script"), count_of(benign_html, "<script"));
  EXPECT_EQ(count_of(html, "</script>"), count_of(benign_html, "</script>"));
  EXPECT_EQ(count_of(html, "</script>"), 3u);
  // the data block keeps the original text
  const json data = json::parse(data_block(html));
  bool found = false;
  for (const auto& f : data["hamlets"]["features"]) found = found || f["properties"]["name"] == hostile;
  EXPECT_TRUE(found);
  EXPECT_EQ(data["speakers"][0]["label"], "</script><script>alert(2)</script>");
}

TEST_F(ReportHtml, EmbeddedJsonParsesBackWithEveryHamlet) {
  const std::string html = render_report_html(m_model, Language::en);
  const json data = json::parse(data_block(html));
  const auto& features = data["hamlets"]["features"];
  ASSERT_EQ(features.size(), m_model.hamlets.size());
  ASSERT_EQ(features.size(), 12u);
  for (std::size_t i = 0; i < features.size(); ++i) {
    const auto& f = features[i];
    const auto& a = m_model.hamlets[i];
    EXPECT_EQ(f["type"], "Feature");
    EXPECT_EQ(f["properties"]["id"], a.id);
    EXPECT_EQ(f["properties"]["name"], a.name);
    EXPECT_EQ(f["properties"]["rank"], a.rank);
    EXPECT_EQ(f["properties"]["groups"]["commune"], a.groups[0]);
    EXPECT_EQ(f["geometry"], json::parse(a.geojson_geometry));
    if (std::isnan(a.gap_rate)) {
      EXPECT_TRUE(f["properties"]["gap_rate"].is_null());  // NaN → null, not invalid JSON
    } else {
      EXPECT_NEAR(f["properties"]["gap_rate"].get<double>(), a.gap_rate, 1e-12);
      EXPECT_NEAR(f["properties"]["gap_weight"].get<double>(), a.gap_weight, 1e-12);
    }
  }
  EXPECT_EQ(data["groups"]["commune"]["features"].size(), 2u);
  EXPECT_EQ(data["speakers"].size(), 4u);
  EXPECT_EQ(data["teams"].size(), 2u);
  EXPECT_EQ(data["proposed"].size(), 5u);
  EXPECT_EQ(data["strings"]["title"], "Information coverage report");
  EXPECT_EQ(json::parse(data_block(render_report_html(m_model, Language::vi)))["strings"]["title"],
            "Báo cáo độ phủ thông tin");
}

TEST_F(ReportHtml, LeafletIsInlinedAndNothingIsFetched) {
  const std::string html = render_report_html(m_model, Language::en);
  const std::filesystem::path dist = std::filesystem::path(infogap::test::k_source_dir) / "node_modules/leaflet/dist";
  const std::string leaflet_js = read_file(dist / "leaflet.js");
  ASSERT_GT(leaflet_js.size(), 100000u) << "run scripts/install-deps";
  EXPECT_NE(html.find(leaflet_js), std::string::npos);  // the whole library, byte for byte
  // the CSS is inlined with its images as data: URIs
  EXPECT_NE(html.find(".leaflet-control-layers-toggle"), std::string::npos);
  EXPECT_EQ(html.find("url(images/"), std::string::npos);
  EXPECT_EQ(base64("Man"), "TWFu");  // RFC 4648 §4 examples check the test's encoder
  EXPECT_EQ(base64("Ma"), "TWE=");
  EXPECT_EQ(base64("M"), "TQ==");
  for (const std::string image : {"layers.png", "layers-2x.png", "marker-icon.png"}) {
    const std::string png = read_file(dist / "images" / image);
    ASSERT_GT(png.size(), 100u) << image;
    EXPECT_NE(html.find("url(data:image/png;base64," + base64(png) + ")"), std::string::npos) << image;
  }
  EXPECT_EQ(html.find("url(http"), std::string::npos);
  const auto tags = tags_of(html);
  std::size_t scripts = 0;
  for (const auto& tag : tags) {
    EXPECT_NE(tag.rfind("<link", 0), 0u) << tag;
    if (tag.rfind("<script", 0) == 0) {
      ++scripts;
      EXPECT_EQ(tag.find(" src"), std::string::npos) << tag;
    }
    for (const std::string attr : {"src=", "href="}) {
      for (const std::string quote : {"\"", "'", ""}) {
        EXPECT_EQ(tag.find(attr + quote + "http"), std::string::npos) << tag;
        EXPECT_EQ(tag.find(attr + quote + "//"), std::string::npos) << tag;
      }
    }
  }
  EXPECT_EQ(scripts, 3u);
  EXPECT_GT(tags.size(), 500u);  // the scan saw the document, not just the head
  // a Content-Security-Policy forbids any fetch the page might still attempt
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
}

TEST_F(ReportHtml, WorstHamletsTableIsTopFiftyByGap) {
  ReportModel big = infogap::test::make_report_model(10, 6);  // 60 hamlets
  const std::string html = render_report_html(big, Language::en);
  EXPECT_EQ(count_of(html, "<tr data-hamlet="), 50u);
  // the first row is the hamlet with the largest gap weight
  const auto worst = std::max_element(big.hamlets.begin(), big.hamlets.end(), [](const auto& a, const auto& b) {
    return a.gap_weight < b.gap_weight || (a.gap_weight == b.gap_weight && a.id > b.id);
  });
  const std::size_t first_row = html.find("<tr data-hamlet=");
  const std::string expected_row = "<tr data-hamlet=\"" + worst->id + "\"";
  EXPECT_EQ(html.compare(first_row, expected_row.size(), expected_row), 0);
  // every row carries sortable raw values; the gap-weight cells are in decreasing order
  std::vector<double> gaps;
  for (std::size_t pos = first_row; pos != std::string::npos; pos = html.find("<tr data-hamlet=", pos + 1)) {
    const std::size_t row_end = html.find("</tr>", pos);
    std::vector<std::string> cells;
    for (std::size_t c = html.find("data-sort=\"", pos); c < row_end; c = html.find("data-sort=\"", c + 1)) {
      const std::size_t v = c + 11;
      cells.push_back(html.substr(v, html.find('"', v) - v));
    }
    // rank, name, id, commune, district, households, target, speaker, team, any, gap hh, gap weight, gap rate
    ASSERT_EQ(cells.size(), 13u);
    gaps.push_back(std::stod(cells[11]));
  }
  ASSERT_EQ(gaps.size(), 50u);
  EXPECT_TRUE(std::is_sorted(gaps.rbegin(), gaps.rend()));
  // group tables: one per group_by column, every unit
  EXPECT_EQ(count_of(html, "class=\"sortable group-table\""), 2u);
}

TEST_F(ReportHtml, StatusRowsAreTranslated) {
  const std::string vi = render_report_html(m_model, Language::vi);
  const std::string en = render_report_html(m_model, Language::en);
  EXPECT_NE(vi.find("<td data-sort=\"Hộ nghèo\">Hộ nghèo</td>"), std::string::npos);
  EXPECT_NE(vi.find("<td data-sort=\"Hộ cận nghèo\">Hộ cận nghèo</td>"), std::string::npos);
  EXPECT_NE(en.find("<td data-sort=\"Poor households\">Poor households</td>"), std::string::npos);
  // poor comes first, then near-poor, then not poor
  EXPECT_LT(en.find(">Poor households<"), en.find(">Near-poor households<"));
  EXPECT_LT(en.find(">Near-poor households<"), en.find(">Households not poor<"));
}

TEST_F(ReportHtml, MarginalGainChartMatchesTheSites) {
  const std::string html = render_report_html(m_model, Language::en);
  const std::size_t start = html.find("<svg class=\"chart chart-marginal\"");
  ASSERT_NE(start, std::string::npos);
  const std::string svg = html.substr(start, html.find("</svg>", start) - start);
  std::vector<double> heights;
  for (std::size_t p = svg.find("<rect class=\"bar\""); p != std::string::npos;
       p = svg.find("<rect class=\"bar\"", p + 1)) {
    const std::size_t h = svg.find("height=\"", p) + 8;
    heights.push_back(std::stod(svg.substr(h, svg.find('"', h) - h)));
  }
  ASSERT_EQ(heights.size(), m_model.proposed.size());
  for (std::size_t i = 1; i < heights.size(); ++i) {
    // bar heights are proportional to marginal weights; heights are rounded to 0.1 px
    EXPECT_NEAR(heights[i] / heights[0], m_model.proposed[i].marginal_weight / m_model.proposed[0].marginal_weight,
                0.01);
  }
  // cumulative markers: (y0 − yi) / (y0 − ylast) = (ci − c0) / (clast − c0)
  std::vector<double> ys;
  for (std::size_t p = svg.find("<circle class=\"cumulative-point\""); p != std::string::npos;
       p = svg.find("<circle class=\"cumulative-point\"", p + 1)) {
    const std::size_t y = svg.find("cy=\"", p) + 4;
    ys.push_back(std::stod(svg.substr(y, svg.find('"', y) - y)));
  }
  ASSERT_EQ(ys.size(), m_model.proposed.size());
  const auto& s = m_model.proposed;
  const double c0 = s.front().cumulative_weight;
  const double cl = s.back().cumulative_weight;
  for (std::size_t i = 1; i < ys.size(); ++i) {
    EXPECT_NEAR((ys[0] - ys[i]) / (ys[0] - ys.back()), (s[i].cumulative_weight - c0) / (cl - c0), 0.01);
  }
  // with costs there is a cost curve and cost columns; without, neither
  EXPECT_NE(html.find("chart-cost"), std::string::npos);
  EXPECT_NE(html.find(">Cumulative cost (VND)</th>"), std::string::npos);
  for (auto& site : m_model.proposed) site.cost_vnd = 0;
  const std::string no_cost = render_report_html(m_model, Language::en);
  EXPECT_EQ(no_cost.find("chart-cost"), std::string::npos);
  EXPECT_EQ(no_cost.find(">Cumulative cost (VND)</th>"), std::string::npos);
}

TEST_F(ReportHtml, ProposedSitesTableShowsNamesNotIds) {
  ASSERT_FALSE(m_model.proposed.empty());
  auto& site = m_model.proposed.front();
  site.id = "new_speaker_1";
  site.candidate_id = "D-BL07-03";
  site.name = "Nhà văn hóa Ấp Phước Thạnh";
  site.type = "cultural_house";
  site.hamlet_id = "BL07-05";
  site.hamlet_name = "Ấp Phước Thạnh";
  site.commune_name = "Xã Vĩnh Thịnh";
  const std::string vi = render_report_html(m_model, Language::vi);
  const auto begin = vi.find("proposed-table");
  ASSERT_NE(begin, std::string::npos);
  const std::string table = vi.substr(begin, vi.find("</table>", begin) - begin);
  EXPECT_NE(table.find(">Nhà văn hóa Ấp Phước Thạnh<"), std::string::npos);
  EXPECT_NE(table.find(">Nhà văn hóa<"), std::string::npos);  // the type, in the report's language
  EXPECT_NE(table.find(">Ấp Phước Thạnh<"), std::string::npos);
  EXPECT_NE(table.find(">Xã Vĩnh Thịnh<"), std::string::npos);
  EXPECT_EQ(table.find(">new_speaker_1<"), std::string::npos);
  EXPECT_EQ(table.find(">BL07-05<"), std::string::npos);
  // Without a name the candidate's id stands in, never the internal site id.
  site.name.clear();
  const std::string en = render_report_html(m_model, Language::en);
  const auto b2 = en.find("proposed-table");
  const std::string t2 = en.substr(b2, en.find("</table>", b2) - b2);
  EXPECT_NE(t2.find(">D-BL07-03<"), std::string::npos);
  EXPECT_NE(t2.find(">Cultural house<"), std::string::npos);
}

TEST_F(ReportHtml, WithoutOptimizationOrGroupsTheSectionsSaySo) {
  m_model.proposed.clear();
  m_model.optimizer_solver.clear();
  m_model.groups.clear();
  m_model.group_names.clear();
  m_model.speaker_model = "radius";
  const std::string en = render_report_html(m_model, Language::en);
  EXPECT_NE(en.find("<p>This scenario has no optimisation block"), std::string::npos);
  EXPECT_NE(en.find("<p>No grouping columns (group_by) were configured.</p>"), std::string::npos);
  EXPECT_EQ(en.find("chart-marginal"), std::string::npos);
  // (the data block holds every string, so look for the paragraphs themselves)
  EXPECT_NE(en.find("<p>Loudspeakers. Each cluster reaches every household within its fixed range"), std::string::npos);
  EXPECT_EQ(en.find("<p>Loudspeakers. For each household"), std::string::npos);
  EXPECT_EQ(en.find("<p>Limits of the acoustic model."), std::string::npos);
}

TEST_F(ReportHtml, MethodTextCarriesTheAcousticParameters) {
  m_model.ambient_dba = 52.5;
  m_model.required_snr_db = 15;
  m_model.facade_loss_db = 10;
  const std::string vi = visible(render_report_html(m_model, Language::vi));
  const std::string en = visible(render_report_html(m_model, Language::en));
  EXPECT_NE(en.find("minus a facade loss of 10.0 dB for listeners indoors, is at least 15.0 dB above the ambient "
                    "noise of 52.5 dB(A)"),
            std::string::npos);
  EXPECT_NE(vi.find("trừ 10,0 dB suy hao"), std::string::npos);
  EXPECT_NE(vi.find("tiếng ồn nền 52,5 dB(A) ít nhất 15,0 dB"), std::string::npos);
  EXPECT_NE(en.find("<p>Limits of the acoustic model."), std::string::npos);
  EXPECT_NE(en.find("downwind"), std::string::npos);
  EXPECT_NE(en.find("about 1 km"), std::string::npos);
  EXPECT_NE(en.find("flat"), std::string::npos);
  EXPECT_NE(en.find("generic directivity"), std::string::npos);
}

TEST_F(ReportHtml, UnknownLanguageOrBadGeometryIsInvalidInput) {
  // a language is a Language: codes are checked once, by language_from_code
  EXPECT_THROW(infogap::language_from_code("fr"), infogap::InvalidInput);
  EXPECT_THROW(infogap::language_from_code(""), infogap::InvalidInput);
  EXPECT_THROW(infogap::language_from_code("VI"), infogap::InvalidInput);
  m_model.hamlets[3].geojson_geometry = "{\"type\": \"Polygon\", \"coordinates\": [[[105.7, 9.3]";
  try {
    render_report_html(m_model, Language::en);
    FAIL() << "expected InvalidInput";
  } catch (const infogap::InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find(m_model.hamlets[3].id), std::string::npos) << e.what();
  }
}

TEST_F(ReportHtml, EmptyGeometryIsANullFeature) {
  m_model.hamlets[0].geojson_geometry.clear();
  const json data = json::parse(data_block(render_report_html(m_model, Language::en)));
  EXPECT_TRUE(data["hamlets"]["features"][0]["geometry"].is_null());
  EXPECT_EQ(data["hamlets"]["features"].size(), 12u);
}

// ---- writing ----------------------------------------------------------------------------------

class ReportWrite : public ReportHtml {
 protected:
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() /
            ("infogap_report_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(m_dir);
    std::filesystem::create_directories(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(m_dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  std::filesystem::path m_dir;
};

TEST_F(ReportWrite, WritesTheRenderedFileAndNoTemporary) {
  const auto path = m_dir / "report.vi.html";
  infogap::write_report(m_model, Language::vi, path.string());
  EXPECT_EQ(read_file(path), render_report_html(m_model, Language::vi));
  EXPECT_EQ(entries(), (std::vector<std::string>{"report.vi.html"}));
  // a second write replaces the file
  m_model.scenario_name = "second run";
  infogap::write_report(m_model, Language::vi, path.string());
  EXPECT_NE(read_file(path).find("second run"), std::string::npos);
  EXPECT_EQ(entries(), (std::vector<std::string>{"report.vi.html"}));
}

TEST_F(ReportWrite, FailuresLeaveNothingBehind) {
  ReportModel refused = m_model;  // a model the renderer refuses
  refused.hamlets[0].geojson_geometry = "{\"type\": \"Polygon\"";
  EXPECT_THROW(infogap::write_report(refused, Language::en, (m_dir / "report.en.html").string()),
               infogap::InvalidInput);
  EXPECT_THROW(infogap::write_report(m_model, Language::en, (m_dir / "missing" / "report.en.html").string()),
               infogap::IoError);
  EXPECT_TRUE(entries().empty());
}

}  // namespace
