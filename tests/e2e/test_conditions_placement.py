"""Placement that holds and listening conditions, end to end through the CLI on a small synthetic
province (issue 16 items 3-4):

- the figures after placement are coverage recomputed with the proposed sites in place: adding the
  proposed sites to the speakers and teams input layers and rerunning coverage gives the same
  figures, exactly (the optimizer's claim stays beside them in summary.json);
- `acoustics.conditions` adds a reach flag per condition and a weighted share to the households,
  gaps per condition and expected to the gap tables and summary, a band per condition to
  speech_level.tif; without the block the outputs are byte-identical to a run that never heard of
  conditions (an empty list).
"""
import copy
import csv
import filecmp
import re
import shutil
from pathlib import Path

import pytest
import yaml
from osgeo import gdal, ogr

from conftest import load_summary, run_cli
from worlds import synth_province, write_scenario

ogr.UseExceptions()
gdal.UseExceptions()

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def province(infogap, tmp_path_factory):
    folder = tmp_path_factory.mktemp("conditions")
    sc = synth_province(infogap, folder, households=20000)  # dense enough that a pole's reach matters
    sc["output"]["formats"] = ["gpkg", "csv", "tif", "html", "qgis"]
    # Teams that cannot serve everyone: loudspeakers (and new teams) then matter.
    sc["teams"]["households_per_member"] = 1
    sc["teams"]["reach_m"] = 300
    return folder, sc


def layer_rows(gpkg, layer, key):
    ds = ogr.Open(str(gpkg))
    lyr = ds.GetLayerByName(layer)
    rows = {}
    for f in lyr:
        rows[f.GetField(key)] = {lyr.GetLayerDefn().GetFieldDefn(i).GetName(): f.GetField(i)
                                 for i in range(f.GetFieldCount())}
    return rows


def append_points(src, dst, layer, rows):
    """Copies the GeoPackage src to dst and appends rows (x, y, {field: value}) to its layer, in the
    layer's own CRS (the synthetic inputs are in the working CRS, so coordinates pass unchanged)."""
    shutil.copyfile(src, dst)
    ds = ogr.Open(str(dst), 1)
    lyr = ds.GetLayerByName(layer)
    for x, y, values in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in values.items():
            f.SetField(k, v)
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(x, y)
        f.SetGeometry(g)
        lyr.CreateFeature(f)
    ds = None


def plan_and_rerun(infogap, folder, sc, new_speakers, new_teams, name):
    """Plans with the scenario, adds the proposed sites to copies of its speakers and teams layers
    (the new-site templates) and reruns coverage: (plan folder, its summary, the proposed sites,
    rerun folder)."""
    sc = copy.deepcopy(sc)
    sc["optimize"]["new_speakers"] = new_speakers
    sc["optimize"]["new_teams"] = new_teams
    plan = folder / f"{name}_plan"
    run_cli(infogap, "optimize", write_scenario(folder, sc, f"{name}_plan.yaml"), "-o", plan, "--quiet")
    s = load_summary(plan)
    o, p = s["optimizer"], s["parameters"]
    assert o["sites"] > 0
    sites = layer_rows(plan / "coverage.gpkg", "proposed_sites", "site_id")
    ds = ogr.Open(str(plan / "coverage.gpkg"))
    xy = {f.GetField("site_id"): (f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY())
          for f in ds.GetLayerByName("proposed_sites")}
    tpl = p["optimize"]["speaker_template"]
    speakers = [(*xy[i], {sc["speakers"]["id"]: i, "power_w": tpl["power_w"], "sensitivity_db": tpl["sensitivity_db"],
                          "height_m": tpl["height_m"]})
                for i, r in sites.items() if r["kind"] == "speaker"]
    teams = [(*xy[i], {sc["teams"]["id"]: i, sc["teams"]["members"]: p["optimize"]["team_template"]["members"]})
             for i, r in sites.items() if r["kind"] == "team"]
    assert len(speakers) <= new_speakers and len(teams) <= new_teams
    append_points(folder / sc["speakers"]["path"], folder / f"{name}_speakers.gpkg",
                  sc["speakers"].get("layer", "speakers"), speakers)
    append_points(folder / sc["teams"]["path"], folder / f"{name}_teams.gpkg", sc["teams"].get("layer", "teams"), teams)
    again = copy.deepcopy(sc)
    again["speakers"]["path"] = f"{name}_speakers.gpkg"
    again["teams"]["path"] = f"{name}_teams.gpkg"
    out = folder / f"{name}_again"
    run_cli(infogap, "coverage", write_scenario(folder, again, f"{name}_again.yaml"), "-o", out, "--quiet")
    return plan, s, sites, out


def bundled_copy(bundled_scenario, tmp_path):
    """A copy of the bundled province in tmp_path/bundled and its scenario (GeoPackage and CSV
    outputs): (folder, scenario dict)."""
    folder = tmp_path / "bundled"
    shutil.copytree(bundled_scenario.parent, folder)
    sc = yaml.safe_load(bundled_scenario.read_text(encoding="utf-8"))
    sc["output"]["formats"] = ["gpkg", "csv"]
    return folder, sc


def readme_text():
    return (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def readme_teams_only_figures():
    """The README's teams-only figures: {new teams: (claimed, found)}."""
    text = readme_text()
    m = re.search(r"\(bundled, (\d+) new teams: ([\d.]+) both\), or less where a waiting household is served "
                  r"only after others\s+move between existing teams \((\d+) new teams: ([\d.]+) claimed, ([\d.]+) "
                  r"found\)", text)
    assert m, "README: the teams-only sentence"
    return {int(m[1]): (float(m[2]), float(m[2])), int(m[3]): (float(m[4]), float(m[5]))}


@pytest.mark.slow
@pytest.mark.parametrize("teams", [5, 15])
def test_a_teams_only_plan_claims_what_coverage_recomputes(infogap, bundled_scenario, tmp_path, teams):
    # The bundled province's teams have waiting lists. The optimizer holds those teams (always
    # there, with the households they serve that a candidate reaches) under coverage's team rule:
    # with no loudspeaker in the plan (no echo) it never claims more than the recomputation, and
    # the same unless a waiting household is served only after others move between existing teams.
    folder, sc = bundled_copy(bundled_scenario, tmp_path)
    plan, s, sites, out = plan_and_rerun(infogap, folder, sc, 0, teams, "teams")
    o = s["optimizer"]
    a = o["after"]
    assert {r["kind"] for r in sites.values()} == {"team"}
    assert o["status"] == "optimal"
    assert o["existing_teams"] > 0
    c = load_summary(out)["coverage"]
    assert c["reached_weight"] - s["coverage"]["reached_weight"] == a["gap_weight_closed"]
    assert a["claimed_gap_weight_closed"] <= a["gap_weight_closed"] + 1e-9
    assert (a["claimed_gap_weight_closed"], a["gap_weight_closed"]) == readme_teams_only_figures()[teams]
    if teams == 5:
        assert a["claimed_reached_households"] == a["reached_households"] == c["reached_any"]
    # households that waited for an existing team are served once new teams take some of theirs
    # over: claimed, and found by the recomputation
    assert a["changes"]["existing_teams"]["weight"] > 0


def test_proposed_sites_added_to_the_inputs_give_the_figures_after_placement(infogap, province):
    folder, sc = province
    plan, s, sites, out = plan_and_rerun(infogap, folder, sc, 4, 3, "both")
    o = s["optimizer"]
    assert {r["kind"] for r in sites.values()} == {"speaker", "team"}, "the case needs both kinds"
    c = load_summary(out)["coverage"]
    a = o["after"]
    # Exactly: the same households, equipment and rules in the same order.
    assert c["reached_weight"] == a["reached_weight"]
    assert c["reached_any"] == a["reached_households"]
    assert c["reached_weight"] - s["coverage"]["reached_weight"] == a["gap_weight_closed"]
    before = layer_rows(plan / "coverage.gpkg", "hamlets", "hamlet_id")
    after = layer_rows(out / "coverage.gpkg", "hamlets", "hamlet_id")
    assert before.keys() == after.keys()
    for h, r in before.items():
        assert r["gap_weight_after"] == after[h]["gap_weight"], h
        assert r["gap_households_after"] == after[h]["gap_households"], h
    # The claim stays beside it, and is the optimizer's objective.
    assert a["claimed_gap_weight_closed"] == pytest.approx(o["objective"], rel=1e-9)
    # The recomputation channel by channel, counted here from the two runs' households layers: the
    # plan's (coverage before placement) against the rerun's (after), a team_id of a proposed team
    # telling new teams from existing ones.
    hb = layer_rows(plan / "coverage.gpkg", "households", "household_id")
    ha = layer_rows(out / "coverage.gpkg", "households", "household_id")
    assert hb.keys() == ha.keys()
    new_teams = {i for i, r in sites.items() if r["kind"] == "team"}
    mine = {k: [0, 0.0] for k in a["changes"]}

    def count(k, r):
        mine[k][0] += 1
        mine[k][1] += r["weight"]
    for hid, b in hb.items():
        f = ha[hid]
        if not b["weight"] > 0:
            continue
        if not b["reached"]:
            if f["reached_speaker"]:
                count("heard", b)
            elif f["reached_team"]:
                count("new_teams" if f["team_id"] in new_teams else "existing_teams", b)
        elif b["reached_speaker"] and not f["reached_speaker"]:
            count("moved_to_teams" if f["reached_team"] else "lost_to_echo", b)
        elif not b["reached_speaker"] and not f["reached"]:
            count("left_by_teams", b)
    assert {k: (v["households"], v["weight"]) for k, v in a["changes"].items()} == \
        {k: (n, pytest.approx(w, abs=1e-9)) for k, (n, w) in mine.items()}
    ch = {k: v["weight"] for k, v in a["changes"].items()}
    assert a["gap_weight_closed"] == pytest.approx(
        ch["heard"] + ch["new_teams"] + ch["existing_teams"] - ch["lost_to_echo"] - ch["left_by_teams"], abs=1e-9)
    assert ch["heard"] > 0 and ch["new_teams"] > 0


def readme_conditions_block():
    """The YAML of the README walkthrough "Heard at the noon market?"."""
    text = readme_text()
    start = text.index("**Heard at the noon market?**")
    block = text[text.index("```yaml\n", start) + len("```yaml\n"):]
    import yaml
    return yaml.safe_load(block[:block.index("```")])


def csv_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def with_and_without(infogap, province):
    """The province run without conditions, and with the README walkthrough's conditions."""
    folder, sc = province
    plain = folder / "plain"
    run_cli(infogap, "run", write_scenario(folder, sc, "plain.yaml"), "-o", plain, "--quiet")
    walk = readme_conditions_block()
    cond = copy.deepcopy(sc)
    cond.setdefault("acoustics", {}).update(walk["acoustics"])
    cond.setdefault("optimize", {}).update(walk["optimize"])
    out = folder / "noon"
    run_cli(infogap, "run", write_scenario(folder, cond, "noon.yaml"), "-o", out, "--quiet")
    return plain, out, walk["acoustics"]["conditions"]


def objective_weight_of(households, names, objective):
    """The reached target weight in the objective's terms, from a households layer: expected
    (weight × reached_share) or worst_case (weight reached under every condition)."""
    rows = [r for r in households.values() if (r["weight"] or 0) > 0]
    if objective == "expected":
        return sum(r["weight"] * r["reached_share"] for r in rows)
    return sum(r["weight"] for r in rows if all(r[f"reached_{n}"] for n in names))


@pytest.mark.parametrize("objective", ["expected", "worst_case"])
def test_the_objective_before_and_after_placement_is_what_the_households_give(infogap, province, objective):
    # summary optimizer.before/after.objective_reached_weight against the households layers: the
    # plan's own (before) and that of coverage rerun with the proposed sites in the inputs (after).
    folder, sc = province
    walk = readme_conditions_block()
    cond = copy.deepcopy(sc)
    cond.setdefault("acoustics", {}).update(walk["acoustics"])
    cond["optimize"]["objective"] = objective
    plan, s, sites, out = plan_and_rerun(infogap, folder, cond, 4, 2, f"objective_{objective}")
    assert any(r["kind"] == "speaker" for r in sites.values())
    names = [c["name"] for c in walk["acoustics"]["conditions"]]
    o = s["optimizer"]
    before = objective_weight_of(layer_rows(plan / "coverage.gpkg", "households", "household_id"), names, objective)
    after = objective_weight_of(layer_rows(out / "coverage.gpkg", "households", "household_id"), names, objective)
    assert 0 < before < after
    assert o["before"]["objective_reached_weight"] == pytest.approx(before, rel=1e-9)
    assert o["after"]["objective_reached_weight"] == pytest.approx(after, rel=1e-9)
    assert o["after"]["objective_gap_weight_closed"] == pytest.approx(after - before, rel=1e-9)


def test_readme_walkthrough_conditions_give_flags_gaps_and_bands(with_and_without):
    plain, out, conditions = with_and_without
    names = [c["name"] for c in conditions]
    assert names == ["morning", "market", "indoors"]
    weights = [c.get("weight", 1) for c in conditions]
    shares = [w / sum(weights) for w in weights]
    hh = layer_rows(out / "coverage.gpkg", "households", "household_id")
    assert hh, "no households"
    gap = [0.0] * 3
    for r in hh.values():
        flags = [r[f"reached_{n}"] for n in names]
        assert r["reached_share"] == pytest.approx(sum(s for s, f in zip(shares, flags) if f), abs=1e-12)
        for k, f in enumerate(flags):
            if r["weight"] > 0 and not f:
                gap[k] += r["weight"]
            if r["reached_team"]:
                assert f, "a team reaches under every condition"
    s = load_summary(out)["coverage"]
    assert [c["name"] for c in s["conditions"]] == names
    for k, c in enumerate(s["conditions"]):
        assert c["gap_weight"] == pytest.approx(gap[k], rel=1e-9)
        assert c["share"] == pytest.approx(shares[k])
    assert s["expected_gap_weight"] == pytest.approx(sum(sh * g for sh, g in zip(shares, gap)), rel=1e-9)
    # quiet morning < reference < market; indoors loses to the facade
    assert gap[0] < s["gap_weight"] < gap[1] and s["gap_weight"] < gap[2]
    rows = csv_rows(out / "hamlet_gaps.csv")
    for n in names:
        assert f"gap_weight_{n}" in rows[0] and f"gap_households_{n}" in rows[0]
    assert sum(float(r["gap_weight_market"]) for r in rows) == pytest.approx(gap[1], abs=0.01 * len(rows))
    assert sum(float(r["expected_gap_weight"]) for r in rows) == pytest.approx(s["expected_gap_weight"],
                                                                             abs=0.01 * len(rows))
    ds = gdal.Open(str(out / "speech_level.tif"))
    assert ds.RasterCount == 1 + len(names)
    assert [ds.GetRasterBand(b + 2).GetDescription() for b in range(len(names))] == names
    base = ds.GetRasterBand(1).ReadAsArray()
    indoors = ds.GetRasterBand(4).ReadAsArray()
    loud = base > 70  # well above every floor: the indoors band is 10 dB lower there
    assert loud.any()
    assert abs(float((base[loud] - indoors[loud]).mean()) - 10.0) < 0.05
    html = (out / "report.en.html").read_text(encoding="utf-8")
    assert "Listening conditions" in html and "conditions-table" in html
    for n in names:
        assert f"<td data-sort=\"{n}\">{n}</td>" in html
    assert "Điều kiện nghe" in (out / "report.vi.html").read_text(encoding="utf-8")
    assert "conditions-table" not in (plain / "report.en.html").read_text(encoding="utf-8")
    o = load_summary(out)["optimizer"]
    assert o["objective_kind"] == "expected"
    assert o["after"]["claimed_gap_weight_closed"] == pytest.approx(o["objective"], rel=1e-9)


def test_without_the_block_the_reference_outputs_do_not_change(with_and_without):
    """The run's reference figures are the same with or without conditions, and a run without the
    block has no condition column, band or key. Only which team serves a household may differ: under
    conditions the team rule serves by the gain in the objective's terms (DESIGN §4), so a team's
    spare places can go to other households than the reference rule gives them to; here a few,
    reached either way."""
    plain, out, conditions = with_and_without
    for tif in ("speakers_audible.tif", "team_distance.tif", "gap_density.tif"):
        assert filecmp.cmp(plain / tif, out / tif, shallow=False), tif
    a, b = gdal.Open(str(plain / "speech_level.tif")), gdal.Open(str(out / "speech_level.tif"))
    assert a.RasterCount == 1
    assert (a.GetRasterBand(1).ReadAsArray() == b.GetRasterBand(1).ReadAsArray()).all()
    for name in ["hamlet_gaps.csv"] + [p.name for p in plain.glob("*_gaps.csv")]:
        ra, rb = csv_rows(plain / name), csv_rows(out / name)
        assert not any(k.startswith("gap_weight_") and k != "gap_weight_after" or k == "expected_gap_weight"
                       for k in ra[0]), name
        assert [{k: r[k] for k in ra[0] if not k.endswith("_after")} for r in ra] == \
               [{k: r[k] for k in ra[0] if not k.endswith("_after")} for r in rb], name
    ha = layer_rows(plain / "coverage.gpkg", "households", "household_id")
    hb = layer_rows(out / "coverage.gpkg", "households", "household_id")
    one = next(iter(ha.values()))
    assert "reached_share" not in one and not any(k.startswith("reached_") and k not in
                                                   ("reached_speaker", "reached_team") for k in one)
    team_keys = ("team_id", "reached_team")
    assert all({k: hb[i][k] for k in r if k not in team_keys} == {k: v for k, v in r.items() if k not in team_keys}
               for i, r in ha.items())
    moved = [i for i, r in ha.items() if hb[i]["team_id"] != r["team_id"]]
    assert len(moved) <= 0.001 * len(ha)
    assert all(ha[i]["reached"] == 1 and hb[i]["reached"] == 1 for i in moved)
    s = load_summary(plain)
    assert "conditions" not in s["coverage"] and s["parameters"]["acoustics"]["conditions"] == []
    assert "objective_kind" not in s["optimizer"]


def test_qgis_project_draws_the_gap_under_each_condition(with_and_without):
    """infogap.qgs holds the hamlets once more per condition (and for the expected value), each
    classed on that gap over the target weight; the columns the styles name are in the GeoPackage."""
    import xml.etree.ElementTree as ET
    plain, out, conditions = with_and_without
    names = [c["name"] for c in conditions]
    root = ET.parse(out / "infogap.qgs").getroot()
    attrs = {}
    for ml in root.iter("maplayer"):
        source = ml.findtext("datasource") or ""
        renderer = ml.find(".//renderer-v2")
        if "layername=hamlets" in source and renderer is not None and renderer.get("type") == "graduatedSymbol":
            attrs[ml.findtext("layername")] = renderer.get("attr")
    for n in names:
        title = next(t for t in attrs if t.endswith(" " + n))
        assert f'"gap_weight_{n}" / "target_weight"' in attrs[title], attrs[title]
    assert any('"expected_gap_weight" / "target_weight"' in a for a in attrs.values()), attrs
    ds = ogr.Open(str(out / "coverage.gpkg"))  # kept: the layer lives as long as its dataset
    fields = {f.GetName() for f in ds.GetLayerByName("hamlets").schema}
    assert {"target_weight", "expected_gap_weight"} | {f"gap_weight_{n}" for n in names} <= fields
    plain_root = ET.parse(plain / "infogap.qgs").getroot()
    assert not any("gap_weight_" in (r.get("attr") or "") for r in plain_root.iter("renderer-v2"))


def test_qgis_project_draws_the_households_share_of_conditions_reached(with_and_without):
    """With conditions infogap.qgs holds the households once more, graduated on reached_share from
    0 (no condition) to 1 (every condition); the column is in the GeoPackage. Without, no layer does."""
    import xml.etree.ElementTree as ET
    plain, out, conditions = with_and_without
    renderers = []
    for ml in ET.parse(out / "infogap.qgs").getroot().iter("maplayer"):
        renderer = ml.find(".//renderer-v2")
        if "layername=households" in (ml.findtext("datasource") or "") and renderer is not None:
            renderers.append(renderer)
    graduated = [r for r in renderers if r.get("type") == "graduatedSymbol"]
    assert len(graduated) == 1 and graduated[0].get("attr") == "reached_share", [r.attrib for r in renderers]
    ranges = [(float(r.get("lower")), float(r.get("upper"))) for r in graduated[0].iter("range")]
    assert ranges[0] == (0.0, 0.0) and ranges[-1][0] <= 1.0 <= ranges[-1][1]
    ds = ogr.Open(str(out / "coverage.gpkg"))
    lyr = ds.GetLayerByName("households")
    shares = [f.GetField("reached_share") for f in lyr]
    assert shares and all(0.0 <= v <= 1.0 + 1e-9 for v in shares)
    assert any(v == 0.0 for v in shares) and any(abs(v - 1.0) < 1e-9 for v in shares)
    plain_root = ET.parse(plain / "infogap.qgs").getroot()
    assert not any(r.get("attr") == "reached_share" for r in plain_root.iter("renderer-v2"))


def readme_echo_round_figures():
    """The README's echo figures of the bundled 20 + 5: rounds, then (claimed, found) with those
    rounds, with the default single round, and with the echoes left out."""
    text = readme_text()
    m = re.search(r"with `echo_rounds: (\d+)` under `optimize:`.*?the plan then\s+claims ([\d.]+) and the\s+recomputation\s+"
                  r"finds ([\d.]+)\s+\(with the default single round:\s+([\d.]+)\s+claimed,\s+([\d.]+) found\).*?"
                  r"`echo_rounds: 0` leaves the echoes out: the plan claims ([\d.]+) and finds\s+([\d.]+)\.", text, re.S)
    assert m, "README: the echo-rounds sentences"
    return int(m[1]), (float(m[2]), float(m[3])), (float(m[4]), float(m[5])), (float(m[6]), float(m[7]))


@pytest.mark.slow
def test_echo_rounds_bring_the_claim_down_to_the_recomputation(infogap, bundled_scenario, tmp_path):
    # A solve counts each new pole alone against the existing sound: its echoes on the existing
    # poles' listeners, and on each other's, are not in its model. By default the proposal is then
    # heard with coverage's own U50 and valued again with what its poles do: the claim comes down
    # to the recomputation (not above it). Echo rounds solve again with what was heard, planning
    # around the echoes; echo_rounds 0 leaves them out, and the claim is above what is found.
    folder, sc = bundled_copy(bundled_scenario, tmp_path)
    rounds, with_rounds, default, left_out = readme_echo_round_figures()
    sc["optimize"]["echo_rounds"] = rounds
    sc["optimize"]["time_limit_s"] = 600  # CBC proves each round in seconds, even on a slow machine
    plan, s, sites, out = plan_and_rerun(infogap, folder, sc, 20, 5, "echo")
    o = s["optimizer"]
    a = o["after"]
    e = o["echoes"]
    assert e["rounds"] == rounds and e["held_rows"] > 0 and not e["settled"]
    assert s["parameters"]["optimize"]["echo_rounds"] == rounds
    c = load_summary(out)["coverage"]
    assert c["reached_weight"] - s["coverage"]["reached_weight"] == a["gap_weight_closed"]
    assert a["claimed_gap_weight_closed"] <= a["gap_weight_closed"]
    assert (a["claimed_gap_weight_closed"], a["gap_weight_closed"]) == with_rounds
    assert o["objective"] == a["claimed_gap_weight_closed"]  # the valuation's figure is the claim
    assert o["objective"] <= e["model_objective"] <= o["bound"]
    figures = {}
    for name, n in (("default", None), ("left_out", 0)):
        if n is None:
            sc["optimize"].pop("echo_rounds")
        else:
            sc["optimize"]["echo_rounds"] = n
        run_cli(infogap, "optimize", write_scenario(folder, sc, f"{name}.yaml"), "-o", folder / name, "--quiet")
        b = load_summary(folder / name)["optimizer"]
        figures[name] = (b["after"]["claimed_gap_weight_closed"], b["after"]["gap_weight_closed"])
        assert b["objective"] == b["after"]["claimed_gap_weight_closed"]
        if n is None:
            assert b["echoes"]["rounds"] == 1 and b["echoes"]["model_objective"] > b["objective"]
        else:
            assert b["echoes"] == {"rounds": 0, "held_rows": 0, "settled": True,
                                   "model_objective": b["objective"], "model_gap": b["gap"]}
    assert (figures["default"], figures["left_out"]) == (default, left_out)
    assert default[0] <= default[1] and left_out[0] > left_out[1]
    assert abs(default[0] - default[1]) < abs(left_out[0] - left_out[1])


def readme_coverage_target_figures():
    """The README's coverage-target echo figures of the bundled province: the target, then (sites,
    recomputed share %) by default and with the echoes left out."""
    text = readme_text()
    m = re.search(r"`coverage_target: ([\d.]+)`.*?by default\s+(\d+)\s+sites,\s+recomputed\s+([\d.]+)\s*%.*?"
                  r"`echo_rounds: 0`\s+it\s+proposes\s+(\d+),\s+whose\s+recomputation\s+reaches\s+([\d.]+)\s*%", text, re.S)
    assert m, "README: the coverage-target echo sentence"
    return float(m[1]), (int(m[2]), float(m[3])), (int(m[4]), float(m[5]))


@pytest.mark.slow
def test_a_coverage_target_met_is_met_by_the_recomputation(infogap, bundled_scenario, tmp_path):
    # Fewest sites reaching a share of the target weight: the proposal's echoes can take it below
    # the target its round met. By default the rounds go on until the proposal valued with its
    # echoes meets it, and the recomputation (the proposed sites added to the inputs) meets it too.
    # With the echoes left out the model claims the target met; whether it is met is judged on the
    # recomputation, which falls short: status target_unmet, said with the recomputed share.
    folder, sc = bundled_copy(bundled_scenario, tmp_path)
    target, default, left_out = readme_coverage_target_figures()
    sc["optimize"]["coverage_target"] = target
    sc["optimize"]["time_limit_s"] = 600
    plan, s, sites, out = plan_and_rerun(infogap, folder, sc, 20, 20, "target")
    o = s["optimizer"]
    c = load_summary(out)["coverage"]
    share = c["reached_weight"] / c["target_weight"]
    assert c["reached_weight"] == o["after"]["reached_weight"]
    assert o["mode"] == "coverage_target" and o["met"] is True and "shortfall" not in o
    assert share >= target
    assert o["echoes"]["rounds"] >= 1
    assert (len(sites), round(100 * share, 2)) == default
    sc["optimize"]["echo_rounds"] = 0
    plan, s, sites, out = plan_and_rerun(infogap, folder, sc, 20, 20, "target0")
    o = s["optimizer"]
    c = load_summary(out)["coverage"]
    share = c["reached_weight"] / c["target_weight"]
    assert o["after"]["claimed_reached_weight"] >= target * c["target_weight"]  # the model met it
    assert share < target and o["met"] is False and o["status"] == "target_unmet"
    assert o["shortfall"]["coverage_target"]["share_after"] == pytest.approx(share)
    assert f"reaches {100 * share:.2f} % of the target weight, short of the coverage target" in o["message"]
    assert (len(sites), round(100 * share, 2)) == left_out


@pytest.mark.slow
def test_under_conditions_the_readme_says_the_claim_and_the_recomputation(infogap, bundled_scenario, tmp_path):
    # Under conditions the optimizer hears its poles' echoes per condition and models the existing
    # teams: the README says what it claims and what coverage finds on the bundled province, for
    # each objective; the claim is not above the recomputation, and under worst_case it is it.
    m = re.search(r"`expected` claims ([\d.]+) where coverage\s+finds ([\d.]+) in the objective's terms, and\s+"
                  r"`worst_case` claims ([\d.]+) where coverage finds ([\d.]+)", readme_text())
    assert m, "README: the conditions claim sentence"
    said = {"expected": (float(m[1]), float(m[2])), "worst_case": (float(m[3]), float(m[4]))}
    assert said["worst_case"][0] == said["worst_case"][1]
    folder, sc = bundled_copy(bundled_scenario, tmp_path)
    walk = readme_conditions_block()
    sc["output"]["formats"] = ["csv"]
    sc.setdefault("acoustics", {}).update(walk["acoustics"])
    for objective in said:
        sc["optimize"]["objective"] = objective
        out = folder / objective
        run_cli(infogap, "optimize", write_scenario(folder, sc, f"{objective}.yaml"), "-o", out, "--quiet")
        o = load_summary(out)["optimizer"]
        a = o["after"]
        claim, found = a["claimed_gap_weight_closed"], a["objective_gap_weight_closed"]
        assert (round(claim, 1), round(found, 1)) == said[objective]
        assert claim <= found + 1e-9
        # teams serve whole households in the model too (CoverageProblem::together): what is left
        # below is small (12 % before they did, with a plan 4 % worse)
        assert claim >= 0.97 * found
        assert o["objective"] == pytest.approx(claim)
        assert o["echoes"]["rounds"] >= 1 and o["echoes"]["held_rows"] > 0  # the echoes are heard
        assert o["existing_teams"] > 0
