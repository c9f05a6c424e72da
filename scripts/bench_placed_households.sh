#!/usr/bin/env bash
# Bench (DESIGN.md §3 "demand"): the bundled province run as given, then with its 225,600
# households listed by hamlet id without coordinates and placed on a footprint layer (one 12 m
# footprint around each true location). Prints the load times and the total run times of both.
# Usage: scripts/bench_placed_households.sh <infogap binary> <work folder>
set -euo pipefail
exe=$(realpath "$1")
work=$(realpath -m "$2")
data=$(realpath "$(dirname "$0")/../data/bac_lieu")
mkdir -p "$work"
cd "$work"
sed -e "s#path: #path: $data/#" -e '/^optimize:/,/^  candidates/d' "$data/scenario.yaml" |
  sed -e 's#formats: .*#formats: [gpkg, csv, html]#' -e "s#dir: out#dir: $work/out_surveyed#" > surveyed.yaml
/usr/bin/time -f "surveyed run: %e s wall, %M KB" "$exe" run surveyed.yaml --quiet
# The listed households (no coordinates) and the footprints, from the surveyed run's households.
ogr2ogr -f CSV listed.csv out_surveyed/coverage.gpkg -dialect sqlite \
  -sql "SELECT household_id, hamlet_id, poverty FROM households WHERE hamlet_id IS NOT NULL"
ogr2ogr -f GPKG footprints.gpkg out_surveyed/coverage.gpkg -nln footprints -dialect sqlite \
  -sql "SELECT ST_Buffer(geom, 6, 1) AS geom FROM households WHERE hamlet_id IS NOT NULL"
python3 - "$work" <<'PY'
import re, sys
w = sys.argv[1]
s = open(f"{w}/surveyed.yaml", encoding="utf-8").read()
s = re.sub(r"households:\n(  .*\n)+", f"households:\n  path: {w}/listed.csv\n  id: household_id\n  status: poverty\n  hamlet: hamlet_id\n", s)
s = s.replace(f"{w}/out_surveyed", f"{w}/out_placed")
s += f"demand:\n  footprints: {{path: {w}/footprints.gpkg, layer: footprints}}\n"
open(f"{w}/placed.yaml", "w", encoding="utf-8").write(s)
PY
/usr/bin/time -f "placed run: %e s wall, %M KB" "$exe" run placed.yaml --quiet
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
for k in ("surveyed", "placed"):
    s = json.load(open(f"{w}/out_{k}/summary.json", encoding="utf-8"))
    t = s.get("timings_s") or s.get("timings") or {}
    print(k, "households:", s["accounting"]["households"], "timings:", json.dumps(t))
PY
