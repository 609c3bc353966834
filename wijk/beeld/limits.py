"""Attempt limits per client (joins, code and secret guesses), kept in each app server's memory."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """At most `limit` events per `seconds` per key (a sliding window), thread-safe, in memory.

    Used per client for joins and code guesses; each app server keeps its own window."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] | None = None) -> None:
        self.limit, self.seconds = int(limit), float(seconds)
        self._clock = clock or time.monotonic
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def full(self, key: str) -> bool:
        """Whether the next attempt for key would be refused (nothing is recorded)."""
        now = self._clock()
        with self._lock:
            window = self._events.get(key, ())
            return sum(1 for at in window if at > now - self.seconds) >= self.limit

    def allow(self, key: str) -> bool:
        """Record an attempt for key; False (and not recorded) when the window is full."""
        now = self._clock()
        with self._lock:
            if len(self._events) > 10_000:  # forget idle clients
                self._events = {k: d for k, d in self._events.items() if d and d[-1] > now - self.seconds}
            window = self._events.setdefault(key, deque())
            while window and window[0] <= now - self.seconds:
                window.popleft()
            if len(window) >= self.limit:
                return False
            window.append(now)
            return True
