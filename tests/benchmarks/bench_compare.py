#!/usr/bin/python3
"""`infogap compare` of two province runs (issue 16 item 6: ≤ 3 s) against a peer in the same run.

Before: the bundled province (data/bac_lieu/scenario.yaml); after: the same with the teams' reach at
2.5 km and 8 households per member (a plan). Both are run once with `infogap coverage` (GeoPackage
only); then, RUNS times each:
- ours: `infogap compare BEFORE AFTER -o DIR --units after`, the whole verb as a planner runs it
  (reads both coverage.gpkg, matches 225,600 households and 512 hamlets, writes change.gpkg with
  its styles, the CSV tables, both reports and summary_change.json);
- peer: geopandas reads both runs' households and hamlets layers, pandas merges the households on
  household_id and counts the same change classes, and sums the hamlets by commune_2025 (no file
  written). The counts must equal ours (`pass` needs both that and the target).

Usage: /usr/bin/python3 tests/benchmarks/bench_compare.py [--build build] [--runs 3] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import ROOT, exe_path, figure, machine, median_runs, run_engine, scenario_copy, write_json  # noqa: E402

TARGET_S = 3.0
CLASSES = ["unchanged", "newly_reached", "newly_unreached", "status_changed", "added", "removed"]


def peer_counts(before: Path, after: Path) -> dict:
    import geopandas as gpd
    import pandas as pd

    cols = ["household_id", "poverty", "reached"]
    b = pd.DataFrame(gpd.read_file(before / "coverage.gpkg", layer="households")[cols])
    a = pd.DataFrame(gpd.read_file(after / "coverage.gpkg", layer="households")[cols])
    m = b.merge(a, on="household_id", how="outer", suffixes=("_b", "_a"), indicator=True)
    both = m["_merge"] == "both"
    same_reach = m.reached_b == m.reached_a
    counts = {
        "added": int((m["_merge"] == "right_only").sum()),
        "removed": int((m["_merge"] == "left_only").sum()),
        "newly_reached": int((both & (m.reached_b == 0) & (m.reached_a == 1)).sum()),
        "newly_unreached": int((both & (m.reached_b == 1) & (m.reached_a == 0)).sum()),
        "status_changed": int((both & same_reach & (m.poverty_b != m.poverty_a)).sum()),
        "unchanged": int((both & same_reach & (m.poverty_b == m.poverty_a)).sum()),
    }
    hb = gpd.read_file(before / "coverage.gpkg", layer="hamlets")
    ha = gpd.read_file(after / "coverage.gpkg", layer="hamlets")
    units = hb[["hamlet_id", "gap_weight"]].merge(ha[["hamlet_id", "commune_2025"]], on="hamlet_id")
    counts["_units"] = len(units.groupby("commune_2025")["gap_weight"].sum())
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    exe = exe_path(args.build)
    source = ROOT / "data" / "bac_lieu" / "scenario.yaml"
    with tempfile.TemporaryDirectory(prefix="infogap-bench-compare-") as tmp:
        tmp = Path(tmp)
        only_gpkg = {"output": {"formats": ["gpkg"]}, "optimize": None}
        before_sc = scenario_copy(source, tmp / "before.yaml", only_gpkg)
        after_sc = scenario_copy(source, tmp / "after.yaml",
                                 {**only_gpkg, "teams": {"reach_m": 2500, "households_per_member": 8}})
        run_engine(exe, "coverage", before_sc, tmp / "before", args.threads)
        run_engine(exe, "coverage", after_sc, tmp / "after", args.threads)

        def ours() -> dict:
            t0 = time.perf_counter()
            p = subprocess.run([str(exe), "compare", str(tmp / "before"), str(tmp / "after"), "-o", str(tmp / "cmp"),
                                "--units", "after"], capture_output=True, text=True)
            wall = time.perf_counter() - t0
            if p.returncode != 0:
                raise RuntimeError(p.stderr[-3000:])
            return {"wall_s": wall}

        def peer() -> dict:
            t0 = time.perf_counter()
            counts = peer_counts(tmp / "before", tmp / "after")
            return {"wall_s": time.perf_counter() - t0, "counts": counts}

        o = median_runs(ours, args.runs, "wall_s")
        p = median_runs(peer, args.runs, "wall_s")
        summary = json.loads((tmp / "cmp" / "summary_change.json").read_text(encoding="utf-8"))
        ours_counts = {c: summary["households"][c] for c in CLASSES}
        peer_counts_ = {c: p["counts"][c] for c in CLASSES}
        same = ours_counts == peer_counts_ and p["counts"]["_units"] == len(
            (tmp / "cmp" / "change_commune_2025.csv").read_text(encoding="utf-8").splitlines()) - 1
        fig = figure("compare of two province runs (225,600 households, 512 hamlets; the whole verb, files written)",
                     o["wall_s"], p["wall_s"], "geopandas read + pandas merge of the same layers (counts only)",
                     f"≤ {TARGET_S:g} s", same and o["wall_s"] <= TARGET_S, same_counts=same, counts=ours_counts,
                     runs_ours=o["runs_wall_s"], runs_peer=p["runs_wall_s"], load=[o["load_before"], p["load_after"]])
        report = {"machine": machine(), "figures": [fig]}
        write_json(args.json, report)
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0 if fig["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
