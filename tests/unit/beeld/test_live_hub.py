"""Unit tests for the live hub (wijk.beeld.ui_live) and the store calls it and the phones rest on.

The hub is driven with the real WorkshopStore (SQLite and PostgreSQL) and a recording `push`;
that Streamlit then reruns the pushed session is shown on real servers by
bench/bench_workshop_live.py (every phone within 1-2 s, where the backup check runs every 15 s)
and in a real browser by tests/browser/test_beeld_room.py.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequests

from wijk.beeld.ui_live import (
    MAX_ASKS,
    RETRY_SECONDS,
    LiveHub,
    Watch,
    check_output,
    current_fragment_id,
    rerun_session,
    runtime_supports_push,
)
from wijk.beeld.workshop import WorkshopStore

QUESTIONS = ["q_income", "q_youth"]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[WorkshopStore]:
    url = f"sqlite:///{tmp_path / 'ws.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    s = WorkshopStore(url)
    yield s
    s.dispose()


class Recorder:
    """A push that records the sessions asked to rerun; `gone` sessions answer False."""

    def __init__(self, gone: frozenset[str] = frozenset()) -> None:
        self.asked: list[str] = []
        self.parts: list[str | None] = []
        self.gone = set(gone)
        self.event = threading.Event()

    def __call__(self, session_id: str, fragment_id: str | None = None) -> bool:
        self.asked.append(session_id)
        self.parts.append(fragment_id)
        self.event.set()
        return session_id not in self.gone


def test_state_versions_reads_every_followed_workshop_at_once(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS)
    b = store.create_workshop("GM0014", 2024, QUESTIONS)
    store.reveal(a.join_code, a.facilitator_secret, "q_income")
    got = store.state_versions([a.join_code.lower(), f" {b.join_code} ", "ZZZZZZ"])
    assert got == {a.join_code: store.state_version(a.join_code), b.join_code: store.state_version(b.join_code)}
    assert got[a.join_code] != got[b.join_code]  # the reveal moved a only
    assert store.state_versions([]) == {}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _hub(store, push, clock=None) -> LiveHub:
    hub = LiveHub(store.state_versions, push=push, clock=clock or Clock())
    hub._thread = threading.current_thread()  # drive tick() by hand: no background thread here
    return hub


def test_a_reveal_reruns_exactly_the_phones_of_that_workshop_once(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS)
    b = store.create_workshop("GM0014", 2024, QUESTIONS)
    push = Recorder()
    hub = _hub(store, push)
    va, vb = store.state_version(a.join_code), store.state_version(b.join_code)
    for sid in ("phone-a1", "phone-a2"):
        hub.watch(sid, a.join_code, va, fragment_id=f"part-of-{sid}")  # drawn by the page's live part
    hub.watch("phone-b", b.join_code, vb)  # a whole page
    assert hub.tick() == []  # nothing moved: nobody is disturbed
    store.reveal(a.join_code, a.facilitator_secret, "q_income")
    assert sorted(hub.tick()) == ["phone-a1", "phone-a2"]
    assert sorted(push.parts) == ["part-of-phone-a1", "part-of-phone-a2"]  # only the part that follows
    assert hub.tick() == []  # asked once; a page that redraws registers again
    for sid in ("phone-a1", "phone-a2"):
        hub.watch(sid, a.join_code, store.state_version(a.join_code), fragment_id=f"part-of-{sid}")
    store.start_second_round(a.join_code, a.facilitator_secret)
    store.close(b.join_code, b.facilitator_secret)
    assert sorted(hub.tick()) == ["phone-a1", "phone-a2", "phone-b"]
    assert sorted(push.asked) == ["phone-a1", "phone-a1", "phone-a2", "phone-a2", "phone-b"]
    assert hub.pushed == 5


def test_a_rerun_that_streamlit_dropped_is_asked_again_as_a_whole_page(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS)
    push, clock = Recorder(), Clock()
    hub = _hub(store, push, clock)
    hub.watch("phone", a.join_code, store.state_version(a.join_code), fragment_id="live-part")
    store.reveal(a.join_code, a.facilitator_secret, "q_income")
    assert hub.tick() == ["phone"] and push.parts == ["live-part"]
    clock.now += RETRY_SECONDS / 2
    assert hub.tick() == []  # not yet: the page may still be redrawing
    clock.now += RETRY_SECONDS / 2
    assert hub.tick() == ["phone"] and push.parts == ["live-part", None]  # the whole page this time
    for _ in range(MAX_ASKS):
        clock.now += RETRY_SECONDS
        hub.tick()
    assert len(push.asked) == MAX_ASKS and hub.watching() == {}  # a page that never redraws is let go


def test_a_page_drawn_again_during_a_tick_keeps_its_newer_registration(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS)
    v0 = store.state_version(a.join_code)
    store.reveal(a.join_code, a.facilitator_secret, "q_income")
    v1 = store.state_version(a.join_code)
    hub: LiveHub

    def versions(codes):  # the page redraws (at v1) while the hub reads the versions
        hub.watch("phone", a.join_code, v1)
        return store.state_versions(codes)

    hub = LiveHub(versions, push=Recorder())
    hub._thread = threading.current_thread()
    hub.watch("phone", a.join_code, v0)
    assert hub.tick() == ["phone"]
    assert hub.watching() == {"phone": Watch(a.join_code, v1)}  # current now: not marked as asked


def _drawn_then(replaced: bool, hub: LiveHub, code: str, version: int) -> None:
    """A phone's live part drew `version` (and told the hub) on one script runner; its check that
    the messages went out waits on the session's event loop behind them. Streamlit's race: a poll
    timer's rerun handled before them, after the run ended, makes a new runner (AppSession.
    request_rerun) and the old runner's messages are ignored from then on."""
    loop = asyncio.new_event_loop()
    try:
        drew = SimpleNamespace(_requests=ScriptRequests())
        session = SimpleNamespace(_event_loop=loop, _scriptrunner=drew)
        hub.watch("phone", code, version, fragment_id="live-part")
        loop.call_soon_threadsafe(check_output, session, drew._requests, lambda: hub.lost("phone", code, version))
        if replaced:  # the timer's rerun, handled first
            session._scriptrunner = SimpleNamespace(_requests=ScriptRequests())
        loop.call_soon(loop.stop)
        # in a thread of its own, as the session's loop is: the test worker's thread may already run
        # a loop (Playwright's sync API, when browser tests ran before on this worker)
        runner = threading.Thread(target=loop.run_forever)
        runner.start()
        runner.join(30)
        assert not runner.is_alive(), "the session's event loop did not finish"
    finally:
        loop.close()


def test_a_view_whose_messages_streamlit_dropped_is_drawn_again(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS)
    store.reveal(a.join_code, a.facilitator_secret, "q_income")
    push = Recorder()
    hub = _hub(store, push)
    _drawn_then(True, hub, a.join_code, store.state_version(a.join_code))
    assert hub.tick() == ["phone"] and push.parts == ["live-part"]  # the version is current, the view is not


def test_a_view_that_went_out_is_left_alone(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS)
    push = Recorder()
    hub = _hub(store, push)
    _drawn_then(False, hub, a.join_code, store.state_version(a.join_code))
    assert hub.tick() == [] and push.asked == []


def test_a_lost_view_drawn_anew_meanwhile_is_not_asked_again(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS)
    v0 = store.state_version(a.join_code)
    store.reveal(a.join_code, a.facilitator_secret, "q_income")
    v1 = store.state_version(a.join_code)
    push = Recorder()
    hub = _hub(store, push)
    hub.watch("phone", a.join_code, v1, fragment_id="live-part")  # the newer run registered first
    hub.lost("phone", a.join_code, v0)  # the older run's check comes after
    assert hub.tick() == [] and hub.watching()["phone"].version == v1


def test_a_vanished_workshop_reruns_its_phones_and_gone_sessions_are_dropped(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS)
    push = Recorder(gone=frozenset({"closed-tab"}))
    hub = _hub(store, push)
    v = store.state_version(a.join_code)
    hub.watch("phone", a.join_code, v)
    hub.watch("closed-tab", a.join_code, v)
    hub.watch("stale", "ABCDEF", 3)  # a workshop that no longer exists: its page must say so
    assert hub.tick() == ["stale"]
    store.reveal(a.join_code, a.facilitator_secret, "q_youth")
    assert hub.tick() == ["phone"]  # the closed tab was asked too, answered False (gone)
    assert sorted(push.asked) == ["closed-tab", "phone", "stale"]
    assert set(hub.watching()) == {"phone", "stale"} and hub.tick() == []  # asked, not asked twice


def test_a_streamlit_without_the_internals_turns_the_hub_off(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS)

    def broken_push(_sid: str, _fragment: str | None) -> bool:
        raise AttributeError("'AppSession' object has no attribute '_client_state'")

    hub = _hub(store, broken_push)
    hub.watch("phone", a.join_code, -1)
    assert hub.tick() == []
    assert hub.broken and hub.watching() == {}  # the pages fall back to polling (ui_workshop.live_hub)


def test_the_hub_thread_pushes_after_a_reveal_and_survives_a_failing_query(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS)
    calls = {"n": 0}

    def flaky(codes):  # the first query fails as a database outage would
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("connection refused")
        return store.state_versions(codes)

    push = Recorder()
    hub = LiveHub(flaky, push=push, interval=0.01)
    try:
        hub.watch("phone", a.join_code, store.state_version(a.join_code))
        store.reveal(a.join_code, a.facilitator_secret, "q_income")
        assert push.event.wait(30), "the hub never asked for a rerun"
        assert push.asked == ["phone"] and calls["n"] >= 2 and not hub.broken
    finally:
        hub.close()


def test_outside_a_streamlit_server_nothing_can_be_pushed():
    assert not runtime_supports_push()
    assert rerun_session("no-such-session") is False
    assert rerun_session("no-such-session", "some-fragment") is False
    assert current_fragment_id() is None


def test_participant_view_is_the_workshop_the_specs_and_only_own_answers(store):
    a = store.create_workshop("GM0014", 2024, QUESTIONS, title="Avond")
    store.set_question_specs(a.join_code, a.facilitator_secret, {"q_income": {"kind": "number", "unit": "eur"}})
    me, other = store.join(a.join_code), store.join(a.join_code)
    store.submit_all(a.join_code, me, {"q_income": 31.5})
    store.submit_all(a.join_code, other, {"q_income": 99.0, "q_youth": 5.0})
    store.reveal(a.join_code, a.facilitator_secret, "q_income")
    view = store.participant_view(a.join_code.lower(), me)
    assert view is not None
    assert view.info == store.workshop_info(a.join_code)
    assert view.specs == store.question_specs(a.join_code)
    assert view.mine == {("q_income", 1): 31.5} == store.my_answers(a.join_code, me)
    assert store.participant_view(a.join_code, "not-a-token") is None
    assert store.participant_view("ZZZZZZ", me) is None
    store.leave(a.join_code, me)
    assert store.participant_view(a.join_code, me) is None  # left: the page offers to join again


def test_a_lost_database_is_one_line_in_the_log_without_host_or_traceback(store, caplog):
    """The hub says once that the database went away (no traceback, no host or port), keeps
    trying, and says once that it is back."""
    import logging

    from sqlalchemy.exc import OperationalError

    a = store.create_workshop("GM0014", 2024, QUESTIONS)
    down = threading.Event()
    down.set()
    calls = {"n": 0}

    def versions(codes):
        calls["n"] += 1
        if down.is_set():
            raise OperationalError(
                "SELECT", {}, Exception('connection to server at "10.1.2.3", port 5432 failed: refused')
            )
        return store.state_versions(codes)

    import wijk.beeld.ui_live as live

    push = Recorder()
    hub = LiveHub(versions, push=push, interval=0.01)
    old_backoff, live.BACKOFF_SECONDS = live.BACKOFF_SECONDS, 0.01
    try:
        with caplog.at_level(logging.WARNING, logger="wijk.beeld.ui_live"):
            hub.watch("phone", a.join_code, store.state_version(a.join_code))
            while calls["n"] < 5:  # several failed rounds
                threading.Event().wait(0.01)
            down.clear()
            store.reveal(a.join_code, a.facilitator_secret, "q_income")
            assert push.event.wait(30), "the hub did not recover"
    finally:
        hub.close()
        live.BACKOFF_SECONDS = old_backoff
    lines = [r for r in caplog.records if r.name == "wijk.beeld.ui_live"]
    assert [r.getMessage().split(" (")[0] for r in lines] == [
        "live hub: the workshop database does not answer",
        "live hub: the workshop database answers again",
    ]
    assert all(r.exc_info is None for r in lines)
    assert not any("10.1.2.3" in r.getMessage() or "5432" in r.getMessage() for r in lines)
