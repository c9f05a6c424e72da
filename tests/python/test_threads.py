"""The GIL is released during long engine calls, and progress callbacks re-take it."""
import threading
import time

import numpy as np
import pytest

import infogap
from infogap import _core


def longest_pause_of_a_python_thread(call):
    """Runs call() while another Python thread loops; returns (duration of the call, longest
    pause between two iterations of that thread, the call included). A call that keeps the GIL
    stops the thread for its whole duration; one that releases it barely pauses it."""
    state = {"max_gap": 0.0, "last": None}
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            now = time.perf_counter()
            if state["last"] is not None:
                state["max_gap"] = max(state["max_gap"], now - state["last"])
            state["last"] = now

    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.1)
        state["max_gap"] = 0.0
        t0 = time.perf_counter()
        call()
        t1 = time.perf_counter()
        time.sleep(0.1)                   # let the thread see the pause that spans the call
    finally:
        stop.set()
        t.join()
    return t1 - t0, state["max_gap"]


def test_python_thread_runs_while_coverage_runs(bundled_scenario):
    # Control: a vectorised acoustics call keeps the GIL, and the probe sees the thread stopped.
    d = np.linspace(1.0, 3000.0, 400_000)
    held, held_gap = longest_pause_of_a_python_thread(lambda: _core.horn_level_dba(_core.Horn(), d))
    assert held_gap > 0.5 * held, (held, held_gap)
    # Coverage (load + coverage, ~3 s here) releases the GIL: the thread keeps running.
    engine = infogap.Engine(bundled_scenario)
    duration, gap = longest_pause_of_a_python_thread(engine.coverage)
    assert duration > 0.2, "coverage too fast for the test to mean anything"
    assert gap < 0.25 * duration, f"a Python thread was stopped {gap:.2f} s of a {duration:.2f} s call"


def test_progress_callback_runs_on_the_calling_thread_with_the_gil(bundled_scenario):
    calls = []
    main = threading.get_ident()

    def progress(stage, fraction):
        calls.append((stage, fraction, threading.get_ident()))
        [x * 2 for x in range(10)]        # executing Python code requires the GIL

    infogap.coverage(bundled_scenario, progress=progress)
    stages = [s for s, _, _ in calls]
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == ["load", "coverage"]
    for stage in ("load", "coverage"):  # from the engine, 0 to 1, moving within the stage
        f = [x for s, x, _ in calls if s == stage]
        assert f[0] == 0.0 and f[-1] == 1.0 and f == sorted(f) and any(0.0 < x < 1.0 for x in f), (stage, f)
    assert {tid for _, _, tid in calls} == {main}


def test_an_exception_in_the_progress_callback_aborts_the_call(bundled_scenario):
    class Stop(Exception):
        pass

    def progress(stage, fraction):
        if stage == "coverage":
            raise Stop(stage)

    with pytest.raises(Stop, match="coverage"):
        infogap.coverage(bundled_scenario, progress=progress)


def test_two_threads_share_one_engine(bundled_scenario):
    engine = infogap.Engine(bundled_scenario)
    results, errors = [], []

    def work():
        try:
            results.append(engine.coverage().target_households)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 2 and results[0] == results[1]
