"""AppTest for 'Beeld en werkelijkheid': solo commit -> reveal; a workshop with two participants."""

from __future__ import annotations

import json

from tests.app.conftest import open_app, page_text
from wijk.core.text import md

BUURT = "BU00140301"  # Indische buurt, Groningen: 12,2% of households with children in 2024
TRUTH_KIDS = "12,2%"
TRUTH_CRIME = "55,9"


def _all_text(at) -> str:
    """Page text plus widget labels, help texts and the URL: nothing may hold a figure early."""
    labels = [
        str(getattr(w, "label", "")) + str(getattr(w, "help", "") or "")
        for kind in ("slider", "number_input", "radio", "multiselect", "text_input", "button")
        for w in at.get(kind)
    ]
    return page_text(at) + "\n".join(labels) + json.dumps(dict(at.query_params))


def test_solo_commit_then_reveal():
    at = open_app("beeld", buurt=BUURT, jaar="2024")
    assert not at.exception
    assert "Indische buurt" in page_text(at)
    before = _all_text(at)
    assert TRUTH_KIDS not in before and TRUTH_CRIME not in before
    assert not at.get("vega_lite_chart")
    at.number_input(key="beeld_solo_q_misdrijven_per_1000").set_value(200.0)
    at.number_input(key="beeld_solo_q_pct_met_kinderen").set_value(40.0)
    for box in at.number_input:  # every other question too: none has a preset answer
        if box.value is None:
            box.set_value(10.0)
    for choice in at.radio:
        if choice.key.startswith("beeld_solo_q_") and choice.value is None:
            choice.set_value(1)
    at.button[0].click().run()  # the form's commit button
    assert not at.exception
    text = page_text(at)
    assert TRUTH_KIDS in text and TRUTH_CRIME in text
    assert "Bron: tabel 85984NED" in text  # every revealed figure names its CBS table, variable, year, area
    assert "te negatief" in text  # 200 crimes per 1000 guessed: a too negative picture
    assert "Jouw schatting 40,0%" in text
    assert "Je schatte 40,0%" in text and "ongeveer drie keer zo hoog als de werkelijkheid" in text  # 40 vs 12,2
    assert at.get("vega_lite_chart")
    gaps = next(d.value for d in at.dataframe if "Schatting" in d.value.columns)  # the chart's table
    assert "40,0%" in gaps["Schatting"].tolist() and TRUTH_KIDS in gaps["Werkelijk"].tolist()
    assert at.text_input(key="beeld_solo_note_pct_met_kinderen")  # the one-line prompt


def test_solo_reveal_shows_what_residents_report_as_a_model_estimate():
    """Where a question has three views, the solo reveal shows the residents' mark too (RIVM 2016:
    29,9% of adults in the Indische buurt find it hard to make ends meet; 24,8% in its wijk in 2020
    beside the lowest-40% question), labelled a model estimate; registered crime (no residents'
    source in the data) gets none."""
    at = open_app("beeld", buurt=BUURT, jaar="2024")
    picked = at.multiselect(key=f"beeld_solo_pick_{BUURT}_2024").value
    assert "pct_sociaal_minimum" in picked and "misdrijven_per_1000" in picked
    for box in at.number_input:
        box.set_value(20.0)
    for choice in at.radio:
        if choice.key.startswith("beeld_solo_q_"):
            choice.set_value(1)
    at.button[0].click().run()
    assert not at.exception
    shown = [m.value.replace("\\", "") for m in at.markdown]  # md(): drawn as plain text
    line = next(v for v in shown if v.startswith("Wat bewoners zelf zeggen"))
    assert "29,9%" in line and "RIVM-modelschatting, 2016; geen telling" in line and "50120NED" in line
    assert sum(v.startswith("Wat bewoners zelf zeggen") for v in shown) == 2  # the two with a residents' source
    views = [c.proto.spec for c in at.get("vega_lite_chart") if "bewoners zelf (RIVM-schatting)" in c.proto.spec]
    assert len(views) == 2 and all("#1f5fa8" in v and "werkelijk: " in v for v in views)
    assert any("bewoners zelf (RIVM-schatting): 29,9%" in v for v in views)  # beside the guess and the register
    assert not any("misdrijven" in v.lower() for v in views)


def test_solo_requires_every_answer():
    at = open_app("beeld", buurt=BUURT, jaar="2024")
    at.button[0].click().run()  # numbers left empty
    assert not at.exception
    assert "Beantwoord eerst alle vragen" in page_text(at)
    assert TRUTH_KIDS not in page_text(at)


def _join(code: str, value: float | None, crime: float):
    p = open_app("beeld", workshop=code)
    assert not at_exception(p)
    assert p.radio(key="beeld_mode").value == "meedoen"
    assert p.text_input(key="beeld_join_code").value == code
    p.button[0].click().run()  # join
    assert not at_exception(p)
    assert p.query_params["deelnemer"]  # the participant's own token is in the address
    assert not p.get("radio") or not [r for r in p.radio if r.key == "beeld_mode"]  # own view only
    kids = p.number_input(key="beeld_p_pct_met_kinderen_r1")
    assert kids.value is None  # no anchor: empty until the participant types
    if value is not None:
        kids.set_value(value)
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

    p3 = _join(code, None, 80.0)  # leaves the percentage open
    fac.run()
    text = page_text(fac)
    assert "3 deelnemers" in text
    assert "2 van 3" in text and "3 van 3" in text  # answers per question against participants
    assert fac.query_params["weergave"] == "leiden" and fac.query_params["workshop"] == code
    fac.button(key="beeld_f_reveal_pct_met_kinderen_1").click().run()
    assert not fac.exception
    charts = fac.get("vega_lite_chart")
    assert charts
    guesses = _chart_values(charts[0], "guess")
    text = page_text(fac)
    assert TRUTH_KIDS in text
    assert "Antwoorden 2 van 3" in text and "45,0%" in text  # median of 30 and 60; one left open
    assert sorted(guesses) == [30.0, 60.0]
    room = next(d.value for d in fac.dataframe if "Aantal antwoorden" in d.value.columns)  # the chart's table
    assert room.values.tolist() == [["30,0%", 1], ["60,0%", 1]]
    assert "te hoog" in text  # the group's median against the real value, in words
    assert "te somber" not in text  # households with children: no direction, no such line
    assert "Bron: tabel" in text

    p3.run()  # (in the browser the page follows by itself; see tests/browser)
    assert "geen antwoord van jou" in page_text(p3)
    p1.run()
    own = page_text(p1)
    assert "jij 30,0%" in own and TRUTH_KIDS in own and "60,0%" not in own  # own guess only
    assert "Je schatte 30,0%: **te hoog**" in own  # 30 against 12,2: the phone's own honest verdict

    # a reload (the same address, a new session) is the same participant with the same answers
    again = open_app("beeld", workshop=code, deelnemer=p2.query_params["deelnemer"])
    assert not again.exception
    assert "jij 60,0%" in page_text(again)
    assert "Opgeslagen: 90" in page_text(again)
    fac.run()
    assert "3 deelnemers" in page_text(fac)  # counted once

    # the participant cannot reveal: a wrong secret is rejected
    p1.button(key="beeld_part_leave").click().run()
    assert "deelnemer" not in p1.query_params
    fac.run()
    assert "2 deelnemers" in page_text(fac)
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
    from wijk.beeld.ui_workshop import join_url

    assert join_url("http://host:8501/beeld", "ABCDEF") == "http://host:8501/beeld?workshop=ABCDEF"
    assert join_url("https://x.nl/app/beeld/", "ABCDEF", "en") == ("https://x.nl/app/beeld?workshop=ABCDEF&lang=en")
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
    assert at.number_input(key="beeld_solo_q_local:schoolbezoek").value is None
    assert "91,0" not in _all_text(at) and "91.0" not in _all_text(at)


def test_a_send_says_which_answers_were_not_taken():
    fac = open_app("beeld", buurt=BUURT, jaar="2024")
    fac.radio(key="beeld_mode").set_value("leiden").run()
    fac.button(key="beeld_fac_create").click().run()
    code = fac.session_state["beeld_fac"]["code"]
    p = open_app("beeld", workshop=code)
    p.button[0].click().run()
    p.number_input(key="beeld_p_misdrijven_per_1000_r1").set_value(100.0)
    fac.button(key="beeld_f_reveal_misdrijven_per_1000_1").click().run()  # while p still types
    next(b for b in p.button if "versturen" in b.label).click().run()
    assert not p.exception
    text = page_text(p)
    assert "0 antwoord(en) opgeslagen" in text and "al onthuld" in text
    p.number_input(key="beeld_p_pct_met_kinderen_r1").set_value(20.0)
    next(b for b in p.button if "versturen" in b.label).click().run()
    assert "1 antwoord(en) opgeslagen" in page_text(p)
    p.run()  # another rerun (the live hub, the backup check) must not swallow the confirmation
    p.run()
    assert "1 antwoord(en) opgeslagen" in page_text(p) and "Opgeslagen: 20,0%" in page_text(p)
    fac.button(key="beeld_fac_round2").click().run()
    p.run()
    assert "opgeslagen" not in page_text(p).replace("Opgeslagen", "")  # a new round: the old one is gone


def test_presenter_view_needs_its_key_and_shows_only_what_the_room_may_see():
    fac = open_app("beeld", buurt=BUURT, jaar="2024")
    fac.radio(key="beeld_mode").set_value("leiden").run()
    fac.text_input(key="beeld_fac_title").input("Avond *over* <b>de</b> buurt")
    fac.button(key="beeld_fac_create").click().run()
    code, secret = fac.session_state["beeld_fac"]["code"], fac.session_state["beeld_fac"]["secret"]
    key = fac.session_state["beeld_fac"]["screen"]  # the projector's key: only this browser has it
    assert key not in (secret,) and secret not in json.dumps(dict(fac.query_params))
    bad = open_app("beeld", workshop=code, weergave="scherm", sleutel="x" * 24)
    assert "schermlink klopt niet" in page_text(bad) and code not in page_text(bad)
    screen = open_app("beeld", workshop=code, weergave="scherm", sleutel=key)
    assert not screen.exception
    text = page_text(screen)
    assert code in text and "Doe mee op je telefoon" in text and "0 deelnemers" in text
    title = "Avond *over* <b>de</b> buurt"
    kinds = ("markdown", "caption", "title", "header", "subheader", "info")
    source = "\n".join(str(e.value) for k in kinds for e in getattr(screen, k))
    assert md(title) in source and title not in source  # Markdown source escaped: shown as plain text
    assert title in text
    assert not screen.button  # no controls on the projector (the sidebar is hidden by its style)
    assert not [r for r in screen.radio if r.key == "beeld_mode"]
    assert any("stSidebar" in str(m.value) and "display: none" in str(m.value) for m in screen.markdown)
    assert secret not in json.dumps(dict(screen.query_params))
    fac.button(key="beeld_f_reveal_pct_met_kinderen_1").click().run()
    screen.run()
    charts = screen.get("vega_lite_chart")
    assert charts and f"werkelijk: {TRUTH_KIDS}" in charts[0].proto.spec
    assert "Doe mee op je telefoon" not in page_text(screen)
    text = page_text(screen)
    assert code in text and "Vraag 1 van " in text and "0 van 0 deelnemers antwoordden" in text  # code in a corner
    assert f'<div class="wijk-real">{TRUTH_KIDS}</div>' in "\n".join(str(m.value) for m in screen.markdown)
    fac.button(key="beeld_fac_join_close").click().run()  # the facilitator closes joining
    screen.run()
    assert code not in page_text(screen) and TRUTH_KIDS in page_text(screen)
    assert fac.button(key="beeld_fac_join_open")
    # the facilitator resumes after a reload: code from the address, secret typed again
    back = open_app("beeld", workshop=code, weergave="leiden", buurt=BUURT)
    assert "hervatten" in page_text(back)
    back.text_input(key="beeld_fac_login_secret").input(secret)
    next(b for b in back.button if b.label == "Verder leiden").click().run()
    assert back.session_state["beeld_fac"]["code"] == code
    assert back.button(key="beeld_fac_close")
    # the resumed browser does not know the projector's key: it can make a new link, which ends the old one
    back.button(key="beeld_fac_presenter_new").click().run()
    new_key = back.session_state["beeld_fac"]["screen"]
    assert new_key != key and not back.exception
    screen.run()
    assert "schermlink klopt niet" in page_text(screen)
    reopened = open_app("beeld", workshop=code, weergave="scherm", sleutel=new_key)
    assert "schermlink klopt niet" not in page_text(reopened) and reopened.get("vega_lite_chart")


def test_database_outage_is_one_sentence(monkeypatch):
    monkeypatch.setenv("WIJK_DATABASE_URL", "postgresql+psycopg://wijk@127.0.0.1:9/none")
    at = open_app("beeld", workshop="ABCDEF")
    at.button[0].click().run()  # join
    assert not at.exception
    text = page_text(at)
    assert "niet bereikbaar" in text
    assert "127.0.0.1" not in text and "psycopg" not in text


def _create_workshop():
    fac = open_app("beeld", buurt=BUURT, jaar="2024")
    fac.radio(key="beeld_mode").set_value("leiden").run()
    fac.button(key="beeld_fac_create").click().run()
    return fac, fac.session_state["beeld_fac"]["code"], fac.session_state["beeld_fac"]["secret"]


def test_a_session_guessing_wrong_waits_and_the_right_code_and_secret_still_get_in():
    """Every AppTest session shares one address (as a room behind one router, or 127.0.0.1)."""
    fac, code, secret = _create_workshop()
    noisy = open_app("beeld")
    noisy.radio(key="beeld_mode").set_value("meedoen").run()
    for wrong in ("ZZZZZ2", "ZZZZZ3", "ZZZZZ4", "ZZZZZ5", "ZZZZZ6"):
        noisy.text_input(key="beeld_join_code").input(wrong)
        noisy.button[0].click().run()
        assert "geen open workshop" in page_text(noisy)
    noisy.text_input(key="beeld_join_code").input(code)
    noisy.button[0].click().run()
    assert "Te veel pogingen in dit browservenster" in page_text(noisy) and "deelnemer" not in noisy.query_params
    p = open_app("beeld", workshop=code)  # someone else in the same room: gets in at once
    p.button[0].click().run()
    assert not p.exception and p.query_params["deelnemer"]
    back = open_app("beeld", workshop=code, weergave="leiden", buurt=BUURT)  # the facilitator, too
    back.text_input(key="beeld_fac_login_secret").input(secret)
    next(b for b in back.button if b.label == "Verder leiden").click().run()
    assert back.session_state["beeld_fac"]["code"] == code


def test_a_full_workshop_says_so_and_the_facilitator_sees_the_cap_and_removes_a_participant():
    from wijk.beeld.ui_resources import workshop_store

    fac, code, secret = _create_workshop()
    assert "0 van maximaal 36 deelnemers" in page_text(fac)  # 30 expected + a margin of 6
    workshop_store().set_join_cap(code, secret, 1)
    first = open_app("beeld", workshop=code)
    first.text_input(key="beeld_join_nick").input("[klik](https://x.nl)")
    first.button[0].click().run()
    assert first.query_params["deelnemer"]
    second = open_app("beeld", workshop=code)
    second.button[0].click().run()
    assert not second.exception and "deelnemer" not in second.query_params
    assert "Deze workshop is vol" in page_text(second)
    fac.run()
    assert "1 van maximaal 1 deelnemers" in page_text(fac)
    table = next(d.value for d in fac.dataframe if "Nr." in d.value.columns)
    assert table.values.tolist()[0][0:2] == ["p1", "[klik](https://x.nl)"]  # typed text, as plain text
    fac.selectbox(key="beeld_fac_remove_pick").set_value(workshop_store().participants(code, secret)[0].id).run()
    fac.checkbox(key="beeld_fac_remove_sure").check().run()
    fac.button(key="beeld_fac_remove").click().run()
    assert not fac.exception
    assert "p1 en zijn antwoorden zijn verwijderd" in page_text(fac) and "0 van maximaal 1" in page_text(fac)
    first.run()
    assert "werkt niet meer" in page_text(first)  # the removed phone is told, and can join again
