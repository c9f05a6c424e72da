"""The HTML planner report in a real browser (headless Chromium, offline).

The reports come from the C++ helper ``infogap_report_sample`` (tests/cpp/report_sample.cpp), whose path
is given by the environment variable INFOGAP_REPORT_SAMPLE_EXE (set by tests/e2e/tests.cmake).

Chromium is driven through the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (file
descriptors 3 and 4, NUL-separated JSON messages): no websocket library is needed, and unlike
``--dump-dom`` / ``--enable-logging`` (which print every console message at the same INFO level and
never show failed resource loads) the protocol reports console calls with their level, uncaught
exceptions, log entries (CSP violations, failed loads) and every network request. The same session
reads the DOM after the scripts ran, clicks like a user and takes the screenshot.
"""

import base64
import io
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time

import pytest
from PIL import Image

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1200, 900
LANGUAGES = ["vi", "en"]
# Number format of each language (the contract; not read from the report): vi 1.234,5 — en 1,234.5
SEPARATORS = {"vi": {"group": ".", "decimal": ","}, "en": {"group": ",", "decimal": "."}}
HAMLET_SELECTOR = "path.infogap-hamlet"


# ---- Chrome DevTools Protocol over a pipe -----------------------------------------------------

class Browser:
    """Headless Chromium with a CDP pipe; events are collected per session."""

    def __init__(self):
        self.user_data_dir = tempfile.mkdtemp(prefix="infogap-chromium-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def child_fds():  # Chromium reads commands on fd 3 and writes answers on fd 4
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--mute-audio", f"--user-data-dir={self.user_data_dir}",
             f"--window-size={WIDTH},{HEIGHT}", "--remote-debugging-pipe", "about:blank"],
            preexec_fn=child_fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events = []

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 - the browser may already be gone
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        shutil.rmtree(self.user_data_dir, ignore_errors=True)

    def _receive(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no message from Chromium")
            ready, _, _ = select.select([self._from_chrome], [], [], remaining)
            if not ready:
                raise TimeoutError("no message from Chromium")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=None, timeout=20):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive(timeout)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def pump(self, seconds):
        """Collects events for a while."""
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                self.events.append(self._receive(remaining))
            except TimeoutError:
                return


class Page:
    """One tab showing a report."""

    def __init__(self, browser, url):
        self.browser = browser
        self.url = url
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        self.call("Page.navigate", {"url": url})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ready = self.eval("document.readyState === 'complete' && "
                              "document.getElementById('map').getAttribute('data-hamlet-count') !== '0'")
            if ready:
                break
            browser.pump(0.1)
        browser.pump(0.3)  # late console messages, if any

    def call(self, method, params=None):
        return self.browser.call(method, params, session=self.session)

    def eval(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def events(self, method):
        return [e["params"] for e in self.browser.events
                if e.get("sessionId") == self.session and e.get("method") == method]

    def click(self, x, y):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent",
                      {"type": kind, "x": x, "y": y, "button": "left" if kind != "mouseMoved" else "none",
                       "clickCount": 1})
        self.browser.pump(0.3)

    def screenshot_png(self):
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])


# ---- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    exe = os.environ.get("INFOGAP_REPORT_SAMPLE_EXE")
    if not exe or not os.access(exe, os.X_OK):
        pytest.fail("set INFOGAP_REPORT_SAMPLE_EXE to the infogap_report_sample executable (ctest does)")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-deps")
    out = tmp_path_factory.mktemp("reports")
    subprocess.run([exe, str(out)], check=True, capture_output=True, timeout=60)
    return out


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


def report_data(path):
    """The JSON data block of a report, read from the file (independently of the browser)."""
    html = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="infogap-data">(.*?)</script>', html, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


def format_number(value, decimals, separators):
    """Python twin of the report's formatting: vi 1.234,5 — en 1,234.5."""
    text = f"{abs(value):,.{decimals}f}"  # 1,234.5
    text = text.replace(",", "\0").replace(".", separators["decimal"]).replace("\0", separators["group"])
    return ("-" if value < 0 and any(c in "123456789" for c in text) else "") + text


@pytest.fixture(scope="module", params=LANGUAGES)
def page(request, report_dir, browser):
    path = report_dir / f"report.{request.param}.html"
    p = Page(browser, path.as_uri())
    p.language = request.param
    p.path = path
    p.data = report_data(path)
    return p


# ---- tests ------------------------------------------------------------------------------------

def test_map_draws_every_hamlet_and_site(page):
    features = page.data["hamlets"]["features"]
    drawn = sum(1 for f in features if f["geometry"] is not None)
    assert drawn == len(features) == 12
    assert page.eval(f"document.querySelectorAll('{HAMLET_SELECTOR}').length") == drawn
    assert page.eval("document.getElementById('map').getAttribute('data-hamlet-count')") == str(drawn)
    assert page.eval("document.querySelectorAll('path.infogap-proposed').length") == len(page.data["proposed"])
    # reach circles: the proposed sites' are drawn at once, the existing sites' only on request
    def count(selector):
        return page.eval(f"document.querySelectorAll('{selector}').length")

    def reaching(points):
        return sum(1 for p in points if p["reach_m"] > 0)

    assert count("path.infogap-range-proposed") == reaching(page.data["proposed"])
    assert count("path.infogap-range-speaker") == count("path.infogap-range-team") == 0
    # the layer control lists the overlays in the report's language
    labels = page.eval("Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
                       ".map(l => l.textContent.trim())")
    strings = page.data["strings"]
    for key in ("layer_hamlets", "layer_speakers", "layer_speaker_range", "layer_teams", "layer_team_reach",
                "layer_proposed"):
        assert strings[key] in labels
    for key in ("layer_speaker_range", "layer_team_reach"):
        page.eval("Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
                  f".find(l => l.textContent.trim() === {json.dumps(strings[key])}).querySelector('input').click()")
    assert count("path.infogap-range-speaker") == reaching(page.data["speakers"]) > 0
    assert count("path.infogap-range-team") == reaching(page.data["teams"]) > 0
    for key in ("layer_speaker_range", "layer_team_reach"):
        page.eval("Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
                  f".find(l => l.textContent.trim() === {json.dumps(strings[key])}).querySelector('input').click()")
    assert count("path.infogap-range-speaker") == count("path.infogap-range-team") == 0
    legend = page.eval("document.querySelector('.legend-box').textContent")
    assert strings["legend_title"] in legend and strings["legend_no_target"] in legend


def test_click_on_a_hamlet_opens_its_figures(page):
    page.eval("window.scrollTo(0, 0); document.getElementById('map').scrollIntoView({block: 'center'})")
    page.browser.pump(0.2)
    # a point where the topmost element is a hamlet polygon (not a site marker or a control)
    point = page.eval(f"""(() => {{
        for (const path of document.querySelectorAll('{HAMLET_SELECTOR}')) {{
          const r = path.getBoundingClientRect();
          for (const fx of [0.5, 0.3, 0.7, 0.2, 0.8]) for (const fy of [0.5, 0.3, 0.7, 0.2, 0.8]) {{
            const x = r.left + fx * r.width, y = r.top + fy * r.height;
            if (document.elementFromPoint(x, y) === path) return [x, y];
          }}
        }}
        return null; }})()""")
    assert point, "no clickable hamlet"
    page.click(*point)
    title = page.eval("(document.querySelector('.leaflet-popup-content .popup-title') || {}).textContent")
    assert title, "no popup after the click"
    feature = next(f for f in page.data["hamlets"]["features"] if f["properties"]["name"] == title)
    rows = dict(page.eval("Array.from(document.querySelectorAll('.leaflet-popup-content tr'))"
                         ".map(r => [r.cells[0].textContent, r.cells[1].textContent])"))
    strings, seps, props = page.data["strings"], SEPARATORS[page.language], feature["properties"]
    assert rows[strings["col_households"]] == format_number(props["households"], 0, seps)
    assert rows[strings["col_gap_weight"]] == format_number(props["gap_weight"], 1, seps)
    if props["gap_rate"] is None:
        assert rows[strings["col_gap_rate"]] == "\u2013"
    else:
        assert rows[strings["col_gap_rate"]] == format_number(props["gap_rate"] * 100, 1, seps) + "%"
    page.eval("document.querySelector('.leaflet-popup-close-button').click()")


def test_layer_control_hides_and_shows_hamlets(page):
    label = page.data["strings"]["layer_hamlets"]
    toggle = ("Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
              f".find(l => l.textContent.trim() === {json.dumps(label)}).querySelector('input').click()")
    page.eval(toggle)
    assert page.eval(f"document.querySelectorAll('{HAMLET_SELECTOR}').length") == 0
    page.eval(toggle)
    assert page.eval(f"document.querySelectorAll('{HAMLET_SELECTOR}').length") == 12


def test_tables_sort_on_header_click(page):
    column = page.data["strings"]["col_households"]
    read = ("Array.from(document.querySelectorAll('table.hamlets-table tbody tr'))"
            ".map(r => parseFloat(r.cells[COL].getAttribute('data-sort')))")
    index = page.eval("Array.from(document.querySelectorAll('table.hamlets-table thead th'))"
                      f".findIndex(th => th.textContent === {json.dumps(column)})")
    assert index > 0
    before = page.eval(read.replace("COL", str(index)))
    assert before != sorted(before)  # initially ranked by gap, not by households
    page.eval(f"document.querySelectorAll('table.hamlets-table thead th')[{index}].click()")
    ascending = page.eval(read.replace("COL", str(index)))
    assert ascending == sorted(before)
    assert page.eval(f"document.querySelectorAll('table.hamlets-table thead th')[{index}]"
                     ".getAttribute('aria-sort')") == "ascending"
    page.eval(f"document.querySelectorAll('table.hamlets-table thead th')[{index}].click()")
    assert page.eval(read.replace("COL", str(index))) == sorted(before, reverse=True)


def test_screenshot_is_a_drawn_map(page, tmp_path_factory):
    page.eval("document.getElementById('map-section').scrollIntoView({block: 'start'})")
    page.browser.pump(0.3)
    png = page.screenshot_png()
    out = tmp_path_factory.mktemp("screenshots") / f"report.{page.language}.png"
    out.write_bytes(png)
    keep = os.environ.get("INFOGAP_E2E_ARTIFACTS")
    if keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copy(out, os.path.join(keep, out.name))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 20, "blank screenshot"
    # the map shows the gap-rate fills: a good share of the map box is orange/red
    box = page.eval("(() => { const r = document.getElementById('map').getBoundingClientRect();"
                    " return [r.left, r.top, r.right, r.bottom].map(Math.round); })()")
    left, top, right, bottom = max(box[0], 0), max(box[1], 0), min(box[2], WIDTH), min(box[3], HEIGHT)
    assert right - left > 400 and bottom - top > 300
    pixels = list(image.crop((left, top, right, bottom)).getdata())
    warm = sum(1 for r, g, b in pixels if r > 180 and r - b > 60)
    assert warm / len(pixels) > 0.15, f"only {warm / len(pixels):.1%} of the map is shaded"


def test_no_console_error_no_exception_no_network(page):
    """Runs last for each language: covers loading and every interaction above."""
    exceptions = page.events("Runtime.exceptionThrown")
    assert not exceptions, exceptions
    console = page.events("Runtime.consoleAPICalled")
    assert not console, console  # the report never logs
    problems = [e for e in page.events("Log.entryAdded") if e["entry"]["level"] in ("error", "warning")]
    assert not problems, problems
    urls = [e["request"]["url"] for e in page.events("Network.requestWillBeSent")]
    assert page.url in urls
    fetched = [u for u in urls if u != page.url and not u.startswith("data:")]
    assert not fetched, fetched  # offline: nothing but the file itself (and inline data: images)
    failed = page.events("Network.loadingFailed")
    assert not failed, failed
