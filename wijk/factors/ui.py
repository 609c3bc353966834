"""Cached per-year inputs of the factor view (computed once per year and level; read-only)."""

from __future__ import annotations

import streamlit as st

from wijk.factors import model as factors
from wijk.factors import similar
from wijk.ui.loaders import data_cache, get_store


@st.cache_resource(show_spinner=False)  # definitions, not CBS figures: a data refresh leaves it
def framework() -> factors.Framework:
    return factors.default_framework()


@data_cache
def level_basis(year: int, level: str) -> factors.LevelBasis:
    """Spread per indicator over all areas of the level and year (the standardisation basis)."""
    return factors.level_basis(get_store(), year, level, framework())


@data_cache
def context_space(year: int) -> similar.ContextSpace | None:
    """The context features of all buurten of the year, for the similar-buurten search."""
    return similar.build_space(get_store(), year)
