"""The changed-boundaries file: one format for the build that writes it and the map that reads it."""

from __future__ import annotations

from wijk.core.boundaries import CHANGED_COLUMNS, changed_boundaries


def test_not_built_yet_gives_an_empty_table_with_the_columns(tmp_path):
    frame = changed_boundaries(tmp_path)
    assert frame.empty and list(frame.columns) == CHANGED_COLUMNS


def test_the_embedded_file_has_the_columns_and_codes_as_text():
    frame = changed_boundaries()
    assert list(frame.columns) == CHANGED_COLUMNS
    assert len(frame) > 0 and frame["code"].str.match(r"^(BU|WK)\d{4}").all()
