from wijk.core import codes


def test_hierarchy_of_a_buurt():
    assert codes.wijk_of("BU00140107") == "WK001401"
    assert codes.gemeente_of("BU00140107") == "GM0014"
    assert codes.chain("BU00140107") == ["BU00140107", "WK001401", "GM0014", "NL01"]


def test_levels_and_validation():
    assert codes.level_of("GM0014") == "gemeente"
    assert codes.level_of("WK001403") == "wijk"
    assert codes.level_of("NL01") == "land"
    for bad in ("", "GM14", "BU0014010", "XX00140107", "bu00140107", "GM0014; DROP"):
        assert codes.level_of(bad) is None
    assert codes.is_valid("BU00140301", "buurt") and not codes.is_valid("BU00140301", "wijk")


def test_clean_strips_cbs_padding():
    assert codes.clean("BU00140107  ") == "BU00140107"
    assert codes.clean(None) == ""


def test_every_order_of_levels_derives_from_levels():
    assert codes.LEVELS == ("land", "gemeente", "wijk", "buurt")
    assert codes.AREA_LEVELS == ("gemeente", "wijk", "buurt")
    assert codes.PARENT_LEVELS == ("wijk", "gemeente", "land")
    assert [codes.rank(lv) for lv in codes.LEVELS] == [0, 1, 2, 3] and codes.rank("straat") == 4
    assert codes.below("gemeente") == "wijk" and codes.below("buurt") is None
    assert all(codes.level_of(codes.PREFIXES[codes.level_of(c) or ""] + c[2:]) for c in ("GM0014", "WK001403"))


def test_reference_code_is_the_gemeente_or_the_country():
    assert codes.reference_code("BU00140107") == "GM0014"
    assert codes.reference_code("WK001403", "gemeente") == "GM0014"
    assert codes.reference_code("BU00140107", "land") == "NL01"
    assert codes.reference_code("GM0014") == "NL01"  # a gemeente is compared with the country
    assert codes.reference_code("NL01") == "NL01"
