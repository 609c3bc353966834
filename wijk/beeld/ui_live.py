"""The live hub: one thread per app server tells the phones of a workshop that its state moved.

Polling from every phone (a Streamlit fragment rerun per phone per second) costs the server a
script run each time, and a room of 60 phones then spends a third of a core on asking "anything
new?". Instead each server keeps, per browser session, the workshop and state version its page
was drawn for. One thread asks the database for the versions of all followed workshops in one
indexed query a few times a second, and asks Streamlit to rerun exactly the sessions whose
workshop moved, with their own last address and page (as Streamlit's run-on-save does). A
reveal made on another server is seen the same way, through the shared database.

Streamlit has no public call to rerun another session, so `rerun_session` uses its runtime's
session manager; where that is not there (AppTest, another Streamlit), `available` is False and
the pages fall back to polling from each phone (see ui_workshop.follow).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

_LOG = logging.getLogger(__name__)

HUB_SECONDS = 0.25  # how often a server asks for the versions of the workshops it follows
BACKOFF_SECONDS = 2.0  # after a failed query (database down), wait this long before asking again
RETRY_SECONDS = 3.0  # a page asked to redraw that has not registered again by then is asked again
MAX_ASKS = 3
LOST = -1  # the version of a page whose drawing Streamlit dropped: the hub asks it again


def current_fragment_id() -> str | None:
    """The id of the `st.fragment` running now; None outside one or where Streamlit hides it
    (then the hub reruns the whole page instead of that part)."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

        return ThreadState.get().fragment_id or None
    except Exception:  # noqa: BLE001 - older/newer Streamlit: a whole-page rerun is still right
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        return getattr(get_script_run_ctx(), "current_fragment_id", None) or None


def rerun_session(session_id: str, fragment_id: str | None = None) -> bool:
    """Ask Streamlit to rerun this browser session as it was last run (its address, page and
    language): only the given fragment when the session still holds it (the part of the page
    that follows the workshop; far cheaper than the whole page), else the whole page. False when
    the session is gone or has not finished a run yet. Raises when this Streamlit lacks the
    internals used here (the hub then stops and the phones poll)."""
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return False
    info = Runtime.instance()._session_mgr.get_active_session_info(session_id)
    if info is None:
        return False
    last = info.session._client_state
    if not last.page_script_hash:  # never finished a run: nothing to repeat yet
        return False
    state = ClientState()
    state.CopyFrom(last)
    session = info.session
    has_fragment = getattr(session, "has_fragment", None)
    part = bool(fragment_id and callable(has_fragment) and has_fragment(fragment_id))
    state.fragment_id = fragment_id if part and fragment_id else ""
    state.is_auto_rerun = part  # as a fragment's own timer would ask (no warning if it just went)
    rerun = session.request_rerun
    loop = getattr(session, "_event_loop", None)  # where the session's own requests are handled
    if loop is None:
        rerun(state)
    else:
        loop.call_soon_threadsafe(rerun, state)
    return True


def when_output_lost(on_lost: Callable[[], None]) -> bool:
    """Behind everything this run has drawn so far, check on the session's event loop that it went
    to the browser; if not, call `on_lost` there. Streamlit drops the rest of a finished run's
    output when a rerun request (a phone's poll timer) is handled after the run ended but before
    its messages were: it starts a new script runner and ignores the old one's messages (seen in
    the live bench under load: the phone kept the old view, the page and the hub believed the
    reveal drawn). False where this Streamlit lacks the internals (nothing is checked then)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return False
    info = Runtime.instance()._session_mgr.get_active_session_info(ctx.session_id)
    session = info.session if info is not None else None
    loop = getattr(session, "_event_loop", None)
    requests = getattr(ctx, "script_requests", None)
    if loop is None or requests is None:
        return False
    loop.call_soon_threadsafe(check_output, session, requests, on_lost)
    return True


def check_output(session: object, requests: object, on_lost: Callable[[], None]) -> None:
    """On the session's event loop, after a run's messages: they reached the browser's queue only
    if the runner that made them (known by its request queue) is still the session's runner."""
    runner = getattr(session, "_scriptrunner", None)
    if getattr(runner, "_requests", None) is not requests:
        on_lost()


def runtime_supports_push() -> bool:
    """Whether this process is a Streamlit server whose sessions can be rerun from a thread."""
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.app_session import AppSession

        return (
            Runtime.exists()
            and callable(getattr(Runtime.instance()._session_mgr, "get_active_session_info", None))
            and callable(getattr(AppSession, "request_rerun", None))
        )
    except Exception:  # noqa: BLE001 - another Streamlit: the phones poll instead
        return False


@dataclass(frozen=True)
class Watch:
    """What one session's page was drawn for, and whether it has been asked to redraw."""

    code: str
    version: int
    fragment_id: str | None = None  # the part that drew it (None: the whole page)
    asked_at: float | None = None  # when the hub last asked it to redraw (monotonic seconds)
    asks: int = 0


class LiveHub:
    """Per server: which session shows which workshop at which state version; one thread asks
    the sessions whose workshop moved to redraw. A page that redraws registers again; one that
    has not within RETRY_SECONDS is asked again, as a whole page (a rerun Streamlit dropped,
    e.g. one that landed while the page was being drawn anew), at most MAX_ASKS times."""

    def __init__(
        self,
        versions: Callable[[Iterable[str]], dict[str, int]],
        push: Callable[[str, str | None], bool] = rerun_session,
        interval: float = HUB_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._versions, self._push, self._interval, self._clock = versions, push, interval, clock
        self._lock = threading.Lock()
        self._watching: dict[str, Watch] = {}  # by session id
        self._thread: threading.Thread | None = None
        self.pushed = 0  # reruns asked for, since start (for the benchmark and tests)
        self.broken = False  # a push failed for want of Streamlit internals: pages poll instead
        self.database_down = False  # the last query failed (said once in the log)
        self._closed = threading.Event()

    def watch(self, session_id: str, code: str, version: int, fragment_id: str | None = None) -> None:
        """This session's page (or its fragment) was just drawn for this workshop at this version."""
        with self._lock:
            self._watching[session_id] = Watch(code, version, fragment_id)
            if self._thread is None and not self._closed.is_set():
                self._thread = threading.Thread(target=self._loop, name="wijk-live-hub", daemon=True)
                self._thread.start()

    def lost(self, session_id: str, code: str, version: int) -> None:
        """What this session drew for this version never reached its browser (see
        when_output_lost): the next tick asks it to redraw, unless it registered anew meanwhile."""
        with self._lock:
            w = self._watching.get(session_id)
            if w is not None and (w.code, w.version) == (code, version):
                self._watching[session_id] = Watch(code, LOST, w.fragment_id)

    def forget(self, session_id: str) -> None:
        with self._lock:
            self._watching.pop(session_id, None)

    def watching(self) -> dict[str, Watch]:
        with self._lock:
            return dict(self._watching)

    def tick(self) -> list[str]:
        """One round: one query for every followed workshop, then a rerun for each session whose
        workshop moved (or vanished) and that has not been asked yet, or was asked RETRY_SECONDS
        ago without redrawing. Returns the sessions asked to rerun."""
        watched = self.watching()
        if not watched:
            return []
        now = self._versions({w.code for w in watched.values()})
        clock = self._clock()
        due = [
            sid
            for sid, w in watched.items()
            if now.get(w.code) != w.version and (w.asked_at is None or clock - w.asked_at >= RETRY_SECONDS)
        ]
        done: list[str] = []
        try:
            for sid in due:
                w = watched[sid]
                part = w.fragment_id if w.asks == 0 else None  # asked again: the whole page
                asked = w.asks < MAX_ASKS and self._push(sid, part)
                with self._lock:  # a session drawn again meanwhile keeps its newer registration
                    if self._watching.get(sid) == w:
                        if asked:
                            self._watching[sid] = replace(w, asked_at=clock, asks=w.asks + 1)
                        else:  # gone, or it never redrew: stop asking
                            del self._watching[sid]
                if asked:
                    done.append(sid)
        except Exception:  # noqa: BLE001 - this Streamlit cannot be driven from here
            _LOG.warning("live hub: Streamlit sessions cannot be rerun from here; phones poll", exc_info=True)
            self.broken = True
            with self._lock:
                self._watching.clear()
            return []
        self.pushed += len(done)
        return done

    @property
    def running(self) -> bool:
        """Whether the hub's thread is alive (it starts with the first page that is watched)."""
        return self._thread is not None and self._thread.is_alive()

    def close(self, wait: float = 5.0) -> None:
        """Stop the thread and wait for it (up to `wait` seconds); a closed hub starts no thread
        again. Its owner calls this when it releases the hub (see ui_resources)."""
        self._closed.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def _loop(self) -> None:
        while not self.broken and not self._closed.wait(self._interval):
            try:
                self.tick()
            except Exception as error:  # noqa: BLE001 - the database may be down; the hub must live on
                self._database_lost(error)
                self._closed.wait(BACKOFF_SECONDS)
            else:
                self._database_back()

    def _database_lost(self, error: Exception) -> None:
        """One line for the operator when the versions cannot be read (no traceback, and not the
        driver's message: it names the database's host and port), then silence until it is back."""
        if not self.database_down:
            self.database_down = True
            _LOG.warning(
                "live hub: the workshop database does not answer (%s); phones check for themselves, "
                "trying again every %.0f s",
                type(error).__name__,
                BACKOFF_SECONDS,
            )

    def _database_back(self) -> None:
        if self.database_down:
            self.database_down = False
            _LOG.warning("live hub: the workshop database answers again")
