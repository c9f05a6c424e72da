"""Bad input through the CLI (DESIGN §3 "bad input gets a clear error and loses nothing", §5 atomic
outputs). One case per YAML file in bad_inputs/; the broken files are made at run time from a small
synthetic province (`infogap synth`, 400 households). For every case the test checks: exit code 1
(never 2, never a hang), a message naming the culprit, and no partial output: a run into a new folder
leaves no file and no staging folder, and a run into a folder holding a complete previous run leaves
those files byte-identical. Cases with bad rows run twice: `on_bad_rows: fail` aborts, and
`on_bad_rows: reject` succeeds with each bad row in rejects.csv exactly once. Cases marked `good` are
inputs that look odd but must work (layers in mixed CRSs, self-intersecting polygons).

Keys of a case file:
  what           one line: what is broken (required)
  verb           run (default) | validate
  make           generated pieces, in order: {op: <name in OPS>, ...}; `src` names a file of the base
                 province, `dst` a file of the case folder
  scenario       merged into the base scenario (absolute paths to the base files); relative paths
                 name files of the case folder
  scenario_text  the scenario file's text instead ("{base}" = the base folder); scenario_encoding
  scenario_file  run this file of the case folder instead of scenario.yaml (e.g. a missing one)
  output         new (default) | input_dir (-o the case folder) | under_file (-o file.txt/out)
  rlimit_fsize   file size limit in bytes for the run (a full disk)
  expect         {message: [strings the error must contain]} or, for good cases, what must hold
  rejects        bad rows: [{file, feature, column, reason: [...]}] listed once with on_bad_rows: reject
  good           true: a valid input that must run"""
import copy
import csv
import gzip
import hashlib
import io
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml
from osgeo import gdal, ogr, osr

from conftest import run_cli

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

HERE = Path(__file__).resolve().parent
CASE_FILES = sorted((HERE / "bad_inputs").glob("*.yaml"))
HOUSEHOLDS = 400
TIMEOUT_S = 120   # a hang (e.g. the YAML parser looping) fails the case instead of blocking the suite


# ---------------------------------------------------------------------------------------------
# The base province and a complete previous run

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest(folder):
    """Every entry under a folder (files, folders, hidden ones too) → sha256 (None for a folder)."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), folder)] = None
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, folder)] = sha256(p)
    return out


def fast_output(sc):
    """Coarse rasters keep a full run of the province to about a second."""
    sc["output"]["raster_cell_m"] = 200
    return sc


@pytest.fixture(scope="session")
def base(infogap, tmp_path_factory):
    """A synthetic province with plain (editable) households.csv; scenario as a dict, absolute paths."""
    d = tmp_path_factory.mktemp("base")
    run_cli(infogap, "synth", "--households", HOUSEHOLDS, "--seed", 7, "-o", d, "--quiet")
    with gzip.open(d / "households.csv.gz", "rb") as f:
        (d / "households.csv").write_bytes(f.read())
    sc = yaml.safe_load((d / "scenario.yaml").read_text(encoding="utf-8"))
    sc["households"]["path"] = "households.csv"
    for key in ["hamlets", "households", "speakers", "teams"]:
        sc[key]["path"] = str(d / sc[key]["path"])
    sc["optimize"]["candidates"]["path"] = str(d / sc["optimize"]["candidates"]["path"])
    fast_output(sc)
    sc["output"]["dir"] = str(d / "out")
    return d, sc


@pytest.fixture(scope="session")
def previous_run(infogap, base, tmp_path_factory):
    """A complete run of the base scenario: the folder a failed run must leave untouched."""
    d, sc = base
    work = tmp_path_factory.mktemp("previous")
    (work / "scenario.yaml").write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    out = work / "out"
    run_cli(infogap, "run", work / "scenario.yaml", "-o", out, "--quiet", timeout=TIMEOUT_S)
    assert (out / "summary.json").exists()
    return out


# ---------------------------------------------------------------------------------------------
# Generated pieces (the `make` list of a case)

def op_copy(case_dir, base_dir, op):
    shutil.copyfile(base_dir / op["src"], case_dir / op["dst"])


def op_truncate(case_dir, base_dir, op):
    data = (base_dir / op["src"]).read_bytes()
    (case_dir / op["dst"]).write_bytes(data[: int(len(data) * op["fraction"])])


def op_random_bytes(case_dir, base_dir, op):
    rng = random.Random(op.get("seed", 1))
    (case_dir / op["dst"]).write_bytes(bytes(rng.randrange(256) for _ in range(op["size"])))


def op_text(case_dir, base_dir, op):
    """A text file; `encoding` other than utf-8 makes non-UTF-8 bytes on purpose."""
    (case_dir / op["dst"]).write_bytes(op["text"].encode(op.get("encoding", "utf-8")))


def op_mkdir(case_dir, base_dir, op):
    (case_dir / op["dst"]).mkdir(parents=True, exist_ok=True)


def op_csv(case_dir, base_dir, op):
    """Edits the base households CSV: rows are 1-based data rows (= the feature id the engine reports).
    As a commune's spreadsheet export may write it: `map` {column: {old: new}} relabels values
    (`nfd: true` writes the new labels decomposed, NFD), `decimal_comma` [columns] writes 105,72,
    `delimiter` (e.g. ";"), `bom`, `crlf`; `swap_header` [a, b] swaps two column names."""
    with open(base_dir / op["src"], encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    if "keep" in op:
        data = data[: op["keep"]]
    for edit in op.get("set", []):
        row = data[edit["row"] - 1]
        for k, v in edit.items():
            if k != "row":
                row[header.index(k)] = str(v)
    for edit in op.get("swap", []):
        row = data[edit["row"] - 1]
        a, b = header.index(edit["a"]), header.index(edit["b"])
        row[a], row[b] = row[b], row[a]
    for src_row, dst_row in op.get("copy_id", []):  # duplicate ids: row dst gets the id of row src
        data[dst_row - 1][0] = data[src_row - 1][0]
    for old, new in op.get("rename_columns", {}).items():
        header[header.index(old)] = new
    if "swap_header" in op:
        a, b = (header.index(c) for c in op["swap_header"])
        header[a], header[b] = header[b], header[a]
    for column, mapping in op.get("map", {}).items():
        k = header.index(column)
        for r in data:
            if r[k] in mapping:
                r[k] = unicodedata.normalize("NFD", mapping[r[k]]) if op.get("nfd") else mapping[r[k]]
    for column in op.get("decimal_comma", []):
        k = header.index(column)
        for r in data:
            r[k] = r[k].replace(".", ",")
    drop = [header.index(c) for c in op.get("drop_columns", [])]
    header = [c for i, c in enumerate(header) if i not in drop]
    data = [[c for i, c in enumerate(r) if i not in drop] for r in data]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if op.get("crlf") else "\n", delimiter=op.get("delimiter", ","))
    w.writerow(header + op.get("extra_header", []))
    for r in data:
        w.writerow(r + op.get("extra_values", []))
    (case_dir / op["dst"]).write_bytes((b"\xef\xbb\xbf" if op.get("bom") else b"") +
                                       buf.getvalue().encode(op.get("encoding", "utf-8")))


def op_layer(case_dir, base_dir, op):
    """Rewrites a base vector layer with OGR: format, CRS (`srs`: reproject; `assign_srs: none`:
    write without a CRS), field types, attribute and geometry edits on 1-based feature rows, or only
    the first `keep` features."""
    src_path = base_dir / op["src"]
    if src_path.suffix == ".csv":
        src = gdal.OpenEx(str(src_path), gdal.OF_VECTOR, open_options=[
            "X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", "KEEP_GEOM_COLUMNS=NO"])
        src_srs = osr.SpatialReference()
        src_srs.ImportFromEPSG(4326)
    else:
        src = gdal.OpenEx(str(src_path), gdal.OF_VECTOR)
        src_srs = None
    sl = src.GetLayer(0)
    src_srs = src_srs or sl.GetSpatialRef()
    sdefn = sl.GetLayerDefn()
    target_srs = None
    transform = None
    if op.get("srs"):
        target_srs = osr.SpatialReference()
        target_srs.SetFromUserInput(op["srs"])
        target_srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        s_srs = src_srs.Clone()
        s_srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        transform = osr.CoordinateTransformation(s_srs, target_srs)
    elif op.get("assign_srs") != "none":
        target_srs = src_srs
    fmt = op.get("format", "GPKG")
    driver = ogr.GetDriverByName(fmt)
    dst_path = case_dir / op["dst"]
    if dst_path.exists():
        driver.DeleteDataSource(str(dst_path))
    ds = driver.CreateDataSource(str(dst_path))
    geom_type = getattr(ogr, op["geom_type"]) if "geom_type" in op else sl.GetGeomType()
    options = ["GEOMETRY=AS_XY"] if fmt == "CSV" else []
    dl = ds.CreateLayer(op.get("layer", sl.GetName()), target_srs, geom_type, options=options)
    types = op.get("field_types", {})
    for i in range(sdefn.GetFieldCount()):
        fd = sdefn.GetFieldDefn(i)
        nd = ogr.FieldDefn(fd.GetName(), getattr(ogr, "OFT" + types[fd.GetName()]) if fd.GetName() in types else fd.GetType())
        dl.CreateField(nd)
    sets = {e["row"]: e for e in op.get("set", [])}
    geoms = {e["row"]: e["wkt"] for e in op.get("geometry", [])}
    dl.StartTransaction()
    for row, f in enumerate(sl, start=1):
        if "keep" in op and row > op["keep"]:
            break
        nf = ogr.Feature(dl.GetLayerDefn())
        for i in range(sdefn.GetFieldCount()):
            name = sdefn.GetFieldDefn(i).GetName()
            if f.IsFieldSetAndNotNull(i):
                nf.SetField(name, f.GetField(i) if name not in types else str(f.GetField(i)))
        for k, v in sets.get(row, {}).items():
            if k != "row":
                nf.SetField(k, v)
        if row in geoms:
            g = ogr.CreateGeometryFromWkt(geoms[row])
        else:
            g = f.GetGeometryRef().Clone()
            if transform is not None:
                g.Transform(transform)
            if "geom_type" in op:
                g = g.Centroid() if op["geom_type"] == "wkbPoint" else g
        nf.SetGeometry(g)
        dl.CreateFeature(nf)
    dl.CommitTransaction()
    ds = None
    src = None


def op_sqlite(case_dir, base_dir, op):
    """Copies a GeoPackage and runs SQL on it (bytes GDAL's API would not write, e.g. non-UTF-8 text).
    Through GDAL, whose SQLite connection has the ST_* functions the GeoPackage triggers call."""
    dst = case_dir / op["dst"]
    shutil.copyfile(base_dir / op["src"], dst)
    ds = gdal.OpenEx(str(dst), gdal.OF_VECTOR | gdal.OF_UPDATE)
    for statement in op["sql"]:
        ds.ExecuteSQL(statement)
    ds = None


OPS = {"copy": op_copy, "truncate": op_truncate, "random_bytes": op_random_bytes, "text": op_text,
       "mkdir": op_mkdir, "csv": op_csv, "layer": op_layer, "sqlite": op_sqlite}


def merge(dst, src):
    for k, v in src.items():
        if isinstance(v, dict) and isinstance(dst.get(k), dict):
            merge(dst[k], v)
        elif v == "__delete__":
            dst.pop(k, None)
        else:
            dst[k] = copy.deepcopy(v)
    return dst


# ---------------------------------------------------------------------------------------------
# Running a case

CASE_KEYS = {"what", "verb", "make", "scenario", "scenario_text", "scenario_encoding", "scenario_file", "output",
             "rlimit_fsize", "expect", "rejects", "good"}


def load_case(path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"{path.name}: unknown keys {unknown}"
    case["name"] = path.stem
    assert case.get("what"), f"{path.name}: every case says what it breaks"
    assert "expect" in case, path.name
    return case


def prepare(case, base, tmp_path, on_bad_rows=None):
    """The case folder: generated pieces, then scenario.yaml (or the case's raw scenario text)."""
    base_dir, base_sc = base
    case_dir = tmp_path / "case"
    case_dir.mkdir(exist_ok=True)
    for op in case.get("make", []):
        OPS[op["op"]](case_dir, base_dir, op)
    scenario = case_dir / "scenario.yaml"
    if "scenario_text" in case:
        text = case["scenario_text"].replace("{base}", str(base_dir))
        scenario.write_bytes(text.encode(case.get("scenario_encoding", "utf-8")))
    else:
        sc = merge(copy.deepcopy(base_sc), case.get("scenario", {}))
        if on_bad_rows:
            sc["on_bad_rows"] = on_bad_rows
        scenario.write_text(yaml.safe_dump(sc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return case_dir, scenario


def invoke(infogap, case, scenario, out, rlimit_fsize=None):
    args = [str(infogap), case.get("verb", "run"), str(scenario)]
    if case.get("verb", "run") != "validate":
        args += ["-o", str(out), "--quiet"]
    preexec = None
    if rlimit_fsize:
        # "Disk full": writes past the limit fail with EFBIG (SIGXFSZ ignored, as a full disk gives
        # ENOSPC without a signal). Chosen over a small tmpfs because mounting needs privileges.
        def preexec():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (rlimit_fsize, rlimit_fsize))
    return subprocess.run(args, capture_output=True, text=True, errors="replace", timeout=TIMEOUT_S,
                          preexec_fn=preexec)


def output_folder(case, case_dir, tmp_path):
    where = case.get("output", "new")
    if where == "input_dir":          # -o the folder holding the (case's) inputs
        return case_dir
    if where == "under_file":         # a path below a regular file: cannot be created, even by root
        (tmp_path / "file.txt").write_text("not a folder\n")
        return tmp_path / "file.txt" / "out"
    return tmp_path / "out"


def check_failure(p, case):
    msg = p.stderr + p.stdout
    if os.environ.get("INFOGAP_TEST_VERBOSE"):
        print(f"\n[{case['name']}] exit {p.returncode}: {p.stderr.strip()[:400]}")
    assert p.returncode == 1, f"exit {p.returncode} (want 1)\nstderr:\n{p.stderr}\nstdout:\n{p.stdout[-3000:]}"
    assert "internal error" not in msg, msg
    for needle in case["expect"].get("message", []):
        assert needle in msg, f"message does not name {needle!r}:\n{msg}"


CASES = [load_case(p) for p in CASE_FILES]


def test_case_table_is_large_enough():
    bad = [c for c in CASES if not c.get("good")]
    assert len(bad) >= 30, len(bad)


@pytest.mark.e2e
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case, infogap, base, previous_run, tmp_path):
    if case.get("good"):
        return check_good_case(case, infogap, base, previous_run, tmp_path)
    policy = "fail" if case.get("rejects") else None
    case_dir, scenario = prepare(case, base, tmp_path, on_bad_rows=policy)
    if case.get("scenario_file"):
        scenario = case_dir / case["scenario_file"]
    before_inputs = manifest(case_dir)
    out = output_folder(case, case_dir, tmp_path)
    fsize = case.get("rlimit_fsize")

    # 1. Into a new folder: exit 1, a message naming the culprit, and nothing left behind.
    p = invoke(infogap, case, scenario, out, fsize)
    check_failure(p, case)
    if case.get("output", "new") == "new":
        assert not out.exists() or list(out.iterdir()) == [], f"left behind: {list(out.iterdir())}"
    assert manifest(case_dir) == before_inputs, "the inputs were changed"

    # 2. Into a folder holding a complete previous run: those files unchanged, nothing added.
    if case.get("verb", "run") != "validate" and case.get("output", "new") == "new":
        out2 = tmp_path / "previous"
        shutil.copytree(previous_run, out2)
        expected = manifest(out2)
        p2 = invoke(infogap, case, scenario, out2, fsize)
        check_failure(p2, case)
        assert manifest(out2) == expected, "a failed run changed the previous outputs"

    # 3. Bad rows: with on_bad_rows: reject the run goes on and lists each bad row exactly once.
    if case.get("rejects"):
        check_rejected_rows(case, infogap, base, tmp_path)


def check_rejected_rows(case, infogap, base, tmp_path):
    work = tmp_path / "reject"
    work.mkdir()
    case_dir, scenario = prepare(case, base, work, on_bad_rows="reject")
    out = work / "out"
    p = run_cli(infogap, "run", scenario, "-o", out, "--quiet", check=False, timeout=TIMEOUT_S)
    assert p.returncode == 0, p.stderr
    with open(out / "rejects.csv", encoding="utf-8", newline="") as f:
        rejects = list(csv.DictReader(f))
    keys = Counter((r["file"], r["layer"], r["feature_id"]) for r in rejects)
    assert all(v == 1 for v in keys.values()), f"a row rejected twice: {keys}"
    for want in case["rejects"]:
        hits = [r for r in rejects if Path(r["file"]).name == want["file"] and r["feature_id"] == str(want["feature"])
                and r["column"] == want["column"]]
        assert len(hits) == 1, f"{want} not listed once in rejects.csv:\n{rejects}"
        for needle in want.get("reason", []):
            assert needle in hits[0]["reason"], hits[0]
    assert len(rejects) == len(case["rejects"]), f"unexpected rejects: {rejects}"
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    a = s["accounting"]["households"]
    assert a["input"] == a["joined"] + a["outside"] + a["rejected"]
    assert a["rejected"] == sum(1 for r in case["rejects"] if r["file"].startswith("households"))


def check_good_case(case, infogap, base, previous_run, tmp_path):
    """Inputs that look broken but are valid: the run succeeds and agrees with the reference run."""
    case_dir, scenario = prepare(case, base, tmp_path)
    out = tmp_path / "out"
    p = run_cli(infogap, "run", scenario, "-o", out, "--quiet", check=False, timeout=TIMEOUT_S)
    assert p.returncode == 0, p.stderr
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    ref = json.loads((previous_run / "summary.json").read_text(encoding="utf-8"))
    a, ra = s["accounting"]["households"], ref["accounting"]["households"]
    assert a["input"] == ra["input"] == HOUSEHOLDS
    assert a["input"] == a["joined"] + a["outside"] + a["rejected"]
    assert a["rejected"] == 0
    assert s["working_crs"] == ref["working_crs"] == "EPSG:32648"
    expect = case["expect"]
    if "repaired_polygons" in expect:
        assert s["repaired_polygons"] == expect["repaired_polygons"]
    if expect.get("same_join_as_reference"):
        # Reprojection round trips move points by far less than a millimetre: the join per hamlet
        # may differ only for a household on a hamlet edge; allow 1 of 400.
        def per_hamlet(folder):
            with open(folder / "hamlet_gaps.csv", encoding="utf-8", newline="") as f:
                return {r["hamlet_id"]: int(r["households"]) for r in csv.DictReader(f)}
        got, want = per_hamlet(out), per_hamlet(previous_run)
        assert got.keys() == want.keys()
        moved = sum(abs(got[k] - want[k]) for k in want)
        assert moved <= 2, f"{moved} household(s) joined differently"
        for layer in ["speakers", "teams", "candidates"]:
            assert s["inputs"][layer]["features"] == ref["inputs"][layer]["features"], layer
            assert s["inputs"][layer]["accepted"] == ref["inputs"][layer]["accepted"], layer
    if expect.get("same_households_as_reference"):
        # Labels as a list writes them come out normalised: the same poverty and weight per household.
        def households(folder):
            ds = ogr.Open(str(folder / "coverage.gpkg"))
            return {f["household_id"]: (f["poverty"], f["weight"]) for f in ds.GetLayerByName("households")}
        got, want = households(out), households(previous_run)
        assert got == want
        assert {p for p, _ in got.values()} == {"poor", "near_poor", "not_poor"}


@pytest.mark.e2e
def test_xlsx_workbook_holds_the_gap_tables_of_the_csvs(infogap, base, tmp_path):
    """output.formats: [csv, xlsx] → gaps.xlsx, a sheet per gap table; read back with GDAL's XLSX
    driver, every sheet has the CSV's columns and rows (numbers equal to 1e-9)."""
    base_dir, base_sc = base
    sc = copy.deepcopy(base_sc)
    sc["output"]["formats"] = ["csv", "xlsx"]
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    run_cli(infogap, "run", tmp_path / "scenario.yaml", "-o", out, "--quiet", timeout=TIMEOUT_S)
    csvs = sorted(p.stem for p in out.glob("*_gaps.csv"))
    assert "hamlet_gaps" in csvs and len(csvs) == 1 + len(sc["hamlets"]["group_by"])
    placed = out / "proposed_sites.csv"
    if placed.exists() and len(placed.read_text(encoding="utf-8").splitlines()) > 1:
        csvs.append("proposed_sites")  # a sheet for the proposed sites when the run placed any
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "gaps.xlsx" in summary["outputs"]
    ds = gdal.OpenEx(str(out / "gaps.xlsx"), gdal.OF_VECTOR, open_options=["HEADERS=FORCE", "FIELD_TYPES=AUTO"])
    assert ds.GetDriver().ShortName == "XLSX"
    assert sorted(ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())) == sorted(csvs)
    for name in csvs:
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as f:
            want = list(csv.DictReader(f))
        layer = ds.GetLayerByName(name)
        defn = layer.GetLayerDefn()
        assert [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())] == list(want[0].keys()), name
        got = [f.items() for f in layer]
        assert len(got) == len(want), name
        for g, w in zip(got, want):
            for k, v in w.items():
                if v == "":
                    assert g[k] in (None, ""), (name, k, g[k])
                elif isinstance(g[k], (int, float)):
                    assert abs(g[k] - float(v)) <= 1e-9 * max(1.0, abs(float(v))), (name, k, g[k], v)
                else:
                    assert str(g[k]) == v, (name, k, g[k], v)


# ---------------------------------------------------------------------------------------------
# Accounting: a known number of bad household rows of several kinds

def households_outside(hamlets_gpkg, points_lonlat):
    """Indices of points (lon/lat) covered by no hamlet, by GDAL/OGR alone (independent of the engine)."""
    ds = ogr.Open(str(hamlets_gpkg))
    layer = ds.GetLayer(0)
    wgs84 = osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    target = layer.GetSpatialRef().Clone()
    target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_layer = osr.CoordinateTransformation(wgs84, target)
    outside = set()
    for i, (lon, lat) in enumerate(points_lonlat):
        x, y, _ = to_layer.TransformPoint(lon, lat)
        pt = ogr.Geometry(ogr.wkbPoint)
        pt.AddPoint_2D(x, y)
        layer.SetSpatialFilter(pt)
        if not any(f.GetGeometryRef().Intersects(pt) for f in layer):
            outside.add(i)
    layer.SetSpatialFilter(None)
    return outside


@pytest.mark.e2e
def test_accounting_with_known_bad_rows(infogap, base, tmp_path):
    """400 households, of which a seeded random 48 are broken in 8 ways (6 each) and 10 are moved
    outside every hamlet. The test's own count: 48 rejected (each listed once, with the right column),
    outside = the rows GDAL finds in no hamlet, joined = the rest; input = joined + outside + rejected."""
    base_dir, base_sc = base
    with open(base_dir / "households.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], [list(r) for r in rows[1:]]
    col = {c: header.index(c) for c in header}
    rng = random.Random(2024)
    order = list(range(1, len(data)))      # row 0 stays good: the duplicate-id rows copy its id
    rng.shuffle(order)
    kinds = {  # kind → (edit, the column rejects.csv must name)
        "nan_lon": (lambda r, i: r.__setitem__(col["lon"], "nan"), "lon,lat"),
        "inf_lat": (lambda r, i: r.__setitem__(col["lat"], "inf"), "lon,lat"),
        "swapped": (lambda r, i: (r.__setitem__(col["lon"], r[col["lat"]]) or r.__setitem__(col["lat"], "105.6")), "lat"),
        "unknown_status": (lambda r, i: r.__setitem__(col["poverty"], "very_poor"), "poverty"),
        "empty_status": (lambda r, i: r.__setitem__(col["poverty"], ""), "poverty"),
        "negative_members": (lambda r, i: r.__setitem__(col["members"], "-1"), "members"),
        "text_devices": (lambda r, i: r.__setitem__(col["info_devices"], "two"), "info_devices"),
        "duplicate_id": (lambda r, i: r.__setitem__(col["household_id"], data[0][col["household_id"]]), "household_id"),
    }
    bad = {}
    k = 0
    for kind, (edit, column) in kinds.items():
        for _ in range(6):
            i = order[k]
            k += 1
            edit(data[i], i)
            bad[i + 1] = column      # 1-based data row = the engine's feature id for a CSV
    moved = []
    for _ in range(10):
        i = order[k]
        k += 1
        data[i][col["lon"]] = "105.0"     # west of Bạc Liêu, same UTM zone: valid but in no hamlet
        moved.append(i)
    (tmp_path / "households.csv").write_text(
        "\n".join(",".join(r) for r in [header] + data) + "\n", encoding="utf-8")
    sc = copy.deepcopy(base_sc)
    sc["households"]["path"] = str(tmp_path / "households.csv")
    sc["on_bad_rows"] = "reject"
    sc["max_rejected_share"] = 0.2   # 48 of 400 rows (12 %) broken on purpose
    sc["output"]["formats"] = ["csv", "gpkg"]
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    run_cli(infogap, "run", tmp_path / "scenario.yaml", "-o", out, "--quiet", timeout=TIMEOUT_S)

    good = [i for i in range(len(data)) if i + 1 not in bad]
    outside_rows = households_outside(base_dir / "hamlets.gpkg",
                                      [(float(data[i][col["lon"]]), float(data[i][col["lat"]])) for i in good])
    expected_outside = len(outside_rows)
    assert expected_outside >= 10       # the moved rows at least
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    a = s["accounting"]["households"]
    assert a["input"] == len(data) == HOUSEHOLDS
    assert a["rejected"] == len(bad) == 48
    assert a["outside"] == expected_outside
    assert a["joined"] == len(data) - len(bad) - expected_outside
    assert a["input"] == a["joined"] + a["outside"] + a["rejected"]

    with open(out / "rejects.csv", encoding="utf-8", newline="") as f:
        rejects = list(csv.DictReader(f))
    ids = Counter(int(r["feature_id"]) for r in rejects if Path(r["file"]).name == "households.csv")
    assert all(v == 1 for v in ids.values()), "a household listed twice in rejects.csv"
    assert set(ids) == set(bad), (sorted(set(ids) - set(bad)), sorted(set(bad) - set(ids)))
    for r in rejects:
        assert r["column"] == bad[int(r["feature_id"])], r
    # The households layer holds every joined and outside household exactly once.
    ds = ogr.Open(str(out / "coverage.gpkg"))      # kept alive while its layer is used
    layer = ds.GetLayerByName("households")
    kept = [f.GetField("household_id") for f in layer]
    assert len(kept) == len(set(kept)) == a["joined"] + a["outside"]
    assert sum(1 for f in layer if not f.IsFieldSetAndNotNull("hamlet_id")) == expected_outside
