#include "infogap/table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "infogap/error.hpp"

namespace infogap {
namespace {

TEST(Table, ColumnsKeepTypesNullsAndOrder) {
  Table t;
  t.add_integer("n", {1, 2, 3}, {false, true, false});
  t.add_real("x", {0.5, -1.25, 1e-3});
  t.add_text("s", {"Ấp 1", "", "Khóm 2"});
  EXPECT_EQ(t.rows(), 3u);
  EXPECT_EQ(*t.find("x"), 1u);
  EXPECT_FALSE(t.find("missing"));
  EXPECT_TRUE(t.column("n").is_null(1));
  EXPECT_EQ(t.column("n").as_text(1), "");
  EXPECT_EQ(t.column("n").as_text(2), "3");
  EXPECT_EQ(t.column("x").as_text(1), "-1.25");
  EXPECT_EQ(t.column("s").as_text(0), "Ấp 1");
  EXPECT_THROW(t.column("missing"), InvalidInput);
}

TEST(Table, TextParsesAsNumberOnlyWhenWhollyNumeric) {
  Table t;
  t.add_text("v", {"12.5", " 7 ", "7x", "", "nan", "+3"});
  const auto& c = t.column("v");
  EXPECT_DOUBLE_EQ(c.as_real(0), 12.5);
  EXPECT_DOUBLE_EQ(c.as_real(1), 7.0);
  EXPECT_TRUE(std::isnan(c.as_real(2)));
  EXPECT_TRUE(std::isnan(c.as_real(3)));
  EXPECT_TRUE(std::isnan(c.as_real(4)));
  EXPECT_DOUBLE_EQ(c.as_real(5), 3.0);
}

}  // namespace
}  // namespace infogap
