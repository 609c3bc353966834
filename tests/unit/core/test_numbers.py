"""Numbers are written the one way of the UI language (wijk.core.numbers), everywhere."""

from __future__ import annotations

from wijk.core.catalogue import format_value, unit_label
from wijk.core.chart_locale import number_locale
from wijk.core.numbers import number, separators


def test_dutch_and_english_separators():
    assert number(1234567.891, 1, "nl") == "1.234.567,9"
    assert number(1234567.891, 1, "en") == "1,234,567.9"
    assert number(1234, 0, "xx") == "1.234"  # an unknown language is written as Dutch, as the UI falls back


def test_sign_and_grouping_options():
    assert number(1.25, 1, "nl", sign=True) == "+1,2"
    assert number(-1234.5, 1, "en", sign=True, grouped=False) == "-1234.5"
    assert number(0, 0, "nl", sign=True) == "+0"


def test_format_value_and_the_chart_locale_share_the_separators():
    assert format_value(12345.5, "eur1000", "nl") == "€ 12.345,5 dzd"
    assert format_value(12345.5, "eur1000", "en") == "€ 12,345.5k"
    assert format_value(None, "pct", "en") == "unknown" and format_value(None, "pct", "nl") == "onbekend"
    for lang in ("nl", "en"):
        thousands, decimal = separators(lang)
        assert number_locale(lang)["number"]["thousands"] == thousands
        assert number_locale(lang)["number"]["decimal"] == decimal


def test_unit_labels():
    assert unit_label("per1000", "nl") == "per 1.000" and unit_label("per1000", "en") == "per 1,000"
    assert unit_label("count", "en") == "" and unit_label("code", "nl") == ""
    assert unit_label("furlong", "nl") == "furlong"  # an unknown unit shows as it is
