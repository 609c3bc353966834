"""What users of one server can see together: earlier sets of the same measure, and the check before sharing.

Two indicators of different uploads are the same measure when their labels (any case, spaces
collapsed) and units are equal; the cells they show or hide are then one attacker's knowledge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import cast

import pandas as pd

from wijk.core.owndata import OwnDataset, OwnIndicator
from wijk.owndata.differencing import Seen, Unprotectable, partners


def measure(ind: OwnIndicator) -> tuple[str, str]:
    """What makes two indicators of different uploads the same measure: the label (any case) and the unit."""
    return (" ".join(ind.label.split()).casefold(), ind.unit)


def seen_before(inds: list[OwnIndicator], prior: Sequence[OwnDataset]) -> dict[tuple[str, int], Seen]:
    """Per (indicator id, year) of this upload: what earlier sets show or hide of the same measure."""
    by_measure = {measure(i): i.id for i in inds if i.unit == "count"}
    out: dict[tuple[str, int], Seen] = {}
    for ds in prior:
        ids = {i.id: by_measure[measure(i)] for i in ds.indicators if measure(i) in by_measure}
        v = ds.values[ds.values["indicator"].isin(list(ids))]
        for ind, year, code, value, hidden in zip(v["indicator"], v["year"], v["code"], v["value"], v["suppressed"]):
            seen = out.setdefault((ids[ind], int(year)), Seen())
            if bool(hidden):
                seen.hidden.add(str(code))
            elif pd.notna(value):
                seen.shown.setdefault(str(code), float(value))
    for seen in out.values():
        seen.hidden -= set(seen.shown)
    return out


def exposed(
    ds: OwnDataset, prior: Sequence[OwnDataset], count: int, children: Callable[[str, int], Iterable[str]]
) -> str | None:
    """The area under which a hidden count of `ds` or of `prior` would follow from them together (None: nothing).

    Checked again just before sharing: another user may have shared the same measure since `ds`
    was processed. Nothing is hidden here; the caller refuses."""
    seen = seen_before(ds.indicators, prior)
    v = ds.values
    counts = {i.id for i in ds.indicators if i.unit == "count"}
    for key, sub in v[v["indicator"].isin(list(counts))].groupby(["indicator", "year"], sort=False):
        ind, year = cast(tuple[str, int], key)  # a group's key: one value per grouper
        values = {str(c): float(x) for c, x in zip(sub["code"], sub["value"])}
        hidden = {str(c) for c, h in zip(sub["code"], sub["suppressed"]) if bool(h)}
        try:
            partners(values, hidden, count, _in_year(children, int(year)), seen.get((ind, year)), hide=False)
        except Unprotectable as err:
            return err.code
    return None


def _in_year(children: Callable[[str, int], Iterable[str]], year: int) -> Callable[[str], Iterable[str]]:
    return lambda area: children(area, year)
