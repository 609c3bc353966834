"""Streamlit parts of the 'Eigen data' screen: upload, mapping form, report, result, sharing.

User text (file names, column names, labels, sources) follows wijk.core.text: plain in st.dataframe and
widget options, Markdown-escaped (wijk.core.text.md) wherever Streamlit renders Markdown; never HTML. Everything the
user entered lives in namespaced session keys ('eigen_...') and survives validation errors and
page switches.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from wijk.core import spreadsheet
from wijk.core.i18n import t
from wijk.core.numbers import number
from wijk.core.owndata import OwnDataset
from wijk.core.store import Store
from wijk.core.text import md, md_fmt, plain
from wijk.owndata.across import exposed
from wijk.owndata.differencing import real_children
from wijk.owndata.export import result_table
from wijk.owndata.model import (
    DIRECTIONS,
    ROLES,
    UNITS,
    ColumnSpec,
    Issue,
    Mapping,
    Result,
    guess_unit,
    issue_frame,
    parse_number,
    process,
    result_frame,
)
from wijk.owndata.read import MAX_BYTES, MAX_ROWS, RawTable, ReadError, read_upload
from wijk.owndata.suppression import MAX_THRESHOLD, MIN_COUNT, MIN_DENOMINATOR, Thresholds
from wijk.owndata.ui_link import activate, db, kept_note, remove
from wijk.ui.downloads import download_row
from wijk.ui.session_owndata import active_datasets

RAW, RAW_ID, RESULT, SAVED = "eigen_raw", "eigen_raw_id", "eigen_result", "eigen_saved"
HISTORY = "eigen_history"  # every dataset processed in this session: an upload's earlier versions
FROM_UPLOAD = "eigen_from_upload"  # (upload id, dataset name) of what this upload put in use
NONE = ""


def _keep(key: str, default: object, options: list | None = None) -> str:
    """A widget key whose value survives page switches (restored from SAVED) and reruns."""
    saved = st.session_state.setdefault(SAVED, {})
    if key not in st.session_state:
        st.session_state[key] = saved.get(key, default)
    value = st.session_state[key]
    if options is not None:
        if isinstance(value, list):
            st.session_state[key] = [v for v in value if v in options]
        elif value not in options:
            st.session_state[key] = default if default in options else options[0]
    return key


def _save(*keys: str) -> None:
    saved = st.session_state.setdefault(SAVED, {})
    for k in keys:
        if k in st.session_state:
            saved[k] = st.session_state[k]


def _forget_mapping() -> None:
    for k in [k for k in st.session_state if str(k).startswith(("eigen_map_", "eigen_col"))]:
        del st.session_state[k]
    st.session_state[SAVED] = {}
    st.session_state.pop(RESULT, None)


def upload(lang: str) -> RawTable | None:
    """The uploader; a readable file is kept in the session (until another file replaces it)."""
    mb = MAX_BYTES // (1024 * 1024)
    f = st.file_uploader(
        t("eigen_upload", lang, mb=mb, rows=number(MAX_ROWS, 0, lang)),
        type=["csv", "txt", "xlsx"],
        key="eigen_upload",
        max_upload_size=mb,
    )
    if f is not None and f.file_id != st.session_state.get(RAW_ID):
        st.session_state[RAW_ID] = f.file_id
        _forget_mapping()
        st.session_state.pop(RAW, None)
        try:
            if f.size > MAX_BYTES:
                raise ReadError("eigen_err_too_big", mb=mb)
            st.session_state[RAW] = read_upload(f.name, f.getvalue())
        except ReadError as err:
            st.session_state["eigen_read_error"] = (err.key, err.fmt)
        else:
            st.session_state.pop("eigen_read_error", None)
    if f is None and "eigen_read_error" in st.session_state and RAW not in st.session_state:
        st.session_state.pop("eigen_read_error")
    if "eigen_read_error" in st.session_state:
        key, fmt = st.session_state["eigen_read_error"]
        st.error(t(key, lang, **md_fmt(**fmt)))
        return None
    raw = st.session_state.get(RAW)
    if raw is not None:
        if f is None:
            st.info(t("eigen_file_kept", lang))
        st.caption(
            t(
                "eigen_file_info",
                lang,
                name=md(raw.name),
                kind=raw.kind.upper(),
                encoding=md(raw.encoding),
                rows=len(raw.frame),
                cols=len(raw.columns),
            )
        )
        for key, fmt in raw.notes[:20]:
            st.warning(t(key, lang, **md_fmt(**fmt)))
    return raw


def _numeric_share(raw: RawTable, col: str) -> float:
    parsed = [parse_number(c) for c in raw.frame[col].head(200)]
    good = sum(1 for v, e in parsed if v is not None and not e)
    return good / max(1, len(parsed))


def _year_inputs(
    where: DeltaGenerator, cols: list[str], years: list[int], year: int, lang: str
) -> tuple[str, int | None]:
    """The year of the rows: a column of the file, or one fixed year; (year column or '', fixed year or None)."""
    choose = t("widget_choose", lang)
    mode = where.radio(
        t("eigen_map_yearmode", lang),
        ["fixed", "column"],
        horizontal=True,
        key=_keep(
            "eigen_map_yearmode",
            "column" if any(c.lower() in ("jaar", "year") for c in cols) else "fixed",
            ["fixed", "column"],
        ),
        format_func=lambda m: t(f"eigen_map_year_{m}", lang),
    )
    if mode == "column":
        ycol = next((c for c in cols if c.lower() in ("jaar", "year")), cols[-1])
        year_col = where.selectbox(
            t("eigen_map_yearcol", lang), cols, key=_keep("eigen_map_yearcol", ycol, cols), placeholder=choose
        )
        return year_col, None
    years_desc = sorted(years, reverse=True)
    chosen = where.selectbox(
        t("eigen_map_year", lang),
        years_desc,
        key=_keep("eigen_map_year", year if year in years else years_desc[0], years_desc),
        placeholder=choose,
    )
    return "", chosen


def _column_spec(col: str, cols: list[str], keys: tuple[str, str], lang: str, expanded: bool) -> ColumnSpec:
    """One picked column's widgets in its expander (label, unit, role, numerator, denominator, direction);
    `keys` are the code and year columns, which are never a numerator or denominator."""
    choose = t("widget_choose", lang)
    i = cols.index(col)
    with st.expander(t("eigen_map_col_title", lang, n=i + 1, name=md(col)), expanded=expanded):
        a, b, c = st.columns(3)
        label = a.text_input(
            t("eigen_map_label", lang), key=_keep(f"eigen_col{i}_label", col.replace("_", " ")), max_chars=80
        )
        unit = b.selectbox(
            t("eigen_map_unit", lang),
            UNITS,
            key=_keep(f"eigen_col{i}_unit", guess_unit(col), list(UNITS)),
            format_func=lambda u: t(f"eigen_unit_{u}", lang),
            placeholder=choose,
        )
        role = c.selectbox(
            t("eigen_map_role", lang),
            ROLES,
            key=_keep(f"eigen_col{i}_role", "context", list(ROLES)),
            format_func=lambda r: t(f"eigen_role_{r}", lang),
            placeholder=choose,
        )
        others = [NONE, *[o for o in cols if o not in (col, *keys)]]
        fmt = lambda o: t("eigen_none", lang) if o == NONE else o  # noqa: E731
        num, den = (
            box.selectbox(
                t(f"eigen_map_{part}", lang),
                others,
                key=_keep(f"eigen_col{i}_{part}", NONE, others),
                format_func=fmt,
                disabled=unit == "count",
                placeholder=choose,
            )
            for box, part in ((a, "num"), (b, "den"))
        )
        way = c.selectbox(
            t("eigen_map_dir", lang),
            DIRECTIONS,
            key=_keep(f"eigen_col{i}_dir", "", list(DIRECTIONS)),
            format_func=lambda d: t(f"eigen_dir_{d}", lang),
            placeholder=choose,
        )
        _save(*[f"eigen_col{i}_{k}" for k in ("label", "unit", "role", "num", "den", "dir")])
        rate = unit != "count"
        return ColumnSpec(col, label, unit, num if rate else "", den if rate else "", role, way)


def mapping_form(raw: RawTable, lang: str, years: list[int], year: int) -> Mapping:
    """Mapping widgets (values kept in the session); returns the Mapping they describe."""
    cols = raw.columns
    st.subheader(t("eigen_map_title", lang))
    c1, c2 = st.columns(2)
    c1.text_input(t("eigen_map_name", lang), key=_keep("eigen_map_name", raw.name), max_chars=80)
    c2.text_input(
        t("eigen_map_source", lang),
        key=_keep("eigen_map_source", ""),
        max_chars=200,
        placeholder=t("eigen_map_source_help", lang),
    )
    guess = next((c for c in cols if "code" in c.lower()), cols[0])
    choose = t("widget_choose", lang)
    code_col = c1.selectbox(
        t("eigen_map_code", lang), cols, key=_keep("eigen_map_code", guess, cols), placeholder=choose
    )
    year_col, chosen = _year_inputs(c2, cols, years, year, lang)
    rest = [c for c in cols if c not in (code_col, year_col)]
    default = [c for c in rest if _numeric_share(raw, c) >= 0.5][:20]
    picked = st.multiselect(
        t("eigen_map_cols", lang),
        rest,
        key=_keep("eigen_map_cols", default, rest),
        placeholder=t("widget_choose_many", lang),
        select_all=False,  # Streamlit's "Select all" is English
    )
    picked = [c for c in picked if c in rest]
    specs = [_column_spec(col, cols, (code_col, year_col), lang, expanded=len(picked) <= 3) for col in picked]
    _save(
        "eigen_map_name",
        "eigen_map_source",
        "eigen_map_code",
        "eigen_map_yearmode",
        "eigen_map_yearcol",
        "eigen_map_year",
        "eigen_map_cols",
    )
    return Mapping(
        st.session_state["eigen_map_name"],
        st.session_state["eigen_map_source"],
        code_col,
        tuple(specs),
        chosen,
        year_col,
    )


def thresholds_input(lang: str) -> Thresholds:
    with st.expander(t("eigen_supp_title", lang)):
        st.caption(t("eigen_supp_help", lang))
        a, b = st.columns(2)
        count = a.number_input(
            t("eigen_supp_count", lang), MIN_COUNT, MAX_THRESHOLD, step=1, key=_keep("eigen_map_supp_count", MIN_COUNT)
        )
        den = b.number_input(
            t("eigen_supp_den", lang),
            MIN_DENOMINATOR,
            MAX_THRESHOLD,
            step=1,
            key=_keep("eigen_map_supp_den", MIN_DENOMINATOR),
        )
        _save("eigen_map_supp_count", "eigen_map_supp_den")
    return Thresholds(int(count), int(den))


def process_upload(raw: RawTable, mapping: Mapping, store: Store, thresholds: Thresholds) -> Result:
    """Process an upload checked against what users can see already: shared sets and this session's earlier ones."""
    session = [*st.session_state.get(HISTORY, []), *active_datasets()]
    try:
        shared = db().shared_datasets()
    except Exception:  # noqa: BLE001 - database down: check what we can, and say so
        shared = None
    result = process(raw, mapping, store, thresholds, [*(shared or []), *session])
    if shared is None:
        result.issues.append(Issue(None, "", "eigen_note_shared_unchecked"))
    if result.dataset is not None:
        st.session_state.setdefault(HISTORY, []).append(result.dataset)
    return result


def report(result: Result, lang: str) -> None:
    """The validation report: summary, then every message as a plain table."""
    st.subheader(t("eigen_report_title", lang))
    refused = next((i for i in result.issues if i.key == "eigen_refused_differencing"), None)
    if refused is not None:
        st.error(t(refused.key, lang, **md_fmt(**dict(refused.fmt))))
    elif result.dataset is None:
        st.error(t("eigen_report_mapping", lang))
    elif result.issues:
        st.warning(
            t("eigen_report_summary", lang, kept=result.rows_kept, total=result.rows_total, n=len(result.issues))
        )
    else:
        st.success(t("eigen_report_ok", lang, total=result.rows_total))
    if result.issues:
        heads = (
            t("eigen_col_row", lang),
            t("eigen_col_column", lang),
            t("eigen_col_value", lang),
            t("eigen_col_message", lang),
        )
        st.dataframe(
            issue_frame(result.issues, lambda k, **f: t(k, lang, **f), heads), hide_index=True, key="eigen_issues"
        )


def _source_line(ds: OwnDataset, lang: str) -> str:
    c, d = ds.suppressed_with or (MIN_COUNT, MIN_DENOMINATOR)
    n, s = len(ds.values), int(ds.values["suppressed"].sum())
    return t("eigen_result_source", lang, name=md(ds.name), source=md(ds.source), n=n, s=s, c=c, d=d)


def show_result(ds: OwnDataset, store: Store, lang: str) -> None:
    st.subheader(t("eigen_result_title", lang))
    st.caption(_source_line(ds, lang))
    if ds.values.empty:
        st.info(t("eigen_result_empty", lang))
        return
    frame = result_frame(ds, store, lang)
    st.dataframe(frame, hide_index=True, key="eigen_result_table")
    c, d = ds.suppressed_with or (MIN_COUNT, MIN_DENOMINATOR)
    lines = [t("eigen_export_source", lang, name=ds.name, source=ds.source, c=c, d=d), t("eigen_export_cbs", lang)]
    files = spreadsheet.files(result_table(ds, store, lang, lines), "eigen_data", lang)
    download_row(files, "eigen_download", lang, t("eigen_download_csv", lang))


def use_result(result: Result) -> None:
    """One step: a processed upload with figures is in use at once (and kept for the link).

    Processing the same upload again replaces what it put in use before, also under a new name."""
    ds = result.dataset
    if ds is None or ds.values.empty:
        return
    upload_id = st.session_state.get(RAW_ID)
    before = st.session_state.get(FROM_UPLOAD)
    replaces = before[1] if before and before[0] == upload_id else None
    activate(ds, replaces)
    st.session_state[FROM_UPLOAD] = (upload_id, ds.name)


def in_use_note(ds: OwnDataset, lang: str) -> None:
    """The confirmation under a processed upload: in use now, where, and how to stop."""
    if ds.values.empty or not any(d is ds for d in active_datasets()):
        return
    st.success(t("eigen_used", lang, name=md(ds.name)), icon=":material/check_circle:")
    st.page_link("pages/profiel.py", label=t("eigen_used_profile", lang), icon=":material/home:")


def share_form(ds: OwnDataset, store: Store, lang: str) -> None:
    with st.form("eigen_share_form"):
        st.subheader(t("eigen_share_title", lang))
        st.caption(t("eigen_share_help", lang))
        name = st.text_input(t("eigen_share_name", lang), key=_keep("eigen_map_share_name", ds.name), max_chars=80)
        ok = st.checkbox(t("eigen_share_confirm", lang), key="eigen_share_confirm")
        if st.form_submit_button(t("eigen_share_button", lang)):
            if not name.strip() or not ok:
                st.error(t("eigen_share_needs", lang))
                return
            try:
                count = (ds.suppressed_with or (MIN_COUNT,))[0]
                code = exposed(ds, db().shared_datasets(), count, real_children(store.areas.frame))
                if code is None:
                    db().share(ds, name)
            except Exception:  # noqa: BLE001 - database down or misconfigured: a message, not a crash
                st.error(t("eigen_db_error", lang))
            else:
                if code is None:
                    st.success(t("eigen_shared_ok", lang))
                else:
                    st.error(t("eigen_share_refused", lang, code=code))


def active_section(lang: str) -> None:
    """The datasets in use (each with its own 'Verwijderen'), and whether they are kept for the link."""
    st.subheader(t("eigen_active_title", lang))
    active = active_datasets()
    if not active:
        st.caption(t("eigen_active_none", lang))
        return
    for i, ds in enumerate(active):
        with st.container(border=True):
            text, button = st.columns([5, 1], vertical_alignment="center")
            text.markdown(f"**{md(ds.name)}**")
            text.caption(_source_line(ds, lang))
            if button.button(
                t("eigen_remove", lang),
                key=f"eigen_remove_{i}",
                help=t("eigen_remove_help", lang),
                icon=":material/delete:",
            ):
                remove(i)
                st.rerun()
    kept_note(lang)


def shared_section(lang: str) -> None:
    st.subheader(t("eigen_shared_title", lang))
    try:
        shared = db().list_shared()
    except Exception:  # noqa: BLE001 - database down or misconfigured: a message, not a crash
        st.warning(t("eigen_db_error", lang))
        return
    if not shared:
        st.caption(t("eigen_shared_none", lang))
        return
    heads = [t(f"eigen_col_{k}", lang) for k in ("name", "source", "date", "indicators", "values")]
    st.dataframe(
        pd.DataFrame(
            [(s.name, s.source, s.created_at.date().isoformat(), s.n_indicators, s.n_values) for s in shared],
            columns=heads,
        ),
        hide_index=True,
        key="eigen_shared_table",
    )
    labels = {s.id: f"{plain(s.name)} ({s.created_at.date().isoformat()})" for s in shared}
    pick = st.selectbox(
        t("eigen_shared_pick", lang),
        list(labels),
        format_func=lambda i: labels[i],
        key="eigen_shared_pick",
        placeholder=t("widget_choose", lang),
    )
    if st.button(t("eigen_shared_load", lang), key="eigen_shared_load") and pick is not None:
        try:
            shared_ds = db().load(pick)
        except Exception:  # noqa: BLE001 - database down or misconfigured: a message, not a crash
            st.error(t("eigen_db_error", lang))
        else:
            activate(shared_ds)
            st.rerun()  # the list of datasets in use is drawn above
