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
import json
import math
import re
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
#: `proposed_sites`, after <group_by…>: where, in a planner's terms (the candidate, names, WGS 84).
SITE_PLACE_COLUMNS = ["candidate_id", "candidate_name", "candidate_type", "hamlet_name", "commune_name",
                      "lon", "lat"]
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
                "cost_vnd": 0, "lon": 6, "lat": 6}
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
             "proposed_sites": SITE_COLUMNS + out.groups + SITE_PLACE_COLUMNS}
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
    bad = out.count("SELECT COUNT(*) FROM proposed_sites s JOIN hamlets h ON s.hamlet_id = h.hamlet_id "
                    "WHERE s.hamlet_name IS NOT h.name")
    if bad:
        p.append(f"coverage.gpkg/proposed_sites: {bad} sites whose hamlet_name is not their hamlet's name")
    # lon/lat: the point geometry reprojected by OSR (independent of the engine's PROJ call).
    lyr = out.gpkg().GetLayerByName("proposed_sites")
    wgs84 = osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_wgs84 = osr.CoordinateTransformation(lyr.GetSpatialRef(), wgs84)
    far = []
    for f in lyr:
        g = f.GetGeometryRef()
        lon, lat, _ = to_wgs84.TransformPoint(g.GetX(), g.GetY())
        if not (abs(f.GetField("lon") - lon) <= 1e-6 and abs(f.GetField("lat") - lat) <= 1e-6):
            far.append((f.GetField("site_id"), f.GetField("lon"), f.GetField("lat"), round(lon, 7), round(lat, 7)))
    lyr.ResetReading()
    if far:
        p.append(f"coverage.gpkg/proposed_sites: {len(far)} sites whose lon/lat is not their point in WGS 84, "
                 f"e.g. {far[:3]}")
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
        if not _in_order(sheader, SITE_COLUMNS + out.groups + SITE_PLACE_COLUMNS):
            p.append(f"proposed_sites.csv: header {sheader}, want {SITE_COLUMNS + out.groups + SITE_PLACE_COLUMNS} "
                     "in order")
        elif "gpkg" in out.formats and (out.dir / "coverage.gpkg").is_file():
            layer = {(r[0], r[1], r[2]) for r in out.sql("SELECT site_id, kind, rank FROM proposed_sites")}
            rows_ = {(r["site_id"], r["kind"], int(r["rank"])) for r in srows}
            if layer != rows_:
                p.append("proposed_sites.csv: sites differ from the proposed_sites layer")
            else:
                cols = [c for c in SITE_COLUMNS + ["cost_vnd"] + SITE_PLACE_COLUMNS if c in sheader]
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


# The checks of the other files live beside this module (split by what they read).
from contract_gis import check_rasters, check_shapefiles  # noqa: E402
from contract_summary import check_qgis_project, check_reports, check_summary  # noqa: E402


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
