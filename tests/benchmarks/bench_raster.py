#!/usr/bin/python3
"""Benchmark: the team-distance raster (infogap nearest_distance_grid + COG write) against GDAL's
gdal_proximity, on the same grid, in the same run.

576 random team points (seed fixed) over a 63 km × 69 km extent (the size of Bạc Liêu, EPSG:32648),
10 m cells (6 300 × 6 900 = 43.5 M cells):
  infogap  `infogap_gis_sample --bench` (nearest_distance_grid: exact Euclidean distance to the
           points; write_raster: COG, DEFLATE level 2, predictor, overviews, values rounded to
           0.5 m as `infogap run` writes team_distance.tif), timed inside the executable;
           also hamlet_id_grid of 512 generated hamlets (≈200 vertices each) over the same grid,
           and accumulate_point_sources of 1 000 loudspeaker-like sources (800 m, max and count).
  peer     osgeo_utils.gdal_proximity -distunits GEO on the points burnt into a Byte raster
           (CLI, plain GTiff output), the same CLI writing a tiled DEFLATE GTiff, gdal.ComputeProximity
           into a MEM raster (compute only), and the plain GTiff turned into a COG with our options
           (the same deliverable as ours).
Wall times on a shared machine vary with its load; process CPU times are reported as well.
Points are snapped to cell centres for the value comparison, so both compute the same quantity
(acceptance: max |infogap − gdal_proximity| ≤ half a cell). A second infogap run on the unsnapped
points shows the difference true positions make (bounded by cell·√2/2).

Usage: /usr/bin/python3 tests/benchmarks/bench_raster.py [--build build] [--exe PATH] [--cell 10]
                                                         [--points 576] [--json out.json]
"""
import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from osgeo import gdal, osr

ROOT = Path(__file__).resolve().parents[2]
EXTENT = (550000.0, 1000000.0, 613000.0, 1069000.0)  # 63 km × 69 km, multiples of the cell
EPSG = 32648


def children_cpu_s():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_infogap(exe, points, cell, out_tif, folder, hamlets=0, quantum=0.0, sources=0):
    csv = folder / f"points_{out_tif.stem}.csv"
    np.savetxt(csv, points, delimiter=",", header="x,y", comments="", fmt="%.3f")
    cmd = [str(exe), "--bench", str(csv), "--cell", str(cell), "--extent", *map(str, EXTENT), "--out", str(out_tif)]
    if hamlets:
        cmd += ["--hamlets", str(hamlets)]
    if quantum:
        cmd += ["--quantum", str(quantum)]
    if sources:
        cmd += ["--sources", str(sources), "--source-radius", "800"]
    t0, c0 = time.perf_counter(), children_cpu_s()
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    result = json.loads(p.stdout)
    result["process_wall_s"] = wall
    result["process_cpu_s"] = children_cpu_s() - c0
    result["file_mb"] = out_tif.stat().st_size / 1e6
    return result


def points_raster(points, cell, path):
    """The points burnt (value 1) into a Byte GTiff on the same grid."""
    minx, miny, maxx, maxy = EXTENT
    w, h = int(round((maxx - minx) / cell)), int(round((maxy - miny) / cell))
    a = np.zeros((h, w), dtype=np.uint8)
    cols = np.floor((points[:, 0] - minx) / cell).astype(int)
    rows = np.floor((maxy - points[:, 1]) / cell).astype(int)
    ok = (cols >= 0) & (cols < w) & (rows >= 0) & (rows < h)
    a[rows[ok], cols[ok]] = 1
    ds = gdal.GetDriverByName("GTiff").Create(str(path), w, h, 1, gdal.GDT_Byte)
    ds.SetGeoTransform((minx, cell, 0, maxy, 0, -cell))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).WriteArray(a)
    ds = None


def peer_cli(src, dst, creation_options=()):
    cmd = ["/usr/bin/python3", "-m", "osgeo_utils.gdal_proximity", str(src), str(dst), "-values", "1",
           "-distunits", "GEO", "-ot", "Float32", "-q"]
    for co in creation_options:
        cmd += ["-co", co]
    t0, c0 = time.perf_counter(), children_cpu_s()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0, children_cpu_s() - c0


PIPELINE_QUANTUM = 0.5  # engine/src/pipeline/extras.cpp, RasterSpec of team_distance
TILED_DEFLATE = ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "PREDICTOR=3", "ZLEVEL=2",
                 "NUM_THREADS=ALL_CPUS"]
COG_OPTIONS = ["COMPRESS=DEFLATE", "PREDICTOR=YES", "LEVEL=2", "BLOCKSIZE=512", "OVERVIEWS=AUTO",
               "OVERVIEW_RESAMPLING=AVERAGE", "NUM_THREADS=ALL_CPUS", "BIGTIFF=IF_SAFER"]


def peer_to_cog(src, dst):
    """gdal_proximity's GTiff converted to a COG with infogap's options: the peer's full path to
    the same deliverable."""
    t0, c0 = time.perf_counter(), time.process_time()
    gdal.Translate(str(dst), str(src), format="COG", creationOptions=COG_OPTIONS)
    return time.perf_counter() - t0, time.process_time() - c0


def peer_in_process(src):
    s = gdal.Open(str(src))
    mem = gdal.GetDriverByName("MEM").Create("", s.RasterXSize, s.RasterYSize, 1, gdal.GDT_Float32)
    mem.SetGeoTransform(s.GetGeoTransform())
    mem.SetProjection(s.GetProjection())
    t0 = time.perf_counter()
    gdal.ComputeProximity(s.GetRasterBand(1), mem.GetRasterBand(1), ["VALUES=1", "DISTUNITS=GEO"])
    return time.perf_counter() - t0


def read(path):
    ds = gdal.Open(str(path))
    a = ds.GetRasterBand(1).ReadAsArray()
    ds = None
    return a


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--exe", default=None, help="infogap_gis_sample (default: BUILD/bin/infogap_gis_sample)")
    ap.add_argument("--cell", type=float, default=10.0)
    ap.add_argument("--points", type=int, default=576)
    ap.add_argument("--seed", type=int, default=576)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    exe = Path(args.exe or Path(args.build) / "bin" / "infogap_gis_sample")
    if not exe.exists():
        sys.exit(f"{exe} not found: build the infogap_gis_sample target")
    gdal.UseExceptions()

    rng = np.random.default_rng(args.seed)
    minx, miny, maxx, maxy = EXTENT
    true_pts = np.column_stack([rng.uniform(minx, maxx, args.points), rng.uniform(miny, maxy, args.points)])
    cell = args.cell
    snapped = np.column_stack([minx + (np.floor((true_pts[:, 0] - minx) / cell) + 0.5) * cell,
                               maxy - (np.floor((maxy - true_pts[:, 1]) / cell) + 0.5) * cell])

    with tempfile.TemporaryDirectory(prefix="infogap-bench-raster-") as tmp:
        folder = Path(tmp)
        ours_tif = folder / "ours.tif"
        ours = run_infogap(exe, snapped, cell, ours_tif, folder, hamlets=512, sources=1000, quantum=PIPELINE_QUANTUM)
        src, peer_tif = folder / "points.tif", folder / "peer.tif"
        points_raster(snapped, cell, src)
        peer_cli_s, peer_cli_cpu = peer_cli(src, peer_tif)
        peer_tiled_s, _ = peer_cli(src, folder / "peer_tiled.tif", TILED_DEFLATE)
        peer_compute_s = peer_in_process(src)
        peer_cog_s, peer_cog_cpu = peer_to_cog(peer_tif, folder / "peer_cog.tif")

        a, b = read(ours_tif), read(peer_tif)
        diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
        max_diff, mean_diff = float(diff.max()), float(diff.mean())
        del diff, b
        # The same on the true (unsnapped) positions: exact distances differ from the snapped ones.
        true_tif = folder / "true.tif"
        ours_true = run_infogap(exe, true_pts, cell, true_tif, folder)
        c = read(true_tif)
        true_vs_snapped = float(np.abs(a.astype(np.float64) - c).max())
        del a, c
        # Lossless (RasterSpec::quantum = 0): the same distances, a larger file.
        ours_q = run_infogap(exe, true_pts, cell, folder / "lossless.tif", folder)
        peer_mb = peer_tif.stat().st_size / 1e6

    ours_total = ours["distance_s"] + ours["write_s"]
    report = {
        "grid": f'{ours["width"]} x {ours["height"]} = {ours["cells"]} cells of {cell:g} m',
        "points": args.points,
        "infogap_distance_s": round(ours["distance_s"], 3),
        "infogap_write_cog_s": round(ours["write_s"], 3),
        "infogap_distance_plus_cog_s": round(ours_total, 3),
        "infogap_distance_true_points_s": round(ours_true["distance_s"], 3),
        "infogap_cog_mb": round(ours["file_mb"], 1),
        "infogap_write_cog_lossless_s": round(ours_q["write_s"], 3),
        "infogap_cog_lossless_mb": round(ours_q["file_mb"], 1),
        "gdal_proximity_gtiff_mb": round(peer_mb, 1),
        "infogap_hamlet_id_grid_s": round(ours["hamlet_grid_s"], 3),
        "hamlets": ours["hamlets"],
        "infogap_1000_sources_r800_max_s": round(ours["sources_max_s"], 3),
        "infogap_1000_sources_r800_count_s": round(ours["sources_count_s"], 3),
        "infogap_process_wall_s": round(ours_true["process_wall_s"], 3),  # the run without hamlets
        "infogap_process_cpu_s": round(ours_true["process_cpu_s"], 3),
        "gdal_proximity_cli_s": round(peer_cli_s, 3),
        "gdal_proximity_cli_cpu_s": round(peer_cli_cpu, 3),
        "gdal_proximity_cli_tiled_deflate_s": round(peer_tiled_s, 3),
        "gdal_ComputeProximity_s": round(peer_compute_s, 3),
        "peer_gtiff_to_cog_s": round(peer_cog_s, 3),
        "peer_gtiff_to_cog_cpu_s": round(peer_cog_cpu, 3),
        "speedup_compute": round(peer_compute_s / ours["distance_s"], 1),
        "speedup_same_deliverable_wall": round((peer_cli_s + peer_cog_s) / ours_total, 2),
        "speedup_same_deliverable_cpu": round((peer_cli_cpu + peer_cog_cpu) / ours_true["process_cpu_s"], 2),
        "ratio_vs_uncompressed_gdal_proximity_wall": round(peer_cli_s / ours_total, 2),
        "ratio_vs_tiled_deflate_gdal_proximity_wall": round(peer_tiled_s / ours_total, 2),
        "max_abs_diff_m": round(max_diff, 4),
        "mean_abs_diff_m": round(mean_diff, 4),
        "true_vs_snapped_max_m": round(true_vs_snapped, 3),
        "acceptance_max_diff_le_half_cell": max_diff <= cell / 2,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if report["acceptance_max_diff_le_half_cell"] else 1


if __name__ == "__main__":
    sys.exit(main())
