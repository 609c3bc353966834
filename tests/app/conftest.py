"""AppTest helpers: open the app at a page with URL parameters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.testing.v1 import AppTest

from tests.card_html import Card, read_cards, read_missing
from tests.table_html import read_tables
from wijk.core.paths import data_dir, local_dir
from wijk.core.store import Store
from wijk.ui.apptest import use_navigation_mode

use_navigation_mode()  # every AppTest run starts from app.py, as on the server (see wijk/ui/apptest.py)

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_app(page: str | None = None, intro: bool = False, **params: str) -> AppTest:
    """Run app.py with the query parameters, then switch to pages/<page>.py (if given) and run again.

    The first-use box is off unless intro=True, so tests see the screen itself.
    """
    at = AppTest.from_file(APP, default_timeout=60)
    if not intro:
        at.session_state["wb_intro_show"] = False
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py")
        at.run()
    return at


def static_tables(at: AppTest) -> list:
    """The screen's static HTML tables (wijk.ui.tables) as DataFrames of their text, in page order."""
    return [f for h in at.get("html") for f in read_tables(h.proto.body)]


def shown_tables(at: AppTest) -> list:
    """Every table a person can read on the screen: the data grids' values, then the static tables."""
    return [d.value for d in at.dataframe] + static_tables(at)


def lazy_keys(at: AppTest, prefix: str = "", closed: bool = True) -> list[str]:
    """The keys of the screen's lazy sections (stateful expanders, wijk.ui.lazy) starting with `prefix`;
    with `closed`, only those now closed."""
    keys = [
        user_key_from_element_id(e.proto.id) for e in at.expander if e.proto.id and not (closed and e.proto.expanded)
    ]
    return [k for k in keys if k and k.startswith(prefix)]


def open_sections(at: AppTest, prefix: str = "") -> list[str]:
    """Open the closed lazy sections whose key starts with `prefix`, as a click does (their state set
    True), and run; returns their keys (at least one: a test that opens nothing proves nothing)."""
    keys = lazy_keys(at, prefix)
    assert keys, f"no closed lazy section {prefix!r}"
    for k in keys:
        at.session_state[k] = True
    at.run()
    return keys


_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def rendered(text: object) -> str:
    """Markdown source as a person reads it: backslash escapes and invisible word joiners removed
    (wijk.core.text.md escapes every punctuation sign of foreign text; the page shows the sign)."""
    return _MD_ESCAPE.sub(r"\1", str(text)).replace("\u2060", "")


def page_source(at: AppTest) -> str:
    """The Markdown source of the same elements as `page_text`, unrendered (to check escaping)."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "warning", "info", "error", "success")
    parts = [str(e.value) for k in kinds for e in getattr(at, k)]
    return "\n".join(parts + [f"{m.label} {m.value}" for m in at.get("metric")])


def page_text(at: AppTest) -> str:
    """All visible text of markdown, captions, titles, metrics and alerts, for assertions."""
    parts = []
    for kind in (
        "markdown",
        "caption",
        "title",
        "header",
        "subheader",
        "warning",
        "info",
        "error",
        "success",
        "exception",
    ):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.get("metric")]
    missing = [line for h in at.get("html") for line in read_missing(h.proto.body)]
    return rendered("\n".join(parts)) + "\n" + "\n".join([*(c.text for c in page_cards(at)), *missing])


def page_cards(at: AppTest) -> list[Card]:
    """The figure cards on the page (st.html grids built by wijk.profile.cards), as a person reads them."""
    return [card for h in at.get("html") for card in read_cards(h.proto.body)]


def card_values(at: AppTest) -> dict[str, str]:
    """Label -> shown value of every figure card, like the metrics of old."""
    return {c.label: c.value for c in page_cards(at)}


@pytest.fixture
def app():
    return open_app


_EMBEDDED: dict[Path, Store] = {}  # data dir -> the store loaded from it alone, once per test process
_load = Store.load.__func__  # type: ignore[attr-defined]


def _load_shared(cls, data: Path | None = None, local: Path | None = None) -> Store:
    """Store.load, but where the local dir holds no refreshed data (every AppTest but the refresh
    ones) the one store already loaded from the same embedded data: the tests clear Streamlit's
    caches after each test, and each AppTest would otherwise read the parquet files again."""
    data = data or data_dir()
    local = local or local_dir()
    if (local / "values.parquet").exists():  # a refresh (or a damaged one): its own, fresh store
        return _load(cls, data, local)
    key = data.resolve()
    if key not in _EMBEDDED:
        _EMBEDDED[key] = _load(cls, data, local)
    return _EMBEDDED[key]


@pytest.fixture(autouse=True)
def _shared_embedded_store(monkeypatch):
    """The store is read-only (wijk.ui.loaders): AppTests without refreshed data share one."""
    monkeypatch.setattr(Store, "load", classmethod(_load_shared))
