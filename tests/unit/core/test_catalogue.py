import math

from wijk.core.catalogue import format_value, load_catalogue, stem
from wijk.data.raw_values import statline_columns
from wijk.data.source_files import column_map

CAT = load_catalogue()


def test_stem_strips_edition_suffix():
    assert stem("AantalInwoners_5") == "AantalInwoners"
    assert stem("HuishoudensTotaal_28 ") == "HuishoudensTotaal"
    assert stem("k_0Tot15Jaar_8") == "k_0Tot15Jaar"


def test_same_indicator_from_2017_and_2024_editions():
    cols2017 = [
        "WijkenEnBuurten",
        "AantalInwoners_5",
        "HuishoudensTotaal_28",
        "HuishoudensMetKinderen_31",
        "GemiddeldInkomenPerInwoner_66",
        "HuishOnderOfRondSociaalMinimum_73",
        "MateVanStedelijkheid_104",
    ]
    cols2024 = [
        "WijkenEnBuurten",
        "AantalInwoners_5",
        "HuishoudensTotaal_29",
        "HuishoudensMetKinderen_32",
        "GemiddeldInkomenPerInwoner_83",
        "HuishOnderOfRondSociaalMinimum_90",
        "MateVanStedelijkheid_127",
    ]
    m17 = {v[0]: k for k, v in statline_columns(cols2017, CAT, {}, "83765NED").items()}
    m24 = {v[0]: k for k, v in statline_columns(cols2024, CAT, {}, "85984NED").items()}
    assert m17["huishoudens"] == "HuishoudensTotaal_28" and m24["huishoudens"] == "HuishoudensTotaal_29"
    assert m17["inkomen_per_inwoner"] == "GemiddeldInkomenPerInwoner_66"
    assert m24["inkomen_per_inwoner"] == "GemiddeldInkomenPerInwoner_83"
    assert set(m17) - {"pct_sociaal_minimum"} <= set(m24)


def test_mapping_is_by_stem_not_position():
    shuffled = ["HuishoudensTotaal_29", "WijkenEnBuurten", "AantalInwoners_5"]
    mapping = statline_columns(shuffled, CAT, {}, "85984NED")
    assert mapping["AantalInwoners_5"][0] == "inwoners"
    assert mapping["HuishoudensTotaal_29"][0] == "huishoudens"


def test_repeated_stem_takes_occurrence_in_cbs_order():
    cols = ["Nederland_20", "Nederland_17", "BuitenEuropa_19", "BuitenEuropa_22"]
    mapping = statline_columns(cols, CAT, {}, "85984NED")
    assert mapping["Nederland_17"][0] == "herkomst_nl"
    assert "Nederland_20" not in mapping
    assert mapping["BuitenEuropa_19"][0] == "herkomst_buiten_europa"


def test_extra_columns_from_source_columns_csv():
    extra = column_map("kaart")
    mapping = statline_columns(["AANT_INW"], CAT, extra, "Wijk- en buurtkaart 2017")
    assert mapping["AANT_INW"] == ("inwoners", "Wijk- en buurtkaart", "AANT_INW")
    assert column_map("woonikveilig")["kwb24_wozWaarde"] == ("woz", "85984NED", "GemiddeldeWOZWaardeVanWoningen_39")


def test_catalogue_covers_the_kwb_themes_even_without_data():
    for needed in (
        "bijstand_per_1000",
        "ww_per_1000",
        "woz",
        "pct_koop",
        "pct_jeugdzorg",
        "wmo_per_1000",
        "afstand_huisarts",
        "arbeidsparticipatie",
        "pct_laag_inkomen",
    ):
        assert needed in CAT
    for ind in CAT:
        assert ind.role in {"context", "risk", "protective", "outcome"}, ind.id
        assert ind.label_nl and ind.label_en, ind.id
        for part in (ind.numerator, *ind.denominator):
            assert not part or part in CAT, (ind.id, part)


def test_format_keeps_missing_missing():
    assert format_value(None, "count") == "onbekend"
    assert format_value(math.nan, "pct", "en") == "unknown"
    assert format_value(0.0, "count") == "0"
    assert format_value(243768, "count") == "243.768"
    assert format_value(243768, "count", "en") == "243,768"
    assert format_value(12.345, "pct") == "12,3%"
