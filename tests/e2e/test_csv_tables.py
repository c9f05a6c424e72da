"""The CSV tables as planners read them (DESIGN §5, README "outputs"), each checked on a real run
against the GeoPackage read by GDAL as the independent view:

- formula neutralisation: a hamlet named `=HYPERLINK("http://x")` is the text `'=HYPERLINK(...)` in
  hamlet_gaps.csv (a spreadsheet shows it, never runs it) and unchanged in coverage.gpkg;
- rows in rank order (rank 1 first) in hamlet_gaps.csv and every <group>_gaps.csv;
- costs as whole VND (36000000, never 3.6e+07), weights with 2 decimals and rates with 4 in the
  CSV only; the GeoPackage keeps full precision.
"""
import csv
import re
import shutil

import pytest
import yaml
from osgeo import gdal, ogr

from conftest import run_cli

gdal.UseExceptions()
ogr.UseExceptions()

FORMULA = '=HYPERLINK("http://x")'
NEGATIVE = "-3 Ấp Mới"
WEIGHTS = ("target_weight", "gap_weight", "marginal_weight", "cumulative_weight")
RATES = ("gap_rate",)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def gpkg_rows(path, layer, key):
    ds = ogr.Open(str(path))
    lyr = ds.GetLayerByName(layer)
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    return {f.GetField(key): {n: f.GetField(n) for n in names} for f in lyr}


def decimals(text):
    return len(text.partition(".")[2])


@pytest.fixture(scope="module")
def formula_run(infogap, bundled_scenario, tmp_path_factory):
    """The bundled province with two hamlet names a spreadsheet would evaluate; coverage only."""
    work = tmp_path_factory.mktemp("formula")
    src = bundled_scenario.parent
    for name in ("households.csv.gz", "speakers.gpkg", "teams.gpkg"):
        shutil.copy(src / name, work / name)
    gdal.VectorTranslate(str(work / "hamlets.gpkg"), str(src / "hamlets.gpkg"))
    ds = ogr.Open(str(work / "hamlets.gpkg"), update=1)
    lyr = ds.GetLayerByName("hamlets")
    renamed = {}
    for f, new in zip(lyr, (FORMULA, NEGATIVE)):
        renamed[f.GetField("hamlet_id")] = new
    for hid, new in renamed.items():
        lyr.SetAttributeFilter(f"hamlet_id = '{hid}'")
        f = lyr.GetNextFeature()
        f.SetField("name", new)
        lyr.SetFeature(f)
    ds = None
    sc = yaml.safe_load(bundled_scenario.read_text(encoding="utf-8"))
    sc.pop("optimize", None)
    sc["output"]["formats"] = ["gpkg", "csv"]
    for block in ("hamlets", "households", "speakers", "teams"):
        if True in sc[block]:  # YAML 1.1 (PyYAML) reads the key `y` as a boolean
            sc[block]["y"] = sc[block].pop(True)
    (work / "scenario.yaml").write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    out = work / "out"
    run_cli(infogap, "coverage", work / "scenario.yaml", "-o", out, "--quiet")
    return out, renamed


@pytest.mark.e2e
def test_formula_names_are_text_in_the_csv_and_unchanged_in_the_gpkg(formula_run):
    out, renamed = formula_run
    rows = {r["hamlet_id"]: r for r in read_csv(out / "hamlet_gaps.csv")}
    layer = gpkg_rows(out / "coverage.gpkg", "hamlets", "hamlet_id")
    formula_id, negative_id = list(renamed)
    assert layer[formula_id]["name"] == FORMULA
    assert rows[formula_id]["name"] == "'" + FORMULA
    assert layer[negative_id]["name"] == NEGATIVE
    assert rows[negative_id]["name"] == "'" + NEGATIVE
    # no other text cell starts like a formula; numbers are never prefixed
    for r in rows.values():
        for col, text in r.items():
            assert not text.startswith(("=", "+", "@", "\t", "\r")), (r["hamlet_id"], col, text)
            if col not in ("hamlet_id", "name", "commune", "district", "commune_2025", "geometry_source") and text:
                assert re.fullmatch(r"-?\d+(\.\d+)?", text), (r["hamlet_id"], col, text)
    # the raw bytes: the formula cell is quoted (it holds quotes) and starts with the apostrophe
    raw = (out / "hamlet_gaps.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://x"")"' in raw


def check_area_csv(csv_path, gpkg_path, layer, key):
    rows = read_csv(csv_path)
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1)), f"{csv_path.name}: not in rank order"
    ref = gpkg_rows(gpkg_path, layer, key)
    assert {r[key] for r in rows} == set(ref)
    for r in rows:
        g = ref[r[key]]
        assert int(r["rank"]) == g["rank"]
        for col in WEIGHTS + RATES:
            if col not in r:
                continue
            if g[col] is None:
                assert r[col] == "", (csv_path.name, r[key], col)
                continue
            places = 2 if col in WEIGHTS else 4
            assert decimals(r[col]) <= places and "e" not in r[col].lower(), (csv_path.name, r[key], col, r[col])
            assert float(r[col]) == pytest.approx(round(g[col], places), abs=1e-12), (csv_path.name, r[key], col)
        for col in ("households", "target_households", "gap_households", "reached_any"):
            assert int(r[col]) == g[col], (csv_path.name, r[key], col)
    return rows, ref


@pytest.mark.e2e
def test_area_tables_are_in_rank_order_with_rounded_weights_and_rates(bundled_run, bundled_scenario):
    gpkg = bundled_run / "coverage.gpkg"
    rows, ref = check_area_csv(bundled_run / "hamlet_gaps.csv", gpkg, "hamlets", "hamlet_id")
    # the GeoPackage keeps full precision: some gap rate there has more than 4 decimals
    assert any(g["gap_rate"] is not None and g["gap_rate"] != round(g["gap_rate"], 4) for g in ref.values())
    sc = yaml.safe_load(bundled_scenario.read_text(encoding="utf-8"))
    for group in sc["hamlets"]["group_by"]:
        check_area_csv(bundled_run / f"{group}_gaps.csv", gpkg, group, group)


@pytest.mark.e2e
def test_proposed_site_costs_are_whole_vnd(bundled_run):
    rows = read_csv(bundled_run / "proposed_sites.csv")
    assert rows and [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    ref = gpkg_rows(bundled_run / "coverage.gpkg", "proposed_sites", "site_id")
    for r in rows:
        g = ref[r["site_id"]]
        assert re.fullmatch(r"\d+", r["cost_vnd"]), r["cost_vnd"]  # 36000000, not 3.6e+07
        assert int(r["cost_vnd"]) == round(g["cost_vnd"])
        assert int(r["cost_vnd"]) in (36000000, 20000000)  # README defaults: speaker, team
        assert re.fullmatch(r"\d+", r["marginal_households"])
        for col in ("marginal_weight", "cumulative_weight"):
            assert decimals(r[col]) <= 2 and float(r[col]) == pytest.approx(round(g[col], 2), abs=1e-12)
