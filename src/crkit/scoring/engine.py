"""Score a canvas against a rubric, with a reason and a suggestion for every criterion.

Scoring is deterministic and uses only the canvas, the rubric and the kit's cost model.
Each criterion's check (:mod:`crkit.scoring.criteria`) returns a fraction, findings, serious
flaws and fixes; this module turns the fraction into a 0-4 score by the rubric's levels,
holds it under the caps of any serious flaw and below 4 while there is something to fix,
weighs the scores into a total out of 100, and renders findings and fixes as sentences in
English, Spanish or Portuguese.

"What would help most" tries every fix the checks propose. A fix names the segments it
touches, so a trial copies only those, recomputes only their parts of each check and adds
the rest from the canvas's own evaluation: the search grows about linearly with the
canvas, and finds exactly what scoring a full copy for every fix would.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crkit.core import knowledge
from crkit.core.canvas import Canvas
from crkit.core.i18n import check_language, t
from crkit.scoring.criteria import CHECKS, Context, Finding, Fix, Outcome, Summary
from crkit.scoring.rubric import Criterion, Rubric, default_rubric

#: findings shown in one explanation before the rest are summarised
MAX_FINDINGS = 4


@dataclass
class CriterionResult:
    """A criterion's score with its reasons."""

    id: str
    name: str
    score: int
    weight: float
    points: float
    fraction: float
    explanation: str
    source: str
    kit_choice: list[str]
    fixes: list[Fix] = field(default_factory=list, repr=False)
    caps: list[str] = field(default_factory=list)
    empty: bool = False
    _suggest: Callable[[], tuple[str, Fix | None]] | None = field(
        default=None, repr=False, compare=False)
    _suggested: tuple[str, Fix | None] | None = field(default=None, repr=False, compare=False)

    def _pick(self) -> tuple[str, Fix | None]:
        if self._suggested is None:
            self._suggested = self._suggest() if self._suggest else ("", None)
        return self._suggested

    @property
    def suggestion(self) -> str:
        """What to try: the first fix that raises this criterion without lowering it or
        the total, or a fix the learner must make by hand."""
        return self._pick()[0]

    @property
    def suggested_fix(self) -> Fix | None:
        """The fix behind :attr:`suggestion`, when the kit can apply it."""
        return self._pick()[1]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` and reports."""
        return {
            "id": self.id, "name": self.name, "score": self.score, "max": 4,
            "weight": round(self.weight, 2), "points": round(self.points, 2),
            "explanation": self.explanation, "suggestion": self.suggestion,
            "source": self.source, "kit_choice": self.kit_choice,
            "caps": self.caps, "nothing_to_check": self.empty,
        }


@dataclass
class Change:
    """A single edit and how much it would raise the total."""

    criterion: str
    text: str
    gain: float
    new_total: float


@dataclass
class ScoreReport:
    """The scored canvas: total out of 100 and one result per criterion."""

    title: str
    language: str
    total: float
    criteria: list[CriterionResult]
    rubric: str
    canvas: Canvas = field(repr=False)
    _rubric: Rubric = field(repr=False)
    _state: Any = field(default=None, repr=False, compare=False)
    _best: Any = field(default=False, repr=False, compare=False)

    def criterion(self, id_: str) -> CriterionResult:
        """The result for one criterion id."""
        return next(c for c in self.criteria if c.id == id_)

    @property
    def scores(self) -> dict[str, int]:
        """Criterion id -> score 0-4."""
        return {c.id: c.score for c in self.criteria}

    def best_change(self) -> Change | None:
        """The single change that raises the total most ("what would help most")."""
        if self._best is False:
            self._best = best_change(self.canvas, self._rubric, self.language, self.total,
                                     self._state)
        return self._best

    def no_change_line(self, lang: str | None = None) -> str:
        """What "what would help most" says when no change the kit can try raises the
        total: the canvas is blank, the suggestions are the learner's to make, or it meets
        every check."""
        lang = lang or self.language
        if self.blank:
            return t("report.best-empty", lang)
        if any(c.fixes for c in self.criteria):
            return t("report.best-manual", lang)
        return t("report.best-none", lang)

    @property
    def blank(self) -> bool:
        """True when no criterion has anything to check (a blank canvas)."""
        return all(c.empty for c in self.criteria)

    def to_dict(self, with_best: bool = True) -> dict[str, Any]:
        """Plain data: ``total`` (0-100), ``criteria`` and ``best_change``."""
        out: dict[str, Any] = {
            "title": self.title, "language": self.language, "rubric": self.rubric,
            "total": self.total, "max": 100,
            "criteria": [c.to_dict() for c in self.criteria],
        }
        if with_best:
            best = self.best_change()
            out["best_change"] = None if best is None else {
                "criterion": best.criterion, "text": best.text, "gain": best.gain,
                "new_total": best.new_total,
            }
        return out


def level(fraction: float, levels: list[float]) -> int:
    """How many of the rubric's four levels a fraction reaches (0-4)."""
    return sum(fraction >= threshold - 1e-9 for threshold in levels)


def grade(criterion: Criterion, outcome: Outcome) -> int:
    """A criterion's score: the levels its fraction reaches, held under the cap of every
    serious flaw found, and below 4 while the check has something to suggest."""
    value = level(outcome.fraction, criterion.levels)
    for cap in outcome.caps:
        value = min(value, criterion.caps.get(cap, 4))
    if outcome.fix_count:
        value = min(value, 3)
    return value


@dataclass
class Evaluation:
    """Every check run on one canvas, with the per-segment parts a trial reuses."""

    ctx: Context
    rows: list[tuple[Criterion, Outcome, int, Summary]]
    rubric: Rubric
    trials: dict[tuple, tuple[list[tuple[Criterion, Outcome, int]], float, float]] = field(
        default_factory=dict)

    @property
    def results(self) -> list[tuple[Criterion, Outcome, int]]:
        return [(c, o, v) for c, o, v, _ in self.rows]

    @property
    def total(self) -> float:
        return total_of(self.results, self.rubric)

    @property
    def progress(self) -> float:
        return progress_of(self.results, self.rubric)

    def trial(self, fix: Fix) -> tuple[list[tuple[Criterion, Outcome, int]], float, float]:
        """Criteria, total and progress of the canvas with ``fix`` applied (cached)."""
        key = fix.same()
        if key not in self.trials:
            self.trials[key] = self._trial(fix)
        return self.trials[key]

    def _trial(self, fix: Fix):
        canvas = self.ctx.canvas
        if not fix.touches:  # a change the checks cannot localise: score a full copy
            copy_ = canvas.copy()
            fix.apply(copy_)
            results = evaluate(copy_, self.rubric)
        else:
            copy_ = _trial_canvas(canvas, fix.touches, self.ctx)
            fix.apply(copy_)
            ctx = Context(copy_, self.ctx, fix.touches)
            results = []
            for criterion, outcome, value, summary in self.rows:
                if fix.affects is not None and criterion.id not in fix.affects:
                    results.append((criterion, outcome, value))  # untouched by this change
                    continue
                check = CHECKS[criterion.id]
                new = {sid: check.part(ctx, ctx.segment[sid], criterion.params)
                       for sid in fix.touches}
                outcome = check.whole(ctx, summary.swapped(new, ctx), criterion.params, False)
                results.append((criterion, outcome, grade(criterion, outcome)))
        return results, total_of(results, self.rubric), progress_of(results, self.rubric)


def _clone(item: Any) -> Any:
    """A copy of a canvas item whose lists can change without touching the original."""
    new = object.__new__(type(item))
    new.__dict__.update({k: list(v) if isinstance(v, list) else v
                         for k, v in item.__dict__.items()})
    return new


def _trial_canvas(canvas: Canvas, touches: tuple[str, ...], ctx: Context) -> Canvas:
    """A copy of the canvas in which the touched segments and their relationships can
    change (a fix that links a channel replaces it); the rest is shared with the original."""
    trial = copy.copy(canvas)
    trial.segments = list(canvas.segments)
    trial.relationships = list(canvas.relationships)
    for sid in touches:
        i = ctx.index[sid]
        trial.segments[i] = _clone(canvas.segments[i])
        for j, r in ctx.rels(sid):
            trial.relationships[j] = _clone(r)
    trial.channels = list(canvas.channels)  # a fix replaces the channel it changes
    trial.value_propositions = list(canvas.value_propositions)
    return trial


def evaluation(canvas: Canvas, rubric: Rubric) -> Evaluation:
    """Run every check, keeping what a trial needs."""
    ctx = Context(canvas)
    rows = []
    for criterion in rubric.criteria:
        outcome, summary = CHECKS[criterion.id].run(ctx, criterion.params)
        rows.append((criterion, outcome, grade(criterion, outcome), summary))
    return Evaluation(ctx, rows, rubric)


def evaluate(canvas: Canvas, rubric: Rubric) -> list[tuple[Criterion, Outcome, int]]:
    """Run every check: the raw material of a report, without any text."""
    return evaluation(canvas, rubric).results


def total_of(results: list[tuple[Criterion, Outcome, int]], rubric: Rubric) -> float:
    """Weighted total out of 100, rounded to one decimal."""
    weight = rubric.total_weight
    return round(sum(c.weight * s / 4 for c, _, s in results) * 100 / weight, 1)


def progress_of(results: list[tuple[Criterion, Outcome, int]], rubric: Rubric) -> float:
    """Weighted mean of the checks' fractions: moves with every edit, unlike the total."""
    return sum(c.weight * o.fraction for c, o, _ in results) * 100 / rubric.total_weight


def score(canvas: Canvas, rubric: Rubric | None = None, lang: str | None = None) -> ScoreReport:
    """Score a canvas.

    Parameters
    ----------
    canvas : Canvas
        A validated canvas (see :func:`crkit.load`).
    rubric : Rubric, optional
        Defaults to the kit's rubric; see :func:`crkit.load_rubric` for an instructor's.
    lang : str, optional
        Language of explanations; defaults to the canvas's ``language``.
    """
    rubric = rubric or default_rubric()
    lang = check_language(lang or canvas.language)
    state = evaluation(canvas, rubric)
    criteria = []
    weight = rubric.total_weight
    total = state.total
    for index, (criterion, outcome, value, _) in enumerate(state.rows):
        criteria.append(CriterionResult(
            id=criterion.id,
            name=criterion.label(lang),
            score=value,
            weight=criterion.weight * 100 / weight,
            points=criterion.weight * value / 4 * 100 / weight,
            fraction=outcome.fraction,
            explanation=explain(criterion, outcome, value, lang),
            source=criterion.source,
            kit_choice=criterion.kit_choice,
            fixes=outcome.fixes,
            caps=[c for c in outcome.caps if criterion.caps.get(c, 4) < 4],
            empty=outcome.empty,
            _suggest=_suggester(state, index, total, lang),
        ))
    return ScoreReport(
        title=canvas.title, language=lang, total=total, criteria=criteria,
        rubric=rubric.origin, canvas=canvas, _rubric=rubric, _state=state,
    )


def _suggester(state: Evaluation, index: int, total: float, lang: str):
    """What a criterion suggests, worked out when first asked for."""

    def pick() -> tuple[str, Fix | None]:
        criterion, outcome, value, _ = state.rows[index]
        if not outcome.fixes:
            return t("fix.none" if value == 4 else "fix.none-below", lang), None
        for fix in outcome.fixes:
            if fix.apply is None:
                return render_fix(fix, lang), None
            results, new_total, _ = state.trial(fix)
            _, new, new_value = results[index]
            if new_total >= total and new_value >= value and (
                    new_value > value or new.fraction > outcome.fraction + 1e-9):
                return render_fix(fix, lang), fix
        return t("fix.trade-off", lang, fix=render_fix(outcome.fixes[0], lang)), None

    return pick


def explain(criterion: Criterion, outcome: Outcome, value: int, lang: str) -> str:
    """One paragraph: what the criterion checks, what was found, why this score."""
    found = [render_finding(f, lang) for f in outcome.findings[:MAX_FINDINGS]]
    hidden = len(outcome.findings) - MAX_FINDINGS
    if hidden > 0:
        found.append(t("finding.more", lang, count=hidden))
    if outcome.empty:
        return " ".join([t(f"explain.{criterion.id}", lang), *found,
                         t("explain.nothing-to-check", lang)])
    closing = [t("explain.score", lang, score=value, percent=round(100 * outcome.fraction),
                 levels=", ".join(f"{round(100 * x)}%" for x in criterion.levels))]
    capped = sorted((criterion.caps[c], c) for c in outcome.caps if c in criterion.caps)
    if capped and capped[0][0] < 4:
        closing.append(t("explain.capped", lang, cap=capped[0][0],
                         flaw=t(f"flaw.{capped[0][1]}", lang)))
    elif outcome.fix_count and level(outcome.fraction, criterion.levels) == 4:
        closing.append(t("explain.not-full", lang))
    return " ".join([t(f"explain.{criterion.id}", lang), *found, *closing])


def render_finding(finding: Finding, lang: str) -> str:
    """A finding as a sentence in ``lang``, with the segment's share of the value."""
    text = t(f"finding.{finding.key}", lang, **_names(finding.values, lang))
    if "share" in finding.values:
        text += " " + t("finding.value-share", lang, share=finding.values["share"])
    return text


def render_fix(fix: Fix, lang: str) -> str:
    """A fix as a concrete suggestion in ``lang``."""
    return t(f"fix.{fix.key}", lang, **_names(fix.values, lang))


_KINDS = (
    ("type", "types"), ("motivation", "motivations"), ("stage", "stages"),
    ("market", "market"), ("complexity", "need_complexity"),
)


def _names(values: dict[str, Any], lang: str) -> dict[str, Any]:
    """Replace ids in placeholder values with their names in ``lang``."""
    out = dict(values)
    for key, value in values.items():
        kind = next((k for prefix, k in _KINDS if key.startswith(prefix)), None)
        if kind is None:
            if isinstance(value, list):
                out[key] = ", ".join(map(str, value))
            continue
        if isinstance(value, list):
            names = [_lower(knowledge.name(kind, v, lang)) for v in value]
            out[key] = ", ".join(names) if names else t("word.none", lang)
        elif isinstance(value, str):
            out[key] = _lower(knowledge.name(kind, value, lang))
    return out


def _lower(name: str) -> str:
    """Names of types, stages... are common nouns: lower-case them inside a sentence."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def best_change(canvas: Canvas, rubric: Rubric, lang: str, total: float | None = None,
                state: Evaluation | None = None) -> Change | None:
    """The fix that raises the total most, or None when no fix raises it.

    Every fix the checks propose is tried (the same change proposed by two criteria once).
    The biggest rise in the total wins; where no fix moves the total by a whole level,
    the fix that brings the criteria closest to their next level wins. Ties go to the
    heavier criterion, then to the order the checks give, so the answer is deterministic.
    """
    state = state or evaluation(canvas, rubric)
    total = state.total if total is None else total
    best: tuple[float, float, float, int, Change] | None = None
    order = 0
    progress = state.progress
    seen: set[tuple] = set()
    for criterion, outcome, _, _ in state.rows:
        for fix in outcome.fixes:
            order += 1
            if fix.apply is None or fix.same() in seen:
                continue
            seen.add(fix.same())
            _, new_total, new_progress = state.trial(fix)
            gain = round(new_total - total, 1)
            closer = round(new_progress - progress, 6)
            key = (gain, closer, criterion.weight, -order)
            if (gain > 0 or (gain == 0 and closer > 0)) and (best is None or key > best[:4]):
                best = (*key, Change(criterion.id, render_fix(fix, lang), gain, new_total))
    return best[4] if best else None
