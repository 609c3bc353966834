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

    def __init__(self, base: str, query: str, marker: bytes) -> None:
        self.base, self.query, self.marker = base, query, marker
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
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    kind = msg.WhichOneof("type")
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

    async def _tick(self, ws, stop: asyncio.Event) -> None:
        await self.loaded.wait()
        while not stop.is_set():  # the browser's setInterval: one rerun per interval, unconditionally
            await asyncio.sleep(self.interval)
            if self.fragment:
                await ws.send(self._rerun(self.fragment))


async def _room(bases: list[str], pids: list[int], store, n: int, specs: dict[str, dict]) -> dict[str, float]:
    from wijk.core.i18n import t

    made = store.create_workshop(AREA, 2024, QUESTIONS, title="bench")
    code, secret = made.join_code, made.facilitator_secret
    store.set_question_specs(code, secret, specs)  # as the facilitator's page does on creation
    tokens = [store.join(code) for _ in range(n)]
    marker = t("beeld_part_own", "nl").encode()
    phones = [Phone(bases[i % len(bases)], f"workshop={code}&deelnemer={tok}", marker) for i, tok in enumerate(tokens)]
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
        ]
    return rows


if __name__ == "__main__":
    for name, value, unit, budget in run():
        print(f"{name}: {value} {unit} (budget: {budget})")
