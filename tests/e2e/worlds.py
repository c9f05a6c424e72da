"""Small synthetic provinces for the end-to-end tests, built by `infogap synth` and then edited the
way a user would edit their inputs (statuses rewritten, scenario keys changed)."""
import csv
import gzip
from pathlib import Path

import yaml

from conftest import run_cli


def synth_province(infogap, folder, households=1500, seed=5, cell_m=250):
    """`infogap synth` into folder; returns the scenario as a dict (raster cells coarsened so a run
    takes about a second)."""
    folder = Path(folder)
    run_cli(infogap, "synth", "--households", households, "--seed", seed, "-o", folder, "--quiet")
    sc = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    sc["output"]["raster_cell_m"] = cell_m
    return sc


def read_households(folder, sc):
    path = Path(folder) / sc["households"]["path"]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def rewrite_statuses(folder, sc, new_status):
    """Writes households.csv with each row's poverty status replaced by new_status(row) (None keeps
    it) and points the scenario at it. Returns the number of rows changed."""
    fields, rows = read_households(folder, sc)
    column = sc["households"].get("status", "poverty")
    changed = 0
    for r in rows:
        s = new_status(r)
        if s is not None and s != r[column]:
            r[column] = s
            changed += 1
    with open(Path(folder) / "households.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    sc["households"]["path"] = "households.csv"
    return changed


def write_scenario(folder, sc, name):
    path = Path(folder) / name
    path.write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    return path
