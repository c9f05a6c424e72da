#!/usr/bin/python3
"""Benchmark: a sweep on a Dask LocalCluster against the same runs one after another on this machine.

  ours  infogap.distributed.sweep of the bundled province under a grid of RUNS_IN_SWEEP cells
        (acoustics.ambient_dba × optimize.new_teams, CSV outputs), on a LocalCluster of 2 worker
        processes × 1 thread (started before the clock; its start-up is reported apart)
  peer  the same runs with infogap.run in one process, one after another, 2 engine threads each
Both write the same files (tests/python/test_distributed.py checks that); ratio = peer / ours.

Usage: PYTHONPATH=build/python /usr/bin/python3 tests/benchmarks/bench_distributed.py [--runs 3] [--json out.json]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import ROOT, figure, median_runs, write_json  # noqa: E402

GRID = {"acoustics.ambient_dba": [40, 45, 50, 55], "optimize.new_teams": [0, 5]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.build).resolve() / "python"))
    import infogap
    from distributed import Client, LocalCluster
    from infogap import distributed as dist

    base = infogap.Scenario.from_yaml(ROOT / "data" / "bac_lieu" / "scenario.yaml").with_overrides(
        output={"formats": ["csv"]})
    cells = dist.expand_grid(GRID)
    with tempfile.TemporaryDirectory(prefix="infogap-bench-dask-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            client.wait_for_workers(2)
            startup = time.perf_counter() - t0

            def ours() -> dict[str, float]:
                t = time.perf_counter()
                result = dist.sweep(base, work / "dask", grid=GRID, client=client)
                assert result.ok, result.failed
                return {"wall_s": time.perf_counter() - t}

            mine = median_runs(ours, args.runs, "wall_s")

        def peer() -> dict[str, float]:
            infogap.set_threads(2)
            t = time.perf_counter()
            for name, overrides in cells:
                nested: dict = {}
                for key, value in overrides.items():
                    top, sub = key.split(".")
                    nested.setdefault(top, {})[sub] = value
                infogap.run(base.with_overrides(**nested), output_dir=work / "serial" / name)
            return {"wall_s": time.perf_counter() - t}

        theirs = median_runs(peer, args.runs, "wall_s")
    figures = [figure(f"sweep of {len(cells)} province runs (CSV): LocalCluster 2 workers × 1 thread",
                      mine["wall_s"], theirs["wall_s"], "the same runs serially, 2 engine threads", "",
                      None, cluster_startup_s=startup, runs_ours=mine["runs_wall_s"],
                      runs_peer=theirs["runs_wall_s"], load_ours=[mine["load_before"], mine["load_after"]],
                      load_peer=[theirs["load_before"], theirs["load_after"]])]
    for f in figures:
        print(f"{f['figure']}: {f['ours_s']:.2f} s against {f['peer_s']:.2f} s ({f['peer']}), "
              f"ratio {f['ratio']:.2f}; cluster start-up {startup:.2f} s; runs {f['runs_ours']} / {f['runs_peer']}")
    write_json(args.json, {"figures": figures, "runs": args.runs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
