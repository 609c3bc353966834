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

Sends as in a real workshop: the facilitator takes the deck question by question, so every phone
presses 'Antwoorden versturen' once per question (WIJK_BENCH_LIVE_SENDS, default 3): it fills in
that question (the earlier ones are revealed and gone from the form), sends, and the facilitator
reveals it before the next. A send counts as confirmed when the phone has been drawn both the
send's confirmation and "Opgeslagen: <its value>" under that question (only a run after the
answer was stored can draw that: an earlier send's confirmation, still drawn in the round, does
not count), and its form as back when the send button has been drawn again.

``run()`` returns rows (name, value, unit, budget); ``python bench/run.py workshop_live``.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AREA = "BU00140301"
# the deck's first questions, in the order they are asked; one send per question
DECK = ["pct_met_kinderen", "misdrijven_per_1000", "pct_sociaal_minimum"]
SENDS = int(os.environ.get("WIJK_BENCH_LIVE_SENDS") or 3)
# WIJK_BENCH_LIVE_DEBUG=1: print, to stderr, what each late phone was sent after its send or reveal
DEBUG = bool(os.environ.get("WIJK_BENCH_LIVE_DEBUG"))
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


def _kind(data: bytes) -> str:
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


def _percentile(values: list[float], pct: float) -> float:
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
                        self.debug.append((round(time.perf_counter(), 2), _kind(data)))
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


async def _room(bases: list[str], pids: list[int], store, n: int, questions: list) -> dict:
    from wijk.core.i18n import t

    made = store.create_workshop(AREA, 2024, [q.id for q in questions], title="bench")
    code, secret = made.join_code, made.facilitator_secret
    store.set_question_specs(code, secret, {q.id: q.to_spec() for q in questions})  # as the facilitator's page
    tokens = [store.join(code) for _ in range(n)]
    sent_marker = t("beeld_part_sent", "nl", n=1).encode()  # one question per send
    phones = [
        Phone(bases[i % len(bases)], f"workshop={code}&deelnemer={tok}", b"", sent_marker)
        for i, tok in enumerate(tokens)
    ]
    stop = asyncio.Event()
    tasks = []
    t_open = time.perf_counter()
    for p in phones:  # a room arrives over a few seconds, not in one instant
        tasks.append(asyncio.create_task(p.run(stop)))
        await asyncio.sleep(0.02)
    sends: list[dict] = []
    reveals: list[list[float]] = []
    try:
        await asyncio.wait_for(asyncio.gather(*(p.loaded.wait() for p in phones)), 240)
        loaded_s = time.perf_counter() - t_open
        await asyncio.sleep(SETTLE_S / 2)
        cpu0, wall0 = sum(map(_cpu_seconds, pids)), time.perf_counter()
        await asyncio.sleep(SETTLE_S / 2)
        cpu = (sum(map(_cpu_seconds, pids)) - cpu0) / (time.perf_counter() - wall0)
        for q in questions:  # the deck, question by question: everyone sends it, then it is revealed
            sends.append(await _sends(phones, store, code, q))
            reveals.append(await _reveal(phones, store, code, secret, q))
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    seen = [s for r in reveals for s in r]
    waits = [w for s in sends for w in s["waits"]]
    return {
        "loaded": loaded_s,
        "cpu": cpu * 100,
        "reveal_p50": _percentile(seen, 50) * 1000,
        "reveal_all": max((max(r) if len(r) == n else float("inf")) for r in reveals) * 1000,
        "missed": float(sum(n - len(r) for r in reveals)),
        "stored": sum(s["stored"] for s in sends),
        "unconfirmed_2s": sum(s["unconfirmed_2s"] for s in sends),
        "forms_not_back": sum(s["forms_not_back"] for s in sends),
        "confirm_p95": _percentile(waits, 95) * 1000,
        "unconfirmed_per_send": "/".join(str(int(s["unconfirmed_2s"])) for s in sends),
    }


def _answer(q, i: int) -> float:
    """Phone i's answer to question q: inside the question's range, different between phones."""
    return 5.0 + i % 50 if q.kind == "pct" else 20.0 + i % 100


async def _sends(phones: list[Phone], store, code: str, q) -> dict:
    """Every phone fills in question q and presses 'Antwoorden versturen' (the room within a second)
    while the backup polls run; how many answers were stored, how many confirmations were drawn
    within 2 s, how many forms came back."""
    from wijk.beeld.perception import format_answer
    from wijk.core.i18n import t

    for i, p in enumerate(phones):
        value = _answer(q, i)
        saved = t("beeld_part_saved", "nl", value=format_answer(q, value, "nl")).encode()
        await p.press_send({q.id: value}, saved)
        await asyncio.sleep(1.0 / len(phones))
    deadline = time.perf_counter() + SEND_TIMEOUT_S
    while time.perf_counter() < deadline and any(p.confirmed_at is None or p.form_back_at is None for p in phones):
        await asyncio.sleep(0.05)
    if DEBUG:
        for p in phones:
            late = p.confirmed_at is None or p.form_back_at is None or p.confirmed_at - (p.sent_at or 0) > 2
            if late:
                t0 = p.sent_at or 0
                trace = [(round(t - t0, 2), k) for t, k in p.debug if t >= t0 - 0.5][:80]
                print("LATE", q.id, p.confirmed_at and p.confirmed_at - t0, p.form_back_at, trace, file=sys.stderr)
    stored = (await asyncio.to_thread(store.answer_counts, code)).get(q.id, 0)
    waits = [p.confirmed_at - p.sent_at for p in phones if p.confirmed_at is not None and p.sent_at is not None]
    within = sum(1 for w in waits if w <= 2.0)  # a confirmation names the stored value: within <= stored
    return {
        "stored": float(stored),
        "unconfirmed_2s": float(max(stored - within, 0)),
        "forms_not_back": float(sum(1 for p in phones if p.form_back_at is None)),
        "waits": waits,
    }


async def _reveal(phones: list[Phone], store, code: str, secret: str, q) -> list[float]:
    """The facilitator reveals q (through the store, as another server would); the seconds until
    each phone was sent its own result line for q."""
    from wijk.core.i18n import t
    from wijk.core.text import md

    marker = f"**{md(q.label('nl'))}** ({t('beeld_round', 'nl', n=1)}): ".encode()
    for p in phones:
        p.expect_reveal(marker)
    t_reveal = time.perf_counter()
    await asyncio.to_thread(store.reveal, code, secret, q.id)
    deadline = t_reveal + REVEAL_TIMEOUT_S
    while any(p.seen_at is None for p in phones) and time.perf_counter() < deadline:
        await asyncio.sleep(0.02)
    if DEBUG:
        for p in phones:
            if p.seen_at is None:
                print(
                    "MISSED",
                    q.id,
                    [(round(t - t_reveal, 2), k) for t, k in p.debug if t >= t_reveal][:40],
                    file=sys.stderr,
                )
    return [p.seen_at - t_reveal for p in phones if p.seen_at is not None]


def _one_room(database: str, servers: int, n: int, questions: list) -> dict:
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
            return asyncio.run(_room([b for _, b in started], [p.pid for p in procs], store, n, questions))
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

    available = {q.id: q for q in available_questions(Store.load(), AREA, 2024)}
    ordered = [available[i] for i in DECK if i in available]
    ordered += [q for q in available.values() if q.kind != "compare" and q.id not in DECK]  # more sends than DECK
    questions = ordered[: max(1, SENDS)]
    k = len(questions)
    rows: list[tuple[str, float, str, str]] = []
    for database, servers, n in ROOMS:
        tag = f"{database}_{servers}x_{n}"
        try:
            r = _one_room(database, servers, n, questions)
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
            (f"workshop_live_reveal_p50_{tag} (all {k} reveals)", round(r["reveal_p50"], 1), "ms", "informative"),
            (
                f"workshop_live_reveal_to_all_phones_{tag} (slowest of {k} reveals)",
                round(r["reveal_all"], 1),
                "ms",
                "< 2000 ms",
            ),
            (f"workshop_live_phones_missed_{tag} (over {k} reveals)", int(r["missed"]), "phone reveals", "0"),
            (
                f"workshop_live_sends_stored_{tag} (every phone sends {k} times, one question each)",
                int(r["stored"]),
                "sends",
                str(n * k),
            ),
            (
                f"workshop_live_sends_stored_not_confirmed_2s_{tag} (per send: {r['unconfirmed_per_send']})",
                int(r["unconfirmed_2s"]),
                "sends",
                "0",
            ),
            (f"workshop_live_forms_not_back_{tag}", int(r["forms_not_back"]), "forms", "0"),
            (f"workshop_live_send_confirmed_p95_{tag} (all sends)", round(r["confirm_p95"], 1), "ms", "< 2000 ms"),
        ]
    return rows


if __name__ == "__main__":
    for name, value, unit, budget in run():
        print(f"{name}: {value} {unit} (budget: {budget})")
