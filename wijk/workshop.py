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
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from wijk.workshop_schema import Database, WorkshopRow, answers, default_url, find_workshop
from wijk.workshop_schema import participants, question_specs, reveals, upsert, upsert_many, workshops

if TYPE_CHECKING:
    import pandas as pd

JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
JOIN_CODE_LENGTH = 6
MAX_NOTE_CHARS = 1000
MAX_NICKNAME_CHARS = 40


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
    participant_count: int


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
        self.url = url or os.environ.get("WIJK_DATABASE_URL") or default_url()
        self._db = Database(self.url)
        self._write = self._db.write

    @property
    def engine(self) -> Engine:
        """The engine, created (with its tables) on first use."""
        return self._db.engine

    def dispose(self) -> None:
        """Close pooled connections (the store can still be used afterwards)."""
        self._db.dispose()

    # -- lookups ---------------------------------------------------------------------------
    @staticmethod
    def _lookup(conn: Connection, code: str,
                token: str | None = None) -> tuple[WorkshopRow, int | None]:
        token_hash = None if token is None else _hash(str(token))
        found = find_workshop(conn, normalise_code(code), token_hash)
        if found is None:
            raise UnknownWorkshop(f"no workshop with code {normalise_code(code)!r}")
        return found

    def _workshop(self, conn: Connection, code: str) -> WorkshopRow:
        return self._lookup(conn, code)[0]

    def _participant(self, conn: Connection, code: str, token: str) -> tuple[WorkshopRow, int]:
        ws, pid = self._lookup(conn, code, token)
        if pid is None:
            raise NotAllowed("unknown participant token")
        return ws, pid

    def _facilitator(self, conn: Connection, code: str, secret: str) -> WorkshopRow:
        ws = self._workshop(conn, code)
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
    def _is_revealed(conn: Connection, ws: WorkshopRow, question_id: str, rnd: int) -> bool:
        return conn.execute(select(reveals.c.id).where(
            reveals.c.workshop_id == ws.id, reveals.c.question_id == question_id,
            reveals.c.round == rnd)).first() is not None

    # -- facilitator -----------------------------------------------------------------------
    def create_workshop(self, area_code: str, year: int, question_ids: list[str],
                        title: str = "") -> CreatedWorkshop:
        """Create an open workshop in round 1 with a fresh unique join code and secret."""
        qids = [str(q) for q in question_ids]
        if not qids or len(set(qids)) != len(qids):
            raise ValueError("question_ids must be a non-empty list without duplicates")
        secret = secrets.token_urlsafe(24)
        for _ in range(50):
            code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
            try:
                with self._write() as conn:
                    wid = conn.execute(insert(workshops).values(
                        join_code=code, facilitator_secret_hash=_hash(secret),
                        area_code=str(area_code).strip(), year=int(year),
                        question_ids=json.dumps(qids), title=str(title or ""),
                        created_at=_now(), status="open", current_round=1,
                    ).returning(workshops.c.id)).scalar_one()
                return CreatedWorkshop(code, secret, wid)
            except IntegrityError:  # join code already taken: draw another
                continue
        raise RuntimeError("could not find a free join code")

    def set_question_specs(self, code: str, secret: str, specs: dict[str, dict]) -> None:
        """Store (or replace) the public wording of questions, so that a participant's device
        can show them (e.g. own local figures it does not hold). Never put figures in a spec."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret)
            for qid, spec in specs.items():
                if qid not in ws.question_ids:
                    raise NotAllowed(f"question {qid!r} is not part of this workshop")
                upsert(conn, question_specs, dict(workshop_id=ws.id, question_id=qid,
                                                  spec=json.dumps(spec, ensure_ascii=False)),
                       ["workshop_id", "question_id"], ["spec"])

    def question_specs(self, code: str) -> dict[str, dict]:
        """The stored public question specs of a workshop, by question id (public)."""
        with self.engine.connect() as conn:
            ws = self._workshop(conn, code)
            rows = conn.execute(select(question_specs.c.question_id, question_specs.c.spec).where(
                question_specs.c.workshop_id == ws.id)).all()
        return {q: json.loads(spec) for q, spec in rows}

    def verify_facilitator(self, code: str, secret: str) -> bool:
        """True when the secret belongs to the workshop with this code."""
        try:
            with self.engine.connect() as conn:
                self._facilitator(conn, code, secret)
            return True
        except WorkshopError:
            return False

    def reveal(self, code: str, secret: str, question_id: str, round: int | None = None) -> None:
        """Reveal a question for a round (default: current); answers to it are then locked."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret)
            rnd = self._question_round(ws, question_id, round)
            upsert(conn, reveals, dict(workshop_id=ws.id, question_id=question_id, round=rnd,
                                       revealed_at=_now()),
                   ["workshop_id", "question_id", "round"], [])  # idempotent

    def results(self, code: str, secret: str, question_id: str,
                round: int | None = None) -> list[float]:
        """Sorted answers to a revealed question (NotAllowed before the reveal)."""
        with self.engine.connect() as conn:
            ws = self._facilitator(conn, code, secret)
            rnd = self._question_round(ws, question_id, round)
            if not self._is_revealed(conn, ws, question_id, rnd):
                raise NotAllowed("results are shown only after the reveal")
            vals = conn.execute(select(answers.c.value).where(
                answers.c.workshop_id == ws.id, answers.c.question_id == question_id,
                answers.c.round == rnd)).scalars()
            return sorted(float(v) for v in vals)

    def start_second_round(self, code: str, secret: str) -> int:
        """Move to round 2 (idempotent); round-1 answers are kept apart. Returns the round."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret)
            if ws.status != "open":
                raise NotAllowed("the workshop is closed")
            conn.execute(update(workshops).values(current_round=2).where(
                workshops.c.id == ws.id, workshops.c.current_round < 2))
        return max(ws.current_round, 2)

    def close(self, code: str, secret: str) -> None:
        """Close the workshop: no joins or answers any more; results and export still work."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret)
            conn.execute(update(workshops).where(workshops.c.id == ws.id).values(status="closed"))

    def reset(self, code: str, secret: str) -> None:
        """Delete all answers and reveals and go back to round 1 (participants stay joined)."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret)
            conn.execute(delete(answers).where(answers.c.workshop_id == ws.id))
            conn.execute(delete(reveals).where(reveals.c.workshop_id == ws.id))
            conn.execute(update(workshops).where(workshops.c.id == ws.id).values(current_round=1))

    def export_answers(self, code: str, secret: str) -> pd.DataFrame:
        """All answers, anonymous: participants numbered p1, p2, ... in join order."""
        import pandas as pd

        with self.engine.connect() as conn:
            ws = self._facilitator(conn, code, secret)
            pids = conn.execute(select(participants.c.id).where(
                participants.c.workshop_id == ws.id).order_by(participants.c.id)).scalars().all()
            rows = conn.execute(select(
                answers.c.participant_id, answers.c.question_id, answers.c.round, answers.c.value,
                answers.c.note, answers.c.submitted_at).where(answers.c.workshop_id == ws.id)).all()
        number = {pid: i for i, pid in enumerate(pids, start=1)}
        order = {q: i for i, q in enumerate(ws.question_ids)}
        rows = sorted(rows, key=lambda r: (number[r.participant_id], r.round,
                                           order.get(r.question_id, len(order))))
        df = pd.DataFrame(
            [(f"p{number[r.participant_id]}", r.question_id, int(r.round), float(r.value), r.note,
              r.submitted_at) for r in rows],
            columns=["participant", "question_id", "round", "value", "note", "submitted_at"])
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
            conn.execute(insert(participants).values(
                workshop_id=ws.id, nickname=nick, token_hash=_hash(token), joined_at=_now()))
        return token

    def verify_participant(self, code: str, participant_token: str) -> bool:
        """True when the token belongs to a participant of this workshop."""
        try:
            with self.engine.connect() as conn:
                self._participant(conn, code, participant_token)
            return True
        except WorkshopError:
            return False

    def submit(self, join_code: str, participant_token: str, question_id: str, value: float,
               round: int | None = None, note: str | None = None) -> None:
        """Store (or replace) a participant's answer for the current round before the reveal."""
        failed = self.submit_all(join_code, participant_token, {question_id: value}, round,
                                 {question_id: note} if note is not None else None)
        if failed:
            raise NotAllowed(failed[question_id])

    def submit_all(self, join_code: str, participant_token: str, values: dict[str, float],
                   round: int | None = None, notes: dict[str, str] | None = None) -> dict[str, str]:
        """Store a participant's answers to several questions in one transaction (one 'send').

        Returns {question_id: reason} for answers that were refused (e.g. revealed meanwhile);
        the others are stored. Raises NotAllowed for a bad token or a closed workshop.
        """
        notes = notes or {}
        for qid, value in values.items():
            if not math.isfinite(float(value)):
                raise ValueError("value must be a finite number")
            if notes.get(qid) is not None and len(notes[qid]) > MAX_NOTE_CHARS:
                raise ValueError(f"note longer than {MAX_NOTE_CHARS} characters")
        refused: dict[str, str] = {}
        with self._write() as conn:
            ws, pid = self._participant(conn, join_code, participant_token)
            if ws.status != "open":
                raise NotAllowed("the workshop is closed")
            rows, now = [], _now()
            for qid, value in values.items():
                rnd = self._question_round(ws, qid, round)
                if rnd != ws.current_round:
                    raise NotAllowed(f"round {rnd} is over; the current round is {ws.current_round}")
                still_open = exists().where(  # checked inside the write itself: no race with reveal
                    workshops.c.id == ws.id, workshops.c.status == "open",
                    workshops.c.current_round == rnd,
                ) & ~exists().where(reveals.c.workshop_id == ws.id,
                                    reveals.c.question_id == qid, reveals.c.round == rnd)
                rows.append((dict(workshop_id=ws.id, participant_id=pid, question_id=qid, round=rnd,
                                  value=float(value), note=notes.get(qid), submitted_at=now), still_open))
            if not rows:
                return refused
            written = upsert_many(conn, answers, rows, ["workshop_id", "participant_id", "question_id", "round"],
                                  ["value", "note", "submitted_at"])
            if written < len(rows):  # some were revealed (or closed) meanwhile: say which
                locked = set(conn.execute(select(reveals.c.question_id).where(
                    reveals.c.workshop_id == ws.id, reveals.c.round == ws.current_round)).scalars())
                refused = {qid: "this question has been revealed; answers are locked"
                           for qid in values if qid in locked}
        return refused

    def my_answers(self, code: str, participant_token: str) -> dict[tuple[str, int], float]:
        """This participant's own answers, keyed by (question_id, round)."""
        with self.engine.connect() as conn:
            _ws, pid = self._participant(conn, code, participant_token)
            rows = conn.execute(select(answers.c.question_id, answers.c.round, answers.c.value)
                                .where(answers.c.participant_id == pid)).all()
        return {(q, int(r)): float(v) for q, r, v in rows}

    # -- public ----------------------------------------------------------------------------
    def answer_counts(self, join_code: str) -> dict[str, int]:
        """Number of answers per question in the current round (no values)."""
        with self.engine.connect() as conn:
            ws = self._workshop(conn, join_code)
            rows = conn.execute(select(answers.c.question_id, func.count()).where(
                answers.c.workshop_id == ws.id, answers.c.round == ws.current_round,
            ).group_by(answers.c.question_id)).all()
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
            ws = self._workshop(conn, code)
            rev = conn.execute(select(reveals.c.round, reveals.c.question_id).where(
                reveals.c.workshop_id == ws.id)).all()
            n = conn.execute(select(func.count()).select_from(participants).where(
                participants.c.workshop_id == ws.id)).scalar_one()
        revealed: dict[int, tuple[str, ...]] = {}
        for rnd in sorted({int(r) for r, _ in rev}):
            done = {q for r, q in rev if r == rnd}
            revealed[rnd] = tuple(q for q in ws.question_ids if q in done)
        return WorkshopInfo(ws.join_code, ws.area_code, ws.year, ws.question_ids, ws.title,
                            ws.status, ws.current_round, revealed, int(n))
