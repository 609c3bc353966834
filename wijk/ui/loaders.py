"""Cached access to the store and what is computed from it (cache at the boundary; values are read-only).

The one place that decides what a data refresh clears: every cache made with `data_cache` (the
store, per-year bases, chart inputs), and nothing else. Long-lived resources with an owner of
their own (the workshop store and its live hub, attempt limiters, database engines) are not data:
a refresh leaves them running (see wijk.beeld.ui_resources).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar, overload

import streamlit as st

from wijk.core import memory
from wijk.core.store import Store

P = ParamSpec("P")
R = TypeVar("R")
_DATA_CACHES: list[Callable[[], None]] = []  # the clear() of every data cache, in order made


@overload
def data_cache(func: Callable[P, R]) -> Callable[P, R]: ...
@overload
def data_cache(
    func: None = None, *, max_entries: int | None = None, copies: bool = False
) -> Callable[[Callable[P, R]], Callable[P, R]]: ...
def data_cache(
    func: Callable[P, R] | None = None, *, max_entries: int | None = None, copies: bool = False
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """`st.cache_resource` for a value computed from the data (shared by all sessions, read-only,
    no resource to release), registered so that `clear_caches` rebuilds it after a refresh.
    `copies=True`: `st.cache_data` instead (each caller gets its own copy, for values a caller
    may change). Use bare (`@data_cache`) or with options (`@data_cache(max_entries=24)`)."""

    def register(f: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(f)
        def made(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return f(*args, **kwargs)
            finally:
                memory.trim()  # a value made from the data drops its temporaries: hand their pages back

        maker = st.cache_data if copies else st.cache_resource
        cached = maker(show_spinner=False, max_entries=max_entries)(made)
        _DATA_CACHES.append(cached.clear)
        return cached

    return register(func) if func is not None else register


@data_cache
def get_store() -> Store:
    return Store.load()


def clear_caches() -> None:
    """After a refresh: the store and every per-year basis and chart input are rebuilt from the new
    data on next use. Nothing else is touched (no workshop, limiter or engine)."""
    for clear in _DATA_CACHES:
        clear()
