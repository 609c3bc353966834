"""Attempt limits of the workshop, kept in each app server's memory: they protect the room
without locking it.

- Wrong guesses (a join code or a facilitator secret) count per browser session: a session that
  guessed wrong too often waits, and nobody else does (a venue's network, a proxy or 127.0.0.1
  shared by a room never shares a bucket). Wrong secrets also count per workshop, so that its
  facilitator is told; the right secret and the right code are never refused for what others did.
- Joins count per browser session (a phone joins once) and, where the client's address is known
  from a configured trusted proxy header (`client_address`), per workshop and address: one client
  adding participants in a burst is slowed down. The workshop's own cap (set by the facilitator)
  is kept by the store (WorkshopFull).
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from wijk.core.settings import setting


class RateLimiter:
    """At most `limit` events per `seconds` per key (a sliding window), thread-safe, in memory."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] | None = None) -> None:
        self.limit, self.seconds = int(limit), float(seconds)
        self._clock = clock or time.monotonic
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def count(self, key: str) -> int:
        """Events for key in the current window (nothing is recorded)."""
        now = self._clock()
        with self._lock:
            return sum(1 for at in self._events.get(key, ()) if at > now - self.seconds)

    def full(self, key: str) -> bool:
        """Whether the next attempt for key would be refused (nothing is recorded)."""
        return self.count(key) >= self.limit

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


class JoinRefusal(StrEnum):
    """Why a join was not tried (the value is the tail of its i18n key 'beeld_join_<value>')."""

    SESSION = "slow"  # this browser session guessed wrong or joined too often
    BURST = "burst"  # many new participants of this workshop from this client address at once


@dataclass(frozen=True)
class Client:
    """Who is attempting: the browser session, and its address when a trusted proxy tells it."""

    session: str
    address: str | None = None


def _window(name: str) -> tuple[int, float]:
    limit, seconds = setting("workshop_limits", name)
    return int(limit), float(seconds)


class AttemptGuard:
    """The attempt limits of one app server (one owner: see ui_resources), thread-safe."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self.guesses = RateLimiter(*_window("guesses_per_session"), clock=clock)
        self.wrong_secrets = RateLimiter(*_window("wrong_secrets_per_workshop"), clock=clock)
        self.session_joins = RateLimiter(*_window("joins_per_session"), clock=clock)
        self.address_joins = RateLimiter(*_window("joins_per_address"), clock=clock)

    def may_guess(self, client: Client) -> bool:
        """Whether this session may try a code or secret now (its own wrong guesses only)."""
        return not self.guesses.full(client.session)

    def wrong_code(self, client: Client) -> None:
        self.guesses.allow(client.session)

    def wrong_secret(self, client: Client, code: str) -> None:
        self.guesses.allow(client.session)
        self.wrong_secrets.allow(code)

    def recent_wrong_secrets(self, code: str) -> int:
        """Wrong secrets tried for this workshop in the last window (shown to its facilitator)."""
        return self.wrong_secrets.count(code)

    def join_refusal(self, client: Client, code: str) -> JoinRefusal | None:
        """Why a join of this workshop may not be tried now, else None (and the attempt counts
        against this client's address for this workshop)."""
        if not self.may_guess(client) or self.session_joins.full(client.session):
            return JoinRefusal.SESSION
        if client.address is not None and not self.address_joins.allow(f"{code}|{client.address}"):
            return JoinRefusal.BURST
        return None

    def joined(self, client: Client) -> None:
        """A join succeeded: one more participant added by this session."""
        self.session_joins.allow(client.session)


def client_address(headers: Mapping[str, str], trusted_header: str | None) -> str | None:
    """The client's address from the trusted proxy's header (the last entry of a list such as
    X-Forwarded-For: the one that proxy added), or None: without a configured header nothing is
    read (a socket's address is the proxy's or 127.0.0.1, shared by everyone behind it)."""
    if not trusted_header:
        return None
    raw = next((v for k, v in headers.items() if k.lower() == trusted_header.strip().lower()), None)
    if not raw:
        return None
    last = str(raw).split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return None


def join_cap(expected: int) -> int:
    """The cap for a room of `expected` people: expected + margin (settings: workshop_limits)."""
    share, least = float(setting("workshop_limits", "margin_share")), int(setting("workshop_limits", "margin_min"))
    return int(expected) + max(least, math.ceil(int(expected) * share))
