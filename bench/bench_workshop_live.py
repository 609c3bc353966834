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

The phones and the servers are in bench/live_client.py. ``run()`` returns rows (name, value, unit, budget); ``python bench/run.py workshop_live``.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, not through bench/run.py
    sys.path.insert(0, str(ROOT))

from bench.live_client import DEBUG, Phone, cpu_seconds, percentile, start_server  # noqa: E402

AREA = "BU00140301"
# the deck's first questions, in the order they are asked; one send per question
DECK = ["pct_met_kinderen", "misdrijven_per_1000", "pct_sociaal_minimum"]
SENDS = int(os.environ.get("WIJK_BENCH_LIVE_SENDS") or 3)
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
        cpu0, wall0 = sum(map(cpu_seconds, pids)), time.perf_counter()
        await asyncio.sleep(SETTLE_S / 2)
        cpu = (sum(map(cpu_seconds, pids)) - cpu0) / (time.perf_counter() - wall0)
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
        "reveal_p50": percentile(seen, 50) * 1000,
        "reveal_all": max((max(r) if len(r) == n else float("inf")) for r in reveals) * 1000,
        "missed": float(sum(n - len(r) for r in reveals)),
        "stored": sum(s["stored"] for s in sends),
        "unconfirmed_2s": sum(s["unconfirmed_2s"] for s in sends),
        "forms_not_back": sum(s["forms_not_back"] for s in sends),
        "confirm_p95": percentile(waits, 95) * 1000,
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
            started = [start_server(local, url if database != "sqlite" else None) for _ in range(servers)]
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
