"""One home per concept: frames are the engine's output tables (the GeoPackage's columns), progress
comes from the engine step by step, validation's verdict is the engine's, and the first-hour
messages name what the user typed."""
import json
import re
import sqlite3
import subprocess

import numpy as np
import pandas as pd
import pytest

import infogap


# --- a tiny world with two bad household rows ---------------------------------------------------

TINY_SCENARIO = """name: tiny
max_rejected_share: 0.3   # 2 of 8 household rows are bad on purpose
hamlets: {path: in/hamlets.geojson, group_by: [commune]}
households: {path: in/households.csv, x: x, y: y, crs: "EPSG:32648"}
speakers: {path: in/speakers.csv, x: x, y: y, crs: "EPSG:32648", model: radius, range_m: 200}
teams: {path: in/teams.csv, x: x, y: y, crs: "EPSG:32648", reach_m: 600, households_per_member: 1}
output: {dir: out, formats: [csv]}
"""


def _square(x0):
    return [[[x0, 1000000], [x0 + 1000, 1000000], [x0 + 1000, 1001000], [x0, 1001000], [x0, 1000000]]]


@pytest.fixture
def tiny(tmp_path):
    (tmp_path / "in").mkdir()
    features = [{"type": "Feature", "properties": {"hamlet_id": str(k + 1), "name": f"Ấp {k + 1}", "commune": "A"},
                 "geometry": {"type": "Polygon", "coordinates": _square(500000 + 1000 * k)}} for k in range(2)]
    (tmp_path / "in/hamlets.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},
        "features": features}), encoding="utf-8")
    (tmp_path / "in/households.csv").write_text(
        "household_id,x,y,poverty\nh1,500400,1000500,poor\nh2,500500,1000600,near_poor\nh3,501500,1000500,poor\n"
        "h4,501600,1000500,poor\nh5,501900,1000900,near_poor\nh6,509000,1000500,poor\nh7,,1000500,poor\n"
        "h8,500100,1000100,rich\n", encoding="utf-8")
    (tmp_path / "in/speakers.csv").write_text("speaker_id,x,y\ns1,500450,1000550\n", encoding="utf-8")
    (tmp_path / "in/teams.csv").write_text("team_id,x,y,members\nt1,501500,1000510,1\n", encoding="utf-8")
    path = tmp_path / "scenario.yaml"
    path.write_text(TINY_SCENARIO, encoding="utf-8")
    return path


# --- frames are the GeoPackage's layers ---------------------------------------------------------

@pytest.fixture(scope="module")
def placed_with_gpkg(bundled_scenario, tmp_path_factory):
    out = tmp_path_factory.mktemp("gpkg")
    sc = infogap.Scenario.from_yaml(bundled_scenario).with_overrides(output={"formats": ["gpkg"]})
    return infogap.optimize(sc, new_speakers=3, new_teams=1, output_dir=out), out / "coverage.gpkg"


def _gpkg_layers(path):
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid")]
        cols = {n: [r[1] for r in db.execute(f'PRAGMA table_info("{n}")')] for n in names}
    return names, cols


def test_every_gpkg_layer_has_a_frame_with_its_columns(placed_with_gpkg):
    res, gpkg = placed_with_gpkg
    names, cols = _gpkg_layers(gpkg)
    assert set(names) == {"hamlets", "households", "speakers", "teams", "commune", "district", "commune_2025",
                          "proposed_sites"}
    assert set(names) <= set(res.layers) and "hamlets_after" in res.layers
    derived = {"x_m", "y_m", "reached_after"}
    for name in names:
        file_cols = [c for c in cols[name] if c not in ("fid", "geom")]
        frame = res.to_pandas(name)
        assert [c for c in frame.columns if c not in derived] == file_cols, name
        with sqlite3.connect(gpkg) as db:
            assert len(frame) == db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0], name


def test_frames_hold_the_gpkg_values(placed_with_gpkg):
    res, gpkg = placed_with_gpkg
    with sqlite3.connect(gpkg) as db:
        for name, key in (("proposed_sites", "site_id"), ("speakers", "speaker_id"), ("teams", "team_id"),
                          ("commune", "commune")):
            file = pd.read_sql(f'SELECT * FROM "{name}"', db).drop(columns=["fid", "geom"]).set_index(key)
            mine = res.to_pandas(name).set_index(key)[list(file.columns)]
            pd.testing.assert_frame_equal(mine.sort_index(), file.sort_index(), check_dtype=False, obj=name)
        hh = pd.read_sql("SELECT household_id, hamlet_id, best_speaker_id, team_id, poverty, reached FROM households",
                         db)
    mine = res.to_pandas("households")
    assert mine["reached"].dtype == np.bool_
    for col in ("hamlet_id", "best_speaker_id", "team_id", "poverty"):
        assert (mine[col].astype(object).fillna("").to_numpy() == hh[col].fillna("").to_numpy()).all(), col
    np.testing.assert_array_equal(mine["reached"].to_numpy(), hh["reached"].astype(bool).to_numpy())


def test_geopandas_for_every_layer(placed_with_gpkg):
    gpd = pytest.importorskip("geopandas")
    res, _ = placed_with_gpkg
    for name in res.layers:
        gdf = res.to_geopandas(name)
        assert isinstance(gdf, gpd.GeoDataFrame) and gdf.crs.to_epsg() == 32648, name
        assert gdf.geometry.notna().all(), name
    speakers = res.to_geopandas("speakers")
    np.testing.assert_allclose(speakers.geometry.x, res.inputs.speakers.x_m)
    np.testing.assert_allclose(speakers["x_m"], res.inputs.speakers.x_m)
    with pytest.raises(KeyError, match="did you mean speakers"):
        res.to_geopandas("speaker")


def test_household_codes_are_decoded(bundled_result):
    h = bundled_result.households
    frame = bundled_result.to_pandas("households")
    assert set(np.unique(h.poverty)) <= set(infogap.POVERTY_LEVELS)
    np.testing.assert_array_equal(h.poverty, frame["poverty"].astype(str).to_numpy())
    for col in ("hamlet_id", "team_id", "best_speaker_id"):
        decoded = getattr(h, col)
        assert decoded.dtype == object and len(decoded) == len(h)
        assert (pd.Series(decoded).fillna("") == frame[col].fillna("")).all(), col
    inside = h.hamlet >= 0
    assert all(isinstance(v, str) for v in h.hamlet_id[inside]) and all(v is None for v in h.hamlet_id[~inside])


def test_results_have_a_readable_repr(bundled_result, placed_with_gpkg):
    text = repr(bundled_result)
    n = len(bundled_result.households)
    assert f"{n:,} households" in text and "512 hamlets" in text and "gap weight" in text
    assert re.search(r"<CoverageResult [\d,]+ households, 512 hamlets", repr(bundled_result.coverage))
    res, _ = placed_with_gpkg
    assert "proposed sites" in repr(res)
    assert re.match(r"<PlacementResult \d+ sites \(\d+ speakers, \d+ teams\)", repr(res.placement))
    assert repr(res.households).startswith("<HouseholdsView") and repr(res.hamlets).startswith("<GapsView")


# --- progress from the engine, within each stage ------------------------------------------------

def _within(calls, stage):
    f = [x for s, x in calls if s == stage]
    assert f and f[0] == 0.0 and f[-1] == 1.0 and f == sorted(f), (stage, f)
    return [x for x in f if 0.0 < x < 1.0]


def test_coverage_and_optimize_progress_moves_within_stages(tiny):
    calls = []
    infogap.coverage(tiny, progress=lambda s, f: calls.append((s, f)))
    assert len(_within(calls, "coverage")) >= 3, calls     # join, speakers, teams, gaps
    calls.clear()
    infogap.optimize(tiny, new_speakers=1, new_teams=0, progress=lambda s, f: calls.append((s, f)))
    assert [s for i, (s, _) in enumerate(calls) if i == 0 or calls[i - 1][0] != s] == ["load", "coverage", "optimize"]
    assert len(_within(calls, "optimize")) >= 3, calls     # candidates, matrix, solve


# --- validation -----------------------------------------------------------------------------------

def test_validate_returns_the_engines_verdict(tiny, cli):
    report = infogap.validate(tiny)
    assert report.ok and bool(report)
    assert report.households_input == 8 and report.households_rejected == 2
    layers = {l.name: l for l in report.layers}
    assert set(layers) == {"hamlets", "households", "speakers", "teams"}
    assert len(layers["households"].problems) == 2 and not layers["hamlets"].problems
    assert sum(g.rows for g in report.reject_summary) == 2
    assert {r.id for r in report.rejects} == {"h7", "h8"}
    text = str(report)
    assert "result: inputs are usable" in text and "households: input 8 = accepted 6 + rejected 2" in text

    strict = infogap.validate(tiny, on_bad_rows="fail")
    assert not strict.ok and "NOT usable" in strict.verdict and len(strict.rejects) == 2

    p = subprocess.run([str(cli), "validate", str(tiny)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and report.verdict in p.stdout
    tiny.write_text(tiny.read_text(encoding="utf-8") + "on_bad_rows: fail\n", encoding="utf-8")
    p = subprocess.run([str(cli), "validate", str(tiny)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 1 and strict.verdict in p.stdout


def test_a_missing_file_names_the_scenario_folder(tiny):
    (tiny.parent / "in/teams.csv").unlink()
    with pytest.raises(OSError) as e:  # a run stops at once
        infogap.coverage(tiny)
    msg = str(e.value)
    assert "file not found" in msg and "teams.path" in msg and str(tiny.parent) in msg, msg
    report = infogap.validate(tiny)  # validate lists it as the teams layer's problem, and goes on
    assert not report.ok and [p.layer for p in report.problems] == ["teams"]
    msg = report.problems[0].message
    assert "file not found" in msg and "teams.path" in msg and str(tiny.parent) in msg, msg
    assert "households" in [layer.name for layer in report.layers]


# --- messages name what the user typed ----------------------------------------------------------

def test_an_unknown_keyword_is_named_with_a_suggestion(tiny):
    with pytest.raises(infogap.InvalidInput, match="unknown keyword 'new_speaker' — did you mean new_speakers?"):
        infogap.coverage(tiny, new_speaker=3)
    with pytest.raises(infogap.InvalidInput, match="unknown keyword 'acoustic' — did you mean acoustics?"):
        infogap.run(tiny, acoustic={"ambient_dba": 50})
    with pytest.raises(infogap.InvalidInput, match="'ambient' in acoustics=.*did you mean ambient_dba?"):
        infogap.coverage(tiny, acoustics={"ambient": 50})
    with pytest.raises(infogap.InvalidInput, match="'new_speakers' is an option of optimize"):
        infogap.coverage(tiny, new_speakers=3)
    assert infogap.coverage(tiny, acoustics={"ambient_dba": 50}).scenario.to_dict()["acoustics"]["ambient_dba"] == 50


def test_engine_internal_names_do_not_reach_the_user(tiny):
    with pytest.raises(ValueError) as e:
        infogap.optimize(tiny, new_speakers=-1)
    assert "new_speakers" in str(e.value) and "max_speakers" not in str(e.value)


@pytest.mark.cli
def test_acoustics_verbs_take_the_scenarios_option_names(cli):
    def run(*args):
        p = subprocess.run([str(cli), "acoustics", *args, "--json"], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)

    new = run("range", "--power-w", "30", "--sensitivity-db", "110", "--height-m", "8", "--ambient-dba", "50",
              "--required-snr-db", "8", "--facade-loss-db", "0", "--receiver-height-m", "1.5", "--ground-g", "0.5",
              "--max-m", "4000")
    old = run("range", "--power", "30", "--sensitivity", "110", "--height", "8", "--ambient", "50", "--snr", "8",
              "--facade", "0", "--receiver-height", "1.5", "--ground", "0.5", "--max", "4000")
    assert new == old
    horn = infogap.Horn(power_w=30, sensitivity_db=110, height_m=8)
    listening = infogap.Listening(ambient_dba=50, required_snr_db=8, facade_loss_db=0, receiver_height_m=1.5,
                                  ground_g=0.5)
    assert new["range_m"] == pytest.approx(infogap.audible_range(horn, listening, max_m=4000), rel=1e-9)
    assert run("absorption", "--frequency-hz", "1000", "--temperature-c", "25", "--humidity-pct", "70") == \
        run("absorption", "--frequency", "1000", "--temperature", "25", "--humidity", "70")
    assert run("level", "--lw-db", "100", "--source-xyz", "0,0,8", "--receiver-xyz", "100,0,1.5") == \
        run("level", "--lw", "100", "--source", "0,0,8", "--receiver", "100,0,1.5")
    table = subprocess.run([str(cli), "acoustics", "range", "--distance-m", "25,75"], capture_output=True,
                           text=True, timeout=60)
    assert table.returncode == 0 and re.search(r"^\s+25\s", table.stdout, re.M) and re.search(r"^\s+75\s",
                                                                                                table.stdout, re.M)
    help_text = subprocess.run([str(cli), "acoustics", "range", "--help"], capture_output=True, text=True).stdout
    for name in ("--power-w", "--sensitivity-db", "--height-m", "--ambient-dba", "--required-snr-db", "--distance-m"):
        assert name in help_text, name
    assert not re.search(r"--power\b(?!-)", help_text) and "--snr " not in help_text   # old spellings hidden
    p = subprocess.run([str(cli), "acoustics", "range", "--power-w", "-3"], capture_output=True, text=True)
    assert p.returncode == 1 and "--power-w" in p.stderr
    p = subprocess.run([str(cli), "acoustics", "absorption"], capture_output=True, text=True)
    assert p.returncode != 0 and "--frequency-hz" in p.stderr


def test_listening_conditions_show_in_the_frames(tiny):
    """acoustics.conditions through a keyword: the households frame gets a flag per condition and
    reached_share, the hamlets frame the gap per condition and its expected value."""
    conditions = [{"name": "morning", "ambient_dba": 40, "weight": 3}, {"name": "market", "ambient_dba": 60}]
    res = infogap.coverage(tiny, acoustics={"conditions": conditions})
    hh = res.to_pandas("households")
    for col in ("reached_morning", "reached_market", "reached_share"):
        assert col in hh.columns
    # radius model: the conditions do not move loudspeaker reach; the shares add up per household
    assert (hh["reached_morning"] == hh["reached"]).all() and (hh["reached_market"] == hh["reached"]).all()
    assert hh["reached_share"].tolist() == [1.0 if r else 0.0 for r in hh["reached"]]
    ham = res.hamlets.to_pandas()
    assert {"gap_weight_morning", "gap_weight_market", "gap_households_market", "expected_gap_weight"} <= set(ham.columns)
    assert ham["expected_gap_weight"].tolist() == pytest.approx(ham["gap_weight"].tolist())
    assert res.summary["coverage"]["expected_gap_weight"] == pytest.approx(res.summary["coverage"]["gap_weight"])
    assert "reached_share" not in infogap.coverage(tiny).to_pandas("households").columns
