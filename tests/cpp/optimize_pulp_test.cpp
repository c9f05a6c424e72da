// Exact optimizer vs an independent model solved by PuLP + CBC (tests/cpp/support/pulp_solve.py).

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "infogap/optimize.hpp"
#include "support/optimize_instances.hpp"
#include "support/test_config.hpp"

namespace infogap {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Case {
  std::string name;
  CoverageProblem problem;
  OptimizeOptions options;
};

json to_json(const CoverageProblem& p, const OptimizeOptions& o) {
  json j;
  j["weight"] = std::vector<double>(p.weight.data(), p.weight.data() + p.weight.size());
  if (p.households.size() > 0)
    j["households"] = std::vector<double>(p.households.data(), p.households.data() + p.households.size());
  std::vector<std::vector<int>> sites(static_cast<std::size_t>(p.cover.rows()));
  for (Eigen::Index c = 0; c < p.cover.outerSize(); ++c) {
    for (CoverMatrix::InnerIterator it(p.cover, c); it; ++it)
      sites[static_cast<std::size_t>(it.row())].push_back(static_cast<int>(c));
  }
  j["sites"] = sites;
  std::vector<int> kind;
  for (const auto k : p.kind) kind.push_back(static_cast<int>(k));
  j["kind"] = kind;
  j["cost"] = p.cost;
  json cap = json::array();
  for (std::size_t c = 0; c < p.kind.size(); ++c) {
    if (!p.capacity.empty() && std::isfinite(p.capacity[c])) {
      cap.push_back(p.capacity[c]);
    } else {
      cap.push_back(nullptr);
    }
  }
  j["capacity"] = cap;
  j["max_kind"] = {o.max_speakers, o.max_teams};
  j["budget"] = o.budget ? json(*o.budget) : json(nullptr);
  json groups = json::array();
  for (const auto& g : p.groups) {
    groups.push_back(
        {{"unit", g.unit},
         {"base", std::vector<double>(g.base_weight.data(), g.base_weight.data() + g.base_weight.size())},
         {"total", std::vector<double>(g.total_weight.data(), g.total_weight.data() + g.total_weight.size())},
         {"min_share", g.min_share}});
  }
  j["groups"] = groups;
  return j;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  OptimizeOptions o;
  o.solver = OptimizeOptions::Solver::exact;
  o.max_speakers = 6;
  o.max_teams = 3;
  for (const std::uint64_t seed : {101u, 102u, 103u}) {
    out.push_back({"counts_" + std::to_string(seed), test::to_problem(test::random_dense(500, 60, 5, 45, seed)), o});
  }
  {
    Case c{"budget", test::to_problem(test::random_dense(500, 60, 5, 45, 104)), o};
    c.options.budget = 200.0;  // million VND: e.g. 5 speakers, or 4 speakers + 2 teams
    out.push_back(c);
  }
  {
    const auto d = test::random_dense(400, 50, 6, 35, 105);
    Case c{"capacity", test::to_problem(d), o};
    c.problem.households = Eigen::VectorXd::Ones(400);
    for (int r = 0; r < 400; r += 5) c.problem.households[r] = 3.0;
    c.problem.capacity.assign(50, std::numeric_limits<double>::infinity());
    for (std::size_t k = 35; k < 50; ++k) c.problem.capacity[k] = 20.0;  // households per team
    out.push_back(c);
  }
  {
    const auto d = test::random_dense(500, 60, 5, 45, 106);
    Case c{"groups", test::to_problem(d), o};
    GroupConstraint g;
    g.name = "commune";
    double w0 = 0, w1 = 0;
    for (int r = 0; r < 500; ++r) {
      const int u = d.x[static_cast<std::size_t>(r)] < 0.2 ? 1 : 0;
      g.unit.push_back(u);
      (u == 1 ? w1 : w0) += d.w[static_cast<std::size_t>(r)];
    }
    g.base_weight = Eigen::Vector2d(0.0, 0.0);
    g.total_weight = Eigen::Vector2d(w0, w1);
    g.min_share = 0.7;  // binds: the optimum without it leaves unit 1 (x < 0.2) at 67 %
    c.problem.groups.push_back(g);
    out.push_back(c);
    Case tight = c;
    tight.name = "groups_infeasible";
    tight.problem.groups[0].min_share = 0.75;  // more than 9 sites can give both units
    out.push_back(tight);
  }
  return out;
}

TEST(OptimizePulp, ExactObjectiveEqualsPulpCbc) {
  const fs::path dir = fs::temp_directory_path() / ("infogap_pulp_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string script = std::string(test::k_source_dir) + "/tests/cpp/support/pulp_solve.py";
  int compared = 0;
  for (const auto& c : cases()) {
    const auto in_path = dir / (c.name + ".json"), out_path = dir / (c.name + ".result.json");
    {
      std::ofstream f(in_path);
      f << to_json(c.problem, c.options).dump();
    }
    const std::string cmd = "/usr/bin/python3 '" + script + "' '" + in_path.string() + "' '" + out_path.string() + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream f(out_path);
    const json ref = json::parse(f);
    const auto r = optimize_placement(c.problem, c.options);
    if (c.name == "groups_infeasible") {
      EXPECT_EQ(ref["status"], "Infeasible");
    }
    if (ref["status"] == "Infeasible") {
      EXPECT_EQ(r.status, "infeasible") << c.name;
      continue;
    }
    ASSERT_EQ(ref["status"], "Optimal") << c.name;
    ASSERT_EQ(r.status, "optimal") << c.name;
    EXPECT_NEAR(r.objective, ref["objective"].get<double>(), 1e-5) << c.name;  // weight
    // PuLP's chosen sites reach the same weight under the engine's evaluation
    EXPECT_NEAR(covered_weight(c.problem, ref["chosen"].get<std::vector<std::int32_t>>()), r.objective, 1e-5) << c.name;
    if (!c.problem.groups.empty()) {  // the group minimum binds: without it the optimum is higher
      auto free = c.problem;
      free.groups.clear();
      EXPECT_GT(optimize_placement(free, c.options).objective, r.objective + 0.1) << c.name;
      EXPECT_TRUE(r.unmet_groups.empty());
    }
    ++compared;
  }
  EXPECT_GE(compared, 6);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace infogap
