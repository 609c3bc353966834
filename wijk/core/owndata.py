"""Own (local) figures a user brought: the contract every screen uses to show them beside CBS.

A OwnDataset is what the 'Eigen data' page produces after validation and suppression. Other
screens only read it: `wijk.ui.session_owndata.active_datasets()` returns the ones in this session.
Values that were suppressed for privacy are None with `suppressed=True`, never 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from wijk.core.store import Figure

OWN_PREFIX = "local:"


@dataclass(frozen=True)
class OwnIndicator:
    id: str  # always starts with 'local:'
    label: str
    unit: str  # count | pct | per1000
    source: str  # what the user said the figures come from
    role: str = "context"  # context | risk | protective | outcome (the user chooses)
    unfavourable: str = ""  # 'high' | 'low' | '' (unknown): which direction is unfavourable

    def label_for(self, _lang: str = "nl") -> str:
        """The user's own label: the same in every language (the signature of Indicator.label)."""
        return self.label


@dataclass
class OwnDataset:
    name: str
    source: str
    indicators: list[OwnIndicator]
    # long: code, year, indicator, value (NaN when suppressed or missing), suppressed (bool)
    values: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["code", "year", "indicator", "value", "suppressed"])
    )
    # (count, denominator) thresholds the values were suppressed with; None = not (yet) suppressed
    suppressed_with: tuple[int, int] | None = None
    created: str = ""  # ISO date it was shared with colleagues ('' = only in this session)

    def indicator(self, indicator_id: str) -> OwnIndicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def years(self) -> list[int]:
        return sorted(int(y) for y in self.values["year"].unique())

    def codes(self, year: int) -> set[str]:
        """The areas the upload has a row for in this year (with a value, suppressed or not)."""
        return set(self.values.loc[self.values["year"] == year, "code"])

    def figure(self, code: str, year: int, indicator_id: str) -> Figure:
        rows = self.values[
            (self.values["code"] == code) & (self.values["year"] == year) & (self.values["indicator"] == indicator_id)
        ]
        ind = self.indicator(indicator_id)
        if rows.empty or ind is None:
            return Figure(
                code,
                year,
                indicator_id,
                None,
                table=self.source,
                variable=ind.label if ind else "",
                source=self.name,
                method="local",
            )
        row = rows.iloc[0]
        value = None if pd.isna(row["value"]) else float(row["value"])
        return Figure(
            code,
            year,
            indicator_id,
            value,
            table=self.source,
            variable=ind.label,
            source=self.name,
            method="local",
            suppressed=bool(row["suppressed"]),
        )

    def wide(self, year: int) -> pd.DataFrame:
        sub = self.values[self.values["year"] == year]
        return sub.pivot_table(index="code", columns="indicator", values="value", aggfunc="first")


def dataset_for(datasets: Iterable[OwnDataset], indicator_id: str) -> OwnDataset | None:
    """The own dataset that holds this (local:) indicator, if any."""
    return next((ds for ds in datasets if ds.indicator(indicator_id) is not None), None)
