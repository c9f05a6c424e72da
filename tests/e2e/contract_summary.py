"""The contract of the run folder (DESIGN §5), continued: summary.json, the optimizer, reports and the QGIS project (see contract.py)."""
import csv
import gzip
import hashlib
import json
import math
import re
from pathlib import Path
from osgeo import gdal

from contract import (  # noqa: E402  shared schema and helpers
    ET,
    OPTIMIZER_STATUS,
    Output,
    RASTERS,
    _close,
    _number,
    _xml_root)


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
