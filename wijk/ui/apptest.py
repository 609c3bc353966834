"""Make Streamlit's AppTest run app.py on every run, as the real server does (tests and benchmarks).

AppTest resets PagesManager.uses_pages_directory before every run; because a pages/ folder exists,
its second and later runs would then execute only the page file (the legacy pages/ mode) and skip
app.py, losing the sidebar and URL frame. The server runs app.py every time (st.navigation sets the
flag to False once per process), so AppTest is pinned to that.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager

_original_init = PagesManager.__init__


def _navigation_mode_init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


def use_navigation_mode() -> None:
    """Idempotent: patch PagesManager so every AppTest run starts from app.py."""
    PagesManager.__init__ = _navigation_mode_init  # type: ignore[method-assign]  # a deliberate monkeypatch (see above)
