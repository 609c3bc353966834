"""The session plumbing every workshop screen shares (facilitator, participant, projector): the
store, attempt limits, the workshop's parts of the URL, and live following.

Every view follows the workshop live: the server's live hub (ui_live) reruns the page when the
workshop's state version moves (a reveal, a new round, closing); a slow poll from the page backs
it up. The screens themselves are in ui_facilitator, ui_join and ui_present.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from wijk.beeld.join_code import JOIN_ALPHABET, JOIN_CODE_LENGTH, normalise_code
from wijk.beeld.limits import Client, client_address
from wijk.beeld.ui_live import current_fragment_id, when_output_lost
from wijk.core.i18n import DEFAULT_LANG, t

# The workshop store and SQLAlchemy (~0.3 s to import) are imported where a workshop is really used
# (wijk.beeld.ui_resources): the beeld page alone (solo) and the frame only read the URL. The names
# the workshop screens import from here are made on first use (see __getattr__).
if TYPE_CHECKING:
    from wijk.beeld.ui_resources import live_hub as live_hub
    from wijk.beeld.ui_resources import workshop_store as workshop_store

    DB_ERRORS: tuple[type[Exception], ...]

SEEN_KEY = "beeld_seen_version"  # (code, state version) this page was drawn for
DRAWN_AT_KEY = "beeld_seen_at"  # when (monotonic seconds) it was drawn
CLIENT_KEY = "beeld_client_id"
TRUSTED_PROXY_HEADER_ENV = "WIJK_TRUSTED_PROXY_HEADER"
LIVE_SECONDS = 1.0  # without a live hub, each page polls this often
# With a hub, a page still checks this often itself (a push lost in a reconnect);
# WIJK_LIVE_BACKUP_SECONDS changes it (the browser tests use 10 s).
BACKUP_SECONDS = float(os.environ.get("WIJK_LIVE_BACKUP_SECONDS") or 15.0)
COUNT_SECONDS = 2.0  # the facilitator's and projector's answer counts
VIEW_PARAM, PRESENTER, CONTROL = "weergave", "scherm", "leiden"
PARTICIPANT_PARAM = "deelnemer"  # a joined phone's own token, in its address
# Set while a page's live part (an st.fragment) runs, cleared when it has drawn everything: still
# set when another run starts means that run cut the live part short (see cut_short).
LIVE_RUN_KEY = "beeld_live_part_running"


def db_errors() -> tuple[type[Exception], ...]:
    """What a database that does not answer raises (the screens catch these)."""
    from sqlalchemy.exc import DBAPIError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    return (OperationalError, DBAPIError, PoolTimeout, OSError)


def __getattr__(name: str) -> object:
    """DB_ERRORS, live_hub and workshop_store, as the workshop screens import them from here."""
    if name == "DB_ERRORS":
        return db_errors()
    if name in ("live_hub", "workshop_store"):
        from wijk.beeld import ui_resources

        return getattr(ui_resources, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@contextmanager
def db_guard(lang: str) -> Iterator[None]:
    """A database that does not answer becomes one clear sentence (no traceback, no host)."""
    try:
        yield
    except db_errors():
        st.error(t("beeld_db_down", lang), icon=":material/cloud_off:")
        st.session_state[LIVE_RUN_KEY] = False  # stopped on purpose, having said so: not cut short
        st.stop()


def this_client() -> Client:
    """This browser session, and its address when WIJK_TRUSTED_PROXY_HEADER names the header in
    which the app's own proxy passes it (see README, Settings); else no address is used."""
    session = st.session_state.setdefault(CLIENT_KEY, secrets.token_hex(8))
    headers = getattr(st.context, "headers", None) or {}
    return Client(session, client_address(headers, os.environ.get(TRUSTED_PROXY_HEADER_ENV)))


def code_from_url() -> str:
    """A well-formed join code from ?workshop=CODE, else '' (nothing else is trusted)."""
    code = normalise_code(st.query_params.get("workshop", "") or "")
    ok = len(code) == JOIN_CODE_LENGTH and set(code) <= set(JOIN_ALPHABET)
    return code if ok else ""


def token_from_url(name: str) -> str:
    """A URL token (participant, presenter key) if it looks like one, else ''."""
    value = str(st.query_params.get(name, "") or "")
    ok = 16 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)
    return value if ok else ""


def joined_in_url() -> bool:
    """Whether the address carries a participant (then the page shows only the participant)."""
    return bool(code_from_url() and token_from_url(PARTICIPANT_PARAM))


def own_screen() -> bool:
    """A joined phone or the projector: the page is the whole screen (no sidebar, no menu)."""
    return joined_in_url() or (st.query_params.get(VIEW_PARAM) == PRESENTER and bool(code_from_url()))


def join_url(page_url: str | None, code: str, lang: str = "nl", **extra: str) -> str:
    """The beeld page's address with ?workshop=CODE (relative when the address is unknown)."""
    parts = urlsplit(page_url or "")
    base = (
        parts.path.rstrip("/").rsplit("/", 1)[0] if parts.path.rstrip("/").endswith("beeld") else parts.path.rstrip("/")
    )
    prefix = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    query = {"workshop": code, **extra, **({"lang": lang} if lang != DEFAULT_LANG else {})}
    return f"{prefix}{base}/beeld?{urlencode(query)}"


def remember_version(code: str, version: int) -> None:
    """The state version this run drew; follow() reruns the page when the stored one moves."""
    st.session_state[SEEN_KEY] = (code, version)
    st.session_state[DRAWN_AT_KEY] = time.monotonic()


def follow(code: str) -> None:
    """Keep this page current with the workshop: the server's live hub reruns it when the state
    version moves; a slow poll from the page backs that up. Without a hub, the page polls fast."""
    poll(code, watched=watch_live(code))
    confirm_drawn(code)


def _drawn_with_hub(code: str) -> tuple[Any, str, int] | None:
    """(this server's live hub, this session's id, the state version drawn) when this page was drawn for
    `code` and a hub runs; None otherwise."""
    from wijk.beeld.ui_resources import live_hub

    hub, ctx = live_hub(), get_script_run_ctx()
    seen = st.session_state.get(SEEN_KEY)
    if hub is None or ctx is None or not seen or seen[0] != code:
        return None
    return hub, ctx.session_id, seen[1]


def watch_live(code: str) -> bool:
    """Tell this server's live hub what this page (or the fragment running now) was drawn for;
    False where there is no hub (then the page must poll)."""
    drawn = _drawn_with_hub(code)
    if drawn is None:
        return False
    hub, session_id, version = drawn
    hub.watch(session_id, code, version, current_fragment_id())
    return True


def confirm_drawn(code: str) -> None:
    """At the end of what a page draws for the workshop: should Streamlit drop that output on its
    way to the browser (ui_live.when_output_lost), the live hub asks the page to draw it again."""
    drawn = _drawn_with_hub(code)
    if drawn is not None:
        hub, session_id, version = drawn
        when_output_lost(lambda: hub.lost(session_id, code, version))


def poll(code: str, watched: bool) -> None:
    """The page's own check of the workshop's version: a slow backup when the hub watches it,
    else once per LIVE_SECONDS."""
    (_poll_backup if watched else _poll)(code)


def unfollow() -> None:
    """This page no longer shows a workshop (the participant left)."""
    from wijk.beeld.ui_resources import live_hub

    hub, ctx = live_hub(), get_script_run_ctx()
    if hub is not None and ctx is not None:
        hub.forget(ctx.session_id)


@contextmanager
def live_part_run() -> Iterator[None]:
    """Mark the run of a page's live part: cleared only when it has drawn everything."""
    st.session_state[LIVE_RUN_KEY] = True
    yield
    st.session_state[LIVE_RUN_KEY] = False


def cut_short() -> bool:
    """Whether the live part's last run stopped before it had drawn everything. Streamlit can end
    a fragment's run at any widget call when another rerun of the session comes in (seen under
    load: the backup poll's timer firing while a phone's send was being drawn); the answer was
    stored, but its confirmation and the form were never drawn, and, when it was a reveal, nothing
    would ask again (the page had already told the live hub it was drawn)."""
    return bool(st.session_state.get(LIVE_RUN_KEY))


def _poll_now(code: str) -> None:
    """One indexed query; rerun the page when the version moved since it was drawn (not on the
    run that has just drawn it: a fragment also runs with its page), or when this run cut the
    live part's run short (then this is the run that replaced it: draw it again at once)."""
    if cut_short():
        st.rerun(scope="app")
    if time.monotonic() - st.session_state.get(DRAWN_AT_KEY, 0.0) < LIVE_SECONDS / 2:
        return
    from wijk.beeld.ui_resources import workshop_store

    try:
        now = workshop_store().state_version(code)
    except db_errors():
        return  # the next poll tries again; the page itself says so when it reruns
    if now is not None and st.session_state.get(SEEN_KEY) != (code, now):
        st.rerun(scope="app")


@st.fragment(run_every=LIVE_SECONDS)
def _poll(code: str) -> None:
    _poll_now(code)


@st.fragment(run_every=BACKUP_SECONDS)
def _poll_backup(code: str) -> None:
    _poll_now(code)
