"""Unit tests for wijk.beeld.limits: attempt limits that protect the room without locking it."""

from __future__ import annotations

import pytest

from wijk.beeld.limits import AttemptGuard, Client, JoinRefusal, RateLimiter, client_address, join_cap
from wijk.beeld.workshop import UnknownWorkshop, WorkshopFull, WorkshopStore

VENUE = "203.0.113.7"  # one address shared by the whole room (a venue's router, a proxy)


@pytest.fixture
def store(tmp_path):
    s = WorkshopStore(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    yield s
    s.dispose()


def test_rate_limiter_counts_per_client_in_a_sliding_window():
    now = [0.0]
    limiter = RateLimiter(3, 60, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.count("a") == 3 and limiter.full("a")
    assert limiter.allow("b")  # another client has its own window
    now[0] = 61.0
    assert limiter.allow("a") and limiter.count("a") == 1


def _try_code(guard: AttemptGuard, store: WorkshopStore, client: Client, code: str) -> str:
    """What the join screen does with a typed code: 'in', 'wrong', or why it was not tried."""
    refusal = guard.join_refusal(client, code)
    if refusal is not None:
        return refusal.value
    try:
        store.join(code)
    except UnknownWorkshop:
        guard.wrong_code(client)
        return "wrong"
    except WorkshopFull:
        return "full"
    guard.joined(client)
    return "in"


def _try_secret(guard: AttemptGuard, store: WorkshopStore, client: Client, code: str, secret: str) -> str:
    """What the facilitator's login does."""
    if not guard.may_guess(client):
        return "slow"
    if store.verify_facilitator(code, secret):
        return "in"
    guard.wrong_secret(client, code)
    return "wrong"


def test_twenty_sessions_on_one_address_guessing_wrong_never_lock_out_the_right_code_or_secret(store):
    guard = AttemptGuard()
    made = store.create_workshop("WK001403", 2024, ["q_income"], join_cap=100)
    crowd = [Client(f"session-{i}", VENUE) for i in range(20)]
    outcomes = [_try_code(guard, store, c, f"ZZZZ{i % 10}{j}") for c in crowd for i, j in zip(range(6), "23456789")]
    assert outcomes.count("wrong") == 20 * 5 and outcomes.count("slow") == 20  # each session waits after 5
    for c in crowd[:10]:
        assert _try_secret(guard, store, Client(c.session + "-fac", VENUE), made.join_code, "not-the-secret") == "wrong"
    # a new session on the same address: the right code and the right secret get in at once
    assert _try_code(guard, store, Client("the-participant", VENUE), made.join_code) == "in"
    assert _try_secret(guard, store, Client("the-facilitator", VENUE), made.join_code, made.facilitator_secret) == "in"
    assert _try_code(guard, store, Client("no-address-known"), made.join_code) == "in"
    # the session that guessed wrong itself waits, whatever it types
    assert _try_code(guard, store, crowd[0], made.join_code) == JoinRefusal.SESSION.value
    assert guard.recent_wrong_secrets(made.join_code) == 10  # what its facilitator is told
    assert store.workshop_info(made.join_code).participant_count == 2


def test_a_burst_of_joins_from_one_client_beyond_the_workshops_cap_is_refused(store):
    guard = AttemptGuard()
    made = store.create_workshop("WK001403", 2024, ["q_income"], join_cap=join_cap(10))
    assert join_cap(10) == 15 and join_cap(30) == 36  # expected + the larger of 20% and 5
    burst = [_try_code(guard, store, Client(f"new-session-{i}", VENUE), made.join_code) for i in range(25)]
    assert burst == ["in"] * 15 + ["full"] * 10
    assert store.workshop_info(made.join_code).participant_count == 15


def test_one_client_adding_participants_in_a_burst_is_slowed_down(store):
    guard = AttemptGuard()
    limit = guard.address_joins.limit
    made = store.create_workshop("WK001403", 2024, ["q_income"], join_cap=limit + 20)
    burst = [_try_code(guard, store, Client(f"s{i}", VENUE), made.join_code) for i in range(limit + 3)]
    assert burst == ["in"] * limit + [JoinRefusal.BURST.value] * 3
    assert _try_code(guard, store, Client("other", "198.51.100.1"), made.join_code) == "in"  # another client
    session = Client("one-phone")
    tries = [_try_code(guard, store, session, made.join_code) for _ in range(guard.session_joins.limit + 1)]
    assert tries[-1] == JoinRefusal.SESSION.value  # one session adding participant after participant


def test_the_client_address_comes_only_from_the_configured_trusted_header():
    headers = {"X-Forwarded-For": "10.0.0.1, 203.0.113.7", "X-Real-Ip": "198.51.100.9", "Host": "wijk"}
    assert client_address(headers, None) is None  # nothing configured: no address is used
    assert client_address(headers, "") is None
    assert client_address(headers, "x-forwarded-for") == "203.0.113.7"  # the entry the proxy added
    assert client_address(headers, "X-Real-IP") == "198.51.100.9"
    assert client_address(headers, "X-Client-IP") is None  # not sent
    assert client_address({"X-Real-IP": "<script>"}, "X-Real-IP") is None  # not an address
    assert client_address({"X-Real-IP": "2001:db8::1"}, "X-Real-IP") == "2001:db8::1"
