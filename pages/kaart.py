"""Kaart: an indicator over the buurten/wijken of the gemeente, facilities, own points; click to select."""

from wijk.kaart import ui_screen
from wijk.ui import loaders, state
from wijk.ui.session_owndata import active_datasets

screen = ui_screen.controls(loaders.get_store(), state.current(), active_datasets())
view = ui_screen.map_section(screen)
ui_screen.boundary_notes(screen, view)
ui_screen.area_pick(screen, view)
ui_screen.counts_section(screen, view)
ui_screen.proximity_section(screen)
