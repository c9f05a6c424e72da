"""The contract of the run folder (DESIGN §5), continued: rasters and shapefiles (see contract.py)."""
import math
import random
import struct
from osgeo import gdal, ogr

from contract import (  # noqa: E402  shared schema and helpers
    ET,
    Output,
    RASTERS,
    _close,
    _layer_columns,
    _xml_root)


def _pixel(band, col, row):
    fmt = "B" if band.DataType == gdal.GDT_Byte else "f"
    return struct.unpack(fmt, band.ReadRaster(col, row, 1, 1))[0]


def _is_nodata(v, nodata) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == nodata


def check_rasters(out: Output) -> list[str]:
    if "tif" not in out.formats:
        return []
    from osgeo_utils.samples import validate_cloud_optimized_geotiff as cog
    p = []
    opened = {}
    for name, (dtype, unit) in RASTERS.items():
        path = out.dir / f"{name}.tif"
        if not path.is_file():
            p.append(f"{name}.tif: missing")
            continue
        ds = gdal.Open(str(path))
        opened[name] = ds
        _, errors, _ = cog.validate(ds, check_tiled=True, full_check=False)
        p += [f"{name}.tif: not a valid Cloud-Optimized GeoTIFF: {e}" for e in errors]
        if ds.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE") != "COG":
            p.append(f"{name}.tif: LAYOUT is not COG")
        if ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE") != "DEFLATE":
            p.append(f"{name}.tif: compression {ds.GetMetadataItem('COMPRESSION', 'IMAGE_STRUCTURE')}, want DEFLATE")
        if ds.RasterCount != 1:
            p.append(f"{name}.tif: {ds.RasterCount} bands, want 1")
            continue
        b = ds.GetRasterBand(1)
        if b.DataType != dtype:
            p.append(f"{name}.tif: {gdal.GetDataTypeName(b.DataType)}, want {gdal.GetDataTypeName(dtype)}")
        if b.GetDescription() != name:
            p.append(f"{name}.tif: band description {b.GetDescription()!r}, want {name!r}")
        if not b.GetUnitType() or (unit is not None and b.GetUnitType() != unit):
            p.append(f"{name}.tif: unit {b.GetUnitType()!r}, want {unit or 'a unit'}")
        if name == "gap_density" and "km" not in b.GetUnitType():
            p.append(f"{name}.tif: unit {b.GetUnitType()!r}, want a unit per km²")
        if b.GetNoDataValue() is None:
            p.append(f"{name}.tif: no nodata value")
        if max(ds.RasterXSize, ds.RasterYSize) > 512 and b.GetOverviewCount() == 0:
            p.append(f"{name}.tif: {ds.RasterXSize}×{ds.RasterYSize} cells and no overviews")
        epsg = out.epsg_of(ds.GetSpatialRef())
        if out.epsg is None or epsg != out.epsg:
            p.append(f"{name}.tif: CRS EPSG:{epsg}, want the working CRS EPSG:{out.epsg}")
        qml = out.dir / f"{name}.qml"
        try:
            root = _xml_root(qml)
            if root.tag != "qgis" or root.find("pipe/rasterrenderer") is None:
                p.append(f"{name}.qml: no <qgis><pipe><rasterrenderer>")
        except (OSError, ET.ParseError) as e:
            p.append(f"{name}.qml: missing or not XML: {e}")
    if p or len(opened) != len(RASTERS):
        return p

    # One grid for all four: north-up, output.raster_cell_m, covering the hamlets within a cell.
    grids = {n: (ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize) for n, ds in opened.items()}
    if len(set(grids.values())) != 1:
        return [f"rasters: not on one grid: {grids}"]
    gt, width, height = next(iter(grids.values()))
    cell = out.cell_m
    if gt[2] != 0 or gt[4] != 0 or not _close(gt[1], cell) or not _close(-gt[5], cell):
        return [f"rasters: geotransform {gt}, want north-up {cell} m cells (output.raster_cell_m)"]
    if "gpkg" in out.formats and (out.dir / "coverage.gpkg").is_file():
        minx, miny, maxx, maxy = out.sql("SELECT MIN(ST_MinX(geom)), MIN(ST_MinY(geom)), MAX(ST_MaxX(geom)), "
                                         "MAX(ST_MaxY(geom)) FROM hamlets")[0]
        x0, y1 = gt[0], gt[3]
        x1, y0 = x0 + width * cell, y1 - height * cell
        eps = 1e-6 * max(1.0, abs(x0), abs(y1))
        if not (x0 <= minx + eps and x1 >= maxx - eps and y0 <= miny + eps and y1 >= maxy - eps
                and minx - x0 < cell + eps and x1 - maxx < cell + eps and miny - y0 < cell + eps
                and y1 - maxy < cell + eps):
            p.append(f"rasters: extent ({x0}, {y0}, {x1}, {y1}) does not cover the hamlets "
                     f"({minx}, {miny}, {maxx}, {maxy}) within one cell")

    bands = {n: ds.GetRasterBand(1) for n, ds in opened.items()}
    nodata = {n: b.GetNoDataValue() for n, b in bands.items()}
    # Value ranges over the whole band (nodata excluded).
    ranges = {}
    for n, b in bands.items():
        try:
            ranges[n] = b.ComputeRasterMinMax(False)
        except RuntimeError:
            ranges[n] = None  # every cell is nodata
    if ranges["speakers_audible"] is not None and (ranges["speakers_audible"][0] < 0
                                                   or ranges["speakers_audible"][1] > 254):
        p.append(f"speakers_audible.tif: counts {ranges['speakers_audible']} outside 0…254")
    for n in ("team_distance", "gap_density"):
        if ranges[n] is not None and ranges[n][0] < 0:
            p.append(f"{n}.tif: negative values {ranges[n]}")
    if out.has_speakers and out.speaker_model != "radius":
        if ranges["speech_level"] is None:
            p.append("speech_level.tif: every cell is nodata although speakers are modelled (iso9613)")
        elif not (0 <= ranges["speech_level"][0] <= ranges["speech_level"][1] < 200):
            p.append(f"speech_level.tif: levels {ranges['speech_level']} dB(A) are not plausible")

    p += _check_raster_cells(out, gt, width, height, bands, nodata)
    return p


def _check_raster_cells(out, gt, width, height, bands, nodata) -> list[str]:
    """Sampled cells: nodata outside the hamlets, data inside; team_distance = distance from the
    cell centre to the nearest team."""
    if "gpkg" not in out.formats or not (out.dir / "coverage.gpkg").is_file():
        return []
    p = []
    hamlets = out.gpkg().GetLayerByName("hamlets")
    teams = out.sql("SELECT ST_MinX(geom), ST_MinY(geom) FROM teams") if out.has_teams else []
    cell = gt[1]
    rng = random.Random(2024)
    cells = [(rng.randrange(width), rng.randrange(height)) for _ in range(150)]
    # Cells of sampled households (inside hamlets), where most of the data is.
    n = out.count("SELECT COUNT(*) FROM households WHERE hamlet_id IS NOT NULL")
    step = max(1, n // 150)
    for x, y in out.sql(f"SELECT ST_MinX(geom), ST_MinY(geom) FROM households "
                        f"WHERE hamlet_id IS NOT NULL AND fid % {step} = 0"):
        c, r = int((x - gt[0]) // cell), int((gt[3] - y) // cell)
        if 0 <= c < width and 0 <= r < height:
            cells.append((c, r))
    wrong_inside, wrong_outside, wrong_distance, checked_inside = [], [], [], 0
    for c, r in cells:
        x, y = gt[0] + (c + 0.5) * cell, gt[3] - (r + 0.5) * cell
        pt = ogr.Geometry(ogr.wkbPoint)
        pt.AddPoint_2D(x, y)
        hamlets.SetSpatialFilterRect(x - 1e-3, y - 1e-3, x + 1e-3, y + 1e-3)
        inside, on_edge = False, False
        for f in hamlets:
            g = f.GetGeometryRef()
            if g.Boundary().Distance(pt) < 1e-3:
                on_edge = True
            elif g.Contains(pt):
                inside = True
        hamlets.SetSpatialFilter(None)
        if on_edge:
            continue  # a centre on a hamlet edge may fall either way
        values = {k: _pixel(b, c, r) for k, b in bands.items()}
        if not inside:
            # DESIGN §5: speech_level is nodata outside hamlets.
            if not _is_nodata(values["speech_level"], nodata["speech_level"]):
                wrong_outside.append(((c, r), values["speech_level"]))
            continue
        checked_inside += 1
        want_data = ["speakers_audible", "gap_density"] + (["team_distance"] if teams else [])
        want_data += ["speech_level"] if out.has_speakers and out.speaker_model != "radius" else []
        empty = [k for k in want_data if _is_nodata(values[k], nodata[k])]
        if empty:
            wrong_inside.append(((c, r), empty))
        if teams and not _is_nodata(values["team_distance"], nodata["team_distance"]):
            want = min(math.hypot(x - tx, y - ty) for tx, ty in teams)
            if abs(values["team_distance"] - want) > 0.5 + 1e-5 * want:
                wrong_distance.append(((c, r), values["team_distance"], want))
    if wrong_outside:
        p.append(f"speech_level.tif: {len(wrong_outside)} sampled cells outside every hamlet hold a level "
                 f"(want nodata), e.g. {wrong_outside[:3]}")
    if wrong_inside:
        p.append(f"rasters: {len(wrong_inside)} sampled cells inside a hamlet are nodata, e.g. {wrong_inside[:3]}")
    if wrong_distance:
        p.append(f"team_distance.tif: {len(wrong_distance)} sampled cells differ from the distance to the nearest "
                 f"team by more than 0.5 m, e.g. (cell, have, want) {wrong_distance[:3]}")
    if checked_inside < 50:
        p.append(f"rasters: only {checked_inside} sampled cells fell inside a hamlet; the sample proves nothing")
    return p


# ---- shapefiles ---------------------------------------------------------------------------------

def check_shapefiles(out: Output) -> list[str]:
    if "shp" not in out.formats:
        return []
    p = []
    try:
        header, rows = out.read_csv("fields.csv")
    except (OSError, UnicodeDecodeError) as e:
        return [f"fields.csv: unreadable: {e}"]
    if header != ["short", "long"]:
        return [f"fields.csv: header {header}, want short,long"]
    shorts = [r["short"] for r in rows]
    if len(set(shorts)) != len(shorts):
        p.append("fields.csv: a short name is listed twice")
    long_of = {r["short"]: r["long"] for r in rows}
    have_gpkg = "gpkg" in out.formats and (out.dir / "coverage.gpkg").is_file()
    for stem in ["hamlets"] + (["proposed_sites"] if out.optimizing else []):
        path = out.dir / f"{stem}.shp"
        if not path.is_file():
            p.append(f"{stem}.shp: missing")
            continue
        cpg = (out.dir / f"{stem}.cpg").read_text(encoding="ascii", errors="replace").strip() \
            if (out.dir / f"{stem}.cpg").is_file() else ""
        if cpg.upper().replace("-", "") != "UTF8":
            p.append(f"{stem}.cpg: {cpg!r}, want UTF-8")
        ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
        lyr = ds.GetLayer(0)
        names = _layer_columns(lyr)
        long_names = [long_of.get(n) for n in names]
        bad = [n for n in names if len(n) > 10 or not n.isascii()]
        if bad:
            p.append(f"{stem}.shp: field names longer than 10 characters or not ASCII: {bad}")
        if None in long_names:
            p.append(f"{stem}.shp: fields missing from fields.csv: {[n for n in names if n not in long_of]}")
        epsg = out.epsg_of(lyr.GetSpatialRef())
        if out.epsg is None or epsg != out.epsg:
            p.append(f"{stem}.shp: CRS EPSG:{epsg}, want EPSG:{out.epsg}")
        gtype = ogr.GT_Flatten(lyr.GetGeomType())
        if stem == "hamlets" and gtype not in (ogr.wkbPolygon, ogr.wkbMultiPolygon):
            p.append(f"{stem}.shp: geometry {ogr.GeometryTypeToName(gtype)}, want polygons")
        if stem == "proposed_sites" and gtype != ogr.wkbPoint:
            p.append(f"{stem}.shp: geometry {ogr.GeometryTypeToName(gtype)}, want points")
        try:
            root = _xml_root(out.dir / f"{stem}.qml")
            if root.tag != "qgis" or root.find("renderer-v2") is None:
                p.append(f"{stem}.qml: no <qgis><renderer-v2>")
        except (OSError, ET.ParseError) as e:
            p.append(f"{stem}.qml: missing or not XML: {e}")
        if not have_gpkg or None in long_names:
            continue
        # The shapefile is the GeoPackage layer with short names: same columns, rows and text.
        gl = out.gpkg().GetLayerByName(stem)
        if long_names != _layer_columns(gl):
            p.append(f"{stem}.shp: fields map (fields.csv) to {long_names}, want the {stem} layer's "
                     f"{_layer_columns(gl)}")
            continue
        if lyr.GetFeatureCount() != gl.GetFeatureCount():
            p.append(f"{stem}.shp: {lyr.GetFeatureCount()} features, the {stem} layer {gl.GetFeatureCount()}")
            continue
        text_cols = [k for k, n in enumerate(long_names) if n in ("hamlet_id", "name", "site_id", "kind")
                     or n in out.groups]
        key = long_names.index("site_id" if stem == "proposed_sites" else "hamlet_id")
        # A NULL text is an empty string in a DBF.
        shp_rows = {f.GetField(key): tuple(f.GetField(k) or "" for k in text_cols) for f in lyr}
        gpkg_rows = {f.GetField(long_names[key]): tuple(f.GetField(long_names[k]) or "" for k in text_cols)
                     for f in gl}
        differ = [k for k in gpkg_rows if shp_rows.get(k) != gpkg_rows[k]]
        if differ:
            p.append(f"{stem}.shp: text differs from the {stem} layer (UTF-8 round trip) for {len(differ)} rows, "
                     f"e.g. {[(k, shp_rows.get(k), gpkg_rows[k]) for k in differ[:2]]}")
    return p


# ---- summary.json -----------------------------------------------------------------------------
