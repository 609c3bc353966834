"""Wijkbeeld: the router and frame. Shared sidebar (area, year, language), navigation, run."""
from pathlib import Path

import streamlit as st

from wijk.i18n import t
from wijk.ui import loaders, sidebar, state

st.set_page_config(page_title="Wijkbeeld", page_icon=":material/location_city:", layout="wide")

ROOT = Path(__file__).parent
PAGES = [  # (file, url path, label key, icon)
    ("pages/profiel.py", "profiel", "nav_profiel", ":material/home:"),
    ("pages/factoren.py", "factoren", "nav_factoren", ":material/balance:"),
    ("pages/kaart.py", "kaart", "nav_kaart", ":material/map:"),
    ("pages/beeld.py", "beeld", "nav_beeld", ":material/psychology:"),
    ("pages/trends.py", "trends", "nav_trends", ":material/trending_up:"),
    ("pages/eigen_data.py", "eigen-data", "nav_eigen_data", ":material/upload_file:"),
    ("pages/data.py", "data", "nav_data", ":material/info:"),
]

store = loaders.get_store()
state.read_selection(store)
selection = sidebar.render(store)
state.write_url(selection)
lang = selection.lang

pages = [
    st.Page(str(ROOT / f), title=t(label, lang), icon=icon, url_path=path, default=(i == 0))
    for i, (f, path, label, icon) in enumerate(p for p in PAGES if (ROOT / p[0]).exists())
]
navigation = st.navigation(pages)
state.render_messages(store, lang)
navigation.run()
