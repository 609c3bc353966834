from wijk.core.selection import parse_selection


def test_default_is_groningen_latest_year(store):
    sel, msgs = parse_selection({}, store.areas)
    assert (sel.gemeente, sel.wijk, sel.buurt, sel.jaar, sel.lang) == ("GM0014", None, None, 2024, "nl")
    assert msgs == []


def test_buurt_alone_fills_its_parents(store):
    sel, msgs = parse_selection({"buurt": "BU00140107"}, store.areas)
    assert (sel.gemeente, sel.wijk, sel.buurt) == ("GM0014", "WK001401", "BU00140107")
    assert sel.code == "BU00140107" and not msgs
    assert sel.to_query() == {
        "gemeente": "GM0014",
        "wijk": "WK001401",
        "buurt": "BU00140107",
        "jaar": "2024",
        "lang": "nl",
    }


def test_unknown_code_gives_message_and_default(store):
    sel, msgs = parse_selection({"buurt": "BU99999999"}, store.areas)
    assert sel.code == "GM0014"
    assert [m.key for m in msgs] == ["msg_unknown_code"]


def test_malformed_code_and_injection_attempt(store):
    sel, msgs = parse_selection({"gemeente": "<script>alert(1)</script>", "lang": "xx"}, store.areas)
    assert sel.code == "GM0014" and sel.lang == "nl"
    assert msgs[0].key == "msg_bad_code"


def test_unknown_wijk_falls_back_to_given_gemeente(store):
    sel, msgs = parse_selection({"gemeente": "GM0363", "wijk": "WK036399"}, store.areas)
    assert sel.code == "GM0363" and msgs[0].params["fallback"] == "GM0363"


def test_mismatched_parent_follows_most_specific(store):
    sel, msgs = parse_selection({"gemeente": "GM0363", "buurt": "BU00140107"}, store.areas)
    assert sel.gemeente == "GM0014" and msgs[0].key == "msg_mismatch"


def test_year_validated(store):
    sel, msgs = parse_selection({"buurt": "BU00140107", "jaar": "1999"}, store.areas)
    assert sel.jaar == 2024 and msgs[0].key == "msg_bad_year"
    sel, _ = parse_selection({"gemeente": "GM0014", "jaar": "2017"}, store.areas)
    assert sel.jaar == 2017
    sel, msgs = parse_selection({"jaar": "abc"}, store.areas)
    assert sel.jaar == 2024 and msgs


def test_with_area_keeps_year_when_possible(store):
    sel, _ = parse_selection({"gemeente": "GM0014", "jaar": "2017"}, store.areas)
    assert sel.with_area("BU00140107", store.areas).jaar == 2017  # exists in both years
    moved = sel.with_area("BU00141403", store.areas)
    assert moved.jaar == 2024  # a buurt that did not exist in 2017


def test_hostile_values_become_messages_with_plain_text(store):
    params = {
        "gemeente": "![p](https://evil.example/x.png)",
        "wijk": "<img src=x>\r\n\x00",
        "jaar": "[Inloggen](https://evil.example/login)",
        "lang": "<b>",
    }
    sel, msgs = parse_selection(params, store.areas)
    assert sel.code == "GM0014" and sel.lang == "nl"
    assert {m.key for m in msgs} == {"msg_bad_code", "msg_bad_year"}
    for m in msgs:
        for v in m.params.values():
            assert "\r" not in str(v) and "\n" not in str(v) and "\x00" not in str(v) and len(str(v)) <= 40
