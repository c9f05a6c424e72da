"""Shared helpers of the infogap benchmarks (bench_coverage.py, bench_optimize.py, run_all.py).

Every figure is measured against a peer in the same run, each side RUNS times (default 3), and the
median is kept: the machines are shared and noisy. The machine load (/proc/loadavg) is recorded
before and after each side.
"""
from __future__ import annotations

import copy
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
PY = "/usr/bin/python3"


def loadavg() -> list[float]:
    """1, 5 and 15 minute load averages."""
    try:
        return [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return [float("nan")] * 3


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gb": mem_gb, "python": platform.python_version(),
            "loadavg": loadavg()}


def median_runs(fn: Callable[[], dict[str, float]], runs: int, key: str) -> dict[str, Any]:
    """Calls fn() `runs` times; each call returns a dict of numbers. Returns the run whose `key` is
    the median (lower median for an even count) plus every run's `key` and the load around them."""
    load_before = loadavg()
    results = [fn() for _ in range(runs)]
    load_after = loadavg()
    values = [r[key] for r in results]
    med = statistics.median_low(values)
    chosen = dict(results[values.index(med)])
    chosen["runs_" + key] = values
    chosen["load_before"] = load_before
    chosen["load_after"] = load_after
    return chosen


def exe_path(build: str) -> Path:
    exe = Path(build) / "bin" / "infogap"
    if not exe.is_absolute():
        exe = Path.cwd() / exe
    if not exe.exists():
        sys.exit(f"{exe} not found: build the infogap_cli target first (make build)")
    return exe


def run_engine(exe: Path, verb: str, scenario: Path, out: Path, threads: int = 2,
               extra: list[str] | None = None) -> dict[str, Any]:
    """Runs `infogap VERB SCENARIO -o OUT --threads N -q`; returns summary.json plus the wall time."""
    cmd = [str(exe), verb, str(scenario), "-o", str(out), "--threads", str(threads), "-q"] + (extra or [])
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary["_wall_s"] = wall
    return summary


def synth(exe: Path, households: int, folder: Path, threads: int = 2) -> Path:
    """`infogap synth --households N -o folder` unless folder already holds that data set."""
    marker = folder / ".bench_households"
    scenario = folder / "scenario.yaml"
    if scenario.exists() and marker.exists() and marker.read_text().strip() == str(households):
        return scenario
    folder.mkdir(parents=True, exist_ok=True)
    p = subprocess.run([str(exe), "synth", "--households", str(households), "-o", str(folder), "--threads",
                        str(threads), "-q"], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"infogap synth failed:\n{p.stderr[-3000:]}")
    marker.write_text(str(households))
    return scenario


def _absolute_paths(node: Any, base: Path) -> None:
    """Makes every layer `path:` absolute (relative paths are relative to the scenario file)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "path" and isinstance(v, str) and not os.path.isabs(v):
                node[k] = str((base / v).resolve())
            else:
                _absolute_paths(v, base)
    elif isinstance(node, list):
        for v in node:
            _absolute_paths(v, base)


def _merge(dst: dict, edits: dict) -> None:
    for k, v in edits.items():
        if v is None:
            dst.pop(k, None)
        elif isinstance(v, dict) and isinstance(dst.get(k), dict) and not v.get("__replace__"):
            _merge(dst[k], v)
        else:
            dst[k] = {kk: vv for kk, vv in v.items() if kk != "__replace__"} if isinstance(v, dict) else v


def scenario_copy(src: Path, dst: Path, edits: dict) -> Path:
    """Writes a copy of the scenario src to dst with absolute paths and `edits` applied (nested
    dicts merge; a None value deletes the key; a dict with "__replace__": True replaces)."""
    import yaml
    doc = yaml.safe_load(src.read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    _absolute_paths(doc, src.parent)
    _merge(doc, edits)
    dst.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst


# Placement targets (make bench's iso9613 figure and the national one): the solve's model proven
# within MODEL_GAP, and the claim (the plan valued with its poles' echoes) within CLAIM_WITHIN of
# coverage recomputed with the sites.
MODEL_GAP = 0.01
CLAIM_WITHIN = 0.02
PLACEMENT_TARGET = "model gap ≤ 1 %, claim within 2 % of the recomputation"


def claim_off(claimed: float | None, recomputed: float | None) -> float | None:
    """How far the optimizer's claim is from coverage recomputed with the sites, relative."""
    if claimed is None or recomputed is None:
        return None
    return abs(claimed - recomputed) / max(1.0, abs(recomputed))


def placement_holds(model_gap: float | None, claimed: float | None, recomputed: float | None) -> bool:
    off = claim_off(claimed, recomputed)
    return model_gap is not None and model_gap <= MODEL_GAP and off is not None and off <= CLAIM_WITHIN


def figure(name: str, ours_s: float | None, peer_s: float | None, peer: str, target: str = "",
           passed: bool | None = None, **extra: Any) -> dict[str, Any]:
    """One row of the summary table: ratio = peer / ours (how many times faster we are)."""
    ratio = (peer_s / ours_s) if (ours_s and peer_s) else None
    row = {"figure": name, "ours_s": ours_s, "peer_s": peer_s, "peer": peer, "ratio": ratio,
           "target": target, "pass": passed}
    row.update(extra)
    return row


def write_json(path: str | None, data: Any) -> None:
    if path:
        Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False, default=float), encoding="utf-8")
