"""The loudspeaker rasters of a real run against the acoustic model evaluated directly.

`speech_level.tif` and `speakers_audible.tif` come from level tables, per-cluster energy sums, a
row-band rasteriser, quantisation and GDAL's COG writer. Here the same cells are recomputed from
`infogap.horn_level_dba` (ISO 9613-2 per octave band, no tables, no grid) at the cell centres,
summed per cluster in double precision, and compared.
"""
import math

import numpy as np
import pytest
from osgeo import gdal
from scipy.spatial import cKDTree

import infogap

CELL_M = 40.0  # coarser than the bundled 10 m: the same code path, 16x fewer cells
SAMPLES = 400


@pytest.fixture(scope="module")
def raster_run(bundled_scenario, tmp_path_factory):
    sc = infogap.Scenario.from_yaml(bundled_scenario).with_overrides(
        output={"formats": ["tif"], "raster_cell_m": CELL_M})
    out = tmp_path_factory.mktemp("rasters")
    engine = infogap.Engine(sc)
    engine.run(str(out), optimize=False, write_report=False)
    return sc, engine.inputs(), out


def read_band(path):
    gdal.UseExceptions()
    ds = gdal.Open(str(path))
    band = ds.GetRasterBand(1)
    values = band.ReadAsArray().astype(np.float64)
    meta = ds.GetMetadata()
    return values, band.GetNoDataValue(), ds.GetGeoTransform(), meta


def model_cluster_levels(sc, speakers, xs, ys):
    """Per cluster (rows) and sample point (columns): energy sum of its horns' levels, dB(A)."""
    ac = sc.to_dict()["acoustics"]
    listening = {k: ac[k] for k in ("receiver_height_m", "ambient_dba", "required_snr_db", "facade_loss_db")}
    air = {k: ac[k] for k in ("temperature_c", "humidity_pct", "pressure_kpa")}
    clusters = {}
    for h, key in enumerate(speakers.cluster):
        clusters.setdefault(key or f"\x01{speakers.id[h]}", []).append(h)
    energy = np.zeros((len(clusters), len(xs)))
    for c, members in enumerate(clusters.values()):
        for h in members:
            dx, dy = xs - speakers.x_m[h], ys - speakers.y_m[h]
            d = np.hypot(dx, dy)
            near = d <= 5000.0  # the engine's tables end at 5 km
            if not near.any():
                continue
            bearing = np.degrees(np.arctan2(dx[near], dy[near]))
            level = infogap.horn_level_dba(
                d[near], bearing, power_w=speakers.power_w[h], sensitivity_db=speakers.sensitivity_db[h],
                height_m=speakers.height_m[h], azimuth_deg=speakers.azimuth_deg[h],
                beamwidth_deg=speakers.beamwidth_deg[h], ground_g=ac["ground_g"], **listening, **air)
            energy[c, near] += np.power(10.0, np.asarray(level) / 10.0)
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(energy)


def test_speech_level_and_audible_count_equal_the_model_at_cell_centres(raster_run):
    sc, inputs, out = raster_run
    speech, nodata, gt, meta = read_band(out / "speech_level.tif")
    audible, audible_nodata, gt2, _ = read_band(out / "speakers_audible.tif")
    assert gt == gt2 and gt[1] == CELL_M
    floor, threshold = float(meta["FLOOR_DBA"]), float(meta["THRESHOLD_DBA"])
    inside = speech != nodata
    assert inside.sum() > 10_000
    assert (audible[inside] != audible_nodata).all()

    rng = np.random.default_rng(11)
    rows, cols = np.nonzero(inside & (speech > floor))  # cells some cluster lifts above the floor
    pick = rng.choice(len(rows), size=SAMPLES, replace=False)
    # And cells left at the floor, among those near a loudspeaker (within 1.2 km: the rim where a
    # cluster's horns could add up above the floor although each one alone is below it).
    frows, fcols = np.nonzero(inside & (speech == floor))
    fx, fy = gt[0] + (fcols + 0.5) * gt[1], gt[3] + (frows + 0.5) * gt[5]
    near_any, _ = cKDTree(np.column_stack([inputs.speakers.x_m, inputs.speakers.y_m])).query(
        np.column_stack([fx, fy]), distance_upper_bound=1200.0)
    near_rows = np.nonzero(np.isfinite(near_any))[0]
    fpick = near_rows[rng.choice(len(near_rows), size=SAMPLES, replace=False)]
    r = np.concatenate([rows[pick], frows[fpick]])
    c = np.concatenate([cols[pick], fcols[fpick]])
    xs = gt[0] + (c + 0.5) * gt[1]
    ys = gt[3] + (r + 0.5) * gt[5]

    per_cluster = model_cluster_levels(sc, inputs.speakers, xs, ys)
    expected = np.maximum(per_cluster.max(axis=0), floor)
    got = speech[r, c]
    # Raster values are rounded to 1/32 dB; the tables interpolate on 1 m (1 cm near the pole).
    assert np.abs(got - expected).max() < 0.1, np.abs(got - expected).max()
    assert (got[:SAMPLES] > floor).all() and (expected[:SAMPLES] > floor).all()

    heard = (per_cluster >= threshold).sum(axis=0)
    clear = np.abs(per_cluster - threshold).min(axis=0) > 0.1  # not on the threshold itself
    assert clear.sum() > 0.9 * len(xs)
    np.testing.assert_array_equal(audible[r, c][clear], heard[clear])
    assert heard.max() >= 2  # overlapping clusters were among the samples


def test_horns_that_add_up_are_drawn_out_to_where_their_sum_reaches_the_floor(bundled_scenario, tmp_path):
    """Two horns on one pole, facing the same way: beyond the distance where each alone falls to the
    floor, their sum is still up to 3 dB above it. Those rim cells must carry the summed level,
    not the floor; a third pole with opposite-facing horns checks the other extreme."""
    from osgeo import ogr

    hamlets = ogr.Open(str(bundled_scenario.parent / "hamlets.gpkg"))
    layer = hamlets.GetLayer(0)
    srs = layer.GetSpatialRef()
    middle = layer.GetExtent()  # (minx, maxx, miny, maxy)
    cx, cy = (middle[0] + middle[1]) / 2, (middle[2] + middle[3]) / 2
    hamlets = layer = None
    path = tmp_path / "speakers.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    out = ds.CreateLayer("speakers", srs, ogr.wkbPoint)
    for name, kind in [("speaker_id", ogr.OFTString), ("cluster_id", ogr.OFTString), ("power_w", ogr.OFTReal),
                       ("sensitivity_db", ogr.OFTReal), ("height_m", ogr.OFTReal), ("azimuth_deg", ogr.OFTReal),
                       ("beamwidth_deg", ogr.OFTReal)]:
        out.CreateField(ogr.FieldDefn(name, kind))
    poles = [("same", cx, cy, 90.0, 90.0), ("same", cx, cy, 90.0, 90.0),
             ("opposite", cx, cy + 0.05, 0.0, 60.0), ("opposite", cx, cy + 0.05, 180.0, 60.0)]
    for k, (cluster, x, y, az, beam) in enumerate(poles):
        f = ogr.Feature(out.GetLayerDefn())
        f["speaker_id"], f["cluster_id"] = f"h{k}", cluster
        f["power_w"], f["sensitivity_db"], f["height_m"], f["azimuth_deg"], f["beamwidth_deg"] = 30.0, 110.0, 8.0, az, beam
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(x, y)
        f.SetGeometry(g)
        out.CreateFeature(f)
    ds = out = None

    sc = infogap.Scenario.from_yaml(bundled_scenario).with_overrides(
        speakers={"path": str(path)}, output={"formats": ["tif"], "raster_cell_m": 20.0})
    engine = infogap.Engine(sc)
    engine.run(str(tmp_path / "out"), optimize=False, write_report=False)
    speech, nodata, gt, meta = read_band(tmp_path / "out" / "speech_level.tif")
    floor = float(meta["FLOOR_DBA"])
    rows, cols = np.nonzero(speech != nodata)
    xs, ys = gt[0] + (cols + 0.5) * gt[1], gt[3] + (rows + 0.5) * gt[5]
    inputs = engine.inputs()
    px, py = inputs.speakers.x_m[0], inputs.speakers.y_m[0]
    near = np.hypot(xs - px, ys - py) < 4000.0
    expected = np.maximum(model_cluster_levels(sc, inputs.speakers, xs[near], ys[near]).max(axis=0), floor)
    got = speech[rows[near], cols[near]]
    rim = (expected > floor) & (expected < floor + 3.0)
    assert rim.sum() > 100  # cells only the sum of the two horns lifts above the floor
    assert np.abs(got - expected).max() < 0.1, np.abs(got - expected).max()


def test_speech_level_metadata_states_floor_and_threshold(raster_run):
    sc, _, out = raster_run
    ac = sc.to_dict()["acoustics"]
    _, _, _, meta = read_band(out / "speech_level.tif")
    assert math.isclose(float(meta["THRESHOLD_DBA"]), ac["ambient_dba"] + ac["required_snr_db"])
    assert math.isclose(float(meta["FLOOR_DBA"]), float(meta["THRESHOLD_DBA"]) - 6.0)
    assert meta["SCENARIO"] == sc.name
