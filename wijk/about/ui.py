"""The 'Ververs vanaf het CBS' button of the data page and the status of the last attempt: progress shown,
failures as one sentence, in the page's language (the refresh speaks in wijk.core.i18n Messages)."""

from __future__ import annotations

import streamlit as st

from wijk.core.i18n import Message, t, text_of
from wijk.core.text import md
from wijk.data import refresh
from wijk.ui import loaders


def run_refresh(gemeente: str, year: int, lang: str) -> None:
    """Fetch one gemeente and year from CBS into the local store; the app keeps its data on failure."""
    error = ""

    def progress(message: Message) -> None:
        st.write(message.text(lang, md))

    with st.status(t("data_refresh_running", lang, gemeente=gemeente, year=year), expanded=True) as status:
        try:
            summary = refresh.refresh([gemeente], False, [year], timeout=10.0, deadline=180.0, progress=progress)
        except refresh.RefreshError as exc:
            error = exc.message.text(lang, md)
            status.update(label=t("data_refresh_failed", lang), state="error", expanded=False)
        else:
            status.update(
                label=t(
                    "data_refresh_done",
                    lang,
                    n=summary.get("rows_fetched", 0),
                    served=text_of(summary.get("served_by", {}), lang, md),
                ),
                state="complete",
            )
    if error:  # outside the (collapsed) status box, so nobody misses it
        st.error(t("data_refresh_failed_detail", lang, error=error))
        return
    loaders.clear_caches()


def show_last_attempt(lang: str) -> None:
    """The last refresh attempt (also a failed one): its error, who served each year, its self-checks.

    Its sentences are Messages put into the page's language; an older status file holds Dutch text, shown
    as it is. Parameters (CBS's answers, URLs, file names) are foreign text: escaped, or shown as plain text."""
    attempt = refresh.last_attempt()
    if not attempt:
        return
    if not attempt.get("ok"):
        error = text_of(attempt.get("error", ""), lang, md)
        st.warning(t("data_refresh_last_failed", lang, when=md(attempt.get("when", "")), error=error))
    if attempt.get("served_by"):
        st.caption(t("data_refresh_served_by", lang, served=text_of(attempt["served_by"], lang, md)))
    if attempt.get("problems"):
        with st.expander(t("data_refresh_checks", lang, n=len(attempt["problems"]))):
            st.text("\n".join(text_of(p, lang) for p in attempt["problems"]))
