"""The CBS client over real HTTP: a local server (127.0.0.1, a thread) answers from recorded TEST FIXTURES
shaped like StatLine v3 and OData v4 (tests/fixtures/cbs_*_fixture.json, see make_cbs_fixtures.py)."""

from dataclasses import replace

import pandas as pd
import pytest

from tests.fixtures.cbs_fixture_server import FixtureCBS, row_filter
from wijk.core.catalogue import load_catalogue
from wijk.data import cbs
from wijk.data.refresh import _catalogue_stems

KWB24 = cbs.CbsTable(2024, "kwb", "85984NED", "opendata.cbs.nl")
KWB19 = cbs.CbsTable(2019, "kwb", "84583NED", "opendata.cbs.nl")
KWB23 = cbs.CbsTable(2023, "kwb", "85618NED", "opendata.cbs.nl")
KWB25 = cbs.CbsTable(2025, "kwb", "86165NED", "opendata.cbs.nl")
CRIME24 = cbs.CbsTable(2024, "crime", "47018NED", "dataderden.cbs.nl")
STEMS = _catalogue_stems(load_catalogue())


@pytest.fixture
def server(monkeypatch):
    with FixtureCBS(page_size=10) as srv:
        monkeypatch.setenv("WIJK_CBS_BASE", srv.url)
        yield srv


def _client(**kw):
    return cbs.Client(**{"timeout": 3.0, "deadline": 30.0, "backoff": 0.01, **kw})


def _asked(server, part):
    return [p for p in server.log if part in p]


def test_typed_rows_over_two_pages_with_padded_keys_and_metadata_once(server):
    client = _client()
    got = cbs.fetch_kwb(client, KWB24, ["GM0014"], STEMS)
    frame = got.frame.set_index("WijkenEnBuurten")
    assert len(frame) == 18 and len(_asked(server, "/TypedDataSet")) == 2  # 18 rows, pages of 10: nextLink followed
    assert "GM0014" in frame.index and "BU00140008" in frame.index  # padding stripped
    assert frame.loc["GM0014", "AantalInwoners_5"] == 243768  # typed int, the real KWB 2024 figure
    assert frame.loc["GM0014", "GemiddeldeWOZWaardeVanWoningen_39"] == 300
    assert pd.isna(frame.loc["GM0014", "OnbewoondeWoningen_46"])  # null stays missing
    assert frame.loc["GM0014", "naam"] == "Groningen"
    assert "$select" in server.log[-1] or any("%24select=" in p for p in _asked(server, "/TypedDataSet"))
    empty = next(p for p in got.problems if p.key == "cbs_no_values")  # a variable that returned nothing is reported
    assert "Mannen_6" in empty.params["names"] and empty.text("en").startswith("85984NED: no values for ")
    cbs.fetch_kwb(client, KWB24, ["GM0014"], STEMS)  # a second batch: metadata is not read again
    assert len(_asked(server, "/DataProperties")) == 1 and len(_asked(server, "/TableInfos")) == 1


@pytest.mark.usefixtures("server")
def test_renamed_variables_of_2019_are_found_through_their_aliases():
    got = cbs.fetch_kwb(_client(), KWB19, ["GM0014"], STEMS)
    cols = set(got.frame.columns)
    assert {
        "GemiddeldeWoningwaarde_35",
        "OpleidingsniveauLaag_64",
        "OpleidingsniveauHoog_66",
        "PercentageOnbewoond_39",
    } <= cols
    missing = next(p for p in got.problems if p.key == "cbs_missing_variables")
    assert missing.text().startswith("niet in 84583NED: ") and missing.text("en").startswith("not in 84583NED: ")
    names = missing.params["names"]
    assert "PersonenInArmoede" in names and "GemiddeldeWOZWaardeVanWoningen" not in names


@pytest.mark.parametrize(
    "table,found,absent",
    [
        (KWB19, "OpleidingsniveauLaag_64", "PersonenInArmoede"),  # found through its older name
        (KWB23, "BasisonderwijsVmboMbo1_75", "PersonenInArmoede"),
        (KWB24, "HboWo_77", "PersonenInArmoede"),
        (KWB25, "PersonenInArmoede_90", "HuishoudensMetEenLaagInkomen"),
    ],
)
@pytest.mark.usefixtures("server")
def test_dataproperties_of_each_edition_resolve_stems_or_name_them(table, found, absent):
    props = _client().meta(table, "DataProperties")
    keys, missing = cbs.resolve_stems(props, STEMS)
    assert found in keys and absent in missing


@pytest.mark.usefixtures("server")
def test_title_must_name_the_edition_year():
    client = _client()
    wrong = cbs.CbsTable(2022, "kwb", "85984NED", "opendata.cbs.nl")  # a wrong id in cbs_tables.csv
    problem = cbs.title_problem(wrong, client.meta(wrong, "TableInfos"))
    assert problem is not None and problem.params["year"] == 2022
    assert "noemt 2022 niet" in problem.text() and "does not name 2022" in problem.text("en")
    assert cbs.title_problem(KWB24, client.meta(KWB24, "TableInfos")) is None


def test_crime_total_of_one_year_with_padded_type_and_boundary_year(server):
    got = cbs.fetch_crime(_client(), CRIME24, ["GM0014"])
    assert got.boundary_year is None  # the fixture's metadata names no MapYear: none is guessed
    recorded = cbs.fetch_crime(_client(), replace(CRIME24, map_year=2024), ["GM0014"])
    assert recorded.boundary_year == 2024  # the classification recorded in data/cbs_tables.csv
    geo = next(p for p in server.fixtures["47018NED"]["DataProperties"] if p["Type"] == "GeoDetail")
    geo["MapYear"] = 2023  # TEST INPUT: metadata that names its classification outrank the recorded one
    assert cbs.fetch_crime(_client(), replace(CRIME24, map_year=2024), ["GM0014"]).boundary_year == 2023
    frame = got.frame.set_index("WijkenEnBuurten")
    assert len(frame) == 7 and frame.loc["BU00140000", "GeregistreerdeMisdrijven_1"] == 2665  # 0.0.0 only, 2024 only
    assert "SoortMisdrijf+eq+%270.0.0+%27" in _asked(server, "/47018NED/TypedDataSet")[0]


def test_an_unpadded_eq_returns_nothing(server):
    client = _client()
    root = f"{server.url}/ODataFeed/odata/47018NED/TypedDataSet"
    assert client.pages(root, {"$filter": "SoortMisdrijf eq '0.0.0' and Perioden eq '2024JJ00'"}) == []
    assert client.pages(root, {"$filter": "WijkenEnBuurten eq 'BU00140000'"})  # a full-width key matches
    assert cbs.padded("NL00") == "NL00      " and "eq 'NL00      '" in cbs.area_filter(["GM0014"], country=True)


def test_v4_observations_become_v3_columns(server):
    got = cbs.fetch_kwb_v4(_client(), KWB24, ["GM0014"], STEMS)
    frame = got.frame.set_index("WijkenEnBuurten")
    assert got.served_by == "v4" and frame.loc["GM0014", "AantalInwoners_5"] == 243768
    assert frame.loc["WK001400", "GemiddeldeWOZWaardeVanWoningen_39"] == 278
    assert len(_asked(server, "/Observations")) >= 2  # @odata.nextLink followed


def test_reset_mid_paging_is_retried(server):
    server.faults["page2_reset"] = 1
    client = _client()
    got = cbs.fetch_kwb(client, KWB24, ["GM0014"], STEMS)
    assert len(got.frame) == 18
    assert len([p for p in _asked(server, "/TypedDataSet") if "skiptoken" in p]) == 2  # page 2 asked again


def test_500_on_page_two_fails_after_retries(server):
    server.faults["page2_status"] = 500
    with pytest.raises(cbs.CBSUnavailable, match="HTTP 500"):
        cbs.fetch_kwb(_client(retries=2), KWB24, ["GM0014"], STEMS)
    assert len([p for p in _asked(server, "/TypedDataSet") if "skiptoken" in p]) == 3  # 1 + 2 retries


def test_503_on_the_probe_is_not_reachable(server):
    server.faults["probe_status"] = 503
    with pytest.raises(cbs.CBSUnavailable, match="HTTP 503") as err:
        cbs.check_reachable(KWB24, client=_client(retries=0))
    assert "niet bereikbaar" in str(err.value) and "\n" not in str(err.value)  # str(): the default language
    assert err.value.message.key == "cbs_unreachable" and err.value.detail == "HTTP 503"
    assert err.value.message.text("en").startswith("CBS (opendata.cbs.nl) cannot be reached (HTTP 503)")
    assert server.log[-1].startswith("/ODataFeed/odata/85984NED/")  # the endpoint the downloads use


def test_slow_server_past_the_deadline(server):
    server.faults["delay"] = 3.0
    client = _client(timeout=10.0, deadline=1.0, retries=0)  # the deadline caps the read timeout
    with pytest.raises(cbs.CBSUnavailable, match="timed out"):
        cbs.fetch_kwb(client, KWB24, ["GM0014"], STEMS)
    assert client.remaining() <= 0
    with pytest.raises(cbs.CBSUnavailable, match="tijdslimiet") as err:  # nothing more is asked after the deadline
        client.get(f"{server.url}/ODataFeed/odata/85984NED/")
    assert err.value.message.text("en") == "The time limit of this refresh has passed."
    assert client.requests == 1


def test_country_row_and_sentinels():
    assert cbs.area_code("NL00      ") == "NL01" and cbs.area_code("BU00140000") == "BU00140000"
    frame = pd.DataFrame({"WijkenEnBuurten": ["a"] * 7, "v": [".", "", "-99995", "-99997", "-99999999", "0", "12,5"]})
    out = cbs.without_sentinels(frame)["v"].tolist()
    assert out[:5] == [None] * 5 and out[5] == "0" and out[6] == "12,5"  # 0 stays 0: missing is never 0


def test_fixture_filter_parser_matches_like_the_api():
    pred = row_filter("SoortMisdrijf eq '0.0.0 ' and (startswith(W,'GM0014') or startswith(W,'BU0014'))")
    assert pred({"SoortMisdrijf": "0.0.0 ", "W": "BU00140000"}) and not pred(
        {"SoortMisdrijf": "0.0.0", "W": "BU00140000"}
    )


def test_stem_aliases_map_old_names_to_one_indicator():
    from wijk.data.raw_values import statline_columns

    cat = load_catalogue()
    assert cat.by_stem("GemiddeldeWoningwaarde").id == cat.by_stem("GemiddeldeWOZWaardeVanWoningen").id == "woz"
    assert cat.by_stem("PercentageOnbewoond").id == "pct_onbewoond" and cat.by_stem("HboWo").id == "opl_hoog"
    assert cat.by_stem("PersonenInArmoede").id == "pct_personen_armoede"  # a new measure, its own indicator
    mapped = statline_columns(["OpleidingsniveauLaag_64", "OpleidingsniveauMiddelbaar_65"], cat, {}, "84583NED")
    assert (
        mapped["OpleidingsniveauLaag_64"][0] == "opl_laag"
        and mapped["OpleidingsniveauMiddelbaar_65"][0] == "opl_midden"
    )
