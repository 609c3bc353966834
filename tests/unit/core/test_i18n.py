"""wijk.core.i18n.Message: a sentence made where the language is unknown, put into words where it is shown."""

from __future__ import annotations

import json

import pytest

from wijk.core.i18n import Message, MessageError, from_json, t, text_of, to_json
from wijk.core.text import md


def test_a_message_is_put_into_either_language():
    msg = Message.of("refresh_file_not_found", path="/tmp/kwb.csv")
    assert msg.text() == msg.text("nl") == "Bestand niet gevonden: /tmp/kwb.csv"
    assert msg.text("en") == "File not found: /tmp/kwb.csv"
    assert msg.text("fr") == msg.text("nl")  # an unknown language falls back to Dutch, as t() does
    assert str(msg) == msg.text("nl")


def test_nested_messages_and_lists_follow_the_language():
    via = Message.of("refresh_via_detail", via="v3", detail=Message.of("refresh_detail_no_rows"))
    msg = Message.of("refresh_year_not_fetched", year=2024, table="85984NED", errors=[via, "v4: HTTP 500"])
    assert msg.text("en") == (
        "KWB 2024 (85984NED) not fetched (v3: no rows; v4: HTTP 500); the previous data of 2024 stay in place."
    )
    assert "(v3: geen rijen; v4: HTTP 500)" in msg.text("nl")


def test_escape_applies_to_the_foreign_values_only():
    msg = Message.of("cbs_no_answer", url="https://x.example/a_b", reason=Message.of("cbs_detail_no_json"))
    shown = msg.text("en", md)
    assert shown.startswith("CBS did not answer at ") and "https\\:" in shown and "a\\_b" in shown
    assert shown.endswith("(no JSON).")  # the label text and the nested label are the app's own: not escaped
    assert Message.of("refresh_check_requests", n=3).text("en", md) == "3 requests."  # numbers stay numbers


def test_json_round_trip_keeps_key_values_and_nesting():
    msg = Message.of(
        "refresh_cbs_unreachable", v3=Message.of("cbs_reason_no_name", error="ConnectionError"), v4="HTTP 503"
    )
    data = json.loads(json.dumps(to_json([msg, "plain"])))
    assert from_json(data) == [msg, "plain"]
    assert Message.from_json(msg.to_json()) == msg


def test_text_of_takes_messages_and_plain_text():
    assert text_of("Oude tekst", "en") == "Oude tekst"  # an older status file: shown as it is
    assert text_of("a*b", "en", md) == "a\\*b"
    assert text_of(Message.of("refresh_rebuilding"), "en") == t("refresh_rebuilding", "en")


def test_text_of_a_mapping_is_key_value_pairs_with_both_sides_escaped():
    served = {"2024 *kwb*": Message.of("refresh_rebuilding"), "2023": "v4"}
    assert text_of(served, "en") == f"2024 *kwb*: {t('refresh_rebuilding', 'en')}; 2023: v4"
    assert text_of(served, "en", md).startswith("2024 \\*kwb\\*: ")


def test_an_error_with_a_message_reads_in_dutch_and_keeps_the_message():
    msg = Message.of("refresh_no_gemeente")
    with pytest.raises(MessageError, match="Geef --gemeente") as err:
        raise MessageError(msg)
    assert err.value.message is msg and err.value.message.text("en").startswith("Give --gemeente")
