"""The facilitator's commands: create a workshop, set its questions, reveal, start round 2,
close, reset, and the reads that need the secret (results, export, the projector key).

Every command proves the secret first (only its hash is stored) and takes the workshop's lock
(see workshop_schema.find_workshop) where it changes what participants may send.
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from wijk.beeld.answer_ranges import answer_range
from wijk.beeld.workshop_access import (
    JOIN_ALPHABET,
    JOIN_CODE_LENGTH,
    CreatedWorkshop,
    NotAllowed,
    ParticipantRow,
    WorkshopAccess,
    WorkshopError,
    question_round,
    token_hash,
    utc_now,
)
from wijk.beeld.workshop_read import revealed_results
from wijk.beeld.workshop_schema import WorkshopRow, answers, participants, question_specs, reveals, workshops
from wijk.core.db import upsert

if TYPE_CHECKING:
    import pandas as pd


MAX_JOIN_CAP = 2000
PRESENTER_KEY_BYTES = 18  # 24 URL-safe characters


def checked_cap(cap: int | None) -> int | None:
    """A join cap as stored: None (no cap) or a whole number 1..MAX_JOIN_CAP (ValueError else)."""
    if cap is None:
        return None
    if not 1 <= int(cap) <= MAX_JOIN_CAP or int(cap) != cap:
        raise ValueError(f"join cap must be a whole number from 1 to {MAX_JOIN_CAP}")
    return int(cap)


def changed(conn: Connection, ws: WorkshopRow, **values: Any) -> None:
    """Apply a change participants must follow and bump the state version they poll."""
    conn.execute(update(workshops).where(workshops.c.id == ws.id).values(version=workshops.c.version + 1, **values))


class FacilitatorCommands(WorkshopAccess):
    """What only the holder of a workshop's secret may do."""

    def create_workshop(
        self, area_code: str, year: int, question_ids: list[str], title: str = "", join_cap: int | None = None
    ) -> CreatedWorkshop:
        """Create an open workshop in round 1 with a fresh unique join code and secret; at most
        join_cap participants at once (None: no cap)."""
        qids = [str(q) for q in question_ids]
        if not qids or len(set(qids)) != len(qids):
            raise ValueError("question_ids must be a non-empty list without duplicates")
        cap = checked_cap(join_cap)
        secret, presenter = secrets.token_urlsafe(24), secrets.token_urlsafe(PRESENTER_KEY_BYTES)
        for _ in range(50):
            code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
            try:
                with self._write() as conn:
                    wid = conn.execute(
                        insert(workshops)
                        .values(
                            join_code=code,
                            facilitator_secret_hash=token_hash(secret),
                            area_code=str(area_code).strip(),
                            year=int(year),
                            question_ids=json.dumps(qids),
                            title=str(title or ""),
                            created_at=utc_now(),
                            status="open",
                            current_round=1,
                            join_cap=cap,
                            presenter_key_hash=token_hash(presenter),
                        )
                        .returning(workshops.c.id)
                    ).scalar_one()
                return CreatedWorkshop(code, secret, wid, presenter)
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

    def verify_facilitator(self, code: str, secret: str) -> bool:
        """True when the secret belongs to the workshop with this code."""
        try:
            with self.engine.connect() as conn:
                self._facilitator(conn, code, secret)
            return True
        except WorkshopError:
            return False

    def new_presenter_key(self, code: str, secret: str) -> str:
        """A new key for the projector view (in its URL: it shows what the room may see and
        cannot act); the previous key stops working. Random, not derived from the secret, and
        stored only as a hash: the facilitator's browser keeps it, a resumed one makes a new one."""
        key = secrets.token_urlsafe(PRESENTER_KEY_BYTES)
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            conn.execute(update(workshops).where(workshops.c.id == ws.id).values(presenter_key_hash=token_hash(key)))
        return key

    def reveal(self, code: str, secret: str, question_id: str, round: int | None = None) -> None:
        """Reveal a question for a round (default: current); answers to it are then locked.

        The workshop row is locked first: the reveal waits for the sends in flight, and no answer
        to the question commits after it (the result set is fixed from here on)."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            rnd = question_round(ws, question_id, round)
            if upsert(
                conn,
                reveals,
                dict(workshop_id=ws.id, question_id=question_id, round=rnd, revealed_at=utc_now()),
                ["workshop_id", "question_id", "round"],
                [],
            ):  # idempotent
                changed(conn, ws)

    def results(self, code: str, secret: str, question_id: str, round: int | None = None) -> list[float]:
        """Sorted answers to a revealed question (NotAllowed before the reveal)."""
        with self.engine.connect() as conn:
            return revealed_results(conn, self._facilitator(conn, code, secret), question_id, round)

    def start_second_round(self, code: str, secret: str) -> int:
        """Move to round 2 (idempotent); round-1 answers are kept apart. Returns the round."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            if ws.status != "open":
                raise NotAllowed("the workshop is closed")
            if ws.current_round < 2:
                changed(conn, ws, current_round=2)
        return max(ws.current_round, 2)

    def close(self, code: str, secret: str) -> None:
        """Close the workshop: no joins or answers any more; results and export still work."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            if ws.status != "closed":
                changed(conn, ws, status="closed")

    def set_joining(self, code: str, secret: str, open_: bool) -> None:
        """Open or close joining: while closed, no new participant can join (those in stay in) and
        the projector no longer shows the code and QR."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            if ws.join_open != open_:
                changed(conn, ws, join_open=int(open_))

    def reset(self, code: str, secret: str) -> None:
        """Delete all answers and reveals and go back to round 1 (participants stay joined)."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            conn.execute(delete(answers).where(answers.c.workshop_id == ws.id))
            conn.execute(delete(reveals).where(reveals.c.workshop_id == ws.id))
            changed(conn, ws, current_round=1)

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

    # -- who joined ------------------------------------------------------------------------
    def set_join_cap(self, code: str, secret: str, cap: int | None) -> None:
        """Change the most participants at once (None: no cap); who joined already stays."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="join")
            conn.execute(update(workshops).where(workshops.c.id == ws.id).values(join_cap=checked_cap(cap)))

    def participants(self, code: str, secret: str) -> list[ParticipantRow]:
        """Who joined and has not left, in join order, with how many answers each gave (no values)."""
        with self.engine.connect() as conn:
            ws = self._facilitator(conn, code, secret)
            given = (
                select(answers.c.participant_id, func.count().label("n"))
                .where(answers.c.workshop_id == ws.id)
                .group_by(answers.c.participant_id)
                .subquery()
            )
            rows = conn.execute(
                select(
                    participants.c.id,
                    participants.c.nickname,
                    participants.c.joined_at,
                    participants.c.left_at,
                    func.coalesce(given.c.n, 0),
                )
                .select_from(participants.outerjoin(given, given.c.participant_id == participants.c.id))
                .where(participants.c.workshop_id == ws.id)
                .order_by(participants.c.id)
            ).all()
        return [
            ParticipantRow(int(pid), number, nick, joined, int(n))
            for number, (pid, nick, joined, left, n) in enumerate(rows, start=1)
            if left is None
        ]

    def remove_participant(self, code: str, secret: str, participant_id: int) -> None:
        """Remove a participant (e.g. one that is obviously not a person of the room) together
        with all their answers, also to questions already revealed; their token stops working and
        every screen redraws. NotAllowed for a participant of another workshop."""
        with self._write() as conn:
            ws = self._facilitator(conn, code, secret, lock="update")
            found = conn.execute(
                select(participants.c.id).where(
                    participants.c.id == int(participant_id),
                    participants.c.workshop_id == ws.id,
                    participants.c.left_at.is_(None),
                )
            ).first()
            if found is None:
                raise NotAllowed("no such participant in this workshop")
            conn.execute(delete(answers).where(answers.c.participant_id == found.id))
            conn.execute(update(participants).where(participants.c.id == found.id).values(left_at=utc_now()))
            changed(conn, ws)
