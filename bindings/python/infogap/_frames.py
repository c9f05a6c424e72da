"""Views over engine results: numpy arrays without copies, and pandas/GeoPandas frames built on
demand (the frames are copies). Column names follow DESIGN.md §5 (the `households` and `hamlets`
layers, `hamlet_gaps.csv`, `<group>_gaps.csv`, `proposed_sites`). GeoPandas is imported only by
``to_geopandas()``."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from . import _core

#: Poverty status codes of ``HouseholdsView.status`` (C++ enum infogap::Poverty).
POVERTY_LEVELS = ("poor", "near_poor", "not_poor")

# Columns of hamlet_gaps.csv / <group>_gaps.csv after the id, name and group columns.
GAP_COLUMNS = ("households", "target_households", "target_weight", "reached_speaker", "reached_team",
               "reached_any", "gap_households", "gap_weight", "gap_rate", "rank")


def _lookup(ids: Sequence[str], index: np.ndarray) -> np.ndarray:
    """ids[index] as an object array, None where index < 0."""
    out = np.full(index.shape, None, dtype=object)
    if len(ids):
        ok = index >= 0
        out[ok] = np.asarray(ids, dtype=object)[index[ok]]
    return out


def _finite_or_nan(a: np.ndarray) -> np.ndarray:
    """A float copy with ±inf as NaN (the GeoPackage/CSV layers write NULL there)."""
    return np.where(np.isfinite(a), a, np.nan)


def _geopandas() -> Any:
    try:
        import geopandas
    except ImportError as e:  # GeoPandas is optional at runtime
        raise ImportError("to_geopandas() needs GeoPandas (Debian: python3-geopandas)") from e
    return geopandas


def _view(source: str, name: str, doc: str) -> Any:
    """A read-only property returning getattr(self.<source>, name)."""
    return property(lambda self: getattr(getattr(self, source), name), doc=doc)


class HouseholdsView:
    """Per-household arrays: numpy views of the engine's buffers (read-only, no copy; their
    ``.base`` keeps the engine alive), and ``to_pandas()``/``to_geopandas()``."""

    def __init__(self, inputs: _core.Inputs, coverage: _core.CoverageResult,
                 placement: Optional[_core.PlacementResult] = None) -> None:
        self._inputs = inputs
        self._hh = inputs.households
        self._cov = coverage.households
        self._placement = placement
        self._ids: Optional[np.ndarray] = None

    def __len__(self) -> int:
        return len(self._hh)

    @property
    def id(self) -> np.ndarray:
        """household_id per household (object array; converted once, then cached)."""
        if self._ids is None:
            self._ids = np.asarray(self._hh.id, dtype=object)
        return self._ids

    x_m = _view("_hh", "x_m", "Easting in the working CRS, m.")
    y_m = _view("_hh", "y_m", "Northing in the working CRS, m.")
    status = _view("_hh", "status", "Poverty code: 0 poor, 1 near_poor, 2 not_poor (POVERTY_LEVELS).")
    members = _view("_hh", "members", "Members, -1 unknown.")
    internet = _view("_hh", "internet", "1 uses internet, 0 not, -1 unknown.")
    devices = _view("_hh", "devices", "Information devices, -1 unknown.")
    hamlet = _view("_cov", "hamlet", "Hamlet index, -1 outside every hamlet.")
    weight = _view("_cov", "weight", "Target weight (0 = not a target).")
    speech_dba = _view("_cov", "speech_dba", "Speech level of all horns, dB(A) (-inf none, NaN radius model).")
    snr_db = _view("_cov", "snr_db", "speech_dba - ambient_dba, dB.")
    speakers_audible = _view("_cov", "speakers_audible", "Loudspeaker clusters reaching the household.")
    best_speaker = _view("_cov", "best_speaker", "Index of the best reaching horn, -1 none.")
    team = _view("_cov", "team", "Index of the serving team, -1 none.")
    team_distance_m = _view("_cov", "team_distance_m", "Distance to the nearest team, m.")
    in_team_range = _view("_cov", "in_team_range", "Within reach of a team (bool).")
    reached_speaker = _view("_cov", "reached_speaker", "Reached by a loudspeaker (bool).")
    reached_team = _view("_cov", "reached_team", "Served by a team (bool).")
    reached = _view("_cov", "reached", "Reached by any channel (bool).")

    @property
    def reached_after(self) -> Optional[np.ndarray]:
        """Reached after the proposed sites (bool), or None without a placement."""
        return None if self._placement is None else self._placement.reached_after

    def to_pandas(self) -> Any:
        """DataFrame with the columns of the `households` layer (+ in_team_range, reached_after,
        x_m, y_m); hamlet_id/best_speaker_id/team_id are None where there is none."""
        import pandas as pd

        inp = self._inputs
        cols: Dict[str, Any] = {
            "household_id": self.id,
            "hamlet_id": _lookup(inp.hamlets.id, self.hamlet),
            "poverty": pd.Categorical.from_codes(self.status.astype(np.int8), categories=list(POVERTY_LEVELS)),
            "location": inp.households.location,
            "weight": self.weight,
            "speech_dba": _finite_or_nan(self.speech_dba),
            "snr_db": _finite_or_nan(self.snr_db),
            "speakers_audible": self.speakers_audible,
            "best_speaker_id": _lookup(inp.speakers.id, self.best_speaker),
            "team_id": _lookup(inp.teams.id, self.team),
            "team_distance_m": _finite_or_nan(self.team_distance_m),
            "reached_speaker": self.reached_speaker,
            "reached_team": self.reached_team,
            "reached": self.reached,
            "in_team_range": self.in_team_range,
        }
        if self._placement is not None:
            cols["reached_after"] = self._placement.reached_after
        cols["x_m"] = self.x_m
        cols["y_m"] = self.y_m
        return pd.DataFrame(cols)

    def to_geopandas(self) -> Any:
        """GeoDataFrame of points in the working CRS (same columns as to_pandas)."""
        gpd = _geopandas()
        df = self.to_pandas()
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["x_m"], df["y_m"]), crs=self._inputs.working_crs)


class GapsView:
    """Gaps of a set of areas (hamlets, or the units of one group_by column) as arrays
    (``view["gap_rate"]``) and frames with the columns of ``hamlet_gaps.csv``/``<group>_gaps.csv``."""

    def __init__(self, columns: Dict[str, Any], inputs: _core.Inputs, key: str) -> None:
        self._cols = columns
        self._inputs = inputs
        #: "hamlet" for hamlets, else the group_by column name.
        self.key = key

    def __len__(self) -> int:
        return len(self._cols["id"])

    def __getitem__(self, name: str) -> Any:
        return self._cols[name]

    @property
    def columns(self) -> List[str]:
        return list(self._cols)

    def to_pandas(self) -> Any:
        """DataFrame in area order (hamlet order, or sorted group values); sort by "rank" to rank."""
        import pandas as pd

        cols: Dict[str, Any] = {}
        if self.key == "hamlet":
            cols["hamlet_id"] = self._cols["id"]
            cols["name"] = self._cols["name"]
            for name, values in zip(self._inputs.hamlets.group_names, self._cols["groups"]):
                cols[name] = values
            cols["geometry_source"] = self._inputs.hamlets.geometry_source
        else:
            cols[self.key] = self._cols["id"]
        for name in GAP_COLUMNS:
            cols[name] = self._cols[name]
        return pd.DataFrame(cols)

    def to_geopandas(self) -> Any:
        """GeoDataFrame in the working CRS: hamlet polygons, or hamlets dissolved per group value."""
        gpd = _geopandas()
        crs = self._inputs.working_crs
        hamlets = gpd.GeoSeries.from_wkb(self._inputs.hamlets.wkb, crs=crs)
        df = self.to_pandas()
        if self.key == "hamlet":
            return gpd.GeoDataFrame(df, geometry=hamlets.values, crs=crs)
        g = list(self._inputs.hamlets.group_names).index(self.key)
        parts = gpd.GeoDataFrame({self.key: self._inputs.hamlets.groups[g]}, geometry=hamlets.values, crs=crs)
        shapes = parts.dissolve(by=self.key).geometry
        return gpd.GeoDataFrame(df, geometry=shapes.reindex(df[self.key]).values, crs=crs)


class SitesView:
    """Proposed sites in rank order, with the columns of the `proposed_sites` layer."""

    def __init__(self, columns: Dict[str, Any], inputs: _core.Inputs) -> None:
        self._cols = columns
        self._inputs = inputs

    def __len__(self) -> int:
        return len(self._cols["site_id"])

    def __getitem__(self, name: str) -> Any:
        return self._cols[name]

    @property
    def columns(self) -> List[str]:
        return list(self._cols)

    def to_pandas(self) -> Any:
        """site_id, kind, rank, marginal_weight, marginal_households, cumulative_weight, cost_vnd,
        reach_m, hamlet_id, <group_by…>, x_m, y_m."""
        import pandas as pd

        c = self._cols
        hamlet = np.asarray(c["hamlet"])
        cols: Dict[str, Any] = {name: c[name] for name in (
            "site_id", "kind", "rank", "marginal_weight", "marginal_households", "cumulative_weight", "cost_vnd",
            "reach_m")}
        cols["hamlet_id"] = _lookup(self._inputs.hamlets.id, hamlet)
        for name, values in zip(self._inputs.hamlets.group_names, self._inputs.hamlets.groups):
            cols[name] = _lookup(values, hamlet)
        cols["x_m"] = c["x_m"]
        cols["y_m"] = c["y_m"]
        return pd.DataFrame(cols)

    def to_geopandas(self) -> Any:
        """GeoDataFrame of points in the working CRS."""
        gpd = _geopandas()
        df = self.to_pandas()
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["x_m"], df["y_m"]), crs=self._inputs.working_crs)
