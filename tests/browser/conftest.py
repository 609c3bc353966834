"""Real-browser tests: start `streamlit run app.py` on a free loopback port, drive Debian's chromium.

Marked `browser`; skipped with a reason when /usr/bin/chromium or playwright is missing
(scripts/test.sh installs both).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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


# The browser tests run in two xdist groups (--dist loadgroup), one per worker, at the same time: each
# worker has its own app server (app_server, app_local), its own chromium and its own temp dirs, and a
# test that needs a server of its own starts one on a free port. The groups are balanced by the measured
# time of their files (whole run, pytest --durations): screens read through the frame vs workshops, maps
# and the rest. A group is one unit of work, so each starts at once; the unit tests and AppTests fill in.
BROWSER_GROUP_A = {
    "test_frame.py",
    "test_language.py",
    "test_security.py",
    "test_national.py",
}


def pytest_collection_modifyitems(items):
    """Mark the browser tests; under pytest-xdist (--dist loadgroup) each group runs on one worker, one
    test after another (one Streamlit server and one chromium per worker), while the other worker takes
    the other group, then both take the rest."""
    for item in items:
        path = Path(str(item.fspath))
        if "tests/browser" in path.as_posix():
            item.add_marker(pytest.mark.browser)
            group = "browser-a" if path.name in BROWSER_GROUP_A else "browser-b"
            item.add_marker(pytest.mark.xdist_group(group))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_local(tmp_path_factory) -> Path:
    """WIJK_LOCAL_DIR of the session's app server (its workshops.sqlite lives here); one per xdist worker."""
    return tmp_path_factory.mktemp("app-server-local")


@pytest.fixture(scope="session")
def app_server(app_local):
    """Base URL of a running Wijkbeeld; always shut down afterwards."""
    yield from run_server(app_local)


def start_server(tmp_path_factory):
    """Start another `streamlit run app.py` (e.g. a cold one) on a free port; yield its base URL; stop it."""
    yield from run_server(tmp_path_factory.mktemp("browser-local"))


def run_server(local: Path, database_url: str | None = None, wait_s: float = 120):
    """The one way tests start Wijkbeeld: local dir and (optionally) a shared database; always stopped."""
    port = _free_port()
    # pages follow a workshop through the server's live hub; their own backup check runs every
    # 10 s (15 s in production) so that a busy test machine cannot strand a phone (the hub itself
    # is proven by tests/unit/beeld/test_live_hub.py and timed by bench/bench_workshop_live.py)
    env = {**os.environ, "WIJK_LOCAL_DIR": str(local), "WIJK_LIVE_BACKUP_SECONDS": "10"}
    env.pop("WIJK_DATABASE_URL", None)
    if database_url:
        env["WIJK_DATABASE_URL"] = database_url
    log = open(local / "streamlit.log", "w")  # noqa: SIM115 - closed in the finally below, once the server stopped
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + wait_s
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
            if proc.poll() is not None:
                raise RuntimeError("streamlit exited: " + (local / "streamlit.log").read_text())
        else:
            raise RuntimeError(f"streamlit did not become healthy in {wait_s:.0f} s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: run scripts/test.sh (installs Debian's chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright not installed: pip install -r requirements-dev.txt"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    pg = context.new_page()
    yield pg
    context.close()


def wait_for_app(page, timeout: float = 45_000) -> None:
    """Wait until Streamlit finished running the script (no 'running' indicator) and content is there."""
    page.wait_for_selector('[data-testid="stSidebar"]', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=timeout,
    )
    page.wait_for_timeout(500)
    wait_until_fresh(page, timeout)


def wait_until_fresh(page, timeout: float = 45_000) -> None:
    """Wait until no element is drawn faded as stale (Streamlit fades the old page while a run is
    under way: a check of contrast or text in that moment sees the fading, not the page)."""
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=timeout)


def assert_no_exception(page) -> None:
    boxes = page.locator('[data-testid="stException"]')
    assert boxes.count() == 0, "exception box on the page: " + boxes.first.inner_text()
