"""Printable HTML and CSV of the profile: area name escaped, year of every figure, 'Bron: CBS'."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from wijk.profile.export import file_stem, profile_csv, profile_files, profile_html
from wijk.profile.model import build_profile
from wijk.profile.summary import summary_sentences

DAY = dt.date(2025, 1, 31)


def test_html_has_name_years_source_and_note(store):
    p = build_profile(store, "BU00140107", 2024)
    html = profile_html(p, summary_sentences(p), "nl", DAY)
    assert "<h1>Buurtprofiel: Laanhuizen</h1>" in html
    assert "Bron: CBS" in html and "85984NED" in html and "47022NED" in html
    assert "Buurtcijfers zeggen niets over dit gezin" in html
    assert "<td>2024</td>" in html and "1.325" in html
    assert "niet beschikbaar voor 2024 in de ingebouwde data" in html.lower()
    assert "@media print" in html and "2025-01-31" in html


def test_html_escapes_area_names(store):
    p = dataclasses.replace(build_profile(store, "BU00140107", 2024), name="<script>alert(1)</script>")
    html = profile_html(p, ["<b>zin</b>"], "en", DAY)
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "&lt;b&gt;zin" in html
    assert "Bron: CBS" in html  # attribution also in English


def test_csv_header_and_rows(store):
    p = build_profile(store, "BU00140107", 2017)
    raw = profile_csv(p, "nl")
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.decode("utf-8-sig").startswith("#")  # header first
    frame = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    inw = frame[frame["Cijfer"] == "Inwoners"].iloc[0]
    assert inw["Waarde"] == store.value("BU00140107", 2017, "inwoners") and inw["Jaar"] == 2017
    assert pd.api.types.is_float_dtype(frame["Waarde"])  # numbers, with missing figures empty (never 0)
    share = frame[frame["Cijfer"] == "Aandeel 0-14 jaar"].iloc[0]
    assert share["Waarde"] == pytest.approx(round(store.value("BU00140107", 2017, "pct_0_14"), 2))
    assert "pct_sociaal_minimum" not in frame.columns  # labels, not ids
    assert (frame["Cijfer"] == "Huishoudens onder of rond het sociaal minimum").any()
    assert file_stem(p) == "wijkbeeld-profiel-BU00140107-2017"
    assert file_stem(p, "en") == "wijkbeeld-profile-BU00140107-2017"
    files = profile_files(p, "nl", DAY)
    info = files["info"][0].decode("utf-8-sig")
    assert (
        "Bron: CBS" in info and "2017" in info and files["info"][1] == "wijkbeeld-profiel-BU00140107-2017_bronnen.txt"
    )
    wb = load_workbook(io.BytesIO(files["xlsx"][0]))
    table, sources = wb.worksheets
    head = [c.value for c in table[1]]
    row = next(r for r in table.iter_rows(min_row=2, values_only=True) if r[head.index("Cijfer")] == "Inwoners")
    assert isinstance(row[head.index("Waarde")], (int, float))
    assert "Bron: CBS" in " ".join(str(c.value) for c in sources["A"])


def test_csv_in_english_keeps_the_attribution(store):
    files = profile_files(build_profile(store, "BU00140107", 2024), "en", DAY)
    info = files["info"][0].decode("utf-8-sig")
    assert info.splitlines()[0] == "Wijkbeeld: Neighbourhood profile: Laanhuizen"
    assert "Neighbourhood profile: Laanhuizen (BU00140107)" in info and "Bron: CBS" in info
    assert "Share of households with children" in files["csv_nl"][0].decode("utf-8-sig")


def test_the_export_marks_old_and_carried_figures(store):
    from wijk.profile.export import profile_html
    from wijk.profile.model import build_profile, export_frame

    profile = build_profile(store, "BU0363TG01", 2024, strict=False)
    f = export_frame(profile, "nl").drop_duplicates("Cijfer").set_index("Cijfer")
    income = f.loc["Gemiddeld inkomen per inwoner"]
    assert income["Oud (meer dan 5 jaar voor de jaargang)"] == "oud"
    assert income["Zelfde gebied, oude code"] == "BU03639402"
    assert income["Nieuwer cijfer van het omliggende gebied"].startswith("WK0363TG 2024: ")
    assert f.loc["Inwoners", "Oud (meer dan 5 jaar voor de jaargang)"] == ""
    assert "2017 (2014) · oud · zelfde gebied, in 2017 code BU03639402" in profile_html(profile, [], "nl")
