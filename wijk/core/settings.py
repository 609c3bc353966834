"""Definitions that are a number or a short list (data/settings.toml): thresholds, indicator id lists,
the map's facility kinds and colours. Each is defined there once; modules take them from here."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from wijk.core.paths import data_dir


@lru_cache(maxsize=2)
def load_settings(path: Path | None = None) -> dict[str, Any]:
    with open(path or data_dir() / "settings.toml", "rb") as fh:
        return tomllib.load(fh)


def setting(*keys: str) -> Any:
    """One value by its path: setting("areas", "small_inhabitants") -> 200."""
    value: Any = load_settings()
    for key in keys:
        value = value[key]
    return value


def ids(*keys: str) -> tuple[str, ...]:
    """An indicator id list: ids("profile", "age_chart")."""
    return tuple(str(i) for i in setting(*keys))


def _rgb(value: Any) -> tuple[int, int, int]:
    r, g, b = (int(c) for c in value)
    return r, g, b


def rgb(*keys: str) -> tuple[int, int, int]:
    """A colour as (r, g, b): rgb("kaart", "missing")."""
    return _rgb(setting(*keys))


def rgbs(*keys: str) -> list[tuple[int, int, int]]:
    """A list of colours: rgbs("kaart", "palette")."""
    return [_rgb(c) for c in setting(*keys)]


# Below this many inhabitants an area's figures are fragile (see data/settings.toml).
SMALL_AREA: int = int(setting("areas", "small_inhabitants"))
