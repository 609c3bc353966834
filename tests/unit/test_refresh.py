"""CBS refresh: merge of recorded OData-shaped fixtures, offline fast failure, hand imports."""
import hashlib
import json
import socket
import threading
from pathlib import Path

import pytest

from wijk import cbs
from wijk.data import refresh
from wijk.paths import data_dir
from wijk.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "odata_kwb2017_GM0014_fixture.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fake_download(payload):
    def download(table_id, filters, catalog, timeout):
        assert timeout and timeout > 0
        assert "startswith(WijkenEnBuurten,'BU0014')" in filters  # server-side filter by area
        if table_id == "47018NED":
            raise cbs.CBSUnavailable("no crime table in this fixture")
        return payload
    return download


def test_refresh_merges_fixture_into_local_store_only(_isolated_local):
    payload = json.loads(FIXTURE.read_text(encoding="utf-8"))
    embedded = [data_dir() / "values.parquet", data_dir() / "areas.parquet"]
    before = [_digest(p) for p in embedded]
    messages = []
    summary = refresh.refresh(["GM0014"], False, [2017], timeout=3, progress=messages.append,
                              download=_fake_download(payload))
    assert summary["rows_fetched"] == len(payload["UntypedDataSet"])
    assert [_digest(p) for p in embedded] == before  # embedded files untouched
    assert (_isolated_local / "values.parquet").exists() and messages

    store = Store.load()
    row = payload["UntypedDataSet"][0]
    code = row["Codering_3"].strip()
    f = store.figure(code, 2017, "inwoners")
    assert f.value == float(row["AantalInwoners_5"]) and f.table == "83765NED"  # StatLine now, not the kaart
    assert store.figure(code, 2017, "inkomen_per_inwoner").value is None  # '.' stays missing, never 0
    assert store.value("GM0014", 2024, "inwoners") == 243768  # the rest of the store is intact
    assert refresh.last_refresh() is not None


def test_offline_refresh_fails_fast_with_one_sentence(monkeypatch):
    def refuse(url, timeout):
        assert timeout <= 5
        raise __import__("requests").ConnectionError("no route")
    monkeypatch.setattr(cbs.requests, "get", refuse)
    with pytest.raises(refresh.RefreshError) as err:
        refresh.refresh(["GM0014"], False, [2024], timeout=10)
    assert "niet bereikbaar" in str(err.value) and "\n" not in str(err.value)


def test_silent_server_times_out():
    """A server that accepts but never answers must not hang the refresh."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    port = srv.getsockname()[1]
    stop = threading.Event()

    def hold():
        conns = []
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conns.append(srv.accept()[0])
            except OSError:
                pass
    th = threading.Thread(target=hold, daemon=True)
    th.start()
    try:
        table = cbs.CbsTable(2024, "kwb", "85984NED", f"127.0.0.1:{port}")
        import cbsodata
        old = cbsodata.options.use_https
        cbsodata.options.use_https = False
        try:
            with pytest.raises(cbs.CBSUnavailable):
                cbs.fetch_kwb(table, ["GM0014"], timeout=0.5)
        finally:
            cbsodata.options.use_https = old
    finally:
        stop.set()
        srv.close()


def test_unknown_year_and_bad_code_are_clear():
    with pytest.raises(refresh.RefreshError, match="Geen KWB-tabel"):
        refresh.refresh(["GM0014"], False, [1990])
    with pytest.raises(refresh.RefreshError, match="geldige gemeentecode"):
        refresh.refresh(["Groningen'); drop"], False, [2024])


def test_area_filter_only_from_validated_codes():
    assert cbs.area_filter(["GM0014"]).count("startswith") == 3
    with pytest.raises(ValueError):
        cbs.area_filter(["GM0014') or (1 eq 1"])


def test_import_statline_csv_export_with_titles(tmp_path, _isolated_local):
    """A StatLine CSV export (titles, ';', cp1252) downloaded by hand becomes local figures."""
    payload = json.loads(FIXTURE.read_text(encoding="utf-8"))
    row = payload["UntypedDataSet"][1]
    csv_text = ('"Wijken en buurten";"Gemeentenaam";"Codering (code)";"Aantal inwoners (aantal)";"Huishoudens totaal (aantal)"\n'
                f'"{row["WijkenEnBuurten"]}";"Groningen";"{row["Codering_3"]}";"{row["AantalInwoners_5"]}";"{row["HuishoudensTotaal_28"]}"\n')
    path = tmp_path / "statline_export.csv"
    path.write_bytes(csv_text.encode("cp1252"))
    refresh.import_file(path, 2017, "83765NED")
    store = Store.load()
    f = store.figure(row["Codering_3"].strip(), 2017, "inwoners")
    assert f.value == float(row["AantalInwoners_5"]) and f.table == "83765NED"


def test_import_rejects_garbage(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02nonsense")
    with pytest.raises(refresh.RefreshError):
        refresh.import_file(path, 2024, "85984NED")


def test_import_wijk_en_buurtkaart_attribute_table(_isolated_local):
    """TEST FIXTURE tests/fixtures/kaart2017_import_fixture.csv: three real rows of the 2017 kaart."""
    import pandas as pd
    path = Path(__file__).resolve().parents[1] / "fixtures" / "kaart2017_import_fixture.csv"
    rows = pd.read_csv(path, dtype=str)
    refresh.import_file(path, 2017)
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
        refresh.import_file(path, 2024, "85984NED")
