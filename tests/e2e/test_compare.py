"""`infogap compare` end to end on a small synthetic province (issue 16 items 1–2):

- a run compared with itself: every delta 0, every household unchanged;
- a before/after pair edited as a user would (households dropped, added, statuses rewritten, quieter
  ambient and longer team reach): the change classes equal an independent pandas merge of the two
  runs' household layers, and the accounting identities hold on both sides;
- GDAL's own view of change.gpkg: layer names, fields, values, default styles;
- across the 2025 merger (before grouped by old communes, after by commune_2025) with --units
  after: change_commune_2025.csv equals a pandas groupby of both runs' hamlets mapped through the
  after run's hamlets; the report says whose units are used;
- an output folder that is one of the runs is refused; a scenario file is run first.
"""
import csv
import json
import os
import re
import subprocess
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from osgeo import gdal, ogr

from conftest import ROOT, run_cli
from worlds import read_households, synth_province, write_scenario

ogr.UseExceptions()
gdal.UseExceptions()

pytestmark = pytest.mark.e2e

CLASSES = ["unchanged", "newly_reached", "newly_unreached", "status_changed", "added", "removed"]


def layer_frame(gpkg, layer):
    """A GeoPackage layer's attributes as GDAL reads them."""
    ds = ogr.Open(str(gpkg))
    lyr = ds.GetLayerByName(layer)
    assert lyr is not None, f"{gpkg}: no layer {layer}"
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    rows = [{n: f.GetField(n) for n in names} for f in lyr]
    return pd.DataFrame(rows, columns=names)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def report_data(path):
    html = Path(path).read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="infogap-data">(.*?)</script>', html, re.S)
    assert m, f"{path}: no data block"
    return html, json.loads(m.group(1))


@pytest.fixture(scope="module")
def pair(infogap, tmp_path_factory):
    """Before: the synthetic province grouped by old communes. After: 1 in 40 households gone, 25 new
    ones, 1 in 30 with another status, quieter ambient and longer team reach, grouped by commune_2025."""
    folder = tmp_path_factory.mktemp("compare")
    sc = synth_province(infogap, folder)
    sc.pop("optimize", None)
    sc["output"]["formats"] = ["gpkg", "csv"]
    before = json.loads(json.dumps(sc))
    before["hamlets"]["group_by"] = ["commune", "district"]
    before_yaml = write_scenario(folder, before, "before.yaml")

    fields, rows = read_households(folder, sc)
    status = sc["households"].get("status", "poverty")
    kept = [r for k, r in enumerate(rows) if k % 40 != 7]
    flip = {"poor": "not_poor", "near_poor": "poor", "not_poor": "near_poor"}
    for k, r in enumerate(kept):
        if k % 30 == 3:
            r[status] = flip.get(r[status], r[status])
    for k in range(25):
        new = dict(rows[k * 11])
        new[sc["households"].get("id", "household_id")] = f"new-{k}"
        new[status] = "poor"
        kept.append(new)
    with open(folder / "households_after.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(kept)
    after = json.loads(json.dumps(sc))
    after["households"]["path"] = "households_after.csv"
    after["hamlets"]["group_by"] = ["commune_2025", "district"]
    after.setdefault("acoustics", {})["ambient_dba"] = 40
    after["teams"]["reach_m"] = 3000
    after_yaml = write_scenario(folder, after, "after.yaml")

    run_cli(infogap, "coverage", before_yaml, "-o", folder / "before", "--quiet")
    run_cli(infogap, "coverage", after_yaml, "-o", folder / "after", "--quiet")
    return folder


@pytest.fixture(scope="module")
def change(infogap, pair):
    out = pair / "change"
    p = run_cli(infogap, "compare", pair / "before", pair / "after", "-o", out, "--units", "after")
    (pair / "change.stdout").write_text(p.stdout, encoding="utf-8")
    return out


def test_run_compared_with_itself_gives_zero_deltas(infogap, pair, tmp_path):
    out = tmp_path / "self"
    run_cli(infogap, "compare", pair / "before", pair / "before", "-o", out)
    s = json.loads((out / "summary_change.json").read_text(encoding="utf-8"))
    n = s["totals"]["before"]["households"]
    assert n > 1000
    assert s["households"]["unchanged"] == n
    assert all(s["households"][c] == 0 for c in CLASSES if c != "unchanged")
    assert all(v == 0 for k, v in s["totals"]["delta"].items())
    for layer in ["hamlets", "commune", "district"]:
        df = layer_frame(out / "change.gpkg", layer)
        deltas = [c for c in df.columns if c.endswith("_delta")]
        assert len(deltas) == 7
        assert (df[deltas].fillna(0) == 0).all().all(), layer
    assert set(layer_frame(out / "change.gpkg", "households")["change"]) == {"unchanged"}


def test_change_classes_equal_an_independent_merge_of_the_two_runs(pair, change):
    b = layer_frame(pair / "before" / "coverage.gpkg", "households")
    a = layer_frame(pair / "after" / "coverage.gpkg", "households")
    m = b.merge(a, on="household_id", how="outer", suffixes=("_b", "_a"), indicator=True)
    both = m["_merge"] == "both"
    expected = {
        "added": int((m["_merge"] == "right_only").sum()),
        "removed": int((m["_merge"] == "left_only").sum()),
        "newly_reached": int((both & (m.reached_b == 0) & (m.reached_a == 1)).sum()),
        "newly_unreached": int((both & (m.reached_b == 1) & (m.reached_a == 0)).sum()),
        "status_changed": int((both & (m.reached_b == m.reached_a) & (m.poverty_b != m.poverty_a)).sum()),
        "unchanged": int((both & (m.reached_b == m.reached_a) & (m.poverty_b == m.poverty_a)).sum()),
    }
    assert expected["added"] == 25 and expected["removed"] > 0 and expected["status_changed"] > 0
    assert expected["newly_reached"] > 0
    s = json.loads((change / "summary_change.json").read_text(encoding="utf-8"))
    assert {c: s["households"][c] for c in CLASSES} == expected
    # change.gpkg's households layer, as GDAL reads it, says the same household by household.
    ch = layer_frame(change / "change.gpkg", "households").set_index("household_id")["change"]
    assert len(ch) == len(m)
    assert ch.value_counts().to_dict() == {k: v for k, v in expected.items() if v}
    # The accounting of both sides (summary, report and stdout say it).
    h = s["households"]
    common = h["unchanged"] + h["newly_reached"] + h["newly_unreached"] + h["status_changed"]
    assert h["before"] == len(b) == common + h["removed"]
    assert h["after"] == len(a) == common + h["added"]
    assert h["before_holds"] and h["after_holds"]
    # Totals are each run's own summary.json figures.
    for side in ["before", "after"]:
        run = json.loads((pair / side / "summary.json").read_text(encoding="utf-8"))["coverage"]
        t = s["totals"][side]
        assert t["target_households"] == run["target_households"]
        assert t["reached"] == run["reached_any"]
        assert t["gap_weight"] == pytest.approx(run["gap_weight"], abs=1e-9)
    stdout = (pair / "change.stdout").read_text(encoding="utf-8")
    assert f"households before: {h['before']} = {h['unchanged']} unchanged" in stdout
    assert f"+ {h['added']} added" in stdout


def test_gdal_reads_change_gpkg_layers_fields_and_styles(pair, change):
    ds = gdal.OpenEx(str(change / "change.gpkg"), gdal.OF_VECTOR)
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    assert names[:4] == ["hamlets", "households", "commune_2025", "district"]
    assert "layer_styles" in names
    hamlets = layer_frame(change / "change.gpkg", "hamlets")
    for m in ["households", "target_households", "target_weight", "reached", "gap_households", "gap_weight",
              "gap_rate"]:
        for s in ["before", "after", "delta"]:
            assert f"{m}_{s}" in hamlets.columns
    both = hamlets[hamlets.presence == "both"]
    assert ((both.gap_weight_after - both.gap_weight_before - both.gap_weight_delta).abs() < 1e-9).all()
    # Against the runs' own hamlet layers, hamlet by hamlet.
    hb = layer_frame(pair / "before" / "coverage.gpkg", "hamlets").set_index("hamlet_id")
    ha = layer_frame(pair / "after" / "coverage.gpkg", "hamlets").set_index("hamlet_id")
    h = hamlets.set_index("hamlet_id")
    assert (h.loc[hb.index, "gap_weight_before"] - hb.gap_weight).abs().max() < 1e-9
    assert (h.loc[ha.index, "reached_after"] == ha.reached_any).all()
    lyr = ds.GetLayerByName("hamlets")
    assert lyr.GetSpatialRef().GetAuthorityCode(None) == "32648"
    styles = layer_frame(change / "change.gpkg", "layer_styles").set_index("f_table_name")
    assert "gap_weight_delta" in styles.loc["hamlets", "styleQML"]
    assert 'attr="change"' in styles.loc["households", "styleQML"]
    qml = (change / "change_hamlets.qml").read_text(encoding="utf-8")
    assert "26,150,65,255" in qml and "215,25,28,255" in qml  # improved green, worsened red (#1a9641, #d7191c)
    assert 'lower="-1e-09" upper="1e-09"' in qml  # centred on 0: no change is its own class
    assert (change / "change_households.qml").exists()


def test_units_after_across_the_merger_match_a_pandas_groupby(pair, change):
    hb = layer_frame(pair / "before" / "coverage.gpkg", "hamlets")
    ha = layer_frame(pair / "after" / "coverage.gpkg", "hamlets")
    assert "commune_2025" not in hb.columns  # the before run knows only the old communes
    mapping = ha[["hamlet_id", "commune_2025"]]
    before = hb.merge(mapping, on="hamlet_id", how="inner").groupby("commune_2025")[
        ["target_households", "gap_weight"]].sum()
    after = ha.groupby("commune_2025")[["target_households", "gap_weight"]].sum()
    rows = {r["commune_2025"]: r for r in read_csv(change / "change_commune_2025.csv")}
    assert set(rows) == set(after.index)
    for unit in after.index:
        r = rows[unit]
        assert int(r["target_households_before"]) == before.loc[unit, "target_households"]
        assert int(r["target_households_after"]) == after.loc[unit, "target_households"]
        assert float(r["gap_weight_before"]) == pytest.approx(before.loc[unit, "gap_weight"], abs=0.005)
        assert float(r["gap_weight_after"]) == pytest.approx(after.loc[unit, "gap_weight"], abs=0.005)
    s = json.loads((change / "summary_change.json").read_text(encoding="utf-8"))
    assert s["units"] == "after" and s["groupings"] == ["commune_2025", "district"]
    assert s["unmapped_hamlets"] == {}
    html, data = report_data(change / "report_change.en.html")
    units = re.search(r'<p class="units" id="units">(.*?)</p>', html, re.S)
    assert units and unescape(units.group(1)) == data["strings"]["change_units_after"]
    assert "Before:" in html and "After:" in html
    assert len(data["hamlets"]["features"]) == len(ha)
    vi, _ = report_data(change / "report_change.vi.html")
    assert "lần chạy SAU" in re.search(r'<p class="units" id="units">(.*?)</p>', vi, re.S).group(1)


def test_without_units_groupings_of_one_side_are_named_not_guessed(infogap, pair, tmp_path):
    out = tmp_path / "own"
    p = run_cli(infogap, "compare", pair / "before", pair / "after", "-o", out)
    s = json.loads((out / "summary_change.json").read_text(encoding="utf-8"))
    assert s["groupings"] == ["district"]
    assert s["groupings_skipped"] == ["commune_2025 (after only)", "commune (before only)"]
    assert "not compared: grouping commune_2025 (after only)" in p.stdout
    assert not (out / "change_commune.csv").exists()


def test_output_folder_of_a_run_is_refused_and_a_scenario_is_run_first(infogap, pair, tmp_path):
    p = run_cli(infogap, "compare", pair / "before", pair / "after", "-o", pair / "after", check=False)
    assert p.returncode == 1 and "compared runs' folders" in p.stderr
    assert (pair / "after" / "coverage.gpkg").exists()
    out = tmp_path / "scenario"
    run_cli(infogap, "compare", pair / "before", pair / "before.yaml", "-o", out)
    s = json.loads((out / "summary_change.json").read_text(encoding="utf-8"))
    assert s["households"]["unchanged"] == s["households"]["before"]  # the same scenario, run again


def readme_walkthrough():
    """The bash block of the README's "Progress between two runs" walkthrough."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("**Progress between two runs.**")
    block = re.search(r"```bash\n(.*?)```", text[start:], re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


@pytest.mark.slow
def test_readme_walkthrough_progress_between_two_runs(infogap, tmp_path):
    commands = readme_walkthrough()
    assert commands[0].startswith("build/bin/infogap coverage") and commands[1].startswith("build/bin/infogap compare")
    for line in commands:
        if line.startswith("xdg-open"):
            assert (tmp_path / line.split()[1]).exists()
            continue
        args = [a.replace("data/", str(ROOT / "data") + "/", 1) if a.startswith("data/") else a
                for a in line.split()[1:]]
        p = subprocess.run([str(infogap), *args], cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, f"{line}\n{p.stdout}\n{p.stderr}"
    out = tmp_path / "tien_do"
    s = json.loads((out / "summary_change.json").read_text(encoding="utf-8"))
    assert s["units"] == "after" and s["groupings"] == ["commune_2025"] and s["unmapped_hamlets"] == {}
    h = s["households"]
    assert h["before_holds"] and h["after_holds"] and h["before"] == h["after"] == h["matched"]
    # A longer team reach reaches more, but moves some capacity: teams serve the neediest first, so a few
    # households served before lose their place to needier ones now in range.
    assert h["newly_reached"] > h["newly_unreached"] > 0
    assert s["totals"]["delta"]["gap_weight"] < 0
    for f in ["change.gpkg", "change_commune_2025.csv", "change_hamlets.csv", "report_change.vi.html",
              "report_change.en.html", "change_hamlets.qml", "change_households.qml"]:
        assert (out / f).exists(), f
    # The README's Python line gives the same units table as the CSV.
    code = ("import infogap, json\n"
            f"cmp = infogap.compare({str(tmp_path / 'nam_2024')!r}, {str(ROOT / 'data/bac_lieu/scenario_2025.yaml')!r},"
            " units='after')\n"
            "g = cmp.groups['commune_2025']\n"
            "print(json.dumps({'units': cmp.units, 'files': len(cmp.files),"
            " 'gap': dict(zip(g['commune_2025'], g['gap_weight_delta'].round(2)))}))\n")
    env = dict(os.environ, PYTHONPATH=str(Path(infogap).resolve().parents[1] / "python"))
    p = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stderr
    py = json.loads(p.stdout)
    assert py["units"] == "after" and py["files"] == 0  # nothing written without output_dir
    rows = {r["commune_2025"]: float(r["gap_weight_delta"]) for r in read_csv(out / "change_commune_2025.csv")}
    assert py["gap"] == pytest.approx(rows, abs=0.006)
