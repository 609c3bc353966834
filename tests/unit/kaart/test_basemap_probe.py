"""The basemap probe (wijk/kaart/ui.py): asked off the script thread, a quick answer used at once, a slow
one never holding a map run longer than its wait, renewed only when stale, a failure meaning no basemap."""

from __future__ import annotations

import threading
import time

from wijk.kaart.ui import BasemapProbe


def _until(condition, limit_s: float = 5.0) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_quick_answer_is_used_in_the_same_run_and_asked_once_while_fresh():
    calls = []
    probe = BasemapProbe(lambda: calls.append(1) or True, ttl=600, wait=5)
    assert probe.reachable() is True
    assert probe.reachable() is True
    assert len(calls) == 1


def test_a_slow_probe_does_not_hold_the_run_and_its_answer_comes_with_a_later_run():
    release = threading.Event()
    probe = BasemapProbe(lambda: release.wait(10) and True, ttl=600, wait=0.05)
    started = time.monotonic()
    assert probe.reachable() is False  # the blank background meanwhile
    assert time.monotonic() - started < 2  # not the probe's own timeout
    release.set()
    assert _until(probe.reachable)


def test_a_stale_answer_is_asked_again_and_a_failing_probe_means_no_basemap():
    answers = iter([True, RuntimeError("network")])

    def ask() -> bool:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    probe = BasemapProbe(ask, ttl=0, wait=5)
    assert probe.reachable() is True
    assert probe.reachable() is False
