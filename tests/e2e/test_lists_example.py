"""The second bundled example, `data/bac_lieu_lists/` (what a commune holds: commune outlines, hamlet
points, the household list as .xlsx keyed by commune and hamlet name without coordinates, footprints),
through the README's own commands (section "From the commune's lists to a report"):

- the commands of the README's bash block run as written (validate, run, synth --example lists);
- `synth --example lists` regenerates the committed files (text byte for byte, GeoPackages and the
  workbook row for row through GDAL);
- every household row is accounted for (placed + rejected = rows); each row lands in the hamlet its
  commune and hamlet names mean, with its status — checked by a matcher written here, independent
  of the engine's; hamlets are `derived`, households `placed`; summary.json's `locations` says so;
- the report says what is approximate; the proposed sites carry the candidate's name and type (looked
  up in candidates.gpkg), the hamlet's and commune's names and lon/lat (reprojected here with OSR), and
  the report's table shows names, not ids.
"""
import csv
import json
import math
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from osgeo import gdal, ogr, osr

import contract
from conftest import ROOT, load_summary

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

pytestmark = pytest.mark.e2e

DATA = ROOT / "data" / "bac_lieu_lists"
SHEET = "Danh sách hộ"


def readme_commands():
    """The bash block of the README section "From the commune's lists to a report", comments dropped."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("**From the commune's lists to a report.**")
    block = re.search(r"```bash\n(.*?)```", text[start:], re.S)
    assert block, "README: no bash block in the lists walkthrough"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.split("#")[0].strip()]


@pytest.fixture(scope="module")
def walk(infogap, tmp_path_factory):
    """The README's commands run in a scratch copy of the repository's layout."""
    work = tmp_path_factory.mktemp("lists_walk")
    shutil.copytree(DATA, work / "data" / "bac_lieu_lists")
    outputs = {}
    for cmd in readme_commands():
        assert cmd.startswith("build/bin/infogap "), cmd
        args = cmd.split()[1:]
        if args[0] == "synth":  # regenerate beside, so that the run's inputs stay the files it read
            args = [a if a != "data/bac_lieu_lists" else "regenerated" for a in args]
        p = subprocess.run([str(infogap), *args], cwd=work, capture_output=True, text=True, timeout=900)
        assert p.returncode == 0, f"{cmd} exited {p.returncode}\n{p.stdout}\n{p.stderr}"
        outputs[args[0]] = p
    out = work / "ketqua_xa"
    assert (out / "summary.json").is_file(), "the README's run wrote no ketqua_xa/summary.json"
    return {"work": work, "out": out, "outputs": outputs}


# ---- what the commune's files hold, read here -----------------------------------------------------


def fold(text: str) -> str:
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in t if unicodedata.category(c) != "Mn").lower()


ROMAN = {}
for n in range(1, 40):
    ROMAN["x" * (n // 10) + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][n % 10]] = n
PREFIXES = (["ap"], ["khom"], ["xa"], ["phuong"], ["thi", "tran"])


def name_key(name: str) -> str:
    """A hamlet or commune name as compared: folded, lower case, no prefix, numbers in Arabic."""
    tokens = re.sub(r"[\s_.\-]+", " ", fold(name)).strip().split()
    for p in PREFIXES:
        if tokens[:len(p)] == p and len(tokens) > len(p):
            tokens = tokens[len(p):]
            break
    return " ".join(str(int(t)) if t.isdigit() else str(ROMAN[t]) if t in ROMAN else t for t in tokens)


STATUS = {"ngheo": "poor", "can ngheo": "near_poor", "khong ngheo": "not_poor", "thoat ngheo": "not_poor",
          "thoat can ngheo": "not_poor", "moi thoat ngheo": "not_poor"}


def status_of(label: str) -> str:
    k = re.sub(r"\s+", " ", fold(label)).strip()
    return STATUS[k[3:] if k.startswith("ho ") else k]


def sheet_rows(path: Path):
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR, open_options=["HEADERS=FORCE"])
    lyr = ds.GetLayerByName(SHEET)
    assert lyr is not None, f"{path}: no sheet {SHEET}"
    names = [lyr.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(lyr.GetLayerDefn().GetFieldCount())]
    return names, [[f.GetField(i) for i in range(len(names))] for f in lyr]


def layer_rows(path: Path, layer: str):
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName(layer)
    out = []
    for f in lyr:
        g = f.GetGeometryRef()
        out.append((tuple(f.GetField(i) for i in range(f.GetFieldCount())), g.ExportToIsoWkb() if g else None))
    return out


@pytest.fixture(scope="module")
def expected():
    """Per (hamlet_id, status) counts the list means, and the rows naming no hamlet of their commune."""
    communes = {}
    for (gso, name, *_), _g in layer_rows(DATA / "communes.gpkg", "communes"):
        communes[name_key(name)] = name
    hamlets = {}
    with open(DATA / "hamlets.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            hamlets[(r["commune"], name_key(r["name"]))] = r["hamlet_id"]
    names, rows = sheet_rows(DATA / "households.xlsx")
    col = {n: i for i, n in enumerate(names)}
    counts, unmatched = Counter(), []
    for r in rows:
        commune = communes[name_key(r[col["Xã/Phường/Thị trấn"]])]
        hid = hamlets.get((commune, name_key(r[col["Ấp/Khóm"]])))
        if hid is None:
            unmatched.append(r[col["Mã hộ"]])
        else:
            counts[(hid, status_of(r[col["Phân loại hộ"]]))] += 1
    return {"rows": len(rows), "counts": counts, "unmatched": unmatched, "hamlets": len(set(hamlets.values()))}


# ---- the tests ------------------------------------------------------------------------------------


def test_the_example_is_small_and_labelled_synthetic():
    total = sum(p.stat().st_size for p in (ROOT / "data").rglob("*") if p.is_file())
    assert total <= 15 * 1024 * 1024, f"data/ holds {total / 2**20:.1f} MB (limit 15 MB)"
    assert "SYNTHETIC" in (DATA / "README.md").read_text(encoding="utf-8")
    assert "bac_lieu_lists" in (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    scenario = (DATA / "scenario.yaml").read_text(encoding="utf-8")
    for key in ("communes:", "hamlet_name:", "status_values:", "footprints:", "synthetic: true"):
        assert key in scenario, key
    names, rows = sheet_rows(DATA / "households.xlsx")
    assert "lon" not in names and "lat" not in names and len(rows) > 5000, names


def test_synth_regenerates_the_committed_files(walk):
    regenerated = walk["work"] / "regenerated"
    for name in ("scenario.yaml", "README.md", "hamlets.csv"):
        assert (regenerated / name).read_bytes() == (DATA / name).read_bytes(), name
    assert sheet_rows(regenerated / "households.xlsx") == sheet_rows(DATA / "households.xlsx")
    for file, layer in (("communes.gpkg", "communes"), ("footprints.gpkg", "footprints"),
                        ("speakers.gpkg", "speakers"), ("teams.gpkg", "teams"), ("candidates.gpkg", "candidates")):
        assert layer_rows(regenerated / file, layer) == layer_rows(DATA / file, layer), file


def test_validate_reports_every_layer_and_accepts(walk):
    text = walk["outputs"]["validate"].stdout + walk["outputs"]["validate"].stderr
    for layer in ("hamlets", "communes", "households", "footprints", "speakers", "teams", "candidates"):
        assert re.search(rf"^{layer} ", text, re.M), f"validate says nothing of {layer}:\n{text}"
    assert "placed inside their hamlet" in text and "result: inputs are usable" in text, text


@pytest.mark.parametrize("part", list(contract.CHECKS))
def test_contract_holds(walk, part):
    problems = contract.CHECKS[part](contract.Output(walk["out"], walk["work"] / "data" / "bac_lieu_lists" /
                                                     "scenario.yaml"))
    assert not problems, "\n".join(problems)


def test_every_row_is_placed_in_the_hamlet_it_names_or_rejected(walk, expected):
    s = load_summary(walk["out"])
    acc = s["accounting"]["households"]
    assert acc["input"] == expected["rows"]
    assert acc["rejected"] == len(expected["unmatched"]) > 0
    assert acc["outside"] == 0
    assert acc["joined"] + acc["rejected"] == acc["input"]
    assert s["locations"]["households"] == {"surveyed": 0, "placed": acc["joined"]}
    assert s["locations"]["hamlets"] == {"given": 0, "derived": expected["hamlets"]}
    with open(walk["out"] / "rejects.csv", encoding="utf-8", newline="") as f:
        rejected = [r["id"] for r in csv.DictReader(f) if r["layer"] == SHEET or r["file"].endswith("households.xlsx")]
    assert sorted(rejected) == sorted(expected["unmatched"])
    ds = gdal.OpenEx(str(walk["out"] / "coverage.gpkg"), gdal.OF_VECTOR)
    got = Counter()
    for f in ds.GetLayerByName("households"):
        assert f.GetField("location") == "placed"
        got[(f.GetField("hamlet_id"), f.GetField("poverty"))] += 1
    assert got == expected["counts"]
    assert {f.GetField("geometry_source") for f in ds.GetLayerByName("hamlets")} == {"derived"}


def test_report_says_what_is_approximate(walk):
    html = (walk["out"] / "report.en.html").read_text(encoding="utf-8")
    assert "have no surveyed location" in html
    assert "were derived by splitting their commune" in html
    vi = (walk["out"] / "report.vi.html").read_text(encoding="utf-8")
    assert "không có vị trí khảo sát" in vi


def test_proposed_sites_say_where_in_a_planners_terms(walk):
    candidates = {}
    ds = gdal.OpenEx(str(DATA / "candidates.gpkg"), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName("candidates")
    utm = lyr.GetSpatialRef()
    wgs84 = osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_wgs84 = osr.CoordinateTransformation(utm, wgs84)
    for f in lyr:
        g = f.GetGeometryRef()
        lon, lat, _ = to_wgs84.TransformPoint(g.GetX(), g.GetY())
        candidates[f.GetField("candidate_id")] = (f.GetField("name"), f.GetField("type"), lon, lat)
    hamlets = {}
    with open(DATA / "hamlets.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            hamlets[r["hamlet_id"]] = (r["name"], r["commune"])
    with open(walk["out"] / "proposed_sites.csv", encoding="utf-8", newline="") as f:
        sites = list(csv.DictReader(f))
    # 5 loudspeakers + 2 teams: of the 6 loudspeakers one solve proposes, one adds nothing once its
    # echoes count (optimize.echo_rounds 1 by default) and drops out; the summary says so
    assert len(sites) == 7, sites
    assert sum(s["kind"] == "speaker" for s in sites) == 5 and sum(s["kind"] == "team" for s in sites) == 2
    assert "1 proposed site(s) dropped out" in json.loads((walk["out"] / "summary.json").read_text())["optimizer"]["message"]
    for s in sites:
        name, type_, lon, lat = candidates[s["candidate_id"]]
        assert (s["candidate_name"], s["candidate_type"]) == (name, type_), s
        assert name, s
        assert math.isclose(float(s["lon"]), lon, abs_tol=1.5e-6) and math.isclose(float(s["lat"]), lat,
                                                                                  abs_tol=1.5e-6), (s, lon, lat)
        assert (s["hamlet_name"], s["commune_name"]) == hamlets[s["hamlet_id"]], s
    # The report's table shows the names, not the ids.
    html = (walk["out"] / "report.vi.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="sortable proposed-table">(.*?)</table>', html, re.S)
    assert table, "report: no proposed-sites table"
    for s in sites:
        assert s["candidate_name"] in table.group(1), s["candidate_name"]
        assert s["hamlet_name"] in table.group(1) and s["commune_name"] in table.group(1)
        assert f">{s['site_id']}<" not in table.group(1) and f">{s['candidate_id']}<" not in table.group(1)
