"""Secondary suppression against differencing: which shown counts must be hidden as well.

The model, for the counts of one measure and year (all rows of an upload, together with what users
of the server can already see of the same measure: `Seen`):
- Every area in any of these sets is a cell. A cell's parent is its nearest ancestor among the
  cells; an attacker may assume a parent equals the sum of its children.
- When the real hierarchy is known (`children`), a parent whose children among the cells do not
  cover all its real sub-areas gets a *rest* cell: parent minus the children present (the rows
  missing from the file). A rest under the count threshold is protected like a hidden cell; a
  larger rest is assumed known (the attacker may have it from elsewhere); a rest whose value is
  unknown (a term hidden in another set) is protected.
- A cell is known when any set shows it; every hidden cell that no set shows is protected. A
  cell shown before with a value that differs by less than the threshold (another month, say)
  is hidden here: the change is a small number too.
The sums are a tree of equations. Each unknown cell appears in at most two of them (as a child
and as a parent), so the system is a graph: equations are vertices, unknown cells are edges, a
cell in one equation only is an edge to a free vertex. A cell's value follows from the known ones
exactly when its edge is a bridge (it lies on no cycle). While a protected edge is a bridge, the
cheapest shown cell of this upload whose edge closes a cycle around it is hidden too. Each tree (a
gemeente) is solved on its own, so the cost grows with the file, not its square.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from wijk.core import codes

FREE = ""  # the free vertex: the other end of a cell that appears in one equation only
Children = Callable[[str], Iterable[str]]  # the real sub-areas of an area (one year)


class Unprotectable(ValueError):
    """A hidden value would follow from what is shown elsewhere, and no cell of this upload can prevent it."""

    def __init__(self, code: str) -> None:
        super().__init__(f"a hidden value under {code} cannot be protected")
        self.code = code


@dataclass
class Seen:
    """What users of the server can already see of one measure and year: shown values and hidden cells."""

    shown: dict[str, float] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)


@lru_cache(maxsize=1 << 16)
def _chain(code: str) -> tuple[str, ...]:
    """codes.chain, remembered: every cell's ancestors are asked for several times per upload."""
    return tuple(codes.chain(code))


def nearest_parents(cells: Iterable[str]) -> dict[str, str]:
    """Each cell's nearest ancestor among the cells (cells without one are left out)."""
    present = set(cells)
    out: dict[str, str] = {}
    for code in present:
        for up in _chain(code)[1:]:
            if up in present:
                out[code] = up
                break
    return out


def partners(
    values: Mapping[str, float],
    hidden: set[str],
    count: int,
    children: Children | None = None,
    seen: Seen | None = None,
    hide: bool = True,
) -> set[str]:
    """Cells of this upload to hide besides `hidden` so that no protected value can be worked out.

    `values` maps every cell of the upload (one measure and year) to its value, hidden or not.
    Raises Unprotectable when hiding cells of this upload cannot prevent it (the values it would
    need are shown by other sets), or at once when `hide` is False (a check of what is shown)."""
    seen = seen or Seen()
    changed = {c for c, v in values.items() if c not in hidden and _small_change(v, seen.shown.get(c), count)}
    hidden = hidden | changed
    cells = set(values) | set(seen.shown) | seen.hidden
    problem = _Problem(values, seen, count, children, hide)
    if children is not None:
        problem.between(cells)
        cells |= set(problem.virtual)
    parent = nearest_parents(cells)
    trees: dict[str, list[str]] = defaultdict(list)
    for code in cells:
        top = code
        while top in parent:
            top = parent[top]
        trees[top].append(code)
    now_hidden = set(hidden)
    for top, members in trees.items():
        if any(c in values for c in members):
            _solve(top, members, parent, now_hidden, problem)
    return now_hidden - (hidden - changed)


def _small_change(value: float, before: float | None, count: int) -> bool:
    """A value shown before (an earlier version, another month) that changed by less than the threshold."""
    return before is not None and math.isfinite(value) and 0 < abs(value - before) < count


@dataclass
class _Problem:
    """One measure and year: the upload's values, what others see, and areas no set has (virtual)."""

    values: Mapping[str, float]
    seen: Seen
    count: int
    children: Children | None
    hide: bool
    virtual: dict[str, float | None] = field(default_factory=dict)

    def between(self, cells: set[str]) -> None:
        """Areas in no set between a cell and its nearest ancestor among the cells (a wijk row missing
        between a gemeente and its buurten): cells too, with the sum of their sub-areas when known."""
        for code in cells:
            chain = _chain(code)[1:]
            top = next((i for i, up in enumerate(chain) if up in cells), None)
            for up in chain[: top or 0]:
                self.virtual.setdefault(up, None)
        for area in sorted(self.virtual, key=lambda c: -len(_chain(c))):
            self.virtual[area] = self._sum(area)

    def _sum(self, area: str) -> float | None:
        assert self.children is not None  # only called with the hierarchy known
        subs = list(self.children(area))
        parts = [self.value(s) for s in subs]
        return sum(p for p in parts if p is not None) if subs and None not in parts else None

    def value(self, c: str) -> float | None:
        """The cell's value where this upload or another set has it (None: hidden everywhere, unknown)."""
        value = self.values[c] if c in self.values else self.seen.shown.get(c, self.virtual.get(c))
        return value if value is not None and math.isfinite(value) else None


SPLIT = 300  # a tree larger than this solves its subtrees first, so the whole-tree passes are few


def _solve(top: str, members: list[str], parent: dict[str, str], hidden: set[str], problem: _Problem) -> None:
    """Partners for one tree, added to `hidden`: each subtree under the top on its own first (when
    large), then the whole."""
    if len(members) > SPLIT:
        below: dict[str, list[str]] = defaultdict(list)
        for c in members:
            up = c
            while up in parent and parent[up] != top:
                up = parent[up]
            if up != top:
                below[up].append(c)
        for sub_top, sub in below.items():  # each without the top's sum (its members do not hold the top)
            _solve(sub_top, sub, parent, hidden, problem)
    hidden |= _Tree(members, parent, hidden, problem).protect()


class _Tree:
    """One tree of sums (a gemeente, say) as a graph of equations; see the module docstring."""

    def __init__(self, members: list[str], parent: dict[str, str], hidden: set[str], problem: _Problem) -> None:
        self.cells = set(members)
        self.parent = {c: parent[c] for c in members if parent.get(c) in self.cells}
        self.kids: dict[str, list[str]] = defaultdict(list)
        for c, p in self.parent.items():
            self.kids[p].append(c)
        self.problem, self.values, self.seen = problem, problem.values, problem.seen
        self.hidden = {c for c in members if c in hidden}
        self.edges: dict[str, tuple[str, str]] = {}
        for c in sorted(members):
            if not self._known(c):
                self._add_edge(c)
        if problem.children is not None:
            self.rows_below: dict[str, list[str]] = defaultdict(list)
            for c in members:
                above = self._row_above(c)
                if c not in problem.virtual and above is not None:
                    self.rows_below[above].append(c)
            for p in sorted(self.kids):
                covered, rest = self._rest(p, problem.children)
                if not covered and (rest is None or rest < problem.count):
                    self.edges["rest:" + p] = (p, self._rest_end(p))
            ends = defaultdict(list)
            for name, (_, end) in self.edges.items():
                if end.startswith("sum:"):
                    ends[end].append(name)
            for names in ends.values():
                if len(names) == 1:  # the only rest under its row: it is that row's known, not small rest
                    del self.edges[names[0]]

    def _known(self, c: str) -> bool:
        """Shown by some set (an area in no set is never known: it is an edge, protected when small)."""
        if c in self.problem.virtual:
            return False
        return c in self.seen.shown or (c in self.values and c not in self.hidden)

    def _protected(self, name: str) -> bool:
        """Every unknown value is protected except an area in no set whose sum is known and not small."""
        value = self.problem.virtual.get(name, -math.inf) if name in self.problem.virtual else None
        return value is None or value < self.problem.count

    def _hideable(self, c: str) -> bool:
        return self.problem.hide and c in self.values and c not in self.hidden and c not in self.seen.shown

    def _value(self, c: str) -> float | None:
        return self.problem.value(c)

    def _ends(self, c: str) -> tuple[str, str]:
        return (self.parent.get(c, FREE), c if c in self.kids else FREE)

    def _add_edge(self, c: str) -> None:
        ends = self._ends(c)
        if ends != (FREE, FREE):
            self.edges[c] = ends

    def _rest(self, p: str, children: Children) -> tuple[bool, float | None]:
        """(covered, rest): whether the children present cover all sub-areas; else parent minus them (None: unknown)."""
        if all(self._covered(s, children) for s in children(p)):
            return True, None
        terms = [self._value(p), *(self._value(k) for k in self.kids[p])]
        known = [float(v) for v in terms if v is not None]
        if len(known) < len(terms):
            return False, None
        return False, known[0] - sum(known[1:])

    def _rest_end(self, p: str) -> str:
        """Where a rest edge ends: at FREE, or, when the file's own rest of the row above is known and not
        small (the row minus the rows under it in the sets: an attacker may take it as known), at a
        vertex for that sum, which ties the rests under one row together."""
        owner = p
        while owner in self.problem.virtual and owner in self.parent:
            owner = self.parent[owner]
        terms = [self._value(owner), *(self._value(c) for c in self.rows_below.get(owner, []))]
        known = [float(v) for v in terms if v is not None]
        if len(known) < len(terms) or known[0] - sum(known[1:]) < self.problem.count:
            return FREE
        return "sum:" + owner

    def _row_above(self, c: str) -> str | None:
        """The nearest ancestor of a cell that some set has a row for (skipping areas in no set)."""
        up = self.parent.get(c)
        while up is not None and up in self.problem.virtual:
            up = self.parent.get(up)
        return up

    def _covered(self, area: str, children: Children) -> bool:
        """Whether the area is a cell, or all its sub-areas are covered by cells."""
        if area in self.cells:
            return True
        subs = list(children(area))
        return bool(subs) and all(self._covered(s, children) for s in subs)

    def protect(self) -> set[str]:
        extra: set[str] = set()
        while True:
            bridges = {b for b in _bridges(self.edges) if self._protected(b)}
            if not bridges:
                return extra
            name = min(bridges)
            pick = self._partner(name)
            if pick is None:
                raise Unprotectable(name.removeprefix("rest:"))
            self.hidden.add(pick)
            extra.add(pick)
            self._add_edge(pick)

    def _partner(self, name: str) -> str | None:
        """The cheapest hideable cell whose edge closes a cycle around bridge `name` (its own sums first)."""
        u, v = self.edges[name]
        side = _reach(self.edges, u, without=name)
        ends = {u, v} - {FREE}
        near = [c for e in ends for c in (e, *self.kids.get(e, []))]
        for pool in (near, sorted(self.cells)):
            fits = [c for c in pool if self._hideable(c) and ((self._ends(c)[0] in side) != (self._ends(c)[1] in side))]
            if fits:
                return min(fits, key=lambda c: (self.values[c], codes.level_of(c) == "gemeente", c))
        return None


def _adjacency(edges: dict[str, tuple[str, str]], without: str = "") -> dict[str, list[tuple[str, str]]]:
    adj: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, (a, b) in edges.items():
        if name != without:
            adj[a].append((b, name))
            adj[b].append((a, name))
    return adj


def _reach(edges: dict[str, tuple[str, str]], start: str, without: str) -> set[str]:
    adj = _adjacency(edges, without)
    seen, stack = {start}, [start]
    while stack:
        for nxt, _ in adj[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _bridges(edges: dict[str, tuple[str, str]]) -> set[str]:
    """Edges on no cycle (Tarjan, iterative; parallel edges are cycles)."""
    adj = _adjacency(edges)
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    out: set[str] = set()
    for root in adj:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, "", iter(adj[root]))]
        while stack:
            node, via, it = stack[-1]
            step = next(it, None)
            if step is None:
                stack.pop()
                if stack:
                    up = stack[-1][0]
                    low[up] = min(low[up], low[node])
                    if low[node] > order[up]:
                        out.add(via)
                continue
            nxt, name = step
            if name == via:
                continue
            if nxt in order:
                low[node] = min(low[node], order[nxt])
            else:
                order[nxt] = low[nxt] = len(order)
                stack.append((nxt, name, iter(adj[nxt])))
    return out


def real_children(areas: pd.DataFrame) -> Callable[[str, int], tuple[str, ...]]:
    """The real sub-areas of an area in a year, from the area table (code, year, level, wijk, gemeente)."""
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    level = areas["level"].astype(str).tolist()
    code = areas["code"].astype(str).tolist()
    year = [int(y) for y in areas["year"].tolist()]
    wijk = areas["wijk"].astype(object).tolist()
    gemeente = areas["gemeente"].astype(object).tolist()
    for lv, c, y, wk, gm in zip(level, code, year, wijk, gemeente):
        up = wk if lv == "buurt" else gm if lv == "wijk" else codes.NL_CODE if lv == "gemeente" else None
        if isinstance(up, str) and up:
            found[(up, y)].append(c)
    frozen = {k: tuple(v) for k, v in found.items()}
    return lambda area, y: frozen.get((area, int(y)), ())
