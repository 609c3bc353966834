"""Unit tests for wijk.beeld.report (and the question specs of wijk.beeld.workshop) on a temp SQLite."""

from __future__ import annotations

import io

import pytest

from wijk.beeld import perception as P
from wijk.beeld.report import (
    answers_csv,
    answers_table,
    area_profile,
    collect_items,
    qr_png,
    report_html,
    results_csv,
    workshop_questions,
)
from wijk.beeld.workshop import NotAllowed, WorkshopStore
from wijk.core import spreadsheet

BUURT = "BU00140301"


@pytest.fixture
def ws(tmp_path):
    s = WorkshopStore(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    yield s
    s.dispose()


@pytest.fixture
def running(store, ws):
    """A workshop on two questions, three participants, one question revealed."""
    qs = {q.id: q for q in P.available_questions(store, BUURT, 2024)}
    chosen = [qs["pct_met_kinderen"], qs["misdrijven_per_1000"]]
    made = ws.create_workshop(BUURT, 2024, [q.id for q in chosen], "Buurtavond")
    ws.set_question_specs(made.join_code, made.facilitator_secret, {q.id: q.to_spec() for q in chosen})
    for value, note in [(30, '=HYPERLINK("x")'), (60, "<b>nieuws</b>"), (20, None)]:
        token = ws.join(made.join_code)
        ws.submit(made.join_code, token, "pct_met_kinderen", value, note=note)
        ws.submit(made.join_code, token, "misdrijven_per_1000", 200)
    ws.reveal(made.join_code, made.facilitator_secret, "pct_met_kinderen")
    return made, chosen


def test_question_specs_roundtrip_and_rights(store, ws, running):
    made, chosen = running
    info = ws.workshop_info(made.join_code)
    assert workshop_questions(store, ws, info) == chosen
    with pytest.raises(NotAllowed):
        ws.set_question_specs(made.join_code, "wrong", {"pct_met_kinderen": {}})
    with pytest.raises(NotAllowed):
        ws.set_question_specs(made.join_code, made.facilitator_secret, {"other": {}})


def test_questions_rebuilt_without_specs(store, ws):
    made = ws.create_workshop(BUURT, 2024, ["pct_0_14", "misdrijven_per_1000"])
    qs = workshop_questions(store, ws, ws.workshop_info(made.join_code))
    assert [q.id for q in qs] == ["pct_0_14", "misdrijven_per_1000"]


def test_collect_items_only_revealed(store, ws, running):
    made, chosen = running
    items = collect_items(store, ws, made.join_code, made.facilitator_secret, chosen)
    assert [(i.question.id, i.round) for i in items] == [("pct_met_kinderen", 1)]
    assert items[0].guesses == [20.0, 30.0, 60.0]
    assert items[0].truth.value == pytest.approx(12.18, abs=0.01)
    assert sorted(items[0].notes) == ["<b>nieuws</b>", '=HYPERLINK("x")']


def test_report_html_is_complete_and_escaped(store, ws, running):
    made, chosen = running
    items = collect_items(store, ws, made.join_code, made.facilitator_secret, chosen)
    profile = area_profile(store, BUURT, 2024, "nl")
    assert profile[0][0] == "Inwoners"
    html = report_html("Buurtavond <1>", "Indische buurt", BUURT, 2024, profile, items, "nl", notes="we <script>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;nieuws" in html
    assert "Buurtavond &lt;1&gt;" in html and "Indische buurt" in html
    assert "12,2%" in html and "30,0%" in html  # truth and the median of 20, 30, 60
    assert "misdrijven per 1.000 inwoners werden" not in html  # the unrevealed question is left out
    assert "Bron: CBS" in html
    assert "Bron: tabel" in html  # each revealed figure keeps its source line


def _dutch(raw: bytes):
    """Read a CSV the way Dutch Excel does: ';' between cells, decimal comma, header in the first row."""
    import pandas as pd

    assert raw.startswith(b"\xef\xbb\xbf") and not raw.decode("utf-8-sig").startswith("#")
    return pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")


def test_csv_exports_are_anonymous_and_safe(store, ws, running):
    import pandas as pd
    from openpyxl import load_workbook

    made, chosen = running
    info = ws.workshop_info(made.join_code)
    answers = ws.export_answers(made.join_code, made.facilitator_secret)
    raw = answers_csv(answers, info)
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in text  # formula neutralised
    assert made.facilitator_secret not in text
    frame = _dutch(raw)
    assert list(frame.columns) == ["deelnemer", "vraag", "ronde", "antwoord", "toelichting", "verstuurd_om"]
    assert set(frame["deelnemer"]) == {"p1", "p2", "p3"} and len(frame) == 6
    assert pd.api.types.is_numeric_dtype(frame["antwoord"])
    files = spreadsheet.files(answers_table(answers, info), "antwoorden")
    meta = files["info"][0].decode("utf-8-sig")
    assert f"Workshop {made.join_code}" in meta and "Bron: CBS" in meta
    sheet = load_workbook(io.BytesIO(files["xlsx"][0])).worksheets[0]
    head = [c.value for c in sheet[1]]
    assert head[:3] == ["deelnemer", "vraag", "ronde"]
    assert all(
        isinstance(r[head.index("antwoord")], (int, float)) for r in sheet.iter_rows(min_row=2, values_only=True)
    )
    items = collect_items(store, ws, made.join_code, made.facilitator_secret, chosen)
    res_raw = results_csv(items)
    res = _dutch(res_raw)
    assert res.loc[0, "antwoorden"] == 3 and res.loc[0, "mediaan"] == 30
    assert res.loc[0, "verschil_mediaan_werkelijk"] == 17.8  # 30 - 12.18..., rounded
    assert res.loc[0, "werkelijk"] == 12.2 and "12.18274" not in res_raw.decode("utf-8-sig")
    assert "te hoog" in res.loc[0, "oordeel"]  # 30 against 12,2: about two and a half times
    assert res.loc[0, "bron"].startswith("Bron: tabel")
    english = _dutch(
        results_csv(collect_items(store, ws, made.join_code, made.facilitator_secret, chosen, lang="en"), "en")
    )
    assert list(english.columns)[:4] == ["question", "round", "answers", "median"]
    assert english.loc[0, "source"].startswith("Source")


def test_qr_png():
    png = qr_png("http://127.0.0.1:8501/beeld?workshop=ABCDEF")
    assert png.startswith(b"\x89PNG")
