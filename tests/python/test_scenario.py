"""Scenario round trips (from_yaml / from_dict / to_dict / to_yaml) and the mapping of engine
errors to Python exceptions (STYLE.md §8)."""
import os
from pathlib import Path

import pytest
import yaml

import infogap

MINIMAL = {"hamlets": {"path": "hamlets.gpkg"}, "households": {"path": "households.csv"}}


def test_from_yaml_reads_the_bundled_scenario(bundled_scenario):
    sc = infogap.Scenario.from_yaml(bundled_scenario)
    d = sc.to_dict()
    raw = yaml.safe_load(bundled_scenario.read_text(encoding="utf-8"))  # independent reading of the file
    assert sc.name == raw["name"]
    assert sc.source_path == str(bundled_scenario.resolve())
    assert d["hamlets"]["group_by"] == raw["hamlets"]["group_by"]
    # relative paths resolve against the scenario's folder
    assert d["hamlets"]["path"] == str(bundled_scenario.parent.resolve() / raw["hamlets"]["path"])
    assert d["speakers"]["model"] == "iso9613"
    assert d["optimize"]["new_speakers"] == raw["optimize"]["new_speakers"]
    # a key the file leaves out gets its documented default (DESIGN.md §3)
    assert d["acoustics"]["ambient_dba"] == 45.0
    assert d["target"]["weights"] == {"poor": 1.0, "near_poor": 0.5, "not_poor": 0.0}


def test_dict_round_trip_gives_an_equal_scenario(bundled_scenario):
    sc = infogap.Scenario.from_yaml(bundled_scenario)
    again = infogap.Scenario.from_dict(sc.to_dict())
    assert again.to_dict() == sc.to_dict()
    assert again.source_path == ""            # built from a dict, not a file
    assert again != sc                        # C++ equality includes source_path
    from_text = infogap.Scenario.from_yaml_string(sc.to_yaml(), bundled_scenario.parent)
    assert from_text.to_dict() == sc.to_dict()
    assert infogap.Scenario.from_yaml(bundled_scenario) == sc


def test_from_dict_resolves_relative_paths_against_base_dir(tmp_path):
    sc = infogap.Scenario.from_dict(MINIMAL, base_dir=tmp_path)
    d = sc.to_dict()
    assert d["hamlets"]["path"] == str(tmp_path / "hamlets.gpkg")
    assert d["households"]["crs"] == "EPSG:4326"   # the CSV default
    assert d["speakers"] is None and d["teams"] is None
    assert d["output"]["dir"] == str(tmp_path / "out")


def test_from_dict_accepts_paths_and_numpy_scalars(tmp_path):
    import numpy as np

    d = {"hamlets": {"path": tmp_path / "h.gpkg"}, "households": {"path": Path("hh.csv")},
         "acoustics": {"ambient_dba": np.float64(52.5)}}
    sc = infogap.Scenario.from_dict(d, base_dir=tmp_path)
    assert sc.to_dict()["acoustics"]["ambient_dba"] == 52.5
    assert sc.to_dict()["households"]["path"] == str(tmp_path / "hh.csv")


def test_with_overrides_deep_merges(bundled_scenario):
    sc = infogap.Scenario.from_yaml(bundled_scenario)
    other = sc.with_overrides(acoustics={"ambient_dba": 55}, output={"formats": ["csv"]})
    d0, d1 = sc.to_dict(), other.to_dict()
    assert d1["acoustics"]["ambient_dba"] == 55.0
    assert d1["acoustics"]["humidity_pct"] == d0["acoustics"]["humidity_pct"]   # untouched sibling key
    assert d1["output"]["formats"] == ["csv"]
    assert d1["hamlets"] == d0["hamlets"]


def test_scenario_defaults_lists_every_key():
    keys = dict(infogap.scenario_defaults())
    assert keys["acoustics.ambient_dba"] in ("45", "45.0")
    assert "optimize.time_limit_s" in keys and "output.formats" in keys


# --- errors -------------------------------------------------------------------------------------

def test_exception_hierarchy():
    assert issubclass(infogap.Error, RuntimeError)
    assert issubclass(infogap.InvalidInput, infogap.Error) and issubclass(infogap.InvalidInput, ValueError)
    assert issubclass(infogap.IoError, infogap.Error) and issubclass(infogap.IoError, OSError)
    assert not issubclass(infogap.InvalidInput, OSError)
    assert not issubclass(infogap.IoError, ValueError)


def test_missing_scenario_file_is_an_oserror(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(OSError) as info:
        infogap.Scenario.from_yaml(missing)
    e = info.value
    assert isinstance(e, infogap.IoError) and isinstance(e, infogap.Error)
    assert e.code == "io" and e.exit_code == 1
    assert str(missing) in str(e) and e.file == str(missing)


def test_missing_layer_file_is_an_oserror_at_load(tmp_path):
    sc = infogap.Scenario.from_dict(MINIMAL, base_dir=tmp_path)
    with pytest.raises(infogap.IoError) as info:
        infogap.coverage(sc)
    assert "hamlets.gpkg" in str(info.value) and info.value.code == "io"


def test_unknown_key_is_a_valueerror_with_a_suggestion():
    with pytest.raises(ValueError) as info:
        infogap.Scenario.from_dict({**MINIMAL, "acoustics": {"ambient_dab": 50}})
    e = info.value
    assert isinstance(e, infogap.InvalidInput)
    assert e.code == "invalid_scenario"
    assert "ambient_dab" in str(e) and "did you mean" in str(e) and "ambient_dba" in str(e)


def test_unknown_override_fails_naming_the_keyword_with_a_suggestion(bundled_scenario):
    with pytest.raises(infogap.InvalidInput, match="unknown keyword 'acoustic' — did you mean acoustics?"):
        infogap.coverage(bundled_scenario, acoustic={"ambient_dba": 50})


def test_out_of_range_value_is_a_valueerror():
    with pytest.raises(infogap.InvalidInput) as info:
        infogap.Scenario.from_dict({**MINIMAL, "acoustics": {"humidity_pct": 150}})
    assert "humidity_pct" in str(info.value)


def test_malformed_yaml_is_a_valueerror(tmp_path):
    with pytest.raises(ValueError, match="line"):
        infogap.Scenario.from_yaml_string("hamlets: [unclosed\n", tmp_path)


def test_non_scenario_argument_is_a_typeerror():
    with pytest.raises(TypeError):
        infogap.coverage(42)


def test_paths_accept_os_pathlike(bundled_scenario):
    assert infogap.Scenario.from_yaml(os.fspath(bundled_scenario)) == infogap.Scenario.from_yaml(bundled_scenario)
