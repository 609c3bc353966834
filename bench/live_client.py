"""The live benchmark's client side (bench_workshop_live): app servers started on free loopback
ports, and `Phone`, one participant's browser tab as a raw websocket client that speaks
Streamlit's own protocol (what a browser would be sent, without starting one).

A phone asks for the participant page, then does what the browser does for the page's backup
poll fragment (a fragment rerun every interval), presses the form's send button with values
filled in when told to, and notes when it was drawn a reveal's marker, a send's confirmation
and "Opgeslagen: <value>", and the form again.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# WIJK_BENCH_LIVE_DEBUG=1: print, to stderr, what each late phone was sent after its send or reveal
DEBUG = bool(os.environ.get("WIJK_BENCH_LIVE_DEBUG"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(local: Path, database_url: str | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "WIJK_LOCAL_DIR": str(local)}
    env.pop("WIJK_DATABASE_URL", None)
    if database_url:
        env["WIJK_DATABASE_URL"] = database_url
    log = open(local / f"streamlit-{port}.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)]
        + ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
        + os.environ.get("WIJK_BENCH_LIVE_ARGS", "").split(),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError("streamlit did not start: " + (local / f"streamlit-{port}.log").read_text()[-2000:])


def BackMsg_from(data: bytes):
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.ParseFromString(data)
    return msg


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def message_kind(data: bytes) -> str:
    """One message in a few words, for DEBUG traces."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(data)
    kind = msg.WhichOneof("type")
    if kind == "new_session":
        return "new_session"
    if kind == "delta":
        el = msg.delta.new_element
        what = el.WhichOneof("type") if msg.delta.WhichOneof("type") == "new_element" else ""
        body = el.markdown.body[:60] if what == "markdown" else ""
        return f"delta {msg.delta.WhichOneof('type')}:{what} {body} frag={msg.delta.fragment_id[:6]}"
    return str(kind)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("inf")
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


_INPUT_KEY = re.compile(r"beeld_p_(.+)_r\d+$")  # the participant form's input keys (ui_join)


class Phone:
    """One participant's browser tab, as far as the server can tell."""

    def __init__(self, base: str, query: str, marker: bytes, sent_marker: bytes = b"") -> None:
        self.base, self.query, self.marker, self.sent_marker = base, query, marker, sent_marker
        self.inputs: dict[str, str] = {}  # question id -> the form's number input (widget id), as drawn
        self.submit_id = ""  # the form's send button
        self.form_fragment = ""  # the fragment the form is drawn in (the browser reruns only that)
        self.saved_marker = b""  # "Opgeslagen: <value>" of the question being sent
        self.flash_seen = False  # the send's confirmation drawn since the send
        self.saved_seen = False  # the sent answer drawn as stored since the send
        self.sent_at: float | None = None
        self.confirmed_at: float | None = None  # the send's confirmation drawn
        self.form_back_at: float | None = None  # the form drawn again after the send
        self.fragment: str | None = None
        self.page_hash = ""  # as the browser: the page the server says we are on (navigation)
        self.interval = 1.0
        self.loaded = asyncio.Event()
        self.seen_at: float | None = None
        self.watch = False
        self.debug: list[tuple[float, str]] = []  # (when, what) of every message, with DEBUG

    def _rerun(self, fragment: str = "") -> bytes:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        if self.page_hash:
            msg.rerun_script.page_script_hash = self.page_hash
        else:
            msg.rerun_script.page_name = "beeld"
        if fragment:
            msg.rerun_script.fragment_id = fragment
            msg.rerun_script.is_auto_rerun = True
        return msg.SerializeToString()

    async def run(self, stop: asyncio.Event) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from websockets.asyncio.client import connect

        async with connect(
            f"ws://{self.base}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=f"http://{self.base}",  # type: ignore[arg-type]
            max_size=None,
            open_timeout=120,
            ping_interval=None,
        ) as ws:
            await ws.send(self._rerun())
            ticker = asyncio.create_task(self._tick(ws, stop))
            try:
                while not stop.is_set():
                    try:
                        data = await asyncio.wait_for(ws.recv(), 0.5)
                    except TimeoutError:
                        continue
                    assert isinstance(data, bytes)
                    if self.watch and self.seen_at is None and self.marker in data:
                        self.seen_at = time.perf_counter()
                    if DEBUG:
                        self.debug.append((round(time.perf_counter(), 2), message_kind(data)))
                    if self.sent_at is not None and self.confirmed_at is None:
                        self.flash_seen = self.flash_seen or self.sent_marker in data
                        self.saved_seen = self.saved_seen or (bool(self.saved_marker) and self.saved_marker in data)
                        if self.flash_seen and self.saved_seen:
                            self.confirmed_at = time.perf_counter()
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    kind = msg.WhichOneof("type")
                    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                        self._note_widget(msg.delta)
                    if kind == "navigation" and msg.navigation.page_script_hash:
                        self.page_hash = msg.navigation.page_script_hash
                    elif kind == "page_info_changed":
                        self.query = msg.page_info_changed.query_string
                    elif kind == "auto_rerun" and msg.auto_rerun.fragment_id:
                        self.fragment, self.interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
                    elif kind == "script_finished" and self.fragment:
                        self.loaded.set()
            finally:
                ticker.cancel()

    def _note_widget(self, delta) -> None:
        el = delta.new_element
        kind = el.WhichOneof("type")
        if kind == "number_input" and el.number_input.form_id:
            found = _INPUT_KEY.search(el.number_input.id)  # a user key ends the widget id
            if found:
                self.inputs[found.group(1)] = el.number_input.id
                self.form_fragment = delta.fragment_id
        elif kind == "button" and el.button.is_form_submitter:
            self.submit_id = el.button.id
            if self.sent_at is not None and self.form_back_at is None:
                self.form_back_at = time.perf_counter()

    def send_message(self, values: dict[str, float]) -> bytes:
        """What the browser sends when the form's button is pressed: the inputs filled in, the trigger
        (an input left empty has no value, as in the browser)."""
        msg = BackMsg_from(self._rerun(self.form_fragment))
        msg.rerun_script.is_auto_rerun = False
        for qid, value in values.items():
            if qid in self.inputs:
                msg.rerun_script.widget_states.widgets.add(id=self.inputs[qid], double_value=value)
        msg.rerun_script.widget_states.widgets.add(id=self.submit_id, trigger_value=True)
        return msg.SerializeToString()

    async def _tick(self, ws, stop: asyncio.Event) -> None:
        await self.loaded.wait()
        self.ws = ws
        while not stop.is_set():  # the browser's setInterval: one rerun per interval, unconditionally
            await asyncio.sleep(self.interval)
            if self.fragment:
                await ws.send(self._rerun(self.fragment))

    async def press_send(self, values: dict[str, float], saved_marker: bytes) -> None:
        self.saved_marker, self.flash_seen, self.saved_seen = saved_marker, False, False
        self.confirmed_at = self.form_back_at = None
        self.sent_at = time.perf_counter()
        await self.ws.send(self.send_message(values))

    def expect_reveal(self, marker: bytes) -> None:
        self.marker, self.seen_at, self.watch = marker, None, True
