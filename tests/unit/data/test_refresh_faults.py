"""Issue 24: every refresh and import path stores the right figure (table, variable, boundary year, period) or
stores nothing and says which table, variable or rows. Over real HTTP against the TEST FIXTURE server
(tests/fixtures/cbs_fixture_server.py) or on real-format files; values in the files built here are labelled."""

# ruff: noqa: F811  (the fixtures of test_refresh.py are imported and then named as test arguments)
import copy
import csv
from pathlib import Path

import pandas as pd
import pytest

from tests.unit.data.test_refresh import _small_embedded_data, embedded_subset, no_rebuild, server  # noqa: F401
from wijk.core.catalogue import load_catalogue
from wijk.core.comparability import breaks_between
from wijk.core.provenance import one_line
from wijk.core.store import Store
from wijk.data import imports, raw_values, readers, refresh, source_files, table_check
from wijk.profile.card_lines import year_lines


def _raw(local, name: str) -> pd.DataFrame:
    return pd.read_csv(local / "raw" / name, dtype=str, keep_default_na=False).set_index("WijkenEnBuurten")


# ---------------------------------------------------------------- 1: a partial hand import is not complete
def test_partial_hand_import_makes_no_parent_sum(tmp_path, _isolated_local):
    """Two buurten of WK001400 (SYNTHETIC values in a StatLine-CSV layout): the wijk has more buurten, so
    neither the wijk nor the gemeente may get a sum of these two labelled as its total."""
    path = tmp_path / "export_two_buurten.csv"
    path.write_text(
        '"Wijken en buurten";"Codering (code)";"Aantal inwoners (aantal)";"Mannen (aantal)"\n'
        '"Binnenstad-Zuid";"BU00140000";"4745";"2400"\n'
        '"Binnenstad-Oost";"BU00140001";"4955";"2500"\n',
        encoding="utf-8",
    )
    summary = imports.import_file(path, 2019, "84583NED")
    store = Store.load()
    assert store.figure("BU00140000", 2019, "inwoners").value == 4745
    for parent in ("WK001400", "GM0014"):
        fig = store.figure(parent, 2019, "inwoners")
        assert fig.value is None, (parent, fig)
        assert store.figure(parent, 2019, "mannen").value is None
    made = pd.read_parquet(_isolated_local / "values.parquet")
    parents = made[made["code"].astype(str).isin(["WK001400", "GM0014", "NL01"]) & (made["year"] == 2019)]
    assert parents.empty, parents[["code", "indicator", "method", "coverage"]]  # no sum, no pooled share
    note = summary["partial"]
    assert "geen totalen" in note.text() and "no totals" in note.text("en") and "2" in note.text("en")


# ---------------------------------------------------------------- 2: v4 measures by identifier and group
def _with_repeated_titles(server) -> None:
    """85984NED's v4 MeasureCodes repeat 'Nederland' in two groups (Herkomstland, Geboren in Nederland), as
    the real table does. TEST FIXTURE values: buurt BU00140000 has no herkomst total but a born-in-NL count."""
    fx = server.fixtures["85984NED"]["v4"]
    fx["MeasureGroups"] = [
        {"Id": "G1", "Index": 1, "Title": "Bevolking", "ParentId": None},
        {"Id": "G2", "Index": 2, "Title": "Bevolking naar herkomst", "ParentId": "G1"},
        {"Id": "G3", "Index": 3, "Title": "Herkomstland", "ParentId": "G2"},
        {"Id": "G4", "Index": 4, "Title": "Geboren in Nederland", "ParentId": "G2"},
    ]
    fx["MeasureCodes"] = copy.deepcopy(fx["MeasureCodes"]) + [
        {"Identifier": "M9100", "Index": 17, "Title": "Nederland", "MeasureGroupId": "G3", "Unit": "aantal"},
        {"Identifier": "M9101", "Index": 20, "Title": "Nederland", "MeasureGroupId": "G4", "Unit": "aantal"},
    ]
    obs = fx["Observations"]
    n = len(obs)
    obs += [
        {"Id": n, "Measure": "M9100", "Value": 180000.0, "WijkenEnBuurten": "GM0014"},
        {"Id": n + 1, "Measure": "M9101", "Value": 170000.0, "WijkenEnBuurten": "GM0014"},
        {"Id": n + 2, "Measure": "M9100", "Value": None, "WijkenEnBuurten": "BU00140000"},
        {"Id": n + 3, "Measure": "M9101", "Value": 3000.0, "WijkenEnBuurten": "BU00140000"},
    ]


@pytest.mark.usefixtures("no_rebuild")
def test_v4_maps_a_repeated_title_by_its_group_not_by_title(server, _isolated_local):
    _with_repeated_titles(server)
    server.faults["v3_data_down"] = 503  # v3 metadata answers, its data set does not: v4 serves the rows
    summary = refresh.refresh(["GM0014"], False, [2024], timeout=2)
    assert summary["served_by"]["2024"] == "v4 (85984NED)"
    raw = _raw(_isolated_local, "kwb2024_85984NED_buurt_refresh.csv.gz")
    assert raw.loc["GM0014", "Nederland_17"] == "180000.0"  # the herkomst measure, under its own v3 key
    assert raw.loc["BU00140000", "Nederland_17"] == ""  # missing stays missing: never the born-in-NL value
    assert "Nederland_20" not in raw.columns or raw.loc["BU00140000", "Nederland_20"] == "3000.0"


@pytest.mark.usefixtures("no_rebuild")
def test_v4_without_v3_metadata_leaves_a_repeated_title_out_and_names_it(server, _isolated_local):
    _with_repeated_titles(server)
    server.faults["v3_down"] = 503
    summary = refresh.refresh(["GM0014"], False, [2024], timeout=2)
    raw = _raw(_isolated_local, "kwb2024_85984NED_buurt_refresh.csv.gz")
    assert not [c for c in raw.columns if c.startswith("Nederland")]
    said = next(p for p in summary["problems"] if p.key == "cbs_v4_ambiguous")
    assert "Nederland" in said.text() and "85984NED" in said.text("en") and "group" in said.text("en")


# ---------------------------------------------------------------- 3: crime without a recorded MapYear
def _data_dir_with_tables(embedded_subset, tmp_path, monkeypatch) -> Path:
    """A TEST data dir: the embedded subset with its own copy of cbs_tables.csv (only the two tables of a 2019
    refresh), so that `--check --record` can write map_year without touching the repository's file."""
    data = tmp_path / "data"
    data.mkdir()
    for entry in embedded_subset.iterdir():
        if entry.name != "cbs_tables.csv":
            (data / entry.name).symlink_to(entry)
    (data / "cbs_tables.csv").write_text(
        "year,kind,table_id,catalog,verified,map_year\n"
        "2019,kwb,84583NED,opendata.cbs.nl,,\n"
        "2019,crime,47018NED,dataderden.cbs.nl,,\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WIJK_DATA_DIR", str(data))
    return data


def test_crime_without_map_year_is_stored_with_boundary_unknown_and_no_rate_until_recorded(
    server, _isolated_local, embedded_subset, tmp_path, monkeypatch
):
    data = _data_dir_with_tables(embedded_subset, tmp_path, monkeypatch)
    geo = next(p for p in server.fixtures["47018NED"]["DataProperties"] if p.get("Type") == "GeoDetail")
    assert "MapYear" not in geo  # none in the metadata, none recorded
    summary = refresh.refresh(["GM0014"], False, [2019], timeout=2)
    raw = {p.name for p in (_isolated_local / "raw").iterdir()}
    assert "cbs_geregistreerde_misdrijven_2019_buurt_indeling_onbekend.csv.gz" in raw
    assert not [n for n in raw if "indeling2019" in n or "indeling2024" in n]  # no boundary year guessed
    said = next(p for p in summary["problems"] if p.key == "refresh_crime_boundary_unknown")
    assert "grensjaar onbekend" in said.text() and "--check --record" in said.text("en")
    assert "boundary year unknown" in summary["served_by"]["2019 47018NED"].text("en")
    store = Store.load()
    count = store.figure("BU00140001", 2019, "misdrijven")
    assert count.value == 101 and count.table == "47018NED"  # the fixture's count, stored
    assert count.boundary_unknown and count.boundary_year is None
    assert count.boundary_text() == "grensjaar onbekend" and count.boundary_text("en") == "boundary year unknown"
    assert "2019, grensjaar onbekend, BU00140001" in one_line(count)  # the source line under a figure
    assert year_lines(count, 2019, "en") == ["figure 2019 · boundary year unknown"]  # the profile's year line
    assert store.figure("BU00140001", 2019, "inwoners").value is not None  # the denominator is there ...
    assert store.figure("BU00140001", 2019, "misdrijven_per_1000").value is None  # ... but no rate is made
    assert store.figure("WK001400", 2019, "misdrijven").value is None  # nor a sum on unknown boundaries
    assert store.latest("BU00140001", "misdrijven", 2020).value is None  # nor carried to another year
    later = store.figure("BU00140001", 2024, "misdrijven")  # the embedded 2024 count (its indeling known)
    assert later.value is not None and not later.boundary_unknown
    breaks = breaks_between(store, "BU00140001", "misdrijven", count, later, count.boundaries, later.boundaries)
    said = next(b for b in breaks if b.kind == "boundary")  # a trend line is not joined across it
    assert "grensjaar onbekend" in said.text() and "boundary year unknown" in said.text("en")

    geo["MapYear"] = 2019  # TEST INPUT: metadata naming a classification (equal to the KWB year, so a rate can be made)
    table_check.check_tables(tables_csv=data / "cbs_tables.csv")  # `refresh --check --record`: map_year written
    assert "2019,crime,47018NED,dataderden.cbs.nl," in (data / "cbs_tables.csv").read_text(encoding="utf-8")
    assert (data / "cbs_tables.csv").read_text(encoding="utf-8").rstrip().endswith(",2019")
    del geo["MapYear"]  # from here on only the recorded map_year names it
    refresh.refresh(["GM0014"], False, [2019], timeout=2)
    raw = {p.name for p in (_isolated_local / "raw").iterdir()}
    assert "cbs_geregistreerde_misdrijven_2019_buurt_indeling2019.csv.gz" in raw
    assert "cbs_geregistreerde_misdrijven_2019_buurt_indeling_onbekend.csv.gz" not in raw  # moved, not doubled
    store = Store.load()
    count = store.figure("BU00140001", 2019, "misdrijven")
    assert count.value == 101 and count.boundary_year == 2019 and not count.boundary_unknown
    assert "onbekend" not in one_line(count) and year_lines(count, 2019) == ["cijfer 2019"]
    rate = store.figure("BU00140001", 2019, "misdrijven_per_1000")
    inwoners = store.figure("BU00140001", 2019, "inwoners").value
    assert rate.value == pytest.approx(101 / inwoners * 1000) and rate.method == "derived"


@pytest.mark.usefixtures("no_rebuild")
def test_crime_with_a_map_year_is_stored_on_that_boundary(server, _isolated_local):
    geo = next(p for p in server.fixtures["47018NED"]["DataProperties"] if p.get("Type") == "GeoDetail")
    geo["MapYear"] = 2024  # TEST INPUT: a table whose metadata names its classification year
    refresh.refresh(["GM0014"], False, [2019], timeout=2)
    raw = {p.name for p in (_isolated_local / "raw").iterdir()}
    assert "cbs_geregistreerde_misdrijven_2019_buurt_indeling2024.csv.gz" in raw


# ---------------------------------------------------------------- 4: decimal commas in a StatLine CSV export
def test_statline_export_with_decimal_commas_is_read_and_unreadable_values_are_named(tmp_path, _isolated_local):
    """A StatLine CSV export as the Dutch site writes it (';', decimal commas, '.' for missing). SYNTHETIC values."""
    path = tmp_path / "kwb2019_export.csv"
    path.write_text(
        '"Wijken en buurten";"Codering (code)";"Aantal inwoners (aantal)";"Gemiddelde huishoudensgrootte (aantal)";'
        '"Gemiddeld inkomen per inwoner (x 1 000 euro)"\n'
        '"Groningen";"GM0014    ";"1.234";"1,9";"27,5"\n'
        '"Binnenstad-Zuid";"BU00140000";"4745";"1,4";"."\n'
        '"Binnenstad-Oost";"BU00140001";"4955";"n.v.t.";"31,2"\n',
        encoding="utf-8",
    )
    summary = imports.import_file(path, 2019, "84583NED")
    store = Store.load()
    assert store.figure("GM0014", 2019, "gem_huishoudensgrootte").value == 1.9
    assert store.figure("GM0014", 2019, "inkomen_per_inwoner").value == 27.5
    assert store.figure("GM0014", 2019, "inwoners").value == 1234  # '1.234' in a decimal-comma file: thousands
    assert store.figure("BU00140001", 2019, "inkomen_per_inwoner").value == 31.2
    assert store.figure("BU00140000", 2019, "inkomen_per_inwoner").value is None  # '.' stays missing
    assert store.figure("BU00140001", 2019, "gem_huishoudensgrootte").value is None
    said = next(p for p in summary["problems"] if p.key == "refresh_import_values_unread")
    assert "GemiddeldeHuishoudensgrootte" in said.text("en") and "n.v.t." in said.text() and "1×" in said.text()


def test_a_raw_file_with_decimal_commas_is_read_by_the_same_parser_as_the_imports(tmp_path):
    """A raw KWB file in <local>/raw written with decimal commas (e.g. copied from a StatLine export). SYNTHETIC."""
    raw = tmp_path / "raw"
    raw.mkdir()
    pd.DataFrame(
        {
            "WijkenEnBuurten": ["GM0014", "BU00140000", "BU00140001"],
            "Codering_3": ["GM0014", "BU00140000", "BU00140001"],
            "AantalInwoners_5": ["1.234", "4745", "."],
            "GemiddeldeHuishoudensgrootte_32": ["1,9", "1,4", ""],
            "GemiddeldInkomenPerInwoner_66": ["1.027,5", "  .  ", "31,2"],
        }
    ).to_csv(raw / "kwb2019_84583NED_buurt_import.csv.gz", index=False, compression="gzip")
    src = next(s for s in source_files.discover(raw) if s.year == 2019)
    obs = readers.read(src, load_catalogue()).observations.set_index(["code", "indicator"])["value"]
    assert obs[("GM0014", "gem_huishoudensgrootte")] == 1.9 and obs[("BU00140000", "gem_huishoudensgrootte")] == 1.4
    assert obs[("GM0014", "inkomen_per_inwoner")] == 1027.5 and obs[("BU00140001", "inkomen_per_inwoner")] == 31.2
    assert obs[("GM0014", "inwoners")] == 1234  # '1.234' in a decimal-comma file: thousands, as in the imports
    assert ("BU00140001", "inwoners") not in obs and ("BU00140000", "inkomen_per_inwoner") not in obs  # missing
    assert raw_values.to_number(pd.Series(["1.234"])).iat[0] == 1.234  # a file without decimal commas: a point
    assert raw_values.to_number(pd.Series(["2,3", "1.234,5"])).tolist() == [2.3, 1234.5]


# ---------------------------------------------------------------- 12: an export without the region-code column
def test_statline_export_without_code_column_is_refused_and_stores_nothing(tmp_path, _isolated_local):
    path = tmp_path / "export_names_only.csv"
    path.write_text(
        '"Wijken en buurten";"Aantal inwoners (aantal)"\n"Nederland";"17942942"\n"Groningen";"243768"\n',
        encoding="utf-8",
    )
    with pytest.raises(refresh.RefreshError) as err:
        imports.import_file(path, 2024, "85984NED")
    assert "Codering" in err.value.message.text("en") and "Nothing was stored" in err.value.message.text("en")
    assert not (_isolated_local / "raw").exists() or not list((_isolated_local / "raw").iterdir())


def test_statline_export_country_row_nl00_is_kept_as_nl01_and_rows_without_code_are_named(tmp_path, _isolated_local):
    """SYNTHETIC values; CBS writes the country as NL00 in the Codering column."""
    path = tmp_path / "export_with_country.csv"
    path.write_text(
        '"Wijken en buurten";"Codering (code)";"Aantal inwoners (aantal)"\n'
        '"Nederland";"NL00      ";"17000000"\n"Groningen";"GM0014    ";"230000"\n'
        '"Bron: CBS";"";""\n',
        encoding="utf-8",
    )
    summary = imports.import_file(path, 2019, "84583NED")
    store = Store.load()
    assert store.figure("NL01", 2019, "inwoners").value == 17000000
    assert store.figure("GM0014", 2019, "inwoners").value == 230000
    said = next(p for p in summary["problems"] if p.key == "refresh_import_rows_without_code")
    assert "Bron: CBS" in said.text() and said.params["n"] == 1


# ---------------------------------------------------------------- 5: kwb-xlsx column names of newer editions
def test_kwb_xlsx_2024_education_and_poverty_columns_are_read(tmp_path, _isolated_local):
    """kwb-2024.xlsx names education a_opl_bvm/hvm/hw and poverty p_ink_ar. SYNTHETIC values, real column names."""
    frame = pd.DataFrame(
        {
            "gwb_code_10": ["GM0014", "WK001400"],
            "regio": ["Groningen", "Centrum"],
            "recs": ["Gemeente", "Wijk"],
            "a_inw": ["1000", "400"],
            "a_opl_bvm": ["100", "40"],
            "a_opl_hvm": ["200", "80"],
            "a_opl_hw": ["300", "120"],
            "p_ink_ar": ["6,1", "7.5"],
            "a_nonsense": ["1", "2"],
        }
    )
    path = tmp_path / "kwb-2019.xlsx"
    frame.to_excel(path, index=False)
    summary = imports.import_file(path, 2019)
    store = Store.load()
    assert store.figure("GM0014", 2019, "opl_laag").value == 100
    assert store.figure("GM0014", 2019, "opl_hoog").value == 300
    assert store.figure("GM0014", 2019, "pct_opl_laag").value is not None
    assert store.figure("GM0014", 2019, "pct_personen_armoede").value == 6.1
    assert store.figure("WK001400", 2019, "pct_personen_armoede").value == 7.5
    unused = next(p for p in summary["problems"] if p.key == "refresh_xlsx_columns_unused")
    assert "a_nonsense" in unused.text("en") and "recs" not in unused.params["columns"]


# ---------------------------------------------------------------- 8: a column renumbered between refreshes
@pytest.mark.usefixtures("no_rebuild")
def test_a_renumbered_column_keeps_the_gemeenten_refreshed_earlier(server, _isolated_local):
    """CBS renumbers inside one table between releases (85984NED: GemiddeldInkomenPerInwoner_83 became _78).
    An earlier refresh of GM0363 (SYNTHETIC row) used _39 for WOZ; today's release calls it _38."""
    from wijk.core.catalogue import load_catalogue
    from wijk.data import readers

    raw = _isolated_local / "raw"
    raw.mkdir()
    pd.DataFrame(
        {"WijkenEnBuurten": ["GM0363"], "Codering_3": ["GM0363"], "GemiddeldeWOZWaardeVanWoningen_39": ["500"]}
    ).to_csv(raw / "kwb2024_85984NED_buurt_refresh.csv.gz", index=False, compression="gzip")
    fx = server.fixtures["85984NED"]
    for p in fx["DataProperties"]:
        if p.get("Key") == "GemiddeldeWOZWaardeVanWoningen_39":
            p["Key"] = "GemiddeldeWOZWaardeVanWoningen_38"
    for r in fx["TypedDataSet"]:
        r["GemiddeldeWOZWaardeVanWoningen_38"] = r.pop("GemiddeldeWOZWaardeVanWoningen_39")
    refresh.refresh(["GM0014"], False, [2024], timeout=2)
    src = next(s for s in source_files.discover(raw) if s.year == 2024 and s.reader == "kwb_statline")
    obs = readers.read(src, load_catalogue()).observations.set_index(["code", "indicator"])
    assert obs.loc[("GM0363", "woz"), "value"] == 500  # the earlier gemeente keeps its figure
    assert obs.loc[("GM0014", "woz"), "value"] == 300
    assert obs.loc[("GM0014", "woz"), "variable"] == "GemiddeldeWOZWaardeVanWoningen_38"


# ---------------------------------------------------------------- URL length: CBS resets over-long URLs
@pytest.mark.usefixtures("no_rebuild")
def test_every_request_url_of_a_ten_gemeente_batch_stays_under_2000_bytes(server, _isolated_local):
    ten = ["GM0014", "GM0034", "GM0037", "GM0047", "GM0050", "GM0059", "GM0060", "GM0072", "GM0074", "GM0080"]
    summary = refresh.refresh(ten, False, [2024], timeout=2)
    assert summary["served_by"]["2024"] == "v3 (85984NED)"
    raw = _raw(_isolated_local, "kwb2024_85984NED_buurt_refresh.csv.gz")
    assert len(raw) == 18 and raw.loc["GM0014", "AantalInwoners_5"] == "243768"  # all columns still there
    assert "GemiddeldeWOZWaardeVanWoningen_39" in raw.columns and "HuishoudensTotaal_29" in raw.columns
    longest = max(len(server.url) + len(p) for p in server.log)
    assert longest < 2000, longest
    server.log.clear()
    server.faults["v3_down"] = 503
    refresh.refresh(ten, False, [2024], timeout=2)  # the v4 queries too
    assert max(len(server.url) + len(p) for p in server.log) < 2000


# ---------------------------------------------------------------- 9: one bad page is asked again
@pytest.mark.usefixtures("no_rebuild")
def test_a_truncated_page_is_asked_again_not_the_whole_year_abandoned(server, _isolated_local):
    server.faults["page2_truncated"] = 1  # page 2 of the data set comes back cut off once
    summary = refresh.refresh(["GM0014"], False, [2024], timeout=2)
    assert summary["served_by"]["2024"] == "v3 (85984NED)"
    assert len(_raw(_isolated_local, "kwb2024_85984NED_buurt_refresh.csv.gz")) == 18
    assert not [p for p in server.log if "/odata/v1/" in p]  # v4 was not needed


@pytest.mark.usefixtures("no_rebuild")
def test_a_page_broken_off_mid_body_is_asked_again(server, _isolated_local):
    server.faults["page2_broken"] = 1  # the answer stops after a few bytes of the announced length
    summary = refresh.refresh(["GM0014"], False, [2024], timeout=2)
    assert summary["served_by"]["2024"] == "v3 (85984NED)"
    assert len(_raw(_isolated_local, "kwb2024_85984NED_buurt_refresh.csv.gz")) == 18


@pytest.mark.usefixtures("no_rebuild")
def test_a_page_that_stays_bad_is_said(server, _isolated_local):
    server.faults.update(page2_truncated=99, v4_down=500)
    with pytest.raises(refresh.RefreshError) as err:
        refresh.refresh(["GM0014"], False, [2024], timeout=2)
    assert "85984NED" in err.value.message.text("en") and "no JSON" in err.value.message.text("en")


# ---------------------------------------------------------------- 6: Retry-After and the deadline
@pytest.mark.usefixtures("no_rebuild")
def test_retry_after_longer_than_the_deadline_stops_at_once(server, _isolated_local):
    server.faults["retry_after"] = (2, 8)  # CBS asks to wait 8 s; the refresh has 4 s
    said = []
    with pytest.raises(refresh.RefreshError) as err:
        refresh.refresh(["GM0014"], False, [2024], timeout=2, deadline=4, progress=said.append)
    assert "HTTP 429" in err.value.message.text("en")
    waits = [m.params["error"] for m in said if m.key == "refresh_progress_via_failed"]
    assert waits and waits[0].key == "cbs_retry_after" and waits[0].params["wait"] == 8
    assert "longer than the time left" in waits[0].text("en")
    assert len([p for p in server.log if "85984NED/TypedDataSet" in p]) == 1  # not asked again after a wait


@pytest.mark.usefixtures("no_rebuild")
def test_a_retry_after_that_fits_is_honoured(server, _isolated_local):
    server.faults["retry_after"] = (1, 0)
    summary = refresh.refresh(["GM0014"], False, [2024], timeout=2)
    assert summary["served_by"]["2024"] == "v3 (85984NED)"
    assert len([p for p in server.log if "85984NED/TypedDataSet" in p and "skiptoken" not in p]) == 2


# ---------------------------------------------------------------- 10: a withdrawn table is named
@pytest.mark.usefixtures("no_rebuild")
def test_a_withdrawn_table_is_named_not_reported_as_no_internet(server, _isolated_local):
    del server.fixtures["85984NED"]  # CBS answers, but the table of 2024 is gone from v3 and v4
    with pytest.raises(refresh.RefreshError) as err:
        refresh.refresh(["GM0014"], False, [2024], timeout=2)
    message = err.value.message
    assert message.key == "refresh_table_not_found" and "85984NED" in message.text("en")
    assert "internet" not in message.text("en") and "85984NED" in message.text()


# ---------------------------------------------------------------- 7: a read-only install
@pytest.mark.usefixtures("server", "no_rebuild")
def test_command_line_refresh_on_a_read_only_install_says_so_after_storing(
    _isolated_local, monkeypatch, tmp_path, capsys
):
    """data/cbs_tables.csv cannot be written (read-only file system, simulated where the file is opened:
    the tests run as root, for whom permission bits do not stop a write)."""
    from wijk.data import table_check
    from wijk.data.__main__ import main

    real_open = open

    def read_only(file, mode="r", *args, **kwargs):
        if "w" in mode and str(file).endswith("cbs_tables.csv.part"):
            raise PermissionError(30, "Read-only file system", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", read_only)
    tables = tmp_path / "cbs_tables.csv"
    tables.write_text("year,kind,table_id,catalog,verified\n2024,kwb,85984NED,opendata.cbs.nl,\n", encoding="utf-8")
    monkeypatch.setattr(table_check, "data_dir", lambda: tmp_path)
    assert main(["refresh", "--gemeente", "GM0014", "--year", "2024", "--lang", "en"]) == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out and "PermissionError" not in out.err + out.out
    assert "The data were stored, but" in out.out and "cbs_tables.csv could not be updated" in out.out
    assert (_isolated_local / "raw" / "kwb2024_85984NED_buurt_refresh.csv.gz").exists()
    assert "verified" in tables.read_text(encoding="utf-8") and not list(tmp_path.glob("*.part"))


# ---------------------------------------------------------------- 11: --all-gemeenten per year
@pytest.mark.usefixtures("no_rebuild")
def test_all_gemeenten_uses_each_years_own_gemeente_list(server, _isolated_local):
    """Haren (GM0017) was merged into Groningen in 2019; a KWB table of its years lists it. SYNTHETIC row added
    to the 2019 TEST FIXTURE as a stand-in for a pre-merger gemeente."""
    fx = server.fixtures["84583NED"]
    fx["WijkenEnBuurten"].append({"Key": "GM0017    ", "Title": "Haren", "Description": None, "CategoryGroupID": None})
    fx["TypedDataSet"].append(
        {
            **fx["TypedDataSet"][0],
            "ID": 99,
            "WijkenEnBuurten": "GM0017    ",
            "Codering_3": "GM0017    ",
            "AantalInwoners_5": 20000,
        }
    )
    summary = refresh.refresh([], True, [2019], timeout=2)
    raw = _raw(_isolated_local, "kwb2019_84583NED_buurt_refresh.csv.gz")
    assert raw.loc["GM0017", "AantalInwoners_5"] == "20000" and "GM0014" in raw.index
    assert summary["served_by"]["2019"] == "v3 (84583NED)"
    assert len([p for p in server.log if "84583NED/TypedDataSet" in p]) == 1  # two gemeenten: one batch


@pytest.mark.usefixtures("no_rebuild")
def test_all_gemeenten_without_cbs_region_list_takes_the_stores_list_of_that_year(server, _isolated_local):
    server.faults["v3_down"] = 503
    summary = refresh.refresh([], True, [2024], timeout=2)
    assert summary["served_by"]["2024"] == "v4 (85984NED)"
    asked = " ".join(p for p in server.log if "/Observations" in p)
    assert "GM0363" in asked and "GM0014" in asked  # the embedded 2024 gemeenten (this test data: two)
    assert not [p for p in summary["problems"] if p.key == "refresh_gemeenten_of_other_year"]


# ---------------------------------------------------------------- definition_changes: PersonenInArmoede
def test_poverty_measure_is_noted_from_the_release_of_kwb_2024_that_has_it():
    """A refresh of 2024 can bring PersonenInArmoede (later releases of 85984NED hold it): the note must not say
    it starts with KWB 2025, and the break must lie before 2024."""
    from wijk.core.catalogue import default_catalogue
    from wijk.core.comparability import definition_rules
    from wijk.core.paths import data_dir

    rule = next(r for r in definition_rules() if r.pattern == "pct_personen_armoede")
    assert rule.year == 2024 and "85984NED" in rule.note("en") and "vanaf KWB 2025" not in rule.note("nl")
    ind = default_catalogue().get("pct_personen_armoede")  # the definition a user reads says the same
    assert "85984NED" in ind.definition("nl") and "KWB 2024" in ind.definition("en")
    assert "vanaf KWB 2025" not in ind.definition("nl") and "from KWB 2025" not in ind.definition("en")
    with open(data_dir() / "factors.csv", newline="", encoding="utf-8") as fh:
        factor = next(r for r in csv.DictReader(fh) if r["indicator"] == "pct_personen_armoede")
    assert "KWB 2024" in factor["explanation_nl"] and "from KWB 2025" not in factor["explanation_en"]


def test_statline_export_without_any_number_is_refused(tmp_path, _isolated_local):
    path = tmp_path / "export_empty.csv"
    path.write_text(
        '"Wijken en buurten";"Codering (code)";"Aantal inwoners (aantal)"\n"Groningen";"GM0014    ";"."\n',
        encoding="utf-8",
    )
    with pytest.raises(refresh.RefreshError) as err:
        imports.import_file(path, 2019, "84583NED")
    assert err.value.message.key == "refresh_import_no_values" and "nothing was stored" in err.value.message.text("en")
    assert not (_isolated_local / "raw").exists() or not list((_isolated_local / "raw").iterdir())
