"""The workshop's tables and the row lookups every workshop command starts from.

SQLAlchemy Core only, no Streamlit; SQLite and PostgreSQL. The generic machinery (engine, write
lock, group commit, upsert) is in wijk.core.db.

Only hashes of secrets are stored; participants have an optional nickname and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    null,
    select,
    text,
)

from wijk.core.db import Database, add_missing_columns

metadata = MetaData()

workshops = Table(
    "workshops",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("join_code", String(16), nullable=False, unique=True),
    Column("facilitator_secret_hash", String(64), nullable=False),
    Column("area_code", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("question_ids", Text, nullable=False),  # JSON list of question ids, in order
    Column("title", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False, default="open"),  # open | closed
    Column("current_round", Integer, nullable=False, default=1),
    # bumped by every change a participant's screen must follow (reveal, round, close, reset):
    # phones poll this one indexed value instead of re-reading the workshop
    Column("version", Integer, nullable=False, default=0, server_default="0"),
    Column("limits", Text, nullable=True),  # JSON {question id: [low, high]} for answers
    Column("join_cap", Integer, nullable=True),  # most participants at once (None: no cap)
    # SHA-256 of the projector key: a random key of its own (not derived from the secret), so
    # read access to the database opens neither the control screen nor the projector
    Column("presenter_key_hash", String(64), nullable=True),
    # 1 while new participants may join (the projector shows the code and QR); the facilitator closes it
    Column("join_open", Integer, nullable=False, default=1, server_default="1"),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("nickname", String(40), nullable=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("left_at", DateTime(timezone=True), nullable=True),  # a deliberate 'leave'
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("round", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("note", Text, nullable=True),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workshop_id", "participant_id", "question_id", "round", name="uq_answer"),
    Index("ix_answers_question", "workshop_id", "question_id", "round"),
)

reveals = Table(
    "reveals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("round", Integer, nullable=False),
    Column("revealed_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workshop_id", "question_id", "round", name="uq_reveal"),
)

question_specs = Table(  # public wording of each question (no figures), for participants' devices
    "question_specs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("spec", Text, nullable=False),  # JSON object
    UniqueConstraint("workshop_id", "question_id", name="uq_question_spec"),
)

ADVISORY_NAMESPACE = 7241  # first key of the workshop advisory locks (the second: hash of the code)
JOIN_NAMESPACE = 7242  # first key of the lock that lets one join at a time count against the cap
# Columns added after the first release: added in place to an existing database on first use.
ADDED_COLUMNS = {
    "workshops": {
        "version": "INTEGER NOT NULL DEFAULT 0",
        "limits": "TEXT",
        "join_cap": "INTEGER",
        "presenter_key_hash": "VARCHAR(64)",
        "join_open": "INTEGER NOT NULL DEFAULT 1",
    },
    "participants": {"left_at": "TIMESTAMP"},
}


def upgrade_workshop_tables(engine: Engine) -> None:
    """Bring a workshop database made by an older release up to date."""
    add_missing_columns(engine, ADDED_COLUMNS)


@dataclass(frozen=True)
class WorkshopRow:
    """One workshops row, question ids decoded (internal: it holds the secret's hash)."""

    id: int
    join_code: str
    secret_hash: str
    status: str
    current_round: int
    question_ids: tuple[str, ...]
    area_code: str
    year: int
    title: str
    version: int = 0
    limits: dict[str, tuple[float, float]] = field(default_factory=dict)
    join_cap: int | None = None
    presenter_hash: str | None = None
    join_open: bool = True


# Built once: every send and every phone's redraw looks a workshop up (a new statement object per
# call costs its construction and its cache key, under the GIL every session of the server shares).
_BY_CODE = select(workshops, null().label("pid")).where(workshops.c.join_code == bindparam("code"))
_WITH_PARTICIPANT = (
    select(workshops, participants.c.id.label("pid"))
    .select_from(
        workshops.outerjoin(
            participants,
            (participants.c.workshop_id == workshops.c.id)
            & (participants.c.token_hash == bindparam("token"))
            & participants.c.left_at.is_(None),
        )
    )
    .where(workshops.c.join_code == bindparam("code"))
)


def find_workshop(
    conn: Connection, join_code: str, token_hash: str | None = None, lock: str | None = None
) -> tuple[WorkshopRow, int | None] | None:
    """The workshop with this code and, given a token hash, the id of its participant with that
    token (None if there is no such participant or they left), in one query; None if there is no
    workshop. lock='share' (a send) or 'update' (a reveal, a new round, closing) locks the
    workshop on PostgreSQL until the transaction ends, so a reveal waits for the sends in
    flight and every send after it sees it; lock='join' lets one join at a time count the
    participants against the cap (sends are not held up). SQLite's BEGIN IMMEDIATE serialises
    writes anyway."""
    if lock is not None and conn.dialect.name == "postgresql":
        # An advisory lock, not a row lock: PostgreSQL queues these fairly (a waiting reveal
        # holds back new sends), where a row's FOR UPDATE could starve behind overlapping
        # FOR SHARE holders while a room keeps sending. Held until the transaction ends.
        fn = "pg_advisory_xact_lock_shared" if lock == "share" else "pg_advisory_xact_lock"
        namespace = JOIN_NAMESPACE if lock == "join" else ADVISORY_NAMESPACE
        conn.execute(text(f"SELECT {fn}(:ns, hashtext(:code))"), {"ns": namespace, "code": join_code})
    if token_hash is None:
        row = conn.execute(_BY_CODE, {"code": join_code}).mappings().first()
    else:
        row = conn.execute(_WITH_PARTICIPANT, {"code": join_code, "token": token_hash}).mappings().first()
    if row is None:
        return None
    limits = {q: (float(lo), float(hi)) for q, (lo, hi) in json.loads(row["limits"] or "{}").items()}
    return WorkshopRow(
        row["id"],
        row["join_code"],
        row["facilitator_secret_hash"],
        row["status"],
        row["current_round"],
        tuple(json.loads(row["question_ids"])),
        row["area_code"],
        int(row["year"]),
        row["title"],
        int(row["version"] or 0),
        limits,
        None if row["join_cap"] is None else int(row["join_cap"]),
        row["presenter_key_hash"],
        bool(row["join_open"]) if row["join_open"] is not None else True,
    ), row["pid"]


def participant_ids(conn: Connection, workshop_id: int, token_hashes: Sequence[str]) -> dict[str, int]:
    """{token hash: participant id} of this workshop's participants (not left) among the hashes."""
    rows = conn.execute(
        select(participants.c.token_hash, participants.c.id).where(
            participants.c.workshop_id == workshop_id,
            participants.c.token_hash.in_(sorted(set(token_hashes))),
            participants.c.left_at.is_(None),
        )
    ).all()
    return {h: int(pid) for h, pid in rows}


def workshop_database(url: str) -> Database:
    """The workshop tables at this URL (made, and brought up to date, on first use)."""
    return Database(url, metadata, upgrade_workshop_tables)
