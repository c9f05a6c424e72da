"""Determinism: the full `infogap run` (load with rejects, coverage, optimizer, every writer) gives the
same outputs with 1, 2 and 3 worker threads. CSVs (proposed_sites, hamlet_gaps, the group CSVs,
rejects) and every other byte-stable file are compared byte for byte; the GeoPackage layer by layer
(attributes and geometry of every feature); the rasters pixel by pixel through GDAL; summary.json
except its timings. The province is large enough (40 000 households) that the loader and the
coverage split their work into several chunks."""
import csv
import gzip
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest
import yaml
from osgeo import gdal, ogr

from conftest import run_cli

gdal.UseExceptions()
ogr.UseExceptions()

# The reports carry a "generated at" minute: pin it, or runs either side of a minute would differ.
os.environ["SOURCE_DATE_EPOCH"] = "1732838400"

HOUSEHOLDS = 40000
THREADS = [1, 2, 3]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def without_output_dir(path, folder):
    """A report's text with the output folder it names (in its header, as summary.json's
    output_dir) replaced by a placeholder; the folder must be there."""
    text = Path(path).read_text(encoding="utf-8")
    shown = f'<dd class="output-dir">{Path(folder).resolve()}</dd>'
    assert shown in text, f"{path.name} does not name its output folder"
    return text.replace(shown, '<dd class="output-dir">OUT</dd>')


def gpkg_tables(path):
    """layer → list of (fid, attributes..., WKB) in fid order."""
    ds = ogr.Open(str(path))
    out = {}
    for i in range(ds.GetLayerCount()):
        layer = ds.GetLayer(i)
        defn = layer.GetLayerDefn()
        rows = []
        # layer_styles.update_time is the write time, not a result
        keep = [k for k in range(defn.GetFieldCount()) if defn.GetFieldDefn(k).GetName() != "update_time"]
        for f in layer:
            g = f.GetGeometryRef()
            rows.append((f.GetFID(), tuple(f.GetField(k) for k in keep),
                         bytes(g.ExportToIsoWkb()) if g is not None else None))
        out[layer.GetName()] = (tuple(defn.GetFieldDefn(k).GetName() for k in keep),
                                sorted(rows, key=lambda r: r[0]))
    return out


def raster(path):
    ds = gdal.Open(str(path))
    b = ds.GetRasterBand(1)
    return ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize, b.GetNoDataValue(), b.ReadAsArray()


@pytest.fixture(scope="module")
def runs(infogap, tmp_path_factory):
    root = tmp_path_factory.mktemp("determinism")
    prov = root / "province"
    run_cli(infogap, "synth", "--households", HOUSEHOLDS, "--seed", 11, "-o", prov, "--quiet")
    sc = yaml.safe_load((prov / "scenario.yaml").read_text(encoding="utf-8"))
    sc["output"]["raster_cell_m"] = 100
    # A few broken rows so that rejects.csv has content (appended to the gzip CSV as a plain CSV).
    with gzip.open(prov / "households.csv.gz", "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = lines[0].split(",")
    bad = {1000: ("lon", "nan"), 20000: ("poverty", "rich"), 39000: ("members", "-2")}
    for row, (column, value) in bad.items():
        cells = lines[row].split(",")
        cells[header.index(column)] = value
        lines[row] = ",".join(cells)
    (prov / "households.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sc["households"]["path"] = "households.csv"
    (prov / "run.yaml").write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    outs = {}
    for t in THREADS:
        outs[t] = root / f"threads{t}"
        run_cli(infogap, "run", prov / "run.yaml", "-o", outs[t], "--quiet", "--threads", t)
    return outs


@pytest.mark.e2e
def test_csv_and_byte_stable_files_are_identical(runs):
    first = runs[THREADS[0]]
    names = sorted(p.name for p in first.iterdir())
    for name in ["proposed_sites.csv", "hamlet_gaps.csv", "commune_gaps.csv", "district_gaps.csv", "rejects.csv"]:
        assert name in names, name
    with open(first / "rejects.csv", encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == 3
    with open(first / "proposed_sites.csv", encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) > 0        # the optimizer placed sites
    for t in THREADS[1:]:
        assert sorted(p.name for p in runs[t].iterdir()) == names
        for name in names:
            if name in ("coverage.gpkg", "summary.json"):
                continue      # timestamps / timings inside; compared by content below
            if name.endswith(".html"):  # the report names its own output folder: compare the rest
                assert without_output_dir(first / name, first) == without_output_dir(runs[t] / name, runs[t]), \
                    f"{name} differs with {t} threads"
                continue
            assert sha256(first / name) == sha256(runs[t] / name), f"{name} differs with {t} threads"


@pytest.mark.e2e
def test_geopackage_layers_are_identical(runs):
    ref = gpkg_tables(runs[THREADS[0]] / "coverage.gpkg")
    assert {"hamlets", "households", "proposed_sites"} <= set(ref)
    assert len(ref["households"][1]) == HOUSEHOLDS - 3
    for t in THREADS[1:]:
        got = gpkg_tables(runs[t] / "coverage.gpkg")
        assert got.keys() == ref.keys()
        for layer in ref:
            assert got[layer][0] == ref[layer][0], f"{layer}: columns differ with {t} threads"
            assert got[layer][1] == ref[layer][1], f"{layer}: features differ with {t} threads"


@pytest.mark.e2e
def test_rasters_are_identical_pixel_by_pixel(runs):
    tifs = sorted(p.name for p in runs[THREADS[0]].glob("*.tif"))
    assert set(tifs) == {"speech_level.tif", "speakers_audible.tif", "team_distance.tif", "gap_density.tif"}
    for name in tifs:
        gt, w, h, nodata, a = raster(runs[THREADS[0]] / name)
        assert w * h > 10000
        for t in THREADS[1:]:
            gt2, w2, h2, nodata2, b = raster(runs[t] / name)
            assert (gt2, w2, h2, nodata2) == (gt, w, h, nodata), name
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), f"{name} pixels differ with {t} threads"
            assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name


@pytest.mark.e2e
def test_summary_is_identical_except_timings(runs):
    def load(t):
        s = json.loads((runs[t] / "summary.json").read_text(encoding="utf-8"))
        s.pop("timings_s")
        assert s.pop("output_dir") == str(runs[t].resolve())   # each run names its own folder
        s["optimizer"].pop("seconds")     # solver wall time
        return s
    ref = load(THREADS[0])
    a = ref["accounting"]["households"]
    assert a["input"] == HOUSEHOLDS and a["rejected"] == 3
    assert a["input"] == a["joined"] + a["outside"] + a["rejected"]
    assert "optimizer" in ref
    for t in THREADS[1:]:
        assert load(t) == ref, f"summary.json differs with {t} threads"
