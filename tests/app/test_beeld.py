"""AppTest for 'Beeld en werkelijkheid': solo commit -> reveal; a workshop with two participants."""
from __future__ import annotations

import json

from tests.app.conftest import open_app, page_text

BUURT = "BU00140301"  # Indische buurt, Groningen: 12,2% of households with children in 2024
TRUTH_KIDS = "12,2%"
TRUTH_CRIME = "55,9"


def _all_text(at) -> str:
    """Page text plus widget labels, help texts and the URL: nothing may hold a figure early."""
    labels = [str(getattr(w, "label", "")) + str(getattr(w, "help", "") or "")
              for kind in ("slider", "number_input", "radio", "multiselect", "text_input", "button")
              for w in at.get(kind)]
    return page_text(at) + "\n".join(labels) + json.dumps(dict(at.query_params))


def test_solo_commit_then_reveal():
    at = open_app("beeld", buurt=BUURT, jaar="2024")
    assert not at.exception
    assert "Indische buurt" in page_text(at)
    before = _all_text(at)
    assert TRUTH_KIDS not in before and TRUTH_CRIME not in before
    assert not at.get("vega_lite_chart")
    at.number_input(key="beeld_solo_q_misdrijven_per_1000").set_value(200.0)
    at.number_input(key="beeld_solo_q_inkomen_per_inwoner").set_value(25.0)  # KWB 2024 publishes buurt income
    at.slider(key="beeld_solo_q_pct_met_kinderen").set_value(40)
    at.button[0].click().run()  # the form's commit button
    assert not at.exception
    text = page_text(at)
    assert TRUTH_KIDS in text and TRUTH_CRIME in text
    assert "Bron: tabel 85984NED" in text  # every revealed figure names its CBS table, variable, year, area
    assert "te negatief" in text  # 200 crimes per 1000 guessed: a too negative picture
    assert "Jouw schatting 40,0%" in text
    assert at.get("vega_lite_chart")
    assert at.text_input(key="beeld_solo_note_pct_met_kinderen")  # the one-line prompt


def test_solo_requires_every_answer():
    at = open_app("beeld", buurt=BUURT, jaar="2024")
    at.button[0].click().run()  # numbers left empty
    assert not at.exception
    assert "Beantwoord eerst alle vragen" in page_text(at)
    assert TRUTH_KIDS not in page_text(at)


def _join(code: str, value: int, crime: float):
    p = open_app("beeld", workshop=code)
    assert not at_exception(p)
    assert p.radio(key="beeld_mode").value == "meedoen"
    assert p.text_input(key="beeld_join_code").value == code
    p.button[0].click().run()  # join
    assert not at_exception(p)
    p.slider(key="beeld_p_pct_met_kinderen_r1").set_value(value)
    p.number_input(key="beeld_p_misdrijven_per_1000_r1").set_value(crime)
    next(b for b in p.button if "versturen" in b.label).click().run()
    assert not at_exception(p)
    assert "opgeslagen" in page_text(p)
    return p


def _chart_values(chart, column: str) -> list[float]:
    """The values of one column over the chart's datasets (Streamlit sends them as Arrow)."""
    import pyarrow as pa

    out: list[float] = []
    for ds in chart.proto.datasets:
        frame = pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
        if column in frame:
            out += [float(v) for v in frame[column]]
    return out


def at_exception(at) -> bool:
    return bool(at.exception)


def test_workshop_two_participants_reveal_and_no_rights_without_secret():
    fac = open_app("beeld", buurt=BUURT, jaar="2024")
    fac.radio(key="beeld_mode").set_value("leiden").run()
    fac.button(key="beeld_fac_create").click().run()
    assert not fac.exception
    code = fac.session_state["beeld_fac"]["code"]
    secret = fac.session_state["beeld_fac"]["secret"]
    assert f"Code: `{code}`" in page_text(fac)
    assert secret not in json.dumps(dict(fac.query_params))
    assert fac.get("imgs") or fac.get("image")  # the QR code
    assert TRUTH_KIDS not in _all_text(fac)  # the facilitator's projected screen: no truth yet

    p1 = _join(code, 30, 150.0)
    p2 = _join(code, 60, 90.0)
    assert TRUTH_KIDS not in _all_text(p1) and TRUTH_KIDS not in _all_text(p2)
    # a participant has no facilitator controls
    assert not [b for b in p1.button if (b.key or "").startswith("beeld_f")]

    fac.button(key="beeld_fac_refresh").click().run()
    assert "2 deelnemers" in page_text(fac)
    fac.button(key="beeld_f_reveal_pct_met_kinderen_1").click().run()
    assert not fac.exception
    charts = fac.get("vega_lite_chart")
    assert charts
    guesses = _chart_values(charts[0], "guess")
    text = page_text(fac)
    assert TRUTH_KIDS in text
    assert "Antwoorden 2" in text and "45,0%" in text  # both answers, median of 30 and 60
    assert sorted(guesses) == [30.0, 60.0]

    p1.button(key="beeld_part_refresh").click().run()
    own = page_text(p1)
    assert "jij 30,0%" in own and TRUTH_KIDS in own and "60,0%" not in own  # own guess only

    # the participant cannot reveal: a wrong secret is rejected
    p1.button(key="beeld_part_leave").click().run()
    p1.radio(key="beeld_mode").set_value("leiden").run()
    assert not [b for b in p1.button if (b.key or "").startswith("beeld_f_reveal")]
    p1.text_input(key="beeld_fac_login_code").input(code)
    p1.text_input(key="beeld_fac_login_secret").input("raden-lukt-niet")
    next(b for b in p1.button if b.label == "Verder leiden").click().run()
    assert "klopt niet" in page_text(p1)
    assert "beeld_fac" not in p1.session_state
    assert not [b for b in p1.button if (b.key or "").startswith("beeld_f_reveal")]


def test_unknown_code_in_link_is_ignored_and_wrong_code_rejected():
    at = open_app("beeld", workshop="<script>")
    assert not at.exception
    assert at.radio(key="beeld_mode").value == "solo"  # not a well-formed code: ignored
    at.radio(key="beeld_mode").set_value("meedoen").run()
    assert at.text_input(key="beeld_join_code").value == ""
    at.text_input(key="beeld_join_code").input("ZZZZZZ")
    at.button[0].click().run()
    assert "geen open workshop" in page_text(at)


def test_join_url():
    from wijk.ui.workshop import join_url

    assert join_url("http://host:8501/beeld", "ABCDEF") == "http://host:8501/beeld?workshop=ABCDEF"
    assert join_url("https://x.nl/app/beeld/", "ABCDEF", "en") == (
        "https://x.nl/app/beeld?workshop=ABCDEF&lang=en")
    assert join_url(None, "ABCDEF") == "/beeld?workshop=ABCDEF"


def test_english_and_own_local_figures_as_questions():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP
    from tests.fixtures.made_up_localdata import made_up_dataset

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(buurt=BUURT, jaar="2024", lang="en")
    at.session_state["wb_local_datasets"] = [made_up_dataset()]
    at.run()
    at.switch_page("pages/beeld.py").run()
    assert not at.exception
    assert "Perception and reality" in page_text(at)
    picked = at.multiselect(key=f"beeld_solo_pick_{BUURT}_2024").value
    assert "local:schoolbezoek" in picked  # the deck takes own figures when present
    assert at.slider(key="beeld_solo_q_local:schoolbezoek")
    assert "91,0" not in _all_text(at) and "91.0" not in _all_text(at)
