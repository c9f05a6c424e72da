"""Real inputs end to end (DESIGN.md §3 `communes`, `households.hamlet_name`, `demand`): the bundled
province with most hamlets given as points (each commune split among its hamlet points), the
households as a list keyed by commune + hamlet name without coordinates, placed on building
footprints. Checked independently with GDAL's SQL: the hamlets partition their communes, every
placed household lies in the hamlet its row names, counts per hamlet are kept exactly, and the
report and style say what is approximate. The contract (contract.py) holds on this run too."""
import csv
import html
import random
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from osgeo import gdal, ogr

import contract
from conftest import ROOT, load_summary, run_cli

gdal.UseExceptions()
ogr.UseExceptions()

DATA = ROOT / "data" / "bac_lieu"


def rows(ds, sql):
    """The rows of an SQL query as tuples (the result layer released before returning)."""
    lyr = ds.ExecuteSQL(sql, dialect="SQLITE")
    try:
        return [tuple(f.GetField(i) for i in range(f.GetFieldCount())) for f in lyr]
    finally:
        ds.ReleaseResultSet(lyr)


def fold(text: str) -> str:
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in t if unicodedata.category(c) != "Mn")


@pytest.fixture(scope="module")
def world(infogap, tmp_path_factory):
    d = tmp_path_factory.mktemp("real_inputs")
    rng = random.Random(7)
    src = ogr.Open(str(DATA / "hamlets.gpkg"))
    lyr = src.GetLayer("hamlets")
    srs = lyr.GetSpatialRef()
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(str(d / "hamlets_mixed.gpkg"))
    out = ds.CreateLayer("hamlets", srs, ogr.wkbUnknown)
    for name in ("hamlet_id", "name", "commune"):
        out.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    hamlets = []  # (id, name, commune, given)
    footprints = []
    for k, f in enumerate(lyr):
        g = f.GetGeometryRef()
        given = k % 5 == 0  # every fifth hamlet keeps its polygon; the others become points
        o = ogr.Feature(out.GetLayerDefn())
        for name in ("hamlet_id", "name", "commune"):
            o.SetField(name, f.GetField(name))
        o.SetGeometry(g.Clone() if given else g.PointOnSurface())
        out.CreateFeature(o)
        hamlets.append((f.GetField("hamlet_id"), f.GetField("name"), f.GetField("commune"), given))
        # Two footprints (12 m and 20 m squares) around the hamlet's point on surface.
        p = g.PointOnSurface()
        for dx, side in ((0.0, 12.0), (40.0, 20.0)):
            x, y = p.GetX() + dx, p.GetY()
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for cx, cy in ((x, y), (x + side, y), (x + side, y + side), (x, y + side), (x, y)):
                ring.AddPoint_2D(cx, cy)
            poly = ogr.Geometry(ogr.wkbPolygon)
            poly.AddGeometry(ring)
            footprints.append(poly)
    ds = None
    ds = drv.CreateDataSource(str(d / "footprints.gpkg"))
    fl = ds.CreateLayer("buildings", srs, ogr.wkbPolygon)
    for poly in footprints:
        o = ogr.Feature(fl.GetLayerDefn())
        o.SetGeometry(poly)
        fl.CreateFeature(o)
    ds = None

    # Commune names that are unique can be written folded; the others by code.
    cds = ogr.Open(str(DATA / "context.gpkg"))
    names = Counter(c for (c,) in rows(cds, "SELECT commune FROM communes"))
    listed, expected = [], Counter()
    n = 0
    for hid, hname, commune, _ in hamlets:
        if names[commune] != 1:
            continue  # ambiguous commune name: the hamlet name alone cannot say which
        for j in range(rng.randint(0, 12)):
            n += 1
            status = rng.choice(["poor", "near_poor", "not_poor", "not_poor"])
            c = fold(commune).lower() if j % 2 else commune
            h = hname.upper() if j % 3 == 0 else "  " + hname
            listed.append((f"L{n}", c, h, status))
            expected[(hid, status)] += 1
    listed.append(("L-bad", next(iter(names)), "Ấp Không Có", "poor"))
    with open(d / "households.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["household_id", "xa", "ap", "poverty"])
        w.writerows(listed)
    scenario = d / "scenario.yaml"
    scenario.write_text(f"""name: real inputs
synthetic: true
hamlets: {{path: hamlets_mixed.gpkg, layer: hamlets, group_by: [commune]}}
communes: {{path: {DATA / 'context.gpkg'}, layer: communes, id: commune_code, name: commune}}
households: {{path: households.csv, commune: xa, hamlet_name: ap}}
demand: {{footprints: {{path: footprints.gpkg, layer: buildings}}}}
speakers: {{path: {DATA / 'speakers.gpkg'}, layer: speakers, cluster: cluster_id}}
output: {{dir: out, languages: [vi, en], formats: [gpkg, csv, html, qgis, shp]}}
""", encoding="utf-8")
    run_cli(infogap, "run", scenario, "--quiet")
    return {"dir": d, "out": d / "out", "scenario": scenario, "hamlets": hamlets, "expected": expected,
            "listed": len(listed)}


@pytest.mark.e2e
@pytest.mark.parametrize("part", list(contract.CHECKS))
def test_contract_holds(world, part):
    problems = contract.CHECKS[part](contract.Output(world["out"], world["scenario"]))
    assert not problems, "\n".join(problems)


@pytest.mark.e2e
def test_derived_hamlets_partition_their_communes(world):
    ds = ogr.Open(str(world["out"] / "coverage.gpkg"))
    src = dict(rows(ds, "SELECT hamlet_id, geometry_source FROM hamlets"))
    for hid, _, _, given in world["hamlets"]:
        assert src[hid] == ("given" if given else "derived"), hid
    # No two hamlets overlap (beyond rounding), and together they cover the communes they split.
    lyr = ds.GetLayer("hamlets")
    geoms = {f.GetField("hamlet_id"): f.GetGeometryRef().Clone() for f in lyr}
    union = ogr.Geometry(ogr.wkbMultiPolygon)
    total = 0.0
    for g in geoms.values():
        total += g.GetArea()
        union = union.Union(g)
    assert total == pytest.approx(union.GetArea(), rel=1e-6)
    cds = ogr.Open(str(DATA / "context.gpkg"))
    communes = cds.GetLayer("communes")
    cu = ogr.Geometry(ogr.wkbMultiPolygon)
    for f in communes:
        cu = cu.Union(f.GetGeometryRef())
    # Every commune holds hamlet points, so the hamlets cover the province up to given polygons
    # that stick out of their commune.
    assert cu.Difference(union).GetArea() < 1e-6 * cu.GetArea()


@pytest.mark.e2e
def test_placed_households_keep_their_hamlet_counts(world):
    ds = ogr.Open(str(world["out"] / "coverage.gpkg"))
    got = Counter()
    for hid, status, loc in rows(ds, "SELECT hamlet_id, poverty, location FROM households"):
        assert loc == "placed"
        got[(hid, status)] += 1
    assert got == world["expected"]
    # Independent of the engine's join: each placed point lies in the polygon of its hamlet.
    ((bad,),) = rows(ds, "SELECT COUNT(*) FROM households h JOIN hamlets a ON a.hamlet_id = h.hamlet_id "
                         "WHERE NOT ST_Intersects(a.geom, h.geom)")
    assert bad == 0
    # The households sit on the footprints (the squares around each hamlet's point on surface).
    fds = ogr.Open(str(world["dir"] / "footprints.gpkg"))
    fp = fds.GetLayer("buildings")
    union = ogr.Geometry(ogr.wkbMultiPolygon)
    for f in fp:
        union.AddGeometry(f.GetGeometryRef().Clone())
    off = 0
    for f in ds.GetLayer("households"):
        if not union.Intersects(f.GetGeometryRef()):
            off += 1
    assert off == 0
    rejects = list(csv.DictReader(open(world["out"] / "rejects.csv", encoding="utf-8")))
    assert [r["id"] for r in rejects] == ["L-bad"]
    assert "closest: '" in rejects[0]["reason"]


@pytest.mark.e2e
def test_report_and_style_say_what_is_approximate(world):
    out = world["out"]
    en = (out / "report.en.html").read_text(encoding="utf-8")
    vi = (out / "report.vi.html").read_text(encoding="utf-8")
    assert 'id="approximate-households"' in en and "have no surveyed location" in en
    assert 'id="approximate-hamlets"' in en and "dashed outline" in en
    assert "không có vị trí khảo sát" in vi and "nét đứt" in vi
    s = load_summary(out)
    a = s["accounting"]["households"]
    assert a["input"] == world["listed"] and a["rejected"] == 1
    ((gpkg_style,),) = rows(ogr.Open(str(out / "coverage.gpkg")),
                            "SELECT styleQML FROM layer_styles WHERE f_table_name = 'hamlets'")
    # Derived boundaries drawn dashed: a data-defined outline style on geometry_source.
    assert "CASE WHEN \"geometry_source\" = 'derived' THEN 'dash' ELSE 'solid' END" in html.unescape(gpkg_style)
