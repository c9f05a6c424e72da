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
import json
import shutil
from pathlib import Path

import pytest
from osgeo import gdal, ogr

from conftest import load_summary, run_cli
from worlds import synth_province, write_scenario

ogr.UseExceptions()
gdal.UseExceptions()

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def province(infogap, tmp_path_factory):
    folder = tmp_path_factory.mktemp("conditions")
    sc = synth_province(infogap, folder)
    sc["output"]["formats"] = ["gpkg", "csv", "tif"]
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


def test_proposed_sites_added_to_the_inputs_give_the_figures_after_placement(infogap, province):
    folder, sc = province
    sc = copy.deepcopy(sc)
    sc["optimize"]["new_speakers"] = 4
    sc["optimize"]["new_teams"] = 3
    plan = folder / "plan"
    run_cli(infogap, "optimize", write_scenario(folder, sc, "plan.yaml"), "-o", plan, "--quiet")
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
    assert speakers and teams, "the case needs both kinds"
    append_points(folder / sc["speakers"]["path"], folder / "speakers_plus.gpkg", sc["speakers"].get("layer", "speakers"),
                  speakers)
    append_points(folder / sc["teams"]["path"], folder / "teams_plus.gpkg", sc["teams"].get("layer", "teams"), teams)
    again = copy.deepcopy(sc)
    again["speakers"]["path"] = "speakers_plus.gpkg"
    again["teams"]["path"] = "teams_plus.gpkg"
    out = folder / "again"
    run_cli(infogap, "coverage", write_scenario(folder, again, "again.yaml"), "-o", out, "--quiet")
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
