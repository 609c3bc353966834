"""Wijkbeeld: the router and frame. Shared sidebar (area, year, language), navigation, run."""

from pathlib import Path

import streamlit as st

from wijk.core.i18n import t
from wijk.owndata import ui_link
from wijk.ui import intro, loaders, sidebar, state, style

ROOT = Path(__file__).parent
# A local image: an emoji or :material: page icon makes the browser fetch it from a CDN on every load.
# Its static URL (static/, served as /app/static/): a file path is opened, checked and stored as media
# again by every run (about 0.1 s in a fresh server's first run).
st.set_page_config(page_title="Wijkbeeld", page_icon="/app/static/wijkbeeld-icon.png", layout="wide")
PAGES = [  # (file, url path, label key, icon); file names equal url paths, see _start below
    ("pages/profiel.py", "profiel", "nav_profiel", ":material/home:"),
    ("pages/factoren.py", "factoren", "nav_factoren", ":material/balance:"),
    ("pages/kaart.py", "kaart", "nav_kaart", ":material/map:"),
    ("pages/beeld.py", "beeld", "nav_beeld", ":material/psychology:"),
    ("pages/trends.py", "trends", "nav_trends", ":material/trending_up:"),
    ("pages/eigen-data.py", "eigen-data", "nav_eigen_data", ":material/upload_file:"),
    ("pages/data.py", "data", "nav_data", ":material/info:"),
]

store = loaders.get_store()
intro.remember_entry()
state.read_selection(store)
lang = state.current().lang
pages = [
    st.Page(str(ROOT / f), title=t(label, lang), icon=icon, url_path=path)
    for f, path, label, icon in PAGES
    if (ROOT / f).exists()
]


def _start() -> None:
    """The root URL opens the profile (a default page cannot have its own path, and `profiel` must)."""
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


navigation = st.navigation([st.Page(_start, title="Wijkbeeld", default=True), *pages], position="hidden")
# A workshop phone or the projector is the whole screen: no menu, no area picker (and a cheaper
# run, which a room of phones redrawn at one reveal adds up).
own_screen = False
if navigation.url_path == "beeld":  # imported here: the workshop's modules pull in the database layer
    from wijk.beeld import ui_workshop

    own_screen = ui_workshop.own_screen()
if not own_screen:
    sidebar.render_nav(pages)
selection = state.current() if own_screen else sidebar.render(store)
ui_link.restore(selection.lang)  # before the URL is written: a reload finds the link's own data (eigen=)
state.write_url(selection)
state.render_messages(store, selection.lang)
state.render_boundary_note(store, selection)
style.apply(selection.lang, own_screen)
if not own_screen:
    intro.render({p.url_path: p for p in pages}, selection.lang)
navigation.run()
