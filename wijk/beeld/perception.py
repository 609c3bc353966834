"""Perception against data: questions from the catalogue, scoring a guess, aggregating a group.

Pure logic (no Streamlit, no randomness). A question is asked before any figure is looked up:
`available_questions` only checks that a figure exists; `truth_for` is called after the commit.
Input kinds: 'pct' (slider 0-100), 'number', 'compare' (-1 lower / 0 same / 1 higher than the
reference: the gemeente, or the country when the area is a gemeente). Direction: 'high' when a
higher value is unfavourable (risk, outcome), 'low' when lower is (protective), '' when neither.
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from wijk.beeld.verdict import area_spread, is_close
from wijk.core import codes, provenance
from wijk.core.catalogue import Indicator, format_value, unit_label
from wijk.core.codes import reference_code
from wijk.core.i18n import in_lang, t
from wijk.core.owndata import dataset_for
from wijk.core.paths import data_dir

NUMERIC_UNITS = {"pct": "pct", "per1000": "number", "eur1000": "number", "number": "number"}
ROLE_DIRECTION = {"risk": "high", "outcome": "high", "protective": "low"}
SAME_BAND = 0.10  # 'compare': within 10% of the reference counts as 'the same'
MIN_QUESTIONS, MAX_QUESTIONS = 5, 8
LOCAL_SLOTS = 3  # a deck keeps room for up to three own figures ('local:*') within the maximum
DEFAULT_DECK = "gevreesde_buurt"
LOCAL_UNITS_SHOWN = ("pct", "per1000")  # an own figure's question names these units


@dataclass(frozen=True)
class Question:
    """One question about one area and year (no figure inside: safe to show before the commit)."""

    id: str  # the indicator id (local ones start with 'local:')
    kind: str  # pct | number | compare
    unit: str  # the catalogue unit of the real value
    unfavourable: str  # high | low | ''
    text_nl: str
    text_en: str
    prompt_nl: str
    prompt_en: str
    label_nl: str
    label_en: str
    source: str = "CBS"
    order: int = 999
    code: str = ""  # where the truth is taken from when not the asked area (a 'scope' in questions.csv)
    year: int = 0  # and its year (0: the asked year)

    def text(self, lang: str = "nl") -> str:
        return in_lang(self, "text", lang)

    def prompt(self, lang: str = "nl") -> str:
        return in_lang(self, "prompt", lang)

    def label(self, lang: str = "nl") -> str:
        return in_lang(self, "label", lang)

    def to_spec(self) -> dict:
        return asdict(self)

    @classmethod
    def from_spec(cls, spec: dict) -> Question:
        return cls(**{k: spec[k] for k in cls.__dataclass_fields__ if k in spec})


@dataclass(frozen=True)
class Truth:
    """The real figures, looked up after the commit. For 'compare', value is -1/0/1."""

    value: float
    area_value: float  # the figure itself (equals value except for 'compare')
    gemeente: float | None
    nl: float | None
    reference: float | None  # what 'guess the average' would say (gemeente, else NL)
    spread: float | None = None  # how much areas of this level differ (interquartile range; None: unknown)


@dataclass(frozen=True)
class Score:
    guess: float
    gap: float  # guess - truth
    direction: str  # negative | positive | close | higher | lower
    error: float  # |gap| relative to the truth (comparable across questions)
    baseline_gap: float | None  # reference - truth
    beats_baseline: bool | None


@dataclass(frozen=True)
class Overall:
    n: int
    n_negative: int
    n_positive: int
    n_close: int
    verdict: str  # negative | positive | mixed | accurate
    worst: str | None  # question id with the largest relative error
    beats_baseline: int
    baseline_n: int
    error: float
    baseline_error: float | None


# ---- questions -----------------------------------------------------------------------------
def load_templates(path: Path | None = None) -> dict[str, dict[str, str]]:
    """data/questions.csv by indicator id."""
    with open(path or data_dir() / "questions.csv", newline="", encoding="utf-8") as fh:
        return {r["indicator"]: r for r in csv.DictReader(fh)}


def load_decks(path: Path | None = None) -> dict[str, list[str]]:
    """data/decks.csv: deck id -> items in order ('local:*' = every own indicator present)."""
    with open(path or data_dir() / "decks.csv", newline="", encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: (r["deck"], int(r["position"])))
    decks: dict[str, list[str]] = {}
    for r in rows:
        decks.setdefault(r["deck"], []).append(r["item"])
    return decks


def scoped_area(store, code: str, year: int, indicator: str, scope: str = "") -> tuple[str, int] | None:
    """Where a question's figure is taken from: (code, year), or None when there is none.

    scope '' (default): the area itself in the asked year. 'latest': the area, else its nearest
    parent below the country (a wijk figure for a buurt), in the asked year or else the newest year
    with a figure. 'gemeente': the area's gemeente, asked year or newest. The question then names
    that area and year, so a wijk's or gemeente's figure is never presented as the buurt's."""
    if not scope:
        return (code, year) if store.value(code, year, indicator) is not None else None
    chain = (
        [codes.gemeente_of(code) or code]
        if scope == "gemeente"
        else ([c for c in codes.chain(code) if c != codes.NL_CODE] or [code])
    )
    years = [year] + sorted((y for y in store.years() if y != year), reverse=True)
    for c in chain:
        for y in years:
            if store.value(c, y, indicator) is not None:
                return c, y
    return None


def _question(ind: Indicator, tpl: dict[str, str] | None, fmt: dict[str, dict[str, str]]) -> Question | None:
    """The question about one indicator (fmt: the placeholders of each language: area, year, ref)."""
    kind = (tpl or {}).get("input") or NUMERIC_UNITS.get(ind.unit)
    if kind is None:
        return None
    unfav = tpl["unfavourable"] if tpl else None
    unfav = unfav if unfav is not None else ROLE_DIRECTION.get(ind.role, "")
    if tpl:
        text_nl = tpl["question_nl"].format(**fmt["nl"])
        text_en = tpl["question_en"].format(**fmt["en"])
        prompt_nl, prompt_en = tpl["prompt_nl"], tpl["prompt_en"]
    else:
        text_nl, text_en = (_generic_text(ind.label(lang), ind.unit, fmt[lang], lang) for lang in ("nl", "en"))
        prompt_nl, prompt_en = (t("beeld_q_prompt", lang) for lang in ("nl", "en"))
    order = int(tpl["order"]) if tpl and tpl.get("order") else 500
    return Question(
        ind.id,
        kind,
        ind.unit,
        unfav,
        text_nl,
        text_en,
        prompt_nl,
        prompt_en,
        ind.label("nl"),
        ind.label("en"),
        "CBS",
        order,
    )


def _generic_text(label: str, unit: str, fmt: dict[str, str], lang: str) -> str:
    """'Inwoners in Laanhuizen (2024): wat denk je? (per 1.000)' for an indicator without a template."""
    shown = unit_label(unit, lang)
    return t(
        "beeld_q_generic", lang, label=label, area=fmt["area"], year=fmt["year"], unit=f" ({shown})" if shown else ""
    )


def _local_question(ind, area: str, year: int) -> Question:  # ind: OwnIndicator
    kind = "pct" if ind.unit == "pct" else "number"
    unfav = ind.unfavourable or ROLE_DIRECTION.get(ind.role, "")
    unit = ind.unit if ind.unit in LOCAL_UNITS_SHOWN else "count"
    fmt = {"area": area, "year": str(year)}
    text_nl, text_en = (_generic_text(ind.label, unit, fmt, lang) for lang in ("nl", "en"))
    prompt_nl, prompt_en = (t("beeld_q_prompt_own", lang) for lang in ("nl", "en"))
    return Question(
        ind.id,
        kind,
        ind.unit,
        unfav,
        text_nl,
        text_en,
        prompt_nl,
        prompt_en,
        ind.label,
        ind.label,
        ind.source,  # '' when the user gave none: shown as 'eigen data' (beeld_q_source_own)
        900,
    )


def available_questions(store, code: str, year: int, local=(), templates=None) -> list[Question]:
    """Questions for the indicators that hold a figure for this area and year (own data too).

    'compare' questions also need the reference figure. Ordered by data/questions.csv."""
    templates = load_templates() if templates is None else templates
    area = store.areas.name(code, year)
    ref = reference_code(code)
    ref_names = {lang: store.areas.name(ref, lang=lang) for lang in ("nl", "en")}
    out: list[Question] = []
    for ind in store.catalogue:
        tpl = templates.get(ind.id)
        scope = ((tpl or {}).get("scope") or "").strip()
        at = scoped_area(store, code, year, ind.id, scope)
        if at is None:
            continue
        if tpl and tpl["input"] == "compare" and store.value(ref, year, ind.id) is None:
            continue
        fmt = {"area": area, "year": str(year)}
        if scope:
            # the name the area had in the figure's year, else its name in the workshop's year (CBS
            # published no name for many buurten before 2024; the code is the same area there)
            name = store.areas.name(at[0], at[1])
            fmt = {"area": store.areas.name(at[0], year) if name == at[0] else name, "year": str(at[1])}
        q = _question(ind, tpl, {lang: {**fmt, "ref": ref_names[lang]} for lang in ("nl", "en")})
        if q is not None and scope:
            q = replace(q, code=at[0], year=at[1])
        if q is not None and (tpl or ind.role != "context"):
            out.append(q)
    for ds in local:
        for ind in ds.indicators:
            if ds.figure(code, year, ind.id).value is not None:
                out.append(_local_question(ind, area, year))
    return sorted(out, key=lambda q: (q.order, q.id))


def deck_questions(
    questions: list[Question], deck: str = DEFAULT_DECK, decks: dict[str, list[str]] | None = None
) -> list[Question]:
    """The deck's questions that are available here, in deck order, at most MAX_QUESTIONS.

    Only questions in `questions` (available_questions: a true value exists for the area and
    year) can be picked, so a deck never asks what cannot be revealed; later rows of a deck are
    fallbacks for areas or years without the earlier figures."""
    items = (load_decks() if decks is None else decks).get(deck, [])
    by_id = {q.id: q for q in questions}
    out: list[Question] = []
    for item in items:
        if item == "local:*":
            out += [q for q in questions if q.id.startswith("local:") and q not in out]
        elif item in by_id and by_id[item] not in out:
            out.append(by_id[item])
    own = [q for q in out if q.id.startswith("local:")][:LOCAL_SLOTS]
    cbs = [q for q in out if not q.id.startswith("local:")][: MAX_QUESTIONS - len(own)]
    return [q for q in out if q in own or q in cbs]  # deck order; own figures keep their slots


def default_selection(questions: list[Question], deck: str = DEFAULT_DECK) -> list[str]:
    """The deck, topped up in catalogue order to at least MIN_QUESTIONS where possible."""
    chosen = [q.id for q in deck_questions(questions, deck)]
    for q in questions:
        if len(chosen) >= MIN_QUESTIONS:
            break
        if q.id not in chosen:
            chosen.append(q.id)
    return chosen


# ---- truth and scoring ---------------------------------------------------------------------
def _category(value: float, reference: float) -> int:
    if abs(value - reference) <= SAME_BAND * abs(reference):
        return 0
    return 1 if value > reference else -1


def truth_for(store, question: Question, code: str, year: int, local=()) -> Truth | None:
    """The real figures for a question (None when missing). Call only after the commit."""
    if question.id.startswith("local:"):
        ds = dataset_for(local, question.id)
        if ds is None:
            return None
        val = ds.figure(code, year, question.id).value
        gm = codes.gemeente_of(code)
        gm_val = ds.figure(gm, year, question.id).value if gm and gm != code else None
        return None if val is None else Truth(val, val, gm_val, None, gm_val)
    code, year = question.code or code, question.year or year
    return store.derived(("truth", question, code, year), lambda: _truth(store, question, code, year))


def _truth(store, question: Question, code: str, year: int) -> Truth | None:
    val = store.value(code, year, question.id)
    if val is None:
        return None
    gm = codes.gemeente_of(code)
    gm_val = store.value(gm, year, question.id) if gm else None
    nl_val = store.value(codes.NL_CODE, year, question.id)
    ref_val = store.value(reference_code(code), year, question.id)
    if question.kind == "compare":
        if ref_val is None:
            return None
        return Truth(float(_category(val, ref_val)), val, gm_val, nl_val, 0.0)
    ref = ref_val if ref_val is not None else nl_val
    return Truth(val, val, gm_val, nl_val, ref, area_spread(store, code, year, question.id))


def source_line(store, question: Question, code: str, year: int, local=(), lang: str = "nl") -> str:
    """Where the real value of a question comes from (shown after the reveal)."""
    if question.id.startswith("local:"):
        ds = dataset_for(local, question.id)
        if ds is None:
            return ""
        return t("prov_line_own", lang, source=ds.source, year=year, code=code)
    return provenance.one_line(store.figure(question.code or code, question.year or year, question.id), lang)


def direction(question: Question, guess: float, truth: float, spread: float | None = None) -> str:
    """negative/positive (image too unfavourable/favourable), close, or higher/lower.

    Close is judged against the size of the figure and how much buurten differ (`spread`):
    wijk.beeld.verdict, thresholds in data/verdicts.toml."""
    gap = guess - truth
    close = gap == 0 if question.kind == "compare" else is_close(gap, truth, spread, question.unit == "pct")
    if close:
        return "close"
    if question.unfavourable == "high":
        return "negative" if gap > 0 else "positive"
    if question.unfavourable == "low":
        return "negative" if gap < 0 else "positive"
    return "higher" if gap > 0 else "lower"


def _relative(question: Question, gap: float, truth: float) -> float:
    if question.kind == "compare":
        return abs(gap) / 2
    return abs(gap) / max(abs(truth), 1.0 if question.kind == "pct" else 1e-9)


def score(question: Question, guess: float, truth: Truth) -> Score:
    gap = float(guess) - truth.value
    base = None if truth.reference is None else truth.reference - truth.value
    beats = None if base is None else abs(gap) < abs(base)
    return Score(
        float(guess),
        gap,
        direction(question, float(guess), truth.value, truth.spread),
        _relative(question, gap, truth.value),
        base,
        beats,
    )


def overall(questions: list[Question], scores: dict[str, Score]) -> Overall:
    """Was the picture too negative or too positive, and where most; against the baseline."""
    scored = [(q, scores[q.id]) for q in questions if q.id in scores]
    dirs = [s.direction for _, s in scored]
    neg, pos, close = dirs.count("negative"), dirs.count("positive"), dirs.count("close")
    if scored and close == len(scored):
        verdict = "accurate"
    elif neg > pos:
        verdict = "negative"
    elif pos > neg:
        verdict = "positive"
    else:
        verdict = "mixed"
    worst = max(scored, key=lambda qs: qs[1].error)[0].id if scored else None
    with_base = [(q, s, s.baseline_gap) for q, s in scored if s.baseline_gap is not None]
    base_err = statistics.fmean(_relative(q, bg, s.guess - s.gap) for q, s, bg in with_base) if with_base else None
    return Overall(
        len(scored),
        neg,
        pos,
        close,
        verdict,
        worst,
        sum(1 for _, s, _bg in with_base if s.beats_baseline),
        len(with_base),
        statistics.fmean(s.error for _, s in scored) if scored else 0.0,
        base_err,
    )


# ---- display -------------------------------------------------------------------------------
def format_answer(question: Question, value: float | None, lang: str = "nl") -> str:
    """A guess or a real value as text ('compare' answers as lower / same / higher)."""
    if question.kind == "compare" and value is not None:
        return t(f"beeld_compare_{int(value)}", lang)
    return format_value(value, question.unit, lang)


def format_gap(question: Question, gap: float, lang: str = "nl") -> str:
    """The signed gap in the question's unit: '+5,3 procentpunt', '-12,0', '+1 stap'."""
    sign = "+" if gap > 0 else "-" if gap < 0 else "±"
    if question.kind == "compare":
        return t("beeld_gap_steps", lang, sign=sign, n=int(abs(gap)))
    text = format_value(abs(gap), "number" if question.unit == "pct" else question.unit, lang)
    return sign + text + (t("beeld_gap_points", lang) if question.unit == "pct" else "")
