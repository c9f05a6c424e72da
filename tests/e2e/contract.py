"""The output contract of docs/DESIGN.md, checked on the folder of a finished `infogap run`.

Written from DESIGN §3 (scenario defaults), §4 (models) and §5 (outputs): which files a run
writes for its `output.formats`, the GeoPackage layers and their columns, the CSV tables, the
Cloud-Optimized GeoTIFFs, the shapefiles and `fields.csv`, `summary.json` (inputs with sha256, the
accounting identity, parameters, optimizer figures), `rejects.csv`, the HTML reports and the QGIS
project. Besides the shape, every check that the outputs allow is made on the values too: the
identities between columns, between tables, between the GeoPackage and the CSV, shapefile and
rasters, and against the input files. The checks are the project's own reading of the contract;
they share no code with the engine.

    out = contract.Output(out_dir, scenario_path, expected_epsg=32648)
    problems = contract.check_files(out)      # one function per part, or check_all(out)

Each `check_*` returns a list of problems (empty = the part follows the contract); a problem names
the file, the layer or column and what is wrong. Only GDAL's Python bindings (osgeo), PyYAML and
the standard library are used.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import json
import math
import random
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

# ---- DESIGN §5: names ------------------------------------------------------------------------

#: `hamlet_gaps.csv` and the `hamlets` layer: hamlet_id, name, <group_by…>, then these, in order.
AREA_COLUMNS = ["households", "target_households", "target_weight", "reached_speaker", "reached_team",
                "reached_any", "gap_households", "gap_weight", "gap_rate", "rank"]
#: `location`: surveyed | placed (drawn inside the hamlet); hamlets' `geometry_source`: given | derived.
HOUSEHOLD_COLUMNS = ["household_id", "hamlet_id", "poverty", "location", "weight", "speech_dba", "snr_db",
                     "speakers_audible", "best_speaker_id", "team_id", "team_distance_m",
                     "reached_speaker", "reached_team", "reached"]
#: `proposed_sites`: these, then <group_by…>, point geometry.
SITE_COLUMNS = ["site_id", "kind", "rank", "marginal_weight", "marginal_households", "cumulative_weight",
                "hamlet_id"]
#: raster → (GDAL data type, the unit DESIGN §5 names, or None when it names only the quantity)
RASTERS = {
    "speech_level": (gdal.GDT_Float32, "dB(A)"),
    "speakers_audible": (gdal.GDT_Byte, None),
    "team_distance": (gdal.GDT_Float32, "m"),
    "gap_density": (gdal.GDT_Float32, None),
}
#: CSV tables only (DESIGN §5, README "outputs"): real columns rounded for reading to this many
#: decimals (fixed notation, trailing zeros dropped); the GeoPackage keeps full precision.
CSV_DECIMALS = {"target_weight": 2, "gap_weight": 2, "gap_weight_after": 2, "marginal_weight": 2,
                "cumulative_weight": 2, "gap_rate": 4, "gap_rate_after": 4, "marginal_households": 0,
                "cost_vnd": 0}
#: first characters of a text cell that a spreadsheet would evaluate (OWASP CSV injection): the CSV
#: tables prefix such a cell with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
POVERTY = ("poor", "near_poor", "not_poor")
OPTIMIZER_STATUS = {"optimal", "time_limit", "feasible", "infeasible", "groups_unmet", "target_unmet"}
OUTSIDE_PLACEHOLDERS = ("NONE", "none", "None", "-", "null", "NULL", "0", "outside", "")

# ---- DESIGN §3: defaults of the scenario keys the outputs depend on ----------------------------

DEFAULT_FORMATS = ["gpkg", "shp", "tif", "csv", "html", "qgis"]
DEFAULT_LANGUAGES = ["vi", "en"]
DEFAULT_CELL_M = 10.0
DEFAULT_AMBIENT_DBA = 45.0
DEFAULT_REQUIRED_SNR_DB = 10.0
DEFAULT_WEIGHTS = {"poor": 1.0, "near_poor": 0.5, "not_poor": 0.0}


class _ScenarioLoader(yaml.SafeLoader):
    """YAML as the engine reads it: only true/false are booleans (PyYAML's YAML 1.1 also turns the
    key `y` of a CSV layer into True)."""


_ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_ScenarioLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                      list("tTfF"))


def read_scenario(path) -> dict:
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_ScenarioLoader) or {}


def _number(v):
    """A YAML scalar as a number, or None (PyYAML reads 5e8 as a string; the engine as a number)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _close(a, b, rel=1e-9, abs_=1e-9) -> bool:
    return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=rel, abs_tol=abs_)


def _csv_number_ok(col: str, text: str) -> bool:
    """A number cell of a CSV table: plain decimal notation (never 3.6e+07), at most the column's
    CSV_DECIMALS digits after the point and no trailing zeros there."""
    if text == "":
        return True
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return False
    frac = text.partition(".")[2]
    return len(frac) <= CSV_DECIMALS.get(col, 17) and not frac.endswith("0")


def _csv_same(col: str, text: str, value) -> bool:
    """A CSV cell holds the GeoPackage value: text cells equal (a formula-like text carries one
    leading apostrophe), real columns of CSV_DECIMALS equal the value rounded, others equal."""
    if value is None or text == "":
        return value is None and text == ""
    if isinstance(value, str):
        return text == ("'" + value if value.startswith(FORMULA_STARTS) else value)
    if col in CSV_DECIMALS:
        return _csv_number_ok(col, text) and math.isclose(float(text), round(float(value), CSV_DECIMALS[col]),
                                                          rel_tol=1e-12, abs_tol=1e-12)
    return _close(float(text), value, 1e-12, 1e-12)


def _q(name: str) -> str:
    """SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    """SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _in_order(have: list, want: list) -> bool:
    """Every wanted name is present and they appear in the wanted order (extra columns allowed)."""
    pos = [have.index(c) for c in want if c in have]
    return len(pos) == len(want) and pos == sorted(pos)


def _xml_root(path_or_text, is_text=False):
    text = path_or_text if is_text else Path(path_or_text).read_text(encoding="utf-8")
    return ET.fromstring(text)


class Output:
    """A finished output folder with its scenario: the settings the contract depends on, read from
    the scenario file with the documented defaults, and the files opened once."""

    def __init__(self, out_dir, scenario_path, expected_epsg: int | None = None):
        self.dir = Path(out_dir)
        self.scenario_path = Path(scenario_path).resolve()
        self.scenario = read_scenario(self.scenario_path)
        sc = self.scenario
        hamlets = sc.get("hamlets") or {}
        output = sc.get("output") or {}
        acoustics = sc.get("acoustics") or {}
        target = sc.get("target") or {}
        self.groups: list[str] = list(hamlets.get("group_by") or [])
        self.formats: list[str] = list(output.get("formats") or DEFAULT_FORMATS)
        self.languages: list[str] = list(output.get("languages") or DEFAULT_LANGUAGES)
        self.cell_m = _number(output.get("raster_cell_m")) or DEFAULT_CELL_M
        self.has_speakers = bool(sc.get("speakers"))
        self.has_teams = bool(sc.get("teams"))
        self.optimizing = bool(sc.get("optimize"))
        speakers = sc.get("speakers") or {}
        self.speaker_model = speakers.get("model", "iso9613")
        teams = sc.get("teams") or {}
        self.team_reach_m = _number(teams.get("reach_m", 2000))
        self.households_per_member = _number(teams.get("households_per_member", 40))
        self.ambient_dba = _number(acoustics.get("ambient_dba", DEFAULT_AMBIENT_DBA))
        self.multi_cluster = acoustics.get("multi_cluster", "u50")
        self.required_snr_db = _number(acoustics.get("required_snr_db", DEFAULT_REQUIRED_SNR_DB))
        self.facade_loss_db = _number(acoustics.get("facade_loss_db", 0))
        self.weights = dict(DEFAULT_WEIGHTS)
        self.weights.update({k: float(v) for k, v in (target.get("weights") or {}).items()})
        self.info_deprived_only = bool(target.get("info_deprived_only", False))
        opt = sc.get("optimize") or {}
        self.new_speakers = int(opt.get("new_speakers", 20))
        self.new_teams = int(opt.get("new_teams", 5))
        self.budget = _number(opt.get("budget"))
        self.coverage_target = _number(opt.get("coverage_target"))
        costs = opt.get("costs") or {}
        self.costs = {"speaker": _number(costs.get("speaker", 36000000)), "team": _number(costs.get("team", 20000000))}

        summary = self.dir / "summary.json"
        try:
            self.summary = json.loads(summary.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.summary = {}
        working = str(self.summary.get("working_crs", ""))
        m = re.fullmatch(r"EPSG:(\d+)", working)
        self.epsg = expected_epsg if expected_epsg is not None else (int(m.group(1)) if m else None)
        self.summary_epsg = int(m.group(1)) if m else None
        self._gpkg = None

    # -- helpers ------------------------------------------------------------------------------
    def gpkg(self):
        if self._gpkg is None:
            self._gpkg = gdal.OpenEx(str(self.dir / "coverage.gpkg"), gdal.OF_VECTOR)
        return self._gpkg

    def sql(self, query: str) -> list[tuple]:
        """Rows of a query on coverage.gpkg (SQLite: GeoPackage's own SQL, ST_MinX etc.)."""
        ds = self.gpkg()
        lyr = ds.ExecuteSQL(query)
        try:
            if lyr is None:
                return []
            rows = []
            for f in lyr:
                rows.append(tuple(f.GetField(i) for i in range(f.GetFieldCount())))
            return rows
        finally:
            if lyr is not None:
                ds.ReleaseResultSet(lyr)

    def count(self, query: str) -> int:
        return int(self.sql(query)[0][0])

    def layer_names(self) -> list[str]:
        ds = self.gpkg()
        return [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]

    def spatial_layers(self) -> list[str]:
        """The layers DESIGN §5 puts in coverage.gpkg for this scenario."""
        names = ["hamlets", "households"]
        names += ["speakers"] if self.has_speakers else []
        names += ["teams"] if self.has_teams else []
        names += self.groups
        names += ["proposed_sites"] if self.optimizing else []
        return names

    def read_csv(self, name: str) -> tuple[list[str], list[dict]]:
        with open(self.dir / name, encoding="utf-8", newline="") as f:  # strict UTF-8
            reader = csv.DictReader(f)
            rows = list(reader)
            return list(reader.fieldnames or []), rows

    def epsg_of(self, srs) -> int | None:
        if srs is None:
            return None
        srs = srs.Clone()
        code = srs.GetAuthorityCode(None)
        if code is None:
            try:
                srs.AutoIdentifyEPSG()
                code = srs.GetAuthorityCode(None)
            except RuntimeError:
                code = None
        if code is None and self.epsg:
            ref = osr.SpatialReference()
            ref.ImportFromEPSG(self.epsg)
            return self.epsg if srs.IsSame(ref) else None
        return int(code) if code is not None else None


def _layer_columns(layer) -> list[str]:
    d = layer.GetLayerDefn()
    return [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]


# ---- files --------------------------------------------------------------------------------------

def expected_files(out: Output) -> dict[str, bool]:
    """File name → whether DESIGN §5 wants it for the scenario's formats (False: must be absent)."""
    f = set(out.formats)
    files = {"summary.json": True, "rejects.csv": True, "coverage.gpkg": "gpkg" in f,
             "hamlet_gaps.csv": "csv" in f, "fields.csv": "shp" in f, "infogap.qgs": "qgis" in f}
    for g in out.groups:
        files[f"{g}_gaps.csv"] = "csv" in f
    for r in RASTERS:
        files[f"{r}.tif"] = "tif" in f
        files[f"{r}.qml"] = "tif" in f
    for stem, wanted in (("hamlets", True), ("proposed_sites", out.optimizing)):
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qml"):
            files[stem + ext] = "shp" in f and wanted
    for lang in ("vi", "en"):
        files[f"report.{lang}.html"] = "html" in f and lang in out.languages
    return files


def check_files(out: Output) -> list[str]:
    problems = []
    if not out.dir.is_dir():
        return [f"{out.dir}: no output folder"]
    for name, wanted in expected_files(out).items():
        present = (out.dir / name).is_file()
        if wanted and not present:
            problems.append(f"{name}: missing")
        elif present and not wanted:
            problems.append(f"{name}: written although the scenario does not ask for it "
                            f"(output.formats {out.formats}, languages {out.languages})")
    # Written under a temporary name and renamed when complete: nothing half-written is left.
    leftovers = sorted(p.name for p in out.dir.iterdir() if p.name.startswith(".") or ".tmp" in p.name)
    if leftovers:
        problems.append(f"temporary files or staging folders left behind: {leftovers}")
    return problems


# ---- coverage.gpkg ----------------------------------------------------------------------------

def check_geopackage(out: Output) -> list[str]:
    if "gpkg" not in out.formats:
        return []
    p = []
    path = out.dir / "coverage.gpkg"
    if not path.is_file():
        return ["coverage.gpkg: missing"]
    from osgeo_utils.samples import validate_gpkg
    try:
        errors = validate_gpkg.check(str(path), abort_at_first_error=False, warning_msg=False)
    except Exception as e:  # the checker raises on the first error when it cannot go on
        errors = [(None, str(e))]
    p += [f"coverage.gpkg: not a valid GeoPackage: req {req}: {msg}" for req, msg in errors or []]

    names = out.layer_names()
    missing = [n for n in out.spatial_layers() + ["layer_styles"] if n not in names]
    p += [f"coverage.gpkg: no layer '{n}'" for n in missing]
    for n in (["speakers"] if not out.has_speakers else []) + (["teams"] if not out.has_teams else []) + \
            (["proposed_sites"] if not out.optimizing else []):
        if n in names:
            p.append(f"coverage.gpkg: layer '{n}' although the scenario has no {n} block")
    if missing:
        return p
    ds = out.gpkg()

    # Columns, geometry types, CRS.
    wants = {"hamlets": ["hamlet_id", "name"] + out.groups + ["geometry_source"] + AREA_COLUMNS,
             "households": HOUSEHOLD_COLUMNS,
             "proposed_sites": SITE_COLUMNS + out.groups}
    for g in out.groups:
        wants[g] = [g] + AREA_COLUMNS
    polygonal = {ogr.wkbPolygon, ogr.wkbMultiPolygon}
    for n in out.spatial_layers():
        lyr = ds.GetLayerByName(n)
        have = _layer_columns(lyr)
        if n in wants and not _in_order(have, wants[n]):
            p.append(f"coverage.gpkg/{n}: columns {have} do not hold {wants[n]} in this order")
        gtype = ogr.GT_Flatten(lyr.GetGeomType())
        want_poly = n == "hamlets" or n in out.groups
        if want_poly and gtype not in polygonal:
            p.append(f"coverage.gpkg/{n}: geometry {ogr.GeometryTypeToName(gtype)}, want (multi)polygons")
        if not want_poly and gtype != ogr.wkbPoint:
            p.append(f"coverage.gpkg/{n}: geometry {ogr.GeometryTypeToName(gtype)}, want points")
        epsg = out.epsg_of(lyr.GetSpatialRef())
        if out.epsg is None or epsg != out.epsg:
            p.append(f"coverage.gpkg/{n}: CRS EPSG:{epsg}, want the working CRS EPSG:{out.epsg}")
    if out.summary_epsg is not None and out.epsg is not None and out.summary_epsg != out.epsg:
        p.append(f"summary.json: working_crs EPSG:{out.summary_epsg}, want EPSG:{out.epsg}")
    if any("coverage.gpkg/" in x for x in p):
        return p

    # Default styles: one layer_styles row per layer, found the way QGIS 3.22 looks them up.
    rows = out.sql("SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, useAsDefault, styleQML "
                   "FROM layer_styles")
    by_table = {}
    for cat, schema, table, geomcol, default, qml in rows:
        by_table.setdefault(table, []).append((cat, schema, geomcol, default, qml))
    for n in out.spatial_layers():
        styles = [s for s in by_table.get(n, []) if s[3] == 1]
        if len(styles) != 1:
            p.append(f"coverage.gpkg/layer_styles: {len(styles)} default styles for '{n}', want 1")
            continue
        cat, schema, geomcol, _, qml = styles[0]
        if schema != "" or cat != "":
            p.append(f"coverage.gpkg/layer_styles: '{n}' has f_table_schema={schema!r}, f_table_catalog={cat!r}; "
                     "QGIS matches only ''")
        if geomcol != ds.GetLayerByName(n).GetGeometryColumn():
            p.append(f"coverage.gpkg/layer_styles: '{n}' names geometry column {geomcol!r}")
        try:
            root = _xml_root(qml or "", is_text=True)
            if root.tag != "qgis" or root.find("renderer-v2") is None:
                p.append(f"coverage.gpkg/layer_styles: the style of '{n}' has no <qgis><renderer-v2>")
        except ET.ParseError as e:
            p.append(f"coverage.gpkg/layer_styles: the style of '{n}' is not XML: {e}")

    p += _check_households(out)
    p += _check_groups_in_gpkg(out)
    if out.optimizing:
        p += _check_sites_in_gpkg(out)
    return p


def _check_households(out: Output) -> list[str]:
    p = []
    acc = ((out.summary.get("accounting") or {}).get("households")) or {}
    n = out.count("SELECT COUNT(*) FROM households")
    if "joined" in acc and "outside" in acc and n != acc["joined"] + acc["outside"]:
        p.append(f"coverage.gpkg/households: {n} features, want joined + outside = {acc['joined'] + acc['outside']}")
    outside = out.count("SELECT COUNT(*) FROM households WHERE hamlet_id IS NULL")
    if "outside" in acc and outside != acc["outside"]:
        p.append(f"coverage.gpkg/households: {outside} with hamlet_id NULL, want summary's outside = {acc['outside']}")
    placeholders = ", ".join(_lit(s) for s in OUTSIDE_PLACEHOLDERS)
    bad = out.count(f"SELECT COUNT(*) FROM households WHERE hamlet_id IN ({placeholders}) "
                    f"AND hamlet_id NOT IN (SELECT hamlet_id FROM hamlets)")
    if bad:
        p.append(f"coverage.gpkg/households: {bad} hamlet_id placeholders; outside every hamlet is NULL")

    weights = " ".join(f"WHEN {_lit(k)} THEN {float(v)!r}" for k, v in out.weights.items())
    required = out.required_snr_db
    rules = {
        "poverty is poor, near_poor or not_poor":
            f"poverty IS NULL OR poverty NOT IN ({', '.join(_lit(s) for s in POVERTY)})",
        "reached_speaker, reached_team, reached are 0 or 1":
            "reached_speaker NOT IN (0, 1) OR reached_team NOT IN (0, 1) OR reached NOT IN (0, 1)",
        "reached = reached_speaker or reached_team":
            "reached <> (CASE WHEN reached_speaker = 1 OR reached_team = 1 THEN 1 ELSE 0 END)",
        "a team-reached household has its team_id, and only it":
            "(reached_team = 1) <> (team_id IS NOT NULL)",
        "teams serve target households only (weight > 0)": "reached_team = 1 AND NOT weight > 0",
        "team_distance_m >= 0": "team_distance_m < 0",
        "speakers_audible >= 0": "speakers_audible IS NULL OR speakers_audible < 0",
        "a household a cluster reaches on its own is reached by a speaker":
            f"speakers_audible > 0 AND reached_speaker = 0 AND (snr_db IS NULL OR snr_db < {required!r} - 1e-6)",
        "a speaker-reached household names its best speaker": "reached_speaker = 1 AND best_speaker_id IS NULL",
        "hamlet_id is a hamlet of the hamlets layer":
            "hamlet_id IS NOT NULL AND hamlet_id NOT IN (SELECT hamlet_id FROM hamlets)",
    }
    if out.info_deprived_only:
        rules["weight is the poverty weight or 0 (info_deprived_only)"] = \
            f"weight <> 0 AND weight <> (CASE poverty {weights} END)"
    else:
        rules["weight is the target weight of the poverty status"] = f"weight <> (CASE poverty {weights} END)"
    if out.has_teams:
        rules["team_id is a team of the teams layer"] = \
            "team_id IS NOT NULL AND team_id NOT IN (SELECT team_id FROM teams)"
    if out.has_speakers:
        rules["best_speaker_id is a speaker of the speakers layer"] = \
            "best_speaker_id IS NOT NULL AND best_speaker_id NOT IN (SELECT speaker_id FROM speakers)"
        if out.speaker_model == "radius":
            rules["radius model: reached by a speaker iff a cluster is within range"] = \
                "reached_speaker <> (CASE WHEN speakers_audible > 0 THEN 1 ELSE 0 END)"
        else:
            # (households within 1e-9 dB of the threshold may fall either way by rounding)
            if out.multi_cluster == "energy_sum":
                rules["iso9613: reached by a speaker iff snr_db >= required_snr_db"] = \
                    f"reached_speaker <> (CASE WHEN snr_db >= {required!r} THEN 1 ELSE 0 END) " \
                    f"AND NOT (snr_db IS NOT NULL AND abs(snr_db - {required!r}) < 1e-9)"
            else:  # u50 / loudest decide on part of the energy: reached implies the whole sum clears it
                rules[f"iso9613 ({out.multi_cluster}): reached by a speaker only if snr_db >= required_snr_db"] = \
                    f"reached_speaker = 1 AND NOT (snr_db >= {required!r} OR abs(snr_db - {required!r}) < 1e-9)"
            if out.facade_loss_db == 0:
                rules["snr_db = speech_dba - ambient_dba"] = \
                    f"speech_dba IS NOT NULL AND abs(snr_db - (speech_dba - {out.ambient_dba!r})) > 1e-6"
    else:
        rules["no speakers: nobody is reached by a speaker"] = "reached_speaker <> 0"
    if not out.has_teams:
        rules["no teams: nobody is reached by a team"] = "reached_team <> 0"
    for what, where in rules.items():
        bad = out.count(f"SELECT COUNT(*) FROM households WHERE {where}")
        if bad:
            p.append(f"coverage.gpkg/households: {bad} rows break '{what}'")

    if out.has_teams:
        p += _check_team_reach(out)
    return p


def _check_team_reach(out: Output) -> list[str]:
    """DESIGN §4 Team reach: within reach_m, at most members × households_per_member each; and
    team_distance_m is the distance to the nearest team."""
    p = []
    dist2 = ("((ST_MinX(h.geom) - ST_MinX(t.geom)) * (ST_MinX(h.geom) - ST_MinX(t.geom)) + "
             "(ST_MinY(h.geom) - ST_MinY(t.geom)) * (ST_MinY(h.geom) - ST_MinY(t.geom)))")
    reach = None
    if out.team_reach_m is not None:
        reach = repr(out.team_reach_m)
    elif "reach_m" in _layer_columns(out.gpkg().GetLayerByName("teams")):
        reach = "t.reach_m"
    if reach is not None:
        bad = out.count(f"SELECT COUNT(*) FROM households h JOIN teams t ON h.team_id = t.team_id "
                        f"WHERE {dist2} > ({reach}) * ({reach}) * (1 + 1e-12) + 1e-6")
        if bad:
            p.append(f"coverage.gpkg/households: {bad} served by a team farther than its reach_m")
    bad = out.count(f"SELECT COUNT(*) FROM households h JOIN teams t ON h.team_id = t.team_id "
                    f"WHERE h.team_distance_m * h.team_distance_m > {dist2} * (1 + 1e-9) + 1e-6")
    if bad:
        p.append(f"coverage.gpkg/households: {bad} have team_distance_m larger than the distance to their own team")
    if out.households_per_member is not None:
        loads = out.sql("SELECT t.team_id, t.members, COUNT(h.team_id) FROM teams t "
                        "LEFT JOIN households h ON h.team_id = t.team_id GROUP BY t.fid")
        over = [(tid, served, members) for tid, members, served in loads
                if members is not None and served > math.floor(max(0.0, members) * out.households_per_member)]
        if over:
            p.append(f"coverage.gpkg/households: {len(over)} teams serve more than members × households_per_member "
                     f"(team, served, members) e.g. {over[:3]}")
    # team_distance_m against an independent nearest-team search on a sample of households.
    teams = out.sql("SELECT ST_MinX(geom), ST_MinY(geom) FROM teams")
    n = out.count("SELECT COUNT(*) FROM households")
    step = max(1, n // 400)
    sample = out.sql(f"SELECT household_id, ST_MinX(geom), ST_MinY(geom), team_distance_m FROM households "
                     f"WHERE fid % {step} = 0")
    wrong = []
    for hid, x, y, d in sample:
        want = min((math.hypot(x - tx, y - ty) for tx, ty in teams), default=math.inf)
        if d is None and math.isinf(want):
            continue
        if d is None or not math.isclose(d, want, rel_tol=1e-9, abs_tol=1e-6):
            wrong.append((hid, d, want))
    if wrong:
        p.append(f"coverage.gpkg/households: team_distance_m is not the distance to the nearest team for "
                 f"{len(wrong)} of {len(sample)} sampled households, e.g. (id, have, want) {wrong[:3]}")
    return p


def _check_groups_in_gpkg(out: Output) -> list[str]:
    """Each group_by layer: one dissolved feature per distinct value, its figures the sums of its
    hamlets', its extent the union of theirs."""
    p = []
    sums = ", ".join(f"SUM({c})" for c in ("households", "target_households", "target_weight", "reached_speaker",
                                           "reached_team", "reached_any", "gap_households", "gap_weight"))
    for g in out.groups:
        q = _q(g)
        want = {r[0]: r[1:] for r in out.sql(
            f"SELECT {q}, {sums}, MIN(ST_MinX(geom)), MIN(ST_MinY(geom)), MAX(ST_MaxX(geom)), MAX(ST_MaxY(geom)) "
            f"FROM hamlets GROUP BY {q}")}
        have = {r[0]: r[1:] for r in out.sql(
            f"SELECT {q}, households, target_households, target_weight, reached_speaker, reached_team, reached_any, "
            f"gap_households, gap_weight, ST_MinX(geom), ST_MinY(geom), ST_MaxX(geom), ST_MaxY(geom) FROM {q}")}
        if set(have) != set(want):
            p.append(f"coverage.gpkg/{g}: units {sorted(map(str, have))[:5]}… differ from the hamlets' {g} values")
            continue
        bad = [k for k in want if not all(_close(a, b, 1e-9, 1e-6) for a, b in zip(have[k], want[k]))]
        if bad:
            p.append(f"coverage.gpkg/{g}: figures or extent differ from the sum of its hamlets for {len(bad)} units, "
                     f"e.g. {bad[:3]}")
    return p


def _check_sites_in_gpkg(out: Output) -> list[str]:
    p = []
    bad = out.count("SELECT COUNT(*) FROM proposed_sites WHERE kind IS NULL OR kind NOT IN ('speaker', 'team')")
    if bad:
        p.append(f"coverage.gpkg/proposed_sites: {bad} sites of a kind other than speaker or team")
    bad = out.count("SELECT COUNT(*) FROM proposed_sites WHERE hamlet_id IS NOT NULL AND "
                    "hamlet_id NOT IN (SELECT hamlet_id FROM hamlets)")
    if bad:
        p.append(f"coverage.gpkg/proposed_sites: {bad} sites name a hamlet_id that is not a hamlet")
    for g in out.groups:
        q = _q(g)
        bad = out.count(f"SELECT COUNT(*) FROM proposed_sites s JOIN hamlets h ON s.hamlet_id = h.hamlet_id "
                        f"WHERE s.{q} IS NOT h.{q}")
        if bad:
            p.append(f"coverage.gpkg/proposed_sites: {bad} sites whose {g} is not their hamlet's")
    bad = out.count("SELECT COUNT(*) FROM proposed_sites s JOIN hamlets h ON s.hamlet_id = h.hamlet_id "
                    "WHERE ST_MinX(s.geom) < ST_MinX(h.geom) OR ST_MinX(s.geom) > ST_MaxX(h.geom) "
                    "OR ST_MinY(s.geom) < ST_MinY(h.geom) OR ST_MinY(s.geom) > ST_MaxY(h.geom)")
    if bad:
        p.append(f"coverage.gpkg/proposed_sites: {bad} sites lie outside the extent of their hamlet")
    return p


# ---- CSV tables ---------------------------------------------------------------------------------

def _area_rows_problems(name: str, rows: list[dict], id_col: str) -> list[str]:
    """Identities of an area table (DESIGN §5): ranked by gap weight, gap_rate = gap_weight /
    target_weight, reached_* and gap_households count target households."""
    p = []
    if not rows:
        return [f"{name}: no rows"]
    ids = [r[id_col] for r in rows]
    if len(set(ids)) != len(ids) or any(i == "" for i in ids):
        p.append(f"{name}: {id_col} is empty or repeated")
    try:
        ranks = sorted(int(r["rank"]) for r in rows)
    except ValueError:
        return p + [f"{name}: rank is not an integer"]
    if ranks != list(range(1, len(rows) + 1)):
        p.append(f"{name}: ranks are not 1..{len(rows)}")
    if [int(r["rank"]) for r in rows] != list(range(1, len(rows) + 1)):
        p.append(f"{name}: rows are not in rank order (rank 1 first)")
    gaps = [float(r["gap_weight"]) for r in sorted(rows, key=lambda r: int(r["rank"]))]
    if any(a < b for a, b in zip(gaps, gaps[1:])):
        p.append(f"{name}: not ranked by gap weight (rank 1 = largest)")
    bad_numbers = sorted({c for r in rows for c in CSV_DECIMALS if c in r and not _csv_number_ok(c, r[c])})
    if bad_numbers:
        p.append(f"{name}: columns {bad_numbers} are not written with their DESIGN §5 decimals "
                 f"({ {c: CSV_DECIMALS[c] for c in bad_numbers} }, fixed notation)")
    broken = []
    for r in rows:
        h, th, tw = int(r["households"]), int(r["target_households"]), float(r["target_weight"])
        rs, rt, ra = int(r["reached_speaker"]), int(r["reached_team"]), int(r["reached_any"])
        gh, gw = int(r["gap_households"]), float(r["gap_weight"])
        rate = float(r["gap_rate"]) if r["gap_rate"] != "" else None  # NULL (empty) without target weight
        # weights are rounded to 0.005 and rates to 0.00005 (CSV_DECIMALS): the identity holds
        # within what that rounding can move gap_weight / target_weight
        w_err, r_err = 0.5 * 10 ** -CSV_DECIMALS["gap_weight"], 0.5 * 10 ** -CSV_DECIMALS["gap_rate"]
        ok = (0 <= th <= h and max(rs, rt) <= ra <= min(th, rs + rt) and gh == th - ra
              and -1e-9 <= gw <= tw + 1e-9 * max(1.0, tw)
              and (gh > 0) == (gw > 1e-12 * max(1.0, tw))
              and (rate is not None and abs(rate - gw / tw) <= r_err + w_err * (1 + gw / tw) / (tw - w_err) + 1e-9
                   if tw > 0 else rate is None))
        if not ok:
            broken.append(r[id_col])
    if broken:
        p.append(f"{name}: {len(broken)} rows break the identities of DESIGN §5 (gap_households = target_households "
                 f"− reached_any, gap_rate = gap_weight / target_weight, …), e.g. {broken[:3]}")
    return p


def check_csv_tables(out: Output) -> list[str]:
    if "csv" not in out.formats:
        return []
    p = []
    try:
        header, rows = out.read_csv("hamlet_gaps.csv")
    except (OSError, UnicodeDecodeError) as e:
        return [f"hamlet_gaps.csv: unreadable as UTF-8 CSV: {e}"]
    want = ["hamlet_id", "name"] + out.groups + ["geometry_source"] + AREA_COLUMNS
    if header[:len(want)] != want:
        return [f"hamlet_gaps.csv: header {header}, want it to start with {want}"]
    p += _area_rows_problems("hamlet_gaps.csv", rows, "hamlet_id")
    acc = ((out.summary.get("accounting") or {}).get("households")) or {}
    if "joined" in acc and sum(int(r["households"]) for r in rows) != acc["joined"]:
        p.append(f"hamlet_gaps.csv: households add up to {sum(int(r['households']) for r in rows)}, "
                 f"want summary's joined = {acc['joined']}")
    by_id = {r["hamlet_id"]: r for r in rows}

    if "gpkg" in out.formats and (out.dir / "coverage.gpkg").is_file():
        # The CSV is the hamlets layer without geometry: same rows, same figures.
        cols = ["hamlet_id", "name"] + out.groups + AREA_COLUMNS
        layer = {r[0]: r for r in out.sql(f"SELECT {', '.join(_q(c) for c in cols)} FROM hamlets")}
        if set(layer) != set(by_id):
            p.append(f"hamlet_gaps.csv: {len(by_id)} hamlets, the hamlets layer {len(layer)}, or other ids")
        else:
            differ = []
            for hid, lv in layer.items():
                for c, v in zip(cols, lv):
                    if not _csv_same(c, by_id[hid][c], v):
                        differ.append((hid, c))
            if differ:
                p.append(f"hamlet_gaps.csv: {len(differ)} values differ from the hamlets layer, e.g. {differ[:3]}")

    sum_cols = ["households", "target_households", "reached_speaker", "reached_team", "reached_any",
                "gap_households", "gap_weight", "target_weight"]
    for g in out.groups:
        name = f"{g}_gaps.csv"
        try:
            gheader, grows = out.read_csv(name)
        except (OSError, UnicodeDecodeError) as e:
            p.append(f"{name}: unreadable as UTF-8 CSV: {e}")
            continue
        if not gheader or gheader[0] != g or not _in_order(gheader, AREA_COLUMNS):
            p.append(f"{name}: header {gheader}, want {g} first, then {AREA_COLUMNS} in order")
            continue
        p += _area_rows_problems(name, grows, g)
        # One row per unit; its figures are the sums of its hamlets'.
        want, count = {}, {}
        for r in rows:
            w = want.setdefault(r[g], [0.0] * len(sum_cols))
            count[r[g]] = count.get(r[g], 0) + 1
            for k, c in enumerate(sum_cols):
                w[k] += float(r[c])
        have = {r[g]: [float(r[c]) for c in sum_cols] for r in grows}
        if set(have) != set(want):
            p.append(f"{name}: units differ from the {g} values of hamlet_gaps.csv")
            continue
        # each rounded weight is off by at most half its last digit: n hamlets + the unit's own
        tol = {u: [0.5 * 10 ** -CSV_DECIMALS.get(c, 12) * (count[u] + 1) for c in sum_cols] for u in want}
        bad = [u for u in want if not all(_close(a, b, 1e-9, t) for a, b, t in zip(have[u], want[u], tol[u]))]
        if bad:
            p.append(f"{name}: {len(bad)} units whose figures are not the sums of their hamlets, e.g. {bad[:3]}")

    if out.optimizing and (out.dir / "proposed_sites.csv").is_file():
        # Written beside the proposed_sites layer: the same sites, without geometry.
        sheader, srows = out.read_csv("proposed_sites.csv")
        if not _in_order(sheader, SITE_COLUMNS + out.groups):
            p.append(f"proposed_sites.csv: header {sheader}, want {SITE_COLUMNS + out.groups} in order")
        elif "gpkg" in out.formats and (out.dir / "coverage.gpkg").is_file():
            layer = {(r[0], r[1], r[2]) for r in out.sql("SELECT site_id, kind, rank FROM proposed_sites")}
            rows_ = {(r["site_id"], r["kind"], int(r["rank"])) for r in srows}
            if layer != rows_:
                p.append("proposed_sites.csv: sites differ from the proposed_sites layer")
            else:
                cols = [c for c in SITE_COLUMNS + ["cost_vnd"] if c in sheader]
                by_site = {r["site_id"]: r for r in srows}
                differ = [(r[0], c) for r in out.sql(f"SELECT {', '.join(_q(c) for c in cols)} FROM proposed_sites")
                          for c, v in zip(cols, r) if not _csv_same(c, by_site[r[0]][c], v)]
                if differ:
                    p.append(f"proposed_sites.csv: {len(differ)} values differ from the proposed_sites layer "
                             f"(rounded as CSV_DECIMALS), e.g. {differ[:3]}")
        if [int(r["rank"]) for r in srows] != list(range(1, len(srows) + 1)):
            p.append("proposed_sites.csv: rows are not in rank order (rank 1 first)")
    return p


def check_rejects(out: Output) -> list[str]:
    """rejects.csv: every rejected row with file, feature id, column and reason, written even when
    empty; the household rows are the summary's rejected households."""
    try:
        header, rows = out.read_csv("rejects.csv")
    except (OSError, UnicodeDecodeError) as e:
        return [f"rejects.csv: unreadable as UTF-8 CSV: {e}"]
    p = []
    if not _in_order(header, ["file", "feature_id", "column", "reason"]):
        return [f"rejects.csv: header {header}, want file, feature_id, column, reason"]
    if any(not r["reason"] or not r["file"] for r in rows):
        p.append("rejects.csv: a row without file or reason")
    inputs = out.summary.get("inputs") or {}
    acc = ((out.summary.get("accounting") or {}).get("households")) or {}
    hh_path = (inputs.get("households") or {}).get("path")
    if hh_path and "rejected" in acc:
        target = Path(hh_path).resolve()
        n = sum(1 for r in rows if Path(r["file"]).resolve() == target)
        if n != acc["rejected"]:
            p.append(f"rejects.csv: {n} rows of the households file, want summary's rejected = {acc['rejected']}")
    return p


# ---- rasters ------------------------------------------------------------------------------------

def _pixel(band, col, row):
    fmt = "B" if band.DataType == gdal.GDT_Byte else "f"
    return struct.unpack(fmt, band.ReadRaster(col, row, 1, 1))[0]


def _is_nodata(v, nodata) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == nodata


def check_rasters(out: Output) -> list[str]:
    if "tif" not in out.formats:
        return []
    from osgeo_utils.samples import validate_cloud_optimized_geotiff as cog
    p = []
    opened = {}
    for name, (dtype, unit) in RASTERS.items():
        path = out.dir / f"{name}.tif"
        if not path.is_file():
            p.append(f"{name}.tif: missing")
            continue
        ds = gdal.Open(str(path))
        opened[name] = ds
        _, errors, _ = cog.validate(ds, check_tiled=True, full_check=False)
        p += [f"{name}.tif: not a valid Cloud-Optimized GeoTIFF: {e}" for e in errors]
        if ds.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE") != "COG":
            p.append(f"{name}.tif: LAYOUT is not COG")
        if ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE") != "DEFLATE":
            p.append(f"{name}.tif: compression {ds.GetMetadataItem('COMPRESSION', 'IMAGE_STRUCTURE')}, want DEFLATE")
        if ds.RasterCount != 1:
            p.append(f"{name}.tif: {ds.RasterCount} bands, want 1")
            continue
        b = ds.GetRasterBand(1)
        if b.DataType != dtype:
            p.append(f"{name}.tif: {gdal.GetDataTypeName(b.DataType)}, want {gdal.GetDataTypeName(dtype)}")
        if b.GetDescription() != name:
            p.append(f"{name}.tif: band description {b.GetDescription()!r}, want {name!r}")
        if not b.GetUnitType() or (unit is not None and b.GetUnitType() != unit):
            p.append(f"{name}.tif: unit {b.GetUnitType()!r}, want {unit or 'a unit'}")
        if name == "gap_density" and "km" not in b.GetUnitType():
            p.append(f"{name}.tif: unit {b.GetUnitType()!r}, want a unit per km²")
        if b.GetNoDataValue() is None:
            p.append(f"{name}.tif: no nodata value")
        if max(ds.RasterXSize, ds.RasterYSize) > 512 and b.GetOverviewCount() == 0:
            p.append(f"{name}.tif: {ds.RasterXSize}×{ds.RasterYSize} cells and no overviews")
        epsg = out.epsg_of(ds.GetSpatialRef())
        if out.epsg is None or epsg != out.epsg:
            p.append(f"{name}.tif: CRS EPSG:{epsg}, want the working CRS EPSG:{out.epsg}")
        qml = out.dir / f"{name}.qml"
        try:
            root = _xml_root(qml)
            if root.tag != "qgis" or root.find("pipe/rasterrenderer") is None:
                p.append(f"{name}.qml: no <qgis><pipe><rasterrenderer>")
        except (OSError, ET.ParseError) as e:
            p.append(f"{name}.qml: missing or not XML: {e}")
    if p or len(opened) != len(RASTERS):
        return p

    # One grid for all four: north-up, output.raster_cell_m, covering the hamlets within a cell.
    grids = {n: (ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize) for n, ds in opened.items()}
    if len(set(grids.values())) != 1:
        return [f"rasters: not on one grid: {grids}"]
    gt, width, height = next(iter(grids.values()))
    cell = out.cell_m
    if gt[2] != 0 or gt[4] != 0 or not _close(gt[1], cell) or not _close(-gt[5], cell):
        return [f"rasters: geotransform {gt}, want north-up {cell} m cells (output.raster_cell_m)"]
    if "gpkg" in out.formats and (out.dir / "coverage.gpkg").is_file():
        minx, miny, maxx, maxy = out.sql("SELECT MIN(ST_MinX(geom)), MIN(ST_MinY(geom)), MAX(ST_MaxX(geom)), "
                                         "MAX(ST_MaxY(geom)) FROM hamlets")[0]
        x0, y1 = gt[0], gt[3]
        x1, y0 = x0 + width * cell, y1 - height * cell
        eps = 1e-6 * max(1.0, abs(x0), abs(y1))
        if not (x0 <= minx + eps and x1 >= maxx - eps and y0 <= miny + eps and y1 >= maxy - eps
                and minx - x0 < cell + eps and x1 - maxx < cell + eps and miny - y0 < cell + eps
                and y1 - maxy < cell + eps):
            p.append(f"rasters: extent ({x0}, {y0}, {x1}, {y1}) does not cover the hamlets "
                     f"({minx}, {miny}, {maxx}, {maxy}) within one cell")

    bands = {n: ds.GetRasterBand(1) for n, ds in opened.items()}
    nodata = {n: b.GetNoDataValue() for n, b in bands.items()}
    # Value ranges over the whole band (nodata excluded).
    ranges = {}
    for n, b in bands.items():
        try:
            ranges[n] = b.ComputeRasterMinMax(False)
        except RuntimeError:
            ranges[n] = None  # every cell is nodata
    if ranges["speakers_audible"] is not None and (ranges["speakers_audible"][0] < 0
                                                   or ranges["speakers_audible"][1] > 254):
        p.append(f"speakers_audible.tif: counts {ranges['speakers_audible']} outside 0…254")
    for n in ("team_distance", "gap_density"):
        if ranges[n] is not None and ranges[n][0] < 0:
            p.append(f"{n}.tif: negative values {ranges[n]}")
    if out.has_speakers and out.speaker_model != "radius":
        if ranges["speech_level"] is None:
            p.append("speech_level.tif: every cell is nodata although speakers are modelled (iso9613)")
        elif not (0 <= ranges["speech_level"][0] <= ranges["speech_level"][1] < 200):
            p.append(f"speech_level.tif: levels {ranges['speech_level']} dB(A) are not plausible")

    p += _check_raster_cells(out, gt, width, height, bands, nodata)
    return p


def _check_raster_cells(out, gt, width, height, bands, nodata) -> list[str]:
    """Sampled cells: nodata outside the hamlets, data inside; team_distance = distance from the
    cell centre to the nearest team."""
    if "gpkg" not in out.formats or not (out.dir / "coverage.gpkg").is_file():
        return []
    p = []
    hamlets = out.gpkg().GetLayerByName("hamlets")
    teams = out.sql("SELECT ST_MinX(geom), ST_MinY(geom) FROM teams") if out.has_teams else []
    cell = gt[1]
    rng = random.Random(2024)
    cells = [(rng.randrange(width), rng.randrange(height)) for _ in range(150)]
    # Cells of sampled households (inside hamlets), where most of the data is.
    n = out.count("SELECT COUNT(*) FROM households WHERE hamlet_id IS NOT NULL")
    step = max(1, n // 150)
    for x, y in out.sql(f"SELECT ST_MinX(geom), ST_MinY(geom) FROM households "
                        f"WHERE hamlet_id IS NOT NULL AND fid % {step} = 0"):
        c, r = int((x - gt[0]) // cell), int((gt[3] - y) // cell)
        if 0 <= c < width and 0 <= r < height:
            cells.append((c, r))
    wrong_inside, wrong_outside, wrong_distance, checked_inside = [], [], [], 0
    for c, r in cells:
        x, y = gt[0] + (c + 0.5) * cell, gt[3] - (r + 0.5) * cell
        pt = ogr.Geometry(ogr.wkbPoint)
        pt.AddPoint_2D(x, y)
        hamlets.SetSpatialFilterRect(x - 1e-3, y - 1e-3, x + 1e-3, y + 1e-3)
        inside, on_edge = False, False
        for f in hamlets:
            g = f.GetGeometryRef()
            if g.Boundary().Distance(pt) < 1e-3:
                on_edge = True
            elif g.Contains(pt):
                inside = True
        hamlets.SetSpatialFilter(None)
        if on_edge:
            continue  # a centre on a hamlet edge may fall either way
        values = {k: _pixel(b, c, r) for k, b in bands.items()}
        if not inside:
            # DESIGN §5: speech_level is nodata outside hamlets.
            if not _is_nodata(values["speech_level"], nodata["speech_level"]):
                wrong_outside.append(((c, r), values["speech_level"]))
            continue
        checked_inside += 1
        want_data = ["speakers_audible", "gap_density"] + (["team_distance"] if teams else [])
        want_data += ["speech_level"] if out.has_speakers and out.speaker_model != "radius" else []
        empty = [k for k in want_data if _is_nodata(values[k], nodata[k])]
        if empty:
            wrong_inside.append(((c, r), empty))
        if teams and not _is_nodata(values["team_distance"], nodata["team_distance"]):
            want = min(math.hypot(x - tx, y - ty) for tx, ty in teams)
            if abs(values["team_distance"] - want) > 0.5 + 1e-5 * want:
                wrong_distance.append(((c, r), values["team_distance"], want))
    if wrong_outside:
        p.append(f"speech_level.tif: {len(wrong_outside)} sampled cells outside every hamlet hold a level "
                 f"(want nodata), e.g. {wrong_outside[:3]}")
    if wrong_inside:
        p.append(f"rasters: {len(wrong_inside)} sampled cells inside a hamlet are nodata, e.g. {wrong_inside[:3]}")
    if wrong_distance:
        p.append(f"team_distance.tif: {len(wrong_distance)} sampled cells differ from the distance to the nearest "
                 f"team by more than 0.5 m, e.g. (cell, have, want) {wrong_distance[:3]}")
    if checked_inside < 50:
        p.append(f"rasters: only {checked_inside} sampled cells fell inside a hamlet; the sample proves nothing")
    return p


# ---- shapefiles ---------------------------------------------------------------------------------

def check_shapefiles(out: Output) -> list[str]:
    if "shp" not in out.formats:
        return []
    p = []
    try:
        header, rows = out.read_csv("fields.csv")
    except (OSError, UnicodeDecodeError) as e:
        return [f"fields.csv: unreadable: {e}"]
    if header != ["short", "long"]:
        return [f"fields.csv: header {header}, want short,long"]
    shorts = [r["short"] for r in rows]
    if len(set(shorts)) != len(shorts):
        p.append("fields.csv: a short name is listed twice")
    long_of = {r["short"]: r["long"] for r in rows}
    have_gpkg = "gpkg" in out.formats and (out.dir / "coverage.gpkg").is_file()
    for stem in ["hamlets"] + (["proposed_sites"] if out.optimizing else []):
        path = out.dir / f"{stem}.shp"
        if not path.is_file():
            p.append(f"{stem}.shp: missing")
            continue
        cpg = (out.dir / f"{stem}.cpg").read_text(encoding="ascii", errors="replace").strip() \
            if (out.dir / f"{stem}.cpg").is_file() else ""
        if cpg.upper().replace("-", "") != "UTF8":
            p.append(f"{stem}.cpg: {cpg!r}, want UTF-8")
        ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
        lyr = ds.GetLayer(0)
        names = _layer_columns(lyr)
        long_names = [long_of.get(n) for n in names]
        bad = [n for n in names if len(n) > 10 or not n.isascii()]
        if bad:
            p.append(f"{stem}.shp: field names longer than 10 characters or not ASCII: {bad}")
        if None in long_names:
            p.append(f"{stem}.shp: fields missing from fields.csv: {[n for n in names if n not in long_of]}")
        epsg = out.epsg_of(lyr.GetSpatialRef())
        if out.epsg is None or epsg != out.epsg:
            p.append(f"{stem}.shp: CRS EPSG:{epsg}, want EPSG:{out.epsg}")
        gtype = ogr.GT_Flatten(lyr.GetGeomType())
        if stem == "hamlets" and gtype not in (ogr.wkbPolygon, ogr.wkbMultiPolygon):
            p.append(f"{stem}.shp: geometry {ogr.GeometryTypeToName(gtype)}, want polygons")
        if stem == "proposed_sites" and gtype != ogr.wkbPoint:
            p.append(f"{stem}.shp: geometry {ogr.GeometryTypeToName(gtype)}, want points")
        try:
            root = _xml_root(out.dir / f"{stem}.qml")
            if root.tag != "qgis" or root.find("renderer-v2") is None:
                p.append(f"{stem}.qml: no <qgis><renderer-v2>")
        except (OSError, ET.ParseError) as e:
            p.append(f"{stem}.qml: missing or not XML: {e}")
        if not have_gpkg or None in long_names:
            continue
        # The shapefile is the GeoPackage layer with short names: same columns, rows and text.
        gl = out.gpkg().GetLayerByName(stem)
        if long_names != _layer_columns(gl):
            p.append(f"{stem}.shp: fields map (fields.csv) to {long_names}, want the {stem} layer's "
                     f"{_layer_columns(gl)}")
            continue
        if lyr.GetFeatureCount() != gl.GetFeatureCount():
            p.append(f"{stem}.shp: {lyr.GetFeatureCount()} features, the {stem} layer {gl.GetFeatureCount()}")
            continue
        text_cols = [k for k, n in enumerate(long_names) if n in ("hamlet_id", "name", "site_id", "kind")
                     or n in out.groups]
        key = long_names.index("site_id" if stem == "proposed_sites" else "hamlet_id")
        # A NULL text is an empty string in a DBF.
        shp_rows = {f.GetField(key): tuple(f.GetField(k) or "" for k in text_cols) for f in lyr}
        gpkg_rows = {f.GetField(long_names[key]): tuple(f.GetField(long_names[k]) or "" for k in text_cols)
                     for f in gl}
        differ = [k for k in gpkg_rows if shp_rows.get(k) != gpkg_rows[k]]
        if differ:
            p.append(f"{stem}.shp: text differs from the {stem} layer (UTF-8 round trip) for {len(differ)} rows, "
                     f"e.g. {[(k, shp_rows.get(k), gpkg_rows[k]) for k in differ[:2]]}")
    return p


# ---- summary.json -----------------------------------------------------------------------------

def _count_input_rows(path: Path, layer: str | None) -> int:
    if path.suffix == ".gz" or path.suffix.lower() == ".csv":
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", newline="") as f:
            return sum(1 for row in csv.reader(f) if row) - 1
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    return lyr.GetFeatureCount()


def _compare_parameters(scenario, params, path, problems, base: Path):
    """Every key set in the scenario file has that value in summary.json's parameters."""
    if isinstance(scenario, dict):
        if not isinstance(params, dict):
            problems.append(f"summary.json: parameters.{'.'.join(path)} is not a mapping")
            return
        for k, v in scenario.items():
            key = str(k)
            if path == [] and key == "output" and isinstance(v, dict):
                v = {kk: vv for kk, vv in v.items() if kk != "dir"}  # -o DIR overrides output.dir
            if key not in params:
                problems.append(f"summary.json: parameters lack {'.'.join(path + [key])}")
                continue
            _compare_parameters(v, params[key], path + [key], problems, base)
        return
    where = "parameters." + ".".join(path)
    if path and path[-1] == "path" and isinstance(scenario, str):
        want = (base / scenario).resolve()
        if params is None or Path(params).resolve() != want:
            problems.append(f"summary.json: {where} = {params!r}, want {want}")
        return
    if isinstance(scenario, list):
        if not isinstance(params, list) or len(scenario) != len(params):
            problems.append(f"summary.json: {where} = {params!r}, want {scenario!r}")
            return
        for i, (a, b) in enumerate(zip(scenario, params)):
            _compare_parameters(a, b, path + [f"[{i}]"], problems, base)
        return
    if isinstance(scenario, bool) or scenario is None or isinstance(params, bool):
        same = scenario == params
    elif _number(scenario) is not None and _number(params) is not None and not (
            isinstance(scenario, str) and isinstance(params, str)):
        same = _close(_number(scenario), _number(params))
    else:
        same = str(scenario) == str(params) or (path[-1:] in (["working_crs"], ["crs"])
                                                 and str(scenario).upper() == str(params).upper())
    if not same:
        problems.append(f"summary.json: {where} = {params!r}, the scenario says {scenario!r}")


def check_summary(out: Output) -> list[str]:
    s = out.summary
    if not s:
        return ["summary.json: missing or not JSON"]
    p = []
    for k in ("inputs", "accounting", "overlaps", "repaired_polygons", "parameters", "timings_s"):
        if k not in s:
            p.append(f"summary.json: no '{k}'")
    if p:
        return p
    acc = s["accounting"].get("households") if isinstance(s["accounting"], dict) else None
    if not isinstance(acc, dict) or not all(isinstance(acc.get(k), int) for k in ("input", "joined", "outside",
                                                                                  "rejected")):
        return p + [f"summary.json: accounting.households needs integers input, joined, outside, rejected: {acc}"]
    if acc["input"] != acc["joined"] + acc["outside"] + acc["rejected"]:
        p.append(f"summary.json: accounting does not add up: {acc}")
    if min(acc.values()) < 0:
        p.append(f"summary.json: negative counts in accounting: {acc}")
    for k in ("overlaps", "repaired_polygons"):
        if not isinstance(s[k], int) or s[k] < 0:
            p.append(f"summary.json: {k} = {s[k]!r}, want a count")
    t = s["timings_s"]
    if not isinstance(t, dict) or not t or not all(isinstance(v, (int, float)) and v >= 0 for v in t.values()):
        p.append("summary.json: timings_s must map stages to seconds ≥ 0")

    # Inputs: every layer of the scenario, with the sha256 and feature count of the file itself.
    wanted = ["hamlets", "households"] + [k for k in ("speakers", "teams") if out.scenario.get(k)]
    if out.optimizing and ((out.scenario.get("optimize") or {}).get("candidates") or {}).get("path"):
        wanted.append("candidates")
    for name in wanted:
        if name not in s["inputs"]:
            p.append(f"summary.json: inputs lack '{name}'")
    for name, info in s["inputs"].items():
        if not isinstance(info, dict) or not {"path", "sha256", "features"} <= set(info):
            p.append(f"summary.json: inputs.{name} needs path, sha256 and features")
            continue
        path = Path(info["path"])
        if not path.is_file():
            p.append(f"summary.json: inputs.{name}.path {path} is not a file")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if str(info["sha256"]).lower() != digest:
            p.append(f"summary.json: inputs.{name}.sha256 {info['sha256']} is not the file's ({digest})")
        try:
            rows = _count_input_rows(path, info.get("layer"))
            if info["features"] != rows:
                p.append(f"summary.json: inputs.{name}.features = {info['features']}, the file has {rows}")
        except (RuntimeError, OSError, UnicodeDecodeError) as e:
            p.append(f"summary.json: inputs.{name}: cannot count the file's rows: {e}")
    hh = s["inputs"].get("households") or {}
    if "features" in hh and hh["features"] != acc["input"]:
        p.append(f"summary.json: accounting input {acc['input']} ≠ inputs.households.features {hh['features']}")

    # Working CRS: the scenario's, or the UTM zone of the hamlets when auto (DESIGN §3).
    working = str(out.scenario.get("working_crs", "auto"))
    if working.lower() != "auto" and str(s.get("working_crs", "")).upper() != working.upper():
        p.append(f"summary.json: working_crs {s.get('working_crs')!r}, the scenario says {working!r}")
    if working.lower() == "auto" and out.summary_epsg is not None and not (
            32601 <= out.summary_epsg <= 32660 or 32701 <= out.summary_epsg <= 32760):
        p.append(f"summary.json: working_crs EPSG:{out.summary_epsg} is not a WGS 84 / UTM zone (auto)")

    # Parameters: the scenario after defaults.
    params = s["parameters"]
    _compare_parameters(out.scenario, params, [], p, out.scenario_path.parent)
    for block, key in (("acoustics", "ambient_dba"), ("acoustics", "required_snr_db"), ("target", "weights"),
                       ("output", "formats"), ("output", "languages"), ("output", "raster_cell_m")):
        if key not in ((params.get(block) or {}) if isinstance(params, dict) else {}):
            p.append(f"summary.json: parameters.{block}.{key} missing (defaults must be filled in)")

    if out.optimizing:
        p += _check_optimizer(out)
    elif s.get("optimizer"):
        p.append("summary.json: optimizer figures although the scenario has no optimize block")
    return p


def _check_optimizer(out: Output) -> list[str]:
    o = out.summary.get("optimizer")
    if not isinstance(o, dict):
        return ["summary.json: no 'optimizer' although the scenario optimizes"]
    miss = [k for k in ("objective", "bound", "gap", "solver", "status") if k not in o]
    if miss:
        return [f"summary.json: optimizer lacks {miss}"]
    p = []
    obj, bound, gap = o["objective"], o["bound"], o["gap"]
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in (obj, bound, gap)):
        return [f"summary.json: optimizer objective/bound/gap not finite numbers: {obj}, {bound}, {gap}"]
    if o["status"] not in OPTIMIZER_STATUS:
        p.append(f"summary.json: optimizer status {o['status']!r} not one of {sorted(OPTIMIZER_STATUS)}")
    if not isinstance(o["solver"], str) or not o["solver"]:
        p.append("summary.json: optimizer solver is empty")
    if not 0 <= gap <= 1:
        p.append(f"summary.json: optimizer gap {gap} outside [0, 1]")
    want_gap = abs(bound - obj) / max(abs(bound), abs(obj), 1e-12)
    if not math.isclose(gap, want_gap, abs_tol=1e-6):
        p.append(f"summary.json: optimizer gap {gap}, but |bound − objective| / max(|bound|, |objective|) = {want_gap}")
    if o["status"] == "optimal" and gap > 1e-4:
        p.append(f"summary.json: status optimal with gap {gap}")
    maximising = out.coverage_target is None
    if maximising and obj > bound + 1e-6 * max(1.0, abs(bound)):
        p.append(f"summary.json: objective {obj} above the upper bound {bound}")

    # The proposed sites carry the answer: ranks, marginal gains adding up to the objective.
    if "gpkg" in out.formats and (out.dir / "coverage.gpkg").is_file():
        sites = out.sql("SELECT site_id, kind, rank, marginal_weight, cumulative_weight FROM proposed_sites "
                        "ORDER BY rank")
    elif (out.dir / "proposed_sites.csv").is_file():
        _, rows = out.read_csv("proposed_sites.csv")
        sites = sorted(((r["site_id"], r["kind"], int(r["rank"]), float(r["marginal_weight"]),
                         float(r["cumulative_weight"])) for r in rows), key=lambda r: r[2])
    else:
        return p
    if "sites" in o and o["sites"] != len(sites):
        p.append(f"proposed_sites: {len(sites)} sites, summary.json says {o['sites']}")
    if len({s[0] for s in sites}) != len(sites):
        p.append("proposed_sites: site_id repeated")
    if [s[2] for s in sites] != list(range(1, len(sites) + 1)):
        p.append("proposed_sites: ranks are not 1..n")
    if any(s[3] is None or s[3] < -1e-9 for s in sites):
        p.append("proposed_sites: negative marginal_weight")
    running, broken = 0.0, []
    for site_id, _, _, mw, cw in sites:
        running += mw or 0.0
        if not _close(cw, running, 1e-9, 1e-6):
            broken.append(site_id)
    if broken:
        p.append(f"proposed_sites: cumulative_weight is not the running sum of marginal_weight at {broken[:3]}")
    if maximising and sites and not _close(sites[-1][4], obj, 1e-6, 1e-6):
        p.append(f"proposed_sites: the last cumulative_weight {sites[-1][4]} is not the objective {obj} "
                 "(target weight newly reached)")
    if maximising and not sites and abs(obj) > 1e-9:
        p.append(f"proposed_sites: no site, but objective {obj}")
    kinds = [s[1] for s in sites]
    if maximising and out.budget is None:
        if kinds.count("speaker") > out.new_speakers or kinds.count("team") > out.new_teams:
            p.append(f"proposed_sites: {kinds.count('speaker')} speakers and {kinds.count('team')} teams, "
                     f"more than new_speakers = {out.new_speakers}, new_teams = {out.new_teams}")
    elif out.budget is not None and None not in out.costs.values():
        cost = kinds.count("speaker") * out.costs["speaker"] + kinds.count("team") * out.costs["team"]
        if cost > out.budget * (1 + 1e-12):
            p.append(f"proposed_sites: cost {cost} VND above the budget {out.budget}")
    return p


# ---- report and QGIS project ----------------------------------------------------------------

_EXTERNAL = [re.compile(r"<script\b[^>]*\bsrc\s*=", re.I),
             re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//", re.I),
             re.compile(r"<(?:img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//", re.I),
             re.compile(r"@import\s+url\(\s*[\"']?(?:https?:)?//", re.I)]


def check_reports(out: Output) -> list[str]:
    if "html" not in out.formats:
        return []
    p = []
    top = None
    if "csv" in out.formats and (out.dir / "hamlet_gaps.csv").is_file():
        _, rows = out.read_csv("hamlet_gaps.csv")
        top = next((r for r in rows if r["rank"] == "1"), None)
    for lang in out.languages:
        path = out.dir / f"report.{lang}.html"
        try:
            html = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            p.append(f"report.{lang}.html: unreadable as UTF-8: {e}")
            continue
        if not html.lstrip().lower().startswith("<!doctype html>"):
            p.append(f"report.{lang}.html: does not start with <!DOCTYPE html>")
        if not re.search(rf"<html\b[^>]*\blang\s*=\s*[\"']{re.escape(lang)}[\"']", html):
            p.append(f"report.{lang}.html: <html> does not declare lang=\"{lang}\"")
        external = [m.group(0) for rx in _EXTERNAL for m in rx.finditer(html)]
        if external:
            p.append(f"report.{lang}.html: loads outside resources (must work offline): {external[:3]}")
        if "<script" not in html or "leaflet" not in html.lower():
            p.append(f"report.{lang}.html: no inlined script or map library (Leaflet)")
        for other in out.languages:
            if other != lang and f"report.{other}.html" not in html:
                p.append(f"report.{lang}.html: no link to report.{other}.html")
        if top is not None:
            name = top["name"]
            escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            json_escaped = json.dumps(name)[1:-1]
            if not any(v and v in html for v in (name, escaped, json_escaped)):
                p.append(f"report.{lang}.html: the hamlet with the largest gap ({name}) is not in the report")
    return p


def check_qgis_project(out: Output) -> list[str]:
    if "qgis" not in out.formats:
        return []
    path = out.dir / "infogap.qgs"
    try:
        root = _xml_root(path)
    except (OSError, ET.ParseError) as e:
        return [f"infogap.qgs: missing or not XML: {e}"]
    p = []
    if root.tag != "qgis":
        return [f"infogap.qgs: root <{root.tag}>, want <qgis>"]
    authid = root.findtext("projectCrs/spatialrefsys/authid")
    if out.epsg is None or authid != f"EPSG:{out.epsg}":
        p.append(f"infogap.qgs: project CRS {authid}, want EPSG:{out.epsg}")
    if (root.findtext("properties/Paths/Absolute") or "").strip() != "false":
        p.append("infogap.qgs: paths are not relative (properties/Paths/Absolute)")
    sources = []
    for ml in root.iter("maplayer"):
        src = ml.findtext("datasource") or ""
        sources.append(src)
        file_part, _, layername = src.partition("|layername=")
        if file_part.startswith("/") or re.match(r"^[A-Za-z]:", file_part):
            p.append(f"infogap.qgs: absolute data source {src}")
            continue
        target = out.dir / file_part
        if not target.is_file():
            p.append(f"infogap.qgs: data source {src} is not in the output folder")
            continue
        if layername and target.name == "coverage.gpkg" and layername not in out.layer_names():
            p.append(f"infogap.qgs: data source {src}: no such layer")
        styled = ml.find("pipe/rasterrenderer") if ml.get("type") == "raster" else ml.find("renderer-v2")
        if styled is None:
            p.append(f"infogap.qgs: layer {src} carries no style")
    files = {s.partition("|layername=")[0].removeprefix("./") for s in sources}
    layers = {s.partition("|layername=")[2] for s in sources if "coverage.gpkg" in s}
    if "tif" in out.formats:
        p += [f"infogap.qgs: no layer for {r}.tif" for r in RASTERS if f"{r}.tif" not in files]
    if "gpkg" in out.formats:
        p += [f"infogap.qgs: no layer for coverage.gpkg|{n}" for n in out.spatial_layers() if n not in layers]
    tree_ids = {e.get("id") for e in root.iter("layer-tree-layer")}
    layer_ids = {ml.findtext("id") for ml in root.iter("maplayer")}
    if tree_ids != layer_ids:
        p.append("infogap.qgs: the layer tree and the map layers name different layers")
    return p


CHECKS = {
    "files": check_files,
    "geopackage": check_geopackage,
    "csv_tables": check_csv_tables,
    "rejects": check_rejects,
    "rasters": check_rasters,
    "shapefiles": check_shapefiles,
    "summary": check_summary,
    "reports": check_reports,
    "qgis_project": check_qgis_project,
}


def check_all(out: Output) -> list[str]:
    problems = []
    for check in CHECKS.values():
        problems += check(out)
    return problems
