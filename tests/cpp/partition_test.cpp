// infogap/partition.hpp: partition folder names, finding a partition, and the scenario's
// output.partition_by rules (a group_by column; csv written for the roll-up). The partitioned run
// itself is checked end to end in tests/e2e/test_partitions.py.
#include "infogap/partition.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "infogap/error.hpp"
#include "support/scenario_texts.hpp"

namespace infogap {
namespace {

using ::testing::HasSubstr;
using namespace infogap::test;

TEST(PartitionFolder, FoldsVietnameseToLowerAsciiWords) {
  EXPECT_EQ(partition_folder("Bạc Liêu"), "bac-lieu");
  EXPECT_EQ(partition_folder("Đông Hải"), "dong-hai");
  EXPECT_EQ(partition_folder("Thành phố Bạc Liêu"), "thanh-pho-bac-lieu");
  EXPECT_EQ(partition_folder("Phường 1 (TX Giá Rai)"), "phuong-1-tx-gia-rai");
  EXPECT_EQ(partition_folder("  Tỉnh 001 "), "tinh-001");
  EXPECT_EQ(partition_folder("../../etc"), "etc");  // never a path outside the output folder
  EXPECT_EQ(partition_folder("—"), "partition");
}

TEST(FindPartition, ByValueThenByFolderElseNamesThem) {
  const std::vector<PartitionInfo> list{{"Tỉnh 001", "tinh-001", 3}, {"Tỉnh 002", "tinh-002", 4}};
  EXPECT_EQ(find_partition(list, "Tỉnh 002").folder, "tinh-002");
  EXPECT_EQ(find_partition(list, "tinh-001").value, "Tỉnh 001");
  try {
    find_partition(list, "Tỉnh 9");
    FAIL() << "no error";
  } catch (const InvalidInput& e) {
    EXPECT_THAT(e.what(), HasSubstr("Tỉnh 9"));
    EXPECT_THAT(e.what(), HasSubstr("Tỉnh 001 (tinh-001)"));
    EXPECT_THAT(e.what(), HasSubstr("Tỉnh 002 (tinh-002)"));
  }
}

TEST(PartitionBy, IsAGroupByColumnWrittenBackAndNeedsCsv) {
  const std::string groups = "hamlets: {path: h.gpkg, group_by: [commune, province]}\nhouseholds: {path: hh.gpkg}\n";
  const Scenario s = parse(groups + "output: {partition_by: province}\n");
  EXPECT_EQ(s.output.partition_by, "province");
  EXPECT_EQ(parse(s.to_yaml()), s);
  EXPECT_EQ(parse(k_minimal).output.partition_by, "");
  EXPECT_THAT(scenario_error(groups + "output: {partition_by: provnce}\n"), HasSubstr("hamlets.group_by"));
  EXPECT_THAT(scenario_error(groups + "output: {partition_by: province, formats: [gpkg, html]}\n"), HasSubstr("csv"));
}

TEST(Partitions, NeedPartitionBy) {
  EXPECT_THROW(partitions(parse(k_minimal)), InvalidInput);
}

}  // namespace
}  // namespace infogap
