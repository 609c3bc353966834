"""Trends en vergelijken: an indicator over the years with gemeente and NL, 'since when do you know this
area?', up to six areas side by side, many indicators in one year, and all buurten (wijken) of the
gemeente ranked; every break explained, every table downloadable for Dutch Excel."""

from wijk.profile.model import load_layout
from wijk.trends import ui_screen
from wijk.ui import loaders, state
from wijk.ui.session_owndata import active_datasets

screen = ui_screen.indicator_header(loaders.get_store(), state.current(), tuple(active_datasets()))
ui_screen.series_section(screen)
ui_screen.lens_section(screen, list(load_layout().headline))
chosen = ui_screen.compare_section(screen)
ui_screen.heat_section(screen, chosen)
ui_screen.ranking_section(screen)
