"""Workshop store for the perception-versus-data workshop (pure logic, no Streamlit).

A facilitator creates a workshop (a join code plus a facilitator secret); participants join with
the code and get a private token; they commit a number per question before the facilitator
reveals it. Only SHA-256 hashes of the secret and tokens are stored, nicknames are optional.
SQLite (default, WAL) and PostgreSQL (``postgresql+psycopg://``) run through the same code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import Connection, Engine, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from wijk.beeld.answer_ranges import ANY_RANGE, answer_range
from wijk.beeld.workshop_schema import (
    Database,
    GroupCommit,
    Pending,
    WorkshopRow,
    answers,
    find_workshop,
    participant_ids,
    participants,
    question_specs,
    reveals,
    upsert,
    upsert_many,
    workshops,
)
from wijk.core.db import database_url

if TYPE_CHECKING:
    import pandas as pd

JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
JOIN_CODE_LENGTH = 6
MAX_NOTE_CHARS = 1000
MAX_NICKNAME_CHARS = 40
SEND_BATCH_LIMIT = 200  # sends of one process written in one transaction at most (see GroupCommit)
# Why an answer was not taken (returned by submit_all; the UI says it in words)
REFUSED_CLOSED, REFUSED_ROUND, REFUSED_REVEALED, REFUSED_RANGE, REFUSED_UNKNOWN = (
    "closed",
    "round",
    "revealed",
    "range",
    "unknown",
)


class WorkshopError(Exception):
    """Base class of workshop errors."""


class UnknownWorkshop(WorkshopError, LookupError):
    """No workshop with this join code (for join: no open one)."""


class NotAllowed(WorkshopError):
    """The secret or token is wrong, or the action is not possible in this state."""


@dataclass(frozen=True)
class CreatedWorkshop:
    """Returned once at creation; the facilitator secret is not stored and cannot be shown again."""

    join_code: str
    facilitator_secret: str
    workshop_id: int


@dataclass(frozen=True)
class WorkshopInfo:
    """Public facts about a workshop (no secrets, no answers)."""

    join_code: str
    area_code: str
    year: int
    question_ids: tuple[str, ...]
    title: str
    status: str
    current_round: int
    revealed: dict[int, tuple[str, ...]]  # round -> revealed question ids, in question order
    participant_count: int  # joined and not left
    version: int = 0  # the state version (see WorkshopStore.state_version)
    last_revealed: tuple[int, str] | None = None  # (round, question id) revealed most recently


class Send(NamedTuple):
    """One participant's form as it waits for the group commit (see WorkshopStore.submit_all)."""

    code: str
    token_hash: str
    values: dict[str, float]
    round: int | None
    notes: dict[str, str]


@dataclass(frozen=True)
class ParticipantView:
    """What one participant's page needs, read in one transaction (a room of phones redraws at
    every reveal, so each redraw asks the database once, not four times)."""

    info: WorkshopInfo
    specs: dict[str, dict]  # the workshop's stored question specs, by question id
    mine: dict[tuple[str, int], float]  # this participant's answers, by (question id, round)


def normalise_code(code: str) -> str:
    """Upper-case the code and drop all whitespace ("ab c12 3" -> "ABC123")."""
    return "".join(str(code).split()).upper()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class WorkshopStore:
    """All workshop state; safe to share between threads (one engine, short transactions)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url("workshops")
        self._db = Database(self.url)
        self._write = self._db.write
        self._sends = GroupCommit(self._send_batch, SEND_BATCH_LIMIT)

    @property
    def engine(self) -> Engine:
        """The engine, created (with its tables) on first use."""
        return self._db.engine

    def dispose(self) -> None:
        """Close pooled connections (the store can still be used afterwards)."""
        self._db.dispose()

    # -- lookups ---------------------------------------------------------------------------
    @staticmethod
    def _lookup(
        conn: Connection, code: str, token: str | None = None, lock: str | None = None
    ) -> tuple[WorkshopRow, int | None]:
        token_hash = None if token is None else _hash(str(token))
        found = find_workshop(conn, normalise_code(code), token_hash, lock)
        if found is None:
            raise UnknownWorkshop(f"no workshop with code {normalise_code(code)!r}")
        return found

    def _workshop(self, conn: Connection, code: str, lock: str | None = None) -> WorkshopRow:
        return self._lookup(conn, code, None, lock)[0]

    def _participant(self, conn: Connection, code: str, token: str, lock: str | None = None) -> tuple[WorkshopRow, int]:
        ws, pid = self._lookup(conn, code, token, lock)
        if pid is None:
            raise NotAllowed("unknown participant token")
        return ws, pid

    def _facilitator(self, conn: Connection, code: str, secret: str, lock: str | None = None) -> WorkshopRow:
        ws = self._workshop(conn, code, lock)
        if not hmac.compare_digest(ws.secret_hash, _hash(str(secret or ""))):
            raise NotAllowed("wrong facilitator secret")
        return ws

    @staticmethod
    def _question_round(ws: WorkshopRow, question_id: str, round: int | None) -> int:
        if question_id not in ws.question_ids:
            raise NotAllowed(f"question {question_id!r} is not part of this workshop")
        rnd = ws.current_round if round is None else int(round)
        if not 1 <= rnd <= ws.current_round:
            raise NotAllowed(f"round {rnd} has not started")
        return rnd

    @staticmethod
    def _changed(conn: Connection, ws: WorkshopRow, **values) -> None:
        """Apply a change participants must follow and bump the state version they poll."""
        conn.execute(update(workshops).where(workshops.c.id == ws.id).values(version=workshops.c.version + 1, **values))

    @staticmethod
    def _is_revealed(conn: Connection, ws: WorkshopRow, question_id: str, rnd: int) -> bool:
        return (
            conn.execute(
                select(reveals.c.id).where(
                    reveals.c.workshop_id == ws.id, reveals.c.question_id == question_id, reveals.c.round == rnd
                )
            ).first()
            is not None
        )

    # -- facilitator -----------------------------------------------------------------------
    def create_workshop(self, area_code: str, year: int, question_ids: list[str], title: str = "") -> CreatedWorkshop:
        """Create an open workshop in round 1 with a fresh unique join code and secret."""
        qids = [str(q) for q in question_ids]
        if not qids or len(set(qids)) != len(qids):
            raise ValueError("question_ids must be a non-empty list without duplicates")
        secret = secrets.token_urlsafe(24)
        for _ in range(50):
            code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
            try:
                with self._write() as conn:
                    wid = conn.execute(
                        insert(workshops)
                        .values(
                            join_code=code,
                            facilitator_secret_hash=_hash(secret),
                            area_code=str(area_code).strip(),
                            year=int(year),
                            question_ids=json.dumps(qids),
                            title=str(title or ""),
                            created_at=_now(),
                            status="open",
                            current_round=1,
                        )
                        .returning(workshops.c.id)
                    ).scalar_one()
                return CreatedWorkshop(code, secret, wid)
            except IntegrityError:  # join code already taken: draw another
                continue
        raise RuntimeError("could not find a free join code")

    def set_question_specs(self, code: str, secret: str, specs: dict[str, dict]) -> None:
        """Store (or replace) the public wording of questions, so that a participant's device
        can show them (e.g. own local figures it does not hold). Never put figures in a spec."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            limits = {q: list(r) for q, r in ws.limits.items()}
            for qid, spec in specs.items():
                if qid not in ws.question_ids:
                    raise NotAllowed(f"question {qid!r} is not part of this workshop")
                upsert(
                    conn,
                    question_specs,
                    dict(workshop_id=ws.id, question_id=qid, spec=json.dumps(spec, ensure_ascii=False)),
                    ["workshop_id", "question_id"],
                    ["spec"],
                )
                limits[qid] = list(answer_range(spec))
            conn.execute(update(workshops).where(workshops.c.id == ws.id).values(limits=json.dumps(limits)))

    def question_specs(self, code: str) -> dict[str, dict]:
        """The stored public question specs of a workshop, by question id (public)."""
        with self.engine.connect() as conn:
            return self._specs(conn, self._workshop(conn, code))

    @staticmethod
    def _specs(conn: Connection, ws: WorkshopRow) -> dict[str, dict]:
        rows = conn.execute(
            select(question_specs.c.question_id, question_specs.c.spec).where(question_specs.c.workshop_id == ws.id)
        ).all()
        return {q: json.loads(spec) for q, spec in rows}

    def verify_facilitator(self, code: str, secret: str) -> bool:
        """True when the secret belongs to the workshop with this code."""
        try:
            with self.engine.connect() as conn:
                self._facilitator(conn, code, secret)
            return True
        except WorkshopError:
            return False

    @staticmethod
    def _presenter_key(ws: WorkshopRow) -> str:
        return hmac.new(ws.secret_hash.encode(), b"presenter view", hashlib.sha256).hexdigest()[:24]

    def presenter_key(self, code: str, secret: str) -> str:
        """The key of the projector view (in its URL): it shows what the room may see and
        cannot act; derived from the secret, so it is the same after the facilitator resumes."""
        with self.engine.connect() as conn:
            return self._presenter_key(self._facilitator(conn, code, secret))

    def presenter_results(self, code: str, key: str, question_id: str, round: int) -> list[float]:
        """results() for the projector view (NotAllowed with a wrong key or before the reveal)."""
        with self.engine.connect() as conn:
            ws = self._workshop(conn, code)
            if not hmac.compare_digest(self._presenter_key(ws), str(key or "")):
                raise NotAllowed("wrong presenter key")
            return self._results(conn, ws, question_id, round)

    def verify_presenter(self, code: str, key: str) -> bool:
        try:
            with self.engine.connect() as conn:
                return hmac.compare_digest(self._presenter_key(self._workshop(conn, code)), str(key or ""))
        except WorkshopError:
            return False

    def reveal(self, code: str, secret: str, question_id: str, round: int | None = None) -> None:
        """Reveal a question for a round (default: current); answers to it are then locked.

        The workshop row is locked first: the reveal waits for the sends in flight, and no answer
        to the question commits after it (the result set is fixed from here on)."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            rnd = self._question_round(ws, question_id, round)
            if upsert(
                conn,
                reveals,
                dict(workshop_id=ws.id, question_id=question_id, round=rnd, revealed_at=_now()),
                ["workshop_id", "question_id", "round"],
                [],
            ):  # idempotent
                self._changed(conn, ws)

    def results(self, code: str, secret: str, question_id: str, round: int | None = None) -> list[float]:
        """Sorted answers to a revealed question (NotAllowed before the reveal)."""
        with self.engine.connect() as conn:
            return self._results(conn, self._facilitator(conn, code, secret), question_id, round)

    def _results(self, conn: Connection, ws: WorkshopRow, question_id: str, round: int | None) -> list[float]:
        rnd = self._question_round(ws, question_id, round)
        if not self._is_revealed(conn, ws, question_id, rnd):
            raise NotAllowed("results are shown only after the reveal")
        vals = conn.execute(
            select(answers.c.value).where(
                answers.c.workshop_id == ws.id, answers.c.question_id == question_id, answers.c.round == rnd
            )
        ).scalars()
        return sorted(float(v) for v in vals)

    def start_second_round(self, code: str, secret: str) -> int:
        """Move to round 2 (idempotent); round-1 answers are kept apart. Returns the round."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            if ws.status != "open":
                raise NotAllowed("the workshop is closed")
            if ws.current_round < 2:
                self._changed(conn, ws, current_round=2)
        return max(ws.current_round, 2)

    def close(self, code: str, secret: str) -> None:
        """Close the workshop: no joins or answers any more; results and export still work."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            if ws.status != "closed":
                self._changed(conn, ws, status="closed")

    def reset(self, code: str, secret: str) -> None:
        """Delete all answers and reveals and go back to round 1 (participants stay joined)."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            conn.execute(delete(answers).where(answers.c.workshop_id == ws.id))
            conn.execute(delete(reveals).where(reveals.c.workshop_id == ws.id))
            self._changed(conn, ws, current_round=1)

    def export_answers(self, code: str, secret: str) -> pd.DataFrame:
        """All answers, anonymous: participants numbered p1, p2, ... in join order."""
        import pandas as pd

        with self.engine.connect() as conn:
            ws = self._facilitator(conn, code, secret)
            pids = (
                conn.execute(
                    select(participants.c.id).where(participants.c.workshop_id == ws.id).order_by(participants.c.id)
                )
                .scalars()
                .all()
            )
            rows = conn.execute(
                select(
                    answers.c.participant_id,
                    answers.c.question_id,
                    answers.c.round,
                    answers.c.value,
                    answers.c.note,
                    answers.c.submitted_at,
                ).where(answers.c.workshop_id == ws.id)
            ).all()
        number = {pid: i for i, pid in enumerate(pids, start=1)}
        order = {q: i for i, q in enumerate(ws.question_ids)}
        rows = sorted(rows, key=lambda r: (number[r.participant_id], r.round, order.get(r.question_id, len(order))))
        df = pd.DataFrame(
            [
                (f"p{number[r.participant_id]}", r.question_id, int(r.round), float(r.value), r.note, r.submitted_at)
                for r in rows
            ],
            columns=["participant", "question_id", "round", "value", "note", "submitted_at"],
        )
        df["submitted_at"] = pd.to_datetime(df["submitted_at"], utc=True)
        return df

    # -- participants ----------------------------------------------------------------------
    def join(self, join_code: str, nickname: str | None = None) -> str:
        """Join an open workshop; returns the participant's private token."""
        nick = (str(nickname).strip()[:MAX_NICKNAME_CHARS] or None) if nickname else None
        token = secrets.token_urlsafe(24)
        with self._write() as conn:
            ws = self._workshop(conn, join_code)
            if ws.status != "open":
                raise UnknownWorkshop(f"workshop {ws.join_code!r} is closed")
            conn.execute(
                insert(participants).values(workshop_id=ws.id, nickname=nick, token_hash=_hash(token), joined_at=_now())
            )
        return token

    def verify_participant(self, code: str, participant_token: str) -> bool:
        """True when the token belongs to a participant of this workshop."""
        try:
            with self.engine.connect() as conn:
                self._participant(conn, code, participant_token)
            return True
        except WorkshopError:
            return False

    def submit(
        self,
        join_code: str,
        participant_token: str,
        question_id: str,
        value: float,
        round: int | None = None,
        note: str | None = None,
    ) -> None:
        """Store (or replace) a participant's answer for the current round before the reveal."""
        failed = self.submit_all(
            join_code, participant_token, {question_id: value}, round, {question_id: note} if note is not None else None
        )
        if failed:
            raise NotAllowed(failed[question_id])

    def submit_all(
        self,
        join_code: str,
        participant_token: str,
        values: dict[str, float],
        round: int | None = None,
        notes: dict[str, str] | None = None,
    ) -> dict[str, str]:
        """Store a participant's answers to several questions in one transaction (one 'send').

        Returns {question_id: reason} for every answer that was NOT stored: 'closed', 'round'
        (a new round began), 'revealed', 'range' (outside the question's range) or 'unknown';
        every other answer is stored when this returns. The state is read under a lock on the
        workshop row (shared on PostgreSQL, the write lock on SQLite), so a reveal, a new round or
        closing cannot slip between the check and the write. Raises NotAllowed for a bad token
        or a round that has not started, ValueError for a value that is not a finite number.
        Sends arriving together in this process share one transaction (GroupCommit); each still
        gets its own answer, and only after the commit.
        """
        notes = notes or {}
        for qid, value in values.items():
            if not math.isfinite(float(value)):
                raise ValueError("value must be a finite number")
            if notes.get(qid) is not None and len(notes[qid]) > MAX_NOTE_CHARS:
                raise ValueError(f"note longer than {MAX_NOTE_CHARS} characters")
        send = Send(normalise_code(join_code), _hash(str(participant_token)), dict(values), round, dict(notes))
        return self._sends.submit(Pending(send))

    def _send_batch(self, batch: list[Pending]) -> None:
        """Write the sends of a GroupCommit batch: one transaction per workshop (usually one)."""
        by_code: dict[str, list[Pending]] = {}
        for pending in batch:
            by_code.setdefault(pending.args.code, []).append(pending)
        for code, group in by_code.items():
            try:
                self._send_group(code, group)
            except Exception as error:  # noqa: BLE001 - handed to every waiting sender
                for pending in group:
                    if not pending.done:
                        pending.fail(error)

    def _send_group(self, code: str, group: list[Pending]) -> None:
        """Sends to one workshop in one transaction, under the shared workshop lock (see
        submit_all). Each sender's outcome is handed over only after the commit."""
        outcomes: list[tuple[Pending, dict[str, str] | Exception]] = []
        with self._write() as conn:
            found = find_workshop(conn, code, None, lock="share")
            if found is None:
                outcomes = [(p, UnknownWorkshop(f"no workshop with code {code!r}")) for p in group]
            else:
                ws = found[0]
                pids = participant_ids(conn, ws.id, [p.args.token_hash for p in group])
                revealed = {
                    (q, int(r))
                    for q, r in conn.execute(
                        select(reveals.c.question_id, reveals.c.round).where(reveals.c.workshop_id == ws.id)
                    )
                }
                rows: dict[tuple[int, str, int], dict] = {}  # one row per answer: a later send wins
                now = _now()
                for pending in group:
                    send: Send = pending.args
                    pid, round, values, notes = pids.get(send.token_hash), send.round, send.values, send.notes
                    rnd = ws.current_round if round is None else int(round)
                    if pid is None:
                        outcomes.append((pending, NotAllowed("unknown participant token")))
                    elif rnd > ws.current_round or rnd < 1:
                        outcomes.append((pending, NotAllowed(f"round {rnd} has not started")))
                    else:
                        outcomes.append((pending, self._take(ws, pid, rnd, values, notes, revealed, now, rows)))
                if rows:
                    written = upsert_many(
                        conn,
                        answers,
                        [(row, None) for row in rows.values()],
                        ["workshop_id", "participant_id", "question_id", "round"],
                        ["value", "note", "submitted_at"],
                    )
                    if written != len(rows):  # never report an answer as saved that is not
                        raise RuntimeError(f"{written} of {len(rows)} answers written")
        for pending, outcome in outcomes:  # committed: now the senders may hear it
            if isinstance(outcome, Exception):
                pending.fail(outcome)
            else:
                pending.set(outcome)

    @staticmethod
    def _take(
        ws: WorkshopRow,
        pid: int,
        rnd: int,
        values: dict[str, float],
        notes: dict[str, str],
        revealed: set[tuple[str, int]],
        now: datetime,
        rows: dict[tuple[int, str, int], dict],
    ) -> dict[str, str]:
        """Add one send's acceptable answers to rows; return {question id: reason} of the others."""
        refused: dict[str, str] = {}
        for qid, value in values.items():
            low, high = ws.limits.get(qid, ANY_RANGE)
            if qid not in ws.question_ids:
                refused[qid] = REFUSED_UNKNOWN
            elif ws.status != "open":
                refused[qid] = REFUSED_CLOSED
            elif rnd != ws.current_round:
                refused[qid] = REFUSED_ROUND
            elif (qid, rnd) in revealed:
                refused[qid] = REFUSED_REVEALED
            elif not low <= float(value) <= high:
                refused[qid] = REFUSED_RANGE
            else:
                rows[(pid, qid, rnd)] = dict(
                    workshop_id=ws.id,
                    participant_id=pid,
                    question_id=qid,
                    round=rnd,
                    value=float(value),
                    note=notes.get(qid),
                    submitted_at=now,
                )
        return refused

    def leave(self, join_code: str, participant_token: str) -> None:
        """A deliberate leave: the token stops working, the participant no longer counts and
        their answers to questions not yet revealed are withdrawn (revealed results stay fixed)."""
        with self._write() as conn:
            ws, pid = self._participant(conn, join_code, participant_token, lock="share")
            revealed = exists().where(
                reveals.c.workshop_id == ws.id,
                reveals.c.question_id == answers.c.question_id,
                reveals.c.round == answers.c.round,
            )
            conn.execute(delete(answers).where(answers.c.participant_id == pid, ~revealed))
            conn.execute(update(participants).where(participants.c.id == pid).values(left_at=_now()))

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

    def my_answers(self, code: str, participant_token: str) -> dict[tuple[str, int], float]:
        """This participant's own answers, keyed by (question_id, round)."""
        with self.engine.connect() as conn:
            return self._mine(conn, *self._participant(conn, code, participant_token))

    @staticmethod
    def _mine(conn: Connection, ws: WorkshopRow, pid: int) -> dict[tuple[str, int], float]:
        rows = conn.execute(  # by (workshop, participant): the unique answer index's prefix
            select(answers.c.question_id, answers.c.round, answers.c.value).where(
                answers.c.workshop_id == ws.id, answers.c.participant_id == pid
            )
        ).all()
        return {(q, int(r)): float(v) for q, r, v in rows}

    def participant_view(self, code: str, participant_token: str) -> ParticipantView | None:
        """The workshop, its question specs and this participant's own answers, in one
        transaction; None when the code or the token is unknown, or the participant left."""
        with self.engine.connect() as conn:
            ws, pid = find_workshop(conn, normalise_code(code), _hash(str(participant_token))) or (None, None)
            if ws is None or pid is None:
                return None
            return ParticipantView(self._info(conn, ws), self._specs(conn, ws), self._mine(conn, ws, pid))

    # -- public ----------------------------------------------------------------------------
    def answer_counts(self, join_code: str) -> dict[str, int]:
        """Number of answers per question in the current round (no values)."""
        with self.engine.connect() as conn:
            ws = self._workshop(conn, join_code)
            rows = conn.execute(
                select(answers.c.question_id, func.count())
                .where(
                    answers.c.workshop_id == ws.id,
                    answers.c.round == ws.current_round,
                )
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
            return self._is_revealed(conn, ws, question_id, rnd)

    def workshop_info(self, code: str) -> WorkshopInfo:
        """Public facts of a workshop, open or closed (UnknownWorkshop if there is none)."""
        with self.engine.connect() as conn:
            return self._info(conn, self._workshop(conn, code))

    @staticmethod
    def _info(conn: Connection, ws: WorkshopRow) -> WorkshopInfo:
        rev = conn.execute(
            select(reveals.c.round, reveals.c.question_id)
            .where(reveals.c.workshop_id == ws.id)
            .order_by(reveals.c.revealed_at, reveals.c.id)
        ).all()
        n = conn.execute(
            select(func.count())
            .select_from(participants)
            .where(participants.c.workshop_id == ws.id, participants.c.left_at.is_(None))
        ).scalar_one()
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
        )
