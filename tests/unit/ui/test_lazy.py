"""wijk.ui.lazy.lazy_section: a closed section makes and sends nothing; opened (its state set as a
click sets it), the same content is there; one open by default is drawn at once."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import pandas as pd
    import streamlit as st

    from wijk.ui.lazy import lazy_section

    def draw() -> None:
        st.session_state["drawn"] = st.session_state.get("drawn", 0) + 1
        st.dataframe(pd.DataFrame({"a": [1, 2]}), key="table")

    st.session_state["shown"] = lazy_section("Tabel", "sec_open", draw)
    lazy_section("Open", "open_sec", lambda: st.markdown("always there"), expanded=True)


def test_closed_sends_nothing_and_opened_sends_the_content():
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert [e.label for e in at.expander] == ["Tabel", "Open"]
    assert len(at.dataframe) == 0 and "drawn" not in at.session_state  # not even made
    assert at.session_state["shown"] is False
    assert [m.value for m in at.markdown] == ["always there"]  # open by default: drawn at once
    at.session_state["sec_open"] = True
    at.run()
    assert len(at.dataframe) == 1 and at.dataframe[0].value["a"].tolist() == [1, 2]
    assert at.session_state["drawn"] == 1 and at.session_state["shown"] is True
    assert at.expander[0].proto.expanded
    at.session_state["sec_open"] = False  # closed again: gone again
    at.run()
    assert len(at.dataframe) == 0 and at.session_state["drawn"] == 1


def _table_script() -> None:
    import pandas as pd
    import streamlit as st

    from wijk.ui.lazy import lazy_table

    def make() -> pd.DataFrame:
        st.session_state["made"] = st.session_state.get("made", 0) + 1
        return pd.DataFrame({"a": [3, 4]}, index=["x", "y"])

    lazy_table("Tabel", "table_open", make, "the_table")


def test_a_lazy_table_is_made_only_when_open_and_drawn_without_its_index():
    at = AppTest.from_function(_table_script).run()
    assert not at.exception and len(at.dataframe) == 0 and "made" not in at.session_state
    at.session_state["table_open"] = True
    at.run()
    assert at.session_state["made"] == 1 and at.dataframe[0].value["a"].tolist() == [3, 4]
    assert '"_index": {"hidden": true}' in at.dataframe[0].proto.columns  # drawn without its index
