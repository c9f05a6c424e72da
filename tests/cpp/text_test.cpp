// core/text.hpp: the one folding of Vietnamese text (NFC and NFD alike) and the name suggestions.
#include "core/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace infogap::detail {
namespace {

TEST(FoldToAscii, PrecomposedAndDecomposedVietnameseFoldAlike) {
  EXPECT_EQ(fold_to_ascii("Hộ nghèo"), "Ho ngheo");                  // NFC
  EXPECT_EQ(fold_to_ascii("Ho\xcc\xa3 nghe\xcc\x80o"), "Ho ngheo");  // NFD: combining dot below, grave
  EXPECT_EQ(fold_to_ascii("Đường Ưu Ơn"), "Duong Uu On");
  EXPECT_EQ(fold_to_ascii("日"), "_");
}

TEST(FoldKey, CaseSpacesAndSeparatorsDoNotMatter) {
  EXPECT_EQ(fold_key("  HỘ   CẬN_NGHÈO "), "ho can ngheo");
  EXPECT_EQ(fold_key("near_poor"), "near poor");
  EXPECT_EQ(fold_key("Không-nghèo"), "khong ngheo");
  EXPECT_EQ(fold_key(""), "");
}

TEST(ClosestNames, NearestFirstThenFileOrder) {
  const std::vector<std::string> names{"speaker_id", "power_w", "height_m", "sensitivity_db"};
  const std::vector<std::string> two = closest_names("powr_w", names, 2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0], "power_w");
  EXPECT_EQ(closest_names("height", {"b", "a"}, 5), (std::vector<std::string>{"b", "a"}));  // ties: file order
  EXPECT_EQ(nearest_name("powr_w", names), "power_w");
  EXPECT_EQ(nearest_name("zzz", names), "");
  EXPECT_TRUE(closest_names("x", {}).empty());
}

}  // namespace
}  // namespace infogap::detail
