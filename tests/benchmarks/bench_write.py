#!/usr/bin/python3
"""Benchmark: the write stage of `infogap run` on the bundled province, against GDAL's own tools
writing the same files in the same run.

  coverage.gpkg  infogap's `write_gpkg` timing (summary.json timings_s.write_gpkg: 8 layers,
                 ≈226k household points, spatial indexes, layer_styles) against `ogr2ogr -f GPKG`
                 copying that very file, with GDAL's defaults and with OGR_GPKG_ALLOW_THREADED_RTREE=NO
                 (GDAL 3.6 stalls ≈5 s on multi-layer GeoPackages with its threaded RTree; infogap
                 turns it off for its own writes).
  rasters        the four 10 m COGs: infogap's rasterise + write timings against `gdal_translate -of COG`
                 (same creation options) of the same four rasters, read back from infogap's files
                 into plain GTiffs first (untimed): the peer only re-encodes, it computes nothing.

Usage: /usr/bin/python3 tests/benchmarks/bench_write.py [--build build] [--runs 3] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import ROOT, exe_path, figure, run_engine, scenario_copy, write_json  # noqa: E402

RASTERS = ["speech_level", "speakers_audible", "team_distance", "gap_density"]
COG = ["COMPRESS=DEFLATE", "PREDICTOR=YES", "LEVEL=2", "BLOCKSIZE=512", "OVERVIEWS=AUTO", "NUM_THREADS=ALL_CPUS",
       "BIGTIFF=IF_SAFER"]


def timed(cmd: list[str], env: dict | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t0


def median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    exe = exe_path(args.build)
    from osgeo import gdal
    gdal.UseExceptions()

    with tempfile.TemporaryDirectory(prefix="infogap-bench-write-") as tmp:
        work = Path(tmp)
        scen = scenario_copy(ROOT / "data" / "bac_lieu" / "scenario.yaml", work / "write.yaml",
                             {"output": {"formats": ["gpkg", "tif"]}})
        ours_gpkg, ours_raster, walls = [], [], []
        for k in range(args.runs):
            out = work / f"run{k}"
            s = run_engine(exe, "coverage", scen, out, threads=args.threads)
            t = s["timings_s"]
            ours_gpkg.append(t["write_gpkg"])
            ours_raster.append(t["write_rasterize"] + t["write_tif"])
            walls.append(s["_wall_s"])
        out = work / "run0"

        peer_default, peer_no_thread = [], []
        for k in range(args.runs):
            dst = work / f"copy{k}.gpkg"
            peer_default.append(timed(["ogr2ogr", "-f", "GPKG", str(dst), str(out / "coverage.gpkg")]))
            dst.unlink()
            env = dict(os.environ, OGR_GPKG_ALLOW_THREADED_RTREE="NO")
            peer_no_thread.append(timed(["ogr2ogr", "-f", "GPKG", str(dst), str(out / "coverage.gpkg")], env))
            dst.unlink()

        plain = {}
        for r in RASTERS:  # untimed: the peer's input, plain GTiff with infogap's values and nodata
            plain[r] = work / f"{r}.plain.tif"
            gdal.Translate(str(plain[r]), str(out / f"{r}.tif"), format="GTiff")
        peer_cog = []
        for k in range(args.runs):
            total = 0.0
            for r in RASTERS:
                resampling = "NEAREST" if r == "speakers_audible" else "AVERAGE"
                cmd = ["gdal_translate", "-q", "-of", "COG", str(plain[r]), str(work / f"{r}.peer{k}.tif")]
                for co in COG + [f"OVERVIEW_RESAMPLING={resampling}"]:
                    cmd += ["-co", co]
                total += timed(cmd)
            peer_cog.append(total)
        ds = gdal.Open(str(out / "speech_level.tif"))
        grid = f"{ds.RasterXSize} x {ds.RasterYSize} cells"
        ds = None

    figures = [
        figure("coverage.gpkg write (8 layers, 226k points)", median(ours_gpkg), median(peer_default),
               "ogr2ogr copy of the same file, GDAL defaults"),
        figure("coverage.gpkg write (8 layers, 226k points)", median(ours_gpkg), median(peer_no_thread),
               "ogr2ogr copy, OGR_GPKG_ALLOW_THREADED_RTREE=NO"),
        figure(f"4 rasters computed + written as COGs ({grid})", median(ours_raster), median(peer_cog),
               "gdal_translate -of COG of the 4 finished rasters (no computing)"),
    ]
    report = {"figures": figures, "runs": args.runs, "ours_gpkg_s": ours_gpkg, "peer_gpkg_default_s": peer_default,
              "peer_gpkg_no_threaded_rtree_s": peer_no_thread, "ours_rasters_s": ours_raster,
              "peer_translate_cog_s": peer_cog, "coverage_run_wall_s": walls}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    write_json(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
