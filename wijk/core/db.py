"""The databases of the app's stores: where they live, how an engine is made, how they are written.

The URL rule: WIJK_DATABASE_URL (one shared database for every store, e.g. PostgreSQL), else one
SQLite file per store under `paths.local_dir()` (WIJK_LOCAL_DIR, else data/local/), made on first use.
The machinery every store shares: `Database` (an engine with its tables, made on first use, and
write transactions that queue on one lock per SQLite file), `GroupCommit` (concurrent short writes
of one process in one transaction) and `upsert`/`upsert_many` (INSERT ... ON CONFLICT, SQLite and
PostgreSQL). SQLAlchemy Core only, no Streamlit.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    bindparam,
    create_engine,
    event,
    exc,
    func,
    inspect,
    literal,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection, StaticPool
from sqlalchemy.sql.elements import ColumnElement

from wijk.core.paths import local_dir

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 5
# A pooled server connection is pinged before use only when it sat idle this long (a server
# restart or a proxy's idle timeout may have closed it); a busy room pays no ping per checkout.
PING_IDLE_S = 30.0
_LAST_USED = "wijk_last_used"  # connection record info key: time.monotonic() of the last check-in


def database_url(name: str) -> str:
    """The URL of the store `name` ("workshops", "owndata"): the shared database, else a local SQLite file."""
    return os.environ.get("WIJK_DATABASE_URL") or f"sqlite:///{local_dir() / (name + '.sqlite')}"


def pool_settings(environ: Mapping[str, str] | None = None) -> dict[str, int]:
    """Connection pool of one engine: WIJK_DB_POOL_SIZE (5), WIJK_DB_MAX_OVERFLOW (5),
    WIJK_DB_POOL_TIMEOUT seconds (10). Each app server holds two engines (workshops, own data),
    so one server opens at most 2 x (size + overflow) = 20 connections by default; see README
    ("Production shape") for the arithmetic against PostgreSQL's max_connections."""
    env = os.environ if environ is None else environ

    def number(name: str, default: int, low: int) -> int:
        try:
            return max(low, int(env.get(name, default)))
        except ValueError:
            return default

    return {
        "pool_size": number("WIJK_DB_POOL_SIZE", 5, 1),
        "max_overflow": number("WIJK_DB_MAX_OVERFLOW", 5, 0),
        "pool_timeout": number("WIJK_DB_POOL_TIMEOUT", 10, 1),
    }


def ping_when_idle(engine: Engine, idle_s: float | None = None) -> None:
    """Check a pooled connection before use when it sat idle longer than idle_s: a dead one is
    replaced by a fresh connection (the pool retries the checkout), so a restarted database costs
    no failed request. Busy connections are not pinged (pool_pre_ping would add a round trip to
    every checkout). A database that is down still raises on connect, as it should.
    idle_s defaults to PING_IDLE_S."""
    limit = PING_IDLE_S if idle_s is None else idle_s

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(
        dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
        last = record.info.get(_LAST_USED)
        if last is None or time.monotonic() - last < limit:
            return  # fresh from connect, or recently used
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            dbapi_connection.rollback()  # leave no transaction open behind the ping
        except Exception as error:  # the DBAPI's own errors differ per driver
            raise exc.DisconnectionError() from error  # the pool makes a new connection


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite: WAL, busy_timeout, cross-thread use, parent dir created."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        connect_args: dict[str, object] = (
            {"connect_timeout": PG_CONNECT_TIMEOUT_S} if parsed.get_backend_name() == "postgresql" else {}
        )
        engine = create_engine(url, connect_args=connect_args, **pool_settings())
        ping_when_idle(engine)
        return engine
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    connect_args = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    if in_memory:
        engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool)
    else:
        Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args=connect_args, pool_size=10, max_overflow=60)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _sqlite_begin)
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Connection) -> None:
        # A write takes the database's write lock at its start (BEGIN IMMEDIATE): what it reads
        # is what it writes against, across threads and processes (no stale snapshot).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("wijk_write") else "BEGIN")

    return engine


def add_missing_columns(engine: Engine, added: Mapping[str, Mapping[str, str]]) -> None:
    """Bring a database made by an older release up to date: {table: {column: DDL type}} columns
    that are not there yet are added in place (ALTER TABLE ... ADD COLUMN)."""
    found = inspect(engine)
    with engine.begin() as conn:
        for table, columns in added.items():
            have = {c["name"] for c in found.get_columns(table)}
            for name, ddl in columns.items():
                if name not in have:
                    conn.execute(text(f'ALTER TABLE {table} ADD COLUMN "{name}" {ddl}'))


class Database:
    """An engine made (with its tables, brought up to date by `upgrade`) on first use, plus write
    transactions. Owned by one store; `dispose` ends its connections.

    On SQLite the writers of this process queue on one lock per database file (shared by every
    Database on that file) instead of polling the file lock, which keeps latency flat when a whole
    room submits at once (busy_timeout still covers other processes).
    """

    _file_locks: dict[str, threading.Lock] = {}
    _registry_lock = threading.Lock()

    def __init__(self, url: str, metadata: MetaData, upgrade: Callable[[Engine], None] | None = None) -> None:
        self.url = url
        self._metadata, self._upgrade = metadata, upgrade
        self._engine: Engine | None = None
        self._writer: AbstractContextManager[Any] = nullcontext()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with Database._registry_lock:
                if self._engine is None:
                    engine = make_engine(self.url)
                    self._metadata.create_all(engine)
                    if self._upgrade is not None:
                        self._upgrade(engine)
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


class GroupCommit:
    """Concurrent calls of one process that each want a short write share one transaction.

    Each caller queues its request with ``with group.turn(item) as batch:``. When another caller
    wrote it meanwhile, batch is None; otherwise this caller leads: batch holds the waiting
    requests (its own first, at most `limit`) and the caller writes them and finishes every one
    (``set`` or ``fail``) inside the block, while the others wait for their own outcome (one of
    them leads the next batch). After the block, ``item.outcome()`` is the caller's answer. A room
    that sends at once then costs a few transactions instead of one each, while a lone send runs
    at once."""

    def __init__(self, limit: int = 200) -> None:
        self._limit = max(1, int(limit))
        self._cond = threading.Condition()
        self._queue: list[Pending] = []
        self._leading = False

    @contextmanager
    def turn(self, item: Pending) -> Iterator[list[Pending] | None]:
        """Wait for item's turn: None when it is done already, else the batch this caller writes."""
        with self._cond:
            self._queue.append(item)
            while self._leading and not item.done:
                self._cond.wait()
            if item.done:
                batch = None
            else:
                self._leading = True
                self._queue.remove(item)
                batch = [item, *self._queue[: self._limit - 1]]
                del self._queue[: self._limit - 1]
        if batch is None:
            yield None
            return
        try:
            yield batch
        except BaseException as error:  # a batch that broke: every request in it hears why
            self._finish(batch, error)
            raise
        else:
            self._finish(batch, RuntimeError("request not written"))
        finally:
            with self._cond:
                self._leading = False
                self._cond.notify_all()

    @staticmethod
    def _finish(batch: list[Pending], error: BaseException) -> None:
        for pending in batch:
            if not pending.done:
                pending.fail(error)


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
