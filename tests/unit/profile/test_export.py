"""Printable HTML and CSV of the profile: area name escaped, year of every figure, 'Bron: CBS'."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pandas as pd

from wijk.profile.export import file_stem, profile_csv, profile_html
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
    raw = profile_csv(p, "nl", DAY).decode("utf-8-sig")
    head = [line for line in raw.splitlines() if line.startswith("# ")]
    assert any("Bron: CBS" in h for h in head) and any("2017" in h for h in head)
    frame = pd.read_csv(io.StringIO(raw), comment="#")
    inw = frame[frame["Cijfer"] == "Inwoners"].iloc[0]
    assert inw["Waarde"] == store.value("BU00140107", 2017, "inwoners") and inw["Jaar"] == 2017
    assert "pct_sociaal_minimum" not in frame.columns  # labels, not ids
    assert (frame["Cijfer"] == "Huishoudens onder of rond het sociaal minimum").any()
    assert file_stem(p) == "wijkbeeld-profiel-BU00140107-2017"
    assert file_stem(p, "en") == "wijkbeeld-profile-BU00140107-2017"


def test_csv_in_english_keeps_the_attribution(store):
    raw = profile_csv(build_profile(store, "BU00140107", 2024), "en", DAY).decode("utf-8-sig")
    assert raw.splitlines()[0] == "# Neighbourhood profile: Laanhuizen (BU00140107)"
    assert "Bron: CBS" in raw and "Share of households with children" in raw
