"""The definition files agree with each other: every label in both languages, every indicator known."""

import csv
from pathlib import Path

from wijk.core.catalogue import load_catalogue
from wijk.core.i18n import load_labels

DATA = Path(__file__).resolve().parents[3] / "data"
CAT = load_catalogue()


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_label_has_dutch_and_english():
    labels = load_labels()
    assert len(labels) > 100
    for key, entry in labels.items():
        assert entry.get("nl", "").strip() and entry.get("en", "").strip(), key


def test_indicators_named_in_definition_files_exist_in_the_catalogue():
    named = {r["indicator"] for r in _rows("profile_sections.csv")}
    named |= {r["indicator"] for r in _rows("questions.csv")}
    named |= {r["indicator"] for r in _rows("factors.csv") if not r["indicator"].startswith("eigen:")}
    named |= {r["item"] for r in _rows("decks.csv") if not r["item"].startswith("local:")}
    named |= {r["indicator"] for r in _rows("source_columns.csv")}
    missing = sorted(i for i in named if i not in CAT)
    assert not missing, missing


def test_factor_rows_are_complete():
    for r in _rows("factors.csv"):
        assert r["kind"] in {"risk", "protective", "outcome"}, r
        assert r["unfavourable"] in {"high", "low"}, r
        assert r["strength"] in {"strong", "moderate", "weak"}, r
        assert r["explanation_nl"] and r["explanation_en"] and r["reference"], r


def test_outcome_signals_are_never_risk_or_protective_in_the_catalogue():
    outcome_factors = {r["indicator"] for r in _rows("factors.csv") if r["kind"] == "outcome"}
    for ind in outcome_factors & set(CAT.ids()):
        assert CAT.get(ind).role == "outcome", ind


def test_cbs_table_ids_per_year_are_data():
    tables = {int(r["year"]): r["table_id"] for r in _rows("cbs_tables.csv") if r["kind"] == "kwb"}
    assert tables[2017] == "83765NED" and tables[2024] == "85984NED"
    assert set(range(2017, 2026)) <= set(tables)


def test_indicator_ids_in_settings_exist_in_the_catalogue():
    """data/settings.toml: every id list names catalogue indicators (log_inwoners is computed)."""
    from wijk.core.settings import ids, setting

    lists = [
        ids("profile", "age_chart"),
        ids("profile", "household_chart"),
        ids("profile", "summary"),
        ids("workshop_report", "profile"),
        ids("kaart", "proximity"),
        *(ids("similar", "groups", g) for g in setting("similar", "groups")),
    ]
    missing = sorted({i for ids_ in lists for i in ids_ if i not in CAT and i != "log_inwoners"})
    assert not missing, missing
    assert any(i.domain == setting("indicators", "crime_domain") for i in CAT)
    assert all(len(spec["colour"]) == 3 for spec in setting("kaart", "kinds").values())
