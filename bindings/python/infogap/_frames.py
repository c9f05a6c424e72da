"""Views over engine results: numpy arrays without copies, and pandas/GeoPandas frames built on
demand (the frames are copies).

Every frame is built from the engine's own output tables (``Engine.table(name)``, the tables the
GeoPackage writer gets): the same columns, in the same order, with the same NULLs, so a frame and
its ``coverage.gpkg`` layer never disagree. Point layers also get ``x_m``/``y_m`` (from the
geometry), the households frame ``reached_after`` after a placement. GeoPandas is imported only
by ``to_geopandas()``.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from . import _core

#: Poverty status codes of ``HouseholdsView.status`` (C++ enum infogap::Poverty), in code order.
POVERTY_LEVELS = ("poor", "near_poor", "not_poor")


def _lookup(ids: Sequence[str], index: np.ndarray) -> np.ndarray:
    """ids[index] as an object array, None where index < 0."""
    out = np.full(index.shape, None, dtype=object)
    if len(ids):
        ok = index >= 0
        out[ok] = np.asarray(ids, dtype=object)[index[ok]]
    return out


def _geopandas() -> Any:
    try:
        import geopandas
    except ImportError as e:  # GeoPandas is optional at runtime
        raise ImportError("to_geopandas() needs GeoPandas (Debian: python3-geopandas)") from e
    return geopandas


def _point_xy(wkb: Sequence[Optional[bytes]]) -> tuple:
    """x and y of little-endian ISO WKB points (NaN for NULL), without GeoPandas."""
    n = len(wkb)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    ok = np.array([w is not None and len(w) == 21 for w in wkb], dtype=bool)
    if ok.any():
        raw = np.frombuffer(b"".join(w for w, good in zip(wkb, ok) if good and w is not None), dtype=np.uint8).reshape(-1, 21)
        xy = raw[:, 5:21].copy().view("<f8")
        x[ok] = xy[:, 0]
        y[ok] = xy[:, 1]
    return x, y


def table_frame(table: _core.Table, extra: Optional[Dict[str, Any]] = None) -> Any:
    """A DataFrame of an engine output table: its columns in order (flags as bool, NULL as NaN/None),
    then x_m/y_m for point layers, then `extra`."""
    import pandas as pd

    cols: Dict[str, Any] = {name: table.column(name) for name in table.names}
    if table.geometry_kind == "point":
        cols["x_m"], cols["y_m"] = _point_xy(table.wkb)
    if extra:
        cols.update(extra)
    return pd.DataFrame(cols)


def table_geoframe(table: _core.Table, crs: str, extra: Optional[Dict[str, Any]] = None) -> Any:
    """A GeoDataFrame of an engine output table, geometry from its WKB, in the working CRS."""
    gpd = _geopandas()
    df = table_frame(table, extra)
    if table.geometry_kind == "none":
        raise ValueError("this table has no geometry; use to_pandas()")
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries.from_wkb(table.wkb, crs=crs).values, crs=crs)


class LayerView:
    """One layer of ``coverage.gpkg`` (hamlets, households, speakers, teams, a group_by column,
    proposed_sites) as frames with exactly the layer's columns."""

    def __init__(self, engine: _core.Engine, name: str, crs: str) -> None:
        self._engine = engine
        #: The GeoPackage layer name.
        self.name = name
        self._crs = crs

    def table(self) -> _core.Table:
        """The engine's output table of this layer (built on each call)."""
        return self._engine.table(self.name)

    def _extra(self) -> Optional[Dict[str, Any]]:
        return None

    def to_pandas(self) -> Any:
        """DataFrame with the layer's columns (x_m, y_m added for point layers)."""
        return table_frame(self.table(), self._extra())

    def to_geopandas(self) -> Any:
        """GeoDataFrame in the working CRS with the layer's columns and geometry."""
        return table_geoframe(self.table(), self._crs, self._extra())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class HouseholdsView(LayerView):
    """Per-household arrays: numpy views of the engine's buffers (read-only, no copy; their
    ``.base`` keeps the engine alive); decoded ids (``hamlet_id``, ``team_id``,
    ``best_speaker_id``, ``poverty``); and ``to_pandas()``/``to_geopandas()`` with the columns of the
    `households` layer."""

    def __init__(self, engine: _core.Engine, inputs: _core.Inputs, coverage: _core.CoverageResult,
                 placement: Optional[_core.PlacementResult] = None) -> None:
        super().__init__(engine, "households", inputs.working_crs)
        self._inputs = inputs
        self._hh = inputs.households
        self._cov = coverage.households
        self._placement = placement
        self._ids: Optional[np.ndarray] = None

    def __len__(self) -> int:
        return len(self._hh)

    def __repr__(self) -> str:
        return f"<HouseholdsView {len(self):,} households, {int(self.reached.sum()):,} reached>"

    @property
    def id(self) -> np.ndarray:
        """household_id per household (object array; converted once, then cached)."""
        if self._ids is None:
            self._ids = np.asarray(self._hh.id, dtype=object)
        return self._ids

    @property
    def x_m(self) -> np.ndarray:
        """Easting in the working CRS, m."""
        return self._hh.x_m

    @property
    def y_m(self) -> np.ndarray:
        """Northing in the working CRS, m."""
        return self._hh.y_m

    @property
    def status(self) -> np.ndarray:
        """Poverty code: 0 poor, 1 near_poor, 2 not_poor (POVERTY_LEVELS[code]; decoded: ``poverty``)."""
        return self._hh.status

    @property
    def poverty(self) -> np.ndarray:
        """Poverty status as text per household: "poor", "near_poor" or "not_poor"."""
        return np.asarray(POVERTY_LEVELS, dtype=object)[self.status]

    @property
    def members(self) -> np.ndarray:
        """Members, -1 unknown."""
        return self._hh.members

    @property
    def internet(self) -> np.ndarray:
        """1 uses internet, 0 not, -1 unknown."""
        return self._hh.internet

    @property
    def devices(self) -> np.ndarray:
        """Information devices, -1 unknown."""
        return self._hh.devices

    @property
    def hamlet(self) -> np.ndarray:
        """Hamlet row index into ``inputs.hamlets``, -1 outside every hamlet (decoded: ``hamlet_id``)."""
        return self._cov.hamlet

    @property
    def hamlet_id(self) -> np.ndarray:
        """hamlet_id of each household's hamlet, None outside every hamlet."""
        return _lookup(self._inputs.hamlets.id, self.hamlet)

    @property
    def weight(self) -> np.ndarray:
        """Target weight (0 = not a target)."""
        return self._cov.weight

    @property
    def speech_dba(self) -> np.ndarray:
        """Speech level of all horns, dB(A) (-inf none, NaN radius model)."""
        return self._cov.speech_dba

    @property
    def snr_db(self) -> np.ndarray:
        """speech_dba - ambient_dba, dB."""
        return self._cov.snr_db

    @property
    def speakers_audible(self) -> np.ndarray:
        """Loudspeaker clusters reaching the household."""
        return self._cov.speakers_audible

    @property
    def best_speaker(self) -> np.ndarray:
        """Row index into ``inputs.speakers`` of the best reaching horn, -1 none (decoded: ``best_speaker_id``)."""
        return self._cov.best_speaker

    @property
    def best_speaker_id(self) -> np.ndarray:
        """speaker_id of the best reaching horn, None where no horn reaches."""
        return _lookup(self._inputs.speakers.id, self.best_speaker)

    @property
    def team(self) -> np.ndarray:
        """Row index into ``inputs.teams`` of the serving team, -1 none (decoded: ``team_id``)."""
        return self._cov.team

    @property
    def team_id(self) -> np.ndarray:
        """team_id of the serving team, None where no team serves the household."""
        return _lookup(self._inputs.teams.id, self.team)

    @property
    def team_distance_m(self) -> np.ndarray:
        """Distance to the nearest team, m."""
        return self._cov.team_distance_m

    @property
    def in_team_range(self) -> np.ndarray:
        """Within reach of a team (bool)."""
        return self._cov.in_team_range

    @property
    def reached_speaker(self) -> np.ndarray:
        """Reached by a loudspeaker (bool)."""
        return self._cov.reached_speaker

    @property
    def reached_team(self) -> np.ndarray:
        """Served by a team (bool)."""
        return self._cov.reached_team

    @property
    def reached(self) -> np.ndarray:
        """Reached by any channel (bool)."""
        return self._cov.reached

    @property
    def reached_after(self) -> Optional[np.ndarray]:
        """Reached after the proposed sites (bool), or None without a placement."""
        return None if self._placement is None else self._placement.reached_after

    def _extra(self) -> Optional[Dict[str, Any]]:
        return None if self._placement is None else {"reached_after": self._placement.reached_after}

    def to_pandas(self) -> Any:
        """DataFrame with the columns of the `households` layer (poverty as an ordered categorical of
        POVERTY_LEVELS; ids None where there is none), then x_m, y_m and, after a placement,
        reached_after."""
        import pandas as pd

        df = super().to_pandas()
        df["poverty"] = pd.Categorical(df["poverty"], categories=list(POVERTY_LEVELS), ordered=True)
        return df


class GapsView(LayerView):
    """Gaps of a set of areas (hamlets, or the units of one group_by column) as arrays
    (``view["gap_rate"]``) and frames with the columns of the `hamlets`/`<group>` layers
    (``hamlet_gaps.csv``/``<group>_gaps.csv``)."""

    def __init__(self, engine: _core.Engine, columns: Dict[str, Any], inputs: _core.Inputs, key: str,
                 after: bool = False) -> None:
        super().__init__(engine, "hamlets" if key == "hamlet" else key, inputs.working_crs)
        self._cols = columns
        self._inputs = inputs
        #: "hamlet" for hamlets, else the group_by column name.
        self.key = key
        self._after = after

    def __len__(self) -> int:
        return len(self._cols["id"])

    def __getitem__(self, name: str) -> Any:
        return self._cols[name]

    def __repr__(self) -> str:
        what = "hamlets after placement" if self._after else ("hamlets" if self.key == "hamlet" else self.key)
        return (f"<GapsView {len(self):,} {what}, gap {int(np.sum(self._cols['gap_households'])):,} households, "
                f"weight {float(np.sum(self._cols['gap_weight'])):,.1f}>")

    @property
    def columns(self) -> List[str]:
        return list(self._cols)

    def table(self) -> _core.Table:
        return self._engine.table(self.name)

    def _frame(self, df: Any) -> Any:
        """After placement: the layer's columns with the gap figures after the proposed sites (and
        without the layer's own *_after columns)."""
        if not self._after:
            return df
        df = df[[c for c in df.columns if not str(c).endswith("_after")]].copy()
        for c in df.columns:
            if c in self._cols and c not in ("id", "name", "groups"):
                df[c] = self._cols[c]
        return df

    def to_pandas(self) -> Any:
        """DataFrame in area order (hamlet order, or sorted group values); sort by "rank" to rank."""
        return self._frame(super().to_pandas())

    def to_geopandas(self) -> Any:
        """GeoDataFrame in the working CRS: hamlet polygons, or hamlets dissolved per group value."""
        return self._frame(super().to_geopandas())


class SitesView(LayerView):
    """Proposed sites in rank order, with the columns of the `proposed_sites` layer (+ x_m, y_m)."""

    def __init__(self, engine: _core.Engine, placement: _core.PlacementResult, inputs: _core.Inputs) -> None:
        super().__init__(engine, "proposed_sites", inputs.working_crs)
        self._cols = placement.sites
        self._inputs = inputs

    def __len__(self) -> int:
        return len(self._cols["site_id"])

    def __getitem__(self, name: str) -> Any:
        return self._cols[name]

    def __repr__(self) -> str:
        kinds = list(self._cols["kind"])
        return f"<SitesView {len(self)} sites: {kinds.count('speaker')} speakers, {kinds.count('team')} teams>"

    @property
    def columns(self) -> List[str]:
        return list(self._cols)
