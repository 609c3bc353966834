"""The dots on the map: which facilities are near what is drawn, their records with tooltips, their legend.

Pure logic (no Streamlit). The embedded facilities near a gemeente's layer and their records depend only
on the gemeente, level, year and language, so the UI boundary prepares them once (wijk.kaart.model.prepare).
"""

from __future__ import annotations

import pandas as pd

from wijk.core import settings
from wijk.core.catalogue import format_value
from wijk.core.i18n import load_labels, t
from wijk.kaart import geo, maps

# Facility kinds in legend order (data/settings.toml); regular and special education are separate
# layers (DUO school locations, all NL), school kinds show a pupil count.
KINDS = tuple(settings.setting("kaart", "kinds"))
SCHOOL_KINDS = tuple(k for k, spec in settings.setting("kaart", "kinds").items() if spec.get("school"))
OWN_KIND = "eigen"  # the kind of the user's own points


def facilities(frame: pd.DataFrame, features: list[dict]) -> pd.DataFrame:
    """The embedded facilities near the given areas (the user's own points join them per run, see
    model.build_view: the embedded ones are prepared once per map)."""
    found = geo.within_bounds(frame, features)
    return found if not found.empty else frame.iloc[0:0]


def own(uploaded: pd.DataFrame) -> pd.DataFrame:
    """The user's points in the embedded facilities' columns."""
    return uploaded.assign(year=None, source=OWN_KIND, licence="")


def pupils_wording(lang: str):
    """A function giving the tooltip line for a pupil count (None: DUO has no count)."""

    def word(n: int | None) -> str:
        if n is None:
            return t("kaart_pupils_unknown", lang)
        return t("kaart_pupils", lang, n=format_value(n, "count", lang))

    return word


def subtype_text(kind: str, subtype: object, lang: str) -> str:
    """A point's type after its kind in the tooltip: DUO's school types (VBO/MAVO, SO) as they are;
    nothing where it only repeats the kind (basisschool, SBAO) or is a BAG use code
    (onderwijsfunctie); OpenStreetMap's horeca tags (fast_food, pub) in words."""
    if not isinstance(subtype, str) or not subtype.strip() or kind in ("basisschool", "sbao", "onderwijs"):
        return ""
    if kind == "horeca":
        key = f"kaart_horeca_{subtype}"
        return t(key, lang) if key in load_labels() else subtype.replace("_", " ")
    return subtype


def records(frame: pd.DataFrame, lang: str) -> dict[str, list[dict]]:
    """The point records (position and tooltip) of every kind in the frame, by kind."""
    word = pupils_wording(lang)
    return {
        str(k): maps.facility_records(
            g.assign(subtype=[subtype_text(str(k), s, lang) for s in g["subtype"]]),
            t(f"kaart_kind_{k}", lang),
            word if k in SCHOOL_KINDS else None,
        )
        for k, g in frame.groupby("kind", sort=True)
    }


def legend(kinds: dict[str, int], selected: str | None, names: dict[str, str], lang: str) -> list[dict]:
    """The legend of the dots (one entry per kind shown, with its count) and of the chosen area's outline."""
    point_legend = [
        {
            "color": maps.kind_color(k),
            "shape": "dot",
            "label": f"{t(f'kaart_kind_{k}', lang)} ({format_value(n, 'count', lang)})",
        }
        for k, n in sorted(kinds.items(), key=lambda kv: KINDS.index(kv[0]) if kv[0] in KINDS else 99)
    ]
    if selected and selected in names:
        point_legend.append(
            {
                "color": "#{:02x}{:02x}{:02x}".format(*maps.SELECTED),
                "shape": "outline",
                "label": t("kaart_legend_selected", lang, area=f"{names[selected]} ({selected})"),
            }
        )
    return point_legend
