#!/usr/bin/python3
"""`make bench-national` (not part of `make test`): the national synthetic set (≈27 M households,
`infogap synth --scale national`) against the province run measured in the same bench.

Figures (each process under /usr/bin/time -v: wall time and peak resident memory; the progress
bar is read through a pseudo-terminal and timestamped, so the longest time without progress in
each stage is a figure too):
  1. province `coverage` (synth province, same outputs): the peer of 2.
  2. national `coverage` (load + compute + outputs): ≤ 3 min on 2 cores, and its cost per household
     ≤ 1.5 × the province's. Beside it, the same with the tables alone (csv: no households layer),
     which says how much of the time the 27 M-point GeoPackage layer takes (its RTree above all).
  3. national placement: `optimize --new-speakers 500 --new-teams 100` on the national candidates
     (≈ 105k): the solve's model proven within 1 % and the plan's claim (its valuation with the
     poles' echoes) within 2 % of coverage recomputed with the sites, within ≤ 10 min (placement
     stage).
  4. national `run` with every output: ≤ 15 min; peak resident memory ≤ 6 GiB.
Prints the figures and ratios and writes JSON (like run_all.py) to --json (default
BUILD/bench_national.json). The national set is made once in --data-dir if missing (≈ 1.5 GB).

Usage: /usr/bin/python3 tests/benchmarks/bench_national.py [--build build] [--data-dir DIR]
           [--threads 2] [--only province,coverage,coverage_csv,placement,run] [--raster-cell-m 100]
           [--partition-by COLUMN] [--json FILE]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import (PLACEMENT_TARGET, ROOT, exe_path, figure, loadavg, machine, placement_holds,  # noqa: E402
                          scenario_copy)

GIB = 1024 ** 3
BAR = re.compile(rb"\r(\S[^\[\r\n]*?)\s+\[[= ]*\]\s+(\d+(?:\.\d)?)%")  # the bar shows tenths


def timed_run(cmd: list[str], log: Path) -> dict[str, Any]:
    """Runs cmd under /usr/bin/time -v with stderr on a pseudo-terminal (the CLI then draws its
    progress bar); returns wall time, peak RSS, exit code and the progress timeline."""
    master, slave = pty.openpty()
    time_out = log.with_suffix(".time")
    full = ["/usr/bin/time", "-v", "-o", str(time_out)] + cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    events: list[tuple[float, str, float]] = []
    raw = b""
    stdout_chunks: list[bytes] = []
    os.set_blocking(p.stdout.fileno(), False)
    pty_open = True
    while True:
        ready, _, _ = select.select([master, p.stdout] if pty_open else [p.stdout], [], [], 1.0)
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if not data:
                pty_open = False  # the process closed its terminal (EIO)
            if data:
                now = time.perf_counter() - t0
                raw += data
                for m in BAR.finditer(data):
                    events.append((now, m.group(1).decode("utf-8", "replace").strip(), float(m.group(2))))
        if p.stdout in ready:
            chunk = p.stdout.read()
            if chunk:
                stdout_chunks.append(chunk)
        if p.poll() is not None and (not pty_open or not ready):
            break
    os.close(master)
    rest = p.stdout.read()
    if rest:
        stdout_chunks.append(rest)
    wall = time.perf_counter() - t0
    log.write_bytes(raw)
    rss_kb = None
    cpu_s = 0.0
    for line in time_out.read_text().splitlines():
        if "Maximum resident set size" in line:
            rss_kb = int(line.split(":")[1])
        if line.strip().startswith(("User time (seconds)", "System time (seconds)")):
            cpu_s += float(line.split(":")[1])
    # Longest time without a new percentage, per stage (from the stage's first to its last event).
    stalls: dict[str, float] = {}
    stall_at: dict[str, str] = {}  # where in the stage the longest one was: "from% → to%"
    for (t_a, s_a, p_a), (t_b, s_b, p_b) in zip(events, events[1:]):
        if s_a == s_b and t_b - t_a >= stalls.get(s_a, 0.0):
            stalls[s_a] = t_b - t_a
            stall_at[s_a] = f"{p_a:g}% → {p_b:g}%"
    # CPU seconds (user + system) beside the wall time: on a shared machine the wall time grows with
    # the load while the CPU time mostly does not, so the two together say how busy the run was.
    return {"cmd": " ".join(cmd), "rc": p.returncode, "wall_s": round(wall, 1), "cpu_s": round(cpu_s, 1),
            "peak_rss_gib": round(rss_kb * 1024 / GIB, 2) if rss_kb else None,
            "max_progress_stall_s": {k: round(v, 1) for k, v in stalls.items()},
            "max_progress_stall_at": stall_at,
            "stdout_tail": b"".join(stdout_chunks).decode("utf-8", "replace")[-2000:]}


def run_verb(exe: Path, verb: str, scenario: Path, out: Path, threads: int, extra: list[str] | None = None,
             log_dir: Path | None = None) -> dict[str, Any]:
    cmd = [str(exe), verb, str(scenario), "-o", str(out), "--threads", str(threads)] + (extra or [])
    log = (log_dir or out.parent) / f"{out.name}.progress.log"
    r = timed_run(cmd, log)
    if r["rc"] != 0:
        raise RuntimeError(f"{r['cmd']} failed (exit {r['rc']}):\n{r['stdout_tail']}\n"
                           f"{log.read_bytes()[-3000:].decode('utf-8', 'replace')}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    r["households"] = summary["accounting"]["households"]["input"]
    r["timings_s"] = summary.get("timings_s", {})
    r["optimizer"] = summary.get("optimizer")
    return r


def ensure_synth(exe: Path, folder: Path, scale: str, threads: int) -> Path:
    """`infogap synth --scale SCALE -o folder` unless folder already holds a synthetic set of that
    scale (its scenario names it: "National benchmark" or "Bạc Liêu")."""
    scenario = folder / "scenario.yaml"
    if scenario.exists():
        name = scenario.read_text(encoding="utf-8")
        if ("National benchmark" in name) == (scale == "national"):
            return scenario
        sys.exit(f"{folder} holds another data set than the {scale} one; give another folder")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"== infogap synth --scale {scale} -o {folder}", flush=True)
    t0 = time.perf_counter()
    p = subprocess.run([str(exe), "synth", "--scale", scale, "-o", str(folder), "--threads", str(threads), "-q"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"infogap synth failed:\n{p.stderr[-3000:]}")
    print(f"   made in {time.perf_counter() - t0:.0f} s", flush=True)
    return scenario


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--data-dir", help="the national data set, made once if missing (default BUILD/bench-national); "
                                       "the province one goes beside it (DIR-province)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default="province,coverage,coverage_csv,placement,run")
    ap.add_argument("--coverage-formats", default="gpkg,csv",
                    help="outputs of the coverage figure (province and national alike)")
    ap.add_argument("--raster-cell-m", type=float, default=100.0,
                    help="national run: raster cell (one national raster at 10 m does not fit; with "
                         "--partition-by each partition gets its own rasters)")
    ap.add_argument("--partition-by", help="national run: output.partition_by column (per-partition folders)")
    ap.add_argument("--speakers", type=int, default=500)
    ap.add_argument("--teams", type=int, default=100)
    ap.add_argument("--json", help="results file (default BUILD/bench_national.json)")
    args = ap.parse_args()
    build = Path(args.build).resolve()
    exe = exe_path(str(build))
    data = Path(args.data_dir).resolve() if args.data_dir else build / "bench-national"
    only = set(args.only.split(","))
    out_json = Path(args.json) if args.json else build / "bench_national.json"

    results: dict[str, Any] = {
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                 text=True).stdout.strip(),
        "build": str(build), "threads": args.threads, "machine": machine(), "runs": {}, "figures": []}
    national = ensure_synth(exe, data, "national", args.threads)
    province_dir = data.parent / (data.name + "-province")
    province = ensure_synth(exe, province_dir, "province", args.threads) if "province" in only else None
    formats = args.coverage_formats.split(",")

    def save() -> None:
        results["loadavg_end"] = loadavg()
        out_json.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=float), encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="infogap-bench-national-", dir=str(data.parent)) as tmp_s:
        tmp = Path(tmp_s)
        runs = results["runs"]

        def measure(name: str, src: Path, edits: dict, verb: str, extra: list[str] | None = None) -> dict:
            scenario = scenario_copy(src, tmp / f"{name}.yaml", edits)
            print(f"== {name}: infogap {verb} {' '.join(extra or [])}", flush=True)
            r = run_verb(exe, verb, scenario, tmp / name, args.threads, extra, out_json.parent)
            r["load"] = loadavg()
            runs[name] = r
            print(f"   {r['wall_s']:.0f} s ({r['cpu_s']:.0f} s CPU), peak {r['peak_rss_gib']} GiB, {r['households']:,} households; "
                  f"longest progress stall per stage (s): {r['max_progress_stall_s']} at {r['max_progress_stall_at']}",
                  flush=True)
            save()
            return r

        # The coverage figures are one national folder (the province set has no partitions either).
        cov_edits = {"output": {"formats": formats, "partition_by": None}, "optimize": None}
        if province is not None:
            measure("province_coverage", province, cov_edits, "coverage")
        if "coverage" in only:
            measure("national_coverage", national, cov_edits, "coverage")
        if "coverage_csv" in only:
            measure("national_coverage_csv", national,
                    {"output": {"formats": ["csv"], "partition_by": None}, "optimize": None}, "coverage")
        if "placement" in only:
            measure("national_placement", national,
                    # one placement over the whole country under one budget: no partitions. The
                    # stage's 600 s also hold the candidates, the matrix and coverage recomputed
                    # with the sites (≈ 60 s): the solver gets 480 s of them (with the existing
                    # teams in the model CBC reaches its final gap at its root, ≈ 100 s, then
                    # searches to the limit).
                    {"output": {"formats": ["csv"], "partition_by": None}, "optimize": {"time_limit_s": 480}},
                    "optimize",
                    ["--new-speakers", str(args.speakers), "--new-teams", str(args.teams)])
        if "run" in only:
            edits: dict = {"output": {"raster_cell_m": args.raster_cell_m}}
            if args.partition_by:
                edits["output"]["partition_by"] = args.partition_by
            measure("national_run", national, edits, "run")

    figs = results["figures"]
    pc, nc = runs.get("province_coverage"), runs.get("national_coverage")
    if nc:
        figs.append(figure(f"national coverage, {nc['households'] / 1e6:.1f} M households ({args.coverage_formats})",
                           nc["wall_s"], 180.0, "target 3 min", "≤ 180 s", nc["wall_s"] <= 180,
                           peak_rss_gib=nc["peak_rss_gib"], cpu_s=nc["cpu_s"], stalls=nc["max_progress_stall_s"],
                           stages_s={k: round(v, 1) for k, v in nc["timings_s"].items()}))
    ncc = runs.get("national_coverage_csv")
    if ncc:
        figs.append(figure(f"national coverage, {ncc['households'] / 1e6:.1f} M households (csv tables only)",
                           ncc["wall_s"], 180.0, "target 3 min", "≤ 180 s", ncc["wall_s"] <= 180,
                           peak_rss_gib=ncc["peak_rss_gib"], cpu_s=ncc["cpu_s"],
                           stages_s={k: round(v, 1) for k, v in ncc["timings_s"].items()}))
    if nc and pc:
        per_n = nc["wall_s"] / nc["households"]
        per_p = pc["wall_s"] / pc["households"]
        figs.append(figure("coverage cost per household, national vs province", per_n * 1e6, per_p * 1e6,
                           f"province coverage ({pc['households']:,} households, {pc['wall_s']:.1f} s)",
                           "national ≤ 1.5 × province", per_n <= 1.5 * per_p,
                           cost_ratio=round(per_n / per_p, 2), unit="µs per household"))
    npl = runs.get("national_placement")
    if npl:
        opt = npl.get("optimizer") or {}
        place_s = npl["timings_s"].get("optimize")
        # the solve's model proven within 1 % (optimizer.echoes.model_gap; the plan's own gap, its
        # valuation with the poles' echoes against that bound, beside it) and the claim within 2 %
        # of coverage recomputed with the sites
        echo = opt.get("echoes") or {}
        model_gap = echo.get("model_gap", opt.get("gap"))
        after = opt.get("after") or {}
        claimed, recomputed = after.get("claimed_gap_weight_closed"), after.get("gap_weight_closed")
        figs.append(figure(f"national placement {args.speakers} speakers + {args.teams} teams", place_s, 600.0,
                           "target 10 min", f"{PLACEMENT_TARGET}, in ≤ 600 s",
                           place_s is not None and place_s <= 600 and placement_holds(model_gap, claimed, recomputed),
                           gap=opt.get("gap"), model_gap=model_gap, model_objective=echo.get("model_objective"),
                           claimed=claimed, recomputed=recomputed,
                           solver=opt.get("solver"), status=opt.get("status"),
                           objective=opt.get("objective"), bound=opt.get("bound"),
                           rows=opt.get("rows"), merged_rows=opt.get("merged_rows"),
                           candidates=opt.get("candidates"), peak_rss_gib=npl["peak_rss_gib"], cpu_s=npl["cpu_s"]))
    nr = runs.get("national_run")
    if nr:
        figs.append(figure("national run, every output", nr["wall_s"], 900.0, "target 15 min", "≤ 900 s",
                           nr["wall_s"] <= 900, peak_rss_gib=nr["peak_rss_gib"], cpu_s=nr["cpu_s"],
                           stalls=nr["max_progress_stall_s"],
                           stages_s={k: round(v, 1) for k, v in nr["timings_s"].items()}))
        figs.append(figure("national run, peak resident memory (GiB)", nr["peak_rss_gib"], 6.0, "target 6 GiB",
                           "≤ 6 GiB", (nr["peak_rss_gib"] or 99) <= 6.0))
    save()

    print(f"\nmachine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
          f"{results['machine']['mem_gb']} GB; threads {args.threads}")
    for f in figs:
        verdict = {True: "ok", False: "FAIL", None: ""}[f.get("pass")]
        extra = {k: v for k, v in f.items() if k not in ("figure", "ours_s", "peer_s", "peer", "ratio", "target",
                                                          "pass")}
        ratio = f"{f['ratio']:.2f}×" if f.get("ratio") else "-"
        print(f"  {f['figure']}: ours {f['ours_s']}, peer {f['peer_s']} ({f['peer']}), ratio {ratio}, "
              f"target {f['target']} {verdict}  {extra}")
    print(f"\nwritten: {out_json}")
    return 0 if all(f.get("pass") is not False for f in figs) else 1


if __name__ == "__main__":
    sys.exit(main())
