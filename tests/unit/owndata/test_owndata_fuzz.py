"""Malformed files thrown at the own-data loader: never a crash, never live HTML or formulas.

Seeded randomness (reproducible). Every input either reads (and then validates without raising)
or raises ReadError with an i18n key that exists.
"""

from __future__ import annotations

import csv
import io
import random
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from wijk.core.i18n import load_labels
from wijk.core.safe_export import to_csv_bytes
from wijk.core.text import md
from wijk.owndata.model import ColumnSpec, Mapping, process, result_frame
from wijk.owndata.read import ReadError, read_upload

FIX = Path(__file__).resolve().parents[2] / "fixtures"
GOOD = (FIX / "owndata_madeup_good.csv").read_bytes()
HTML = '<img src=x onerror="alert(1)"><script>alert(2)</script>[link](javascript:alert(3))'


def _try(store, name: str, data: bytes) -> None:
    """Read, map the first column as code and the others as counts, process, render, export."""
    try:
        raw = read_upload(name, data)
    except ReadError as err:
        assert err.key in load_labels()
        return
    cols = raw.columns
    specs = tuple(ColumnSpec(c, f"{HTML} {i}", "pct" if i % 2 else "count") for i, c in enumerate(cols[1:4]))
    res = process(raw, Mapping(HTML, HTML, cols[0], specs, year=2024), store)
    for issue in res.issues:
        assert issue.key in load_labels() and len(issue.value) <= 41
    if res.dataset is not None and not res.dataset.values.empty:
        frame = result_frame(res.dataset, store, "nl")
        _assert_no_formula(to_csv_bytes(frame, [f"Bron: {HTML}"]))


def _assert_no_formula(data: bytes) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    for row in rows:
        for cell in row:
            assert not re.match(r"^[=+\-@\t\r]", cell) or re.fullmatch(r"-?\d+([.,]\d+)?", cell), cell


@pytest.mark.parametrize("seed", range(40))
def test_random_bytes(store, seed):
    rnd = random.Random(seed)
    data = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 3000)))
    _try(store, rnd.choice(["x.csv", "x.xlsx", "x.txt", "x"]), data)


@pytest.mark.parametrize("seed", range(20))
def test_mutated_csv(store, seed):
    rnd = random.Random(seed)
    data = bytearray(GOOD)
    for _ in range(rnd.randrange(1, 20)):
        data[rnd.randrange(len(data))] = rnd.choice(b';,"\n\r\x00\xff=<>abc0123456789')
    _try(store, "m.csv", bytes(data))


def test_truncated_csv_at_every_length(store):
    for n in range(0, len(GOOD) + 1, 7):
        _try(store, "t.csv", GOOD[:n])


def test_truncated_and_mutated_xlsx(store):
    data = (FIX / "owndata_madeup_formula.xlsx").read_bytes()
    for n in (0, 4, 100, len(data) // 2, len(data) - 10):
        _try(store, "t.xlsx", data[:n])
    rnd = random.Random(7)
    for _ in range(10):
        b = bytearray(data)
        for _ in range(5):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        _try(store, "m.xlsx", bytes(b))


def test_formula_cells_and_long_fields(store):
    wb = Workbook()
    ws = wb.active
    ws.append(["code", '=HYPERLINK("http://evil.invalid","klik")', "n", "x" * 5000])
    ws.append(['=HYPERLINK("http://evil.invalid","GM0014")', "=1+1", "@SUM(A1)", "y" * 100_000])
    ws.append(["GM0014", "=cmd|' /C calc'!A0", "-2+3", "+cmd"])
    buf = io.BytesIO()
    wb.save(buf)
    _try(store, "f.xlsx", buf.getvalue())
    raw = read_upload("f.xlsx", buf.getvalue())
    assert len(raw.columns[1]) <= 80 and len(raw.columns[3]) <= 80
    long_csv = ("code;n;t\nGM0014;" + "9" * 200_000 + ";" + "z" * 1_000_000 + "\n").encode()
    _try(store, "l.csv", long_csv)
    _try(store, "q.csv", b'code;n\n"GM0014;5\n')  # unterminated quote


def test_formula_text_neutralised_in_exports(store):
    raw = read_upload("e.csv", b"code;n\nGM0014;12\nWK001401;30\n")
    res = process(
        raw,
        Mapping(
            "=cmd|'/C calc'!A0", "@SUM(1)", "code", (ColumnSpec("n", '=HYPERLINK("http://x")', "count"),), year=2024
        ),
        store,
    )
    frame = result_frame(res.dataset, store, "nl")
    data = to_csv_bytes(frame, [f"Bron: {res.dataset.source}"])
    assert b"'=HYPERLINK" in data and b"# '@SUM(1)" not in data  # header line starts with '# Bron'
    _assert_no_formula(data)


def test_html_in_labels_is_escaped_for_markdown():
    shown = md(HTML)
    assert "<" not in shown.replace("\\<", "") and ">" not in shown.replace("\\>", "")
    assert "](" not in shown and "[" not in shown.replace("\\[", "")


def _generated(n: int, seed: int = 16):
    """n generated upload files (made-up content): mutations, truncations and splices of the good
    CSV, the hostile corpus and an .xlsx, random bytes, random separators, encodings and cells."""
    rnd = random.Random(seed)
    hostile = FIX / "hostile"
    bases = [GOOD, (FIX / "owndata_madeup_formula.xlsx").read_bytes()] + [
        p.read_bytes() for p in sorted(hostile.iterdir()) if p.suffix in (".csv", ".xlsx") and p.stat().st_size < 20_000
    ]
    cells = [
        "BU00140107",
        "WK001401",
        "GM0014",
        "BU99999999",
        "2024",
        "2017",
        "12",
        "3",
        "1,2,3",
        "1.2.3",
        "12,5",
        "1.450",
        "-4",
        "=1+1",
        "@A1",
        "",
        ".",
        "x",
        HTML,
        "9" * 40,
        "\u202eevil",
        "1e309",
        "NaN",
    ]
    for i in range(n):
        kind = i % 5
        if kind == 0:  # byte mutation of a base file
            data = bytearray(rnd.choice(bases))
            for _ in range(rnd.randrange(1, 12)):
                if data:
                    data[rnd.randrange(len(data))] = rnd.randrange(256)
            yield rnd.choice(["m.csv", "m.xlsx", "m"]), bytes(data)
        elif kind == 1:  # truncation or splice
            a, b = rnd.choice(bases), rnd.choice(bases)
            yield rnd.choice(["t.csv", "t.xlsx"]), a[: rnd.randrange(len(a) + 1)] + b[rnd.randrange(len(b) + 1) :]
        elif kind == 2:  # random table, random separator and encoding
            sep = rnd.choice([";", ",", "\t", "|"])
            rows = [[rnd.choice(cells) for _ in range(rnd.randrange(1, 6))] for _ in range(rnd.randrange(1, 12))]
            text = "\n".join(sep.join(r) for r in rows)
            enc = rnd.choice(["utf-8", "utf-8-sig", "utf-16", "cp1252"])
            yield "g.csv", text.encode(enc, errors="replace")
        elif kind == 3:  # random bytes
            yield (
                rnd.choice(["r.csv", "r.xlsx", "r.txt"]),
                bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 400))),
            )
        else:  # a well-formed table of hostile cells under real-looking headers
            body = [["gebiedscode", "jaar", "aantal", "pct"]] + [
                [rnd.choice(cells[:4]), rnd.choice(["2024", "2017", "x"]), rnd.choice(cells), rnd.choice(cells)]
                for _ in range(rnd.randrange(1, 8))
            ]
            yield "w.csv", "\n".join(";".join(r) for r in body).encode()


def test_a_thousand_generated_files_never_crash(store):
    """>= 1,000 files, 0 crashes: each reads to a table or raises ReadError with a known key."""
    n = 0
    for name, data in _generated(1200):
        _try(store, name, data)
        n += 1
    assert n == 1200
