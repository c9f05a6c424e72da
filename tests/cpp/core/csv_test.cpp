// The one CSV writer (core/csv.hpp): RFC 4180 quoting, formula neutralisation, number formatting.
#include "core/csv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "infogap/error.hpp"
#include "support/files.hpp"

namespace infogap::detail {
namespace {

TEST(CsvTextField, FormulaStartsGetAnApostrophe) {
  // OWASP CSV injection: = + - @ tab and CR as first character.
  EXPECT_EQ(csv_text_field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_text_field("=1+2"), "'=1+2");
  EXPECT_EQ(csv_text_field("+84 291"), "'+84 291");
  EXPECT_EQ(csv_text_field("-3"), "'-3");
  EXPECT_EQ(csv_text_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_text_field("\tx"), "'\tx");
  EXPECT_EQ(csv_text_field("\rx"), "\"'\rx\"");
  // Only the first character counts; ordinary text is unchanged.
  EXPECT_EQ(csv_text_field("Ấp Nội Ô = 1"), "Ấp Nội Ô = 1");
  EXPECT_EQ(csv_text_field("a-b"), "a-b");
  EXPECT_EQ(csv_text_field(""), "");
}

TEST(CsvTextField, QuotesPerRfc4180) {
  EXPECT_EQ(csv_text_field("Khóm 1, Phường 2"), "\"Khóm 1, Phường 2\"");
  EXPECT_EQ(csv_text_field("a \"b\""), "\"a \"\"b\"\"\"");
  EXPECT_EQ(csv_text_field("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(csv_text_field(" edge"), "\" edge\"");
  EXPECT_EQ(csv_text_field("edge "), "\"edge \"");
  EXPECT_EQ(csv_text_field("in side"), "in side");
}

TEST(CsvNumber, FixedNotationRoundedWithoutTrailingZeros) {
  EXPECT_EQ(csv_number(36000000.0, 0), "36000000");  // shortest form would be 3.6e+07
  EXPECT_EQ(csv_number(1.2e12, 0), "1200000000000");
  EXPECT_EQ(csv_number(0.123456, 4), "0.1235");
  EXPECT_EQ(csv_number(0.5, 4), "0.5");
  EXPECT_EQ(csv_number(1.0, 4), "1");
  EXPECT_EQ(csv_number(12.345678, 2), "12.35");
  EXPECT_EQ(csv_number(-3.0, 2), "-3");
  EXPECT_EQ(csv_number(-0.001, 2), "0");
  EXPECT_EQ(csv_number(1e-7, 4), "0");
  EXPECT_EQ(csv_number(std::numeric_limits<double>::quiet_NaN(), 2), "");
}

TEST(CsvWriter, NumbersAreNeverNeutralisedAndNullIsEmpty) {
  CsvWriter csv({"name", "n", "x"});
  csv.text("-3").number("-3").null();
  csv.end_row();
  EXPECT_EQ(csv.str(), "name,n,x\n'-3,-3,\n");
  csv.text("only one");
  EXPECT_THROW(csv.end_row(), Error);
}

TEST(WriteCsv, TypedColumnsRoundedByFormatAndWrittenAtomically) {
  Table t;
  t.add_text("name", {"=HYPERLINK(\"http://x\")", "Ấp 1"}, {false, false});
  t.add_integer("delta", {-3, 4});
  t.add_real("gap_rate", {1.0 / 3.0, std::numeric_limits<double>::quiet_NaN()});
  t.add_real("cost_vnd", {36000000.0, -2.5e7});
  t.add_real("raw", {0.1, 1e-5});
  t.add_text("hamlet_id", {"", "h2"}, {true, false});
  CsvFormat format;
  format.decimals = {{"gap_rate", 4}, {"cost_vnd", 0}, {"delta", 3}};  // integers are never reformatted
  test::TempDir dir;
  write_csv(t, dir.path("t.csv"), format);
  EXPECT_EQ(test::read_text(dir.path("t.csv")),
            "name,delta,gap_rate,cost_vnd,raw,hamlet_id\n"
            "\"'=HYPERLINK(\"\"http://x\"\")\",-3,0.3333,36000000,0.1,\n"
            "Ấp 1,4,,-25000000,1e-05,h2\n");
  EXPECT_THROW(write_csv(t, dir.path("no/such/dir/t.csv")), IoError);
}

}  // namespace
}  // namespace infogap::detail
