"""report_change.<lang>.html (infogap compare) in headless Chromium, with the report browser test's
DevTools client: every hamlet drawn in the diverging colour its change of gap weight calls for
(computed here from the data block), the change legend, a popup with before → after, and nothing
logged, thrown or fetched."""
import json
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from report_browser_test import CHROMIUM, HAMLET_SELECTOR, LANGUAGES, Browser, Page
from worlds import synth_province, write_scenario

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COLORS = ["#1a9641", "#a6d96a", "#f7f7f7", "#fdae61", "#d7191c"]  # fell a lot … rose a lot


def expected_color(delta, max_abs):
    if delta is None:
        return "#cfd6de"
    if delta == 0:
        return COLORS[2]
    if delta < 0:
        return COLORS[0] if delta <= -max_abs / 2 else COLORS[1]
    return COLORS[4] if delta >= max_abs / 2 else COLORS[3]


@pytest.fixture(scope="module")
def change_dir(tmp_path_factory):
    exe = os.environ.get("INFOGAP_CLI")
    if not exe or not os.access(exe, os.X_OK):
        pytest.fail("set INFOGAP_CLI to the infogap executable (ctest does)")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-deps")
    folder = tmp_path_factory.mktemp("change_report")
    sc = synth_province(exe, folder, households=1500, seed=5)
    sc.pop("optimize", None)
    before = write_scenario(folder, sc, "before.yaml")
    sc["acoustics"] = dict(sc.get("acoustics") or {}, ambient_dba=40)
    sc["teams"]["reach_m"] = 3000
    after = write_scenario(folder, sc, "after.yaml")
    out = folder / "change"
    subprocess.run([exe, "compare", str(before), str(after), "-o", str(out)], check=True, capture_output=True,
                   timeout=600)
    return out


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module", params=LANGUAGES)
def page(request, change_dir, browser):
    path = change_dir / f"report_change.{request.param}.html"
    p = Page(browser, path.as_uri())
    html = path.read_text(encoding="utf-8")
    p.data = json.loads(re.search(r'<script type="application/json" id="infogap-data">(.*?)</script>', html,
                                  re.S).group(1))
    return p


def test_every_hamlet_is_drawn_in_its_change_colour(page):
    features = page.data["hamlets"]["features"]
    change = page.data["change"]
    assert change["attribute"] == "gap_weight_delta"
    deltas = [f["properties"]["gap_weight_delta"] for f in features]
    assert any(d < 0 for d in deltas) and any(d == 0 for d in deltas)
    assert change["max_abs"] == max(abs(d) for d in deltas)
    drawn = page.eval(f"Array.from(document.querySelectorAll('{HAMLET_SELECTOR}')).map(p => p.getAttribute('fill'))")
    assert len(drawn) == len(features) > 100
    assert Counter(drawn) == Counter(expected_color(d, change["max_abs"]) for d in deltas)
    legend = page.eval("document.querySelector('.legend-box').textContent")
    assert change["legend_title"] in legend and all(label in legend for label in change["legend"])


def test_a_hamlet_popup_shows_before_and_after(page):
    text = page.eval(f"""(() => {{
        const layer = Object.values(document.querySelectorAll('{HAMLET_SELECTOR}'))[0];
        layer.dispatchEvent(new MouseEvent('click', {{bubbles: true, clientX: 1, clientY: 1}}));
        const popup = document.querySelector('.leaflet-popup-content');
        return popup ? popup.textContent : '';
    }})()""")
    assert "\u2192" in text and page.data["strings"]["col_gap_weight"] in text


def test_no_console_error_no_exception_no_network(page):
    assert not page.events("Runtime.exceptionThrown")
    assert not page.events("Runtime.consoleAPICalled")
    assert not [e for e in page.events("Log.entryAdded") if e["entry"]["level"] in ("error", "warning")]
    urls = [e["request"]["url"] for e in page.events("Network.requestWillBeSent")]
    assert not [u for u in urls if u != page.url and not u.startswith("data:")]
