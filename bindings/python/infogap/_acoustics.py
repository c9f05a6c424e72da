"""Loudspeaker acoustics (ACOUSTICS.md): the engine's functions, with keyword parameters.

``atmospheric_absorption``, ``point_source_levels``, ``a_weighted``, ``ground_attenuation`` and
``directivity_db`` are the engine's functions as they are (:mod:`infogap._core`).
``horn_level_dba``, ``horn_band_levels`` and ``audible_range`` take the horn, listener and air as
objects (``Horn``, ``Listening``, ``Air``) and/or as keywords, e.g.
``audible_range(power_w=30, sensitivity_db=110, ambient_dba=55, ground_g=0.3)``.
"""
from __future__ import annotations

import math
from typing import Any, Dict, Optional, Tuple

from . import _core

_HORN = ("power_w", "sensitivity_db", "height_m", "azimuth_deg", "beamwidth_deg")
_LISTENING = ("receiver_height_m", "ambient_dba", "required_snr_db", "facade_loss_db")
_AIR = ("temperature_c", "humidity_pct", "pressure_kpa")


def _ground(g: Any) -> _core.GroundG:
    if isinstance(g, _core.GroundG):
        return _core.GroundG(g.source, g.middle, g.receiver)
    if isinstance(g, (int, float)):
        return _core.GroundG.uniform(float(g))
    gs, gm, gr = g
    return _core.GroundG(float(gs), float(gm), float(gr))


def make_parameters(horn: Optional[_core.Horn] = None, listening: Optional[_core.Listening] = None,
                    air: Optional[_core.Air] = None,
                    **params: Any) -> Tuple[_core.Horn, _core.Listening, _core.Air]:
    """Copies of horn/listening/air (defaults if None) with keyword fields applied: any field of
    Horn, Listening (ground_g: G, (Gs, Gm, Gr) or GroundG) or Air."""
    h = _core.Horn() if horn is None else _core.Horn(**{k: getattr(horn, k) for k in _HORN})
    if listening is None:
        lis = _core.Listening()
    else:
        lis = _core.Listening(**{k: getattr(listening, k) for k in _LISTENING}, ground_g=_ground(listening.ground))
    a = _core.Air() if air is None else _core.Air(**{k: getattr(air, k) for k in _AIR})
    for key, value in params.items():
        if key in _HORN:
            setattr(h, key, float(value))
        elif key in _LISTENING:
            setattr(lis, key, float(value))
        elif key == "ground_g":
            lis.ground = _ground(value)
        elif key in _AIR:
            setattr(a, key, float(value))
        else:
            valid = ", ".join(_HORN + _LISTENING + ("ground_g",) + _AIR)
            raise TypeError(f"unknown acoustic parameter {key!r}; valid: {valid}")
    return h, lis, a


def horn_level_dba(ground_distance_m: Any, bearing_deg: Any = math.nan, *, horn: Optional[_core.Horn] = None,
                   listening: Optional[_core.Listening] = None, air: Optional[_core.Air] = None,
                   **params: Any) -> Any:
    """A-weighted speech level of one horn at a listener, dB(A) (ACOUSTICS.md "Per band, per horn").
    ground_distance_m and bearing_deg broadcast like numpy arrays; bearing NaN = on axis."""
    h, lis, a = make_parameters(horn, listening, air, **params)
    return _core.horn_level_dba(h, ground_distance_m, bearing_deg, lis, a)


def horn_band_levels(ground_distance_m: float, bearing_deg: float = math.nan, *, horn: Optional[_core.Horn] = None,
                     listening: Optional[_core.Listening] = None, air: Optional[_core.Air] = None,
                     **params: Any) -> Any:
    """Speech level per octave band (63 Hz-8 kHz) at a listener, dB; bearing NaN = on axis."""
    h, lis, a = make_parameters(horn, listening, air, **params)
    return _core.horn_band_levels(h, ground_distance_m, bearing_deg, lis, a)


def audible_range(horn: Optional[_core.Horn] = None, listening: Optional[_core.Listening] = None,
                  air: Optional[_core.Air] = None, *, max_m: float = 5000.0, **params: Any) -> float:
    """On-axis distance (m) up to which speech exceeds ambient by required_snr_db; max_m if still
    heard there, 0 if not even at the pole. Beyond ~1 km ISO 9613-2 is out of its validity."""
    h, lis, a = make_parameters(horn, listening, air, **params)
    return float(_core.audible_range(h, lis, a, max_m))


def parameters_dict(horn: _core.Horn, listening: _core.Listening, air: _core.Air) -> Dict[str, Any]:
    """The fields of horn, listening and air as one flat dict (ground as (Gs, Gm, Gr))."""
    d: Dict[str, Any] = {k: getattr(horn, k) for k in _HORN}
    d.update({k: getattr(listening, k) for k in _LISTENING})
    g = listening.ground
    d["ground_g"] = (g.source, g.middle, g.receiver)
    d.update({k: getattr(air, k) for k in _AIR})
    return d
