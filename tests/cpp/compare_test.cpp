// infogap/compare.hpp on a hand-built pair of runs: every change class with its exact count, the
// accounting identities, hamlets added/removed, group units matched by name or mapped to one
// side's units (the 2025 merger), and a run compared with itself giving all-zero deltas.
#include "infogap/compare.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "infogap/error.hpp"

namespace infogap {
namespace {

struct Hh {
  std::string id, hamlet, poverty;
  double weight;
  int reached;
};
struct Hm {
  std::string id;
  std::map<std::string, std::string> groups;
};

/// A side from households and hamlets; the hamlets' figures are summed from the households here
/// (as the engine writes them: reached/gap count target households only).
CompareSide side(const std::string& label, const std::vector<Hm>& hamlets, const std::vector<Hh>& households,
                 const std::vector<std::string>& groupings) {
  CompareSide s;
  s.label = label;
  s.source = "/tmp/" + label;
  s.epsg = 32648;
  std::vector<std::string> id, hid, pov;
  std::vector<double> w;
  std::vector<std::uint8_t> r;
  for (const auto& h : households) {
    id.push_back(h.id);
    hid.push_back(h.hamlet);
    pov.push_back(h.poverty);
    w.push_back(h.weight);
    r.push_back(static_cast<std::uint8_t>(h.reached));
  }
  s.households.add_text("household_id", id);
  s.households.add_text("hamlet_id", hid);
  s.households.add_text("poverty", pov);
  s.households.add_real("weight", w);
  s.households.add_flags("reached", r);
  std::vector<std::string> hm_id;
  std::vector<std::int64_t> n, tn, reached, gap_n;
  std::vector<double> tw, gw;
  std::map<std::string, std::vector<std::string>> group_values;
  for (const auto& hm : hamlets) {
    hm_id.push_back(hm.id);
    std::int64_t a = 0, b = 0, c = 0, d = 0;
    double e = 0, f = 0;
    for (const auto& h : households) {
      if (h.hamlet != hm.id) continue;
      ++a;
      if (h.weight > 0) {
        ++b;
        e += h.weight;
        if (h.reached) {
          ++c;
        } else {
          ++d;
          f += h.weight;
        }
      }
    }
    n.push_back(a), tn.push_back(b), reached.push_back(c), gap_n.push_back(d), tw.push_back(e), gw.push_back(f);
    for (const auto& g : groupings) group_values[g].push_back(hm.groups.at(g));
  }
  s.hamlets.add_text("hamlet_id", hm_id);
  s.hamlets.add_text("name", hm_id);
  for (const auto& g : groupings) s.hamlets.add_text(g, group_values[g]);
  s.hamlets.add_integer("households", n);
  s.hamlets.add_integer("target_households", tn);
  s.hamlets.add_real("target_weight", tw);
  s.hamlets.add_integer("reached_any", reached);
  s.hamlets.add_integer("gap_households", gap_n);
  s.hamlets.add_real("gap_weight", gw);
  s.groupings = groupings;
  return s;
}

// Before: hamlets H1, H2 (old communes A, B; new commune X) and H3 (old C, new Y), grouped by
// commune and district. After: H3 is gone, H4 (new Y) appears, grouped by commune_2025 and district.
CompareSide before_side() {
  return side("before",
              {{"H1", {{"commune", "A"}, {"district", "D1"}}},
               {"H2", {{"commune", "B"}, {"district", "D1"}}},
               {"H3", {{"commune", "C"}, {"district", "D2"}}}},
              {{"h1", "H1", "near_poor", 0.5, 0},
               {"h2", "H1", "poor", 1.0, 1},
               {"h3", "H1", "near_poor", 0.5, 0},
               {"h4", "H2", "not_poor", 0.0, 0},
               {"h5", "H2", "poor", 1.0, 0},
               {"h6", "H3", "poor", 1.0, 1}},
              {"commune", "district"});
}
CompareSide after_side() {
  return side("after",
              {{"H1", {{"commune_2025", "X"}, {"district", "D1"}}},
               {"H2", {{"commune_2025", "X"}, {"district", "D1"}}},
               {"H4", {{"commune_2025", "Y"}, {"district", "D2"}}}},
              {{"h1", "H1", "poor", 1.0, 1},        // newly reached (and near_poor → poor: reach first)
               {"h2", "H1", "poor", 1.0, 0},        // newly unreached
               {"h3", "H1", "poor", 1.0, 0},        // status changed (near_poor → poor), still unreached
               {"h4", "H2", "not_poor", 0.0, 0},    // unchanged
               {"h7", "H4", "poor", 1.0, 0},        // added
               {"h8", "H2", "near_poor", 0.5, 1}},  // added
              {"commune_2025", "district"});
}

std::map<std::string, std::string> classes_of(const CompareResult& r) {
  std::map<std::string, std::string> out;
  const Column& id = r.households.column("household_id");
  const Column& change = r.households.column("change");
  for (std::size_t i = 0; i < r.households.rows(); ++i) out[id.texts[i]] = change.texts[i];
  return out;
}

/// Row of a table whose text column `column` holds `value` (SIZE_MAX if none; NULL never matches).
std::size_t row_of(const Table& t, const std::string& column, const std::string& value) {
  const Column& c = t.column(column);
  for (std::size_t i = 0; i < t.rows(); ++i)
    if (!c.is_null(i) && c.texts[i] == value) return i;
  return static_cast<std::size_t>(-1);
}

double real_at(const Table& t, const std::string& column, std::size_t row) {
  return t.column(column).as_real(row);
}

TEST(Compare, RunComparedWithItselfHasAllZeroDeltas) {
  const CompareSide b = before_side();
  CompareSide same = b;
  same.label = "after";
  const CompareResult r = compare(b, same, {});
  EXPECT_EQ(r.households_change.by_class.at("unchanged"), 6);
  for (const auto cls : k_change_classes)
    if (cls != "unchanged") {
      EXPECT_EQ(r.households_change.by_class.at(std::string(cls)), 0) << cls;
    }
  EXPECT_EQ(r.households_change.status_differs, 0);
  EXPECT_EQ(r.hamlets_added + r.hamlets_removed, 0);
  ASSERT_EQ(r.groupings, (std::vector<std::string>{"commune", "district"}));
  std::vector<const Table*> tables{&r.hamlets};
  for (const auto& [g, t] : r.groups) tables.push_back(&t);
  int delta_columns = 0;
  for (const Table* t : tables) {
    for (const Column& c : t->columns) {
      if (c.name.size() < 6 || c.name.compare(c.name.size() - 6, 6, "_delta") != 0) continue;
      ++delta_columns;
      for (std::size_t i = 0; i < c.size(); ++i)
        if (!c.is_null(i)) {
          EXPECT_EQ(c.as_real(i), 0.0) << c.name << " row " << i;
        }
    }
  }
  EXPECT_EQ(delta_columns, 3 * 7);  // hamlets, commune, district × 7 measures
  EXPECT_EQ(r.before.gap_weight, r.after.gap_weight);
}

TEST(Compare, HandBuiltPairCountsEveryChangeClassExactly) {
  const CompareResult r = compare(before_side(), after_side(), {});
  const auto& c = r.households_change.by_class;
  EXPECT_EQ(c.at("unchanged"), 1);
  EXPECT_EQ(c.at("newly_reached"), 1);
  EXPECT_EQ(c.at("newly_unreached"), 1);
  EXPECT_EQ(c.at("status_changed"), 1);
  EXPECT_EQ(c.at("added"), 2);
  EXPECT_EQ(c.at("removed"), 2);
  EXPECT_EQ(r.households_change.status_differs, 2);  // h1 (newly reached) and h3
  const auto cls = classes_of(r);
  EXPECT_EQ(cls.at("h1"), "newly_reached");
  EXPECT_EQ(cls.at("h2"), "newly_unreached");
  EXPECT_EQ(cls.at("h3"), "status_changed");
  EXPECT_EQ(cls.at("h4"), "unchanged");
  EXPECT_EQ(cls.at("h5"), "removed");
  EXPECT_EQ(cls.at("h6"), "removed");
  EXPECT_EQ(cls.at("h7"), "added");
  EXPECT_EQ(cls.at("h8"), "added");
  // Target households (weight > 0 on a side): h4 is never a target.
  const auto& t = r.target_change.by_class;
  EXPECT_EQ(t.at("unchanged"), 0);
  EXPECT_EQ(t.at("newly_reached") + t.at("newly_unreached") + t.at("status_changed"), 3);
  EXPECT_EQ(t.at("added") + t.at("removed"), 4);
  // Totals against the households by hand: before 5 targets (weight 4), 2 reached, gap 2;
  // after 5 targets (weight 4.5), 2 reached, gap 3.
  EXPECT_EQ(r.before.target_households, 5);
  EXPECT_EQ(r.before.reached, 2);
  EXPECT_NEAR(r.before.target_weight, 4.0, 1e-12);
  EXPECT_NEAR(r.before.gap_weight, 2.0, 1e-12);
  EXPECT_EQ(r.after.target_households, 5);
  EXPECT_EQ(r.after.reached, 2);
  EXPECT_NEAR(r.after.gap_weight, 3.0, 1e-12);
}

TEST(Compare, EveryHouseholdOfBothSidesIsAccountedForOnce) {
  const CompareResult r = compare(before_side(), after_side(), {});
  for (const ChangeCounts* k : {&r.households_change, &r.target_change}) {
    const auto& c = k->by_class;
    const std::int64_t common =
        c.at("unchanged") + c.at("newly_reached") + c.at("newly_unreached") + c.at("status_changed");
    EXPECT_EQ(k->before, common + c.at("removed"));
    EXPECT_EQ(k->after, common + c.at("added"));
  }
  EXPECT_EQ(r.households_change.before, 6);
  EXPECT_EQ(r.households_change.after, 6);
  EXPECT_EQ(r.households.rows(), 8u);  // 6 after + 2 removed, each once
  // The sum of the hamlets' deltas is the change of the joined households' gap.
  double sum = 0;
  for (std::size_t i = 0; i < r.hamlets.rows(); ++i) sum += real_at(r.hamlets, "gap_weight_delta", i);
  EXPECT_NEAR(sum, r.after.gap_weight - r.before.gap_weight, 1e-12);
}

TEST(Compare, HamletsMatchByIdAndOneSidedOnesCountZeroOnTheOtherSide) {
  const CompareResult r = compare(before_side(), after_side(), {});
  EXPECT_EQ(r.hamlets_matched, 2);
  EXPECT_EQ(r.hamlets_added, 1);
  EXPECT_EQ(r.hamlets_removed, 1);
  const Table& h = r.hamlets;
  const std::size_t h1 = row_of(h, "hamlet_id", "H1"), h3 = row_of(h, "hamlet_id", "H3"),
                    h4 = row_of(h, "hamlet_id", "H4");
  EXPECT_EQ(h.column("presence").texts[h1], "both");
  EXPECT_EQ(h.column("presence").texts[h3], "removed");
  EXPECT_EQ(h.column("presence").texts[h4], "added");
  EXPECT_NEAR(real_at(h, "gap_weight_before", h1), 1.0, 1e-12);
  EXPECT_NEAR(real_at(h, "gap_weight_after", h1), 2.0, 1e-12);
  EXPECT_NEAR(real_at(h, "gap_weight_delta", h1), 1.0, 1e-12);
  EXPECT_NEAR(real_at(h, "gap_rate_before", h1), 1.0 / 2.0, 1e-12);
  EXPECT_NEAR(real_at(h, "gap_rate_after", h1), 2.0 / 3.0, 1e-12);
  EXPECT_EQ(real_at(h, "reached_delta", h1), 0.0);
  EXPECT_EQ(real_at(h, "households_after", h3), 0.0);
  EXPECT_TRUE(std::isnan(real_at(h, "gap_rate_after", h3)));  // no target weight after: NULL
  EXPECT_TRUE(std::isnan(real_at(h, "gap_rate_delta", h3)));
  EXPECT_EQ(real_at(h, "target_households_delta", h4), 1.0);
}

TEST(Compare, WithoutUnitsOnlyGroupingsOfBothSidesAreComparedByName) {
  const CompareResult r = compare(before_side(), after_side(), {});
  ASSERT_EQ(r.groupings, (std::vector<std::string>{"district"}));
  EXPECT_EQ(r.skipped, (std::vector<std::string>{"commune_2025 (after only)", "commune (before only)"}));
  const Table& d = r.groups.at("district");
  const std::size_t d1 = row_of(d, "district", "D1"), d2 = row_of(d, "district", "D2");
  EXPECT_NEAR(real_at(d, "gap_weight_before", d1), 2.0, 1e-12);  // H1 1 + H2 1
  EXPECT_NEAR(real_at(d, "gap_weight_after", d1), 2.0, 1e-12);   // H1 2 + H2 0
  EXPECT_NEAR(real_at(d, "gap_weight_before", d2), 0.0, 1e-12);  // H3
  EXPECT_NEAR(real_at(d, "gap_weight_after", d2), 1.0, 1e-12);   // H4
  EXPECT_TRUE(r.unmapped.empty());
}

TEST(Compare, UnitsAfterMapsTheBeforeHamletsToTheNewCommunes) {
  CompareOptions o;
  o.units = "after";
  const CompareResult r = compare(before_side(), after_side(), o);
  ASSERT_EQ(r.groupings, (std::vector<std::string>{"commune_2025", "district"}));
  const Table& g = r.groups.at("commune_2025");
  const std::size_t x = row_of(g, "commune_2025", "X"), y = row_of(g, "commune_2025", "Y");
  EXPECT_NEAR(real_at(g, "gap_weight_before", x), 2.0, 1e-12);  // old A + B, through H1, H2
  EXPECT_NEAR(real_at(g, "gap_weight_after", x), 2.0, 1e-12);
  EXPECT_EQ(real_at(g, "target_households_before", y), 0.0);  // H4 did not exist before
  EXPECT_NEAR(real_at(g, "gap_weight_after", y), 1.0, 1e-12);
  // H3 exists only before, and the before run has no commune_2025: counted, in a row without a unit.
  ASSERT_EQ(r.unmapped.at("commune_2025"), (std::vector<std::string>{"H3"}));
  ASSERT_EQ(g.rows(), 3u);
  EXPECT_TRUE(g.column("commune_2025").is_null(2));
  EXPECT_EQ(real_at(g, "target_households_before", 2), 1.0);
  // Every target household of each side is in some row.
  double before = 0, after = 0;
  for (std::size_t i = 0; i < g.rows(); ++i) {
    before += real_at(g, "target_households_before", i);
    after += real_at(g, "target_households_after", i);
  }
  EXPECT_EQ(before, 5.0);
  EXPECT_EQ(after, 5.0);
  // The hamlets layer names each hamlet's unit.
  EXPECT_EQ(r.hamlets.column("commune_2025").texts[row_of(r.hamlets, "hamlet_id", "H2")], "X");
}

TEST(Compare, UnitsBeforeMapsTheAfterHamletsToTheOldCommunes) {
  CompareOptions o;
  o.units = "before";
  const CompareResult r = compare(before_side(), after_side(), o);
  ASSERT_EQ(r.groupings, (std::vector<std::string>{"commune", "district"}));
  const Table& g = r.groups.at("commune");
  const std::size_t a = row_of(g, "commune", "A"), b = row_of(g, "commune", "B");
  EXPECT_NEAR(real_at(g, "gap_weight_after", a), 2.0, 1e-12);  // H1 after, in old commune A
  EXPECT_NEAR(real_at(g, "gap_weight_after", b), 0.0, 1e-12);
  EXPECT_EQ(real_at(g, "target_households_after", b), 1.0);  // h8, added in H2
  EXPECT_EQ(r.unmapped.at("commune"), (std::vector<std::string>{"H4"}));
}

TEST(Compare, BadUnitsAndDuplicateIdsAreErrors) {
  CompareOptions o;
  o.units = "later";
  EXPECT_THROW(compare(before_side(), after_side(), o), InvalidInput);
  CompareSide b = before_side();
  b.households.columns[0].texts[1] = "h1";  // two rows with id h1
  try {
    compare(b, after_side(), {});
    FAIL() << "a duplicate household id must not be matched";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate household_id 'h1'"), std::string::npos) << e.what();
    EXPECT_EQ(e.context().feature_id, 2);
  }
  CompareSide other_crs = after_side();
  other_crs.epsg = 32649;
  EXPECT_THROW(compare(before_side(), other_crs, {}), InvalidInput);
}

}  // namespace
}  // namespace infogap
