"""`infogap run` end to end on the bundled province: the contract of docs/DESIGN.md §5 (checked by
contract.py, the project's own output checks), the accounting identity, rejects listed once, and
the join cross-checked against GDAL's own SQL (ST_Covers)."""
import csv
import os
import gzip
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from osgeo import gdal, ogr

import contract
from conftest import load_summary, run_cli

gdal.UseExceptions()
ogr.UseExceptions()

#: DESIGN §3: `working_crs: auto` puts Bạc Liêu in UTM zone 48N.
BAC_LIEU_EPSG = 32648


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def bundled_output(bundled_run, bundled_scenario):
    return contract.Output(bundled_run, bundled_scenario, expected_epsg=BAC_LIEU_EPSG)


@pytest.mark.e2e
@pytest.mark.parametrize("part", list(contract.CHECKS))
def test_outputs_follow_the_contract(bundled_output, part):
    problems = contract.CHECKS[part](bundled_output)
    assert not problems, f"{len(problems)} contract problem(s) in {part}:\n" + "\n".join(problems)


@pytest.mark.e2e
def test_bundled_scenario_writes_every_product(bundled_output):
    """The bundled scenario asks for every format, both languages, three groupings and placement,
    so the contract checks above cover every file DESIGN §5 names."""
    assert set(bundled_output.formats) == {"gpkg", "shp", "tif", "csv", "html", "qgis"}
    assert bundled_output.languages == ["vi", "en"]
    assert bundled_output.groups == ["commune", "district", "commune_2025"]
    assert bundled_output.optimizing and bundled_output.has_speakers and bundled_output.has_teams
    assert bundled_output.epsg == BAC_LIEU_EPSG


@pytest.mark.e2e
def test_accounting_identity_and_rejects_listed_once(bundled_run):
    s = load_summary(bundled_run)
    a = s["accounting"]["households"]
    assert a["input"] == a["joined"] + a["outside"] + a["rejected"]
    # Independent count of input rows: the gzip CSV's data lines.
    src = Path(s["inputs"]["households"]["path"])
    with gzip.open(src, "rt", encoding="utf-8") as f:
        n_rows = sum(1 for _ in f) - 1
    assert a["input"] == n_rows
    rejects = read_csv(bundled_run / "rejects.csv")
    hh_rejects = [r for r in rejects if r["layer"] and "household" in r["layer"]] if rejects else []
    keys = Counter((r["file"], r["layer"], r["feature_id"]) for r in rejects)
    assert all(v == 1 for v in keys.values()), "a row is rejected more than once"
    assert len(hh_rejects) == a["rejected"] or a["rejected"] == sum(
        1 for r in rejects if Path(r["file"]).name.startswith("households"))
    # households layer holds every joined and outside household exactly once
    ds = ogr.Open(str(bundled_run / "coverage.gpkg"))
    lyr = ds.GetLayerByName("households")
    assert lyr.GetFeatureCount() == a["joined"] + a["outside"]
    lyr.SetAttributeFilter("hamlet_id IS NULL")
    assert lyr.GetFeatureCount() == a["outside"]


@pytest.mark.e2e
def test_hamlet_figures_equal_household_sums(bundled_run):
    hh = read_csv_from_gpkg(bundled_run / "coverage.gpkg", "households",
                            ["hamlet_id", "weight", "reached", "reached_speaker", "reached_team"])
    agg = {}
    for r in hh:
        if r["hamlet_id"] is None:
            continue
        a = agg.setdefault(r["hamlet_id"], [0, 0, 0.0, 0, 0.0])
        a[0] += 1
        if r["weight"] > 0:
            a[1] += 1
            a[2] += r["weight"]
            if r["reached"]:
                a[3] += 1
            else:
                a[4] += r["weight"]
    for row in read_csv(bundled_run / "hamlet_gaps.csv"):
        a = agg.get(row["hamlet_id"], [0, 0, 0.0, 0, 0.0])
        assert int(row["households"]) == a[0]
        assert int(row["target_households"]) == a[1]
        assert int(row["reached_any"]) == a[3]
        # the CSV rounds weights to 2 decimals and rates to 4 (DESIGN §5); the sums are full precision
        assert float(row["gap_weight"]) == pytest.approx(round(a[4], 2), abs=1e-12)
        assert float(row["target_weight"]) == pytest.approx(round(a[2], 2), abs=1e-12)
        if a[2] > 0:
            assert float(row["gap_rate"]) == pytest.approx(round(a[4] / a[2], 4), abs=1e-12)


def read_csv_from_gpkg(path, layer, cols):
    ds = ogr.Open(str(path))
    lyr = ds.GetLayerByName(layer)
    out = []
    for f in lyr:
        out.append({c: f.GetField(c) for c in cols})
    return out


@pytest.mark.e2e
def test_readme_after_placement_channels_are_the_bundled_runs(bundled_run):
    """The README's channel-by-channel figures of the bundled placement are this run's summary."""
    import re
    text = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    m = re.search(r"\+([\d.,]+) now heard from a loudspeaker, \+([\d.,]+) served by the new\s+teams, "
                  r"\+([\d.,]+) served by\s+existing teams whose households a new site took over, −([\d.,]+) no "
                  r"longer heard \(a new pole's echo\) and\s+−([\d.,]+) left by a team for needier households — "
                  r"([\d.,]+) closed, where the optimizer claimed ([\d.,]+)\. Its solve counted ([\d.,]+)\s+"
                  r"before hearing the echoes; households worth ([\d.,]+) that an echo took", text)
    assert m, "README: the channel-by-channel sentence"
    readme = [float(v.replace(",", "")) for v in m.groups()]
    o = load_summary(bundled_run)["optimizer"]
    a = o["after"]
    ch = a["changes"]
    assert readme == [ch["heard"]["weight"], ch["new_teams"]["weight"], ch["existing_teams"]["weight"],
                      ch["lost_to_echo"]["weight"], ch["left_by_teams"]["weight"], a["gap_weight_closed"],
                      a["claimed_gap_weight_closed"], o["echoes"]["model_objective"],
                      ch["moved_to_teams"]["weight"]]


@pytest.mark.e2e
def test_households_spatial_index_holds_every_household(bundled_run):
    """The households layer (225,600 rows, more than one written chunk) gets its RTree from the first
    chunk on, row by row through the GeoPackage's triggers: it must hold one box per household, around
    the household's own point (SQLite stores the box in 32-bit floats, rounded outwards)."""
    ds = gdal.OpenEx(str(bundled_run / "coverage.gpkg"), gdal.OF_VECTOR)
    sql = ("SELECT (SELECT count(*) FROM households) AS n, (SELECT count(*) FROM rtree_households_geom) AS boxes, "
           "(SELECT count(*) FROM households h JOIN rtree_households_geom r ON r.id = h.fid "
           " WHERE r.minx <= ST_MinX(h.geom) AND r.maxx >= ST_MaxX(h.geom) AND r.maxx - r.minx < 1 "
           " AND r.miny <= ST_MinY(h.geom) AND r.maxy >= ST_MaxY(h.geom) AND r.maxy - r.miny < 1) AS around")
    lyr = ds.ExecuteSQL(sql)
    f = lyr.GetNextFeature()
    n, boxes, around = f.GetField("n"), f.GetField("boxes"), f.GetField("around")
    ds.ReleaseResultSet(lyr)
    assert n > 100000
    assert boxes == n and around == n


@pytest.mark.e2e
def test_join_matches_gdal_sql_st_covers(bundled_run):
    """Cross-check: for every household, GDAL's SQLite dialect (Spatialite ST_Covers) finds the
    hamlets covering it; the engine's hamlet must be the lowest id among them (or none)."""
    path = str(bundled_run / "coverage.gpkg")
    ds = gdal.OpenEx(path, gdal.OF_VECTOR)
    sql = ("SELECT h.household_id AS hid, h.hamlet_id AS engine, m.hamlet_id AS covering "
           "FROM households h LEFT JOIN hamlets m ON "
           "m.fid IN (SELECT id FROM rtree_hamlets_geom r WHERE r.minx <= ST_X(h.geom) AND r.maxx >= ST_X(h.geom) "
           "AND r.miny <= ST_Y(h.geom) AND r.maxy >= ST_Y(h.geom)) AND ST_Covers(m.geom, h.geom)")
    lyr = ds.ExecuteSQL(sql)
    assert lyr is not None
    covering, engine = {}, {}
    for f in lyr:
        hid = f.GetField("hid")
        engine[hid] = f.GetField("engine")
        c = f.GetField("covering")
        if c is not None:
            covering.setdefault(hid, []).append(c)
    ds.ReleaseResultSet(lyr)
    assert len(engine) > 1000

    def lowest(ids):
        return min(ids, key=lambda s: (0, int(s), "") if s.isdigit() else (1, 0, s))
    bad = [(h, e, covering.get(h)) for h, e in engine.items()
           if (lowest(covering[h]) if h in covering else None) != e]
    assert not bad, f"{len(bad)} households disagree, e.g. {bad[:5]}"


@pytest.mark.e2e
def test_optimizer_figures_in_summary(bundled_run):
    s = load_summary(bundled_run)
    o = s["optimizer"]
    assert o["objective"] <= o["bound"] + 1e-6
    assert 0 <= o["gap"] <= 1
    # the optimizer's claim is its objective; "after" itself is coverage recomputed with the sites
    a = o["after"]
    assert abs((a["claimed_reached_weight"] - o["before"]["reached_weight"]) - o["objective"]) < 1e-6 * max(1, o["objective"])
    assert a["claimed_gap_weight_closed"] == pytest.approx(o["objective"], rel=1e-9)
    assert a["gap_weight_closed"] == pytest.approx(a["reached_weight"] - o["before"]["reached_weight"], rel=1e-9)
    assert a["reached_weight"] == pytest.approx(s["coverage"]["reached_weight"] + a["gap_weight_closed"], rel=1e-9)
    sites = read_csv(bundled_run / "proposed_sites.csv")
    cum = [float(r["cumulative_weight"]) for r in sorted(sites, key=lambda r: int(r["rank"]))]
    assert cum == sorted(cum)
    assert abs(cum[-1] - o["objective"]) < 1e-6 * max(1, o["objective"])


@pytest.mark.e2e
def test_one_and_two_threads_give_identical_outputs(infogap, bundled_scenario, tmp_path):
    # A copy of the bundled scenario with absolute paths and only the attribute outputs.
    import yaml
    sc = yaml.safe_load(bundled_scenario.read_text(encoding="utf-8"))
    for block in ("hamlets", "households", "speakers", "teams"):
        if True in sc[block]:  # YAML 1.1 (PyYAML) reads the key `y` as a boolean
            sc[block]["y"] = sc[block].pop(True)
        sc[block]["path"] = str(bundled_scenario.parent / sc[block]["path"])
    sc.pop("optimize", None)
    sc["output"]["formats"] = ["csv", "gpkg"]
    copy = tmp_path / "scenario.yaml"
    copy.write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    outs = []
    for threads in (1, 2):
        out = tmp_path / f"t{threads}"
        run_cli(infogap, "coverage", copy, "-o", out, "--quiet", "--threads", threads)
        outs.append(out)
    for name in ["hamlet_gaps.csv", "commune_gaps.csv", "district_gaps.csv", "rejects.csv"]:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    a = read_csv_from_gpkg(outs[0] / "coverage.gpkg", "households", ["household_id", "hamlet_id", "speech_dba", "team_id", "reached"])
    b = read_csv_from_gpkg(outs[1] / "coverage.gpkg", "households", ["household_id", "hamlet_id", "speech_dba", "team_id", "reached"])
    assert a == b


@pytest.mark.e2e
@pytest.mark.qgis
def test_real_run_opens_styled_in_qgis(bundled_run):
    """The GIS checks of qgis_test.py (real QGIS 3.22, headless) on the bundled run's outputs."""
    env = dict(os.environ, INFOGAP_GIS_OUTPUT=str(bundled_run), QT_QPA_PLATFORM="offscreen",
               XDG_RUNTIME_DIR="/tmp/runtime-infogap-qgis")
    here = Path(__file__).resolve().parent
    p = subprocess.run(["/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(here / "pytest.ini"),
                        str(here / "qgis_test.py"), "-k", "test_real_run_output"],
                       capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0 and "1 passed" in p.stdout, p.stdout + p.stderr


@pytest.mark.e2e
@pytest.mark.browser
def test_real_reports_open_in_chromium_with_every_hamlet(bundled_run):
    """Headless Chromium (the report test's CDP driver) loads the real reports: every hamlet is
    drawn, every proposed site too, and nothing is logged, thrown or fetched."""
    from report_browser_test import HAMLET_SELECTOR, Browser, Page
    n_hamlets = len(read_csv(bundled_run / "hamlet_gaps.csv"))
    n_sites = len(read_csv(bundled_run / "proposed_sites.csv"))
    browser = Browser()
    try:
        for lang in ("vi", "en"):
            page = Page(browser, (bundled_run / f"report.{lang}.html").as_uri())
            assert page.eval(f"document.querySelectorAll('{HAMLET_SELECTOR}').length") == n_hamlets
            assert page.eval("document.querySelectorAll('path.infogap-proposed').length") == n_sites
            assert not page.events("Runtime.exceptionThrown")
            assert not page.events("Runtime.consoleAPICalled")
            assert not [e for e in page.events("Log.entryAdded") if e["entry"]["level"] in ("error", "warning")]
            fetched = [e["request"]["url"] for e in page.events("Network.requestWillBeSent")
                       if e["request"]["url"] != page.url and not e["request"]["url"].startswith("data:")]
            assert not fetched, fetched
    finally:
        browser.close()
