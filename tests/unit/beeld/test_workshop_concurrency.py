"""A full room at once: 60 participants join and answer 6 questions concurrently.

Runs against a temporary SQLite file and PostgreSQL (fresh schema; skipped without a server).
Checks that nothing is lost, nothing is doubled, and a re-submit leaves the last value.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from wijk.beeld.workshop import WorkshopStore

PARTICIPANTS = 60
QUESTIONS = [f"q{i}" for i in range(1, 7)]


def _final_value(p: int, q: int) -> float:
    """Value participant p ends with for question q (every third participant re-submits)."""
    return p * 10 + q + (0.5 if p % 3 == 0 else 0.0)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'room.sqlite'}"
    return request.getfixturevalue("pg_url")


def test_sixty_participants_at_once(store_url):
    store = WorkshopStore(store_url)
    ws = store.create_workshop("WK001403", 2024, QUESTIONS, title="Drukke zaal")
    code = ws.join_code
    start = threading.Barrier(PARTICIPANTS, timeout=60)

    def participant(p: int) -> tuple[int, str]:
        token = store.join(code.lower(), nickname=f"deelnemer {p}" if p % 2 else None)
        start.wait()  # everybody submits at the same moment
        for q, qid in enumerate(QUESTIONS, start=1):
            store.submit(code, token, qid, p * 10 + q)
        if p % 3 == 0:  # changed their mind
            for q, qid in enumerate(QUESTIONS, start=1):
                store.submit(code, token, qid, _final_value(p, q), note="bijgesteld")
        return p, token

    try:
        with ThreadPoolExecutor(max_workers=PARTICIPANTS) as pool:
            done = list(pool.map(participant, range(PARTICIPANTS)))

        assert store.workshop_info(code).participant_count == PARTICIPANTS
        assert store.answer_counts(code) == dict.fromkeys(QUESTIONS, PARTICIPANTS)
        df = store.export_answers(code, ws.facilitator_secret)
        assert len(df) == PARTICIPANTS * len(QUESTIONS)
        assert not df.duplicated(["participant", "question_id", "round"]).any()
        assert df.participant.nunique() == PARTICIPANTS
        for p, token in done:
            assert store.my_answers(code, token) == {
                (qid, 1): _final_value(p, q) for q, qid in enumerate(QUESTIONS, start=1)
            }
        for q, qid in enumerate(QUESTIONS, start=1):
            store.reveal(code, ws.facilitator_secret, qid)
            expected = sorted(_final_value(p, q) for p in range(PARTICIPANTS))
            assert store.results(code, ws.facilitator_secret, qid) == expected
        assert (df.note == "bijgesteld").sum() == (PARTICIPANTS // 3) * len(QUESTIONS)
    finally:
        store.dispose()
