"""Own data in the database: shared (only on request) and kept for a link (token); only suppressed aggregates.

Runs on SQLite (under the isolated WIJK_LOCAL_DIR) and, when a server answers, on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from wijk.core.owndata import OwnDataset, OwnIndicator
from wijk.owndata.model import ColumnSpec, Mapping, process
from wijk.owndata.read import read_upload
from wijk.owndata.store import (
    COLUMNS,
    KEEP_DAYS,
    NotSuppressed,
    OwnDataStore,
    default_url,
    kept,
    kept_values,
    new_token,
    valid_token,
)

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def _dataset(store) -> OwnDataset:
    raw = read_upload("g.csv", (FIX / "owndata_madeup_good.csv").read_bytes())
    m = Mapping(
        "Leerlingen",
        "Gemeente (verzonnen)",
        "gebiedscode",
        (
            ColumnSpec("leerlingen_totaal", "Leerlingen", "count", role="context"),
            ColumnSpec(
                "pct_regulier_onderwijs",
                "Regulier",
                "pct",
                "leerlingen_regulier",
                "leerlingen_totaal",
                "protective",
                "low",
            ),
        ),
        year_column="jaar",
    )
    return process(raw, m, store).dataset


def _roundtrip(db: OwnDataStore, store) -> None:
    assert db.list_shared() == []
    ds = _dataset(store)
    when = datetime(2025, 3, 1, 12, tzinfo=UTC)
    new_id = db.share(ds, "  Leerlingen   2024 ", now=when)
    [info] = db.list_shared()
    assert (info.id, info.name, info.source, info.n_indicators) == (new_id, "Leerlingen 2024", ds.source, 2)
    assert info.n_values == len(ds.values) and info.thresholds == (5, 10)
    assert info.created_at.date().isoformat() == "2025-03-01"
    back = db.load(new_id)
    assert back.name == "Leerlingen 2024" and back.created == "2025-03-01"
    assert back.indicators == ds.indicators and back.suppressed_with == (5, 10)
    cols = ["code", "year", "indicator", "value", "suppressed"]
    pd.testing.assert_frame_equal(
        back.values[cols].reset_index(drop=True), ds.values[cols].reset_index(drop=True), check_dtype=False
    )
    small = back.figure("BU00140001", 2024, ds.indicators[0].id)
    assert small.value is None and small.suppressed
    db.share(ds, "Tweede keer", now=datetime(2025, 4, 1, tzinfo=UTC))
    assert [s.name for s in db.list_shared()] == ["Tweede keer", "Leerlingen 2024"]  # newest first
    every = db.shared_datasets()  # what the check against differencing reads: all, with their values
    assert [d.name for d in every] == ["Leerlingen 2024", "Tweede keer"]
    pd.testing.assert_frame_equal(every[1].values[cols], back.values[cols], check_dtype=False)
    with pytest.raises(KeyError):
        db.load(9999)


def test_roundtrip_sqlite(store, _isolated_local):
    assert default_url().endswith(str(_isolated_local / "owndata.sqlite"))
    db = OwnDataStore()
    try:
        _roundtrip(db, store)
    finally:
        db.dispose()


def test_roundtrip_postgresql(store, pg_url):
    db = OwnDataStore(pg_url)
    try:
        _roundtrip(db, store)
    finally:
        db.dispose()


def test_database_url_from_environment(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
    monkeypatch.setenv("WIJK_DATABASE_URL", url)
    assert default_url() == url and OwnDataStore().url == url


def test_nothing_written_without_sharing(store, _isolated_local):
    _dataset(store)  # processing alone never touches the database
    assert not (_isolated_local / "owndata.sqlite").exists()


def test_refuses_unsuppressed_or_inconsistent(store, tmp_path):
    db = OwnDataStore(f"sqlite:///{tmp_path / 'x.sqlite'}")
    ind = OwnIndicator("local:n", "N", "count", "s")
    raw = OwnDataset(
        "raw",
        "s",
        [ind],
        pd.DataFrame(
            {"code": ["GM0014"], "year": [2024], "indicator": ["local:n"], "value": [3.0], "suppressed": [False]}
        ),
    )
    with pytest.raises(NotSuppressed):
        db.share(raw, "x")
    leaky = OwnDataset("leaky", "s", [ind], raw.values.assign(suppressed=True), suppressed_with=(5, 10))
    with pytest.raises(NotSuppressed):
        db.share(leaky, "x")
    with pytest.raises(ValueError):
        db.share(_dataset(store), "   ")
    assert db.list_shared() == []
    db.dispose()


def _kept_roundtrip(db: OwnDataStore, store) -> None:
    ds = _dataset(store)
    token, other = new_token(), new_token()
    assert valid_token(token) and token != other
    assert db.restore(token) == []  # nothing kept yet
    when = datetime(2025, 3, 1, 12, tzinfo=UTC)
    second = OwnDataset("Tweede", "Elders (verzonnen)", ds.indicators[:1], ds.values.head(2), (7, 12), "2025-02-01")
    db.keep(token, [ds, second], now=when)
    back = db.restore(token, now=when + timedelta(days=1))
    assert [b.name for b in back] == ["Leerlingen", "Tweede"]
    assert back[0].indicators == ds.indicators and back[0].suppressed_with == (5, 10)
    assert back[1].suppressed_with == (7, 12) and back[1].created == "2025-02-01"
    assert list(back[0].values.columns) == COLUMNS  # only the aggregate was written
    pd.testing.assert_frame_equal(
        back[0].values.reset_index(drop=True), ds.values[COLUMNS].reset_index(drop=True), check_dtype=False
    )
    small = back[0].figure("BU00140001", 2024, ds.indicators[0].id)
    assert small.value is None and small.suppressed  # suppressed stays suppressed, never 0
    assert db.restore(other) == []  # another link sees nothing
    with db.engine.connect() as conn:
        hashes = {r[0] for r in conn.execute(select(kept.c.token_hash))}
    assert token not in hashes and len(hashes) == 1  # only a hash of the token is stored
    db.keep(token, [second], now=when + timedelta(days=2))  # the set is replaced, not added to
    assert [b.name for b in db.restore(token, now=when + timedelta(days=2))] == ["Tweede"]
    db.forget(token)
    assert db.restore(token) == []
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(kept_values)).scalar() == 0
    assert db.list_shared() == []  # kept sets are not shared with colleagues


def test_kept_for_a_link_sqlite(store, _isolated_local):
    db = OwnDataStore()
    try:
        _kept_roundtrip(db, store)
    finally:
        db.dispose()


def test_kept_for_a_link_postgresql(store, pg_url):
    db = OwnDataStore(pg_url)
    try:
        _kept_roundtrip(db, store)
    finally:
        db.dispose()


def test_kept_sets_expire_and_tokens_are_checked(store, tmp_path):
    db = OwnDataStore(f"sqlite:///{tmp_path / 'k.sqlite'}")
    ds = _dataset(store)
    old, fresh = new_token(), new_token()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    db.keep(old, [ds], now=start)
    assert db.restore(old, now=start + timedelta(days=KEEP_DAYS + 1)) == []  # too old to open
    db.keep(fresh, [ds], now=start + timedelta(days=KEEP_DAYS + 1))  # writing purges the old set
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(kept)).scalar() == 1
    for bad in ("", "abc", "x" * 31, "x" * 33, "../../etc/passwd", "' OR 1=1 --" + "x" * 21, None, 12):
        assert not valid_token(bad)
        with pytest.raises(ValueError):
            db.restore(bad)  # type: ignore[arg-type]
    with pytest.raises(NotSuppressed):
        db.keep(fresh, [OwnDataset("raw", "s", ds.indicators, ds.values)])  # never suppressed
    assert [b.name for b in db.restore(fresh, now=start + timedelta(days=KEEP_DAYS + 1))] == ["Leerlingen"]
    db.dispose()


def test_writes_queue_on_the_workshop_write_lock(store, tmp_path):
    """One SQLite file for own data and the workshop: one write lock in this process, whichever store writes."""
    from wijk.beeld.workshop_schema import workshop_database

    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    db, workshop = OwnDataStore(url), workshop_database(url)
    try:
        db.engine, workshop.engine  # noqa: B018 - made on first use
        assert db._db._writer is workshop._writer and db._db._writer is not None
        with workshop.write():
            assert db._db._writer.locked()  # an own-data write now waits for the workshop's
        db.share(_dataset(store), "Na de workshop")
        assert [s.name for s in db.list_shared()] == ["Na de workshop"]
    finally:
        db.dispose()
        workshop.dispose()
