"""One policy for text that is not the app's own: URL values, uploaded labels, file and dataset names,
workshop titles, free notes, even CBS area names.

Such text is shown as plain text, never as Markdown or HTML: no links, images, HTML, emoji or
colour directives, no formulas. Use:
- `plain(text, limit)`: control characters removed, whitespace collapsed, shortened. For places
  that render no Markdown (st.dataframe cells, st.text, selectbox options, chart data, exports).
- `md(text, limit)`: `plain`, then every Markdown/HTML sign escaped with a backslash. For every
  place Streamlit renders Markdown: st.markdown/caption/write/info/warning/error/success, widget
  labels, expander and metric labels, help texts.
- `md_label(text, limit)`: for widget labels, whose raw string is also the aria-label: only the
  signs that make links, images, HTML, emphasis, code, tables, math or directives are escaped.
- `md_fmt(**values)`: the placeholders of an i18n sentence (`t(key, lang, **md_fmt(...))`), escaped.
- `html_text(text, limit)`: `plain`, then HTML-escaped. For HTML the app builds (st.html), never Markdown.
Exports go through wijk.core.safe_export (formula neutralising), which applies `plain` to every cell.
"""

from __future__ import annotations

import html
import re

# Every ASCII punctuation sign that Markdown (CommonMark + GFM), Streamlit's directives (:red[..],
# :material/x:, emoji shortcodes) or KaTeX ($) give a meaning. CommonMark allows a backslash before
# any ASCII punctuation, so escaping more than needed is harmless.
_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:&=\"'^%/;@?")
_WJ = "\u2060"
_AUTOLINK = re.compile(r"(?i:www)\.")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: object, limit: int | None = None) -> str:
    """Foreign text as one line of plain text: no control or bidi characters, single spaces."""
    if text is None:
        return ""
    out = " ".join(_CONTROL.sub(" ", str(text)).split())
    if limit is not None and len(out) > limit:
        out = out[: max(0, limit - 1)] + "…"
    return out


def md(text: object, limit: int | None = None) -> str:
    """Foreign text made inert for anything Streamlit renders as Markdown (shown exactly as typed).

    Besides the escapes, an invisible word joiner (U+2060) follows every '@' and every ':' that is
    not followed by a space, and sits inside 'www.', so GFM's autolinks (https://..., www...., a@b.nl) cannot turn the text into a link.
    """
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in unlink(plain(text, limit)))


_LABEL_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")


def md_label(text: object, limit: int | None = None) -> str:
    """Foreign text for a widget label (slider, number input, ...).

    Streamlit renders a label as Markdown but also puts the raw string in the input's aria-label, so
    only the signs that make links, images, HTML, emphasis, code, tables, math or colour directives are
    escaped: inert on screen and still readable for a screen reader ("1.000 inwoners", not "1\\.000").
    """
    return _LABEL_SPECIAL.sub(r"\\\1", unlink(plain(text, limit)))


def unlink(text: str) -> str:
    """Break GFM autolinks (https://..., www...., a@b.nl) with an invisible word joiner (U+2060)."""
    text = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + _WJ + m.group(0)[-1], text)
    return re.sub(r"@(?!\u2060)|:(?=[^\s\u2060])", lambda m: m.group(0) + _WJ, text)


def md_fmt(**values: object) -> dict[str, int | float | str]:
    """Placeholders for an i18n sentence that will be rendered as Markdown: each value escaped."""
    return {k: v if isinstance(v, (int, float)) and not isinstance(v, bool) else md(v) for k, v in values.items()}


def html_text(text: object, limit: int | None = None) -> str:
    """Text made inert for HTML the app builds itself (st.html): `plain`, then &, <, >, " and ' escaped.
    Use it for every piece of text in such HTML, the app's own sentences included."""
    return html.escape(plain(text, limit), quote=True)
