"""Real QGIS 3.22, headless (PRACTICES.md §5): the GIS outputs load valid, in EPSG:32648, with the
intended renderers, band names, nodata, Vietnamese text intact, and the project opens and renders.

The checks are functions of an output folder, so the same test runs on the small sample written by
`infogap_gis_sample` (always) and on a real run's output folder (set INFOGAP_GIS_OUTPUT=<dir>).
Each check returns a list of problems and deletes every QGIS object it made before returning, so
nothing QGIS-owned outlives `exitQgis()` (exit 139 otherwise).
"""
import csv
import gc
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.environ.get('USER', 'infogap')}")

qgis_core = pytest.importorskip("qgis.core", reason="python3-qgis is not installed")
from osgeo import ogr  # noqa: E402  (python3-gdal: an independent reader of the same files)
from qgis.PyQt.QtCore import QSize  # noqa: E402

pytestmark = [pytest.mark.qgis, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
EPSG = "EPSG:32648"

# name → (renderer type, nodata, QGIS data type name)
RASTERS = {
    "speech_level": ("singlebandpseudocolor", -9999.0, "Float32"),
    "speakers_audible": ("paletted", 255.0, "Byte"),
    "team_distance": ("singlebandpseudocolor", -9999.0, "Float32"),
    "gap_density": ("singlebandpseudocolor", -9999.0, "Float32"),
}
# coverage.gpkg layer → renderer type (from its layer_styles default style)
GPKG_LAYERS = {
    "hamlets": "graduatedSymbol",
    "proposed_sites": "categorizedSymbol",
    "speakers": "singleSymbol",
    "teams": "singleSymbol",
    "households": "singleSymbol",
}
REQUIRED_GPKG = {"hamlets"}
GAP_RATE_CLASS = 'coalesce("gap_rate", -1)'  # NULL (no target households) → its own grey class
GROUPS = {
    "vi": {"Độ phủ", "Khoảng trống", "Hạ tầng", "Đề xuất"},
    "en": {"Coverage", "Gaps", "Infrastructure", "Proposals"},
}
NO_SPEAKER = {"Không loa nào nghe được", "No speaker audible"}
VIETNAMESE = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


@pytest.fixture(scope="module")
def qgs_app():
    from qgis.core import QgsApplication

    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="infogap-qgis-profile-")  # throw-away profile
    app = QgsApplication([], False, profile)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    yield app
    from qgis.core import QgsProject

    QgsProject.instance().clear()
    gc.collect()
    app.exitQgis()


def _sample_exe():
    exe = os.environ.get("INFOGAP_GIS_SAMPLE", str(ROOT / "build" / "bin" / "infogap_gis_sample"))
    if not Path(exe).exists():
        pytest.fail(f"infogap_gis_sample not found at {exe}; build the target first")
    return exe


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("gis_sample")
    p = subprocess.run([_sample_exe(), str(out), "--lang", "vi"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return out


def _ogr_values(path, layer, field):
    """Values of a field read with OGR (GDAL's Python bindings), to compare with what QGIS shows."""
    ds = ogr.Open(str(path))
    assert ds is not None, path
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    values = [f.GetField(field) for f in lyr]
    ds = None
    return values


# ---------------------------------------------------------------------------------------------
# Checks: each takes an output folder and returns a list of problems (empty = all good).


def check_rasters(out, strict=True):
    """Every raster: valid, EPSG:32648, sidecar style applied, band name, nodata, data type."""
    from qgis.core import QgsRasterLayer

    problems = []
    for name, (renderer, nodata, dtype) in RASTERS.items():
        path = Path(out) / f"{name}.tif"
        if not path.exists():
            if strict:
                problems.append(f"{name}.tif missing")
            continue
        layer = QgsRasterLayer(str(path), name, "gdal")
        try:
            if not layer.isValid():
                problems.append(f"{name}: not valid in QGIS")
                continue
            if layer.crs().authid() != EPSG:
                problems.append(f"{name}: CRS {layer.crs().authid()}")
            if layer.renderer().type() != renderer:
                problems.append(f"{name}: renderer {layer.renderer().type()} (sidecar {name}.qml not applied?)")
            if layer.bandName(1) != f"Band 1: {name}":
                problems.append(f"{name}: band name {layer.bandName(1)!r}")
            provider = layer.dataProvider()
            if not provider.sourceHasNoDataValue(1) or provider.sourceNoDataValue(1) != nodata:
                problems.append(f"{name}: nodata {provider.sourceNoDataValue(1)}")
            type_name = {1: "Byte", 6: "Float32"}.get(int(provider.dataType(1)), str(provider.dataType(1)))
            if type_name != dtype:
                problems.append(f"{name}: data type {type_name}")
            if layer.renderer().type() == "paletted":
                labels = [c.label for c in layer.renderer().classes()]
                if not labels or labels[0] not in NO_SPEAKER:
                    problems.append(f"{name}: first class label {labels[:1]}")
            elif layer.renderer().type() == "singlebandpseudocolor":
                items = layer.renderer().shader().rasterShaderFunction().colorRampItemList()
                if len(items) < 2:
                    problems.append(f"{name}: colour ramp has {len(items)} items")
            stats = provider.bandStatistics(1)
            if not (stats.maximumValue >= stats.minimumValue and stats.maximumValue != nodata):
                problems.append(f"{name}: no valid cells (min {stats.minimumValue}, max {stats.maximumValue})")
        finally:
            del layer
    return problems


def _names_problems(label, qgis_names, ogr_names, expect_name=None):
    problems = []
    if qgis_names != ogr_names:
        problems.append(f"{label}: names differ between QGIS and OGR: {qgis_names[:3]} vs {ogr_names[:3]}")
    if not any(set(n or "") & VIETNAMESE for n in qgis_names):
        problems.append(f"{label}: no Vietnamese letters in names {qgis_names[:3]}")
    if expect_name is not None and expect_name not in qgis_names:
        problems.append(f"{label}: {expect_name!r} not among {qgis_names[:6]}")
    return problems


def check_geopackage(out, expect_name=None):
    """coverage.gpkg: each layer valid, EPSG:32648, its default style from layer_styles, UTF-8 names."""
    from qgis.core import QgsVectorLayer

    gpkg = Path(out) / "coverage.gpkg"
    if not gpkg.exists():
        return ["coverage.gpkg missing"]
    present = set()
    ds = ogr.Open(str(gpkg))
    for i in range(ds.GetLayerCount()):
        present.add(ds.GetLayer(i).GetName())
    ds = None
    problems = [f"coverage.gpkg: layer {n} missing" for n in sorted(REQUIRED_GPKG - present)]
    for name, renderer in GPKG_LAYERS.items():
        if name not in present:
            continue
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        try:
            if not layer.isValid():
                problems.append(f"gpkg {name}: not valid")
                continue
            if layer.crs().authid() != EPSG:
                problems.append(f"gpkg {name}: CRS {layer.crs().authid()}")
            if layer.renderer().type() != renderer:
                problems.append(f"gpkg {name}: renderer {layer.renderer().type()} (layer_styles default not used?)")
            if layer.featureCount() <= 0:
                problems.append(f"gpkg {name}: no features")
            if name == "hamlets":
                names = [f["name"] for f in layer.getFeatures()]
                problems += _names_problems("gpkg hamlets", names, _ogr_values(gpkg, "hamlets", "name"), expect_name)
                if layer.renderer().classAttribute() != GAP_RATE_CLASS:
                    problems.append(f"gpkg hamlets: graduated on {layer.renderer().classAttribute()}")
            if name == "proposed_sites":
                kinds = {c.value() for c in layer.renderer().categories()}
                if kinds != {"speaker", "team"}:
                    problems.append(f"gpkg proposed_sites: categories {kinds}")
        finally:
            del layer
    return problems


def check_shapefiles(out, expect_name=None):
    """hamlets.shp: valid, EPSG:32648, sidecar hamlets.qml applied, UTF-8 names, fields.csv complete."""
    from qgis.core import QgsVectorLayer

    shp = Path(out) / "hamlets.shp"
    if not shp.exists():
        return ["hamlets.shp missing"]
    problems = []
    layer = QgsVectorLayer(str(shp), "hamlets", "ogr")
    try:
        if not layer.isValid():
            return ["hamlets.shp: not valid"]
        if layer.crs().authid() != EPSG:
            problems.append(f"hamlets.shp: CRS {layer.crs().authid()}")
        if layer.renderer().type() != "graduatedSymbol":
            problems.append(f"hamlets.shp: renderer {layer.renderer().type()} (hamlets.qml not applied?)")
        fields = [f.name() for f in layer.fields()]
        names = [f["name"] for f in layer.getFeatures()]
    finally:
        del layer
    problems += _names_problems("hamlets.shp", names, _ogr_values(shp, None, "name"), expect_name)
    if any(len(f) > 10 or not f.isascii() for f in fields):
        problems.append(f"hamlets.shp: field names not ≤ 10 ASCII: {fields}")
    mapping = Path(out) / "fields.csv"
    if not mapping.exists():
        problems.append("fields.csv missing")
    else:
        with open(mapping, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        short = {r["short"]: r["long"] for r in rows}
        missing = [f for f in fields if f not in short]
        if missing:
            problems.append(f"fields.csv lacks {missing}")
        if short.get("gap_rate") != "gap_rate" or "target_households" not in short.values():
            problems.append("fields.csv does not map gap_rate / target_households")
    return problems


def check_project(out, png_path=None, min_colours=40):
    """infogap.qgs: reads, every layer valid, the four groups, project CRS, relative paths; renders."""
    from qgis.core import QgsProject

    qgs = Path(out) / "infogap.qgs"
    if not qgs.exists():
        return ["infogap.qgs missing"]
    text = qgs.read_text(encoding="utf-8")
    problems = []
    if str(Path(out).resolve()) in text:
        problems.append("infogap.qgs holds absolute paths")
    if '<Absolute type="bool">false</Absolute>' not in text:
        problems.append("infogap.qgs does not ask for relative paths")
    project = QgsProject.instance()
    try:
        if not project.read(str(qgs)):
            return problems + [f"QgsProject.read failed: {project.error()}"]
        if project.crs().authid() != EPSG:
            problems.append(f"project CRS {project.crs().authid()!r}")
        layers = list(project.mapLayers().values())
        if len(layers) < 5:
            problems.append(f"only {len(layers)} layers in the project")
        for layer in layers:
            if not layer.isValid():
                problems.append(f"project layer {layer.name()!r} ({layer.source()}) not valid")
            elif layer.crs().authid() != EPSG:
                problems.append(f"project layer {layer.name()!r}: CRS {layer.crs().authid()}")
        renderers = {layer.renderer().type() for layer in layers if layer.isValid() and layer.renderer()}
        for wanted in ("singlebandpseudocolor", "graduatedSymbol"):
            if wanted not in renderers:
                problems.append(f"no {wanted} layer in the project (styles not embedded?)")
        groups = {g.name() for g in project.layerTreeRoot().children() if g.nodeType() == 0}
        if groups not in GROUPS.values():
            problems.append(f"groups {sorted(groups)}")
        if png_path is not None and not problems:
            root = project.layerTreeRoot()
            visible = [l for l in root.layerOrder() if root.findLayer(l.id()).isVisible()]
            image = _render(visible, project.crs(), problems)
            image.save(str(png_path), "PNG")
            colours = _distinct_colours(image)
            if colours < min_colours:
                problems.append(f"rendered map has only {colours} distinct colours")
            del image
            # Each raster alone is drawn (a wrong nodata or style would leave it blank).
            for layer in layers:
                if layer.type() == 1:  # QgsMapLayerType.RasterLayer
                    image = _render([layer], project.crs(), problems)
                    if _distinct_colours(image) < 3:
                        problems.append(f"raster {layer.name()!r} renders blank")
                    del image
            del visible, root
        del layers
    finally:
        project.clear()
        gc.collect()
    return problems


def _render(layers, crs, problems):
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsRectangle

    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(crs)
    extent = QgsRectangle()
    for layer in layers:
        extent.combineExtentWith(layer.extent())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(800, 640))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    problems.extend(f"render error: {e.message}" for e in job.errors())
    del job, settings
    return image


def _distinct_colours(image):
    import numpy as np
    from qgis.PyQt.QtGui import QImage

    img = image.convertToFormat(QImage.Format_ARGB32)
    ptr = img.constBits()
    ptr.setsize(img.sizeInBytes())
    px = np.frombuffer(ptr, dtype=np.uint32).copy()
    del img, ptr
    return len(np.unique(px))


def check_output_folder(out, png_path, strict=True, expect_name=None):
    return (check_rasters(out, strict) + check_geopackage(out, expect_name) + check_shapefiles(out, expect_name)
            + check_project(out, png_path))


# ---------------------------------------------------------------------------------------------


def test_sample_rasters(qgs_app, sample_dir):
    assert check_rasters(sample_dir) == []


def test_sample_geopackage(qgs_app, sample_dir):
    assert check_geopackage(sample_dir, expect_name="Ấp Nhà Mát") == []


def test_sample_shapefile(qgs_app, sample_dir):
    assert check_shapefiles(sample_dir, expect_name="Ấp Nhà Mát") == []


def test_sample_project_loads_and_renders(qgs_app, sample_dir, tmp_path):
    png = tmp_path / "infogap.png"
    assert check_project(sample_dir, png) == []
    assert png.stat().st_size > 5000


def test_checks_catch_a_broken_output(qgs_app, sample_dir, tmp_path):
    """The checks are not vacuous: a raster without its .qml, a shapefile without fields.csv and a
    project with an absolute path are reported."""
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(sample_dir, broken)
    (broken / "speech_level.qml").unlink()
    (broken / "fields.csv").unlink()
    qgs = broken / "infogap.qgs"
    qgs.write_text(qgs.read_text(encoding="utf-8").replace("./speech_level.tif", "./missing.tif"), encoding="utf-8")
    problems = check_rasters(broken) + check_shapefiles(broken) + check_project(broken)
    assert any("speech_level: renderer" in p for p in problems), problems
    assert "fields.csv missing" in problems, problems
    assert any("not valid" in p for p in problems), problems


def _cli_exe():
    exe = os.environ.get("INFOGAP_CLI", str(ROOT / "build" / "bin" / "infogap"))
    if not Path(exe).exists():
        pytest.fail(f"infogap not found at {exe}; build the target first")
    return exe


@pytest.fixture(scope="module")
def no_target_hamlet_run(tmp_path_factory):
    """A real run in which one hamlet has households but no target household: a synthetic province
    whose households inside the most populous hamlet are rewritten to not_poor (found with a first
    run), then `infogap run`. Returns (output folder, that hamlet's id)."""
    from worlds import rewrite_statuses, synth_province, write_scenario

    exe = _cli_exe()
    folder = tmp_path_factory.mktemp("no_target_hamlet")
    sc = synth_province(exe, folder, households=1200, seed=3)
    first = dict(sc, output=dict(sc["output"], formats=["gpkg"]))
    first.pop("optimize", None)
    run = subprocess.run([exe, "coverage", str(write_scenario(folder, first, "first.yaml")), "-o",
                          str(folder / "first"), "--quiet"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    ds = ogr.Open(str(folder / "first" / "coverage.gpkg"))
    homes, targets = {}, {}
    for f in ds.GetLayerByName("households"):
        if f.GetField("hamlet_id") is not None:
            homes.setdefault(f.GetField("hamlet_id"), set()).add(f.GetField("household_id"))
            targets[f.GetField("hamlet_id")] = targets.get(f.GetField("hamlet_id"), 0) + (f.GetField("poverty") != "not_poor")
    ds = None
    hamlet = max(sorted(homes), key=lambda h: (targets.get(h, 0), len(homes[h])))  # one with target households
    inside = homes[hamlet]
    assert rewrite_statuses(folder, sc, lambda r: "not_poor" if r["household_id"] in inside else None) > 0
    out = folder / "out"
    run = subprocess.run([exe, "run", str(write_scenario(folder, sc, "run.yaml")), "-o", str(out), "--quiet"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return out, hamlet


def test_hamlets_without_target_households_are_drawn(qgs_app, no_target_hamlet_run):
    """A hamlet whose gap_rate is NULL (households, but no poor or near-poor ones), as a real run
    writes it, is drawn in its own class, with the first language's label, rather than silently
    left out by the renderer; hamlets with target households are not in that class."""
    from qgis.core import QgsRenderContext, QgsVectorLayer

    out, hamlet = no_target_hamlet_run
    ds = ogr.Open(str(out / "hamlets.shp"))
    lyr = ds.GetLayer(0)
    null_fids, hamlet_fid = set(), None
    for feature in lyr:
        if feature.IsFieldNull("gap_rate"):
            null_fids.add(feature.GetFID())
        if feature.GetField("hamlet_id") == hamlet:
            hamlet_fid = feature.GetFID()
    feature = lyr = ds = None
    assert hamlet_fid is not None and hamlet_fid in null_fids, "the run did not write NULL for the hamlet"

    layer = QgsVectorLayer(str(out / "hamlets.shp"), "hamlets", "ogr")
    try:
        assert layer.isValid()
        assert len(null_fids) < layer.featureCount()
        renderer = layer.renderer().clone()
        assert renderer.type() == "graduatedSymbol" and renderer.classAttribute() == GAP_RATE_CLASS
        context = QgsRenderContext()
        expression_context = layer.createExpressionContext()
        context.setExpressionContext(expression_context)
        renderer.startRender(context, layer.fields())
        labels = {}
        try:
            for f in layer.getFeatures():
                context.expressionContext().setFeature(f)
                assert renderer.willRenderFeature(f, context), f"feature {f.id()} is not drawn"
                labels[f.id()] = renderer.legendKeysForFeature(f, context)
        finally:
            renderer.stopRender(context)
        legend = {item.ruleKey(): item.label() for item in renderer.legendSymbolItems()}
        for fid in null_fids:
            assert {legend[k] for k in labels[fid]} == {"Không có hộ mục tiêu"}, fid
        others = {legend[k] for fid, keys in labels.items() if fid not in null_fids for k in keys}
        assert others and "Không có hộ mục tiêu" not in others
        del renderer, context, expression_context
    finally:
        del layer


@pytest.mark.skipif(not os.environ.get("INFOGAP_GIS_OUTPUT"), reason="set INFOGAP_GIS_OUTPUT=<run output folder>")
def test_real_run_output(qgs_app, tmp_path):
    out = Path(os.environ["INFOGAP_GIS_OUTPUT"])
    assert check_output_folder(out, tmp_path / "run.png") == []


# ---- infogap compare (owner: compare): change.gpkg's diverging styles in real QGIS ---------------


@pytest.fixture(scope="module")
def change_folder(tmp_path_factory):
    """`infogap compare` of a small province against itself with a quieter ambient and longer team
    reach (so hamlets improve, some worsen through team capacity, many stay)."""
    from worlds import synth_province, write_scenario

    exe = _cli_exe()
    folder = tmp_path_factory.mktemp("change")
    sc = synth_province(exe, folder, households=1500, seed=5)
    sc.pop("optimize", None)
    sc["output"]["formats"] = ["gpkg"]
    before = write_scenario(folder, sc, "before.yaml")
    sc["acoustics"] = dict(sc.get("acoustics") or {}, ambient_dba=40)
    sc["teams"]["reach_m"] = 3000
    after = write_scenario(folder, sc, "after.yaml")
    out = folder / "change"
    run = subprocess.run([exe, "compare", str(before), str(after), "-o", str(out)], capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    return out


def test_change_gpkg_styles_draw_every_feature_in_its_class(qgs_app, change_folder):
    """Each hamlet of change.gpkg is drawn in the class its gap_weight_delta calls for (fell / no
    change / rose, centred on 0), each household in its change class, with the default styles QGIS
    reads from layer_styles."""
    from qgis.core import QgsRenderContext, QgsVectorLayer

    gpkg = change_folder / "change.gpkg"
    ds = ogr.Open(str(gpkg))
    deltas = {f.GetFID(): f.GetField("gap_weight_delta") for f in ds.GetLayerByName("hamlets")}
    classes = {f.GetFID(): f.GetField("change") for f in ds.GetLayerByName("households")}
    ds = None
    assert any(d < 0 for d in deltas.values()) and any(d == 0 for d in deltas.values())
    for layer_name, attribute in (("hamlets", "gap_weight_delta"), ("households", "change")):
        layer = QgsVectorLayer(f"{gpkg}|layername={layer_name}", layer_name, "ogr")
        try:
            assert layer.isValid() and layer.crs().authid() == EPSG
            renderer = layer.renderer().clone()
            assert attribute in renderer.classAttribute()
            context = QgsRenderContext()
            expression_context = layer.createExpressionContext()
            context.setExpressionContext(expression_context)
            renderer.startRender(context, layer.fields())
            legend = {item.ruleKey(): item.label() for item in renderer.legendSymbolItems()}
            try:
                for f in layer.getFeatures():
                    context.expressionContext().setFeature(f)
                    assert renderer.willRenderFeature(f, context), f"{layer_name} feature {f.id()} is not drawn"
                    labels = {legend[k] for k in renderer.legendKeysForFeature(f, context)}
                    if layer_name == "hamlets":
                        d = deltas[f.id()]
                        expected = "Khoảng trống giảm" if d < 0 else "Không đổi" if d == 0 else "Khoảng trống tăng"
                        assert len(labels) == 1 and next(iter(labels)).startswith(expected), (d, labels)
                    else:
                        assert len(labels) == 1, labels
                        assert classes[f.id()] != "unchanged" or labels == {"Không đổi"}
            finally:
                renderer.stopRender(context)
            del renderer, context, expression_context
        finally:
            del layer
