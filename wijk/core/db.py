"""Where the local databases live and how an engine is made: the one place that decides.

The URL rule: WIJK_DATABASE_URL (one shared database for every store, e.g. PostgreSQL), else one
SQLite file per store under `paths.local_dir()` (WIJK_LOCAL_DIR, else data/local/), made on first use.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection, StaticPool

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
