"""Benchmark: reveal to every phone on REAL Streamlit servers (`streamlit run app.py`).

Starts the app on free loopback ports (WIJK_LOCAL_DIR in a temporary directory; SQLite there, or
one fresh PostgreSQL schema shared by all servers), creates a workshop (with its question specs,
as the facilitator's page does) and joins N participants through the store, then opens N phone
sessions, spread over the servers as a sticky proxy would, as raw websocket clients that speak
Streamlit's own protocol: each asks for the participant page (?workshop=CODE&deelnemer=TOKEN),
and then does what the browser does for the page's backup poll fragment
(`st.fragment(run_every=...)`): it sends a fragment rerun every interval. No browser is started
(a headless chromium per phone would measure chromium on this machine, not the server); what a
phone is sent is what a browser would draw. The facilitator then reveals a question (through the
store, as another server would) and we time until every phone has been sent the revealed view
("Jouw antwoorden naast de cijfers"): the servers' live hubs see the new version and rerun their
phones. Also measured: the servers' CPU share while the room waits.

``run()`` returns rows (name, value, unit, budget); ``python bench/run.py workshop_live``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AREA = "BU00140301"
QUESTIONS = ["pct_met_kinderen", "misdrijven_per_1000"]
# (database, servers, phones); WIJK_BENCH_LIVE_ROOMS="sqlite:1:20" for a quick run;
# WIJK_BENCH_LIVE_ARGS adds streamlit options (A/B runs)
ROOMS = tuple(
    (db, int(servers), int(phones))
    for db, servers, phones in (
        room.split(":")
        for room in os.environ.get(
            "WIJK_BENCH_LIVE_ROOMS", "sqlite:1:60,postgresql:1:60,sqlite:1:200,postgresql:2:200"
        ).split(",")
    )
)
SETTLE_S = 6.0  # steady polling before the reveal
REVEAL_TIMEOUT_S = 30.0
SEND_TIMEOUT_S = 30.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(local: Path, database_url: str | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
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


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("inf")
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


class Phone:
    """One participant's browser tab, as far as the server can tell."""

    def __init__(self, base: str, query: str, marker: bytes, sent_marker: bytes = b"") -> None:
        self.base, self.query, self.marker, self.sent_marker = base, query, marker, sent_marker
        self.inputs: list[str] = []  # the form's number inputs (widget ids), as drawn
        self.submit_id = ""  # the form's send button
        self.form_fragment = ""  # the fragment the form is drawn in (the browser reruns only that)
        self.sent_at: float | None = None
        self.confirmed_at: float | None = None  # the send's confirmation drawn
        self.form_back_at: float | None = None  # the form drawn again after the send
        self.fragment: str | None = None
        self.page_hash = ""  # as the browser: the page the server says we are on (navigation)
        self.interval = 1.0
        self.loaded = asyncio.Event()
        self.seen_at: float | None = None
        self.watch = False

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
                    if self.sent_at is not None and self.confirmed_at is None and self.sent_marker in data:
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
        if kind == "number_input" and el.number_input.form_id and el.number_input.id not in self.inputs:
            self.inputs.append(el.number_input.id)
            self.form_fragment = delta.fragment_id
        elif kind == "button" and el.button.is_form_submitter:
            self.submit_id = el.button.id
            if self.sent_at is not None and self.form_back_at is None:
                self.form_back_at = time.perf_counter()

    def send_message(self, values: list[float]) -> bytes:
        """What the browser sends when the form's button is pressed: every input's value, the trigger."""
        msg = BackMsg_from(self._rerun(self.form_fragment))
        msg.rerun_script.is_auto_rerun = False
        for wid, value in zip(self.inputs, values):
            msg.rerun_script.widget_states.widgets.add(id=wid, double_value=value)
        msg.rerun_script.widget_states.widgets.add(id=self.submit_id, trigger_value=True)
        return msg.SerializeToString()

    async def _tick(self, ws, stop: asyncio.Event) -> None:
        await self.loaded.wait()
        self.ws = ws
        while not stop.is_set():  # the browser's setInterval: one rerun per interval, unconditionally
            await asyncio.sleep(self.interval)
            if self.fragment:
                await ws.send(self._rerun(self.fragment))

    async def press_send(self, values: list[float]) -> None:
        self.sent_at = time.perf_counter()
        await self.ws.send(self.send_message(values))


async def _room(bases: list[str], pids: list[int], store, n: int, specs: dict[str, dict]) -> dict[str, float]:
    from wijk.core.i18n import t

    made = store.create_workshop(AREA, 2024, QUESTIONS, title="bench")
    code, secret = made.join_code, made.facilitator_secret
    store.set_question_specs(code, secret, specs)  # as the facilitator's page does on creation
    tokens = [store.join(code) for _ in range(n)]
    marker = t("beeld_part_own", "nl").encode()
    sent_marker = t("beeld_part_sent", "nl", n=len(QUESTIONS)).encode()
    phones = [
        Phone(bases[i % len(bases)], f"workshop={code}&deelnemer={tok}", marker, sent_marker)
        for i, tok in enumerate(tokens)
    ]
    stop = asyncio.Event()
    tasks = []
    t_open = time.perf_counter()
    for p in phones:  # a room arrives over a few seconds, not in one instant
        tasks.append(asyncio.create_task(p.run(stop)))
        await asyncio.sleep(0.02)
    try:
        await asyncio.wait_for(asyncio.gather(*(p.loaded.wait() for p in phones)), 240)
        loaded_s = time.perf_counter() - t_open
        await asyncio.sleep(SETTLE_S / 2)
        cpu0, wall0 = sum(map(_cpu_seconds, pids)), time.perf_counter()
        await asyncio.sleep(SETTLE_S / 2)
        cpu = (sum(map(_cpu_seconds, pids)) - cpu0) / (time.perf_counter() - wall0)
        sends = await _sends(phones, store, code)
        for p in phones:
            p.watch = True
        t_reveal = time.perf_counter()
        await asyncio.to_thread(store.reveal, code, secret, QUESTIONS[0])
        deadline = t_reveal + REVEAL_TIMEOUT_S
        while any(p.seen_at is None for p in phones) and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)
        seen = [p.seen_at - t_reveal for p in phones if p.seen_at is not None]
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "loaded": loaded_s,
        "cpu": cpu * 100,
        "reveal_p50": _percentile(seen, 50) * 1000,
        "reveal_all": (max(seen) * 1000) if len(seen) == n else float("inf"),
        "missed": float(n - len(seen)),
        **sends,
    }


async def _sends(phones: list[Phone], store, code: str) -> dict[str, float]:
    """Every phone presses 'Antwoorden versturen' (the room within a second) while the backup
    polls run; how many answers were stored, how many confirmations were drawn within 2 s, how
    many forms came back."""
    for i, p in enumerate(phones):
        await p.press_send([10.0 + i % 50, 50.0 + i % 100][: len(p.inputs)])
        await asyncio.sleep(1.0 / len(phones))
    deadline = time.perf_counter() + SEND_TIMEOUT_S
    while time.perf_counter() < deadline and any(p.confirmed_at is None or p.form_back_at is None for p in phones):
        await asyncio.sleep(0.05)
    stored = (await asyncio.to_thread(store.answer_counts, code)).get(QUESTIONS[1], 0)
    waits = [p.confirmed_at - p.sent_at for p in phones if p.confirmed_at is not None and p.sent_at is not None]
    within = sum(1 for w in waits if w <= 2.0)
    return {
        "stored": float(stored),
        "unconfirmed_2s": float(max(stored - within, 0)),
        "forms_not_back": float(sum(1 for p in phones if p.form_back_at is None)),
        "confirm_p95": _percentile(waits, 95) * 1000,
    }


def _one_room(database: str, servers: int, n: int, specs: dict[str, dict]) -> dict[str, float]:
    from bench.pg_schema import pg_schema_url
    from wijk.beeld.workshop import WorkshopStore

    with tempfile.TemporaryDirectory(prefix="wijk-bench-live-") as tmp:
        local = Path(tmp)
        url, drop = (f"sqlite:///{local / 'workshops.sqlite'}", None) if database == "sqlite" else pg_schema_url()
        procs: list[subprocess.Popen] = []
        store = None
        try:
            started = [_start(local, url if database != "sqlite" else None) for _ in range(servers)]
            procs = [p for p, _ in started]
            store = WorkshopStore(url)
            return asyncio.run(_room([b for _, b in started], [p.pid for p in procs], store, n, specs))
        finally:
            if store is not None:
                store.dispose()
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            if drop:
                drop()


def run() -> list[tuple[str, float, str, str]]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from wijk.beeld.perception import available_questions
    from wijk.core.store import Store

    specs = {q.id: q.to_spec() for q in available_questions(Store.load(), AREA, 2024) if q.id in QUESTIONS}
    rows: list[tuple[str, float, str, str]] = []
    for database, servers, n in ROOMS:
        tag = f"{database}_{servers}x_{n}"
        try:
            r = _one_room(database, servers, n, specs)
        except Exception as exc:  # noqa: BLE001 - e.g. no PostgreSQL server: say so, measure the rest
            rows.append((f"workshop_live_{tag}_skipped ({type(exc).__name__})", 0, "", "needs a server"))
            continue
        where = f"{servers} server{'s' if servers > 1 else ''}, raw websocket phones"
        rows += [
            (f"workshop_live_phones_loaded_{tag} ({where})", round(r["loaded"], 1), "s", "informative"),
            (
                f"workshop_live_server_cpu_{tag} (room waiting: live hub and backup polls)",
                round(r["cpu"], 1),
                "% of one core",
                "< 25 %",
            ),
            (f"workshop_live_reveal_p50_{tag}", round(r["reveal_p50"], 1), "ms", "informative"),
            (f"workshop_live_reveal_to_all_phones_{tag}", round(r["reveal_all"], 1), "ms", "< 2000 ms"),
            (f"workshop_live_phones_missed_{tag}", int(r["missed"]), "phones", "0"),
            (f"workshop_live_sends_stored_{tag} (every phone presses send once)", int(r["stored"]), "sends", str(n)),
            (f"workshop_live_sends_stored_not_confirmed_2s_{tag}", int(r["unconfirmed_2s"]), "sends", "0"),
            (f"workshop_live_forms_not_back_{tag}", int(r["forms_not_back"]), "forms", "0"),
            (f"workshop_live_send_confirmed_p95_{tag}", round(r["confirm_p95"], 1), "ms", "< 2000 ms"),
        ]
    return rows


if __name__ == "__main__":
    for name, value, unit, budget in run():
        print(f"{name}: {value} {unit} (budget: {budget})")
