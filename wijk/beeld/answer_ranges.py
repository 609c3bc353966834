"""The answers a question accepts (solo and workshop alike): a percentage in 0-100, a count or
amount from 0 to a sane maximum, a comparison in -1..1. Anything else is refused ("range"), so one
typing slip (1e308, -5 %) cannot move a group's median or break its chart."""

from __future__ import annotations

# Answer ranges by question kind / unit (low, high); anything else is refused with reason "range".
ANY_RANGE = (-1e9, 1e9)  # a question without a stored spec: finite and sane
RANGES_BY_UNIT = {
    "pct": (0.0, 100.0),
    "per1000": (0.0, 1000.0),
    "eur1000": (0.0, 10_000.0),
    "number": (0.0, 10_000_000.0),
}
COMPARE_RANGE = (-1.0, 1.0)


def answer_range(spec: dict) -> tuple[float, float]:
    """The accepted answers of a question spec (kind/unit as in wijk.beeld.perception.Question)."""
    if spec.get("kind") == "compare":
        return COMPARE_RANGE
    if spec.get("kind") == "pct":
        return RANGES_BY_UNIT["pct"]
    return RANGES_BY_UNIT.get(str(spec.get("unit")), RANGES_BY_UNIT["number"])
