"""Two output folders hold the same results, file for file: the check of runs made elsewhere (on a
Dask cluster) against the single-machine run. What may differ is only what says when and where a
run happened: timings (summary.json's `timings_s`, the optimizer's `seconds`), the folder each run
names (summary.json's `output_dir`, the report's header), and the GeoPackage's style `update_time`.
Each kind of file is compared through its own reader: JSON parsed, GeoPackage/shapefile/XLSX
through OGR feature by feature, rasters through GDAL pixel by pixel; every other file byte for byte
once the folder's own path is replaced."""
import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()

#: JSON keys that hold wall times, not results.
TIMING_KEYS = frozenset({"timings_s", "seconds"})
#: Read through OGR (the shapefile's .dbf/.shx come with its .shp; the .dbf header holds a date).
VECTOR = (".gpkg", ".shp", ".xlsx")
VECTOR_PARTS = (".dbf", ".shx")
PLACEHOLDER = "<OUTPUT_DIR>"


def files(folder: Path) -> List[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _json(path: Path, folder: Path) -> Any:
    def clean(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items() if k not in TIMING_KEYS}
        if isinstance(v, list):
            return [clean(x) for x in v]
        if isinstance(v, str):
            return v.replace(str(folder), PLACEHOLDER)
        return v
    return clean(json.loads(path.read_text(encoding="utf-8")))


def _vector(path: Path) -> Dict[str, Tuple[Tuple[str, ...], List[Any]]]:
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
    out = {}
    for i in range(ds.GetLayerCount()):
        layer = ds.GetLayer(i)
        defn = layer.GetLayerDefn()
        keep = [k for k in range(defn.GetFieldCount()) if defn.GetFieldDefn(k).GetName() != "update_time"]
        rows = []
        for f in layer:
            g = f.GetGeometryRef()
            rows.append((f.GetFID(), tuple(f.GetField(k) for k in keep),
                         bytes(g.ExportToIsoWkb()) if g is not None else None))
        srs = layer.GetSpatialRef()
        out[layer.GetName()] = (tuple(defn.GetFieldDefn(k).GetName() for k in keep),
                                srs.ExportToWkt() if srs else None, sorted(rows, key=lambda r: r[0]))
    return out


def _raster(path: Path) -> Tuple[Any, ...]:
    ds = gdal.Open(str(path))
    bands = []
    for i in range(1, ds.RasterCount + 1):
        b = ds.GetRasterBand(i)
        a = b.ReadAsArray()
        bands.append((b.GetDescription(), b.GetNoDataValue(), b.GetUnitType(), str(a.dtype), a.shape, a.tobytes(),
                      [b.GetOverview(k).ReadAsArray().tobytes() for k in range(b.GetOverviewCount())]))
    return ds.GetGeoTransform(), ds.GetProjection(), ds.GetMetadata(), bands


def _text(path: Path, folder: Path) -> bytes:
    return path.read_bytes().replace(str(folder).encode(), PLACEHOLDER.encode())


def differences(a: Path, b: Path) -> List[str]:
    """What differs between output folders a and b (empty: the same results), one line each."""
    a, b = Path(a).resolve(), Path(b).resolve()
    fa, fb = files(a), files(b)
    out = []
    if fa != fb:
        out.append(f"files: only in {a}: {sorted(set(fa) - set(fb))}; only in {b}: {sorted(set(fb) - set(fa))}")
    for rel in sorted(set(fa) & set(fb)):
        pa, pb = a / rel, b / rel
        suffix = pa.suffix.lower()
        if suffix in VECTOR_PARTS and pa.with_suffix(".shp").exists():
            continue
        if suffix == ".json":
            same = _json(pa, a) == _json(pb, b)
        elif suffix in VECTOR:
            same = _vector(pa) == _vector(pb)
        elif suffix == ".tif":
            same = _raster(pa) == _raster(pb)
        else:
            same = _text(pa, a) == _text(pb, b)
        if not same:
            out.append(f"{rel} differs")
    return out


def assert_same_outputs(a: Path, b: Path) -> None:
    diff = differences(a, b)
    assert not diff, f"{a} and {b} differ:\n" + "\n".join(diff)
