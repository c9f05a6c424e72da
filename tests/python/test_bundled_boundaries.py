"""The bundled province sits on the real commune outlines (data/boundaries, censusVN2009): every hamlet
lies inside its real commune outline and the hamlets of a commune partition it without overlaps.
The outlines are read here independently of the engine (GDAL/OGR reads the GeoJSON, OGR projects it
to EPSG:32648 with PROJ); hamlets are matched to the GeoJSON communes by name and district."""
import json
import re
import shutil
import subprocess
from collections import defaultdict

import pytest
from osgeo import ogr, osr

import infogap

ogr.UseExceptions()
osr.UseExceptions()


def _utm_transform():
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(4326)
    dst.ImportFromEPSG(32648)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(src, dst)


def _norm(text):
    """Names as in the GeoJSON: no "(TP Bạc Liêu)" suffix; "Hoà" and "Hòa" are the same name."""
    return re.sub(r" \(.*\)$", "", text).replace("Hoà", "Hòa")


@pytest.fixture(scope="module")
def real_communes(data_dir):
    """(commune name, district name) → real outline in EPSG:32648, from the bundled GeoJSON."""
    path = data_dir / "boundaries" / "bac_lieu_communes.geojson"
    assert path.exists(), path
    ds = ogr.Open(str(path))
    tr = _utm_transform()
    out = {}
    for f in ds.GetLayer(0):
        g = f.GetGeometryRef().Clone()
        g.Transform(tr)
        out[(_norm(f["name_2024"]), _norm(f["district_2024"]))] = g
    assert len(out) == 64
    return out


@pytest.fixture(scope="module")
def hamlets_by_commune(data_dir):
    ds = ogr.Open(str(data_dir / "bac_lieu" / "hamlets.gpkg"))
    layer = ds.GetLayerByName("hamlets")
    srs = layer.GetSpatialRef()
    assert srs.GetAuthorityCode(None) == "32648"
    out = defaultdict(list)
    for f in layer:
        out[(_norm(f["commune"]), _norm(f["district"]))].append((f["hamlet_id"], f.GetGeometryRef().Clone()))
    return out


def test_every_commune_has_its_real_outline(real_communes, hamlets_by_commune):
    assert set(hamlets_by_commune) == set(real_communes)
    assert sum(len(v) for v in hamlets_by_commune.values()) == 512


def test_hamlets_lie_within_their_real_commune(real_communes, hamlets_by_commune):
    for key, hamlets in hamlets_by_commune.items():
        commune = real_communes[key]
        for hamlet_id, h in hamlets:
            inside = h.Intersection(commune).GetArea()
            assert inside >= 0.99 * h.GetArea(), (key, hamlet_id, inside / h.GetArea())  # m² / m²


def test_hamlets_partition_their_commune(real_communes, hamlets_by_commune):
    total_overlap = 0.0
    for key, hamlets in hamlets_by_commune.items():
        commune = real_communes[key]
        area = sum(h.GetArea() for _, h in hamlets)
        for i in range(len(hamlets)):
            for j in range(i + 1, len(hamlets)):
                gi, gj = hamlets[i][1], hamlets[j][1]
                if not gi.Intersects(gj):
                    continue
                overlap = gi.Intersection(gj).GetArea()
                assert overlap < 1.0, (key, hamlets[i][0], hamlets[j][0], overlap)  # m²
                total_overlap += overlap
        # The hamlets cover the real commune except what went to a neighbour whose outline overlaps
        # it (the coarse data: ≈3.8 km² of overlaps in the whole province).
        assert area <= commune.GetArea() * (1 + 1e-6), key
        assert area >= 0.90 * commune.GetArea(), (key, area / commune.GetArea())
    assert total_overlap < 10.0  # m² in the whole province


def test_hamlets_of_different_communes_do_not_overlap(hamlets_by_commune):
    """Neighbouring real outlines overlap; the bundled communes were made a clean partition first."""
    unions = {k: _union(v) for k, v in hamlets_by_commune.items()}
    keys = sorted(unions)
    overlap = 0.0
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if unions[a].Intersects(unions[b]):
                overlap += unions[a].Intersection(unions[b]).GetArea()
    assert overlap < 10.0  # m² in the whole province (the raw outlines overlap by ≈3.8 km²)


def _union(hamlets):
    g = ogr.Geometry(ogr.wkbMultiPolygon)
    for _, h in hamlets:
        for k in range(h.GetGeometryCount()):
            g.AddGeometry(h.GetGeometryRef(k))
    return g.UnionCascaded()


def test_context_layers_are_the_real_outlines(data_dir, real_communes):
    ds = ogr.Open(str(data_dir / "bac_lieu" / "context.gpkg"))
    communes = ds.GetLayerByName("communes")
    assert communes.GetFeatureCount() == 64
    for f in communes:
        real = real_communes[(_norm(f["commune"]), _norm(f["district"]))]
        g = f.GetGeometryRef()
        assert g.Difference(real).GetArea() < 1.0  # m²: inside the real outline
        assert g.GetArea() >= 0.90 * real.GetArea()
    districts = json.loads((data_dir / "boundaries" / "bac_lieu_districts.geojson").read_text(encoding="utf-8"))
    codes = {f["properties"]["district_code_2024"] for f in districts["features"]}
    layer = ds.GetLayerByName("districts")
    assert {f["gso_code"] for f in layer} == codes
    tr = _utm_transform()
    for feature in districts["features"]:
        real = ogr.CreateGeometryFromJson(json.dumps(feature["geometry"]))
        real.Transform(tr)
        layer.SetAttributeFilter(f"gso_code = '{feature['properties']['district_code_2024']}'")
        (f,) = list(layer)
        assert abs(f.GetGeometryRef().SymmetricDifference(real).GetArea()) < 1.0  # m²: as published


def test_synth_reads_the_outlines_from_the_given_folder(cli, data_dir, tmp_path):
    """`infogap synth --boundaries DIR` reads DIR: a folder missing one commune is refused (exit 1)."""
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(data_dir / "boundaries" / "bac_lieu_districts.geojson", bad)
    fc = json.loads((data_dir / "boundaries" / "bac_lieu_communes.geojson").read_text(encoding="utf-8"))
    fc["features"] = [f for f in fc["features"] if f["properties"]["name_2024"] != "Xã Vĩnh Thịnh"]
    (bad / "bac_lieu_communes.geojson").write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    p = subprocess.run([str(cli), "synth", "--households", "300", "--boundaries", str(bad), "-o",
                        str(tmp_path / "out"), "-q"], capture_output=True, text=True)
    assert p.returncode == 1, p.stderr
    assert "Vĩnh Thịnh" in p.stderr
    p = subprocess.run([str(cli), "synth", "--households", "300", "--boundaries", str(data_dir / "boundaries"),
                        "-o", str(tmp_path / "ok"), "-q"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "ok" / "hamlets.gpkg").exists()


def test_python_synth_takes_the_boundaries_folder(data_dir, tmp_path):
    s = infogap.synth(tmp_path / "a", households=300, seed=3, boundaries=data_dir / "boundaries")
    assert (s["districts"], s["communes"], s["hamlets"], s["households"]) == (7, 64, 512, 300)
    with pytest.raises(OSError):
        infogap.synth(tmp_path / "b", households=300, boundaries=tmp_path / "nowhere")
