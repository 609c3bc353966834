"""AppTest helpers: open the app at a page with URL parameters."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

# AppTest resets PagesManager.uses_pages_directory before every run; because a pages/ folder exists,
# its second and later runs would then execute only the page file (MPA v1 style) and skip app.py,
# losing the sidebar and URL frame. The real server runs app.py every time (st.navigation sets the
# flag to False once per process), so the tests pin it to that.
_original_init = PagesManager.__init__


def _v2_init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


PagesManager.__init__ = _v2_init

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_app(page: str | None = None, **params: str) -> AppTest:
    """Run app.py with the query parameters, then switch to pages/<page>.py (if given) and run again."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py")
        at.run()
    return at


def page_text(at: AppTest) -> str:
    """All visible text of markdown, captions, titles, metrics and alerts, for assertions."""
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "warning", "info", "error", "success",
                 "exception"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.get("metric")]
    return "\n".join(parts)


@pytest.fixture
def app():
    return open_app
