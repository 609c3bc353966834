"""The 'Ververs vanaf het CBS' button of the data page: progress shown, failures as one sentence."""

from __future__ import annotations

import streamlit as st

from wijk.core.i18n import t
from wijk.data import refresh
from wijk.ui import loaders


def run_refresh(gemeente: str, year: int, lang: str) -> None:
    """Fetch one gemeente and year from CBS into the local store; the app keeps its data on failure."""
    error = ""
    with st.status(t("data_refresh_running", lang, gemeente=gemeente, year=year), expanded=True) as status:
        try:
            summary = refresh.refresh([gemeente], False, [year], timeout=10.0, deadline=180.0, progress=st.write)
        except refresh.RefreshError as exc:
            error = str(exc)
            status.update(label=t("data_refresh_failed", lang), state="error", expanded=False)
        else:
            served = "; ".join(f"{k}: {v}" for k, v in summary.get("served_by", {}).items())
            status.update(
                label=t("data_refresh_done", lang, n=summary.get("rows_fetched", 0), served=served), state="complete"
            )
    if error:  # outside the (collapsed) status box, so nobody misses it
        st.error(t("data_refresh_failed_detail", lang, error=error))
        return
    loaders.clear_caches()
