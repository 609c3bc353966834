"""Unit tests for wijk.beeld.workshop: the perception-versus-data workshop store.

Behaviour tests run against a temporary SQLite file and, when a server is reachable, PostgreSQL
(a fresh schema per test, see pg_fixture.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pandas as pd
import pytest

import wijk.beeld.workshop_schema as schema
from wijk.beeld.workshop import (
    JOIN_ALPHABET,
    CreatedWorkshop,
    JoiningClosed,
    NotAllowed,
    UnknownWorkshop,
    WorkshopFull,
    WorkshopStore,
    normalise_code,
)

QUESTIONS = ["q_income", "q_youth", "q_crime"]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[WorkshopStore]:
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    s = WorkshopStore(url)
    yield s
    s.dispose()


@pytest.fixture
def ws(store: WorkshopStore) -> CreatedWorkshop:
    return store.create_workshop("WK001403", 2024, QUESTIONS, title="Buurtavond")


def test_create_gives_unambiguous_code_and_public_info(store, ws):
    assert len(ws.join_code) == 6
    assert set(ws.join_code) <= set(JOIN_ALPHABET)
    assert not set("0O1IL") & set(JOIN_ALPHABET)
    info = store.workshop_info(ws.join_code)
    assert (info.area_code, info.year, info.title) == ("WK001403", 2024, "Buurtavond")
    assert info.question_ids == tuple(QUESTIONS)
    assert (info.status, info.current_round, info.revealed, info.participant_count) == ("open", 1, {}, 0)
    assert ws.facilitator_secret not in repr(info)
    assert store.verify_facilitator(ws.join_code, ws.facilitator_secret)


def test_create_rejects_empty_or_duplicate_questions(store):
    with pytest.raises(ValueError):
        store.create_workshop("GM0014", 2024, [])
    with pytest.raises(ValueError):
        store.create_workshop("GM0014", 2024, ["a", "a"])


def test_join_codes_unique_and_retry_on_collision(store, ws, monkeypatch):
    codes = {store.create_workshop("GM0014", 2024, ["a"]).join_code for _ in range(20)}
    assert len(codes) == 20 and ws.join_code not in codes
    forced = iter(ws.join_code + "ZZZZZZ")  # first draw collides, the second is free
    import wijk.beeld.workshop_facilitator as facilitator_module

    monkeypatch.setattr(facilitator_module.secrets, "choice", lambda _alphabet: next(forced))
    assert store.create_workshop("GM0014", 2024, ["a"]).join_code == "ZZZZZZ"


def test_join_is_case_insensitive_and_strips_whitespace(store, ws):
    token = store.join(f"  {ws.join_code.lower()[:3]} {ws.join_code.lower()[3:]}\n", "Anna")
    assert token and store.verify_participant(ws.join_code, token)
    assert normalise_code(" ab c1 ") == "ABC1"
    assert store.workshop_info(ws.join_code.lower()).participant_count == 1


def test_unknown_code(store):
    for call in (
        lambda: store.join("ZZZZZZ"),
        lambda: store.workshop_info("ZZZZZZ"),
        lambda: store.answer_counts("ZZZZZZ"),
        lambda: store.is_revealed("ZZZZZZ", "q"),
    ):
        with pytest.raises(UnknownWorkshop):
            call()
    assert not store.verify_facilitator("ZZZZZZ", "x")
    assert not store.verify_participant("ZZZZZZ", "x")


def test_submit_counts_and_resubmit_replaces(store, ws):
    code = ws.join_code
    a, b = store.join(code), store.join(code, nickname="Bram")
    store.submit(code, a, "q_income", 30)
    store.submit(code, b, "q_income", 10, note="gok")
    assert store.answer_counts(code) == {"q_income": 2, "q_youth": 0, "q_crime": 0}
    store.submit(code, a, "q_income", 42.5, note="tweede gedachte")
    assert store.answer_counts(code)["q_income"] == 2
    assert store.my_answers(code, a) == {("q_income", 1): 42.5}
    assert store.my_answers(code, b) == {("q_income", 1): 10.0}
    df = store.export_answers(code, ws.facilitator_secret)
    assert len(df) == 2
    assert df.loc[df.participant == "p1", ["value", "note"]].values.tolist() == [[42.5, "tweede gedachte"]]


def test_submit_rejections(store, ws):
    code = ws.join_code
    token = store.join(code)
    other = store.create_workshop("GM0014", 2024, QUESTIONS)
    stranger = store.join(other.join_code)
    with pytest.raises(NotAllowed):
        store.submit(code, token, "not_a_question", 1)
    with pytest.raises(NotAllowed):
        store.submit(code, "forged-token", "q_income", 1)
    with pytest.raises(NotAllowed):
        store.submit(code, stranger, "q_income", 1)  # token of another workshop
    with pytest.raises(NotAllowed):
        store.submit(code, token, "q_income", 1, round=2)  # round not started
    with pytest.raises(ValueError):
        store.submit(code, token, "q_income", float("nan"))
    with pytest.raises(UnknownWorkshop):
        store.submit("ZZZZZZ", token, "q_income", 1)
    with pytest.raises(NotAllowed):
        store.my_answers(code, stranger)
    assert store.answer_counts(code) == dict.fromkeys(QUESTIONS, 0)


def test_wrong_secret_or_participant_token_cannot_act_as_facilitator(store, ws):
    code = ws.join_code
    token = store.join(code)
    store.submit(code, token, "q_income", 5)
    for bad in ("wrong", "", token, ws.facilitator_secret.upper()):
        assert not store.verify_facilitator(code, bad)
        for call, args in (
            (store.reveal, (code, bad, "q_income")),
            (store.results, (code, bad, "q_income")),
            (store.export_answers, (code, bad)),
            (store.reset, (code, bad)),
            (store.start_second_round, (code, bad)),
            (store.close, (code, bad)),
        ):
            with pytest.raises(NotAllowed):
                call(*args)
    other = store.create_workshop("GM0014", 2024, QUESTIONS)
    with pytest.raises(NotAllowed):  # a secret only opens its own workshop
        store.export_answers(code, other.facilitator_secret)
    info = store.workshop_info(code)
    assert (info.status, info.current_round, info.revealed) == ("open", 1, {})
    assert store.answer_counts(code)["q_income"] == 1


def test_results_only_after_reveal_and_submit_after_reveal_rejected(store, ws):
    code, secret = ws.join_code, ws.facilitator_secret
    tokens = [store.join(code) for _ in range(3)]
    for t, v in zip(tokens, (30, 10, 20), strict=True):
        store.submit(code, t, "q_income", v)
    with pytest.raises(NotAllowed):
        store.results(code, secret, "q_income")
    assert not store.is_revealed(code, "q_income")
    store.reveal(code, secret, "q_income")
    store.reveal(code, secret, "q_income")  # idempotent
    assert store.is_revealed(code, "q_income")
    assert store.results(code, secret, "q_income") == [10.0, 20.0, 30.0]
    with pytest.raises(NotAllowed):
        store.submit(code, tokens[0], "q_income", 99)
    late = store.join(code)
    with pytest.raises(NotAllowed):
        store.submit(code, late, "q_income", 99)
    store.submit(code, late, "q_youth", 7)  # other questions stay open
    with pytest.raises(NotAllowed):
        store.reveal(code, secret, "not_a_question")
    assert store.results(code, secret, "q_income") == [10.0, 20.0, 30.0]
    assert store.workshop_info(code).revealed == {1: ("q_income",)}


def test_reveal_during_a_send_waits_and_fixes_the_result_set(store, ws, monkeypatch):
    """A reveal clicked while a send is being written waits for it: the answer reported saved is
    in the result, and the result seen right after the reveal never changes afterwards."""
    import threading

    import wijk.beeld.workshop_participant as participant_module

    code, secret = ws.join_code, ws.facilitator_secret
    token = store.join(code)
    real_upsert_many = participant_module.upsert_many
    seen: dict[str, list[float]] = {}

    def reveal_now() -> None:
        store.reveal(code, secret, "q_income")
        seen["right_after_reveal"] = store.results(code, secret, "q_income")

    revealer = threading.Thread(target=reveal_now)

    def reveal_meanwhile(conn, table, rows, *args, **kwargs):
        if table is schema.answers and not revealer.is_alive():  # the facilitator clicks now
            revealer.start()
            revealer.join(0.5)  # give the reveal every chance to overtake the send
        return real_upsert_many(conn, table, rows, *args, **kwargs)

    monkeypatch.setattr(participant_module, "upsert_many", reveal_meanwhile)
    assert store.submit_all(code, token, {"q_income": 12}) == {}  # reported saved ...
    revealer.join(30)
    monkeypatch.undo()
    assert store.results(code, secret, "q_income") == [12.0]  # ... so it is stored
    assert seen["right_after_reveal"] == [12.0]  # and it was there the moment of the reveal
    assert store.submit_all(code, token, {"q_income": 13}) == {"q_income": "revealed"}
    assert store.results(code, secret, "q_income") == [12.0]


def test_send_says_which_answers_were_not_taken_and_why(store, ws):
    code, secret = ws.join_code, ws.facilitator_secret
    store.set_question_specs(
        code,
        secret,
        {
            "q_income": {"kind": "number", "unit": "eur1000"},
            "q_youth": {"kind": "pct", "unit": "pct"},
            "q_crime": {"kind": "compare", "unit": "per1000"},
        },
    )
    token = store.join(code)
    assert store.submit_all(code, token, {"q_income": 1e308, "q_youth": 250, "q_crime": 1}) == {
        "q_income": "range",
        "q_youth": "range",
    }
    assert store.submit_all(code, token, {"q_youth": -5, "q_crime": 2}) == {"q_youth": "range", "q_crime": "range"}
    assert store.submit_all(code, token, {"q_youth": 100, "q_income": 35.5, "nope": 1}) == {"nope": "unknown"}
    assert store.my_answers(code, token) == {("q_crime", 1): 1.0, ("q_youth", 1): 100.0, ("q_income", 1): 35.5}
    store.start_second_round(code, secret)
    assert store.submit_all(code, token, {"q_youth": 50}, round=1) == {"q_youth": "round"}
    assert store.submit_all(code, token, {"q_youth": 50}, round=2) == {}
    store.close(code, secret)
    assert store.submit_all(code, token, {"q_youth": 40, "q_crime": 0}) == {"q_youth": "closed", "q_crime": "closed"}
    assert store.my_answers(code, token)[("q_youth", 2)] == 50.0


def test_state_version_moves_with_every_change_phones_follow(store, ws):
    code, secret = ws.join_code, ws.facilitator_secret
    token = store.join(code)
    seen = [store.state_version(code)]
    store.submit(code, token, "q_income", 3)  # an answer is not a state change
    assert store.state_version(code) == seen[-1]
    for change in (
        lambda: store.reveal(code, secret, "q_income"),
        lambda: store.start_second_round(code, secret),
        lambda: store.close(code, secret),
        lambda: store.reset(code, secret),
    ):
        change()
        seen.append(store.state_version(code))
        assert seen[-1] > seen[-2]
    store.reveal(code, secret, "q_income")
    v = store.state_version(code)
    store.reveal(code, secret, "q_income")  # idempotent: nothing new to follow
    assert store.state_version(code) == v
    assert store.state_version("ZZZZZZ") is None
    assert store.workshop_info(code).version == v


def test_leave_withdraws_open_answers_and_the_participant(store, ws):
    code, secret = ws.join_code, ws.facilitator_secret
    stay, go = store.join(code), store.join(code)
    for t in (stay, go):
        store.submit_all(code, t, {"q_income": 10, "q_youth": 20})
    store.reveal(code, secret, "q_income")
    store.leave(code, go)
    assert store.workshop_info(code).participant_count == 1
    assert not store.verify_participant(code, go)
    with pytest.raises(NotAllowed):
        store.submit_all(code, go, {"q_youth": 5})
    assert store.answer_counts(code) == {"q_income": 2, "q_youth": 1, "q_crime": 0}
    assert store.results(code, secret, "q_income") == [10.0, 10.0]  # the revealed result stays


def test_an_older_database_gets_the_new_columns(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE workshops (id INTEGER PRIMARY KEY, join_code VARCHAR(16) UNIQUE NOT NULL,"
        " facilitator_secret_hash VARCHAR(64) NOT NULL, area_code VARCHAR(16) NOT NULL,"
        " year INTEGER NOT NULL, question_ids TEXT NOT NULL, title TEXT NOT NULL,"
        " created_at DATETIME NOT NULL, status VARCHAR(16) NOT NULL, current_round INTEGER NOT NULL);"
        "CREATE TABLE participants (id INTEGER PRIMARY KEY, workshop_id INTEGER NOT NULL,"
        " nickname VARCHAR(40), token_hash VARCHAR(64) UNIQUE NOT NULL, joined_at DATETIME NOT NULL);"
        "INSERT INTO workshops VALUES (1, 'ABCDEF', 'x', 'GM0014', 2024, '[\"a\"]', 'oud',"
        " '2026-01-01 00:00:00', 'open', 1);"
    )
    con.commit()
    con.close()
    store = WorkshopStore(f"sqlite:///{path}")
    token = store.join("ABCDEF")
    assert store.submit_all("ABCDEF", token, {"a": 1}) == {}
    assert store.state_version("ABCDEF") == 0
    assert store.workshop_info("ABCDEF").participant_count == 1
    store.dispose()


def test_second_round_keeps_first_round_answers_apart(store, ws):
    code, secret = ws.join_code, ws.facilitator_secret
    a, b = store.join(code), store.join(code)
    store.submit(code, a, "q_income", 30)
    store.submit(code, b, "q_income", 50)
    store.reveal(code, secret, "q_income")
    assert store.start_second_round(code, secret) == 2
    assert store.start_second_round(code, secret) == 2  # idempotent
    assert store.workshop_info(code).current_round == 2
    assert store.answer_counts(code)["q_income"] == 0
    assert not store.is_revealed(code, "q_income")
    assert store.is_revealed(code, "q_income", round=1)
    store.submit(code, a, "q_income", 35)  # open again in round 2
    with pytest.raises(NotAllowed):
        store.submit(code, b, "q_income", 1, round=1)  # round 1 is over
    with pytest.raises(NotAllowed):
        store.results(code, secret, "q_income")  # round 2 not revealed yet
    assert store.results(code, secret, "q_income", round=1) == [30.0, 50.0]
    store.reveal(code, secret, "q_income")
    assert store.results(code, secret, "q_income") == [35.0]
    assert store.my_answers(code, a) == {("q_income", 1): 30.0, ("q_income", 2): 35.0}
    assert store.workshop_info(code).revealed == {1: ("q_income",), 2: ("q_income",)}


def test_export_is_anonymous(store, ws):
    code, secret = ws.join_code, ws.facilitator_secret
    tokens = [store.join(code, nickname=n) for n in ("Anna", "Bram", None)]
    for i, t in enumerate(tokens):
        store.submit(code, t, "q_youth", i, note="mijn buurt")
        store.submit(code, t, "q_income", 10 * i)
    df = store.export_answers(code, secret)
    assert list(df.columns) == ["participant", "question_id", "round", "value", "note", "submitted_at"]
    assert sorted(df.participant.unique()) == ["p1", "p2", "p3"]
    assert len(df) == 6
    first = df.iloc[0]
    assert (first.participant, first.question_id, first["round"], first.value) == ("p1", "q_income", 1, 0.0)
    assert pd.isna(first.note) and df.iloc[1].note == "mijn buurt"
    assert str(df.submitted_at.dt.tz) == "UTC"
    text = df.to_csv()
    for secret_text in [*tokens, "Anna", "Bram", secret]:
        assert secret_text not in text


def test_only_hashes_are_stored(tmp_path):
    path = tmp_path / "ws.sqlite"
    store = WorkshopStore(f"sqlite:///{path}")
    ws = store.create_workshop("WK001403", 2024, QUESTIONS)
    token = store.join(ws.join_code)
    store.submit(ws.join_code, token, "q_crime", 3)
    store.dispose()
    with sqlite3.connect(path) as con:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
        dump = "\n".join(str(con.execute(f"select * from {t}").fetchall()) for t in tables)
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert ws.join_code in dump
    assert ws.facilitator_secret not in dump and token not in dump and ws.presenter_key not in dump


def test_the_projector_key_is_random_hashed_and_can_be_replaced(store, ws):
    """Not derived from the secret or its stored hash: read access to the database opens no
    projector; a new key ends the previous link; only the secret can make one."""
    import hashlib
    import hmac

    code, secret, key = ws.join_code, ws.facilitator_secret, ws.presenter_key
    assert len(key) >= 24 and store.verify_presenter(code, key)
    stored = hashlib.sha256(secret.encode()).hexdigest()
    assert key != hmac.new(stored.encode(), b"presenter view", hashlib.sha256).hexdigest()[:24]  # the old way
    assert not store.verify_presenter(code, "") and not store.verify_presenter(code, secret)
    other = store.create_workshop("GM0014", 2024, QUESTIONS)
    assert other.presenter_key != key and not store.verify_presenter(code, other.presenter_key)
    with pytest.raises(NotAllowed):
        store.new_presenter_key(code, "wrong")
    token = store.join(code)
    store.submit(code, token, "q_income", 5)
    store.reveal(code, secret, "q_income")
    assert store.presenter_results(code, key, "q_income", 1) == [5.0]
    new = store.new_presenter_key(code, secret)
    assert new != key and store.verify_presenter(code, new) and not store.verify_presenter(code, key)
    with pytest.raises(NotAllowed):
        store.presenter_results(code, key, "q_income", 1)
    assert store.presenter_results(code, new, "q_income", 1) == [5.0]


def test_close_and_reset(store, ws):
    code, secret = ws.join_code, ws.facilitator_secret
    token = store.join(code)
    store.submit(code, token, "q_income", 4)
    store.reveal(code, secret, "q_income")
    store.start_second_round(code, secret)
    store.reset(code, secret)
    info = store.workshop_info(code)
    assert (info.current_round, info.revealed, info.participant_count) == (1, {}, 1)
    assert store.answer_counts(code)["q_income"] == 0
    assert store.export_answers(code, secret).empty
    store.submit(code, token, "q_income", 6)  # the participant stays joined
    store.reveal(code, secret, "q_income")
    store.close(code, secret)
    assert store.workshop_info(code).status == "closed"
    with pytest.raises(UnknownWorkshop):
        store.join(code)
    with pytest.raises(NotAllowed):
        store.submit(code, token, "q_youth", 1)
    with pytest.raises(NotAllowed):
        store.start_second_round(code, secret)
    assert store.results(code, secret, "q_income") == [6.0]  # results survive closing
    assert store.my_answers(code, token) == {("q_income", 1): 6.0}


def test_answers_survive_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    first = WorkshopStore(url)
    ws = first.create_workshop("WK001403", 2024, QUESTIONS)
    token = first.join(ws.join_code)
    first.submit(ws.join_code, token, "q_youth", 12.5)
    first.reveal(ws.join_code, ws.facilitator_secret, "q_youth")
    first.dispose()
    del first
    second = WorkshopStore(url)
    assert second.my_answers(ws.join_code, token) == {("q_youth", 1): 12.5}
    assert second.results(ws.join_code, ws.facilitator_secret, "q_youth") == [12.5]
    assert second.workshop_info(ws.join_code).revealed == {1: ("q_youth",)}
    second.submit(ws.join_code, token, "q_income", 3)  # the token still works
    second.dispose()


def test_default_url_env_and_lazy_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("WIJK_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    assert WorkshopStore().url.endswith("env.sqlite")
    monkeypatch.delenv("WIJK_DATABASE_URL")
    monkeypatch.setenv("WIJK_LOCAL_DIR", str(tmp_path / "local"))  # the project's rule (wijk.core.db)
    store = WorkshopStore()
    assert store.url == f"sqlite:///{tmp_path / 'local' / 'workshops.sqlite'}"
    assert not (tmp_path / "local").exists()  # nothing happens until first use
    store.create_workshop("GM0014", 2024, ["a"])
    assert (tmp_path / "local" / "workshops.sqlite").is_file()
    store.dispose()


def test_submit_all_stores_a_whole_form_and_reports_locked_questions(tmp_path):
    from wijk.beeld.workshop import WorkshopStore

    store = WorkshopStore(f"sqlite:///{tmp_path / 'w.sqlite'}")
    ws = store.create_workshop("BU00140107", 2024, ["a", "b", "c"])
    token = store.join(ws.join_code)
    store.reveal(ws.join_code, ws.facilitator_secret, "c")
    refused = store.submit_all(ws.join_code, token, {"a": 10, "b": 20, "c": 30})
    assert set(refused) == {"c"}
    assert store.my_answers(ws.join_code, token) == {("a", 1): 10.0, ("b", 1): 20.0}
    assert store.submit_all(ws.join_code, token, {"a": 11}) == {}
    assert store.answer_counts(ws.join_code) == {"a": 1, "b": 1, "c": 0}


def test_sends_arriving_together_share_a_transaction_and_each_hears_its_own_outcome(store, ws, monkeypatch):
    """While one send is being written, the sends arriving meanwhile are written together in one
    transaction; each sender still gets exactly its own answer (saved, refused and why, or an
    error for a bad token), and one participant sending twice in that batch leaves one answer."""
    import threading

    code, secret = ws.join_code, ws.facilitator_secret
    tokens = [store.join(code) for _ in range(6)]
    store.reveal(code, secret, "q_crime")
    gate, batches = threading.Event(), []
    real_participant_ids = schema.participant_ids

    def held_first(conn, workshop_id, token_hashes):
        batches.append(len(token_hashes))
        if len(batches) == 1:
            gate.wait(30)  # the first send is slow: everyone else queues behind it
        return real_participant_ids(conn, workshop_id, token_hashes)

    monkeypatch.setattr("wijk.beeld.workshop_participant.participant_ids", held_first)
    outcomes: dict[str, object] = {}

    def send(name: str, token: str, values: dict) -> None:
        try:
            outcomes[name] = store.submit_all(code, token, values)
        except NotAllowed as error:
            outcomes[name] = error

    first = threading.Thread(target=send, args=("first", tokens[0], {"q_income": 1}))
    first.start()
    while not batches:
        threading.Event().wait(0.01)
    others = [
        threading.Thread(target=send, args=(f"p{i}", tokens[i], {"q_income": 10 * i, "q_crime": 5}))
        for i in range(1, 5)
    ]
    others += [
        threading.Thread(target=send, args=("again", tokens[1], {"q_income": 99})),
        threading.Thread(target=send, args=("stranger", "not-a-token-of-this-room", {"q_income": 3})),
    ]
    for t in others:
        t.start()
    while len(store._sends._queue) < len(others):  # all queued behind the first send
        threading.Event().wait(0.01)
    gate.set()
    for t in [first, *others]:
        t.join(30)
    assert batches == [1, len(others)]  # the first alone, then everyone who waited, together
    assert outcomes["first"] == {}
    assert all(outcomes[f"p{i}"] == {"q_crime": "revealed"} for i in range(1, 5))
    assert outcomes["again"] == {}
    assert isinstance(outcomes["stranger"], NotAllowed)
    assert store.answer_counts(code) == {"q_income": 5, "q_youth": 0, "q_crime": 0}
    assert store.my_answers(code, tokens[1])[("q_income", 1)] in (10.0, 99.0)  # one answer, whichever came last
    assert store.my_answers(code, tokens[2]) == {("q_income", 1): 20.0}


def test_the_join_cap_holds_when_a_room_joins_at_once(store):
    """Thirty phones joining at once a workshop capped at 12: exactly 12 get in, the rest are told
    it is full; raising the cap lets more in, and the cap is part of the public facts."""
    import threading

    made = store.create_workshop("WK001403", 2024, QUESTIONS, join_cap=12)
    assert store.workshop_info(made.join_code).join_cap == 12
    outcomes: list[str] = []

    def phone() -> None:
        try:
            store.join(made.join_code)
            outcomes.append("in")
        except WorkshopFull as full:
            outcomes.append(f"full {full.cap}")

    threads = [threading.Thread(target=phone) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["full 12"] * 18 + ["in"] * 12
    assert store.workshop_info(made.join_code).participant_count == 12
    store.set_join_cap(made.join_code, made.facilitator_secret, 13)
    store.join(made.join_code)
    with pytest.raises(WorkshopFull):
        store.join(made.join_code)
    with pytest.raises(NotAllowed):
        store.set_join_cap(made.join_code, "wrong", 100)
    with pytest.raises(ValueError):
        store.set_join_cap(made.join_code, made.facilitator_secret, 0)
    store.set_join_cap(made.join_code, made.facilitator_secret, None)  # no cap
    store.join(made.join_code)


def test_the_facilitator_sees_who_joined_and_removes_a_bogus_participant_with_their_answers(store, ws):
    code, secret = ws.join_code, ws.facilitator_secret
    anna, bogus, bert = store.join(code, "Anna"), store.join(code, "<b>spam</b>"), store.join(code)
    store.submit_all(code, anna, {"q_income": 10, "q_youth": 5})
    store.submit_all(code, bogus, {"q_income": 99999, "q_youth": 99})
    store.reveal(code, secret, "q_income")
    store.leave(code, bert)
    people = store.participants(code, secret)
    assert [(p.number, p.nickname, p.answers) for p in people] == [(1, "Anna", 2), (2, "<b>spam</b>", 2)]
    with pytest.raises(NotAllowed):
        store.participants(code, "wrong")
    version = store.state_version(code)
    store.remove_participant(code, secret, people[1].id)
    assert store.results(code, secret, "q_income") == [10.0]  # gone from the revealed result too
    assert store.answer_counts(code) == {"q_income": 1, "q_youth": 1, "q_crime": 0}
    assert not store.verify_participant(code, bogus) and store.state_version(code) != version
    assert [p.nickname for p in store.participants(code, secret)] == ["Anna"]
    assert store.workshop_info(code).participant_count == 1
    other = store.create_workshop("GM0014", 2024, QUESTIONS)
    with pytest.raises(NotAllowed):  # a participant of another workshop, or one already removed
        store.remove_participant(other.join_code, other.facilitator_secret, people[0].id)
    with pytest.raises(NotAllowed):
        store.remove_participant(code, secret, people[1].id)


def test_closing_joining_keeps_the_room_and_refuses_newcomers(store, ws):
    code, secret = ws.join_code, ws.facilitator_secret
    token = store.join(code)
    assert store.workshop_info(code).join_open
    before = store.workshop_info(code).version
    with pytest.raises(NotAllowed):
        store.set_joining(code, "wrong-secret", False)
    store.set_joining(code, secret, False)
    info = store.workshop_info(code)
    assert not info.join_open and info.version > before  # screens following the version redraw
    with pytest.raises(JoiningClosed):
        store.join(code)
    store.submit(code, token, "q_income", 4)  # who is in stays in
    assert store.answer_counts(code)["q_income"] == 1 and info.participant_count == 1
    store.set_joining(code, secret, True)
    assert store.workshop_info(code).join_open and store.join(code)
    store.close(code, secret)
    assert not store.workshop_info(code).join_open  # a closed workshop shows no code either
