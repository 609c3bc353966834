"""The facilitator's panel of who joined: the join cap (expected size + margin) to see and change,
the participants in join order (nickname as plain text, when they joined, how many answers; never
a value), and removing an obviously bogus participant together with their answers."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from wijk.beeld.limits import join_cap
from wijk.beeld.workshop import ParticipantRow, WorkshopInfo, WorkshopStore
from wijk.beeld.workshop_facilitator import MAX_JOIN_CAP
from wijk.core.i18n import t
from wijk.core.settings import setting
from wijk.core.text import plain

FLASH_KEY = "beeld_fac_people_flash"
NICK_CHARS = 40


def _local_time(at: datetime) -> str:
    """A join time as the room's clock shows it (stored in UTC)."""
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    try:
        return at.astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%H:%M:%S")
    except ZoneInfoNotFoundError:  # a system without time zone data: UTC, said so
        return at.strftime("%H:%M:%S UTC")


def _label(p: ParticipantRow, lang: str) -> str:
    """A selectbox option (plain text): 'p3 · Anna · 2 antwoorden'."""
    return t("beeld_fac_people_option", lang, nr=p.number, name=plain(p.nickname or "-", NICK_CHARS), k=p.answers)


def people_panel(ws: WorkshopStore, code: str, secret: str, info: WorkshopInfo, lang: str) -> None:
    with st.expander(t("beeld_fac_people", lang, n=info.participant_count)):
        if note := st.session_state.pop(FLASH_KEY, None):
            st.success(note)
        _cap(ws, code, secret, info, lang)
        people = ws.participants(code, secret)
        if not people:
            st.caption(t("beeld_fac_people_none", lang))
            return
        st.dataframe(
            [
                {
                    t("beeld_fac_people_col_nr", lang): f"p{p.number}",
                    t("beeld_fac_people_col_name", lang): plain(p.nickname or "", NICK_CHARS),
                    t("beeld_fac_people_col_joined", lang): _local_time(p.joined_at),
                    t("beeld_fac_people_col_answers", lang): p.answers,
                }
                for p in people
            ],
            hide_index=True,
            key="beeld_fac_people_table",
        )
        _remove(ws, code, secret, people, lang)


def _cap(ws: WorkshopStore, code: str, secret: str, info: WorkshopInfo, lang: str) -> None:
    st.caption(t("beeld_fac_cap_help", lang))
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    default = join_cap(int(setting("workshop_limits", "expected_default")))
    cap = left.number_input(
        t("beeld_fac_cap", lang),
        min_value=1,
        max_value=MAX_JOIN_CAP,
        value=info.join_cap or default,
        step=1,
        key=f"beeld_fac_cap_{code}",
    )
    if right.button(t("beeld_fac_cap_save", lang), key="beeld_fac_cap_save", disabled=int(cap) == info.join_cap):
        ws.set_join_cap(code, secret, int(cap))
        st.session_state[FLASH_KEY] = t("beeld_fac_cap_saved", lang, cap=int(cap))
        st.rerun()


def _remove(ws: WorkshopStore, code: str, secret: str, people: list[ParticipantRow], lang: str) -> None:
    by_id = {p.id: p for p in people}
    pick = st.selectbox(
        t("beeld_fac_remove_pick", lang),
        list(by_id),
        index=None,
        placeholder=t("beeld_fac_remove_placeholder", lang),
        format_func=lambda pid: _label(by_id[pid], lang),
        key="beeld_fac_remove_pick",
    )
    sure = st.checkbox(t("beeld_fac_remove_sure", lang), key="beeld_fac_remove_sure")
    clicked = st.button(t("beeld_fac_remove", lang), key="beeld_fac_remove", disabled=pick is None or not sure)
    if clicked and pick is not None:
        ws.remove_participant(code, secret, pick)
        st.session_state[FLASH_KEY] = t("beeld_fac_removed", lang, nr=by_id[pick].number)
        st.session_state.pop("beeld_fac_remove_sure", None)
        st.rerun()
