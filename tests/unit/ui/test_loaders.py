"""Unit tests for wijk.ui.loaders and the owners of the workshop's resources (wijk.beeld.ui_resources):
a data refresh rebuilds the data caches and leaves a live workshop alone."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import streamlit as st

from wijk.beeld import ui_resources
from wijk.beeld.limits import Client
from wijk.ui import loaders

ROOT = Path(__file__).resolve().parents[3]


def _wait(condition, seconds: float = 30.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        threading.Event().wait(0.02)
    return condition()


def test_a_refresh_during_a_live_workshop_keeps_the_room_live_and_the_limiter_counts():
    server = ui_resources.workshop_server()
    store, hub = server.store, server.hub
    made = store.create_workshop("WK001403", 2024, ["q_income", "q_youth"])
    token = store.join(made.join_code)
    hub.watch("phone", made.join_code, store.state_version(made.join_code))
    assert hub.running
    guard = ui_resources.attempt_guard()
    guesser = Client("a-guessing-session")
    for _ in range(guard.guesses.limit):
        guard.wrong_secret(guesser, made.join_code)
    assert not guard.may_guess(guesser)
    data_before = loaders.get_store()
    engine_before = store.engine

    loaders.clear_caches()  # what the data page does after a refresh

    assert loaders.get_store() is not data_before  # the data caches are rebuilt from the new data
    after = ui_resources.workshop_server()
    assert after is server and ui_resources.workshop_store() is store  # the same store, ...
    assert store.engine is engine_before  # ... its engine not disposed
    assert store.submit_all(made.join_code, token, {"q_income": 12}) == {}  # the room still answers
    assert ui_resources.attempt_guard() is guard and not guard.may_guess(guesser)  # the counts are kept
    assert guard.recent_wrong_secrets(made.join_code) == guard.guesses.limit
    assert hub.running and hub.watching()  # the hub thread still follows the phone ...
    store.reveal(made.join_code, made.facilitator_secret, "q_income")
    # ... and sees the reveal: outside a server it cannot rerun the phone, so it stops following it
    assert _wait(lambda: not hub.watching()), "the hub thread did not see the reveal after the refresh"


def test_the_data_caches_of_features_are_cleared_by_a_refresh():
    from wijk.youth import ui as youth_ui

    calls: list[int] = []

    @loaders.data_cache
    def per_year(year: int) -> list[int]:
        calls.append(year)
        return [year]

    assert per_year(2024) is per_year(2024) and calls == [2024]
    loaders.clear_caches()
    per_year(2024)
    assert calls == [2024, 2024]
    assert youth_ui._lens.clear in loaders._DATA_CACHES  # the youth lens (made from the data) too


def test_a_data_cache_with_options_is_cleared_by_a_refresh_and_keeps_its_bound():
    from wijk.kaart import ui_screen as kaart_screen
    from wijk.trends import ui_screen as trends_screen

    calls: list[int] = []

    @loaders.data_cache(max_entries=2)
    def per_year(year: int) -> list[int]:
        calls.append(year)
        return [year]

    @loaders.data_cache(copies=True)
    def rows(year: int) -> list[int]:
        return [year]

    assert per_year(2024) is per_year(2024) and calls == [2024]
    per_year(2023), per_year(2022)  # the third year pushes 2024 out
    per_year(2024)
    assert calls == [2024, 2023, 2022, 2024]
    loaders.clear_caches()
    per_year(2023)
    assert calls[-1] == 2023 and len(calls) == 5
    assert rows(2024) == [2024] and rows(2024) is not rows(2024)  # copies: a caller may change its own
    # the map's prepared layers and options, keyed by the store object: a refresh must not serve an
    # old store's map for a new store that happens to get the same id
    kept = (kaart_screen._prepared, kaart_screen._options, kaart_screen._facilities, trends_screen._rank_view)
    for cached in (*kept, trends_screen._default_since):
        assert cached.clear in loaders._DATA_CACHES


def test_the_owner_releases_the_hub_thread_and_the_engine_together():
    server = ui_resources.workshop_server()
    made = server.store.create_workshop("WK001403", 2024, ["q_income"])
    server.hub.watch("phone", made.join_code, 0)
    assert server.hub.running and server.store._db._engine is not None
    st.cache_resource.clear()  # what Streamlit does at shutdown (and the tests between tests)
    assert not server.hub.running and server.store._db._engine is None
    assert ui_resources.workshop_server() is not server  # a new owner makes new ones on next use


def test_the_app_never_clears_every_resource():
    code = [ROOT / "app.py", *ROOT.joinpath("pages").glob("*.py"), *ROOT.joinpath("wijk").rglob("*.py")]
    offenders = [str(p.relative_to(ROOT)) for p in code if "cache_resource.clear()" in p.read_text(encoding="utf-8")]
    assert offenders == []
