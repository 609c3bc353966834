"""CBS refresh over real HTTP against recorded TEST FIXTURES (tests/fixtures/cbs_fixture_server.py): fallbacks,
self-checks, atomic writes, offline failure, hand imports (StatLine CSV, kwb-xlsx, wijk- en buurtkaart)."""

import csv
import hashlib
import json
import socket
from pathlib import Path

import pandas as pd
import pytest

from tests.fixtures.cbs_fixture_server import FixtureCBS
from wijk.core.i18n import Message, text_of
from wijk.core.paths import data_dir
from wijk.core.store import Store
from wijk.data import cbs, imports, refresh, table_check

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "odata_kwb2017_GM0014_fixture.json"
# The embedded rows these tests keep: Groningen (every refresh and import here is about GM0014), Amsterdam (a
# gemeente no test refreshes, which must come out unchanged) and the country row.
SUBSET_GEMEENTEN = ("GM0014", "GM0363")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def embedded_subset(tmp_path_factory) -> Path:
    """TEST FIXTURE data dir: the real embedded data/ with values.parquet and areas.parquet cut to the rows of
    SUBSET_GEMEENTEN (their wijken and buurten) and NL01; every other file is a link to the real one.

    A rebuild recomputes only the gemeenten in the raw files and the store puts local rows over embedded rows
    per (code, year, indicator), so the figures these tests read are the same as with all of the embedded data;
    loading and merging 1.4 million embedded rows per test was most of their time."""
    real = data_dir()
    out = tmp_path_factory.mktemp("embedded-subset")
    for entry in real.iterdir():
        if entry.name not in ("values.parquet", "areas.parquet", "local"):
            (out / entry.name).symlink_to(entry)
    digits = {g[2:] for g in SUBSET_GEMEENTEN}
    for name in ("values.parquet", "areas.parquet"):
        frame = pd.read_parquet(real / name)
        code = frame["code"].astype(str)
        keep = (code.str[:2].isin(["GM", "WK", "BU"]) & code.str[2:6].isin(digits)) | (code == "NL01")
        frame = frame[keep].reset_index(drop=True)
        for col in frame.columns:
            if isinstance(frame[col].dtype, pd.CategoricalDtype):
                frame[col] = frame[col].cat.remove_unused_categories()
        frame.to_parquet(out / name, index=False)
    return out


@pytest.fixture(autouse=True)
def _small_embedded_data(embedded_subset, monkeypatch):
    monkeypatch.setenv("WIJK_DATA_DIR", str(embedded_subset))


class _NoBackoffClient(cbs.Client):
    """cbs.Client with the same retries, timeouts and deadline, but no sleep between retries."""

    def __init__(self, *args, **kwargs):
        kwargs["backoff"] = 0.0
        super().__init__(*args, **kwargs)


@pytest.fixture
def server(monkeypatch):
    """TEST FIXTURE server: CBS's OData APIs answered from tests/fixtures/cbs_*_fixture.json over real HTTP.

    Its faults (503, 500 on page 2) are retried as against CBS, without the back-off sleeps (seconds per test)."""
    monkeypatch.setattr(cbs, "Client", _NoBackoffClient)
    with FixtureCBS(page_size=10) as srv:
        monkeypatch.setenv("WIJK_CBS_BASE", srv.url)
        yield srv


@pytest.fixture
def no_rebuild(monkeypatch):
    """For tests about fetching and raw files only: skip rebuilding the local store (keeps the suite fast)."""
    calls = []
    monkeypatch.setattr(refresh, "rebuild_local", lambda: calls.append(1) or {"values": 0, "local_sources": 0})
    return calls


def test_refresh_2019_and_2024_fills_woz_education_poverty_and_crime(server, _isolated_local):
    embedded = [data_dir() / "values.parquet", data_dir() / "areas.parquet"]
    before = [_digest(p) for p in embedded]
    amsterdam = Store.load().figure("GM0363", 2024, "inwoners")
    geo = next(p for p in server.fixtures["47018NED"]["DataProperties"] if p["Type"] == "GeoDetail")
    geo["MapYear"] = 2024  # TEST INPUT (not a recording): the crime table's classification year
    messages = []
    summary = refresh.refresh(["GM0014"], False, [2019, 2024], timeout=3, progress=messages.append)
    assert [_digest(p) for p in embedded] == before  # embedded files untouched
    assert summary["served_by"]["2019"] == "v3 (84583NED)" and summary["served_by"]["2024"] == "v3 (85984NED)"
    store = Store.load()
    # renamed variables land on one indicator: 2019 names (fixture values synthetic), 2024 names (real WOZ)
    assert store.figure("GM0014", 2019, "woz").variable == "GemiddeldeWoningwaarde_35"
    assert store.figure("GM0014", 2024, "woz").value == 300 and store.figure("GM0014", 2024, "woz").table == "85984NED"
    assert store.figure("GM0014", 2019, "opl_laag").variable == "OpleidingsniveauLaag_64"
    assert store.figure("GM0014", 2024, "opl_laag").variable == "BasisonderwijsVmboMbo1_75"
    assert store.figure("GM0014", 2024, "pct_opl_laag").value is not None
    assert store.figure("GM0014", 2024, "pct_laag_inkomen").variable == "HuishoudensMetEenLaagInkomen_89"
    assert store.figure("GM0014", 2019, "pct_onbewoond").variable == "PercentageOnbewoond_39"
    assert store.figure("GM0014", 2024, "pct_onbewoond").value is None  # null stays missing
    crime = store.figure("BU00140000", 2024, "misdrijven")
    # the embedded 47022NED series (real, all years on one indeling) outranks the fixture's 47018NED row
    assert crime.value == 1348 and crime.table == "47022NED"
    assert store.figure("BU00140001", 2019, "misdrijven").value == 101  # synthetic fixture row, joined to 2019 codes
    assert store.figure("BU00140008", 2019, "misdrijven").value is None  # not a code of the 2019 KWB fixture
    raw = {p.name for p in (_isolated_local / "raw").iterdir()}
    assert "cbs_geregistreerde_misdrijven_2019_buurt_indeling2024.csv.gz" in raw
    problems = " ".join(p.text() for p in summary["problems"])
    assert "codes niet in KWB 2019" in problems and "BU00140008" in problems  # unmatched codes reported
    assert "niet in 85984NED: " in problems and "PersonenInArmoede" in problems
    unmatched = next(p for p in summary["problems"] if p.key == "refresh_crime_unmatched")
    assert unmatched.params["year"] == 2019 and "BU00140008" in unmatched.params["codes"]
    assert "codes not in KWB 2019, not used: " in unmatched.text("en")
    assert store.value("GM0014", 2024, "inwoners") == 243768 and store.value("NL01", 2024, "inwoners") == 17942942
    assert amsterdam.value == 931298 and store.figure("GM0363", 2024, "inwoners") == amsterdam  # not refreshed
    assert refresh.last_refresh() is not None and refresh.last_attempt()["ok"]
    assert summary["requests"] < 25  # metadata once per table, no region list, no metadata per batch


def test_v4_serves_when_v3_is_down(server, _isolated_local, no_rebuild):
    server.faults["v3_down"] = 503
    summary = refresh.refresh(["GM0014"], False, [2024], timeout=2)
    assert summary["served_by"]["2024"] == "v4 (85984NED)" and no_rebuild
    v3_down = next(p for p in summary["problems"] if p.key == "refresh_v3_down")
    assert "OData v4 gebruikt" in v3_down.text() and "HTTP 503" in v3_down.text("en")
    raw = pd.read_csv(_isolated_local / "raw" / "kwb2024_85984NED_buurt_refresh.csv.gz", dtype=str).set_index(
        "WijkenEnBuurten"
    )
    assert float(raw.loc["GM0014", "AantalInwoners"]) == 243768  # v3 metadata down: named by the v4 title


def test_failure_mid_run_keeps_previous_raw_file_and_store(server, _isolated_local, no_rebuild):
    raw = _isolated_local / "raw"
    raw.mkdir()
    previous = raw / "kwb2024_85984NED_buurt_refresh.csv.gz"
    pd.DataFrame({"WijkenEnBuurten": ["BU00140000"], "AantalInwoners_5": ["4745"]}).to_csv(
        previous, index=False, compression="gzip"
    )
    (_isolated_local / "values.parquet").write_bytes(b"previous store")
    before = _digest(previous), _digest(_isolated_local / "values.parquet")
    server.faults.update(page2_status=500, v4_down=500)
    with pytest.raises(refresh.RefreshError) as err:
        refresh.refresh(["GM0014"], False, [2024], timeout=2)
    assert (_digest(previous), _digest(_isolated_local / "values.parquet")) == before and not no_rebuild
    assert "vorige gegevens" in str(err.value) and not list(raw.glob("*.part"))
    status = refresh.last_attempt()
    assert status["ok"] is False and status["error"] == err.value.message  # stored as key and values
    assert status["error"].key == "refresh_year_not_fetched" and status["error"].params["table"] == "85984NED"
    assert "the previous data of 2024 stay in place" in status["error"].text("en")


@pytest.mark.usefixtures("server")
def test_rebuild_failure_keeps_previous_local_store(_isolated_local, monkeypatch):
    (_isolated_local / "values.parquet").write_bytes(b"previous store")
    before = _digest(_isolated_local / "values.parquet")

    def boom(*_a, **_k):
        raise MemoryError("interrupted")

    monkeypatch.setattr(refresh, "harmonise", boom)
    with pytest.raises(refresh.RefreshError, match="vorige lokale gegevens blijven in gebruik") as err:
        refresh.refresh(["GM0014"], False, [2024], timeout=2)
    assert err.value.message.text("en") == (
        "Rebuilding the local data failed (MemoryError); the previous local data stay in use."
    )
    assert _digest(_isolated_local / "values.parquet") == before and not list(_isolated_local.glob("*.part"))
    assert refresh.last_attempt()["ok"] is False


def test_offline_refresh_fails_fast_with_one_sentence(monkeypatch):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here: connection refused, like a machine without network
    monkeypatch.setenv("WIJK_CBS_BASE", f"http://127.0.0.1:{port}")
    with pytest.raises(refresh.RefreshError) as err:
        refresh.refresh(["GM0014"], False, [2024], timeout=10)
    assert "niet bereikbaar" in str(err.value) and "\n" not in str(err.value)
    assert "python -m wijk.data import" in str(err.value)
    message = err.value.message
    assert message.key == "refresh_cbs_unreachable" and "connection refused" in str(message.params["v3"])
    english = message.text("en")
    assert english.startswith("CBS cannot be reached (StatLine v3: ") and "niet" not in english
    assert english.endswith("you can import a hand download (python -m wijk.data import).")
    status = refresh.last_attempt()
    assert status["ok"] is False and status["error"] == message and refresh.last_refresh() is None


def test_probe_503_and_v4_down_is_reported_with_the_status(server):
    server.faults.update(probe_status=503, v4_down=503)
    with pytest.raises(refresh.RefreshError, match="HTTP 503"):
        refresh.refresh(["GM0014"], False, [2024], timeout=2)
    assert len(server.log) == 2  # one probe per API, no retries before failing


def test_slow_server_stops_at_the_deadline(server, no_rebuild):
    server.faults["delay"] = 1.2
    with pytest.raises(refresh.RefreshError):
        refresh.refresh(["GM0014"], False, [2024], timeout=1, deadline=2)
    assert not no_rebuild


@pytest.mark.usefixtures("server")
def test_check_verifies_table_ids_and_records_fixtures(tmp_path):
    tables = tmp_path / "cbs_tables.csv"
    tables.write_text(
        "year,kind,table_id,catalog,verified\n2024,kwb,85984NED,opendata.cbs.nl,\n"
        "2022,kwb,85984NED,opendata.cbs.nl,\n2023,kwb,99999NED,opendata.cbs.nl,\n",
        encoding="utf-8",
    )
    lines = table_check.check_tables(tmp_path / "rec", tables_csv=tables)
    rows = list(csv.DictReader(tables.open(encoding="utf-8")))
    assert rows[0]["verified"] and not rows[1]["verified"] and not rows[2]["verified"]
    assert rows[0]["map_year"] == "2024"  # the MapYear 85984NED's metadata names is recorded
    assert "noemt 2022 niet" in lines[1].text() and "HTTP 404" in lines[2].text()
    assert "does not name 2022" in lines[1].text("en") and lines[2].text("en").endswith(": ERROR HTTP 404")
    assert lines[-1].key == "refresh_check_requests" and lines[-1].text("en").endswith(" requests.")
    recorded = json.loads((tmp_path / "rec" / "cbs_recorded_85984NED_kwb2024.json").read_text(encoding="utf-8"))
    assert "fixture" in recorded["_comment"] and recorded["TableInfos"][0]["Identifier"] == "85984NED"


def test_import_kwb_xlsx_with_short_names(tmp_path, _isolated_local):
    """A kwb-YYYY.xlsx as CBS publishes it (short names). TEST FIXTURE rows: the real KWB 2024 inhabitants and
    WOZ of three Groningen areas; '.', -99995 and -99997 are CBS's missing markers and must stay missing."""
    frame = pd.DataFrame(
        {
            "gwb_code_10": ["GM0014", "WK001400", "BU00140000"],
            "regio": ["Groningen", "Centrum", "Binnenstad-Zuid"],
            "gm_naam": ["Groningen"] * 3,
            "recs": ["Gemeente", "Wijk", "Buurt"],
            "a_inw": ["243768", "24920", "4745"],
            "g_wozbag": ["300", "-99997", "."],
            "p_leegsw": ["-99995", "", "0"],
        }
    )
    path = tmp_path / "kwb-2024.xlsx"
    frame.to_excel(path, index=False)
    summary = imports.import_file(path, 2024)
    assert summary["served_by"] == Message.of("refresh_served_import", kind="kwb-xlsx")
    assert text_of(summary["served_by"]) == "handmatige download (kwb-xlsx)"
    assert text_of(summary["served_by"], "en") == "hand download (kwb-xlsx)"
    store = Store.load()
    assert store.figure("BU00140000", 2024, "inwoners").value == 4745
    assert store.figure("GM0014", 2024, "woz").value == 300
    woz = store.figure("BU00140000", 2024, "woz")  # '.' in the file: never 0, the embedded real figure stays
    assert woz.value == 295 and "woonikveilig" in woz.source
    assert store.figure("GM0014", 2024, "pct_onbewoond").value is None  # -99995 stays missing
    assert store.figure("BU00140000", 2024, "pct_onbewoond").value == 0  # a real 0 stays 0


def test_unknown_year_and_bad_code_are_clear():
    with pytest.raises(refresh.RefreshError, match="Geen KWB-tabel"):
        refresh.refresh(["GM0014"], False, [1990])
    with pytest.raises(refresh.RefreshError, match="geldige gemeentecode") as err:
        refresh.refresh(["Groningen'); drop"], False, [2024])
    assert err.value.message == Message.of("refresh_bad_gemeente", codes="GRONINGEN'); DROP")
    assert err.value.message.text("en") == (
        "Not a valid municipality code: GRONINGEN'); DROP (expected GM followed by 4 digits)."
    )


def test_missing_file_and_table_are_said_in_both_languages(tmp_path):
    with pytest.raises(refresh.RefreshError, match="Bestand niet gevonden") as err:
        imports.import_file(tmp_path / "nope.csv", 2024)
    assert err.value.message.text("en") == f"File not found: {tmp_path / 'nope.csv'}"
    path = tmp_path / "x.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(refresh.RefreshError, match="Geef de CBS-tabel op") as err:
        imports.import_file(path, 1990)
    assert err.value.message.text("en") == "Give the CBS table (--table, e.g. 85984NED)."


def test_area_filter_only_from_validated_codes():
    assert cbs.area_filter(["GM0014"]).count("startswith") == 3
    with pytest.raises(ValueError):
        cbs.area_filter(["GM0014') or (1 eq 1"])


def test_import_statline_csv_export_with_titles(tmp_path, _isolated_local):
    """A StatLine CSV export (titles, ';', cp1252) downloaded by hand becomes local figures."""
    payload = json.loads(FIXTURE.read_text(encoding="utf-8"))
    row = payload["UntypedDataSet"][1]
    csv_text = (
        '"Wijken en buurten";"Gemeentenaam";"Codering (code)";"Aantal inwoners (aantal)";"Huishoudens totaal (aantal)"\n'
        f'"{row["WijkenEnBuurten"]}";"Groningen";"{row["Codering_3"]}";"{row["AantalInwoners_5"]}";"{row["HuishoudensTotaal_28"]}"\n'
    )
    path = tmp_path / "statline_export.csv"
    path.write_bytes(csv_text.encode("cp1252"))
    imports.import_file(path, 2017, "83765NED")
    store = Store.load()
    f = store.figure(row["Codering_3"].strip(), 2017, "inwoners")
    assert f.value == float(row["AantalInwoners_5"]) and f.table == "83765NED"


def test_import_rejects_garbage(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02nonsense")
    with pytest.raises(refresh.RefreshError):
        imports.import_file(path, 2024, "85984NED")


def test_import_wijk_en_buurtkaart_attribute_table(_isolated_local):
    """TEST FIXTURE tests/fixtures/kaart2017_import_fixture.csv: three real rows of the 2017 kaart."""
    import pandas as pd

    path = Path(__file__).resolve().parents[2] / "fixtures" / "kaart2017_import_fixture.csv"
    rows = pd.read_csv(path, dtype=str)
    imports.import_file(path, 2017)
    store = Store.load()
    for r in rows.itertuples():
        assert store.figure(r.BU_CODE, 2017, "huishoudens").value == float(r.AANTAL_HH)
    assert list((_isolated_local / "raw").glob("kaart_2017_import_*.csv"))


def test_damaged_local_store_falls_back_to_embedded(_isolated_local):
    (_isolated_local / "values.parquet").write_bytes(b"not a parquet file")
    (_isolated_local / "areas.parquet").write_bytes(b"nor this")
    store = Store.load()
    assert store.local_error and store.value("GM0014", 2024, "inwoners") == 243768


def test_import_rejects_bytes_no_encoding_fits(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"code;value\nBU00140107;\x81\x8d\x8f\n")  # undefined in Windows-1252, invalid UTF-8
    with pytest.raises(refresh.RefreshError):
        imports.import_file(path, 2024, "85984NED")


def test_record_verified_sets_the_date_of_matched_tables(tmp_path):
    tables = tmp_path / "cbs_tables.csv"
    tables.write_text(
        "year,kind,table_id,catalog,verified\n2024,kwb,85984NED,opendata.cbs.nl,\n2023,kwb,85618NED,opendata.cbs.nl,\n",
        encoding="utf-8",
    )
    table_check.record_verified({"85984NED": "2026-11-30"}, tables)
    rows = list(csv.DictReader(tables.open(encoding="utf-8")))
    assert rows[0]["verified"] == "2026-11-30" and rows[1]["verified"] == ""


def test_command_line_offline_prints_one_sentence(monkeypatch, capsys):
    from wijk.data.__main__ import main

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("WIJK_CBS_BASE", f"http://127.0.0.1:{port}")
    assert main(["refresh", "--gemeente", "GM0014", "--year", "2024"]) == 1
    err = capsys.readouterr().err.strip()
    assert "niet bereikbaar" in err and "\n" not in err and "Traceback" not in err
    assert main(["refresh", "--gemeente", "GM0014", "--year", "2024", "--lang", "en"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("CBS cannot be reached") and "niet" not in err and "\n" not in err


@pytest.mark.usefixtures("no_rebuild")
def test_one_year_failing_keeps_the_other_and_says_so(server, _isolated_local):
    server.faults.update(page2_status=500, v4_down=500)  # 2019 fits on one page; 2024 needs page 2
    summary = refresh.refresh(["GM0014"], False, [2019, 2024], timeout=2)
    raw = {p.name for p in (_isolated_local / "raw").iterdir()}
    assert "kwb2019_84583NED_buurt_refresh.csv.gz" in raw and "kwb2024_85984NED_buurt_refresh.csv.gz" not in raw
    assert "2019" in summary["served_by"] and "2024" not in summary["served_by"]
    status = refresh.last_attempt()
    assert status["ok"] is False and "KWB 2024 (85984NED) niet opgehaald" in text_of(status["error"])
    assert "KWB 2024 (85984NED) not fetched (v3: HTTP 500; v4: HTTP 500)" in text_of(status["error"], "en")
    assert any(p == status["error"] for p in status["problems"])


@pytest.mark.usefixtures("server", "no_rebuild")
def test_2025_poverty_is_a_new_indicator_and_empty_crime_is_reported(_isolated_local):
    from wijk.core.catalogue import load_catalogue
    from wijk.data import readers, source_files

    summary = refresh.refresh(["GM0014"], False, [2025], timeout=2)
    problems = " ".join(p.text() for p in summary["problems"])
    assert "niet in 86165NED" in problems and "HuishoudensMetEenLaagInkomen" in problems  # gone in 2025, named
    assert "47018NED gaf geen misdrijven voor 2025" in problems  # nothing returned is said, never skipped silently
    src = next(s for s in source_files.discover(_isolated_local / "raw") if s.year == 2025)
    obs = readers.read(src, load_catalogue()).observations.set_index(["code", "indicator"])
    assert obs.loc[("GM0014", "pct_personen_armoede"), "value"] == 6.1  # synthetic fixture value
    assert obs.loc[("GM0014", "pct_personen_armoede"), "variable"] == "PersonenInArmoede_90"
    assert ("GM0014", "pct_laag_inkomen") not in obs.index


def test_a_status_file_of_an_older_version_with_plain_text_still_reads(_isolated_local):
    """Before messages were stored as key and values, the status file held Dutch sentences: shown as they are."""
    (_isolated_local / refresh.STATUS).write_text(
        json.dumps(
            {
                "when": "2026-11-30 12:00",
                "ok": False,
                "served_by": {"2019": "v3 (84583NED)", "2024 misdrijven": "v3 (47018NED, indeling 2024)"},
                "problems": ["StatLine v3 niet bereikbaar (HTTP 503); OData v4 gebruikt."],
                "error": "CBS is niet bereikbaar.",
            }
        ),
        encoding="utf-8",
    )
    status = refresh.last_attempt()
    assert text_of(status["error"], "en") == "CBS is niet bereikbaar."
    assert [text_of(p, "en") for p in status["problems"]] == [
        "StatLine v3 niet bereikbaar (HTTP 503); OData v4 gebruikt."
    ]
    assert status["served_by"]["2019"] == "v3 (84583NED)"


def test_the_status_file_keeps_messages_as_keys_and_values(_isolated_local):
    v3 = Message.of("cbs_reason_no_name", error="ConnectionError")
    error = Message.of("refresh_cbs_unreachable", v3=v3, v4="HTTP 503")
    refresh._write_status({"when": "w", "ok": False, "served_by": {}, "problems": [error], "error": error})
    stored = json.loads((_isolated_local / refresh.STATUS).read_text(encoding="utf-8"))
    assert stored["error"] == {
        "key": "refresh_cbs_unreachable",
        "params": {"v3": {"key": "cbs_reason_no_name", "params": {"error": "ConnectionError"}}, "v4": "HTTP 503"},
    }
    status = refresh.last_attempt()
    assert status["error"] == error and status["problems"] == [error]
    assert "StatLine v3: ConnectionError: name could not be looked up (no internet?); v4: HTTP 503" in text_of(
        status["error"], "en"
    )
