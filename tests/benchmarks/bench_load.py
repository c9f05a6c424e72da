#!/usr/bin/python3
"""Benchmark: load + validate 1M households with `infogap validate`, against GeoPandas.

Generates, in a temporary folder that is deleted afterwards, a synthetic household layer around
Bạc Liêu (lon 105.23–105.86, lat 9.02–9.64, EPSG:4326) as a gzip CSV and as a GeoPackage, plus a
small hamlet grid, and a scenario using the DESIGN.md §3 keys. Each format is timed twice in the
same run under /usr/bin/time -v (wall time, peak RSS):
  infogap  `infogap validate scenario.yaml` (read, check every row, reproject to EPSG:32648)
  peer     geopandas.read_file(<same file>) (fiona) + .to_crs(32648)
and the ratio peer/infogap is printed.

Usage: /usr/bin/python3 tests/benchmarks/bench_load.py [--build build] [--households 1000000]
                                                       [--formats csv.gz,gpkg] [--json out.json]
"""
import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
LON = (105.23, 105.86)
LAT = (9.02, 9.64)

PEER = r"""
import sys, time
import geopandas
path, fmt = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if fmt == "csv.gz":
    df = geopandas.read_file("/vsigzip/" + path, X_POSSIBLE_NAMES="lon", Y_POSSIBLE_NAMES="lat",
                             KEEP_GEOM_COLUMNS="NO")
    df = df.set_crs(4326)
else:
    df = geopandas.read_file(path)
t1 = time.perf_counter()
df = df.to_crs(32648)
t2 = time.perf_counter()
assert df.geometry.notna().all() and len(df) > 0
print(f"rows={len(df)} read_s={t1 - t0:.3f} to_crs_s={t2 - t1:.3f} x0={df.geometry.x.iloc[0]:.3f}")
"""


def write_households(folder: Path, n: int, seed: int = 20240601) -> Path:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(*LON, n)
    lat = rng.uniform(*LAT, n)
    status = rng.choice(np.array(["poor", "near_poor", "not_poor"]), n, p=[0.08, 0.06, 0.86])
    members = rng.integers(1, 9, n)
    internet = rng.integers(0, 2, n)
    devices = rng.integers(0, 5, n)
    path = folder / "households.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6, newline="") as f:
        f.write("household_id,lon,lat,poverty,members,uses_internet,info_devices\n")
        chunk = 100_000
        for s in range(0, n, chunk):
            e = min(n, s + chunk)
            f.write("".join(
                f"HH{i:08d},{lon[i]:.7f},{lat[i]:.7f},{status[i]},{members[i]},{internet[i]},{devices[i]}\n"
                for i in range(s, e)))
    return path


def write_gpkg(csv_gz: Path, folder: Path) -> Path:
    from osgeo import gdal
    gdal.UseExceptions()
    out = folder / "households.gpkg"
    src = gdal.OpenEx("/vsigzip/" + str(csv_gz), gdal.OF_VECTOR,
                      open_options=["X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", "KEEP_GEOM_COLUMNS=NO",
                                    "AUTODETECT_TYPE=YES"])
    gdal.VectorTranslate(str(out), src, format="GPKG", layerName="households", srcSRS="EPSG:4326",
                         dstSRS="EPSG:4326")
    return out


def write_hamlets(folder: Path, nx: int = 8, ny: int = 8) -> Path:
    """A grid of nx × ny square hamlets covering the household area (GeoJSON, EPSG:4326)."""
    dx = (LON[1] - LON[0]) / nx
    dy = (LAT[1] - LAT[0]) / ny
    features = []
    for j in range(ny):
        for i in range(nx):
            x0, y0 = LON[0] + i * dx, LAT[0] + j * dy
            ring = [[x0, y0], [x0 + dx, y0], [x0 + dx, y0 + dy], [x0, y0 + dy], [x0, y0]]
            features.append({"type": "Feature",
                             "properties": {"hamlet_id": f"A{j:02d}{i:02d}", "name": f"Ấp {j * nx + i + 1}",
                                            "commune": f"Xã {j // 2}"},
                             "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path = folder / "hamlets.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def write_scenario(folder: Path, households: Path, fmt: str) -> Path:
    csv_keys = '  x: lon\n  y: lat\n  crs: "EPSG:4326"\n' if fmt == "csv.gz" else ""
    text = (
        f'name: "bench_load {fmt}"\n'
        "working_crs: auto\n"
        "on_bad_rows: reject\n"
        "hamlets:\n"
        "  path: hamlets.geojson\n"
        "  id: hamlet_id\n"
        "  name: name\n"
        "  group_by: [commune]\n"
        "households:\n"
        f"  path: {households.name}\n"
        f"{csv_keys}"
        "  id: household_id\n"
        "  status: poverty\n"
        "  members: members\n"
        "  internet: uses_internet\n"
        "  devices: info_devices\n")
    path = folder / f"scenario_{fmt.replace('.', '_')}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def timed(cmd: list[str]) -> dict:
    """Runs cmd under /usr/bin/time -v; returns wall time, peak RSS, exit code, output."""
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    seconds = 0.0
    if wall:
        for part in wall.group(1).split(":"):
            seconds = seconds * 60 + float(part)
    return {"rc": proc.returncode, "wall_s": seconds, "rss_mb": int(rss.group(1)) / 1024 if rss else 0.0,
            "stdout": proc.stdout, "stderr": proc.stderr}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument("--formats", default="csv.gz,gpkg")
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args()
    exe = Path(args.build) / "bin" / "infogap"
    if not exe.exists():
        print(f"bench_load: {exe} not found (build the infogap_cli target first)", file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory(prefix="infogap-bench-load-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        csv_gz = write_households(folder, args.households)
        files = {"csv.gz": csv_gz}
        if "gpkg" in args.formats:
            files["gpkg"] = write_gpkg(csv_gz, folder)
        write_hamlets(folder)
        print(f"generated {args.households} households in {time.perf_counter() - t0:.1f} s "
              f"(csv.gz {csv_gz.stat().st_size / 1e6:.1f} MB"
              + (f", gpkg {files['gpkg'].stat().st_size / 1e6:.1f} MB" if "gpkg" in files else "") + ")")
        for fmt in args.formats.split(","):
            scenario = write_scenario(folder, files[fmt], fmt)
            ours = timed([str(exe), "validate", str(scenario)])
            if ours["rc"] != 0:
                print(ours["stdout"], ours["stderr"], sep="\n", file=sys.stderr)
                print(f"bench_load: infogap validate failed on {fmt} (exit {ours['rc']})", file=sys.stderr)
                return 1
            kept = re.search(r"households: input (\d+) = accepted (\d+) \+ rejected (\d+)", ours["stdout"])
            peer = timed(["/usr/bin/python3", "-c", PEER, str(files[fmt]), fmt])
            if peer["rc"] != 0:
                print(peer["stderr"][-2000:], file=sys.stderr)
            row = {"format": fmt, "households": args.households,
                   "infogap_wall_s": ours["wall_s"], "infogap_rss_mb": ours["rss_mb"],
                   "accepted": int(kept.group(2)) if kept else None,
                   "peer": "geopandas.read_file (fiona) + to_crs(32648)",
                   "peer_rc": peer["rc"], "peer_wall_s": peer["wall_s"], "peer_rss_mb": peer["rss_mb"],
                   "peer_detail": peer["stdout"].strip(),
                   "ratio_wall": peer["wall_s"] / ours["wall_s"] if ours["wall_s"] > 0 else None,
                   "ratio_rss": peer["rss_mb"] / ours["rss_mb"] if ours["rss_mb"] > 0 else None}
            results.append(row)
            print(f"{fmt:7s} infogap validate: {ours['wall_s']:.2f} s, peak {ours['rss_mb']:.0f} MB "
                  f"({row['accepted']} accepted) | geopandas: {peer['wall_s']:.2f} s, peak {peer['rss_mb']:.0f} MB "
                  f"[{row['peer_detail']}] | geopandas/infogap: time ×{row['ratio_wall'] or 0:.2f}, "
                  f"memory ×{row['ratio_rss'] or 0:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
