"""CI-sized national check (issue 15 item 7): a million households in four synthetic provinces
(`infogap synth --scale national --provinces 4`), run partitioned by province and unpartitioned.
The roll-up's tables equal the unpartitioned run's, the roll-up sums equal the parts, and every
household is counted once — reached or not, target or not, joined or outside or rejected — per
province and nationally."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from conftest import run_cli

PROVINCES = 4
HOUSEHOLDS = 1_000_000


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runs(infogap, tmp_path_factory):
    d = tmp_path_factory.mktemp("national_check")
    run_cli(infogap, "synth", "--scale", "national", "--provinces", PROVINCES, "--households", HOUSEHOLDS, "-o", d,
            "--quiet", timeout=600)
    s = yaml.safe_load((d / "scenario.yaml").read_text(encoding="utf-8"))
    s["output"]["formats"] = ["csv"]
    (d / "part.yaml").write_text(yaml.safe_dump(s, allow_unicode=True), encoding="utf-8")
    s["output"]["partition_by"] = None
    (d / "whole.yaml").write_text(yaml.safe_dump(s, allow_unicode=True), encoding="utf-8")
    run_cli(infogap, "coverage", d / "part.yaml", "-o", d / "part", "--quiet", timeout=600)
    run_cli(infogap, "coverage", d / "whole.yaml", "-o", d / "whole", "--quiet", timeout=600)
    return d / "part", d / "whole", s["hamlets"]["group_by"]


def test_partitioned_tables_equal_unpartitioned(runs):
    part, whole, groups = runs
    for name in ["hamlet_gaps.csv"] + [f"{g}_gaps.csv" for g in groups]:
        assert read_csv(part / name) == read_csv(whole / name), name
    assert len(read_csv(part / "province_gaps.csv")) == PROVINCES


def test_rollup_sums_equal_the_parts_and_every_household_counts_once(runs):
    part, whole, _ = runs
    nat, ref = summary(part), summary(whole)
    h = nat["accounting"]["households"]
    assert h == ref["accounting"]["households"]
    assert h["input"] == HOUSEHOLDS == h["joined"] + h["outside"] + h["rejected"]
    assert nat["whole_input"]["coverage"] == ref["coverage"]
    totals: dict = {}
    joined = 0
    for p in nat["partitions"]:
        s = summary(part / p["folder"])
        a, c = s["accounting"]["households"], s["coverage"]
        assert a["input"] == a["joined"] and a["outside"] == a["rejected"] == 0 and s["accounting"]["identity_holds"]
        assert c["reached_any"] + c["gap_households"] == c["target_households"] <= a["joined"]
        assert c == p["coverage"]
        hamlets = read_csv(part / p["folder"] / "hamlet_gaps.csv")
        assert sum(int(r["households"]) for r in hamlets) == a["joined"]
        assert sum(int(r["gap_households"]) for r in hamlets) == c["gap_households"]
        joined += a["joined"]
        for k, v in c.items():
            totals[k] = totals.get(k, 0) + v
    assert joined == h["joined"]
    assert totals == pytest.approx(nat["coverage"])
    # nationally: the parts plus the households outside every hamlet are the whole input
    w = ref["coverage"]
    assert w["reached_any"] + w["gap_households"] == w["target_households"]
    assert nat["coverage"]["target_households"] <= w["target_households"]
    if h["outside"] == 0:
        assert nat["coverage"] == pytest.approx(w)
