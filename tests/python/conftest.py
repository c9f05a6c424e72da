"""Fixtures of the Python tests: the bundled data, the built CLI, and one coverage result of the
bundled scenario shared by the session (the engine takes ~2 s on it)."""
import os
from pathlib import Path

import pytest

import infogap

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    d = Path(os.environ.get("INFOGAP_DATA_DIR", ROOT / "data"))
    assert (d / "bac_lieu" / "scenario.yaml").exists(), f"bundled data not found in {d}"
    return d


@pytest.fixture(scope="session")
def bundled_scenario(data_dir) -> Path:
    return data_dir / "bac_lieu" / "scenario.yaml"


@pytest.fixture(scope="session")
def cli() -> Path:
    exe = os.environ.get("INFOGAP_CLI")
    if not exe or not Path(exe).exists():
        pytest.fail("INFOGAP_CLI must name the built `infogap` binary (ctest sets it)")
    return Path(exe)


@pytest.fixture(scope="session")
def csv_only_scenario(bundled_scenario) -> infogap.Scenario:
    """The bundled scenario writing only CSV outputs (fast)."""
    return infogap.Scenario.from_yaml(bundled_scenario).with_overrides(output={"formats": ["csv"]})


@pytest.fixture(scope="session")
def bundled_result(bundled_scenario) -> infogap.Result:
    return infogap.coverage(bundled_scenario)
