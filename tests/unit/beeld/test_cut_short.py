"""A live part whose run was cut short is drawn again by the run that cut it (ui_workshop.cut_short).

Seen in the live bench (bench/bench_workshop_live.py, every phone sending three times): Streamlit
ended a phone's live-part run at a widget call when the backup poll's timer fired; the answer was
stored but neither its confirmation nor the form came back, and a reveal cut the same way was
never drawn. Streamlit cannot be made to cut a run here, so these run the two halves of the rule
in a small script: the live part marks its run, and the backup poll reruns the page when it finds
the mark still set.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script(cut: bool) -> None:
    import time

    import streamlit as st

    from wijk.beeld.ui_workshop import DRAWN_AT_KEY, LIVE_RUN_KEY, _poll_now, live_part_run

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    if st.session_state["runs"] == 1:
        if cut:  # the live part started and never reached its end
            st.session_state[LIVE_RUN_KEY] = True
        else:
            with live_part_run():
                st.write("live part")
        st.session_state[DRAWN_AT_KEY] = time.monotonic()  # just drawn: the poll asks no database
        _poll_now("ABCDEF")


def test_the_poll_redraws_a_live_part_that_was_cut_short():
    at = AppTest.from_function(_script, args=(True,)).run()
    assert not at.exception
    assert at.session_state["runs"] == 2  # the poll asked for the whole page again


def test_a_live_part_drawn_to_its_end_is_left_alone():
    at = AppTest.from_function(_script, args=(False,)).run()
    assert not at.exception
    assert at.session_state["runs"] == 1
    assert at.session_state["beeld_live_part_running"] is False
