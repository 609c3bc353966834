"""Forgiving area search: word order free, accents folded, typo tolerant, never raises.

Each area is indexed by the words of its own name and code, and (as context) the words of its
wijk's and gemeente's names, so "indische buurt groningen" finds the buurt Indische buurt in
gemeente Groningen. A query word matches an index word exactly, as a prefix, inside it (3+
letters) or, for 4+ letters, as a close spelling (RapidFuzz ratio >= 80). An area is a hit when
every query word matches one of its words; hits rank by how many words match its own name and
how well, then the current gemeente, then level (gemeente, wijk, buurt), then name.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

import numpy as np
import pandas as pd

from wijk.core import codes

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
FUZZY_MIN_LEN = 4
FUZZY_CUTOFF = 80
LEVEL_RANK = {level: codes.rank(level) for level in codes.LEVELS}
_WORD = re.compile(r"[0-9a-z]+")
# quality of one query word against one index word
EXACT, PREFIX, INSIDE, CLOSE = 4.0, 3.0, 2.0, 1.0


def fold(text: object) -> str:
    """Lower-case without accents ('Bürger' ~ 'burger')."""
    norm = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in norm if not unicodedata.combining(c)).lower().strip()


def words(text: object) -> list[str]:
    """Folded words of a text, in order, without repeats."""
    return list(dict.fromkeys(_WORD.findall(fold(text))))


def query_words(query: object) -> list[str]:
    return words(str(query or "")[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]


class SearchIndex:
    """Built once per area frame (columns code, year, level, name, wijk, gemeente)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.reset_index(drop=True)
        f = self.frame
        name_words = {n: words(n) for n in pd.unique(f["name"].astype(str))}
        own = f["name"].astype(str).map(name_words) + f["code"].astype(str).str.lower().map(lambda c: [c])
        latest = f.sort_values("year").drop_duplicates("code", keep="last").set_index("code")["name"].astype(str)
        parent_words = latest.map(name_words)
        parts = [pd.DataFrame({"row": f.index, "word": own, "own": 1})]
        for col in ("wijk", "gemeente"):
            parent = f[col].where(f[col] != f["code"])
            parts.append(pd.DataFrame({"row": f.index, "word": parent.map(parent_words), "own": 0}))
        long = pd.concat(parts).explode("word").dropna(subset=["word"])
        # a word in the area's own name is not also counted as context
        long = long.sort_values("own", ascending=False).drop_duplicates(["row", "word"])
        # compact: ~240,000 (row, word) pairs as small numbers and one copy of each word (19 MB as int64 and
        # a Python string per row; the index is kept for the server's life once a search was made)
        self.long = long.astype({"row": "int32", "own": "int8", "word": "category"}).reset_index(drop=True)
        self._number = {str(w): i for i, w in enumerate(self.long["word"].cat.categories)}  # word -> category number
        self._vocab_list: list[str] = sorted(self._number)
        self._heads: dict[int, list[str]] = {}

    def _matches(self, q: str) -> dict[str, float]:
        """Index words that match one query word, with the quality of the match."""
        vocab = self._vocab_list
        out: dict[str, float] = {}
        if len(q) >= 3:
            out.update((w, INSIDE) for w in vocab if q in w)
        i = bisect.bisect_left(vocab, q)
        while i < len(vocab) and vocab[i].startswith(q):
            out[vocab[i]] = PREFIX
            i += 1
        if len(q) >= FUZZY_MIN_LEN and q.isalpha():  # codes are never guessed at
            from rapidfuzz import fuzz, process  # on the first search, not in every server at start

            for w, _, _ in process.extract(q, vocab, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=50):
                out.setdefault(w, CLOSE)
            # a misspelt start of a longer word ('bijlmerr' ~ 'bijlmermuseum')
            heads = self._heads.setdefault(len(q), [w[: len(q)] for w in vocab])
            for _, _, j in process.extract(q, heads, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF + 5, limit=50):
                out.setdefault(vocab[j], CLOSE)
        if q in out:  # the word itself is in the index
            out[q] = EXACT
        return out

    def scores(self, query: object, rows: pd.Index | None = None) -> pd.DataFrame:
        """Per candidate row: number of query words matched, own-name quality, and all-matched flag."""
        qs = query_words(query)
        empty = pd.DataFrame({"matched": pd.Series(dtype="int64"), "own": pd.Series(dtype="float64")})
        if not qs:
            return empty
        long = self.long if rows is None else self.long[self.long["row"].isin(rows)]
        per_word = []
        numbers = long["word"].cat.codes.to_numpy()
        for q in qs:
            m = self._matches(q)
            if not m:
                continue
            wanted = np.array([self._number[w] for w in m])
            found = np.isin(numbers, wanted)
            if not found.any():
                continue
            hit = long[found]
            by_number = dict(zip(wanted.tolist(), m.values()))
            per_row = np.array([by_number[n] for n in numbers[found].tolist()], dtype=float)
            quality = pd.Series(per_row, index=hit.index) * (1 + hit["own"])  # own-name matches count double
            best = (
                pd.DataFrame({"row": hit["row"].to_numpy(), "q": quality.to_numpy(), "own": hit["own"].to_numpy()})
                .groupby("row")
                .agg(q=("q", "max"), own=("own", "max"))
            )
            per_word.append(best)
        if not per_word:
            return empty
        both = pd.concat(per_word)
        agg = both.groupby(level=0).agg(matched=("q", "size"), own=("q", "sum"), own_words=("own", "sum"))
        agg["all"] = agg["matched"] == len(qs)
        return agg

    def search(
        self,
        query: object,
        rows: pd.Index | None = None,
        gemeente: str | None = None,
        limit: int = 20,
        partial: bool = False,
    ) -> pd.DataFrame:
        """Ranked rows of the frame. partial=True also returns areas matching only some words."""
        sc = self.scores(query, rows)
        if sc.empty:
            return self.frame.iloc[0:0]
        if not partial:
            sc = sc[sc["all"]]
            if sc.empty:
                return self.frame.iloc[0:0]
        hits = self.frame.loc[sc.index].assign(
            _matched=sc["matched"].to_numpy(),
            _own=sc["own"].to_numpy(),
            _here=(self.frame.loc[sc.index, "gemeente"] != gemeente).to_numpy() if gemeente else 0,
            _level=self.frame.loc[sc.index, "level"].map(LEVEL_RANK).fillna(9).to_numpy(),
        )
        hits = hits.sort_values(
            ["_matched", "_own", "_here", "_level", "name", "code"],
            ascending=[False, False, True, True, True, True],
            kind="stable",
        )
        return hits.head(max(0, int(limit))).drop(columns=["_matched", "_own", "_here", "_level"])
