"""infogap: coverage of information-poverty households by loudspeakers and digital-technology
teams, from Python (DESIGN.md §6).

>>> import infogap
>>> result = infogap.coverage("data/bac_lieu/scenario.yaml")
>>> result.hamlets.to_pandas().sort_values("rank").head()

The engine is C++ (``infogap._core``); these wrappers only convert and build frames.
Errors: ``infogap.Error`` (a RuntimeError), ``infogap.InvalidInput`` (also ValueError),
``infogap.IoError`` (also OSError), each with ``.code`` and the engine's message.
"""
from . import _core
from ._acoustics import audible_range, horn_band_levels, horn_level_dba, make_parameters
from ._api import Comparison, Engine, Result, Scenario, compare, coverage, optimize, partitions, rollup, run, synth, validate
from ._core import (
    Air,
    CompareResult,
    Error,
    GroundG,
    Horn,
    InvalidInput,
    IoError,
    Listening,
    Table,
    ValidationReport,
    a_weighted,
    atmospheric_absorption,
    directivity_db,
    ground_attenuation,
    k_a_weighting_db,
    k_octave_bands_hz,
    k_octave_bands_nominal_hz,
    k_speech_spectrum_db,
    k_validity_limit_m,
    point_source_levels,
    scenario_defaults,
    set_threads,
    thread_count,
)
from ._frames import POVERTY_LEVELS, GapsView, HouseholdsView, LayerView, SitesView

__version__: str = _core.__version__

__all__ = [
    # scenario, engine, results
    "Scenario",
    "Engine",
    "Result",
    "HouseholdsView",
    "GapsView",
    "SitesView",
    "LayerView",
    "Table",
    "ValidationReport",
    "POVERTY_LEVELS",
    "run",
    "coverage",
    "optimize",
    "partitions",
    "rollup",
    "synth",
    "validate",
    "compare",
    "Comparison",
    "CompareResult",
    "scenario_defaults",
    "set_threads",
    "thread_count",
    # acoustics (ACOUSTICS.md)
    "atmospheric_absorption",
    "point_source_levels",
    "a_weighted",
    "audible_range",
    "horn_level_dba",
    "horn_band_levels",
    "ground_attenuation",
    "directivity_db",
    "make_parameters",
    "Horn",
    "Listening",
    "Air",
    "GroundG",
    "k_octave_bands_hz",
    "k_octave_bands_nominal_hz",
    "k_a_weighting_db",
    "k_speech_spectrum_db",
    "k_validity_limit_m",
    # errors
    "Error",
    "InvalidInput",
    "IoError",
    "__version__",
]
