"""Benchmark: a workshop room sending at once while the server follows the workshop live.

For 60 and 200 participants on SQLite (a temporary file) and PostgreSQL (a fresh schema on
WIJK_TEST_PG_URL or 127.0.0.1:5432/test; skipped when unreachable): all participants join, wait
at a barrier, then send a form of 6 answers at the same moment (every third sends twice), while
the database carries what the live pages ask of it: the server's live hub (the real LiveHub,
watching every phone's session) asks for the workshop's version four times a second, and every
phone's backup poll asks once per BACKUP_SECONDS. Then the facilitator reveals and we time until
the hub has asked for a rerun of every phone (what the phones then draw is measured on a real
server in bench_workshop_live.py). Finally nothing may be lost or doubled.
``run()`` returns rows (name, value, unit, budget).
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

QUESTIONS = [f"q{i}" for i in range(1, 7)]
POLL_THREADS = 4
POLL_WINDOW_S = 3.0  # the polls per second are counted over this steady stretch


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _room(store, n: int) -> dict[str, float]:
    ws = store.create_workshop("BU00140301", 2024, QUESTIONS, title="bench")
    code = ws.join_code
    store.set_question_specs(code, ws.facilitator_secret, {q: {"kind": "pct", "unit": "pct"} for q in QUESTIONS})
    tokens = [store.join(code) for _ in range(n)]
    from wijk.beeld.ui_live import LiveHub
    from wijk.beeld.ui_workshop import BACKUP_SECONDS

    v0 = store.state_version(code)
    seen_at: dict[str, float] = {}
    polls = [0]
    stop = threading.Event()

    def versions(codes):
        polls[0] += 1
        return store.state_versions(codes)

    hub = LiveHub(versions, push=lambda sid, _part: seen_at.setdefault(sid, time.perf_counter()) is not None)
    for p in range(n):
        hub.watch(f"phone-{p}", code, v0)

    def poller(phones: list[int]) -> None:  # each phone's backup poll, once per BACKUP_SECONDS,
        gap = BACKUP_SECONDS / max(1, len(phones))  # spread over the interval as phones are
        while not stop.is_set():
            for _ in phones:
                store.state_version(code)
                polls[0] += 1
                if stop.wait(gap):
                    return

    pollers = [
        threading.Thread(target=poller, args=(list(range(i, n, POLL_THREADS)),), daemon=True)
        for i in range(POLL_THREADS)
    ]
    for t in pollers:
        t.start()
    barrier = threading.Barrier(n, timeout=300)
    latencies: list[float] = []
    lock = threading.Lock()

    def participant(p: int) -> None:
        barrier.wait()
        mine = []
        for attempt in range(2 if p % 3 == 0 else 1):
            t0 = time.perf_counter()
            refused = store.submit_all(code, tokens[p], {q: (p + i + attempt) % 100 for i, q in enumerate(QUESTIONS)})
            mine.append((time.perf_counter() - t0) * 1000)
            if refused:
                raise AssertionError(f"refused: {refused}")
        with lock:
            latencies.extend(mine)

    with ThreadPoolExecutor(max_workers=n) as pool:
        list(pool.map(participant, range(n)))
    # over a steady window after the sends (they take well under a second now: too short a window)
    t_a, polls_a = time.perf_counter(), polls[0]
    time.sleep(POLL_WINDOW_S)
    poll_rate = (polls[0] - polls_a) / (time.perf_counter() - t_a)
    counts = store.answer_counts(code)
    df = store.export_answers(code, ws.facilitator_secret)
    lost = sum(n - c for c in counts.values())
    doubled = int(df.duplicated(["participant", "question_id", "round"]).sum())
    t_reveal = time.perf_counter()
    store.reveal(code, ws.facilitator_secret, "q1")
    deadline = t_reveal + 30
    while len(seen_at) < n and time.perf_counter() < deadline:
        time.sleep(0.01)
    stop.set()
    hub.close()
    for t in pollers:
        t.join(5)
    reveal_all = (max(seen_at.values()) - t_reveal) * 1000 if len(seen_at) == n else float("inf")
    return {
        "p50": _percentile(latencies, 50),
        "p95": _percentile(latencies, 95),
        "reveal": reveal_all,
        "lost": float(lost),
        "doubled": float(doubled),
        "polls": poll_rate,
    }


def run() -> list[tuple[str, float, str, str]]:
    if str(Path(__file__).resolve().parents[1]) not in sys.path:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.pg_schema import pg_schema_url
    from wijk.beeld.ui_live import HUB_SECONDS
    from wijk.beeld.ui_workshop import BACKUP_SECONDS
    from wijk.beeld.workshop import WorkshopStore

    rows = []
    budgets = {("sqlite", 60): "< 200 ms", ("postgresql", 200): "< 200 ms"}
    for backend in ("sqlite", "postgresql"):
        for n in (60, 200):
            cleanup = None
            try:
                if backend == "sqlite":
                    tmp = tempfile.TemporaryDirectory(prefix="wijk-bench-")
                    url, cleanup = f"sqlite:///{Path(tmp.name) / 'bench.sqlite'}", tmp.cleanup
                else:
                    url, cleanup = pg_schema_url()
            except Exception as exc:  # noqa: BLE001 - no PostgreSQL server: say so, measure the rest
                rows.append((f"workshop_{backend}_{n}_skipped ({type(exc).__name__})", 0, "", "needs a server"))
                continue
            store = WorkshopStore(url)
            try:
                r = _room(store, n)
            finally:
                store.dispose()
                cleanup()
            tag = f"{backend}_{n}"
            rows += [
                (
                    f"workshop_send_p50_{tag} (6 answers per send, all at once, live hub and backup polls running)",
                    round(r["p50"], 1),
                    "ms",
                    "informative",
                ),
                (f"workshop_send_p95_{tag}", round(r["p95"], 1), "ms", budgets.get((backend, n), "informative")),
                (
                    f"workshop_reveal_to_rerun_asked_{tag} (live hub, every phone)",
                    round(r["reveal"], 1),
                    "ms",
                    "< 500 ms",
                ),
                (
                    f"workshop_version_queries_per_second_{tag} (hub + backup polls, one indexed query each)",
                    round(r["polls"], 1),
                    "1/s",
                    f"about {1 / HUB_SECONDS + n / BACKUP_SECONDS:.0f}",
                ),
                (f"workshop_lost_{tag}", int(r["lost"]), "answers", "0"),
                (f"workshop_doubled_{tag}", int(r["doubled"]), "answers", "0"),
            ]
    return rows


if __name__ == "__main__":
    for name, value, unit, budget in run():
        print(f"{name}: {value} {unit} (budget: {budget})")
