"""The download buttons of one table: CSV for Dutch Excel, Excel (.xlsx), and its sources apart."""

from __future__ import annotations

import streamlit as st

from wijk.core.i18n import t

LABELS = {"csv_nl": "export_download_csv_nl", "xlsx": "export_download_xlsx", "info": "export_download_info"}


def download_row(files: dict[str, tuple[bytes, str, str]], key: str, lang: str, title: str = "") -> None:
    """One row of buttons (files from `wijk.core.spreadsheet.files`), with a plain-text title above."""
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
