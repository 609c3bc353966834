"""What every role of the workshop store shares: its errors, its public records, and the checks
that find a workshop and prove who is asking (facilitator secret, participant token).

The roles themselves are in workshop_facilitator, workshop_participant and workshop_read;
workshop.WorkshopStore puts them together over one database.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Connection, Engine

from wijk.beeld.join_code import JOIN_ALPHABET as JOIN_ALPHABET
from wijk.beeld.join_code import JOIN_CODE_LENGTH as JOIN_CODE_LENGTH
from wijk.beeld.join_code import normalise_code
from wijk.beeld.workshop_schema import WorkshopRow, find_workshop
from wijk.core.db import Database


class Refusal(StrEnum):
    """Why an answer was not taken (returned by submit_all; the UI says it in words, the value is
    the tail of its i18n key 'beeld_refused_<value>')."""

    CLOSED = "closed"
    ROUND = "round"  # a new round began
    REVEALED = "revealed"
    RANGE = "range"  # outside the question's range
    UNKNOWN = "unknown"  # not a question of this workshop


class WorkshopError(Exception):
    """Base class of workshop errors."""


class UnknownWorkshop(WorkshopError, LookupError):
    """No workshop with this join code (for join: no open one)."""


class JoiningClosed(UnknownWorkshop):
    """The workshop is open but the facilitator closed joining: no new participants."""


class NotAllowed(WorkshopError):
    """The secret or token is wrong, or the action is not possible in this state."""


class WorkshopFull(WorkshopError):
    """The workshop has as many participants as its facilitator allowed (join_cap)."""

    def __init__(self, cap: int) -> None:
        super().__init__(f"the workshop is full ({cap} participants)")
        self.cap = cap


@dataclass(frozen=True)
class CreatedWorkshop:
    """Returned once at creation; the facilitator secret is not stored and cannot be shown again."""

    join_code: str
    facilitator_secret: str
    workshop_id: int
    presenter_key: str = ""  # the projector's key (also only hashed): for its link, not stored


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
    version: int = 0  # the state version (see WorkshopReads.state_version)
    last_revealed: tuple[int, str] | None = None  # (round, question id) revealed most recently
    join_cap: int | None = None  # most participants at once (None: no cap)
    join_open: bool = True  # new participants may join (the projector keeps the code and QR)


@dataclass(frozen=True)
class ParticipantRow:
    """One joined participant as the facilitator sees them (never their answers' values)."""

    id: int  # internal, for remove_participant
    number: int  # p1, p2, ... in join order, as in the export
    nickname: str | None  # as typed: foreign text
    joined_at: datetime
    answers: int


@dataclass(frozen=True)
class ParticipantView:
    """What one participant's page needs, read in one transaction (a room of phones redraws at
    every reveal, so each redraw asks the database once, not four times)."""

    info: WorkshopInfo
    specs: dict[str, dict]  # the workshop's stored question specs, by question id
    mine: dict[tuple[str, int], float]  # this participant's answers, by (question id, round)


def token_hash(token: str) -> str:
    """What is stored of a secret or token: its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC)


def question_round(ws: WorkshopRow, question_id: str, round: int | None) -> int:
    """The round asked for (default: the current one); NotAllowed for a question of another
    workshop or a round that has not started."""
    if question_id not in ws.question_ids:
        raise NotAllowed(f"question {question_id!r} is not part of this workshop")
    rnd = ws.current_round if round is None else int(round)
    if not 1 <= rnd <= ws.current_round:
        raise NotAllowed(f"round {rnd} has not started")
    return rnd


class WorkshopAccess:
    """One database of workshops, and the lookups that check who is asking. Each role of the
    store (facilitator commands, participant commands, read model) builds on this."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._write = db.write

    @property
    def url(self) -> str:
        return self._db.url

    @property
    def engine(self) -> Engine:
        """The engine, created (with its tables) on first use."""
        return self._db.engine

    def dispose(self) -> None:
        """Close pooled connections (the store can still be used afterwards)."""
        self._db.dispose()

    @staticmethod
    def _lookup(
        conn: Connection, code: str, token: str | None = None, lock: str | None = None
    ) -> tuple[WorkshopRow, int | None]:
        hashed = None if token is None else token_hash(str(token))
        found = find_workshop(conn, normalise_code(code), hashed, lock)
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
        if not hmac.compare_digest(ws.secret_hash, token_hash(str(secret or ""))):
            raise NotAllowed("wrong facilitator secret")
        return ws
