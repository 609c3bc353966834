"""Same area, new code: a buurt crosswalk from geometry (2019 polygons against the approximate 2024
polygons, overlap measured both ways in RD New) checked by population (KWB 2017 against KWB 2024).

Codes are not places (Amsterdam renumbered its buurten in 2022 without moving a line; Rotterdam
reused BU05320102-style codes for other areas). A pair of an old and a new code is one place only when
- geometry: at least `share_min` of the old polygon lies in the new one AND of the new one in the old
  one, and each is the other's best partner; and neither side lost a part: an old buurt holding most
  of another new buurt was split, a new buurt holding most of another old buurt is a merge;
- population, where both are known and the larger is at least `pop_min`: inhabitants 2017 and 2024
  differ by no more than a factor `pop_ratio_max`.
The thresholds are data (data/crosswalk_rules.csv); every pair with its evidence and the rule that
accepted or rejected it is written to data/buurt_crosswalk.csv. Figures of an old code are carried
to its new code only for accepted pairs with a changed code (`carry`), each row keeping the old code.
"""

from __future__ import annotations

import csv
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from wijk.core.boundaries import CARRY_BEFORE, POLYGON_YEAR  # shared with the map, which judges by the same years
from wijk.core.comparability import boundary_changes_since

OLD = "cbs_buurt2019_NL_generalized_wgs84.geojson.gz"
NEW = "buurt2024_NL_approx_georef_wgs84.geojson.gz"
POP_2017 = "kwb2017_83765NED_buurt_income_subset.csv.gz"
POP_2024 = "woonikveilig_kwb2024_crime2021_2025_rivm2012_2024_NL.csv.gz"
RULES_FILE = "crosswalk_rules.csv"
CROSSWALK_FILE = "buurt_crosswalk.csv"
CARRIED_FILE = "carried.parquet"
COLUMNS = [
    "code_2019",
    "code_2024",
    "share_2019",
    "share_2024",
    "inwoners_2017",
    "inwoners_2024",
    "relation",
    "carried",
]
MIN_LISTED = 0.05  # a pair is listed when it holds at least 5% of either polygon
_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


@dataclass(frozen=True)
class Rules:
    share_min: float
    pop_ratio_max: float
    pop_min: float


def load_rules(data: Path) -> Rules:
    with open(data / RULES_FILE, newline="", encoding="utf-8") as fh:
        vals = {r["name"]: float(r["value"]) for r in csv.DictReader(fh)}
    return Rules(vals["share_min"], vals["pop_ratio_max"], vals["pop_min"])


def judge(share_old: float, share_new: float, best_both: bool, inw_old: float, inw_new: float, rules: Rules) -> str:
    """The relation of one pair: 'zelfde' (one place), or why not ('gesplitst', 'samengevoegd',
    'verschoven', 'inwoners'). NaN inhabitants mean unknown: then geometry decides alone."""
    if not best_both or share_old < rules.share_min or share_new < rules.share_min:
        if share_new >= rules.share_min and share_old < rules.share_min:
            return "gesplitst"  # the new area lies within the old one, which holds more: a split
        if share_old >= rules.share_min and share_new < rules.share_min:
            return "samengevoegd"  # the old area lies within the new one, which holds more: a merge
        return "verschoven"
    if pd.notna(inw_old) and pd.notna(inw_new) and max(inw_old, inw_new) >= rules.pop_min:
        low, high = sorted([inw_old, inw_new])
        if low == 0 or high / low > rules.pop_ratio_max:
            return "inwoners"
    return "zelfde"


def _polygons(path: Path) -> tuple[list[str], np.ndarray]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    names, geoms = [], []
    for f in feats:
        g = shape(f["geometry"])
        g = g if g.is_valid else g.buffer(0)
        names.append(str(f["properties"]["statcode"]).strip())
        geoms.append(shapely.transform(g, lambda xy: np.column_stack(_TO_RD.transform(xy[:, 0], xy[:, 1]))))
    return names, np.array(geoms, dtype=object)


def _population(source_dir: Path) -> tuple[pd.Series, pd.Series]:
    p17 = pd.read_csv(source_dir / POP_2017, dtype=str, keep_default_na=False)
    old = pd.to_numeric(p17["AantalInwoners_5"], errors="coerce")
    p24 = pd.read_csv(source_dir / POP_2024, dtype=str, keep_default_na=False)
    new = pd.to_numeric(p24["kwb24_inwoners"], errors="coerce")
    return (
        pd.Series(old.to_numpy(), index=p17["WijkenEnBuurten"].str.strip()),
        pd.Series(new.to_numpy(), index=p24["code"].str.strip()),
    )


def pairs(source_dir: Path, rules: Rules) -> pd.DataFrame:
    """Every overlapping (2019, 2024) pair with its shares, inhabitants and relation."""
    old_codes, old_geoms = _polygons(source_dir / OLD)
    new_codes, new_geoms = _polygons(source_dir / NEW)
    tree = shapely.STRtree(new_geoms)
    i_old, i_new = tree.query(old_geoms, predicate="intersects")
    inter = shapely.area(shapely.intersection(old_geoms[i_old], new_geoms[i_new]))
    frame = pd.DataFrame(
        {
            "code_2019": np.array(old_codes)[i_old],
            "code_2024": np.array(new_codes)[i_new],
            "share_2019": inter / shapely.area(old_geoms[i_old]),
            "share_2024": inter / shapely.area(new_geoms[i_new]),
        }
    )
    frame = frame[(frame["share_2019"] >= MIN_LISTED) | (frame["share_2024"] >= MIN_LISTED)].copy()
    frame["score"] = np.minimum(frame["share_2019"], frame["share_2024"])
    best_old = frame.loc[frame.groupby("code_2019")["score"].idxmax(), ["code_2019", "code_2024"]]
    best_new = frame.loc[frame.groupby("code_2024")["score"].idxmax(), ["code_2019", "code_2024"]]
    both = set(map(tuple, best_old.to_numpy())) & set(map(tuple, best_new.to_numpy()))
    inw_old, inw_new = _population(source_dir)
    frame["inwoners_2017"] = frame["code_2019"].map(inw_old)
    frame["inwoners_2024"] = frame["code_2024"].map(inw_new)
    frame["relation"] = [
        judge(so, sn, (o, n) in both, io, inn, rules)
        for o, n, so, sn, io, inn in zip(
            frame["code_2019"],
            frame["code_2024"],
            frame["share_2019"],
            frame["share_2024"],
            frame["inwoners_2017"],
            frame["inwoners_2024"],
        )
    ]
    frame["relation"] = _whole_only(frame)
    frame["carried"] = ((frame["relation"] == "zelfde") & (frame["code_2019"] != frame["code_2024"])).astype(int)
    frame["share_2019"] = frame["share_2019"].round(3)
    frame["share_2024"] = frame["share_2024"].round(3)
    return frame[COLUMNS].sort_values(["code_2019", "code_2024"]).reset_index(drop=True)


def _whole_only(frame: pd.DataFrame) -> pd.Series:
    """A pair is one place only when neither side lost a part: an old buurt that holds most of another
    new buurt was split, a new buurt that holds most of another old buurt is a merge, even when one
    part keeps 80% of the area (its figures then describe more or less than the new buurt)."""
    split = set(frame.loc[frame["relation"] == "gesplitst", "code_2019"])
    merged = set(frame.loc[frame["relation"] == "samengevoegd", "code_2024"])
    rel = frame["relation"].copy()
    same = rel == "zelfde"
    rel[same & frame["code_2019"].isin(split)] = "gesplitst"
    rel[same & frame["code_2024"].isin(merged)] = "samengevoegd"
    return rel


def listed(frame: pd.DataFrame) -> pd.DataFrame:
    """The pairs written to data/: every pair between different codes that holds at least half of
    either polygon, and every same-code pair that is not one place (a reused or changed code).
    (Same-code pairs that are one place are the rule and only counted.)"""
    same_code = frame["code_2019"] == frame["code_2024"]
    big = (frame["share_2019"] >= 0.5) | (frame["share_2024"] >= 0.5)
    return frame[(~same_code & big) | (same_code & (frame["relation"] != "zelfde"))]


def carry(values: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Rows of old codes on an indeling before 2022, copied under the new code of an accepted pair,
    with `carried_from` = the old code. A row the new code already has (same year and indicator) wins."""
    accepted = crosswalk[crosswalk["carried"] == 1]
    if accepted.empty:
        return values.iloc[0:0].assign(carried_from=pd.Series(dtype=str))
    to_new = dict(zip(accepted["code_2019"], accepted["code_2024"]))
    by = values["boundary_year"].astype(int) if "boundary_year" in values.columns else values["year"].astype(int)
    old = values[values["code"].astype(str).isin(to_new.keys()) & (by < CARRY_BEFORE)].copy()
    # the polygons are of 2019: a figure on an earlier indeling whose code was set anew by 2019 (Groningen's
    # redivision) describes another area than the 2019 polygon, so it is not carried
    by_old = old["boundary_year"].astype(int) if "boundary_year" in old.columns else old["year"].astype(int)
    redone = [bool(boundary_changes_since(str(c), int(b), POLYGON_YEAR)) for c, b in zip(old["code"], by_old)]
    old = old[~np.array(redone, dtype=bool)]
    old["carried_from"] = old["code"].astype(str)
    old["code"] = old["carried_from"].map(to_new)
    have = set(zip(values["code"].astype(str), values["year"].astype(int), values["indicator"].astype(str)))
    keep = [(c, int(y), str(i)) not in have for c, y, i in zip(old["code"], old["year"], old["indicator"])]
    old = old[keep]
    return old.sort_values(["code", "year", "indicator"]).reset_index(drop=True)


def build(source_dir: Path, data: Path, out_dir: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """Write data/buurt_crosswalk.csv; return all pairs and a summary (counts per relation)."""
    if not all((source_dir / f).exists() for f in (OLD, NEW, POP_2017, POP_2024)):
        return pd.DataFrame(columns=COLUMNS), {}
    frame = pairs(source_dir, load_rules(data))
    listed(frame).to_csv(out_dir / CROSSWALK_FILE, index=False, lineterminator="\n")
    summary = {f"crosswalk_{k}": int(v) for k, v in frame["relation"].value_counts().sort_index().items()}
    summary["crosswalk_carried_pairs"] = int(frame["carried"].sum())
    return frame, summary
