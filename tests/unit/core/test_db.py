"""Unit tests for wijk.core.db: engines, the shared write lock, the group commit and upsert.

Against a temporary SQLite file and, when a server is reachable, PostgreSQL (pg_fixture.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select, text

from wijk.core import db
from wijk.core.db import Database, GroupCommit, Pending, upsert, upsert_many

meta = MetaData()
items = Table(
    "items",
    meta,
    Column("id", Integer, primary_key=True),
    Column("name", String(20), nullable=False),
    Column("n", Integer, nullable=False),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    database = Database(url, meta)
    yield database
    database.dispose()


def test_pool_settings_are_configurable():
    assert db.pool_settings({}) == {"pool_size": 5, "max_overflow": 5, "pool_timeout": 10}
    assert db.pool_settings({"WIJK_DB_POOL_SIZE": "3", "WIJK_DB_MAX_OVERFLOW": "0", "WIJK_DB_POOL_TIMEOUT": "x"}) == {
        "pool_size": 3,
        "max_overflow": 0,
        "pool_timeout": 10,
    }


def test_tables_are_made_on_first_use_and_an_upgrade_adds_columns(tmp_path):
    path = tmp_path / "old.sqlite"
    old = Database(f"sqlite:///{path}", MetaData())
    with old.write() as conn:
        conn.execute(text("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)"))
        conn.execute(text("INSERT INTO items VALUES (1, 'oud')"))
    old.dispose()
    new = Database(f"sqlite:///{path}", meta, lambda e: db.add_missing_columns(e, {"items": {"n": "INTEGER"}}))
    with new.write() as conn:
        conn.execute(text("UPDATE items SET n = 7"))
    with new.engine.connect() as conn:
        assert conn.execute(select(items.c.name, items.c.n)).all() == [("oud", 7)]
    new.dispose()


def test_stores_on_one_sqlite_file_share_one_write_lock(tmp_path):
    """Two stores (e.g. workshops and own data with one file) queue on the same lock, so a write
    of one waits for the other's without polling the file lock."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    first, second, other = (
        Database(url, meta),
        Database(url, meta),
        Database(f"sqlite:///{tmp_path / 'x.sqlite'}", meta),
    )
    order: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with first.write() as conn:
            conn.execute(upsert_stmt_values(1, "first"))
            holding.set()
            release.wait(30)
            order.append("first done")

    def wait_for_lock() -> None:
        holding.wait(30)
        with second.write() as conn:
            order.append("second writes")
            conn.execute(upsert_stmt_values(2, "second"))

    threads = [threading.Thread(target=hold), threading.Thread(target=wait_for_lock)]
    for t in threads:
        t.start()
    holding.wait(30)
    with other.write() as conn:  # another file is not held up
        conn.execute(upsert_stmt_values(3, "other"))
    release.set()
    for t in threads:
        t.join(30)
    assert order == ["first done", "second writes"]
    with second.engine.connect() as conn:
        assert conn.execute(select(items.c.name).order_by(items.c.id)).scalars().all() == ["first", "second"]
    for d in (first, second, other):
        d.dispose()


def upsert_stmt_values(i: int, name: str):
    return items.insert().values(id=i, name=name, n=0)


def test_upsert_updates_guarded_and_many_rows(database):
    with database.write() as conn:
        assert upsert(conn, items, {"id": 1, "name": "a", "n": 1}, ["id"], ["n"]) == 1
        assert upsert(conn, items, {"id": 1, "name": "a", "n": 2}, ["id"], ["n"]) == 1  # replaced
        assert upsert(conn, items, {"id": 1, "name": "a", "n": 9}, ["id"], []) == 0  # DO NOTHING
        big = select(items.c.id).where(items.c.n > 100).exists()  # a guard that does not hold
        assert upsert(conn, items, {"id": 2, "name": "b", "n": 1}, ["id"], ["n"], guard=big) == 0
        first = select(items.c.id).where(items.c.id == 1).exists()  # one that holds
        assert upsert(conn, items, {"id": 8, "name": "c", "n": 8}, ["id"], ["n"], guard=first) == 1
        rows = [({"id": i, "name": f"r{i}", "n": i}, None) for i in range(3, 8)]
        assert upsert_many(conn, items, rows, ["id"], ["n"]) == 5
        assert upsert_many(conn, items, rows, ["id"], []) == 0  # all there: nothing written
    with database.engine.connect() as conn:
        assert conn.execute(select(items.c.id, items.c.n).order_by(items.c.id)).all() == [
            (1, 2),
            *[(i, i) for i in range(3, 9)],
        ]


def test_a_group_commit_writes_waiting_requests_together_and_each_hears_its_own_outcome():
    group, batches = GroupCommit(limit=10), []
    gate, started = threading.Event(), threading.Event()
    outcomes: dict[int, object] = {}

    def send(i: int) -> None:
        item = Pending(i)
        try:
            with group.turn(item) as batch:
                if batch is not None:
                    batches.append([p.args for p in batch])
                    if i == 0:
                        started.set()
                        gate.wait(30)  # the first request is slow: the rest queue behind it
                    for p in batch:
                        p.fail(ValueError("odd")) if p.args % 2 else p.set(p.args * 10)
            outcomes[i] = item.outcome()
        except ValueError as error:
            outcomes[i] = str(error)

    first = threading.Thread(target=send, args=(0,))
    first.start()
    started.wait(30)
    others = [threading.Thread(target=send, args=(i,)) for i in range(1, 6)]
    for t in others:
        t.start()
    while len(group._queue) < len(others):
        threading.Event().wait(0.01)
    gate.set()
    for t in [first, *others]:
        t.join(30)
    assert batches[0] == [0] and sorted(batches[1]) == [1, 2, 3, 4, 5] and len(batches) == 2
    assert outcomes == {0: 0, 1: "odd", 2: 20, 3: "odd", 4: 40, 5: "odd"}


def test_a_batch_that_breaks_fails_every_request_and_an_unfinished_one_is_not_left_waiting():
    group = GroupCommit()
    item = Pending("a")
    with pytest.raises(KeyError), group.turn(item) as batch:
        assert batch == [item]
        raise KeyError("broken")
    with pytest.raises(KeyError):
        item.outcome()
    forgotten = Pending("b")
    with group.turn(forgotten):
        pass  # the leader finished nothing
    with pytest.raises(RuntimeError):
        forgotten.outcome()
    done = Pending("c")
    with group.turn(done) as batch:
        batch[0].set("ok")
    assert done.outcome() == "ok"


def test_a_pooled_connection_the_server_dropped_is_replaced_after_idling(pg_url, monkeypatch):
    """No ping on every checkout, but a connection that sat idle is checked first: one the server
    closed meanwhile (a restart, a proxy's idle timeout) is replaced, and the request works."""
    monkeypatch.setattr(db, "PING_IDLE_S", 0.0)  # every pooled connection counts as idle
    database = Database(pg_url, meta)
    admin = db.make_engine(pg_url)
    try:
        with database.engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with admin.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        with database.engine.connect() as conn:  # no error: the dead connection was replaced
            assert conn.execute(select(items.c.id)).all() == []
    finally:
        database.dispose()
        admin.dispose()
