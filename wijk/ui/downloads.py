"""The download buttons of one table: CSV for Dutch Excel, Excel (.xlsx), and its sources apart."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

import streamlit as st

from wijk.core.i18n import t
from wijk.core.spreadsheet import CSV_MIME, TXT_MIME, XLSX_MIME

LABELS = {"csv_nl": "export_download_csv_nl", "xlsx": "export_download_xlsx", "info": "export_download_info"}

Files = dict[str, tuple[bytes, str, str]]
LazyFiles = dict[str, tuple[bytes | Callable[[], bytes], str, str]]


def _part(make: Callable[[], Files], fmt: str) -> bytes:
    return make()[fmt][0]


def lazy_files(make: Callable[[], Files], stem: str, lang: str) -> LazyFiles:
    """The files `make()` returns (`wijk.core.spreadsheet.files(table, stem, lang)`), named and typed at
    once but made only when a button is clicked: an .xlsx costs a few hundred ms, on every run of a
    screen, for a file few people download (issue 22). The names are spreadsheet.files' (a test keeps
    them equal)."""
    names = {
        "csv_nl": (f"{stem}.csv", CSV_MIME),
        "xlsx": (f"{stem}.xlsx", XLSX_MIME),
        "info": (t("export_file_info", lang, stem=stem), TXT_MIME),
    }
    return {fmt: (partial(_part, make, fmt), name, mime) for fmt, (name, mime) in names.items()}


def download_row(
    files: Mapping[str, tuple[bytes | Callable[[], bytes], str, str]], key: str, lang: str, title: str = ""
) -> None:
    """One row of buttons (files from `wijk.core.spreadsheet.files`, or `lazy_files`), with a plain-text
    title above."""
    if title:
        st.text(title)
    for col, (fmt, (data, name, mime)) in zip(st.columns(len(files)), files.items()):
        col.download_button(
            t(LABELS[fmt], lang),
            data,
            file_name=name,
            mime=mime,
            key=f"{key}_{fmt}",
            on_click="ignore",
            help=t("export_download_help", lang),
        )
