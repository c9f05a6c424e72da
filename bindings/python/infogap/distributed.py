"""Runs of infogap on a Dask cluster (``dask.distributed``, Debian's python3-distributed).

>>> from infogap import distributed
>>> distributed.sweep("data/bac_lieu/scenario.yaml", "sweep",
...                   grid={"acoustics.ambient_dba": [40, 50], "optimize.new_speakers": [10, 20]})
>>> distributed.run_partitions("national/scenario.yaml", "ketqua", client="tcp://10.0.0.1:8786")

Each task is one ``infogap.run`` on a worker, writing its folder on the filesystem the machines
share; the engine does all the work, Dask all the scheduling and transport (DESIGN.md §6).
Workers import ``infogap`` like any Python module: start them with ``PYTHONPATH`` naming the folder
that holds the package (e.g. ``build/python``) unless it is installed.
"""
from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import logging
import math
import os
import sys
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from distributed import Client, Future, LocalCluster, as_completed, get_worker

from . import _api, _core

log = logging.getLogger("infogap.distributed")

PathLike = Union[str, "os.PathLike[str]"]
ClientLike = Union[Client, str, None]

#: The summary.json figures each run of a sweep reports in the index (dotted paths), in column order.
HEADLINE: Tuple[str, ...] = (
    "accounting.households.input",
    "accounting.households.joined",
    "accounting.households.outside",
    "accounting.households.rejected",
    "coverage.target_households",
    "coverage.target_weight",
    "coverage.reached_speaker",
    "coverage.reached_team",
    "coverage.reached_any",
    "coverage.reached_weight",
    "coverage.gap_households",
    "coverage.gap_weight",
    "optimizer.sites",
    "optimizer.objective",
    "optimizer.bound",
    "optimizer.gap",
    "optimizer.status",
)
#: The index files a sweep writes in its output root.
INDEX_JSON = "sweep.json"
INDEX_CSV = "sweep.csv"
#: Separates the key=value parts of a grid run's name.
NAME_SEPARATOR = "__"


# ---------------------------------------------------------------------------------------------
# What travels to a worker: the scenario as its file (when unchanged) or as its YAML text.

class _ScenarioSpec:
    """A picklable scenario: the file it was read from (so summary.json names it, as the
    single-machine run does) or, when built in Python, its text after defaults."""

    __slots__ = ("path", "text")

    def __init__(self, scenario: _api.Scenario) -> None:
        self.path: Optional[str] = scenario.source_path or None
        self.text: Optional[str] = None if self.path else scenario.to_yaml()

    def load(self) -> _api.Scenario:
        if self.path:
            return _api.Scenario.from_yaml(self.path)
        assert self.text is not None
        return _api.Scenario.from_yaml_string(self.text, ".", "<dict>")

    def __getstate__(self) -> Tuple[Optional[str], Optional[str]]:
        return self.path, self.text

    def __setstate__(self, state: Tuple[Optional[str], Optional[str]]) -> None:
        self.path, self.text = state


def _use_worker_threads(threads: Optional[int]) -> int:
    """Gives the engine the threads of the Dask worker running this task (or `threads`)."""
    n = threads if threads else get_worker().state.nthreads
    _core.set_threads(int(n))
    return int(n)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _lookup(d: Mapping[str, Any], dotted: str) -> Any:
    value: Any = d
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _headline(summary: Mapping[str, Any]) -> Dict[str, Any]:
    return {key: _lookup(summary, key) for key in HEADLINE}


def _run_task(spec: _ScenarioSpec, output_dir: str, threads: Optional[int], run_options: Dict[str, Any]
              ) -> Dict[str, Any]:
    """One infogap.run on a worker. Returns {"status", "error", "headline"}; an error of the run
    (the engine's message) is returned, not raised, so that the other runs go on."""
    _use_worker_threads(threads)
    try:
        _api.run(spec.load(), output_dir=output_dir, **run_options)
        summary = json.loads((Path(output_dir) / "summary.json").read_text(encoding="utf-8"))
        return {"status": "ok", "error": None, "headline": _headline(summary)}
    except Exception as exc:  # noqa: BLE001 — any failure of this run is recorded; the others go on
        return {"status": "failed", "error": _error_text(exc), "headline": _headline({})}


def _worker_version() -> str:
    """Runs on each worker: the infogap version it imports (the import itself fails without it)."""
    return str(_core.__version__)


# ---------------------------------------------------------------------------------------------
# Connecting to a cluster.

@contextlib.contextmanager
def _connect(client: ClientLike) -> Iterator[Client]:
    """A Client: the one given, one to the scheduler address given, the current one, or a
    LocalCluster of this machine (one single-threaded worker process per core), closed at the end."""
    if isinstance(client, Client):
        yield client
        return
    if isinstance(client, str):
        with Client(client) as c:
            yield c
        return
    if client is not None:
        raise TypeError(f"client must be a dask.distributed.Client, a scheduler address or None, "
                        f"not {type(client).__name__}")
    try:
        yield Client.current()
        return
    except ValueError:
        pass
    with LocalCluster(threads_per_worker=1, processes=True) as cluster, Client(cluster) as c:
        yield c


def check_workers(client: Client) -> Dict[str, str]:
    """Checks that every worker imports the same infogap as this process; returns {worker: version}.
    Raises infogap.Error naming the workers that cannot import it or run another version."""
    answers = client.run(_worker_version, on_error="return")
    if not answers:
        raise _core.Error(f"the Dask cluster at {client.scheduler.address} has no workers")
    here = Path(_api.__file__).resolve().parent.parent
    broken = {w: a for w, a in answers.items() if not isinstance(a, str)}
    if broken:
        listed = "; ".join(f"{w}: {a}" for w, a in sorted(broken.items()))
        raise _core.Error(f"Dask workers cannot import infogap ({listed}): start each worker with PYTHONPATH "
                          f"naming the folder that holds the infogap package (here {here})")
    other = {w: v for w, v in answers.items() if v != _core.__version__}
    if other:
        listed = ", ".join(f"{w} runs {v}" for w, v in sorted(other.items()))
        raise _core.Error(f"the Dask workers run another infogap than this process ({_core.__version__}): {listed}")
    return dict(answers)


def _gather_in_order(client: Client, futures: Sequence[Future], names: Sequence[str], what: str
                     ) -> List[Dict[str, Any]]:
    """Waits for every future (reporting each as it finishes) and returns their results in the order
    given. A task that failed outside the engine (a worker lost, ...) becomes a failed result."""
    index = {f.key: i for i, f in enumerate(futures)}
    results: List[Dict[str, Any]] = [{} for _ in futures]
    done = 0
    for future in as_completed(futures):
        i = index[future.key]
        done += 1
        if future.status == "finished":
            results[i] = future.result()
        else:
            exc = future.exception()
            results[i] = {"status": "failed", "error": _error_text(exc) if exc else future.status,
                          "headline": _headline({})}
        if results[i]["status"] == "ok":
            log.info("%s %s finished (%d/%d)", what, names[i], done, len(futures))
        else:
            log.warning("%s %s failed (%d/%d): %s", what, names[i], done, len(futures), results[i]["error"])
    return results


# ---------------------------------------------------------------------------------------------
# Sweeps.

def _folder_word(text: str) -> str:
    """Text as a folder name by the engine's rule for partition folders (ASCII-folded, lower case,
    other characters as "-": "Bạc Liêu" → "bac-lieu"); "" when nothing is left."""
    return _core.partition_folder(text) if any(c.isalnum() for c in text) else ""


def _format_value(value: Any) -> str:
    """A grid value as it appears in a run's name: numbers plainly (1e9 → 1000000000), text slugged."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e18:
            return str(int(value))
        return repr(value)
    if value is None:
        return "null"
    return _folder_word(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)) or "empty"


def _nested(dotted: str, value: Any) -> Dict[str, Any]:
    """"acoustics.ambient_dba", 40 → {"acoustics": {"ambient_dba": 40}}."""
    out: Dict[str, Any] = {}
    node = out
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return out


def _merge_all(items: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for item in items:
        out = _api._merge(out, item)
    return out


def expand_grid(grid: Mapping[str, Sequence[Any]]) -> List[Tuple[str, Dict[str, Any]]]:
    """The runs of a grid: the cartesian product of its values, the first key varying slowest, each as
    (name, {dotted key: value}). The name joins ``<last part of the key>=<value>`` with "__"
    (the full dotted key when two keys end alike), e.g. ``ambient_dba=40__new_speakers=10``."""
    keys = list(grid)
    for key in keys:
        values = grid[key]
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
            raise _api._bad_keyword(f"sweep(): grid[{key!r}] must be a non-empty list of values")
        if not key or any(not p for p in key.split(".")):
            raise _api._bad_keyword(f"sweep(): grid key {key!r} is not a dotted scenario key (e.g. acoustics.ambient_dba)")
    last = [k.rsplit(".", 1)[-1] for k in keys]
    labels = [k if last.count(s) > 1 else s for k, s in zip(keys, last)]
    runs = []
    for combo in itertools.product(*(list(grid[k]) for k in keys)):
        name = NAME_SEPARATOR.join(f"{label}={_format_value(v)}" for label, v in zip(labels, combo))
        runs.append((name, dict(zip(keys, combo))))
    return runs


def _scenario_label(scenario: _api.Scenario) -> str:
    return _folder_word(scenario.name) or (_folder_word(Path(scenario.source_path).stem) if scenario.source_path else "") \
        or "run"


class Run:
    """One run of a sweep: its name (its folder under the output root), its scenario and overrides."""

    __slots__ = ("name", "scenario", "overrides", "status", "error", "headline")

    def __init__(self, name: str, scenario: _api.Scenario, overrides: Dict[str, Any]) -> None:
        self.name = name
        self.scenario = scenario
        self.overrides = overrides
        #: "ok" or "failed" once run ("pending" before).
        self.status = "pending"
        #: The engine's message when the run failed.
        self.error: Optional[str] = None
        #: The HEADLINE figures of its summary.json.
        self.headline: Dict[str, Any] = {}

    def record(self) -> Dict[str, Any]:
        return {"run": self.name, "folder": self.name, "scenario": self.scenario.source_path or self.scenario.name,
                "overrides": self.overrides, "status": self.status, "error": self.error, "headline": self.headline}

    def __repr__(self) -> str:
        return f"Run({self.name!r}, {self.status}{': ' + self.error if self.error else ''})"


class SweepResult:
    """What a sweep did: every run in index order, and the index files."""

    def __init__(self, output_root: Path, runs: List[Run], grid_keys: List[str]) -> None:
        self.output_root = output_root
        self.runs = runs
        self.grid_keys = grid_keys

    @property
    def failed(self) -> List[Run]:
        return [r for r in self.runs if r.status != "ok"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def folder(self, name: str) -> Path:
        return self.output_root / name

    def to_pandas(self) -> Any:
        """The index (sweep.csv) as a pandas DataFrame."""
        import pandas as pd  # type: ignore[import]

        return pd.read_csv(self.output_root / INDEX_CSV, keep_default_na=False, na_values=[""])

    def __repr__(self) -> str:
        return (f"<infogap.distributed.SweepResult {len(self.runs)} runs, {len(self.failed)} failed, "
                f"index {self.output_root / INDEX_JSON}>")


def _plan(scenarios: Any, grid: Optional[Mapping[str, Sequence[Any]]]) -> List[Run]:
    """The runs of a sweep, in index order, each scenario parsed here (a bad one stops the sweep
    before anything runs, with every bad run named)."""
    if isinstance(scenarios, Mapping):
        bases = [(str(k), _api._as_scenario(v, {})) for k, v in scenarios.items()]
        for name, _ in bases:
            if not name or name != Path(name).name or name in (".", ".."):
                raise _api._bad_keyword(f"sweep(): run name {name!r} is not a folder name")
    else:
        items = [scenarios] if isinstance(scenarios, (str, os.PathLike, _api.Scenario, _core.Scenario)) else list(scenarios)
        if not items:
            raise _api._bad_keyword("sweep(): no scenario given")
        bases = [("", _api._as_scenario(s, {})) for s in items]
        labels = [_scenario_label(sc) for _, sc in bases]
        seen: Dict[str, int] = {}
        named = []
        for label, (_, sc) in zip(labels, bases):
            seen[label] = seen.get(label, 0) + 1
            named.append((label if labels.count(label) == 1 else f"{label}-{seen[label]}", sc))
        bases = named
    cells = expand_grid(grid) if grid else [("", {})]
    runs: List[Run] = []
    problems: List[str] = []
    for base_name, base in bases:
        for cell_name, overrides in cells:
            if len(bases) == 1 and not isinstance(scenarios, Mapping) and cell_name:
                name = cell_name
            else:
                name = NAME_SEPARATOR.join(p for p in (base_name, cell_name) if p)
            try:
                sc = base.with_overrides(**_merge_all([_nested(k, v) for k, v in overrides.items()]))
            except (ValueError, OSError, _core.Error) as exc:
                problems.append(f"{name}: {exc}")
                continue
            runs.append(Run(name, sc, overrides))
    names = [r.name for r in runs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        problems.append(f"several runs would share the folder {', '.join(dupes)}")
    if problems:
        raise _api._bad_keyword("sweep(): " + "; ".join(problems))
    return runs


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _csv_field(value: Any) -> str:
    """A cell of sweep.csv by the rule of infogap's CSV files: NULL empty, numbers as written in
    summary.json, text (lists and mappings as JSON) through the engine's csv_text_field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if math.isfinite(value) else ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return _core.csv_text_field(text)


def _write_index(root: Path, runs: List[Run], grid_keys: List[str]) -> None:
    doc = {"infogap_version": _core.__version__, "grid": grid_keys, "headline": list(HEADLINE),
           "runs": [r.record() for r in runs]}
    _write_atomic(root / INDEX_JSON, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    override_keys = grid_keys or sorted({k for r in runs for k in r.overrides})
    header = ["run", "status", "folder", "scenario", *override_keys, *HEADLINE, "error"]
    lines = [",".join(_csv_field(h) for h in header)]
    for r in runs:
        rec = r.record()
        cells = [r.name, r.status, rec["folder"], rec["scenario"], *(r.overrides.get(k) for k in override_keys),
                 *(r.headline.get(k) for k in HEADLINE), r.error]
        lines.append(",".join(_csv_field(c) for c in cells))
    _write_atomic(root / INDEX_CSV, "\n".join(lines) + "\n")


def sweep(scenarios: Any, output_root: PathLike, grid: Optional[Mapping[str, Sequence[Any]]] = None,
          client: ClientLike = None, threads: Optional[int] = None, **run_options: Any) -> SweepResult:
    """Runs several scenarios, or one scenario under a grid of overrides, as tasks of a Dask cluster.

    scenarios: a scenario (path or Scenario), a list of them (folders named after each scenario's
    name), or a dict {run name: scenario}. grid: {dotted scenario key: [values]}, expanded as a
    cartesian product in the order given (see expand_grid); with several scenarios, every scenario
    runs every cell. Each run writes what ``infogap.run`` writes into ``output_root/<run name>``;
    ``output_root/sweep.json`` and ``sweep.csv`` list every run with its overrides, folder, status,
    the engine's message if it failed, and the HEADLINE figures of its summary.json.
    client: a Client, a scheduler address ("tcp://host:8786"), or None (the current client, else a
    LocalCluster of this machine). threads: engine threads per run (default: its worker's threads).
    run_options: options of infogap.run (optimize, new_speakers, budget, exact, write_report, ...).
    A failed run does not stop the others; the result lists it (``.failed``)."""
    _api._check_keywords("sweep", run_options, _api._RUN_OPTIONS)
    if "partition" in run_options:
        raise _api._bad_keyword("sweep(): partition= is not a sweep option; run_partitions() runs the partitions of a run")
    runs = _plan(scenarios, grid)
    root = Path(output_root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    grid_keys = list(grid) if grid else []
    with _connect(client) as c:
        check_workers(c)
        futures = [c.submit(_run_task, _ScenarioSpec(r.scenario), str(root / r.name), threads, run_options,
                            pure=False, priority=len(runs) - i) for i, r in enumerate(runs)]
        results = _gather_in_order(c, futures, [r.name for r in runs], "run")
    for r, res in zip(runs, results):
        r.status, r.error, r.headline = res["status"], res["error"], res["headline"]
    _write_index(root, runs, grid_keys)
    return SweepResult(root, runs, grid_keys)


# ---------------------------------------------------------------------------------------------
# Partitions of one run.

def partition_order(parts: Sequence[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    """The order partitions are handed to the cluster: most hamlets first (the longest tasks start
    first), then by value."""
    return sorted(parts, key=lambda p: (-int(p["hamlets"]), str(p["value"])))


# A worker keeps the engine of the run whose partitions it writes: inputs loaded and coverage computed
# once per worker and run, not once per partition (national: 157 partitions, each load + coverage
# ≈ 100 s, on as many workers as the cluster has). One run's engine at a time per worker process,
# used by one task at a time; dropped when another run's first task arrives or the run ends.
_ENGINE_LOCK = threading.Lock()
_ENGINE: Dict[str, Any] = {}
#: Engines this worker process has built (inputs loaded, coverage computed), per run id.
_LOADS: Dict[str, int] = {}


def _partition_task(spec: _ScenarioSpec, output_dir: str, value: Any, threads: Optional[int],
                    run_options: Dict[str, Any], run_id: str) -> Dict[str, Any]:
    """One partition of a run on a worker (what ``infogap.run(..., partition=value)`` writes), on
    the worker's engine of this run."""
    _use_worker_threads(threads)
    try:
        with _ENGINE_LOCK:
            if _ENGINE.get("run") != run_id:
                _ENGINE.clear()  # the previous run's memory goes before this run's inputs load
                _ENGINE.update(run=run_id, engine=_api.Engine(spec.load()))
                _LOADS[run_id] = _LOADS.get(run_id, 0) + 1
            _ENGINE["engine"].run(output_dir, partition=str(value), **run_options)
        return {"status": "ok", "error": None, "headline": {}}
    except Exception as exc:  # noqa: BLE001 — reported with the partition's name once all have finished
        return {"status": "failed", "error": _error_text(exc), "headline": {}}


def _drop_engine(run_id: str) -> None:
    """Runs on each worker at the end of a run: frees that run's engine."""
    with _ENGINE_LOCK:
        if _ENGINE.get("run") == run_id:
            _ENGINE.clear()


def engines_built() -> Dict[str, int]:
    """Runs on a worker (``client.run(engines_built)``): the engines it has built (inputs loaded,
    coverage computed) per run of run_partitions — one per worker and run, whatever the partitions."""
    return dict(_LOADS)


def _rollup_task(spec: _ScenarioSpec, output_dir: str, threads: Optional[int]) -> None:
    _use_worker_threads(threads)
    _api.rollup(spec.load(), output_dir)


def run_partitions(scenario: Any, output_dir: Optional[PathLike] = None, client: ClientLike = None,
                   threads: Optional[int] = None, **run_options: Any) -> Path:
    """Runs each partition of a partitioned scenario (``output.partition_by``) as a task of a Dask
    cluster, largest first, then the national roll-up: the same files as ``infogap run`` on one
    machine. Returns the output folder. Raises infogap.Error naming every failed partition (with the
    engine's message) once the others have finished; the roll-up is then not written."""
    _api._check_keywords("run_partitions", run_options, _api._RUN_OPTIONS)
    if "partition" in run_options:
        raise _api._bad_keyword("run_partitions(): runs every partition; for one, infogap.run(..., partition=VALUE)")
    sc = _api._as_scenario(scenario, {})
    out = Path(output_dir if output_dir is not None else sc.output_dir).resolve()
    order = partition_order(_api.partitions(sc))
    spec = _ScenarioSpec(sc)
    run_id = uuid.uuid4().hex
    with _connect(client) as c:
        check_workers(c)
        futures = [c.submit(_partition_task, spec, str(out), p["value"], threads, run_options, run_id, pure=False,
                            priority=len(order) - i) for i, p in enumerate(order)]
        try:
            results = _gather_in_order(c, futures, [str(p["folder"]) for p in order], "partition")
        finally:
            c.run(_drop_engine, run_id, on_error="ignore")
        built = c.run(engines_built, on_error="ignore")
        log.info("partitions: inputs loaded %d times on %d workers for %d partitions",
                 sum(b.get(run_id, 0) for b in built.values()), len(built), len(order))
        failed = [(p, r) for p, r in zip(order, results) if r["status"] != "ok"]
        if failed:
            raise _core.Error("partitions failed (no roll-up written): " +
                              "; ".join(f"{p['value']} ({p['folder']}): {r['error']}" for p, r in failed))
        c.submit(_rollup_task, spec, str(out), threads, pure=False).result()
    return out


# ---------------------------------------------------------------------------------------------
# Command line: python3 -m infogap.distributed sweep|partitions ...

def _grid_arg(text: str) -> Tuple[str, List[Any]]:
    key, sep, values = text.partition("=")
    if not sep or not key or not values:
        raise argparse.ArgumentTypeError(f"--grid {text!r}: expected KEY=V1,V2,... or KEY=[JSON list]")
    if values.lstrip().startswith("["):
        parsed = json.loads(values)
        return key, list(parsed)
    out: List[Any] = []
    for v in values.split(","):
        try:
            out.append(json.loads(v))
        except json.JSONDecodeError:
            out.append(v)
    return key, out


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m infogap.distributed",
                                     description="Runs infogap on a Dask cluster (dask scheduler / dask worker).")
    sub = parser.add_subparsers(dest="verb", required=True)
    sw = sub.add_parser("sweep", help="runs several scenarios, or one under a grid of overrides")
    sw.add_argument("scenarios", nargs="+", help="scenario files")
    sw.add_argument("-o", "--output", required=True, help="output root: a folder per run, sweep.json, sweep.csv")
    sw.add_argument("--grid", action="append", type=_grid_arg, default=[], metavar="KEY=V1,V2",
                    help="a scenario key and its values, e.g. acoustics.ambient_dba=40,50 (repeatable)")
    pa = sub.add_parser("partitions", help="runs the partitions of one scenario (output.partition_by), then the roll-up")
    pa.add_argument("scenario")
    pa.add_argument("-o", "--output", help="output folder (default: the scenario's output.dir)")
    for p in (sw, pa):
        p.add_argument("--scheduler", help="scheduler address, e.g. tcp://10.0.0.1:8786 (default: a local cluster)")
        p.add_argument("--threads", type=int, help="engine threads per run (default: the worker's threads)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        if args.verb == "sweep":
            grid = dict(args.grid) or None
            scenarios = args.scenarios if len(args.scenarios) > 1 else args.scenarios[0]
            result = sweep(scenarios, args.output, grid=grid, client=args.scheduler, threads=args.threads)
            for r in result.runs:
                print(f"{r.status:6} {result.folder(r.name)}" + (f"  {r.error}" if r.error else ""))
            print(f"index: {result.output_root / INDEX_JSON}, {result.output_root / INDEX_CSV}")
            return 0 if result.ok else 1
        out = run_partitions(args.scenario, args.output, client=args.scheduler, threads=args.threads)
        print(f"output folder: {out}")
        return 0
    except (_core.Error, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    # Run as `python3 -m infogap.distributed`: the tasks must travel as functions of the importable
    # module (workers then use their own copy and its per-process engine), not of __main__, whose
    # functions Dask would pickle by value with their globals.
    from infogap import distributed as _module
    sys.exit(_module.main())
