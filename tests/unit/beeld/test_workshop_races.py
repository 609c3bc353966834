"""Races: a reveal, round 2 and closing while 200 participants keep resending.

Threads in one process, and two processes (participants in a child process, the facilitator
here), on SQLite and PostgreSQL. Every answer the store reported as saved must be stored (the
last one per question and round), nothing is doubled, and the result seen right after a reveal
is the result for good (no answer commits after its reveal).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.unit.beeld import workshop_race_worker as worker
from wijk.beeld.workshop import WorkshopStore

PARTICIPANTS = 200
QUESTIONS = ["q1", "q2", "q3"]
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'race.sqlite'}"
    return request.getfixturevalue("pg_url")


def _wait_for_answers(store: WorkshopStore, code: str, at_least: int) -> None:
    """Until every question has at least this many answers in the current round."""
    deadline = time.monotonic() + 120
    while min(store.answer_counts(code).values()) < at_least:
        assert time.monotonic() < deadline, "participants did not send"
        time.sleep(0.05)


def _facilitate(store: WorkshopStore, code: str, secret: str) -> dict[tuple[str, int], list[float]]:
    """Reveal q1 in round 1, start round 2, reveal q2 in round 2, close; all while sending."""
    seen = {}
    _wait_for_answers(store, code, PARTICIPANTS)
    store.reveal(code, secret, "q1")
    seen[("q1", 1)] = store.results(code, secret, "q1", 1)
    time.sleep(0.3)
    store.start_second_round(code, secret)
    _wait_for_answers(store, code, PARTICIPANTS)  # counts are per current round
    store.reveal(code, secret, "q2")
    seen[("q2", 2)] = store.results(code, secret, "q2", 2)
    time.sleep(0.3)
    store.close(code, secret)
    return seen


def _check(
    store: WorkshopStore, code: str, secret: str, tokens: list[str], reported: list[dict[str, float]], seen: dict
) -> None:
    for token, saved in zip(tokens, reported, strict=True):
        stored = {f"{q}|{r}": v for (q, r), v in store.my_answers(code, token).items()}
        assert stored == saved  # every answer reported saved is stored; nothing else is
    df = store.export_answers(code, secret)
    assert not df.duplicated(["participant", "question_id", "round"]).any()
    for (q, rnd), before in seen.items():
        assert store.results(code, secret, q, rnd) == before  # fixed at the reveal
    assert len(seen[("q1", 1)]) == PARTICIPANTS  # everyone had sent before the reveal


def _room(url: str):
    store = WorkshopStore(url)
    made = store.create_workshop("BU00140301", 2024, QUESTIONS, "race")
    store.set_question_specs(
        made.join_code, made.facilitator_secret, {q: {"kind": "pct", "unit": "pct"} for q in QUESTIONS}
    )
    tokens = [store.join(made.join_code) for _ in range(PARTICIPANTS)]
    return store, made, tokens


def test_reveal_round_and_close_racing_resending_threads(url):
    store, made, tokens = _room(url)
    out: list = []
    sender = threading.Thread(target=lambda: out.append(worker.run(url, made.join_code, tokens, QUESTIONS)))
    sender.start()
    try:
        seen = _facilitate(store, made.join_code, made.facilitator_secret)
    finally:
        sender.join(300)
    _check(store, made.join_code, made.facilitator_secret, tokens, out[0], seen)
    store.dispose()


def test_reveal_round_and_close_racing_another_process(url):
    store, made, tokens = _room(url)
    procs = []
    for half in (tokens[: PARTICIPANTS // 2], tokens[PARTICIPANTS // 2 :]):
        p = subprocess.Popen(
            [sys.executable, str(Path(worker.__file__)), url, made.join_code, json.dumps(QUESTIONS)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        p.stdin.write(json.dumps(half))
        p.stdin.close()
        procs.append(p)
    try:
        seen = _facilitate(store, made.join_code, made.facilitator_secret)
    finally:
        outputs = [p.stdout.read() for p in procs]
        for p in procs:
            p.wait(300)
    assert all(p.returncode == 0 for p in procs)
    reported = [row for text in outputs for row in json.loads(text)]
    _check(store, made.join_code, made.facilitator_secret, tokens, reported, seen)
    store.dispose()
