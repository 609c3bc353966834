"""The workshop's long-lived resources on one app server: each made once, with one owner and a
declared lifetime.

- Per workshop database URL, a `WorkshopServer`: the store (its engine and connection pool) and
  the live hub (its thread), made together by `st.cache_resource` and released together by it
  (`on_release`: the hub's thread is stopped, then the engine disposed) when Streamlit drops the
  entry: at server shutdown, or when a test clears the caches. Nothing in the app clears them:
  a data refresh clears only the data caches (wijk.ui.loaders.clear_caches).
- Per app server, the attempt limiters (memory only): they live as long as the server.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from wijk.beeld.limits import RateLimiter
from wijk.beeld.ui_live import LiveHub, runtime_supports_push
from wijk.beeld.workshop import WorkshopStore
from wijk.core.db import database_url

# Per client: a browser session (tight), and its network address (loose: a whole room may
# share one address behind the venue's router). Each app server counts for itself.
SESSION_LIMITS = {"join": (5, 60), "guess": (5, 60)}
ADDRESS_LIMITS = {"join": (300, 60), "guess": (60, 60)}


@dataclass(frozen=True)
class WorkshopServer:
    """What this app server holds for the workshops of one database."""

    store: WorkshopStore
    hub: LiveHub

    def release(self) -> None:
        """Stop the hub's thread, then close the store's connections."""
        self.hub.close()
        self.store.dispose()


@st.cache_resource(show_spinner=False, on_release=WorkshopServer.release)
def _server_for(url: str) -> WorkshopServer:
    store = WorkshopStore(url)
    return WorkshopServer(store, LiveHub(store.state_versions))


def workshop_server() -> WorkshopServer:
    """This server's store and live hub for WIJK_DATABASE_URL, else workshops.sqlite locally."""
    return _server_for(database_url("workshops"))


def workshop_store() -> WorkshopStore:
    """One shared store per database URL."""
    return workshop_server().store


def live_hub() -> LiveHub | None:
    """This server's live hub, or None where sessions cannot be rerun from a thread (AppTest)."""
    if not runtime_supports_push():
        return None
    hub = workshop_server().hub
    return None if hub.broken else hub


@st.cache_resource(show_spinner=False)
def attempt_limiters() -> dict[str, RateLimiter]:
    """{'session:join', 'session:guess', 'address:join', 'address:guess': limiter}, per server."""
    return {
        f"{scope}:{what}": RateLimiter(*limits)
        for scope, table in (("session", SESSION_LIMITS), ("address", ADDRESS_LIMITS))
        for what, limits in table.items()
    }
