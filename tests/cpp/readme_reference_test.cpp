// The README's scenario-file reference must list every key with the parser's real default.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "infogap/scenario.hpp"
#include "support/test_config.hpp"

namespace infogap {
namespace {

std::map<std::string, std::string> readme_reference() {
  std::ifstream f(std::string(test::k_source_dir) + "/README.md");
  EXPECT_TRUE(f.good()) << "README.md not found";
  std::string line;
  bool inside = false;
  std::map<std::string, std::string> rows;
  const std::regex row(R"(^\| `([a-z_.]+)` \| `([^`]*)` \|)");
  while (std::getline(f, line)) {
    if (line.rfind("## ", 0) == 0) inside = line == "## Scenario file reference";
    std::smatch m;
    if (inside && std::regex_search(line, m, row)) {
      EXPECT_FALSE(rows.count(m[1])) << "listed twice: " << m[1];
      rows[m[1]] = m[2];
    }
  }
  return rows;
}

TEST(Readme, ScenarioReferenceListsEveryKeyWithItsRealDefault) {
  const auto rows = readme_reference();
  const auto defaults = scenario_defaults();
  ASSERT_GT(defaults.size(), 50u);
  for (const auto& [key, value] : defaults) {
    const auto it = rows.find(key);
    if (it == rows.end()) {
      ADD_FAILURE() << "README lacks key " << key << " (default " << value << ")";
      continue;
    }
    EXPECT_EQ(it->second, value) << "README default of " << key;
  }
  std::map<std::string, std::string> known(defaults.begin(), defaults.end());
  for (const auto& [key, value] : rows) EXPECT_TRUE(known.count(key)) << "README lists unknown key " << key;
}

TEST(Readme, OpensWithTheTwoCommands) {
  std::ifstream f(std::string(test::k_source_dir) + "/README.md");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  const auto demo = text.find("make demo"), tst = text.find("make test");
  ASSERT_NE(demo, std::string::npos);
  ASSERT_NE(tst, std::string::npos);
  EXPECT_LT(demo, 200u);  // at the top
  EXPECT_LT(tst, 300u);
}

}  // namespace
}  // namespace infogap
