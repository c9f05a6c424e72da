"""The Python front of partitioned runs (DESIGN.md §5 "Partitioned runs", §6): infogap.partitions,
run/coverage(partition=...) and infogap.rollup — the units infogap.distributed hands to workers —
against the CLI's own listing and the whole partitioned run."""
import json
import subprocess
from pathlib import Path

import pytest

import infogap


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    d = tmp_path_factory.mktemp("country")
    s = infogap.synth(d, households=6000, scale="national", provinces=2)
    assert s["hamlets"] > 0
    sc = infogap.Scenario.from_yaml(s["scenario"]).with_overrides(
        output={"formats": ["csv", "gpkg"], "partition_by": "province"}, optimize={"enabled": False})
    return d, sc


def test_partitions_match_the_cli(country, cli):
    d, sc = country
    listed = infogap.partitions(sc)
    assert [p["folder"] for p in listed] == ["tinh-001", "tinh-002"]
    cli_list = json.loads(subprocess.run([str(cli), "partitions", str(d / "scenario.yaml"), "--json"],
                                         capture_output=True, text=True, check=True).stdout)
    assert listed == cli_list


def test_each_partition_then_rollup_equals_the_whole_run(country, tmp_path):
    d, sc = country
    whole = infogap.coverage(sc, output_dir=tmp_path / "whole")
    assert whole.output_dir
    for p in infogap.partitions(sc):
        infogap.coverage(sc, output_dir=tmp_path / "split", partition=p["value"])
    with pytest.raises(ValueError, match="not written yet"):
        infogap.rollup(sc, tmp_path / "none")
    rolled = infogap.rollup(sc, tmp_path / "split")
    want = json.loads((tmp_path / "whole" / "summary.json").read_text(encoding="utf-8"))
    assert "timings_s" in want and "timings_s" not in rolled  # only a whole run has stages to time
    for s in (rolled, want):
        s.pop("output_dir")
        s.pop("timings_s", None)
    assert rolled == want
    for name in ("hamlet_gaps.csv", "province_gaps.csv"):
        assert (tmp_path / "split" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()


def test_partition_keyword_needs_partition_by_and_an_output(country, tmp_path):
    d, sc = country
    with pytest.raises(ValueError, match="output_dir"):
        infogap.coverage(sc, partition="Tỉnh 001")
    plain = sc.with_overrides(output={"partition_by": None})
    with pytest.raises(ValueError, match="partition_by"):
        infogap.run(plain, output_dir=tmp_path, partition="Tỉnh 001")
    with pytest.raises(ValueError, match="no partition 'Tỉnh 9'"):
        infogap.run(sc, output_dir=tmp_path, partition="Tỉnh 9")
