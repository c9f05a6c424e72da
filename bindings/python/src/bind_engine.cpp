// infogap/engine.hpp → Python: the Engine facade for step-by-step use. Every long call runs with
// the GIL released (a Python progress callback re-takes it); one mutex per engine serialises calls
// from several Python threads. inputs() and coverage() are computed once and never replaced, so
// they are returned by reference (numpy views keep the engine alive); a PlacementResult is a
// snapshot copy because each optimize() call replaces the engine's placement.
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <optional>

#include "bindings.hpp"
#include "infogap/engine.hpp"

namespace infogap::python {

ProgressFn progress_adapter(const py::object& callback) {
  if (callback.is_none()) return {};
  if (!PyCallable_Check(callback.ptr())) throw py::type_error("progress must be a callable(stage, fraction)");
  // The deleter takes the GIL, so the last copy of the function may be destroyed anywhere.
  std::shared_ptr<py::object> fn(new py::object(callback), [](py::object* o) {
    py::gil_scoped_acquire gil;
    delete o;
  });
  return [fn](const std::string& stage, double fraction) {
    py::gil_scoped_acquire gil;
    (*fn)(stage, fraction);  // a Python exception propagates as error_already_set and aborts the call
  };
}

namespace {

/// The engine plus a mutex: a Python object may be shared by threads while the GIL is released.
struct PyEngine {
  explicit PyEngine(Scenario scenario) : engine(std::move(scenario)) {}
  Engine engine;
  std::mutex mutex;
};

/// Runs fn(engine) with the GIL released and the engine's mutex held.
template <class Fn>
decltype(auto) locked(PyEngine& e, Fn&& fn) {
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(e.mutex);
  return fn(e.engine);
}

py::dict site_columns(const std::vector<ProposedSite>& sites) {
  const std::size_t n = sites.size();
  py::list id(n), kind(n);
  std::vector<std::int64_t> rank(n), hamlet(n);
  std::vector<double> x(n), y(n), mw(n), mh(n), cw(n), cost(n), reach(n);
  for (std::size_t i = 0; i < n; ++i) {
    const ProposedSite& s = sites[i];
    id[i] = py::str(s.site_id);
    kind[i] = py::str(s.kind);
    rank[i] = s.rank;
    hamlet[i] = s.hamlet;
    x[i] = s.x_m;
    y[i] = s.y_m;
    mw[i] = s.marginal_weight;
    mh[i] = s.marginal_households;
    cw[i] = s.cumulative_weight;
    cost[i] = s.cost_vnd;
    reach[i] = s.reach_m;
  }
  py::dict d;
  d["site_id"] = id;
  d["kind"] = kind;
  d["rank"] = array_copy(rank);
  d["x_m"] = array_copy(x);
  d["y_m"] = array_copy(y);
  d["marginal_weight"] = array_copy(mw);
  d["marginal_households"] = array_copy(mh);
  d["cumulative_weight"] = array_copy(cw);
  d["cost_vnd"] = array_copy(cost);
  d["reach_m"] = array_copy(reach);
  d["hamlet"] = array_copy(hamlet);
  // Where, in a planner's terms (the proposed_sites layer's columns of the same names).
  py::list candidate_id(n), candidate_name(n), candidate_type(n), hamlet_name(n), commune_name(n);
  std::vector<double> lon(n), lat(n);
  for (std::size_t i = 0; i < n; ++i) {
    const ProposedSite& s = sites[i];
    candidate_id[i] = py::str(s.candidate_id);
    candidate_name[i] = py::str(s.candidate_name);
    candidate_type[i] = py::str(s.candidate_type);
    hamlet_name[i] = py::str(s.hamlet_name);
    commune_name[i] = py::str(s.commune_name);
    lon[i] = s.lon;
    lat[i] = s.lat;
  }
  d["candidate_id"] = candidate_id;
  d["candidate_name"] = candidate_name;
  d["candidate_type"] = candidate_type;
  d["hamlet_name"] = hamlet_name;
  d["commune_name"] = commune_name;
  d["lon"] = array_copy(lon);
  d["lat"] = array_copy(lat);
  return d;
}

RunOptions run_options(std::optional<int> new_speakers, std::optional<int> new_teams, std::optional<double> budget,
                       bool exact, const py::object& progress) {
  RunOptions o;
  o.new_speakers = new_speakers;
  o.new_teams = new_teams;
  o.budget = budget;
  o.exact = exact;
  o.progress = progress_adapter(progress);
  return o;
}

}  // namespace

void bind_engine(py::module_& m) {
  py::class_<PlacementResult> pr(m, "PlacementResult",
                                 "Result of the placement optimizer with coverage before and after (a snapshot).");
  pr.def_property_readonly(
        "sites", [](const PlacementResult& p) { return site_columns(p.sites); },
        "Proposed sites in rank order as a dict of columns; hamlet is an index, -1 none.")
      .def_readonly("objective", &PlacementResult::objective)
      .def_readonly("bound", &PlacementResult::bound)
      .def_readonly("gap", &PlacementResult::gap)
      .def_readonly("reached_weight", &PlacementResult::reached_weight)
      .def_readonly("solver", &PlacementResult::solver)
      .def_readonly("status", &PlacementResult::status)
      .def_readonly("message", &PlacementResult::message)
      .def_readonly("seconds", &PlacementResult::seconds)
      .def_readonly("candidates", &PlacementResult::candidates)
      .def_readonly("rows", &PlacementResult::rows)
      .def_readonly("merged_rows", &PlacementResult::merged_rows)
      .def_readonly("existing_teams", &PlacementResult::existing_teams,
                    "existing teams the optimizer modelled (with a waiting list a candidate reaches)")
      .def_readonly("echo_rounds", &PlacementResult::echo_rounds,
                    "solves that learned the proposed poles' echoes (optimize.echo_rounds; 0: not heard)")
      .def_readonly("model_objective", &PlacementResult::model_objective,
                    "the last round's own objective (the claim, objective, is its proposal valued with its echoes)")
      .def_readonly("model_gap", &PlacementResult::model_gap, "the last round's own gap against bound")
      .def_readonly("held_rows", &PlacementResult::held_rows,
                    "households the model held: reached today, a candidate's echo takes them")
      .def_readonly("echo_settled", &PlacementResult::echo_settled,
                    "the rounds ended because the last found nothing new (not because they ran out)")
      .def_readonly("weight_before", &PlacementResult::weight_before)
      .def_readonly("weight_after", &PlacementResult::weight_after)
      .def_readonly("households_before", &PlacementResult::households_before)
      .def_readonly("households_after", &PlacementResult::households_after)
      .def_readonly("claimed_weight_after", &PlacementResult::claimed_weight_after,
                    "The optimizer's claim of the reached target weight after placement (weight_after is "
                    "coverage recomputed with the sites).")
      .def_readonly("claimed_households_after", &PlacementResult::claimed_households_after)
      .def_property_readonly(
          "changes",
          [](const PlacementResult& p) {
            py::dict d;
            for (const auto& [name, member] : after_change_categories())
              d[name] = py::dict(py::arg("households") = (p.changes.*member).households,
                                 py::arg("weight") = (p.changes.*member).weight);
            return d;
          },
          "Coverage recomputed after placement against before it, channel by channel: {category: "
          "{'households', 'weight'}} for heard, new_teams, existing_teams, lost_to_echo, left_by_teams, "
          "moved_to_teams (summary.json optimizer.after.changes).")
      .def_readonly("mode", &PlacementResult::mode, "\"counts\", \"budget\" or \"coverage_target\".")
      .def_property_readonly("met", &PlacementResult::met,
                             "False when a coverage target or group minimum is not met (a best effort).")
      .def_property_readonly(
          "shortfalls",
          [](const PlacementResult& p) {
            py::list out;
            for (const auto& f : p.shortfalls) {
              py::dict d;
              d["group"] = f.group;
              d["unit"] = f.unit;
              d["required"] = f.required;
              d["share_after"] = f.share_after;
              d["reachable"] = f.reachable;
              out.append(d);
            }
            return out;
          },
          "Group units below their minimum share: group, unit, required, share_after, reachable (the most "
          "every candidate together reaches), largest shortfall first.")
      .def_property_readonly(
          "hamlets_after", [](const PlacementResult& p) { return gap_columns(p.hamlets_after); },
          "Hamlet gaps after placement as a dict of columns.");
  pr.def("__repr__", [](const PlacementResult& p) {
    std::int64_t speakers = 0, teams = 0;
    for (const auto& site : p.sites) (site.kind == "speaker" ? speakers : teams) += 1;
    return "<PlacementResult " + grouped(static_cast<double>(p.sites.size()), 0) + " sites (" +
           grouped(static_cast<double>(speakers), 0) + " speakers, " + grouped(static_cast<double>(teams), 0) +
           " teams), +" + grouped(p.reached_weight, 1) + " target weight reached, " + p.solver + "/" + p.status + ">";
  });
  def_bool_view(pr, "reached_after", &PlacementResult::reached_after,
                "Whether each household is reached after placement (coverage recomputed with the sites).");

  py::class_<PyEngine>(m, "Engine", "infogap's engine: scenario → inputs → coverage → placement → outputs.")
      .def(py::init<Scenario>(), py::arg("scenario"))
      .def(
          "scenario", [](PyEngine& e) { return locked(e, [](Engine& en) { return en.scenario(); }); },
          "The scenario after defaults, copied.")
      .def(
          "inputs",
          [](PyEngine& e) -> const Inputs& {
            return locked(e, [](Engine& en) -> const Inputs& { return en.inputs(); });
          },
          py::return_value_policy::reference_internal, "Loads and validates the inputs once, with the GIL released.")
      .def(
          "coverage",
          [](PyEngine& e, const py::object& progress) -> const CoverageResult& {
            const ProgressFn fn = progress_adapter(progress);
            return locked(e, [&fn](Engine& en) -> const CoverageResult& { return en.coverage(fn); });
          },
          py::arg("progress") = py::none(), py::return_value_policy::reference_internal,
          "Computes coverage once (loading the inputs first), with the GIL released; progress is a callable taking "
          "stage and fraction, or None: the engine reports 'load' and 'coverage' step by step.")
      .def(
          "optimize",
          [](PyEngine& e, std::optional<int> new_speakers, std::optional<int> new_teams, std::optional<double> budget,
             bool exact, const py::object& progress) {
            const RunOptions o = run_options(new_speakers, new_teams, budget, exact, progress);
            return locked(e, [&o](Engine& en) { return en.optimize(o); });
          },
          py::arg("new_speakers") = py::none(), py::arg("new_teams") = py::none(), py::arg("budget") = py::none(),
          py::arg("exact") = false, py::arg("progress") = py::none(),
          "Runs the placement optimizer, coverage first if needed, with the GIL released; returns a snapshot.")
      .def("has_placement", [](PyEngine& e) { return locked(e, [](Engine& en) { return en.has_placement(); }); })
      .def(
          "placement", [](PyEngine& e) { return locked(e, [](Engine& en) { return en.placement(); }); },
          "The last placement as a snapshot copy; raises infogap.Error before optimize.")
      .def(
          "write_outputs",
          [](PyEngine& e, const std::string& output_dir, bool write_report) {
            RunOptions o;
            o.write_report = write_report;
            locked(e, [&](Engine& en) {
              en.write_outputs(output_dir, o);
              return 0;
            });
          },
          py::arg("output_dir") = "", py::arg("write_report") = true,
          "Writes every requested output into output_dir, empty for the scenario output.dir, with the GIL released.")
      .def(
          "run",
          [](PyEngine& e, const std::string& output_dir, bool optimize, bool force_optimize,
             std::optional<int> new_speakers, std::optional<int> new_teams, std::optional<double> budget, bool exact,
             bool write_report, const py::object& progress, const std::string& partition) {
            RunOptions o = run_options(new_speakers, new_teams, budget, exact, progress);
            o.output_dir = output_dir;
            o.partition = partition;
            o.optimize = optimize;
            o.force_optimize = force_optimize;
            o.write_report = write_report;
            return locked(e, [&o](Engine& en) { return en.run(o); });
          },
          py::arg("output_dir") = "", py::arg("optimize") = true, py::arg("force_optimize") = false,
          py::arg("new_speakers") = py::none(), py::arg("new_teams") = py::none(), py::arg("budget") = py::none(),
          py::arg("exact") = false, py::arg("write_report") = true, py::arg("progress") = py::none(),
          py::arg("partition") = "",
          "Coverage, optimization if configured or forced, and outputs, with the GIL released; returns the output "
          "folder. With output.partition_by: every partition's folder and the roll-up, or with partition (a value or "
          "folder name) that partition's folder alone.")
      .def(
          "table_names", [](PyEngine& e) { return locked(e, [](Engine& en) { return en.table_names(); }); },
          "The layers of coverage.gpkg in file order (hamlets, households, speakers, teams, one per group_by column, "
          "proposed_sites after optimize).")
      .def(
          "table",
          [](PyEngine& e, const std::string& name) {
            return locked(e, [&name](Engine& en) { return en.table(name); });
          },
          py::arg("name"),
          "One output layer exactly as the GeoPackage writer gets it (computes coverage if needed), with the GIL "
          "released.")
      .def(
          "timings", [](PyEngine& e) { return locked(e, [](Engine& en) { return en.timings(); }); },
          "Seconds per stage.")
      .def(
          "summary_json", [](PyEngine& e) { return locked(e, [](Engine& en) { return en.summary_json(); }); },
          "The summary.json text.");
}

}  // namespace infogap::python
