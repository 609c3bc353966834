"""Database layer of the workshop store: tables, engine set-up, row lookup, upsert.

SQLAlchemy Core only, no Streamlit; SQLite and PostgreSQL.

Only hashes of secrets are stored; participants have an optional nickname and nothing else.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

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
    func,
    inspect,
    literal,
    null,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from wijk.core.db import make_engine

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
# Columns added after the first release: added in place to an existing database on first use.
ADDED_COLUMNS = {
    "workshops": {"version": "INTEGER NOT NULL DEFAULT 0", "limits": "TEXT"},
    "participants": {"left_at": "TIMESTAMP"},
}


def add_missing_columns(engine: Engine) -> None:
    """Bring a database made by an older release up to date (ALTER TABLE ... ADD COLUMN)."""
    found = inspect(engine)
    with engine.begin() as conn:
        for table, columns in ADDED_COLUMNS.items():
            have = {c["name"] for c in found.get_columns(table)}
            for name, ddl in columns.items():
                if name not in have:
                    conn.execute(text(f'ALTER TABLE {table} ADD COLUMN "{name}" {ddl}'))


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


def find_workshop(
    conn: Connection, join_code: str, token_hash: str | None = None, lock: str | None = None
) -> tuple[WorkshopRow, int | None] | None:
    """The workshop with this code and, given a token hash, the id of its participant with that
    token (None if there is no such participant or they left), in one query; None if there is no
    workshop. lock='share' (a send) or 'update' (a reveal, a new round, closing) locks the
    workshop on PostgreSQL until the transaction ends, so a reveal waits for the sends in
    flight and every send after it sees it; SQLite's BEGIN IMMEDIATE serialises writes anyway."""
    query = select(workshops, null().label("pid"))
    if token_hash is not None:
        on = (
            (participants.c.workshop_id == workshops.c.id)
            & (participants.c.token_hash == token_hash)
            & participants.c.left_at.is_(None)
        )
        query = select(workshops, participants.c.id.label("pid")).select_from(workshops.outerjoin(participants, on))
    query = query.where(workshops.c.join_code == join_code)
    if lock is not None and conn.dialect.name == "postgresql":
        # An advisory lock, not a row lock: PostgreSQL queues these fairly (a waiting reveal
        # holds back new sends), where a row's FOR UPDATE could starve behind overlapping
        # FOR SHARE holders while a room keeps sending. Held until the transaction ends.
        fn = "pg_advisory_xact_lock_shared" if lock == "share" else "pg_advisory_xact_lock"
        conn.execute(text(f"SELECT {fn}(:ns, hashtext(:code))"), {"ns": ADVISORY_NAMESPACE, "code": join_code})
    row = conn.execute(query).mappings().first()
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
    ), row["pid"]


class GroupCommit:
    """Concurrent calls of one process that each want a short write share one transaction.

    The first caller becomes the leader: it takes the waiting requests (its own first, at most
    `limit`) and hands them to `run`, which must finish every one (``set`` or ``fail``); the
    others wait for their own outcome, and one of them leads the next batch. A room that sends
    at once then costs a few transactions instead of one each (the per-statement work in Python
    and the round trips are shared), while a lone send runs at once, as before."""

    def __init__(self, run: Callable[[list[Pending]], None], limit: int = 200) -> None:
        self._run, self._limit = run, max(1, int(limit))
        self._cond = threading.Condition()
        self._queue: list[Pending] = []
        self._leading = False

    def submit(self, item: Pending) -> Any:
        """Run item (alone or in a batch); return its result or raise its error."""
        with self._cond:
            self._queue.append(item)
            while self._leading and not item.done:
                self._cond.wait()
            if item.done:
                return item.outcome()
            self._leading = True
            self._queue.remove(item)
            batch = [item, *self._queue[: self._limit - 1]]
            del self._queue[: self._limit - 1]
        try:
            self._run(batch)
        except BaseException as error:  # a batch that broke: every request in it hears why
            for pending in batch:
                if not pending.done:
                    pending.fail(error)
            raise
        finally:
            with self._cond:
                self._leading = False
                self._cond.notify_all()
        return item.outcome()


class Pending:
    """One request waiting in a GroupCommit: its arguments, then its result or its error."""

    __slots__ = ("args", "done", "error", "result")

    def __init__(self, args: Any) -> None:
        self.args, self.done = args, False
        self.result: Any = None
        self.error: BaseException | None = None

    def set(self, result: Any) -> None:
        self.result, self.done = result, True

    def fail(self, error: BaseException) -> None:
        self.error, self.done = error, True

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


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


class Database:
    """An engine made (with its tables) on first use, plus write transactions.

    On SQLite the writers of this process queue on one lock per database file instead of
    polling the file lock, which keeps latency flat when a whole room submits at once
    (busy_timeout still covers other processes).
    """

    _file_locks: dict[str, threading.Lock] = {}
    _registry_lock = threading.Lock()

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._writer: AbstractContextManager[Any] = nullcontext()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with Database._registry_lock:
                if self._engine is None:
                    engine = make_engine(self.url)
                    metadata.create_all(engine)
                    add_missing_columns(engine)
                    if engine.dialect.name == "sqlite":
                        key = str(engine.url.database)
                        self._writer = Database._file_locks.setdefault(key, threading.Lock())
                    self._engine = engine
        return self._engine

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (committed on success, rolled back on an exception)."""
        engine = self.engine
        with self._writer, engine.connect() as conn:
            conn.execution_options(wijk_write=True)
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        """Close pooled connections; the next use makes a new engine."""
        with Database._registry_lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


def upsert(
    conn: Connection,
    table: Table,
    values: dict[str, Any],
    keys: list[str],
    update_cols: list[str],
    guard: ColumnElement[bool] | None = None,
) -> int:
    """One guarded row: see upsert_many."""
    return upsert_many(conn, table, [(values, guard)], keys, update_cols)


def upsert_many(
    conn: Connection,
    table: Table,
    rows: Sequence[tuple[dict[str, Any], ColumnElement[bool] | None]],
    keys: list[str],
    update_cols: list[str],
) -> int:
    """INSERT ... ON CONFLICT DO UPDATE (DO NOTHING without update_cols) for SQLite/PostgreSQL.

    With a guard, the row is written only if the guard holds at that moment (INSERT ... SELECT
    ... WHERE guard), atomically with the write. Several rows go in one statement (one round trip,
    one parse): INSERT ... SELECT ... WHERE g1 UNION ALL SELECT ... WHERE g2. Without guards the
    rows go as parameters of one cached statement (see _upsert_plain). Returns rows written.
    """
    dialect_insert: Callable[[Table], Any]  # sqlite's or postgresql's insert(): the same ON CONFLICT API, two classes
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        raise NotImplementedError(f"upsert not implemented for {conn.dialect.name}")
    if all(guard is None for _values, guard in rows):
        return _upsert_plain(conn, dialect_insert, table, [values for values, _guard in rows], keys, update_cols)
    cols = list(rows[0][0])
    selects = [
        select(*[literal(values[c], table.c[c].type).label(c) for c in cols]).where(true() if guard is None else guard)
        for values, guard in rows
    ]
    source = selects[0] if len(selects) == 1 else union_all(*selects)
    stmt = dialect_insert(table).from_select(cols, source)
    if update_cols:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_={c: stmt.excluded[c] for c in update_cols})
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    return conn.execute(stmt, execution_options={"preserve_rowcount": True}).rowcount


def _upsert_plain(
    conn: Connection,
    dialect_insert: Callable[[Table], Any],
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: list[str],
    update_cols: list[str],
) -> int:
    """Unguarded rows in one statement that is compiled once and cached: on PostgreSQL
    INSERT ... SELECT unnest(:col1), unnest(:col2), ... (one array parameter per column, so a
    batch of a thousand answers is still seven parameters); elsewhere INSERT ... VALUES executed
    for many parameter sets (SQLAlchemy's "insertmanyvalues" pages). Rows written are counted
    from RETURNING (DO NOTHING returns nothing for a row it skipped)."""
    cols = list(rows[0])
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        arrays = [
            func.unnest(bindparam(f"arr_{c}", [row[c] for row in rows], type_=ARRAY(table.c[c].type))).label(c)
            for c in cols
        ]
        stmt = dialect_insert(table).from_select(cols, select(*arrays))
        params: Any = None
    else:
        stmt, params = dialect_insert(table), [{c: row[c] for c in cols} for row in rows]
    if update_cols:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_={c: stmt.excluded[c] for c in update_cols})
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    return len(conn.execute(stmt.returning(table.c[keys[0]]), params).all())
