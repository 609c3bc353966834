"""The selection in the URL and in session state, kept in step on every run."""

from __future__ import annotations

import types
from typing import NoReturn

import streamlit as st

from wijk.core import codes
from wijk.core.boundaries import current_areas_for
from wijk.core.comparability import boundary_changes_since
from wijk.core.i18n import Message, t
from wijk.core.selection import PARAMS, Selection, parse_selection
from wijk.core.store import Store
from wijk.core.text import md_fmt
from wijk.ui import session_owndata

SEL_KEY = "wb_selection"
MSG_KEY = "wb_messages"
SIG_KEY = "wb_url_sig"
RECOVERED_KEY = "wb_frame_recovered"  # this session's frame-less run was rerun once


def _signature(params: dict[str, str]) -> tuple:
    return tuple(sorted((k, v) for k, v in params.items() if k in PARAMS))


def read_selection(store: Store) -> Selection:
    """Parse the URL when it changed from outside (first open, a pasted link); else keep the session's."""
    params = {k: st.query_params[k] for k in st.query_params}
    sig = _signature(params)
    if SEL_KEY not in st.session_state or (sig and sig != st.session_state.get(SIG_KEY)):
        sel, msgs = parse_selection(params, store.areas)
        st.session_state[SEL_KEY] = sel
        st.session_state[MSG_KEY] = msgs
    return st.session_state[SEL_KEY]


def set_selection(sel: Selection) -> None:
    if sel != st.session_state.get(SEL_KEY):
        st.session_state[MSG_KEY] = []
    st.session_state[SEL_KEY] = sel


def current() -> Selection:
    """The selection; pages call this first, so it also repairs a frame-less run (see below)."""
    if SEL_KEY not in st.session_state:
        _recover_frame()
    return st.session_state[SEL_KEY]


def _recover_frame() -> None:
    """A deep link as the first request to a fresh server runs the page without app.py.

    Streamlit starts in its old pages/-folder mode until the entry point has called
    st.navigation once; in that mode a URL like /profiel executes pages/profiel.py alone (no
    sidebar, no URL handling). Switch the process to st.navigation mode and run app.py here, in
    this same run: it draws the frame and runs the page inside it; then this frame-less copy of
    the page stops (one script run, not a rerun that repeats it). A session whose run started
    in that mode while another session switched it (a race) is rerun once instead. Should a page
    still run alone, it does what the frame does with the URL: read it, say what was wrong with
    it (a bad gemeente, a year without data), and write it back clean.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        _run_frame_instead()
    if not st.session_state.get(RECOVERED_KEY):
        st.session_state[RECOVERED_KEY] = True
        st.rerun()
    from wijk.ui.loaders import get_store

    store = get_store()
    sel = read_selection(store)
    write_url(sel)
    render_messages(store, sel.lang)


def _run_frame_instead() -> NoReturn:
    """Run the entry point (app.py) as Streamlit runs it in st.navigation mode, then end this run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    ctx = get_script_run_ctx()
    if ctx is None:  # not under a script runner: nothing to run the frame in
        raise StopException()
    manager = ctx.pages_manager
    module = types.ModuleType("__main__")
    module.__dict__["__file__"] = manager.main_script_path
    with ctx.run_with_active_hash(manager.main_script_hash):  # the frame's widgets keep the ids of later runs
        exec(manager.get_page_script_byte_code(manager.main_script_path), module.__dict__)
    raise StopException()  # the page ran inside the frame; this frame-less copy of it draws nothing more


def messages() -> list[Message]:
    return st.session_state.get(MSG_KEY, [])


def write_url(sel: Selection) -> None:
    """Put the selection in the URL (only when it differs, to avoid needless history entries), and the
    key of the session's kept own data (`eigen=`) when there is one, so a reload finds them again."""
    query = sel.to_query()
    own = session_owndata.token()
    if own:
        query[session_owndata.URL_PARAM] = own
    current_q = {k: st.query_params[k] for k in st.query_params}
    if {k: current_q.get(k) for k in query} != query or set(current_q) - set(query) - {"embed"}:
        keep = {k: v for k, v in current_q.items() if k not in (*PARAMS, session_owndata.URL_PARAM)}
        st.query_params.from_dict({**keep, **query})
    st.session_state[SIG_KEY] = _signature(query)


def render_boundary_note(store: Store, sel: Selection) -> None:
    """For an older year: say when the code's area has changed since (e.g. Groningen 2019)."""
    rules = boundary_changes_since(sel.code, sel.jaar, max(store.years()))
    if rules:
        notes = " ".join(dict.fromkeys(r.note(sel.lang) for r in rules))
        st.info(t("msg_older_boundaries", sel.lang, year=sel.jaar, notes=notes), icon=":material/history:")
    _render_old_code(store, sel)


def _render_old_code(store: Store, sel: Selection) -> None:
    """A buurt code that no longer exists: say so, and offer the current buurten that cover its area."""
    newest = max(store.years())
    if codes.level_of(sel.code) != "buurt" or store.areas.exists(sel.code, newest):
        return
    now = [(c, rel) for c, rel, _ in current_areas_for(sel.code) if store.areas.exists(c, newest)][:4]
    area = f"{store.areas.name(sel.code, sel.jaar, sel.lang)} ({sel.code})"
    key = "msg_old_code_same" if now and now[0][1] == "zelfde" else "msg_old_code"
    st.info(t(key if now else "msg_old_code_none", sel.lang, area=area, year=newest), icon=":material/history:")
    for c, _ in now:
        label = f"{store.areas.name(c, newest, sel.lang)} ({c})"
        if st.button(label, key=f"wb_old_code_{c}"):
            set_selection(sel.with_area(c, store.areas))
            st.rerun()


def render_messages(store: Store, lang: str) -> None:
    for m in messages():
        fmt = {k: str(v) for k, v in m.params.items()}  # codes, years and label keys: all text
        for k in ("what", "fallback"):
            if k in fmt and isinstance(fmt[k], str) and (fmt[k].startswith("level_") or fmt[k] == "default_area"):
                fmt[k] = t(fmt[k], lang)
        if "fallback" in fmt and codes.level_of(fmt["fallback"]) in codes.AREA_LEVELS:
            fmt["fallback"] = store.areas.name(fmt["fallback"]) + f" ({fmt['fallback']})"
        if "area" in fmt:
            fmt["area"] = store.areas.name(fmt["area"]) + f" ({fmt['area']})"
        st.warning(t(m.key, lang, **md_fmt(**fmt)), icon=":material/warning:")  # URL text: plain, never Markdown
