"""The workshop's read model: what pages, phones, the projector and the live hub read.

Nothing here writes. Reads that need the facilitator's secret (results, export) are facilitator
commands; the queries they share with this model are the module functions below.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable

from sqlalchemy import Connection, func, select

from wijk.beeld.workshop_access import (
    NotAllowed,
    ParticipantView,
    WorkshopAccess,
    WorkshopError,
    WorkshopInfo,
    normalise_code,
    question_round,
    token_hash,
)
from wijk.beeld.workshop_schema import (
    WorkshopRow,
    answers,
    find_workshop,
    participants,
    question_specs,
    reveals,
    workshops,
)


def is_presenter_key(ws: WorkshopRow, key: str) -> bool:
    """Whether key is this workshop's projector key (see FacilitatorCommands.new_presenter_key)."""
    return bool(ws.presenter_hash) and bool(key) and hmac.compare_digest(ws.presenter_hash or "", token_hash(key))


def is_revealed_in(conn: Connection, ws: WorkshopRow, question_id: str, rnd: int) -> bool:
    query = select(reveals.c.id).where(
        reveals.c.workshop_id == ws.id, reveals.c.question_id == question_id, reveals.c.round == rnd
    )
    return conn.execute(query).first() is not None


def revealed_results(conn: Connection, ws: WorkshopRow, question_id: str, round: int | None) -> list[float]:
    """Sorted answers to a revealed question (NotAllowed before the reveal)."""
    rnd = question_round(ws, question_id, round)
    if not is_revealed_in(conn, ws, question_id, rnd):
        raise NotAllowed("results are shown only after the reveal")
    vals = conn.execute(
        select(answers.c.value).where(
            answers.c.workshop_id == ws.id, answers.c.question_id == question_id, answers.c.round == rnd
        )
    ).scalars()
    return sorted(float(v) for v in vals)


def specs_of(conn: Connection, ws: WorkshopRow) -> dict[str, dict]:
    rows = conn.execute(
        select(question_specs.c.question_id, question_specs.c.spec).where(question_specs.c.workshop_id == ws.id)
    ).all()
    return {q: json.loads(spec) for q, spec in rows}


def answers_of(conn: Connection, ws: WorkshopRow, pid: int) -> dict[tuple[str, int], float]:
    rows = conn.execute(  # by (workshop, participant): the unique answer index's prefix
        select(answers.c.question_id, answers.c.round, answers.c.value).where(
            answers.c.workshop_id == ws.id, answers.c.participant_id == pid
        )
    ).all()
    return {(q, int(r)): float(v) for q, r, v in rows}


def joined_count(conn: Connection, ws: WorkshopRow) -> int:
    """Participants joined and not left (or removed)."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(participants)
            .where(participants.c.workshop_id == ws.id, participants.c.left_at.is_(None))
        ).scalar_one()
    )


def info_of(conn: Connection, ws: WorkshopRow) -> WorkshopInfo:
    rev = conn.execute(
        select(reveals.c.round, reveals.c.question_id)
        .where(reveals.c.workshop_id == ws.id)
        .order_by(reveals.c.revealed_at, reveals.c.id)
    ).all()
    n = joined_count(conn, ws)
    revealed: dict[int, tuple[str, ...]] = {}
    for rnd in sorted({int(r) for r, _ in rev}):
        done = {q for r, q in rev if r == rnd}
        revealed[rnd] = tuple(q for q in ws.question_ids if q in done)
    return WorkshopInfo(
        ws.join_code,
        ws.area_code,
        ws.year,
        ws.question_ids,
        ws.title,
        ws.status,
        ws.current_round,
        revealed,
        int(n),
        ws.version,
        (int(rev[-1][0]), rev[-1][1]) if rev else None,
        ws.join_cap,
        ws.join_open and ws.status == "open",
    )


class WorkshopReads(WorkshopAccess):
    """Public reads (no secret) and a participant's own reads (with their token)."""

    def question_specs(self, code: str) -> dict[str, dict]:
        """The stored public question specs of a workshop, by question id (public)."""
        with self.engine.connect() as conn:
            return specs_of(conn, self._workshop(conn, code))

    def workshop_info(self, code: str) -> WorkshopInfo:
        """Public facts of a workshop, open or closed (UnknownWorkshop if there is none)."""
        with self.engine.connect() as conn:
            return info_of(conn, self._workshop(conn, code))

    def answer_counts(self, join_code: str) -> dict[str, int]:
        """Number of answers per question in the current round (no values)."""
        with self.engine.connect() as conn:
            ws = self._workshop(conn, join_code)
            rows = conn.execute(
                select(answers.c.question_id, func.count())
                .where(answers.c.workshop_id == ws.id, answers.c.round == ws.current_round)
                .group_by(answers.c.question_id)
            ).all()
        counts = dict.fromkeys(ws.question_ids, 0)
        counts.update({q: int(n) for q, n in rows if q in counts})
        return counts

    def is_revealed(self, code: str, question_id: str, round: int | None = None) -> bool:
        """Whether the question has been revealed in the round (default: current)."""
        with self.engine.connect() as conn:
            ws = self._workshop(conn, code)
            rnd = ws.current_round if round is None else int(round)
            return is_revealed_in(conn, ws, question_id, rnd)

    def state_version(self, join_code: str) -> int | None:
        """The workshop's state version (None: no such workshop): one indexed lookup, for polling.
        It changes with every reveal, new round, close and reset."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":  # one statement, no BEGIN/ROLLBACK round trips
                conn.execution_options(isolation_level="AUTOCOMMIT")
            return conn.execute(
                select(workshops.c.version).where(workshops.c.join_code == normalise_code(join_code))
            ).scalar_one_or_none()

    def state_versions(self, join_codes: Iterable[str]) -> dict[str, int]:
        """The state version of each of these workshops that exists, in one indexed query: what a
        server's live hub asks for all the workshops its phones follow."""
        wanted = sorted({normalise_code(c) for c in join_codes})
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT")
            rows = conn.execute(
                select(workshops.c.join_code, workshops.c.version).where(workshops.c.join_code.in_(wanted))
            ).all()
        return {code: int(version) for code, version in rows}

    # -- the projector ---------------------------------------------------------------------
    def verify_presenter(self, code: str, key: str) -> bool:
        try:
            with self.engine.connect() as conn:
                return is_presenter_key(self._workshop(conn, code), str(key or ""))
        except WorkshopError:
            return False

    def presenter_results(self, code: str, key: str, question_id: str, round: int) -> list[float]:
        """results() for the projector view (NotAllowed with a wrong key or before the reveal)."""
        with self.engine.connect() as conn:
            ws = self._workshop(conn, code)
            if not is_presenter_key(ws, str(key or "")):
                raise NotAllowed("wrong presenter key")
            return revealed_results(conn, ws, question_id, round)

    # -- one participant -------------------------------------------------------------------
    def my_answers(self, code: str, participant_token: str) -> dict[tuple[str, int], float]:
        """This participant's own answers, keyed by (question_id, round)."""
        with self.engine.connect() as conn:
            return answers_of(conn, *self._participant(conn, code, participant_token))

    def participant_view(self, code: str, participant_token: str) -> ParticipantView | None:
        """The workshop, its question specs and this participant's own answers; None when the
        code or the token is unknown, or the participant left. One transaction on SQLite (one
        snapshot); on PostgreSQL each statement reads committed data anyway, so no BEGIN and
        ROLLBACK round trips (a room of phones reads this at every send and every reveal)."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT")
            ws, pid = find_workshop(conn, normalise_code(code), token_hash(str(participant_token))) or (None, None)
            if ws is None or pid is None:
                return None
            return ParticipantView(info_of(conn, ws), specs_of(conn, ws), answers_of(conn, ws, pid))
