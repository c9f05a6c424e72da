// The household layer is read in chunks (large layers never whole in memory): the result must not
// depend on the chunk size — ids checked across chunks, rejects in file order with the same
// reasons, a yes/no column of x marks recognised whichever chunk holds its first x.
#include <gtest/gtest.h>

#include <string>

#include "infogap/layers.hpp"
#include "infogap/scenario.hpp"
#include "io/load_detail.hpp"
#include "support/layers_world.hpp"

namespace infogap {
namespace {

using namespace infogap::test;

/// 60 households; ids repeat across chunks, bad coordinates and statuses here and there, and the
/// internet column marks "yes" with x only from row 41 on (empty cells before are "no").
std::string rows() {
  std::string out;
  for (int i = 1; i <= 60; ++i) {
    std::string id = "h" + std::to_string(i);
    if (i == 33) id = "h3";   // duplicate of a row in the first chunk
    if (i == 50) id = "h12";  // duplicate of a row whose coordinates are bad: still the later one
    if (i == 51) id = "h20";  // duplicate and unknown status: the duplicate is named
    const double lon = 105.501 + 0.0003 * i;
    const std::string lat = i == 12 ? "95" : (i == 25 ? "" : "9.305");
    const std::string status = (i == 18 || i == 51) ? "rich" : (i % 3 == 0 ? "poor" : "near_poor");
    const std::string internet = i == 41 ? "x" : (i == 44 ? "X" : "");
    const std::string members = i == 27 ? "-2" : std::to_string(i % 6);
    out += id + "," + std::to_string(lon) + "," + lat + "," + status + "," + members + "," + internet + ",1\n";
  }
  return out;
}

Inputs load(const World& w, std::size_t chunk_rows) {
  Inputs in;
  load_detail::load_households(w.s, "EPSG:32648", in, {}, chunk_rows);
  return in;
}

TEST(ChunkedLoad, ResultDoesNotDependOnTheChunkSize) {
  World w(rows());
  const Inputs whole = load(w, 0);
  ASSERT_EQ(whole.households_input, 60);
  // rows 12 (latitude), 25 (no latitude), 18 (status), 27 (members), 33, 50 and 51 (duplicates)
  ASSERT_EQ(whole.rejects.size(), 7u);
  EXPECT_EQ(whole.households.size(), 53u);
  EXPECT_EQ(whole.households.internet.front(), 0);  // a column of x marks: empty is "no"
  for (const std::size_t chunk : {1u, 7u, 20u, 59u}) {
    SCOPED_TRACE("chunk of " + std::to_string(chunk) + " rows");
    const Inputs c = load(w, chunk);
    EXPECT_EQ(c.households.id, whole.households.id);
    EXPECT_TRUE(c.households.x_m == whole.households.x_m);
    EXPECT_TRUE(c.households.y_m == whole.households.y_m);
    EXPECT_EQ(c.households.status, whole.households.status);
    EXPECT_EQ(c.households.members, whole.households.members);
    EXPECT_EQ(c.households.internet, whole.households.internet);
    EXPECT_EQ(c.households.devices, whole.households.devices);
    EXPECT_EQ(c.households.source_row, whole.households.source_row);
    EXPECT_EQ(c.households_rejected, whole.households_rejected);
    ASSERT_EQ(c.rejects.size(), whole.rejects.size());
    for (std::size_t i = 0; i < c.rejects.size(); ++i) {
      EXPECT_EQ(c.rejects[i].feature_id, whole.rejects[i].feature_id);
      EXPECT_EQ(c.rejects[i].column, whole.rejects[i].column);
      EXPECT_EQ(c.rejects[i].reason, whole.rejects[i].reason);
      EXPECT_EQ(c.rejects[i].id, whole.rejects[i].id);
    }
    EXPECT_EQ(c.layers.at("households").features, 60);
  }
  // What the rejects say, in file order.
  std::vector<std::int64_t> fids;
  for (const Reject& r : whole.rejects) fids.push_back(r.feature_id);
  EXPECT_EQ(fids, (std::vector<std::int64_t>{12, 18, 25, 27, 33, 50, 51}));
  EXPECT_TRUE(contains(whole.rejects[4].reason, "duplicate id 'h3' (first at feature 3)"));
  EXPECT_TRUE(contains(whole.rejects[5].reason, "duplicate id 'h12' (first at feature 12)"));
  EXPECT_TRUE(contains(whole.rejects[6].reason, "duplicate id 'h20'"));
}

}  // namespace
}  // namespace infogap
