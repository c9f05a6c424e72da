"""Scenario, Engine, Result and the one-call functions run/coverage/optimize/synth.

Thin wrappers over :mod:`infogap._core` (engine/include/infogap/engine.hpp, scenario.hpp):
they convert arguments and build result objects; every computation happens in the engine.
"""
from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Union

from . import _core
from ._frames import GapsView, HouseholdsView, LayerView, SitesView, table_frame, table_geoframe

PathLike = Union[str, "os.PathLike[str]"]
ProgressCallback = Callable[[str, float], Any]

# Keyword arguments of Engine.run besides output_dir and progress (engine.hpp RunOptions).
_RUN_OPTIONS = ("optimize", "force_optimize", "new_speakers", "new_teams", "budget", "exact", "write_report",
                "partition")
# The keywords of optimize() (named parameters, not scenario keys).
_OPTIMIZE_OPTIONS = ("new_speakers", "new_teams", "budget", "exact")


def _scenario_keys() -> Dict[str, List[str]]:
    """The scenario's top-level keys, each with its sub-keys, from the engine (scenario_defaults())."""
    keys: Dict[str, List[str]] = {}
    for dotted, _ in _core.scenario_defaults():
        top, _, rest = dotted.partition(".")
        subs = keys.setdefault(top, [])
        sub = rest.partition(".")[0]
        if sub and sub not in subs:
            subs.append(sub)
    return keys


def _bad_keyword(message: str) -> _core.InvalidInput:
    """An infogap.InvalidInput (a ValueError) with the attributes the engine's errors carry."""
    exc = _core.InvalidInput(message)
    exc.code, exc.exit_code, exc.reason = "invalid_scenario", 1, message
    exc.file, exc.layer, exc.column, exc.feature_id = "", "", "", None
    return exc


def _check_keywords(function: str, overrides: Mapping[str, Any], allowed: tuple = ()) -> None:
    """Refuses a keyword that is neither a scenario key nor an option of `function`, naming it and
    the nearest valid name (at the top level and one level down, e.g. acoustics={"ambient": 55}),
    as infogap.InvalidInput (a ValueError)."""
    defaults = _scenario_keys()
    known = list(defaults) + list(allowed)
    everywhere = sorted(set(known) | set(_RUN_OPTIONS) | {"output_dir", "progress"})
    for key, value in overrides.items():
        if key in known:
            if isinstance(value, Mapping) and defaults.get(key):
                for sub in value:
                    if sub not in defaults[key]:
                        near = difflib.get_close_matches(str(sub), list(defaults[key]), n=1)
                        hint = f" — did you mean {near[0]}?" if near else f"; valid keys: {', '.join(defaults[key])}"
                        raise _bad_keyword(f"{function}(): unknown key {sub!r} in {key}={{...}}{hint}")
            continue
        if key in everywhere:
            where = "optimize() and run()" if key in _OPTIMIZE_OPTIONS else "run()"
            raise _bad_keyword(f"{function}(): keyword {key!r} is an option of {where}, not {function}()")
        near = difflib.get_close_matches(key, everywhere, n=1)
        hint = f" — did you mean {near[0]}?" if near else ""
        if near and near[0] not in known:
            hint += f" ({near[0]} is an option of {'optimize() and run()' if near[0] in _OPTIMIZE_OPTIONS else 'run()'})"
        raise _bad_keyword(f"{function}(): unknown keyword {key!r}{hint}; keywords are the scenario's top-level "
                           f"keys ({', '.join(defaults)})" + (f" and {', '.join(allowed)}" if allowed else ""))


def _plain(value: Any) -> Any:
    """Turns paths and numpy scalars into plain YAML-dumpable values (recursively)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if hasattr(value, "item") and callable(value.item) and getattr(value, "shape", None) == ():
        return value.item()  # numpy scalar
    return value


def _merge(base: Dict[str, Any], overrides: Mapping[str, Any]) -> Dict[str, Any]:
    """Deep merge: mappings merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


class Scenario:
    """A parsed scenario with every default filled in (DESIGN.md §3; C++ ``infogap::Scenario``)."""

    __slots__ = ("_core",)

    def __init__(self, core: Optional[_core.Scenario] = None) -> None:
        self._core = core if core is not None else _core.Scenario()

    @classmethod
    def from_yaml(cls, path: PathLike) -> "Scenario":
        """Parses a scenario file; relative paths resolve against its folder."""
        return cls(_core.Scenario.from_yaml(os.fspath(path)))

    @classmethod
    def from_yaml_string(cls, text: str, base_dir: PathLike = ".", source_name: str = "<string>") -> "Scenario":
        """Parses YAML text; relative paths resolve against base_dir."""
        return cls(_core.Scenario.from_yaml_string(text, os.path.abspath(os.fspath(base_dir)), source_name))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], base_dir: PathLike = ".") -> "Scenario":
        """Builds a scenario from a dict of the YAML keys (dumped to YAML, parsed by the engine)."""
        import yaml  # type: ignore[import]  # python3-yaml (Debian ships no type stubs)

        text = yaml.safe_dump(_plain(d), allow_unicode=True, sort_keys=False)
        return cls.from_yaml_string(text, base_dir, "<dict>")

    def to_dict(self) -> Dict[str, Any]:
        """The scenario after defaults as a dict (every key; absolute paths)."""
        result: Dict[str, Any] = json.loads(self._core.to_json())
        return result

    def to_yaml(self) -> str:
        """The scenario after defaults as YAML text."""
        return self._core.to_yaml()

    def to_json(self) -> str:
        """The scenario after defaults as JSON text."""
        return self._core.to_json()

    def with_overrides(self, **overrides: Any) -> "Scenario":
        """A copy with top-level keys deep-merged, e.g. ``acoustics={"ambient_dba": 55}``."""
        if not overrides:
            return self
        base_dir = os.path.dirname(self.source_path) if self.source_path else "."
        return Scenario.from_dict(_merge(self.to_dict(), overrides), base_dir)

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def source_path(self) -> str:
        """The YAML file ("" when built from text or a dict)."""
        return self._core.source_path

    @property
    def working_crs(self) -> str:
        return self._core.working_crs

    @property
    def output_dir(self) -> str:
        return self._core.output_dir

    @property
    def group_by(self) -> list:
        return list(self._core.group_by)

    @property
    def optimize_enabled(self) -> bool:
        return self._core.optimize_enabled

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Scenario):
            return bool(self._core == other._core)
        return NotImplemented

    def __hash__(self) -> int:  # immutable from Python; equal scenarios have equal JSON
        return hash(self._core.to_json())

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, source_path={self.source_path!r})"


ScenarioLike = Union[Scenario, _core.Scenario, PathLike]


def _as_scenario(scenario: ScenarioLike, overrides: Mapping[str, Any]) -> Scenario:
    if isinstance(scenario, Scenario):
        sc = scenario
    elif isinstance(scenario, _core.Scenario):
        sc = Scenario(scenario)
    elif isinstance(scenario, (str, os.PathLike)):
        sc = Scenario.from_yaml(scenario)
    else:
        raise TypeError(f"expected a Scenario or a path to a scenario file, got {type(scenario).__name__}")
    return sc.with_overrides(**overrides)


class Engine(_core.Engine):
    """The engine for step-by-step use: ``inputs()``, ``coverage()``, ``optimize()``,
    ``write_outputs()``, ``run()`` (engine.hpp). Long calls release the GIL."""

    def __init__(self, scenario: ScenarioLike) -> None:
        super().__init__(_as_scenario(scenario, {})._core)

    def scenario(self) -> Scenario:  # type: ignore[override]
        """The scenario after defaults."""
        return Scenario(super().scenario())

    def result(self, output_dir: Optional[str] = None) -> "Result":
        """A Result over this engine's coverage (computed if needed) and last placement."""
        self.coverage()
        return Result(self, self.placement() if self.has_placement() else None, output_dir)


class Result:
    """Coverage (and placement) of one scenario: numpy arrays over the engine's memory,
    pandas/GeoPandas frames, and the summary.json content."""

    def __init__(self, engine: _core.Engine, placement: Optional[_core.PlacementResult] = None,
                 output_dir: Optional[str] = None) -> None:
        self.engine = engine
        #: The placement snapshot, or None when the optimizer did not run.
        self.placement = placement
        #: Folder the outputs were written to, or None.
        self.output_dir = output_dir
        self.inputs: _core.Inputs = engine.inputs()
        self.coverage: _core.CoverageResult = engine.coverage()
        self._households: Optional[HouseholdsView] = None
        self._hamlets: Optional[GapsView] = None

    @property
    def crs(self) -> str:
        """Working CRS of every coordinate, e.g. "EPSG:32648"."""
        return self.inputs.working_crs

    @property
    def scenario(self) -> Scenario:
        return Scenario(_core.Engine.scenario(self.engine))

    @property
    def households(self) -> HouseholdsView:
        """Per-household arrays (views, no copy) and frames."""
        if self._households is None:
            self._households = HouseholdsView(self.engine, self.inputs, self.coverage, self.placement)
        return self._households

    @property
    def hamlets(self) -> GapsView:
        """Hamlet gaps (hamlet order) and frames."""
        if self._hamlets is None:
            self._hamlets = GapsView(self.engine, self.coverage.hamlets, self.inputs, "hamlet")
        return self._hamlets

    @property
    def hamlets_after(self) -> Optional[GapsView]:
        """Hamlet gaps after the proposed sites, or None without a placement."""
        if self.placement is None:
            return None
        return GapsView(self.engine, self.placement.hamlets_after, self.inputs, "hamlet", after=True)

    @property
    def groups(self) -> Dict[str, GapsView]:
        """Gaps per group_by column (e.g. "commune"), one row per distinct value."""
        names = list(self.inputs.hamlets.group_names)
        return {name: GapsView(self.engine, cols, self.inputs, name) for name, cols in zip(names, self.coverage.groups)}

    @property
    def proposed_sites(self) -> Optional[SitesView]:
        """Proposed sites in rank order, or None without a placement."""
        if self.placement is None:
            return None
        return SitesView(self.engine, self.placement, self.inputs)

    @property
    def summary(self) -> Dict[str, Any]:
        """The summary.json content (inputs, accounting, coverage, parameters, timings, optimizer)."""
        result: Dict[str, Any] = json.loads(self.engine.summary_json())
        return result

    @property
    def timings(self) -> Dict[str, float]:
        """Seconds per engine stage."""
        return dict(self.engine.timings())

    @property
    def layers(self) -> List[str]:
        """The layers to_pandas()/to_geopandas() take: every layer of coverage.gpkg (hamlets,
        households, speakers, teams, one per group_by column, proposed_sites after a placement),
        plus hamlets_after after a placement."""
        names = list(self.engine.table_names())
        if self.placement is not None:
            if "proposed_sites" not in names:
                names.append("proposed_sites")
            names.insert(names.index("hamlets") + 1, "hamlets_after")
        return names

    def to_pandas(self, layer: str = "hamlets") -> Any:
        """A pandas DataFrame of one layer (see ``layers``) with the columns of its coverage.gpkg layer."""
        return self._layer(layer).to_pandas()

    def to_geopandas(self, layer: str = "hamlets") -> Any:
        """A GeoDataFrame of one layer (see ``layers``) in the working CRS; needs GeoPandas."""
        return self._layer(layer).to_geopandas()

    def _layer(self, layer: str) -> Any:
        if layer == "households":
            return self.households
        if layer == "hamlets":
            return self.hamlets
        if layer in ("hamlets_after", "proposed_sites") and self.placement is None:
            raise ValueError(f"layer {layer!r} needs a placement (use infogap.optimize or run with optimize)")
        if layer == "hamlets_after":
            return self.hamlets_after
        if layer == "proposed_sites":
            return self.proposed_sites
        groups = self.groups
        if layer in groups:
            return groups[layer]
        if layer in self.layers:
            return LayerView(self.engine, layer, self.crs)
        near = difflib.get_close_matches(layer, self.layers, n=1)
        hint = f" — did you mean {near[0]}?" if near else ""
        raise KeyError(f"unknown layer {layer!r}{hint}; the layers are {', '.join(self.layers)}")

    def __repr__(self) -> str:
        c = self.coverage
        text = (f"<infogap.Result {len(self.inputs.households):,} households, {len(self.inputs.hamlets):,} hamlets "
                f"({self.inputs.working_crs}): {c.target_households:,} target households, {c.reached_any:,} reached, "
                f"gap weight {c.gap_weight:,.1f}")
        if self.placement is not None:
            text += (f"; {len(self.placement.sites['site_id'])} proposed sites "
                     f"(+{self.placement.reached_weight:,.1f} weight)")
        if self.output_dir:
            text += f"; outputs in {self.output_dir}"
        return text + ">"


def _split_overrides(overrides: Mapping[str, Any]) -> tuple:
    run_opts = {k: v for k, v in overrides.items() if k in _RUN_OPTIONS}
    scenario_overrides = {k: v for k, v in overrides.items() if k not in _RUN_OPTIONS}
    return run_opts, scenario_overrides


def run(scenario: ScenarioLike, output_dir: Optional[PathLike] = None, progress: Optional[ProgressCallback] = None,
        **overrides: Any) -> Result:
    """Coverage + optimization (if configured) + every output, like ``infogap run``.

    output_dir: None → the scenario's output.dir. progress: callable(stage, fraction).
    overrides: Engine.run options (optimize, force_optimize, new_speakers, new_teams, budget, exact,
    write_report) and/or top-level scenario keys deep-merged into the scenario
    (e.g. ``acoustics={"ambient_dba": 55}``).
    """
    _check_keywords("run", overrides, _RUN_OPTIONS)
    run_opts, scenario_overrides = _split_overrides(overrides)
    engine = Engine(_as_scenario(scenario, scenario_overrides))
    out = engine.run("" if output_dir is None else os.fspath(output_dir), progress=progress, **run_opts)
    return Result(engine, engine.placement() if engine.has_placement() else None, out)


def coverage(scenario: ScenarioLike, output_dir: Optional[PathLike] = None,
             progress: Optional[ProgressCallback] = None, **overrides: Any) -> Result:
    """Coverage and gaps (like ``infogap coverage``); outputs are written only if output_dir is given.
    overrides: top-level scenario keys deep-merged into the scenario."""
    _check_keywords("coverage", overrides, ("partition",))
    partition = overrides.pop("partition", None)
    engine = Engine(_as_scenario(scenario, overrides))
    if output_dir is None:
        if partition is not None:
            raise _bad_keyword("coverage(): partition= writes a partition's folder and needs output_dir")
        engine.coverage(progress=progress)
        return Result(engine)
    out = engine.run(os.fspath(output_dir), optimize=False, progress=progress, partition=partition or "")
    return Result(engine, None, out)


def optimize(scenario: ScenarioLike, new_speakers: Optional[int] = None, new_teams: Optional[int] = None,
             budget: Optional[float] = None, exact: bool = False, output_dir: Optional[PathLike] = None,
             progress: Optional[ProgressCallback] = None, **overrides: Any) -> Result:
    """Coverage + placement of new loudspeakers and teams (like ``infogap optimize``), even without an
    optimize block; outputs only if output_dir is given. overrides: top-level scenario keys."""
    _check_keywords("optimize", overrides, _OPTIMIZE_OPTIONS + ("partition",))
    partition = overrides.pop("partition", None)
    engine = Engine(_as_scenario(scenario, overrides))
    if partition is not None:
        if output_dir is None:
            raise _bad_keyword("optimize(): partition= writes a partition's folder and needs output_dir")
        out = engine.run(os.fspath(output_dir), optimize=True, force_optimize=True, new_speakers=new_speakers,
                         new_teams=new_teams, budget=budget, exact=exact, progress=progress, partition=partition)
        return Result(engine, None, out)
    if output_dir is None:
        placement = engine.optimize(new_speakers=new_speakers, new_teams=new_teams, budget=budget, exact=exact,
                                    progress=progress)
        return Result(engine, placement)
    out = engine.run(os.fspath(output_dir), optimize=True, force_optimize=True, new_speakers=new_speakers,
                     new_teams=new_teams, budget=budget, exact=exact, progress=progress)
    return Result(engine, engine.placement(), out)


def partitions(scenario: ScenarioLike, **overrides: Any) -> List[Dict[str, Any]]:
    """The partitions of a scenario with ``output.partition_by`` (like ``infogap partitions --json``), read
    from the hamlets layer alone: a list of ``{"value", "folder", "hamlets"}`` in order of value. Each is a
    unit of work: ``run(scenario, output_dir=OUT, partition=value)`` writes ``OUT/<folder>/``, and
    ``rollup(scenario, OUT)`` the national roll-up once every partition is written.
    overrides: top-level scenario keys deep-merged into the scenario."""
    _check_keywords("partitions", overrides)
    return [{"value": p.value, "folder": p.folder, "hamlets": p.hamlets}
            for p in _core.partitions(_as_scenario(scenario, overrides)._core)]


def rollup(scenario: ScenarioLike, output_dir: Optional[PathLike] = None,
           progress: Optional[ProgressCallback] = None, **overrides: Any) -> Dict[str, Any]:
    """Writes the national roll-up of a partitioned scenario into output_dir (None → output.dir) from the
    partition folders already there (like ``infogap rollup``) and returns its summary.json; raises
    ValueError naming every partition not written yet. overrides: top-level scenario keys."""
    _check_keywords("rollup", overrides)
    sc = _as_scenario(scenario, overrides)
    out = sc.output_dir if output_dir is None else os.fspath(output_dir)
    _core.write_rollup(sc._core, out, progress=progress)
    with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
        return json.load(f)


def validate(scenario: ScenarioLike, **overrides: Any) -> _core.ValidationReport:
    """Checks the scenario's input layers like ``infogap validate``: the engine's report, with
    ``ok`` (usable under on_bad_rows), ``verdict``, ``layers`` (each with its ``problems``),
    ``rejects``, ``reject_summary`` and the household accounting; ``print(report)`` shows the text
    the CLI prints. Writes nothing. Raises OSError for a missing file, ValueError for a bad scenario.
    overrides: top-level scenario keys deep-merged into the scenario."""
    _check_keywords("validate", overrides)
    return _core.validate(_as_scenario(scenario, overrides)._core)


def synth(output_dir: PathLike, households: Optional[int] = None, seed: int = 2024,
          progress: Optional[ProgressCallback] = None, boundaries: Optional[PathLike] = None,
          scale: str = "province", provinces: int = 0) -> Dict[str, Any]:
    """Writes the deterministic synthetic Bạc Liêu province on the real commune outlines (like
    ``infogap synth [--boundaries DIR]``; default: the bundled ``data/boundaries``) and returns its
    summary; ``result["scenario"]`` is the scenario.yaml written beside the data. ``scale="national"``:
    the national benchmark set, ``provinces=K`` only its first K synthetic provinces (like
    ``infogap synth --scale national --provinces K``), partitioned by ``province``."""
    if scale not in ("province", "national"):
        raise _bad_keyword(f"synth(): scale must be 'province' or 'national', got {scale!r}")
    if provinces and scale != "national":
        raise _bad_keyword("synth(): provinces= needs scale='national'")
    s = _core.write_synth(os.fspath(output_dir), households=0 if households is None else int(households),
                          seed=seed, national=scale == "national", progress=progress,
                          boundaries="" if boundaries is None else os.fspath(boundaries), provinces=int(provinces))
    names = ("districts", "communes", "hamlets", "households", "speakers", "clusters", "teams", "team_members",
             "candidates", "poor", "near_poor", "seconds", "files")
    out: Dict[str, Any] = {n: getattr(s, n) for n in names}
    out["scenario"] = str(Path(output_dir) / "scenario.yaml")
    return out


class Comparison:
    """Progress between two runs (``infogap compare``; DESIGN.md §5b): the change.gpkg layers as
    frames, the totals and change counts, and the files written (when an output folder was given)."""

    def __init__(self, core: _core.CompareResult) -> None:
        self._core = core

    @property
    def summary(self) -> Dict[str, Any]:
        """summary_change.json as a dict."""
        return json.loads(self._core.summary_json)

    @property
    def units(self) -> Optional[str]:
        """Whose group units were used: None (each run's own), 'before' or 'after'."""
        return self._core.units or None

    @property
    def groupings(self) -> List[str]:
        return list(self._core.groupings)

    @property
    def output_dir(self) -> Optional[Path]:
        return Path(self._core.output_dir) if self._core.output_dir else None

    @property
    def files(self) -> List[Path]:
        """Every file written (change.gpkg, change_<group>.csv, .qml, report_change.*.html, summary_change.json)."""
        return [Path(self._core.output_dir) / f for f in self._core.files] if self._core.output_dir else []

    @property
    def hamlets(self) -> Any:
        """The hamlets layer of change.gpkg as a pandas DataFrame (before, after and delta columns)."""
        return table_frame(self._core.hamlets)

    @property
    def households(self) -> Any:
        """The households layer of change.gpkg as a pandas DataFrame (column ``change``: the class)."""
        return table_frame(self._core.households)

    @property
    def groups(self) -> Dict[str, Any]:
        """One DataFrame per grouping compared."""
        return {g: table_frame(self._core.groups[g]) for g in self._core.groupings}

    def to_geopandas(self, layer: str) -> Any:
        """A change.gpkg layer (hamlets, households or a grouping) as a GeoDataFrame in the runs' CRS."""
        tables = {"hamlets": self._core.hamlets, "households": self._core.households, **self._core.groups}
        if layer not in tables:
            raise _core.InvalidInput(f"compare: no layer '{layer}'; the layers are {', '.join(tables)}")
        return table_geoframe(tables[layer], f"EPSG:{self._core.epsg}")

    def __repr__(self) -> str:
        s = self.summary["households"]
        return (f"<infogap.Comparison {s['before']:,} → {s['after']:,} households, "
                f"{s['newly_reached']:,} newly reached, {s['newly_unreached']:,} newly unreached>")


def compare(before: PathLike, after: PathLike, output_dir: Optional[PathLike] = None,
            units: Optional[str] = None, languages: Optional[List[str]] = None) -> Comparison:
    """Compares two runs like ``infogap compare BEFORE AFTER -o DIR [--units before|after]``: each a
    run's output folder or a scenario file (run first, coverage only). Writes the change outputs
    only when output_dir is given. Raises ValueError (bad units, duplicate ids), OSError (missing files)."""
    core = _core.compare_runs(os.fspath(before), os.fspath(after),
                              output_dir="" if output_dir is None else os.fspath(output_dir),
                              units="" if units is None else units,
                              languages=["vi", "en"] if languages is None else list(languages))
    return Comparison(core)
