"""Unit tests for wijk.beeld.limits: attempt limits kept in an app server's memory."""

from __future__ import annotations

from wijk.beeld.limits import RateLimiter


def test_rate_limiter_counts_per_client_in_a_sliding_window():
    now = [0.0]
    limiter = RateLimiter(3, 60, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another client has its own window
    now[0] = 61.0
    assert limiter.allow("a")
