#!/usr/bin/python3
"""Benchmark (issue 14 item 7): placing the province's 225,600 listed households on a footprint layer.

The bundled province (data/bac_lieu) is run twice in the same run, RUNS times each, interleaved:
  peer     households as surveyed: the CSV with lon/lat (as bundled)
  infogap  households as a commune lists them: rows keyed by hamlet id, no coordinates, placed on a
           layer of building footprints (one 12 m square around each household's surveyed point,
           made once from a preparation run with GDAL's SQL)
Both without the optimizer, formats csv + html (the outputs that do not depend on the placement's
cost). Reported: the median wall time of each side and of the `load` stage (summary.json timings);
target: placing adds at most 1 s to the run.

Usage: /usr/bin/python3 tests/benchmarks/bench_lists.py [--build build] [--runs 3] [--threads 2]
                                                        [--json out.json]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import ROOT, exe_path, figure, loadavg, run_engine, scenario_copy, write_json  # noqa: E402

DATA = ROOT / "data" / "bac_lieu"


def prepare(exe: Path, work: Path, threads: int) -> tuple[Path, Path]:
    """The two scenarios: surveyed (as bundled) and listed (by hamlet id, placed on footprints)."""
    from osgeo import gdal
    gdal.UseExceptions()
    common = {"optimize": None, "output": {"formats": ["csv", "html"]}}
    surveyed = scenario_copy(DATA / "scenario.yaml", work / "surveyed.yaml", common)
    prep = scenario_copy(DATA / "scenario.yaml", work / "prep.yaml",
                         {"optimize": None, "output": {"formats": ["gpkg"]}})
    run_engine(exe, "coverage", prep, work / "out_prep", threads)
    gpkg = str(work / "out_prep" / "coverage.gpkg")
    gdal.VectorTranslate(str(work / "listed.csv"), gpkg, format="CSV", SQLDialect="SQLITE",
                         SQLStatement="SELECT household_id, hamlet_id, poverty FROM households "
                                      "WHERE hamlet_id IS NOT NULL")
    gdal.VectorTranslate(str(work / "footprints.gpkg"), gpkg, format="GPKG", layerName="footprints",
                         SQLDialect="SQLITE",
                         SQLStatement="SELECT ST_Buffer(geom, 6, 1) AS geom FROM households "
                                      "WHERE hamlet_id IS NOT NULL")
    listed = scenario_copy(DATA / "scenario.yaml", work / "listed.yaml", dict(common, **{
        "households": {"__replace__": True, "path": str(work / "listed.csv"), "id": "household_id",
                       "status": "poverty", "hamlet": "hamlet_id"},
        "demand": {"footprints": {"path": str(work / "footprints.gpkg"), "layer": "footprints"}}}))
    return surveyed, listed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json")
    args = ap.parse_args()
    exe = exe_path(args.build)
    with tempfile.TemporaryDirectory(prefix="infogap-bench-lists-") as tmp:
        work = Path(tmp)
        surveyed, listed = prepare(exe, work, args.threads)
        load_before = loadavg()
        walls = {"surveyed": [], "listed": []}
        loads = {"surveyed": [], "listed": []}
        counts = {}
        for r in range(args.runs):
            for side, scenario in (("surveyed", surveyed), ("listed", listed)):
                s = run_engine(exe, "coverage", scenario, work / f"out_{side}_{r}", args.threads)
                walls[side].append(s["_wall_s"])
                loads[side].append(s.get("timings_s", {}).get("load", float("nan")))
                counts[side] = (s["accounting"]["households"], s.get("locations", {}).get("households"))
        load_after = loadavg()
    med = {k: statistics.median(v) for k, v in walls.items()}
    med_load = {k: statistics.median(v) for k, v in loads.items()}
    added = med["listed"] - med["surveyed"]
    placed = (counts["listed"][1] or {}).get("placed", 0)
    ok = added <= 1.0 and placed == counts["surveyed"][0]["joined"]
    figs = [
        figure(f"placing {placed:,} listed households on a footprint layer: province coverage run (wall)",
               med["listed"], med["surveyed"], "same run, surveyed coordinates", "adds ≤ 1 s", ok,
               added_s=round(added, 3), runs_listed=walls["listed"], runs_surveyed=walls["surveyed"],
               load=[load_before, load_after]),
        figure("  the load stage of the same runs (read, place / read, reproject)", med_load["listed"],
               med_load["surveyed"], "same run, surveyed coordinates", "", None,
               added_s=round(med_load["listed"] - med_load["surveyed"], 3)),
    ]
    for f in figs:
        print(f"{f['figure']}: {f['ours_s']:.3f} s vs {f['peer_s']:.3f} s ({f['peer']}), added {f['added_s']:+.3f} s")
    print(f"households: surveyed {counts['surveyed'][0]}, listed {counts['listed'][0]} {counts['listed'][1]}")
    write_json(args.json, {"figures": figs})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
