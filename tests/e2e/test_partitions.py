"""Partitioned runs (DESIGN.md §5 "Partitioned runs"), through the CLI on a small multi-province
synthetic set (`infogap synth --scale national --provinces 3`): every household's result equals the
unpartitioned run's, the partitions' rasters equal the whole run's inside them (the halo), a run of
each partition followed by `rollup` writes what the whole partitioned run writes, the roll-up sums
the parts and the accounting holds per partition and nationally; and the fail-fast checks of
DESIGN.md §3 trip before any household is read."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import yaml
from osgeo import gdal, ogr

from conftest import run_cli

gdal.UseExceptions()
ogr.UseExceptions()

PROVINCES = 3
HOUSEHOLDS = 30000


def write_scenario(folder: Path, name: str, base: dict, **output) -> Path:
    s = json.loads(json.dumps(base))
    s["output"].update(output)
    path = folder / name
    path.write_text(yaml.safe_dump(s, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def world(infogap, tmp_path_factory):
    """The synthetic set and three scenarios on it: partitioned (with and without rasters and
    placement) and the same unpartitioned."""
    d = tmp_path_factory.mktemp("partitions")
    run_cli(infogap, "synth", "--scale", "national", "--provinces", PROVINCES, "--households", HOUSEHOLDS,
            "-o", d, "--quiet")
    base = yaml.safe_load((d / "scenario.yaml").read_text(encoding="utf-8"))
    assert base["output"]["partition_by"] == "province"
    assert "province" in base["hamlets"]["group_by"]
    light = dict(raster_cell_m=250, formats=["gpkg", "csv", "tif", "html", "qgis"])
    return {
        "dir": d,
        "part": write_scenario(d, "part.yaml", base, **light),
        "whole": write_scenario(d, "whole.yaml", base, partition_by=None, **light),
    }


@pytest.fixture(scope="module")
def partitions(infogap, world):
    p = run_cli(infogap, "partitions", world["part"], "--json")
    return json.loads(p.stdout)


@pytest.fixture(scope="module")
def covered(infogap, world, tmp_path_factory):
    """`coverage` partitioned and unpartitioned (no placement: the tables must agree exactly)."""
    a = tmp_path_factory.mktemp("cov_part")
    b = tmp_path_factory.mktemp("cov_whole")
    run_cli(infogap, "coverage", world["part"], "-o", a, "--quiet", "--threads", 2)
    run_cli(infogap, "coverage", world["whole"], "-o", b, "--quiet", "--threads", 2)
    return a, b


def layer_rows(path: Path, layer: str, key: str) -> dict:
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName(layer)
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    rows = {}
    for f in lyr:
        g = f.GetGeometryRef()
        rows[f.GetField(key)] = (tuple(f.GetField(n) for n in names), bytes(g.ExportToIsoWkb()) if g else None)
    return rows


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def test_partitions_lists_every_hamlet_by_value(world, partitions):
    ds = gdal.OpenEx(str(world["dir"] / "hamlets.gpkg"), gdal.OF_VECTOR)
    counts = {}
    for f in ds.GetLayer(0):
        counts[f.GetField("province")] = counts.get(f.GetField("province"), 0) + 1
    assert [p["value"] for p in partitions] == sorted(counts)
    assert {p["value"]: p["hamlets"] for p in partitions} == counts
    assert [p["folder"] for p in partitions] == [f"tinh-{k:03d}" for k in range(1, PROVINCES + 1)]


def test_every_household_equals_the_unpartitioned_run(covered, partitions):
    part, whole = covered
    want = layer_rows(whole / "coverage.gpkg", "households", "household_id")
    got = {}
    for p in partitions:
        rows = layer_rows(part / p["folder"] / "coverage.gpkg", "households", "household_id")
        assert not set(rows) & set(got), "a household in two partitions"
        got.update(rows)
    joined = {k: v for k, v in want.items() if v[0][1] is not None}  # hamlet_id set
    assert len(got) == len(joined) > 0
    assert got == joined  # row for row: every column and the point


def test_rollup_tables_equal_the_unpartitioned_tables(covered, world):
    part, whole = covered
    groups = yaml.safe_load(world["whole"].read_text(encoding="utf-8"))["hamlets"]["group_by"]
    for name in ["hamlet_gaps.csv"] + [f"{g}_gaps.csv" for g in groups]:
        assert read_csv(part / name) == read_csv(whole / name), name


@pytest.fixture(scope="module")
def districts(infogap, bundled_scenario, tmp_path_factory):
    """The bundled province partitioned by district (districts share borders, unlike the synthetic
    provinces), and unpartitioned: rasters and gap tables."""
    d = tmp_path_factory.mktemp("districts")
    s = yaml.safe_load(bundled_scenario.read_text(encoding="utf-8"))
    data = bundled_scenario.parent
    for key in ("hamlets", "households", "speakers", "teams"):
        s[key]["path"] = str(data / s[key]["path"])
    s["optimize"]["candidates"]["path"] = str(data / s["optimize"]["candidates"]["path"])
    s["output"].update(raster_cell_m=100, formats=["tif", "csv"])
    whole = write_scenario(d, "whole.yaml", s)
    part = write_scenario(d, "part.yaml", s, partition_by="district")
    run_cli(infogap, "coverage", part, "-o", d / "part", "--quiet", "--threads", 2)
    run_cli(infogap, "coverage", whole, "-o", d / "whole", "--quiet", "--threads", 2)
    return d / "part", d / "whole", json.loads(run_cli(infogap, "partitions", part, "--json").stdout)


def test_partition_rasters_equal_the_whole_run_inside_them(districts):
    """The halo: loudspeakers and teams beyond a partition's border count inside it."""
    part, whole, partitions = districts
    assert read_csv(part / "hamlet_gaps.csv") == read_csv(whole / "hamlet_gaps.csv")
    for raster in ("speech_level", "speakers_audible", "team_distance", "gap_density"):
        w = gdal.Open(str(whole / f"{raster}.tif"))
        wx0, cell, _, wy0, _, _ = w.GetGeoTransform()
        wb = w.GetRasterBand(1)
        for p in partitions:
            r = gdal.Open(str(part / p["folder"] / f"{raster}.tif"))
            x0, c, _, y0, _, _ = r.GetGeoTransform()
            assert c == cell
            col, row = round((x0 - wx0) / cell), round((wy0 - y0) / cell)
            mine = r.GetRasterBand(1).ReadAsArray()
            theirs = wb.ReadAsArray(col, row, r.RasterXSize, r.RasterYSize)
            inside = mine != r.GetRasterBand(1).GetNoDataValue()
            assert inside.any()
            if raster == "gap_density":  # a kernel density: households across the border count too
                continue
            assert (abs(mine[inside] - theirs[inside]) <= 1e-4).all(), f"{p['folder']}/{raster}.tif"


def test_rollup_sums_the_parts_and_accounts_for_every_household(covered, partitions):
    part, whole = covered
    nat = summary(part)
    acc = nat["accounting"]
    h = acc["households"]
    assert h["input"] == h["joined"] + h["outside"] + h["rejected"] == HOUSEHOLDS
    assert acc["identity_holds"] and acc["partitions_hold_every_joined_household"]
    assert h == summary(whole)["accounting"]["households"]
    assert nat["whole_input"]["coverage"] == summary(whole)["coverage"]
    sums = {}
    joined = 0
    by_value = {r["province"]: r for r in read_csv(part / "province_gaps.csv")}
    for p in partitions:
        s = summary(part / p["folder"])
        a = s["accounting"]["households"]
        assert a["input"] == a["joined"] and a["outside"] == 0 and a["rejected"] == 0
        assert s["accounting"]["identity_holds"]
        assert s["partition"]["value"] == p["value"] and s["partition"]["hamlets"] == p["hamlets"]
        joined += a["joined"]
        for k, v in s["coverage"].items():
            sums[k] = sums.get(k, 0) + v
        # the partition's row of the national partition table is its own figures
        row = by_value[p["value"]]
        assert int(row["households"]) == a["joined"]
        assert int(row["gap_households"]) == s["coverage"]["gap_households"]
        assert float(row["gap_weight"]) == pytest.approx(s["coverage"]["gap_weight"], abs=0.005)
        # every target household counted once: reached + gap
        c = s["coverage"]
        assert c["reached_any"] + c["gap_households"] == c["target_households"]
    assert joined == h["joined"] == acc["partitions_joined"]
    assert sums == pytest.approx(nat["coverage"])
    assert [r["rank"] for r in read_csv(part / "province_gaps.csv")] == [str(k) for k in range(1, PROVINCES + 1)]


CONDITIONS = [{"name": "morning", "ambient_dba": 40, "weight": 2}, {"name": "market", "ambient_dba": 60}]


@pytest.fixture(scope="module")
def covered_conditions(infogap, world, tmp_path_factory):
    """`coverage` partitioned and unpartitioned with acoustics.conditions (gap tables only)."""
    out = {}
    for key in ("part", "whole"):
        s = yaml.safe_load(world[key].read_text(encoding="utf-8"))
        s.setdefault("acoustics", {})["conditions"] = CONDITIONS
        s["output"]["formats"] = ["csv"]
        path = world["dir"] / f"{key}_conditions.yaml"
        path.write_text(yaml.safe_dump(s, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out[key] = tmp_path_factory.mktemp(f"cov_{key}_conditions")
        run_cli(infogap, "coverage", path, "-o", out[key], "--quiet", "--threads", 2)
    return out["part"], out["whole"]


def test_rollup_sums_the_gap_under_each_listening_condition(covered_conditions, world, partitions):
    """The roll-up's gap tables carry gap_households_<name>, gap_weight_<name> and
    expected_gap_weight, each unit's the sum of its rows in the partitions' tables (and the
    tables equal the unpartitioned run's); summary.json sums each condition and the expected gap."""
    part, whole = covered_conditions
    groups = yaml.safe_load(world["whole"].read_text(encoding="utf-8"))["hamlets"]["group_by"]
    names = [c["name"] for c in CONDITIONS]
    summed = [f"gap_households_{n}" for n in names] + [f"gap_weight_{n}" for n in names] + ["expected_gap_weight"]
    for name in ["hamlet_gaps.csv"] + [f"{g}_gaps.csv" for g in groups]:
        assert read_csv(part / name) == read_csv(whole / name), name
    for g in groups:
        nat = {r[g]: r for r in read_csv(part / f"{g}_gaps.csv")}
        assert set(summed) <= set(next(iter(nat.values())))
        sums = {}
        for p in partitions:
            for r in read_csv(part / p["folder"] / f"{g}_gaps.csv"):
                for c in summed:
                    sums.setdefault(r[g], {}).setdefault(c, 0.0)
                    sums[r[g]][c] += float(r[c])
        assert set(sums) == set(nat), g
        for unit, got in sums.items():
            for c in summed:  # parts written with 2 decimals, one rounding per partition
                assert float(nat[unit][c]) == pytest.approx(got[c], abs=0.005 * len(partitions)), (g, unit, c)
        assert any(float(r["gap_weight_market"]) > float(r["gap_weight_morning"]) for r in nat.values())
    s = summary(part)["coverage"]
    parts = [summary(part / p["folder"])["coverage"] for p in partitions]
    assert s["expected_gap_weight"] == pytest.approx(sum(c["expected_gap_weight"] for c in parts), abs=1e-9)
    for k, n in enumerate(names):
        assert s["conditions"][k]["name"] == n
        for f in ("reached_households", "gap_households", "gap_weight"):
            assert s["conditions"][k][f] == pytest.approx(sum(c["conditions"][k][f] for c in parts), abs=1e-9), (n, f)
    assert {k: v for k, v in summary(whole)["coverage"].items() if k != "reached_beyond_model_validity"} == \
        pytest.approx({k: v for k, v in s.items() if k != "reached_beyond_model_validity"})


def comparable(path: Path):
    if path.name == "summary.json":
        s = json.loads(path.read_text(encoding="utf-8"))
        s.pop("timings_s", None)
        s.pop("output_dir", None)
        s.get("optimizer", {}).pop("seconds", None)  # the solver's time
        return s
    if path.suffix == ".gpkg":
        ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
        out = {}
        for i in range(ds.GetLayerCount()):
            lyr = ds.GetLayer(i)
            # layer_styles rows carry the time they were written (a run time, not a result)
            out[lyr.GetName()] = [(f.GetFID(), json.dumps({k: v for k, v in f.items().items() if k != "update_time"},
                                                          sort_keys=True, default=str),
                                   bytes(f.GetGeometryRef().ExportToIsoWkb()) if f.GetGeometryRef() else None)
                                  for f in lyr]
        return out
    text = path.read_bytes()
    if path.suffix == ".html":  # the report names the folder it was written to
        text = text.replace(str(path.parents[1]).encode(), b"OUT").replace(str(path.parent).encode(), b"OUT")
    return text


def tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file()}


def test_each_partition_then_rollup_writes_what_the_whole_run_writes(infogap, world, partitions, tmp_path):
    whole, split = tmp_path / "whole", tmp_path / "split"
    run_cli(infogap, "run", world["part"], "-o", whole, "--quiet", "--threads", 2)
    for p in reversed(partitions):  # any order
        run_cli(infogap, "run", world["part"], "-o", split, "--quiet", "--partition", p["value"], "--threads", 2)
    assert not (split / "summary.json").exists()  # a partition run writes its folder only
    run_cli(infogap, "rollup", world["part"], "-o", split, "--quiet")
    a, b = tree(whole), tree(split)
    assert sorted(a) == sorted(b)
    assert any(k.endswith("proposed_sites.csv") for k in a)  # each partition placed its own sites
    # the whole run's roll-up says where its time went (the partitions' placement and writing summed);
    # a roll-up written alone has no run to time
    timed = json.loads((whole / "summary.json").read_text(encoding="utf-8"))["timings_s"]
    assert {"load", "coverage", "partition", "optimize", "write"} <= set(timed) and all(v > 0 for v in timed.values())
    parts_write = sum(json.loads((whole / p["folder"] / "summary.json").read_text(encoding="utf-8"))["timings_s"]["write"]
                      for p in partitions)
    assert timed["write"] >= parts_write
    assert "timings_s" not in json.loads((split / "summary.json").read_text(encoding="utf-8"))
    for name in a:
        if name.endswith(".html"):
            ta = a[name].read_text(encoding="utf-8").replace(str(whole), "OUT")
            tb = b[name].read_text(encoding="utf-8").replace(str(split), "OUT")
            assert ta == tb, name
        else:
            assert comparable(a[name]) == comparable(b[name]), name


def test_rollup_names_every_missing_partition(infogap, world, partitions, tmp_path):
    out = tmp_path / "some"
    run_cli(infogap, "coverage", world["part"], "-o", out, "--quiet", "--partition", partitions[1]["folder"])
    p = run_cli(infogap, "rollup", world["part"], "-o", out, "--quiet", check=False)
    assert p.returncode == 1
    for q in (partitions[0], partitions[2]):
        assert q["value"] in p.stderr and q["folder"] in p.stderr
    assert partitions[1]["value"] + " (" not in p.stderr
    assert "not written yet" in p.stderr
    assert not (out / "summary.json").exists()


def test_unknown_partition_fails_before_loading_naming_the_partitions(infogap, world, partitions, tmp_path):
    p = run_cli(infogap, "coverage", world["part"], "-o", tmp_path, "--partition", "Tỉnh 999", "--quiet",
                check=False)
    assert p.returncode == 1
    assert "Tỉnh 999" in p.stderr and partitions[0]["folder"] in p.stderr


# ---- fail fast (DESIGN.md §3): before any household is read ------------------------------------

@pytest.fixture()
def broken(bundled_scenario, tmp_path):
    """The bundled scenario with absolute paths and households whose rows would all be rejected
    (so an error about them means they were read)."""
    s = yaml.safe_load(bundled_scenario.read_text(encoding="utf-8"))
    data = bundled_scenario.parent
    for key in ("hamlets", "households", "speakers", "teams"):
        s[key]["path"] = str(data / s[key]["path"])
    s["optimize"]["candidates"]["path"] = str(data / s["optimize"]["candidates"]["path"])
    bad = tmp_path / "households.csv"
    bad.write_text("household_id,lon,lat,poverty,members,uses_internet,info_devices\n" +
                   "".join(f"h{i},999,999,poor,1,0,0\n" for i in range(1000)), encoding="utf-8")
    s["households"]["path"] = str(bad)
    return s, tmp_path


def save(s: dict, folder: Path) -> Path:
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(s, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_broken_households_are_read_when_nothing_else_is_wrong(infogap, broken):
    s, d = broken
    p = run_cli(infogap, "coverage", save(s, d), "-o", d / "out", "--quiet", check=False)
    assert p.returncode == 1 and "households" in p.stderr and "rejected" in p.stderr


def test_raster_too_large_fails_before_households(infogap, broken):
    s, d = broken
    s["output"]["raster_cell_m"] = 0.001
    p = run_cli(infogap, "run", save(s, d), "-o", d / "out", "--quiet", check=False)
    assert p.returncode == 1
    assert "too large" in p.stderr and "raster_cell_m" in p.stderr and "rejected" not in p.stderr
    v = run_cli(infogap, "validate", save(s, d), check=False)
    assert v.returncode == 1 and "too large" in v.stdout


def test_named_column_missing_fails_before_households(infogap, broken):
    s, d = broken
    s["speakers"]["power_w"] = "powr_w"  # speakers load after households
    p = run_cli(infogap, "coverage", save(s, d), "-o", d / "out", "--quiet", check=False)
    assert p.returncode == 1
    assert "powr_w" in p.stderr and "power_w" in p.stderr and "rejected" not in p.stderr


def test_layer_without_crs_fails_before_households(infogap, broken):
    s, d = broken
    shp = d / "teams.shp"
    gdal.VectorTranslate(str(shp), s["teams"]["path"], format="ESRI Shapefile")
    shp.with_suffix(".prj").unlink()
    s["teams"]["path"] = str(shp)
    s["teams"].pop("layer", None)
    p = run_cli(infogap, "coverage", save(s, d), "-o", d / "out", "--quiet", check=False)
    assert p.returncode == 1
    assert "coordinate reference system" in p.stderr and "teams" in p.stderr and "rejected" not in p.stderr


def test_unwritable_output_folder_fails_before_households(infogap, broken):
    s, d = broken
    (d / "a_file").write_text("x", encoding="utf-8")
    p = run_cli(infogap, "coverage", save(s, d), "-o", d / "a_file" / "out", "--quiet", check=False)
    assert p.returncode == 1
    assert "output folder" in p.stderr and "rejected" not in p.stderr


def test_partition_by_must_be_a_group_and_csv_written(infogap, broken):
    s, d = broken
    s["output"]["partition_by"] = "provnce"
    p = run_cli(infogap, "validate", save(s, d), check=False)
    assert p.returncode == 1 and "provnce" in p.stderr and "group_by" in p.stderr
    s["output"]["partition_by"] = "district"
    s["output"]["formats"] = ["gpkg"]
    p = run_cli(infogap, "validate", save(s, d), check=False)
    assert p.returncode == 1 and "csv" in p.stderr


def test_readme_every_province_at_once(infogap, tmp_path):
    """The README walkthrough "Every province at once", run as written (with this build's binary)."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = text.index("**Every province at once.**")
    block = text[text.index("```bash\n", start) + len("```bash\n"):text.index("```", text.index("```bash\n", start) + 7)]
    script = block.replace("build/bin/infogap", str(infogap)).replace("infogap run ", "infogap run -q --threads 2 ")
    assert script.count(str(infogap)) == 7
    p = __import__("subprocess").run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True,
                                     text=True, timeout=1200)
    assert p.returncode == 0, p.stderr
    out, split = tmp_path / "country" / "out", tmp_path / "country" / "split"
    assert "tinh-002" in p.stdout and (out / "tinh-002" / "report.vi.html").exists()
    for folder in (out, split):
        s = summary(folder)
        assert [q["folder"] for q in s["partitions"]] == ["tinh-001", "tinh-002", "tinh-003"]
        assert s["accounting"]["identity_holds"]
    assert read_csv(out / "province_gaps.csv") == read_csv(split / "province_gaps.csv")
