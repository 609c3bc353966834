"""Whether the PDOK basemap can be offered: asked off the script thread, at most once per 10 minutes.

The answer used to be fetched inside a map run (cached for 10 minutes): on a network that drops the
packets instead of refusing them, the first map run of every 10 minutes then waited the probe's whole
2 s timeout. Now the probe runs in a thread of its own and a map run waits for it at most
`WAIT_S`: a quick answer (online, or refused at once) is used in the same run, a slow one by the next
run; until then the blank background is drawn, as when PDOK is unreachable.

Owner and lifetime: this module holds the one probe of the server process (`_PROBE`); at most one probe
thread runs at a time, and each ends within the probe's own timeout. Nothing else clears it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from wijk.kaart import maps

TTL_S = 600.0  # how long an answer holds
WAIT_S = 0.3  # how long a map run waits for a probe under way
PROBE_TIMEOUT_S = 2.0


class BasemapProbe:
    """The last answer of `probe()`, renewed in the background once it is older than `ttl` seconds."""

    def __init__(self, probe: Callable[[], bool], ttl: float = TTL_S, wait: float = WAIT_S) -> None:
        self._probe, self._ttl, self._wait = probe, ttl, wait
        self._lock = threading.Lock()
        self._answer = False
        self._asked_at: float | None = None  # monotonic time of the last answer
        self._running: threading.Thread | None = None

    def reachable(self) -> bool:
        with self._lock:
            stale = self._asked_at is None or time.monotonic() - self._asked_at >= self._ttl
            if stale and self._running is None:
                self._running = threading.Thread(target=self._ask, name="wijk-basemap-probe", daemon=True)
                self._running.start()
            running = self._running
        if running is not None:
            running.join(self._wait)
        with self._lock:
            return self._answer

    def _ask(self) -> None:
        try:
            answer = bool(self._probe())
        except Exception:  # noqa: BLE001 - a probe that fails in any way means: no basemap
            answer = False
        with self._lock:
            self._answer, self._asked_at, self._running = answer, time.monotonic(), None


_PROBE = BasemapProbe(lambda: maps.pdok_reachable(timeout=PROBE_TIMEOUT_S))


def reachable() -> bool:
    """False without asking when the environment forces a style (WIJK_BASEMAP=blank, WIJK_BASEMAP_STYLE)."""
    return maps.basemap_wanted() and _PROBE.reachable()
