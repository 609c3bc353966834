"""A user's own facilities from a CSV: name, type, and lat/lon (WGS84) or x/y (RD New, EPSG:28992).

Bad rows are reported one by one (row number as in a spreadsheet, header = row 1) and the good ones
kept. Names are plain text: control characters removed and length capped; the map shows them
through text tooltips (wijk.kaart.maps), so no markup in a name is ever run.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

import pandas as pd

from wijk.core.text import plain
from wijk.kaart.geo import rd_to_wgs84

MAX_ROWS = 5000
MAX_BYTES = 2_000_000
ALIASES = {
    "name": ("name", "naam"),
    "type": ("type", "soort", "kind"),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lon": ("lon", "lng", "longitude", "lengtegraad"),
    "x": ("x", "rd_x", "x_rd"),
    "y": ("y", "rd_y", "y_rd"),
}
NL_LON, NL_LAT = (3.0, 7.5), (50.6, 53.8)
RD_X, RD_Y = (0.0, 300_000.0), (300_000.0, 630_000.0)


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row (header is 1)
    key: str  # i18n key: kaart_upload_err_*
    detail: str = ""


@dataclass
class UploadResult:
    facilities: pd.DataFrame  # kind='eigen', name, subtype (the user's type), lon, lat
    errors: list[RowError] = field(default_factory=list)
    fatal: str | None = None  # i18n key when the file as a whole cannot be read


def _number(text: str) -> float | None:
    text = (text or "").strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # Dutch decimal comma
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _columns(header: list[str]) -> dict[str, int]:
    norm = [h.strip().lower().lstrip("\ufeff") for h in header]
    return {key: norm.index(a) for key, names in ALIASES.items() for a in names if a in norm}


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["kind", "name", "subtype", "lon", "lat"])


def parse(data: bytes | str) -> UploadResult:
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            return UploadResult(_empty(), fatal="kaart_upload_err_too_big")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        data = text
    lines = data.splitlines()
    if not lines:
        return UploadResult(_empty(), fatal="kaart_upload_err_empty")
    delim = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(data), delimiter=delim))
    cols = _columns(rows[0])
    has_ll, has_rd = {"lat", "lon"} <= set(cols), {"x", "y"} <= set(cols)
    if "name" not in cols or not (has_ll or has_rd):
        return UploadResult(_empty(), fatal="kaart_upload_err_columns")
    good, errors = [], []
    for n, row in enumerate(rows[1 : MAX_ROWS + 1], start=2):
        if not any(c.strip() for c in row):
            continue

        def cell(k: str, row: list[str] = row) -> str:
            return row[cols[k]] if k in cols and cols[k] < len(row) else ""

        name = plain(cell("name"), 120)
        if not name:
            errors.append(RowError(n, "kaart_upload_err_name"))
            continue
        lat, lon = _number(cell("lat")), _number(cell("lon"))
        x, y = _number(cell("x")), _number(cell("y"))
        if lat is not None and lon is not None:
            if not (NL_LAT[0] <= lat <= NL_LAT[1] and NL_LON[0] <= lon <= NL_LON[1]):
                errors.append(RowError(n, "kaart_upload_err_outside", f"{lat}, {lon}"))
                continue
        elif x is not None and y is not None:
            if not (RD_X[0] <= x <= RD_X[1] and RD_Y[0] <= y <= RD_Y[1]):
                errors.append(RowError(n, "kaart_upload_err_outside", f"x={x}, y={y}"))
                continue
            lon, lat = rd_to_wgs84(x, y)
        else:
            errors.append(RowError(n, "kaart_upload_err_coords", plain(cell("lat") or cell("x"), 30)))
            continue
        good.append(
            {
                "kind": "eigen",
                "name": name,
                "subtype": plain(cell("type"), 60),
                "lon": round(float(lon), 6),
                "lat": round(float(lat), 6),
            }
        )
    if len(rows) - 1 > MAX_ROWS:
        errors.append(RowError(MAX_ROWS + 2, "kaart_upload_err_too_many", str(MAX_ROWS)))
    frame = pd.DataFrame(good) if good else _empty()
    return UploadResult(frame, errors)
