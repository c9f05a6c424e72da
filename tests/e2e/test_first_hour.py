"""What a new planner, GIS officer and Python analyst meet in their first hour, end to end through
the CLI on small synthetic provinces (`infogap synth`, then edited as a user would):

- a hamlet without target households has no gap rate: NULL in the GeoPackage and the shapefile, an
  empty CSV field, null/"–" in the report (not 0 %);
- `run` says what happened on stdout, with the figures of summary.json and the wall time;
- budget rules: `--budget B --new-teams 0` places no team (and `--new-speakers 0` no loudspeaker);
- a group minimum or coverage target that cannot be met is said plainly (stdout, summary.json,
  report), naming the units that fall short with the most they can reach.
"""
import csv
import json
import re
import time
from pathlib import Path

import pytest
from osgeo import ogr

from conftest import load_summary, run_cli
from worlds import rewrite_statuses, synth_province, write_scenario

ogr.UseExceptions()

pytestmark = pytest.mark.e2e


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def report_data(path):
    html = Path(path).read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="infogap-data">(.*?)</script>', html, re.S)
    assert m, f"{path}: no data block"
    return html, json.loads(m.group(1))


@pytest.fixture(scope="module")
def province(infogap, tmp_path_factory):
    folder = tmp_path_factory.mktemp("first_hour")
    sc = synth_province(infogap, folder)
    return folder, sc


# ---- 1. NULL gap rate --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def no_target_run(infogap, province):
    """Every household rewritten to not_poor: no hamlet, no commune has a target household."""
    folder, sc = province
    sc = json.loads(json.dumps(sc))
    assert rewrite_statuses(folder, sc, lambda r: "not_poor") > 0
    scenario = write_scenario(folder, sc, "no_target.yaml")
    out = folder / "out_no_target"
    p = run_cli(infogap, "run", scenario, "-o", out, "--quiet")
    (out.parent / "out_no_target.stdout").write_text(p.stdout, encoding="utf-8")
    return out


def test_no_target_households_give_null_gap_rate_in_geopackage(no_target_run):
    ds = ogr.Open(str(no_target_run / "coverage.gpkg"))
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    for name in ["hamlets", "commune", "district"]:
        assert name in names, names
        layer = ds.GetLayerByName(name)
        fields = [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())]
        rate_fields = [f for f in ("gap_rate", "gap_rate_after") if f in fields]
        assert "gap_rate" in rate_fields
        n = 0
        for f in layer:
            assert f.GetField("households") > 0 or name != "hamlets" or True
            for field in rate_fields:
                assert f.IsFieldNull(field), f"{name} {f.GetFID()}: {field} = {f.GetField(field)} (want NULL)"
            n += 1
        assert n > 0
    hamlets = ds.GetLayerByName("hamlets")
    assert "gap_rate_after" in [hamlets.GetLayerDefn().GetFieldDefn(i).GetName()
                                for i in range(hamlets.GetLayerDefn().GetFieldCount())]
    hamlets.SetAttributeFilter("households > 0")
    assert hamlets.GetFeatureCount() > 0   # hamlets with households, but no target households


def test_no_target_households_give_empty_csv_fields(no_target_run):
    rows = read_csv(no_target_run / "hamlet_gaps.csv")
    assert rows and any(int(r["households"]) > 0 for r in rows)
    assert all(r["gap_rate"] == "" for r in rows), [r["gap_rate"] for r in rows[:5]]
    assert all(r.get("gap_rate_after", "") == "" for r in rows)
    for r in read_csv(no_target_run / "commune_gaps.csv"):
        assert r["gap_rate"] == ""


def test_no_target_households_give_null_in_shapefile(no_target_run):
    short = {r["long"]: r["short"] for r in read_csv(no_target_run / "fields.csv")}
    ds = ogr.Open(str(no_target_run / "hamlets.shp"))
    layer = ds.GetLayer(0)
    for long_name in ("gap_rate", "gap_rate_after"):
        name = short.get(long_name)
        if long_name == "gap_rate":
            assert name
        if not name:
            continue
        values = [(f.IsFieldNull(name), f.GetField(name)) for f in layer]
        layer.ResetReading()
        assert values and all(null for null, _ in values), f"{long_name} ({name}): {values[:5]}"


def test_no_target_households_show_no_rate_in_report(no_target_run):
    for lang in ("vi", "en"):
        html, data = report_data(no_target_run / f"report.{lang}.html")
        rates = [f["properties"]["gap_rate"] for f in data["hamlets"]["features"]]
        assert rates and all(r is None for r in rates), rates[:5]
        # the worst-hamlets table: the gap rate column shows "–", never a percentage
        table = html[html.index('id="hamlets"'):html.index('id="groups"')]
        rows = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]
        rows = [cells for cells in rows if cells]   # the header row has <th> only
        assert rows
        for cells in rows:
            assert cells[-1] == "\u2013", cells


def test_no_target_households_stdout_says_there_is_no_rate(no_target_run):
    text = (no_target_run.parent / "out_no_target.stdout").read_text(encoding="utf-8")
    assert "target households: 0 (target weight 0.0)" in text
    assert "gap: 0 households, weight 0.0 (no target households: no gap rate)" in text
    assert "worst hamlets:" not in text


# ---- 2. say what happened ------------------------------------------------------------------------


def parse_stdout(text):
    got = {}
    m = re.search(r"^households: (\d+) input = (\d+) joined \+ (\d+) outside every hamlet \+ (\d+) rejected", text, re.M)
    assert m, text
    got["input"], got["joined"], got["outside"], got["rejected"] = map(int, m.groups())
    m = re.search(r"^target households: (\d+) \(target weight ([\d.]+)\)", text, re.M)
    got["target_households"], got["target_weight"] = int(m.group(1)), float(m.group(2))
    m = re.search(r"^reached: speaker (\d+) \([\d.]+ %\), team (\d+) \([\d.]+ %\), any (\d+)", text, re.M)
    got["reached_speaker"], got["reached_team"], got["reached_any"] = map(int, m.groups())
    m = re.search(r"^gap: (\d+) households, weight ([\d.]+)", text, re.M)
    got["gap_households"], got["gap_weight"] = int(m.group(1)), float(m.group(2))
    got["worst"] = re.findall(r"^  (\d)\. .* \[(.+)\]: gap weight ([\d.]+), rate ([\d.]+) %$", text, re.M)
    m = re.search(r"^proposed sites: (\d+) \((\d+) speakers, (\d+) teams\), \+([\d.]+) target weight", text, re.M)
    if m:
        got["sites"], got["speakers"], got["teams"] = map(int, m.groups()[:3])
        got["gain"] = float(m.group(4))
    m = re.search(r"^optimizer: objective ([\d.]+), bound ([\d.]+), gap ([\d.]+) % \(solver (\S+), status (\S+)\)",
                  text, re.M)
    if m:
        got["objective"], got["bound"], got["gap"] = map(float, m.groups()[:3])
        got["solver"], got["status"] = m.group(4), m.group(5)
    got["reports"] = re.findall(r"^report: (.+)$", text, re.M)
    got["qgis"] = re.findall(r"^QGIS project: (.+)$", text, re.M)
    got["folder"] = re.findall(r"^output folder: (.+)$", text, re.M)
    m = re.search(r"^total time: ([\d.]+) s \(wall\)$", text, re.M)
    got["total_s"] = float(m.group(1)) if m else None
    return got


def test_run_prints_what_happened_with_the_figures_of_summary_json(infogap, province):
    folder, sc = province
    sc = json.loads(json.dumps(sc))
    # 40 m rasters: their computing (timed apart, inside the write stage) is a good part of the run,
    # so a sum of nested timers would overshoot the wall time
    sc["output"]["raster_cell_m"] = 40
    scenario = write_scenario(folder, sc, "plain.yaml")
    out = folder / "out_plain"
    t0 = time.monotonic()
    p = run_cli(infogap, "run", scenario, "-o", out)   # progress on stderr, result on stdout
    wall = time.monotonic() - t0
    got = parse_stdout(p.stdout)
    s = load_summary(out)
    a = s["accounting"]["households"]
    assert (got["input"], got["joined"], got["outside"], got["rejected"]) == (
        a["input"], a["joined"], a["outside"], a["rejected"])
    assert got["input"] == got["joined"] + got["outside"] + got["rejected"]
    c = s["coverage"]
    for k in ("target_households", "reached_speaker", "reached_team", "reached_any", "gap_households"):
        assert got[k] == c[k], k
    assert got["target_weight"] == pytest.approx(c["target_weight"], abs=0.051)
    assert got["gap_weight"] == pytest.approx(c["gap_weight"], abs=0.051)
    # the three worst hamlets are hamlet_gaps.csv's ranks 1-3
    ranked = sorted(read_csv(out / "hamlet_gaps.csv"), key=lambda r: int(r["rank"]))[:3]
    assert [w[1] for w in got["worst"]] == [r["hamlet_id"] for r in ranked]
    for w, r in zip(got["worst"], ranked):
        assert float(w[2]) == pytest.approx(float(r["gap_weight"]), abs=0.051)
        assert float(w[3]) == pytest.approx(100 * float(r["gap_rate"]), abs=0.051)
    o = s["optimizer"]
    assert got["objective"] == pytest.approx(o["objective"], abs=0.051)
    assert got["bound"] == pytest.approx(o["bound"], abs=0.051)
    assert got["gap"] == pytest.approx(100 * o["gap"], abs=0.0051)
    assert (got["solver"], got["status"]) == (o["solver"], o["status"])
    sites = read_csv(out / "proposed_sites.csv")
    assert got["sites"] == len(sites) == o["sites"]
    assert got["teams"] == sum(r["kind"] == "team" for r in sites)
    assert got["gain"] == pytest.approx(o["after"]["reached_weight"] - o["before"]["reached_weight"], abs=0.051)
    # where things are
    assert got["folder"] == [s["output_dir"]]
    assert sorted(got["reports"]) == sorted(str(Path(s["output_dir"]) / f"report.{l}.html") for l in ("vi", "en"))
    assert got["qgis"] == [str(Path(s["output_dir"]) / "infogap.qgs")]
    for path in got["reports"] + got["qgis"]:
        assert Path(path).is_file(), path
    # the total is the wall time of the command, not a sum of nested timers
    # (measured from outside it, so process start and exit are the only difference)
    assert got["total_s"] is not None and got["total_s"] <= wall + 0.05, (got["total_s"], wall)
    assert got["total_s"] >= 0.8 * wall - 0.2, (got["total_s"], wall)
    stages = s["timings_s"]
    assert got["total_s"] + 0.05 >= stages["load"] + stages["coverage"] + stages["optimize"]
    # progress stays on stderr
    assert "households:" not in p.stderr
    # the report shows the folder actually used, like summary.json
    html = (out / "report.en.html").read_text(encoding="utf-8")
    assert f'<dd class="output-dir">{s["output_dir"]}</dd>' in html


# ---- 3. budget rules -----------------------------------------------------------------------------


@pytest.mark.parametrize("speakers, teams", [(None, 0), (0, None)])
def test_budget_buys_only_the_kind_whose_count_is_not_zero(infogap, province, speakers, teams):
    folder, sc = province
    sc = json.loads(json.dumps(sc))
    sc.pop("teams")   # no existing team: a large gap, which either kind alone can narrow
    scenario = write_scenario(folder, sc, "no_teams.yaml")
    out = folder / f"out_budget_{speakers}_{teams}"
    args = ["optimize", scenario, "-o", out, "--quiet", "--budget", 300000000]
    if speakers is not None:
        args += ["--new-speakers", speakers]
    if teams is not None:
        args += ["--new-teams", teams]
    p = run_cli(infogap, *args)
    sites = read_csv(out / "proposed_sites.csv")
    assert sites, "the budget bought nothing"
    kinds = {r["kind"] for r in sites}
    assert kinds == ({"speaker"} if teams == 0 else {"team"}), kinds
    assert sum(float(r["cost_vnd"]) for r in sites) <= 300000000
    o = load_summary(out)["optimizer"]
    assert o["mode"] == "budget" and o["budget_vnd"] == 300000000 and o["rank_order"] == "gain_per_vnd"
    assert (o["new_teams"] == 0) == (teams == 0) and (o["new_speakers"] == 0) == (speakers == 0)
    assert ("loudspeakers only" if teams == 0 else "teams only") in p.stdout
    html = (out / "report.en.html").read_text(encoding="utf-8")
    assert "listed by gain per VND" in html
    assert ("buys loudspeakers only" if teams == 0 else "buys teams only") in html


# ---- 3. minimums that cannot be met ------------------------------------------------------------


def test_unmet_group_minimum_is_said_plainly(infogap, province):
    folder, sc = province
    sc = json.loads(json.dumps(sc))
    sc.pop("teams")   # loudspeakers alone leave gaps that the candidate sites cannot all close
    sc["optimize"]["min_group_coverage"] = {"commune": 0.97}
    sc["optimize"]["new_speakers"] = 2
    sc["optimize"]["new_teams"] = 0
    sc["optimize"]["solver"] = "heuristic"
    scenario = write_scenario(folder, sc, "min_group.yaml")
    out = folder / "out_min_group"
    p = run_cli(infogap, "run", scenario, "-o", out, "--quiet")
    o = load_summary(out)["optimizer"]
    assert o["status"] in ("infeasible", "groups_unmet")
    assert o["met"] is False
    groups = o["shortfall"]["groups"]
    communes = {r["commune"]: r for r in read_csv(out / "commune_gaps.csv")}
    assert groups and all(g["group"] == "commune" and g["unit"] in communes for g in groups)
    for g in groups:
        assert g["share_after"] < g["required"] == 0.97
        assert g["share_after"] <= g["reachable"] + 1e-9 <= 1 + 1e-9
    short = [g["required"] - g["share_after"] for g in groups]
    assert short == sorted(short, reverse=True), "largest shortfall first"
    lines = [l for l in p.stdout.splitlines() if l.startswith("NOT MET")]
    assert lines and "best effort" in lines[0]
    assert " unit " not in lines[0], "units are named, not numbered"
    for g, line in zip(groups[:10], lines[1:]):
        assert line == (f"NOT MET: commune {g['unit']}: {100 * g['share_after']:.1f} % reached, "
                        f"{100 * g['required']:.1f} % asked, at most {100 * g['reachable']:.1f} % with every candidate")
    if len(groups) > 10:
        assert f"and {len(groups) - 10} more units" in lines[11]
    html = (out / "report.en.html").read_text(encoding="utf-8")
    assert 'id="unmet"' in html and "does not meet what the scenario asks" in html
    unmet = html[html.index('id="unmet"'):]
    unmet = unmet[:unmet.index("</div>")]
    for g in groups:
        assert f'<td data-sort="{g["unit"]}">{g["unit"]}</td>' in unmet


def test_unreachable_coverage_target_is_said_plainly(infogap, province):
    folder, sc = province
    sc = json.loads(json.dumps(sc))
    sc.pop("teams")
    sc["optimize"]["new_teams"] = 0   # loudspeakers only: the candidates cannot reach every household
    sc["optimize"]["coverage_target"] = 1.0
    scenario = write_scenario(folder, sc, "target.yaml")
    out = folder / "out_target"
    p = run_cli(infogap, "run", scenario, "-o", out, "--quiet")
    s = load_summary(out)
    o = s["optimizer"]
    assert o["status"] in ("infeasible", "target_unmet") and o["met"] is False
    t = o["shortfall"]["coverage_target"]
    assert t["required"] == 1.0
    assert t["share_after"] <= t["reachable"] + 1e-9 < 1.0
    assert t["share_after"] == pytest.approx(o["after"]["reached_weight"] / s["coverage"]["target_weight"])
    assert f"coverage target 100.0 % of the target weight: {100 * t['share_after']:.1f} % reached, at most " \
           f"{100 * t['reachable']:.1f} % with every candidate" in p.stdout
    html = (out / "report.en.html").read_text(encoding="utf-8")
    assert 'id="unmet"' in html and "Coverage target: 100.0% of the target weight asked" in html
