"""Paint in a real browser: each screen against a bare Streamlit page (bench/bare_page.py), same run.

Playwright drives Debian's /usr/bin/chromium (flags as in the browser tests). A paint is the time from
the start of navigation until the page's main heading (h1) is drawn and the page has stopped changing:
the moment of its last DOM change before 800 ms without one, once every script run the server started
has finished (script_finished on the websocket) and nothing is faded as stale. Each load uses a new browser context (no cache, no cookies: a new browser for the server).

- cold: a freshly started server's first request (a deep link), app and bare page alternately, one
  new server per measurement (imports, store load and the first run all fall in it). Bytecode is cached
  (__pycache__, as for any server started by scripts/start.sh; the warm part wrote it).
- warm: both servers kept up and warmed once; ROUNDS loads of each screen, each right after a load of
  the bare page; the ratio is median(screen) / median(bare page loads paired with it).
- per load (informative): script runs the server started (new_session messages on the websocket),
  elements (delta messages), bytes sent, iframes in the page.
- memory: resident size of the app server after every screen was drawn (store loaded, caches full).

Deep link: Rotterdam, Tarwewijk (GM0599 / WK059915 / BU05991571), 2024. Runtime: a few minutes.
Select with `python bench/run.py paint`; WIJK_PAINT_SCREENS=kaart measures only the kaart screen.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = Path(__file__).resolve().parent / "bare_page.py"
CHROMIUM = os.environ.get("WIJK_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
AREA = "gemeente=GM0599&wijk=WK059915&buurt=BU05991571&jaar=2024&lang=nl"
ALL_SCREENS = ("profiel", "factoren", "kaart", "trends", "beeld")
# WIJK_PAINT_SCREENS=kaart (comma-separated) limits a run to those screens; unknown names are ignored.
_ONLY = {s.strip() for s in os.environ.get("WIJK_PAINT_SCREENS", "").split(",") if s.strip()}
SCREENS = tuple(s for s in ALL_SCREENS if not _ONLY or s in _ONLY)
ROUNDS = int(os.environ.get("WIJK_PAINT_ROUNDS", "3"))
QUIET_MS = 800
TIMEOUT_MS = 120_000

# Installed before any page script: remembers the time of the last change anywhere in the document.
_WATCH = """(() => {
  window.__wbLast = performance.now();
  new MutationObserver(() => { window.__wbLast = performance.now(); })
    .observe(document, {childList: true, subtree: true, attributes: true, characterData: true});
})();"""
_SETTLED = f"""(() => {{
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  const s = document.querySelector('[data-testid="stStatusWidget"]');
  if (s && s.innerText.includes('Running')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  return performance.now() - window.__wbLast >= {QUIET_MS};
}})()"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server(script: Path) -> Iterator[tuple[str, int]]:
    """`streamlit run script` on a free loopback port with its own empty local dir; (base URL, pid)."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as local:
        env = {**os.environ, "WIJK_LOCAL_DIR": local}
        env.pop("WIJK_DATABASE_URL", None)
        # bytecode cached as on any server (and as scripts/start.sh runs it): with the variable set, every
        # fresh server compiled its ~600 imported modules from source again, the bare page too
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
        cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, proc)
            yield base, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_healthy(base: str, proc: subprocess.Popen, wait_s: float = 120) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy in {wait_s:.0f} s")


def _count_messages(stats: dict[str, int], payload: bytes | str) -> None:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if isinstance(payload, str):
        return
    stats["bytes"] += len(payload)
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:  # noqa: BLE001 - a message this Streamlit cannot parse is counted in bytes only
        return
    kind = msg.WhichOneof("type")
    if kind == "new_session":
        stats["runs"] += 1
    elif kind == "delta":
        stats["elements"] += 1
    elif kind == "script_finished":
        stats["finished"] += 1


def _paint(browser, url: str) -> dict[str, float]:
    """Open url in a new browser context; ms until settled, and what the server sent."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    stats = {"bytes": 0, "runs": 0, "elements": 0, "finished": 0}
    try:
        page = context.new_page()
        page.add_init_script(_WATCH)
        page.on("websocket", lambda ws: ws.on("framereceived", lambda p: _count_messages(stats, p)))
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        # settled: every run the server started has finished (the websocket says so) and the page is quiet
        while not (stats["runs"] and stats["finished"] >= stats["runs"] and page.evaluate(_SETTLED)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not settle in {TIMEOUT_MS / 1000:.0f} s")
            page.wait_for_timeout(100)
        painted = float(page.evaluate("window.__wbLast"))
        iframes = int(page.evaluate("document.querySelectorAll('iframe').length"))
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"exception box on {url}")
    finally:
        context.close()
    return {"ms": painted, "iframes": iframes, **stats}


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cold(browser) -> list[tuple[str, float, str, str]]:
    rows = []
    for screen in SCREENS:
        with _server(BARE) as (base, _):
            bare = _paint(browser, base + "/")["ms"]
        with _server(ROOT / "app.py") as (base, _):
            app = _paint(browser, f"{base}/{screen}?{AREA}")
        rows.append((f"paint_cold_{screen}_ms", app["ms"], "ms", f"informative (bare page {bare:.0f} ms)"))
        rows.append((f"paint_cold_{screen}_ratio", app["ms"] / bare, "x bare", "<= 1.3"))
        rows.append(_sent_row("cold", screen, app))
    return rows


def _sent_row(kind: str, screen: str, load: dict[str, float]) -> tuple[str, float, str, str]:
    what = f"{load['runs']} runs, {load['elements']} elements, {load['iframes']} iframes, {load['bytes'] / 1024:.0f} KB"
    return (f"paint_{kind}_{screen}_script_runs", load["runs"], f"runs ({what})", "1 (informative)")


def _warm(browser) -> list[tuple[str, float, str, str]]:
    rows = []
    with _server(BARE) as (bare_base, _), _server(ROOT / "app.py") as (app_base, app_pid):
        _paint(browser, bare_base + "/")
        for screen in SCREENS:  # the first visit fills the caches of each screen
            _paint(browser, f"{app_base}/{screen}?{AREA}")
        for screen in SCREENS:
            bare, app = [], []
            for _ in range(ROUNDS):
                bare.append(_paint(browser, bare_base + "/")["ms"])
                app.append(_paint(browser, f"{app_base}/{screen}?{AREA}"))
            ms, bare_ms = statistics.median(a["ms"] for a in app), statistics.median(bare)
            rows.append((f"paint_warm_{screen}_ms", ms, "ms", f"informative (bare page {bare_ms:.0f} ms)"))
            rows.append((f"paint_warm_{screen}_ratio", ms / bare_ms, "x bare", "<= 1.2"))
            rows.append(_sent_row("warm", screen, app[-1]))
        rows.append(("server_rss_store_loaded_all_screens", _rss_mb(app_pid), "MB", "< 300 MB"))
    return rows


def run() -> list[tuple[str, float, str, str]]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found (scripts/test.sh installs Debian's chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            return _warm(browser) + _cold(browser)
        finally:
            browser.close()


if __name__ == "__main__":
    for r in run():
        print(f"{r[0]}: {r[1]:.2f} {r[2]} (budget: {r[3]})", flush=True)
