"""Atomic outputs (DESIGN §5): `infogap run` killed with SIGKILL at seeded random moments leaves, in
its output folder, either nothing, the previous complete outputs, or the new complete outputs —
never a truncated file. summary.json, written last, marks a complete set: when it is present every
file matches a complete reference run of the same inputs. Half of the trials run into a folder that
holds a complete run of *other* inputs (province B), so a mix of old and new files would show.

Outputs are deterministic except coverage.gpkg (timestamps) and summary.json (timings): those two
are checked by content (layers and feature counts; accounting), every other file by sha256."""
import csv
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from osgeo import gdal, ogr

from conftest import run_cli

# Reports carry a "generated at" time: pin it so complete runs are byte-identical.
os.environ["SOURCE_DATE_EPOCH"] = "1732838400"

gdal.UseExceptions()
ogr.UseExceptions()

TRIALS = 24
SEED = 20240601
STAGING = ".infogap-staging-"
NOT_BYTE_STABLE = {"coverage.gpkg", "summary.json"}


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def content_hash(path):
    """sha256 of a file; for a report, of its text without the output folder it names (a run copied
    or written elsewhere names another folder)."""
    if path.name.endswith(".html"):
        text = re.sub(r'<dd class="output-dir">[^<]*</dd>', "", path.read_text(encoding="utf-8"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    return sha256(path)


def gpkg_layers(path):
    ds = ogr.Open(str(path))
    return {ds.GetLayer(i).GetName(): ds.GetLayer(i).GetFeatureCount() for i in range(ds.GetLayerCount())}


class Reference:
    """A complete run: file names with their sha256 and, for coverage.gpkg, its layers."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.files = {p.name: content_hash(p) for p in self.folder.iterdir()}
        self.layers = gpkg_layers(self.folder / "coverage.gpkg")
        self.summary = json.loads((self.folder / "summary.json").read_text(encoding="utf-8"))
        self.households_sha = self.summary["inputs"]["households"]["sha256"]


def make_province(infogap, folder, households, seed):
    run_cli(infogap, "synth", "--households", households, "--seed", seed, "-o", folder, "--quiet")
    sc = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    sc["output"]["raster_cell_m"] = 200          # a run of about a second
    (folder / "fast.yaml").write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
    return folder / "fast.yaml"


@pytest.fixture(scope="module")
def provinces(infogap, tmp_path_factory):
    root = tmp_path_factory.mktemp("atomic")
    a = make_province(infogap, root / "a", 400, 7)
    b = make_province(infogap, root / "b", 300, 8)
    t0 = time.monotonic()
    run_cli(infogap, "run", a, "-o", root / "ref_a", "--quiet")
    seconds_a = time.monotonic() - t0
    run_cli(infogap, "run", b, "-o", root / "ref_b", "--quiet")
    ref_a, ref_b = Reference(root / "ref_a"), Reference(root / "ref_b")
    assert ref_a.households_sha != ref_b.households_sha
    return a, ref_a, ref_b, seconds_a


def opens(path):
    """The file parses with the reader its format calls for."""
    name = path.name
    if name.endswith((".tif",)):
        ds = gdal.Open(str(path))
        ds.GetRasterBand(1).Checksum()
    elif name.endswith(".shp"):
        ds = ogr.Open(str(path))
        assert ds.GetLayer(0).GetFeatureCount() >= 0
    elif name.endswith(".csv"):
        with open(path, encoding="utf-8", newline="") as f:
            list(csv.reader(f))
    elif name.endswith(".json"):
        json.loads(path.read_text(encoding="utf-8"))
    elif name.endswith((".qgs", ".qml")):
        ElementTree.parse(path)
    elif name.endswith(".html"):
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    elif name.endswith(".gpkg"):
        gpkg_layers(path)


def matches(path, ref):
    """The file is the reference run's file of that name (by content for the two unstable ones)."""
    name = path.name
    if name not in ref.files:
        return False
    if name == "coverage.gpkg":
        return gpkg_layers(path) == ref.layers
    if name == "summary.json":
        s = json.loads(path.read_text(encoding="utf-8"))
        return s["inputs"]["households"]["sha256"] == ref.households_sha and s["accounting"] == ref.summary["accounting"]
    return content_hash(path) == ref.files[name]


def check_folder(out, refs):
    """Returns the state: 'empty', or the name of the reference whose complete set is there, or
    'partial' (no summary.json: an interrupted commit; each file still whole)."""
    entries = sorted(os.listdir(out)) if out.exists() else []
    hidden = [e for e in entries if e.startswith(".")]
    assert all(e.startswith(STAGING) for e in hidden), f"unexpected hidden entries {hidden}"
    visible = [out / e for e in entries if not e.startswith(".")]
    for p in visible:
        assert p.is_file(), p
        opens(p)
        assert any(matches(p, r) for r in refs.values()), f"{p.name} matches no complete run (truncated or mixed?)"
    if not visible:
        return "empty"
    if (out / "summary.json").exists():
        s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        a = s["accounting"]["households"]
        assert a["input"] == a["joined"] + a["outside"] + a["rejected"]
        owner = [k for k, r in refs.items() if r.households_sha == s["inputs"]["households"]["sha256"]]
        assert len(owner) == 1
        ref = refs[owner[0]]
        assert sorted(p.name for p in visible) == sorted(ref.files), "summary.json beside an incomplete set"
        for p in visible:
            assert matches(p, ref), f"{p.name} is not from the run summary.json describes"
        return owner[0]
    return "partial"


@pytest.mark.e2e
def test_sigkill_at_random_moments_leaves_no_partial_output(infogap, provinces, tmp_path):
    scenario, ref_a, ref_b, seconds_a = provinces
    refs = {"new": ref_a, "previous": ref_b}
    rng = random.Random(SEED)
    states = []
    staging_left = 0
    for trial in range(TRIALS):
        out = tmp_path / f"trial{trial}"
        with_previous = trial % 2 == 1
        if with_previous:
            shutil.copytree(ref_b.folder, out)
        delay = rng.uniform(0.02, 1.3) * seconds_a
        p = subprocess.Popen([str(infogap), "run", str(scenario), "-o", str(out), "--quiet"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        killed = p.poll() is None
        if killed:
            p.send_signal(signal.SIGKILL)
        rc = p.wait(timeout=120)
        err = p.stderr.read().decode("utf-8", "replace")
        p.stderr.close()
        if not killed:
            assert rc == 0, err
        state = check_folder(out, refs)
        if not killed:
            assert state == "new", f"trial {trial}: finished run left state {state}"
        if not with_previous:
            assert state in ("empty", "new", "partial"), state
        staging_left += sum(1 for e in os.listdir(out) if e.startswith(STAGING)) if out.exists() else 0
        states.append((trial, round(delay, 3), killed, state))
    print("\n".join(map(str, states)))
    # The kills must have hit the interesting phases: some before any output, some while writing.
    assert any(s[2] and s[3] in ("empty", "previous") for s in states), states
    assert staging_left >= 1, f"no kill landed while outputs were being staged: {states}"

    # The next run into a folder left by a kill removes the dead run's staging folder and completes.
    for trial, _, killed, _ in states:
        out = tmp_path / f"trial{trial}"
        if killed and out.exists() and any(e.startswith(STAGING) for e in os.listdir(out)):
            run_cli(infogap, "run", scenario, "-o", out, "--quiet")
            assert not any(e.startswith(STAGING) for e in os.listdir(out))
            assert check_folder(out, refs) == "new"
            break
