"""infogap.distributed on a real dask.distributed LocalCluster of 2 worker processes (1 thread each):
a sweep writes, run by run, the same files as infogap.run on this machine; its index holds each
run's overrides and the figures of its summary.json; a failing run is recorded with the engine's
message while the others finish; the partitions of a small multi-province synth run as tasks equal
the single-machine partitioned `infogap run` file for file (roll-up included); the CLI works against
real `dask scheduler` / `dask worker` processes; the README's "Beyond one machine" Python runs as written."""
import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import infogap
from infogap import distributed as dist
from same_outputs import assert_same_outputs, differences

pytestmark = pytest.mark.distributed

ROOT = Path(__file__).resolve().parents[2]
ALL_FORMATS = ["gpkg", "shp", "tif", "csv", "html", "qgis", "xlsx"]
GRID = {"acoustics.ambient_dba": [40, 55], "optimize.new_teams": [0, 3]}


@pytest.fixture(scope="module", autouse=True)
def pinned_report_time():
    """The reports carry a "generated at" minute: pin it here and on the workers (started after)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1732838400"
    yield
    if old is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """A small synthetic province (64 communes, 20 000 households) writing every output, 100 m cells."""
    d = tmp_path_factory.mktemp("province")
    infogap.synth(d, households=20000, seed=7)
    sc = infogap.Scenario.from_yaml(d / "scenario.yaml").with_overrides(
        output={"raster_cell_m": 100, "formats": ALL_FORMATS})
    (d / "run.yaml").write_text(sc.to_yaml(), encoding="utf-8")
    return d / "run.yaml"


@pytest.fixture(scope="module")
def cluster(pinned_report_time):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as c, \
            Client(c) as client:
        yield client


@pytest.fixture(scope="module")
def grid_sweep(province, cluster, tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    return dist.sweep(province, root, grid=GRID, client=cluster)


def test_grid_runs_are_named_in_cartesian_order():
    runs = dist.expand_grid({"acoustics.ambient_dba": [40, 55.5], "optimize.budget": [1e9, 2e9],
                             "x.ambient_dba": ["Hộ nghèo"]})
    assert [name for name, _ in runs] == [
        "acoustics.ambient_dba=40__budget=1000000000__x.ambient_dba=ho-ngheo",
        "acoustics.ambient_dba=40__budget=2000000000__x.ambient_dba=ho-ngheo",
        "acoustics.ambient_dba=55.5__budget=1000000000__x.ambient_dba=ho-ngheo",
        "acoustics.ambient_dba=55.5__budget=2000000000__x.ambient_dba=ho-ngheo"]
    assert runs[1][1] == {"acoustics.ambient_dba": 40, "optimize.budget": 2e9, "x.ambient_dba": "Hộ nghèo"}


def test_a_bad_grid_fails_before_anything_runs(province, tmp_path):
    # No cluster: the scenarios are checked here, first, every bad run named with the engine's message.
    with pytest.raises(infogap.InvalidInput, match=r"new_teams=-1: .*optimize\.new_teams.*between") as e:
        dist.sweep(province, tmp_path / "s", grid={"optimize.new_teams": [2, -1]}, client="tcp://127.0.0.1:1")
    assert "new_teams=2" not in str(e.value)
    with pytest.raises(infogap.InvalidInput, match="ambient"):
        dist.sweep(province, tmp_path / "s", grid={"acoustics.ambient": [40]}, client="tcp://127.0.0.1:1")
    with pytest.raises(infogap.InvalidInput, match="several runs would share the folder ambient_dba=40"):
        dist.sweep(province, tmp_path / "s", grid={"acoustics.ambient_dba": [40, 40.0]}, client="tcp://127.0.0.1:1")
    assert not (tmp_path / "s").exists()


def test_each_run_of_a_grid_equals_the_single_machine_run(province, grid_sweep, tmp_path):
    names = [name for name, _ in dist.expand_grid(GRID)]
    assert [r.name for r in grid_sweep.runs] == names
    assert grid_sweep.ok, grid_sweep.failed
    base = infogap.Scenario.from_yaml(province)
    gaps = set()
    for run, (name, overrides) in zip(grid_sweep.runs, dist.expand_grid(GRID)):
        assert run.overrides == overrides
        serial = tmp_path / name
        infogap.run(base.with_overrides(acoustics={"ambient_dba": overrides["acoustics.ambient_dba"]},
                                        optimize={"new_teams": overrides["optimize.new_teams"]}), output_dir=serial)
        assert_same_outputs(grid_sweep.folder(name), serial)
        summary = json.loads((serial / "summary.json").read_text(encoding="utf-8"))
        assert summary["parameters"]["acoustics"]["ambient_dba"] == overrides["acoustics.ambient_dba"]
        gaps.add(summary["coverage"]["gap_weight"])
    assert len(gaps) == 2        # the ambient level changes the gap; the new teams do not (before placement)


def test_the_index_lists_every_run_with_its_overrides_and_headline(grid_sweep):
    root = grid_sweep.output_root
    doc = json.loads((root / "sweep.json").read_text(encoding="utf-8"))
    assert doc["grid"] == list(GRID)
    with open(root / "sweep.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["run"] for r in rows] == [r["run"] for r in doc["runs"]] == [r.name for r in grid_sweep.runs]
    for row, rec in zip(rows, doc["runs"]):
        summary = json.loads((root / rec["folder"] / "summary.json").read_text(encoding="utf-8"))
        assert rec["status"] == row["status"] == "ok" and rec["error"] is None and row["error"] == ""
        assert float(row["acoustics.ambient_dba"]) == rec["overrides"]["acoustics.ambient_dba"]
        assert int(row["optimize.new_teams"]) == rec["overrides"]["optimize.new_teams"]
        for key in dist.HEADLINE:
            top, *rest = key.split(".")
            want = summary[top]
            for part in rest:
                want = want[part]
            assert rec["headline"][key] == want, key
            assert row[key] == str(want), key
    # the overrides reached the engine: the ambient level changes the gap, the new teams the plan
    # (under U50 a new pole may add nothing where the old poles' echo is heard, so the objective
    # alone need not tell the ambient levels apart)
    cells = {(rec["headline"]["coverage.gap_weight"], rec["headline"]["optimizer.objective"]) for rec in doc["runs"]}
    assert len(cells) == len(doc["runs"])


def test_the_csv_index_neutralises_formulas_as_every_infogap_csv(province, tmp_path):
    runs = dist._plan(province, {"name": ['=HYPERLINK("http://x")', "Ấp 3, Vĩnh Lợi"]})
    for r in runs:
        r.status, r.headline = "ok", {"coverage.gap_weight": -3, "optimizer.status": "optimal"}
    dist._write_index(tmp_path, runs, ["name"])
    with open(tmp_path / "sweep.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["run"] for r in rows] == ["name=hyperlink-http-x", "name=ap-3-vinh-loi"]
    assert rows[0]["name"] == rows[0]["scenario"] == "'=HYPERLINK(\"http://x\")"   # shown as text
    assert rows[1]["name"] == "Ấp 3, Vĩnh Lợi" and rows[1]["coverage.gap_weight"] == "-3"   # numbers as given
    assert rows[0]["error"] == "" and rows[0]["optimizer.gap"] == ""


def test_workers_run_the_engine_on_their_own_threads(grid_sweep, cluster):
    assert set(cluster.run(lambda: __import__("infogap").thread_count()).values()) == {1}


def test_a_failing_run_is_recorded_and_the_others_finish(province, cluster, tmp_path, cli):
    broken = tmp_path / "broken.yaml"
    text = province.read_text(encoding="utf-8")
    hh = re.search(r"^  path: (.*households\.csv\.gz)$", text, re.M)
    assert hh, "households path not found in the scenario text"
    broken.write_text(text.replace(hh.group(1), hh.group(1).replace("households.csv.gz", "gone.csv")),
                      encoding="utf-8")
    result = dist.sweep({"good": province, "broken": broken, "again": province}, tmp_path / "s", client=cluster)
    assert [r.name for r in result.runs] == ["good", "broken", "again"]
    assert [r.status for r in result.runs] == ["ok", "failed", "ok"]
    assert not result.ok and [r.name for r in result.failed] == ["broken"]
    err = result.runs[1].error
    assert "gone.csv" in err and "not found" in err and "households.path" in err, err
    rows = {r["run"]: r for r in csv.DictReader(open(tmp_path / "s" / "sweep.csv", encoding="utf-8"))}
    assert rows["broken"]["status"] == "failed" and rows["broken"]["error"] == err
    assert rows["broken"]["coverage.gap_weight"] == ""
    # A scenario given as a file runs as `infogap run FILE` does (summary.json names the file).
    subprocess.run([str(cli), "run", str(province), "-o", str(tmp_path / "cli"), "--quiet"], check=True)
    assert_same_outputs(result.folder("good"), tmp_path / "cli")
    assert differences(result.folder("again"), tmp_path / "cli") == []


def test_a_list_of_scenarios_is_named_after_them(province, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(province.read_text(encoding="utf-8"), encoding="utf-8")
    runs = dist._plan([province, other], {"acoustics.ambient_dba": [40]})
    label = dist._scenario_label(infogap.Scenario.from_yaml(province))
    assert label.startswith("bac-lieu")
    assert [r.name for r in runs] == [f"{label}-1__ambient_dba=40", f"{label}-2__ambient_dba=40"]


@pytest.fixture
def dask_cli(tmp_path):
    """Starts `dask scheduler` and `dask worker` processes as the README does on several machines
    (here one); yields (scheduler address, start_worker(env) → Popen). Stops them all at the end."""
    procs = []

    def spawn(args, env):
        p = subprocess.Popen(["dask", *args, "--no-dashboard"], env=env, cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(p)
        return p

    bare = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    spawn(["scheduler", "--port", "0", "--scheduler-file", str(tmp_path / "scheduler.json")], bare)
    for _ in range(300):
        if (tmp_path / "scheduler.json").exists():
            break
        time.sleep(0.1)
    address = json.loads((tmp_path / "scheduler.json").read_text())["address"]
    try:
        yield address, lambda env: spawn(["worker", address, "--nworkers", "1", "--nthreads", "1"], env)
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            p.wait(timeout=60)


def test_the_command_line_sweeps_on_dask_worker_processes(province, dask_cli, tmp_path):
    from distributed import Client

    address, start_worker = dask_cli
    out = tmp_path / "cli-sweep"
    cmd = [sys.executable, "-m", "infogap.distributed", "sweep", str(province), "-o", str(out),
           "--grid", "acoustics.ambient_dba=40", "--grid", "optimize.new_teams=[1]", "--scheduler", address]
    # A worker started without PYTHONPATH cannot import infogap: said before anything runs.
    bare = start_worker({k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    with Client(address) as c:
        c.wait_for_workers(1, timeout=120)
        old = set(c.scheduler_info()["workers"])
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert p.returncode == 1 and "cannot import infogap" in p.stderr and "PYTHONPATH" in p.stderr, p.stderr
        assert not (out / "sweep.json").exists()
        bare.terminate()
        bare.wait(timeout=60)
        start_worker(dict(os.environ))       # PYTHONPATH names build/python, as the README says
        for _ in range(1200):
            now = set(c.scheduler_info()["workers"])
            if now and not now & old:
                break
            time.sleep(0.1)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"ok     {out / 'ambient_dba=40__new_teams=1'}" in p.stdout
    doc = json.loads((out / "sweep.json").read_text(encoding="utf-8"))
    assert doc["runs"][0]["overrides"] == {"acoustics.ambient_dba": 40, "optimize.new_teams": 1}


def readme_python(section):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"**{section}**")
    block = re.search(r"```python\n(.*?)```", text[start:], re.S)
    assert block, f"no python block in README section {section}"
    return block.group(1)


def test_the_readme_python_runs(tmp_path, data_dir, pinned_report_time):
    (tmp_path / "data").symlink_to(data_dir)
    code = readme_python("Beyond one machine, in Python.")
    p = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stdout + p.stderr
    doc = json.loads((tmp_path / "sweep" / "sweep.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in doc["runs"]] == ["ok"] * len(doc["runs"]) and len(doc["runs"]) == 2
    rollup = json.loads((tmp_path / "by_district" / "summary.json").read_text(encoding="utf-8"))
    assert rollup["partition_by"] == "district" and len(rollup["partitions"]) == 7


# ---- partitions of one run (output.partition_by) ---------------------------------------------

@pytest.fixture(scope="module")
def partitioned(tmp_path_factory):
    """A small multi-province synth (`--scale national --provinces 3`, partitioned by province),
    every output, 100 m cells."""
    d = tmp_path_factory.mktemp("country")
    infogap.synth(d, households=30000, seed=5, scale="national", provinces=3)
    sc = infogap.Scenario.from_yaml(d / "scenario.yaml").with_overrides(
        output={"raster_cell_m": 100, "formats": ALL_FORMATS})
    assert sc.to_dict()["output"]["partition_by"] == "province"
    (d / "run.yaml").write_text(sc.to_yaml(), encoding="utf-8")
    return d / "run.yaml"


def test_partitions_go_largest_first():
    parts = [{"value": "B", "folder": "b", "hamlets": 3}, {"value": "A", "folder": "a", "hamlets": 3},
             {"value": "C", "folder": "c", "hamlets": 9}]
    assert [p["value"] for p in dist.partition_order(parts)] == ["C", "A", "B"]


def test_partitions_on_the_cluster_equal_the_single_machine_run(partitioned, cluster, cli, tmp_path):
    parts = infogap.partitions(partitioned)
    assert len(parts) == 3
    before = cluster.run(dist.engines_built)
    out = dist.run_partitions(partitioned, tmp_path / "dask", client=cluster)
    assert out == (tmp_path / "dask").resolve()
    # Each worker loads the inputs (and computes coverage) once for the run, not once per partition.
    after = cluster.run(dist.engines_built)
    loads = [n for w, b in after.items() for run, n in b.items() if run not in before.get(w, {})]
    assert 1 <= len(loads) <= len(after) and all(n == 1 for n in loads), after
    assert sum(loads) < len(parts)
    subprocess.run([str(cli), "run", str(partitioned), "-o", str(tmp_path / "one"), "--quiet"], check=True)
    for p in parts:   # every partition folder is complete (a report, the rasters, the GeoPackage)
        for name in ("summary.json", "report.vi.html", "coverage.gpkg", "speech_level.tif", "hamlet_gaps.csv"):
            assert (out / p["folder"] / name).exists(), (p["folder"], name)
    rollup = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [q["folder"] for q in rollup["partitions"]] == [p["folder"] for p in parts]
    assert_same_outputs(out, tmp_path / "one")


def test_a_failing_partition_is_named_and_no_rollup_is_written(partitioned, cluster, tmp_path):
    parts = infogap.partitions(partitioned)
    out = tmp_path / "dask"
    out.mkdir()
    blocked = parts[1]["folder"]
    (out / blocked).write_text("not a folder", encoding="utf-8")   # this partition cannot be written
    with pytest.raises(infogap.Error, match=rf"partitions failed \(no roll-up written\): .*\({blocked}\): ") as e:
        dist.run_partitions(partitioned, out, client=cluster)
    assert [p["folder"] for p in parts if f"({p['folder']}): " in str(e.value)] == [blocked]  # only that one failed
    for p in parts:
        if p["folder"] != blocked:
            assert (out / p["folder"] / "summary.json").exists(), p["folder"]
    assert not (out / "summary.json").exists() and not (out / "hamlet_gaps.csv").exists()


def test_the_command_line_runs_partitions_on_a_scheduler(partitioned, cluster, tmp_path):
    out = tmp_path / "cli-partitions"
    p = subprocess.run([sys.executable, "-m", "infogap.distributed", "partitions", str(partitioned), "-o", str(out),
                        "--scheduler", cluster.scheduler.address], capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"output folder: {out}" in p.stdout
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["partition_by"] == "province"
