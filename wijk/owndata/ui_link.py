"""Own data that survives a reload: kept in the database for the browser link, restored when it opens.

After every change to the session's own datasets (`activate`, `remove`) the whole set is kept under
the link's random token (`wijk.owndata.store.OwnDataStore.keep`: only the suppressed aggregate,
never the upload); the frame puts the token in the URL as `eigen=`. When a session opens with
`eigen=` in its URL (a reload, a bookmark), `restore` loads that set. Text that is not a token, an
unknown or expired token, or an unreachable database gives a message, never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from wijk.core.i18n import t
from wijk.core.owndata import OwnDataset
from wijk.core.text import md
from wijk.ui import session_owndata
from wijk.ui.session_owndata import active_datasets, set_datasets

if TYPE_CHECKING:
    from wijk.owndata.store import OwnDataStore

# wijk.owndata.store (and with it the database layer, SQLAlchemy: ~0.3 s to import) is imported only where
# a link's data are really looked up or kept: most sessions never do, and the frame runs restore() always.

CHECKED = "eigen_link_checked"  # the link of this session was looked at (once per session)
NOTE = "eigen_link_note"  # (i18n key, fmt) of the message about the link, shown until the data change
KEPT = "eigen_link_kept"  # False when the last change could not be kept (database down)
UNREAD = "eigen_link_unread"  # a key in the URL whose set could not be loaded: never written over


@st.cache_resource(show_spinner=False)
def _db(url: str) -> OwnDataStore:
    from wijk.owndata.store import OwnDataStore

    return OwnDataStore(url)


def db() -> OwnDataStore:
    from wijk.owndata.store import default_url

    return _db(default_url())


def restore(lang: str) -> None:
    """Once per session, before the frame writes the URL: load the own data kept for `eigen=` in the URL."""
    if not st.session_state.get(CHECKED):
        st.session_state[CHECKED] = True
        raw = st.query_params.get(session_owndata.URL_PARAM)
        if raw is not None:
            _open(str(raw), lang)
    note = st.session_state.get(NOTE)
    if note:
        key, fmt = note
        st.warning(t(key, lang, **fmt), icon=":material/link_off:")


def _open(raw: str, lang: str) -> None:
    from wijk.owndata.store import KEEP_DAYS, valid_token

    if not valid_token(raw):
        st.session_state[NOTE] = ("eigen_link_bad", {})
        session_owndata.set_token(None)
        return
    try:
        found = db().restore(raw)
    except Exception:  # noqa: BLE001 - database down or misconfigured: a message, and the key stays for a later reload
        st.session_state[NOTE] = ("eigen_link_db", {})
        st.session_state[UNREAD] = raw
        session_owndata.set_token(raw)
        return
    if not found:
        st.session_state[NOTE] = ("eigen_link_unknown", {"days": KEEP_DAYS})
        session_owndata.set_token(None)
        return
    names = {d.name for d in found}
    set_datasets(found + [d for d in active_datasets() if d.name not in names])
    session_owndata.set_token(raw)
    st.toast(t("eigen_link_restored", lang, names=", ".join(md(d.name) for d in found)), icon=":material/link:")


def _keep() -> bool:
    """Keep the session's current set for its link (a new token the first time); forget it when empty."""
    active, token = active_datasets(), session_owndata.token()
    if token and token == st.session_state.get(UNREAD):
        token = None  # that link's set was never loaded here: keep this one under a new key instead
    st.session_state.pop(NOTE, None)
    from wijk.owndata.store import new_token

    try:
        if not active:
            if token:
                db().forget(token)
            session_owndata.set_token(None)
        else:
            token = token or new_token()
            db().keep(token, active)
            session_owndata.set_token(token)
    except Exception:  # noqa: BLE001 - database down: still in use in this session, only not kept for a reload
        st.session_state[KEPT] = False
        return False
    st.session_state[KEPT] = True
    return True


def activate(ds: OwnDataset, replaces: str | None = None) -> bool:
    """In use at once (replacing a dataset with the same name or indicator ids, or named `replaces`),
    and kept for the link; False when it could not be kept."""
    ids = {i.id for i in ds.indicators}
    others = [
        d for d in active_datasets() if d.name not in (ds.name, replaces) and not ids & {i.id for i in d.indicators}
    ]
    set_datasets([*others, ds])
    return _keep()


def remove(index: int) -> bool:
    """Stop using one dataset, and delete it from what is kept for the link."""
    active = active_datasets()
    set_datasets(active[:index] + active[index + 1 :])
    return _keep()


def kept_note(lang: str) -> None:
    """Under the datasets in use: kept for this link (and what that means), or not kept."""
    if not active_datasets():
        return
    if st.session_state.get(KEPT) is False:
        st.warning(t("eigen_link_not_kept", lang), icon=":material/cloud_off:")
    elif session_owndata.token():
        from wijk.owndata.store import KEEP_DAYS

        st.caption(t("eigen_link_kept", lang, days=KEEP_DAYS))
