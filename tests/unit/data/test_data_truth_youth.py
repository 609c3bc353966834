"""The committed store holds the youth-care figures of the raw source files (read here independently)."""

import csv
import gzip
from pathlib import Path

import pytest

SOURCES = Path(__file__).resolve().parents[4] / "shared" / "data-sources"
pytestmark = pytest.mark.skipif(not SOURCES.is_dir(), reason=f"source files not beside the repo ({SOURCES})")


def _rows(name: str, delimiter: str = ",", encoding: str = "utf-8"):
    with gzip.open(SOURCES / name, "rt", encoding=encoding) as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def test_youth_care_counts_per_wijk_and_gemeente(store):
    rows = {(r["gwb_code_10"], r["year"]): r for r in _rows("cbs_jeugdzorg_in_natura_wijk_2021_2022_NL.csv.gz")}
    for code, year in (
        ("GM0014", "2021"),
        ("GM0014", "2022"),
        ("WK001403", "2021"),
        ("WK001403", "2022"),
        ("WK059903", "2022"),
        ("GM0363", "2021"),
        ("WK168000", "2021"),
    ):
        r = rows[(code, year)]
        assert store.value(code, int(year), "jeugdzorg") == float(r["TotaalJongerenMetJeugdzorgInNatura_1"])
        assert store.value(code, int(year), "inw_0_14") == float(r["a_00_14"])
    # the checks of SOURCES.md
    assert store.value("GM0014", 2021, "jeugdzorg") == 5465 and store.value("GM0014", 2022, "jeugdzorg") == 5535
    assert store.value("GM0014", 2022, "jeugdzorg_traj_gi") == 840
    assert store.value("GM0014", 2022, "jeugdzorg_traj_rechter") == 25
    assert store.value("WK001403", 2021, "jeugdzorg") == 320 and store.value("WK001403", 2021, "inw_0_14") == 1820
    # blank (suppressed) in the raw file: missing in the store, never 0
    assert rows[("WK001403", "2021")]["RechterOfficierVanJustitie_15"] == ""
    assert store.value("WK001403", 2021, "jeugdzorg_traj_rechter") is None


def test_youth_care_share_uses_the_named_denominator(store):
    r = {(x["gwb_code_10"], x["year"]): x for x in _rows("cbs_jeugdzorg_in_natura_wijk_2021_2022_NL.csv.gz")}[
        ("WK001403", "2021")
    ]
    expected = float(r["TotaalJongerenMetJeugdzorgInNatura_1"]) / (float(r["a_00_14"]) + float(r["a_15_24"])) * 100
    assert store.value("WK001403", 2021, "pct_jeugdzorg_0_24") == pytest.approx(expected)
    fig = store.figure("WK001403", 2021, "pct_jeugdzorg_0_24")
    assert "a_00_14" in fig.variable and "a_15_24" in fig.variable


def test_country_total_from_the_gemeente_file(store):
    rows = {r["Wijken"].strip(): r for r in _rows("cbs_jeugdzorg_in_natura_gemeente_2022_85335NED.csv.gz")}
    assert (
        store.value("NL01", 2022, "jeugdzorg") == float(rows["NL00"]["TotaalJongerenMetJeugdzorgInNatura_1"]) == 461985
    )
    assert store.value("GM0014", 2022, "jeugdzorg") == float(rows["GM0014"]["TotaalJongerenMetJeugdzorgInNatura_1"])


def test_cbs_child_protection_percentages_per_gemeente(store):
    rows = {
        r["Regio's"]: r
        for r in _rows("cbs_jeugdzorg_indicatoren_gemeente_2022_statline_export.csv.gz", ";", "utf-8-sig")
    }
    col = "Jongeren met jeugdbescherming (% (zie toelichting))"
    for name, code in (
        ("Nederland", "NL01"),
        ("Groningen (gemeente)", "GM0014"),
        ("Amsterdam", "GM0363"),
        ("Rotterdam", "GM0599"),
        ("Aa en Hunze", "GM1680"),
    ):
        raw = float(rows[name][col].replace(",", "."))
        assert store.value(code, 2022, "pct_jeugdbescherming") == raw
        assert rows[name]["Perioden"] == "2022*"
        assert store.figure(code, 2022, "pct_jeugdbescherming").variable.endswith("[2022*]")  # provisional
    assert (
        store.value("NL01", 2022, "pct_jeugdbescherming"),
        store.value("GM0014", 2022, "pct_jeugdbescherming"),
        store.value("GM0363", 2022, "pct_jeugdbescherming"),
    ) == (1.2, 1.4, 0.9)
    assert store.value("GM0014", 2022, "cbs_pct_jeugdhulp") == 15.3
