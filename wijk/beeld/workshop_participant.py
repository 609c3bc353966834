"""The participant's commands: join, send answers, leave.

The answer path reads top to bottom in this module: `submit_all` checks the form, waits its turn
in the group commit (wijk.core.db.GroupCommit), and the caller whose turn it is writes the whole
batch (`_write_sends`: one transaction per workshop, under the workshop's shared lock) and hands
every sender its own outcome only after the commit.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, exists, insert, select, update

from wijk.beeld.answer_ranges import ANY_RANGE
from wijk.beeld.workshop_access import (
    JoiningClosed,
    NotAllowed,
    Refusal,
    UnknownWorkshop,
    WorkshopAccess,
    WorkshopError,
    WorkshopFull,
    normalise_code,
    token_hash,
    utc_now,
)
from wijk.beeld.workshop_read import joined_count
from wijk.beeld.workshop_schema import WorkshopRow, answers, find_workshop, participant_ids, participants, reveals
from wijk.core.db import Database, GroupCommit, Pending, upsert_many

MAX_NOTE_CHARS = 1000
MAX_NICKNAME_CHARS = 40
SEND_BATCH_LIMIT = 200  # sends of one process written in one transaction at most (see GroupCommit)
ANSWER_KEYS = ["workshop_id", "participant_id", "question_id", "round"]


class Send(NamedTuple):
    """One participant's form as it waits for the group commit (see submit_all)."""

    code: str
    token_hash: str
    values: dict[str, float]
    round: int | None
    notes: dict[str, str]


class ParticipantCommands(WorkshopAccess):
    """What a participant does with the join code and, once joined, their private token."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._sends = GroupCommit(SEND_BATCH_LIMIT)

    def join(self, join_code: str, nickname: str | None = None) -> str:
        """Join an open workshop; returns the participant's private token. WorkshopFull when it
        has as many participants as its cap (joins are counted one at a time)."""
        nick = (str(nickname).strip()[:MAX_NICKNAME_CHARS] or None) if nickname else None
        token = secrets.token_urlsafe(24)
        with self._write() as conn:
            ws = self._workshop(conn, join_code, lock="join")
            if ws.status != "open":
                raise UnknownWorkshop(f"workshop {ws.join_code!r} is closed")
            if ws.join_cap is not None and joined_count(conn, ws) >= ws.join_cap:
                raise WorkshopFull(ws.join_cap)
            if not ws.join_open:
                raise JoiningClosed(f"workshop {ws.join_code!r} takes no new participants")
            conn.execute(
                insert(participants).values(
                    workshop_id=ws.id, nickname=nick, token_hash=token_hash(token), joined_at=utc_now()
                )
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
            conn.execute(update(participants).where(participants.c.id == pid).values(left_at=utc_now()))

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
    ) -> dict[str, Refusal]:
        """Store a participant's answers to several questions in one transaction (one 'send').

        Returns {question_id: Refusal} for every answer that was NOT stored; every other answer
        is stored when this returns. The state is read under a lock on the workshop (shared on
        PostgreSQL, the write lock on SQLite), so a reveal, a new round or closing cannot slip
        between the check and the write. Raises NotAllowed for a bad token or a round that has
        not started, ValueError for a value that is not a finite number. Sends arriving together
        in this process share one transaction; each still gets its own answer, after the commit.
        """
        notes = notes or {}
        for qid, value in values.items():
            if not math.isfinite(float(value)):
                raise ValueError("value must be a finite number")
            if notes.get(qid) is not None and len(notes[qid]) > MAX_NOTE_CHARS:
                raise ValueError(f"note longer than {MAX_NOTE_CHARS} characters")
        send = Pending(Send(normalise_code(join_code), token_hash(str(participant_token)), dict(values), round, notes))
        with self._sends.turn(send) as batch:
            if batch is not None:  # this caller's turn: write every send waiting, its own first
                self._write_sends(batch)
        return send.outcome()

    def _write_sends(self, batch: list[Pending]) -> None:
        """One transaction per workshop in the batch (usually one); a workshop whose write fails
        fails its own senders only."""
        by_code: dict[str, list[Pending]] = {}
        for pending in batch:
            by_code.setdefault(pending.args.code, []).append(pending)
        for code, group in by_code.items():
            try:
                self._write_group(code, group)
            except Exception as error:  # noqa: BLE001 - handed to every waiting sender
                for pending in group:
                    if not pending.done:
                        pending.fail(error)

    def _write_group(self, code: str, group: list[Pending]) -> None:
        """Sends to one workshop in one transaction, under the shared workshop lock. Each
        sender's outcome is handed over only after the commit."""
        outcomes: list[tuple[Pending, dict[str, Refusal] | Exception]] = []
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
                now = utc_now()
                for pending in group:
                    send: Send = pending.args
                    pid = pids.get(send.token_hash)
                    rnd = ws.current_round if send.round is None else int(send.round)
                    if pid is None:
                        outcomes.append((pending, NotAllowed("unknown participant token")))
                    elif rnd > ws.current_round or rnd < 1:
                        outcomes.append((pending, NotAllowed(f"round {rnd} has not started")))
                    else:
                        outcomes.append((pending, take_answers(ws, pid, rnd, send, revealed, now, rows)))
                if rows:
                    written = upsert_many(
                        conn,
                        answers,
                        [(row, None) for row in rows.values()],
                        ANSWER_KEYS,
                        ["value", "note", "submitted_at"],
                    )
                    if written != len(rows):  # never report an answer as saved that is not
                        raise RuntimeError(f"{written} of {len(rows)} answers written")
        for pending, outcome in outcomes:  # committed: now the senders may hear it
            if isinstance(outcome, Exception):
                pending.fail(outcome)
            else:
                pending.set(outcome)


def take_answers(
    ws: WorkshopRow,
    pid: int,
    rnd: int,
    send: Send,
    revealed: set[tuple[str, int]],
    now: datetime,
    rows: dict[tuple[int, str, int], dict],
) -> dict[str, Refusal]:
    """Add one send's acceptable answers to rows; return {question id: why not} of the others."""
    refused: dict[str, Refusal] = {}
    for qid, value in send.values.items():
        low, high = ws.limits.get(qid, ANY_RANGE)
        if qid not in ws.question_ids:
            refused[qid] = Refusal.UNKNOWN
        elif ws.status != "open":
            refused[qid] = Refusal.CLOSED
        elif rnd != ws.current_round:
            refused[qid] = Refusal.ROUND
        elif (qid, rnd) in revealed:
            refused[qid] = Refusal.REVEALED
        elif not low <= float(value) <= high:
            refused[qid] = Refusal.RANGE
        else:
            rows[(pid, qid, rnd)] = dict(
                workshop_id=ws.id,
                participant_id=pid,
                question_id=qid,
                round=rnd,
                value=float(value),
                note=send.notes.get(qid),
                submitted_at=now,
            )
    return refused
