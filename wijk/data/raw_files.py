"""Raw files in <local>/raw/: one wide CSV per table and year, rows replaced per area, written atomically."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from wijk.data import cbs


def merge_raw(path: Path, frame: pd.DataFrame, key: str) -> None:
    """Replace the rows of these areas in one raw file, atomically (write aside, then rename)."""
    if frame.empty:
        return
    frame = frame.copy()
    frame[key] = frame[key].map(cbs.area_code)
    frame = frame.astype(str).replace({"nan": "", "None": "", "<NA>": ""})
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False)
        old = old.rename(columns=renumbered(list(old.columns), list(frame.columns)))
        frame = pd.concat([old[~old[key].isin(set(frame[key]))], frame], ignore_index=True)
    tmp = path.with_name(path.name + ".part")
    frame.to_csv(tmp, index=False, compression="gzip")
    os.replace(tmp, path)


def drop_rows(path: Path, areas: set[str], key: str) -> None:
    """Remove these areas' rows from one raw file (the file goes when none are left), atomically."""
    old = pd.read_csv(path, dtype=str, keep_default_na=False)
    kept = old[~old[key].isin(areas)]
    if kept.empty:
        path.unlink()
    elif len(kept) < len(old):
        tmp = path.with_name(path.name + ".part")
        kept.to_csv(tmp, index=False, compression="gzip")
        os.replace(tmp, path)


def renumbered(old: list[str], new: list[str]) -> dict[str, str]:
    """Old column -> new column where CBS renumbered a variable between two releases of one table
    (GemiddeldInkomenPerInwoner_83 became _78): the n-th column of a stem in the old file is the n-th of that
    stem in the new one, when both hold the stem equally often. Otherwise the rows refreshed earlier would
    keep the variable under a name the reader no longer maps."""

    def by_stem(columns: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        numbered = [c for c in columns if re.search(r"_\d+$", c)]
        for c in sorted(numbered, key=lambda c: int(c.rsplit("_", 1)[1])):
            out.setdefault(re.sub(r"_\d+$", "", c), []).append(c)
        return out

    before, after = by_stem(old), by_stem(new)
    return {
        o: n
        for s, olds in before.items()
        if len(after.get(s, [])) == len(olds)
        for o, n in zip(olds, after[s])
        if o != n
    }
