"""Shared fixtures for the end-to-end tests: the built `infogap` binary and one full run of the
bundled scenario, shared by the tests of a session."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Reports carry a "generated at" time; pinning it (reproducible-builds convention) makes complete
# runs byte-identical, which the determinism and atomicity tests compare.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1732838400")


def pytest_addoption(parser):
    parser.addoption("--infogap", default=os.environ.get("INFOGAP_BIN", str(ROOT / "build" / "bin" / "infogap")),
                     help="path of the built infogap command")


@pytest.fixture(scope="session")
def infogap(request):
    exe = Path(request.config.getoption("--infogap"))
    if not exe.exists():
        pytest.fail(f"infogap binary not found at {exe}; build first")
    return exe


@pytest.fixture(scope="session")
def bundled_scenario():
    s = ROOT / "data" / "bac_lieu" / "scenario.yaml"
    assert s.exists(), "bundled data missing: data/bac_lieu/scenario.yaml"
    return s


def run_cli(exe, *args, check=True, env=None, timeout=900):
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=e, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"infogap {' '.join(map(str, args))} exited {p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


@pytest.fixture(scope="session")
def bundled_run(infogap, bundled_scenario, tmp_path_factory):
    """`infogap run` on the bundled scenario, once per session."""
    out = tmp_path_factory.mktemp("bundled_run")
    run_cli(infogap, "run", bundled_scenario, "-o", out, "--quiet")
    return out


def load_summary(out):
    return json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))
