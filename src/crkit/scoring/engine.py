"""Score a canvas against a rubric, with a reason and a suggestion for every criterion.

Scoring is deterministic and uses only the canvas and the rubric. Each criterion's check
(:mod:`crkit.scoring.criteria`) returns a fraction, findings and fixes; this module turns the
fraction into a 0-4 score by the rubric's levels, weighs the scores into a total out of
100, and renders findings and fixes as sentences in English, Spanish or Portuguese.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crkit.core import knowledge
from crkit.core.canvas import Canvas
from crkit.core.i18n import check_language, t
from crkit.scoring.criteria import CHECKS, Finding, Fix, Outcome
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
    suggestion: str
    source: str
    kit_choice: list[str]
    fixes: list[Fix] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` and reports."""
        return {
            "id": self.id, "name": self.name, "score": self.score, "max": 4,
            "weight": round(self.weight, 2), "points": round(self.points, 2),
            "explanation": self.explanation, "suggestion": self.suggestion,
            "source": self.source, "kit_choice": self.kit_choice,
        }


@dataclass
class Change:
    """A single edit and how much it would raise the total."""

    criterion: str
    text: str
    gain: float
    new_total: float
    #: makes the change on a canvas (the one scored, or an equal copy): the builder's
    #: "Apply" button
    apply: Callable[[Canvas], None] | None = field(default=None, repr=False, compare=False)


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
    _best: Any = field(default=False, repr=False)

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
            self._best = best_change(self.canvas, self._rubric, self.language, self.total)
        return self._best

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


def evaluate(canvas: Canvas, rubric: Rubric) -> list[tuple[Criterion, Outcome, int]]:
    """Run every check: the raw material of a report, without any text."""
    results = []
    for criterion in rubric.criteria:
        outcome = CHECKS[criterion.id](canvas, criterion.params)
        results.append((criterion, outcome, level(outcome.fraction, criterion.levels)))
    return results


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
    results = evaluate(canvas, rubric)
    criteria = []
    weight = rubric.total_weight
    for criterion, outcome, value in results:
        criteria.append(CriterionResult(
            id=criterion.id,
            name=criterion.label(lang),
            score=value,
            weight=criterion.weight * 100 / weight,
            points=criterion.weight * value / 4 * 100 / weight,
            fraction=outcome.fraction,
            explanation=explain(criterion, outcome, value, lang),
            suggestion=render_fix(outcome.fixes[0], lang)
            if outcome.fixes and outcome.fraction < 1 else t("fix.none", lang),
            source=criterion.source,
            kit_choice=criterion.kit_choice,
            fixes=outcome.fixes,
        ))
    return ScoreReport(
        title=canvas.title, language=lang, total=total_of(results, rubric), criteria=criteria,
        rubric=rubric.origin, canvas=canvas, _rubric=rubric,
    )


def explain(criterion: Criterion, outcome: Outcome, value: int, lang: str) -> str:
    """One paragraph: what the criterion checks, what was found, why this score."""
    found = [render_finding(f, lang) for f in outcome.findings[:MAX_FINDINGS]]
    hidden = len(outcome.findings) - MAX_FINDINGS
    if hidden > 0:
        found.append(t("finding.more", lang, count=hidden))
    closing = t("explain.score", lang, score=value, percent=round(100 * outcome.fraction),
                levels=", ".join(f"{round(100 * x)}%" for x in criterion.levels))
    return " ".join([t(f"explain.{criterion.id}", lang), *found, closing])


def render_finding(finding: Finding, lang: str) -> str:
    """A finding as a sentence in ``lang``."""
    return t(f"finding.{finding.key}", lang, **_names(finding.values, lang))


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
        if key in ("metric", "metrics"):
            # metric names are stored in the canvas's language: name them in ``lang``
            out[key] = ", ".join(_metric_name(m, lang) for m in (
                value if isinstance(value, list) else [value]))
            continue
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


def _metric_name(text: Any, lang: str) -> str:
    """A catalogue metric's name in ``lang``; a learner's own metric as they wrote it."""
    id_ = knowledge.metric_id(str(text))
    return knowledge.name("metrics", id_, lang) if id_ else str(text)


def _lower(name: str) -> str:
    """Names of types, stages... are common nouns: lower-case them inside a sentence."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def best_change(canvas: Canvas, rubric: Rubric, lang: str, total: float):
    """The fix that raises the total most, or None when no fix raises it.

    Every fix the checks propose is applied to its own copy of the canvas and the copy
    is scored. The biggest rise in the total wins; where no fix moves the total by a
    whole level, the fix that brings the criteria closest to their next level wins.
    Ties go to the heavier criterion, then to the order the checks give, so the answer
    is deterministic.
    """
    best: tuple[float, float, float, int, Change] | None = None
    order = 0
    base = evaluate(canvas, rubric)
    progress = progress_of(base, rubric)
    for criterion, outcome, _ in base:
        for fix in outcome.fixes:
            order += 1
            if fix.apply is None:
                continue
            trial = canvas.copy()
            fix.apply(trial)
            results = evaluate(trial, rubric)
            new_total = total_of(results, rubric)
            gain = round(new_total - total, 1)
            closer = round(progress_of(results, rubric) - progress, 6)
            key = (gain, closer, criterion.weight, -order)
            if (gain > 0 or (gain == 0 and closer > 0)) and (best is None or key > best[:4]):
                best = (*key, Change(criterion.id, render_fix(fix, lang), gain, new_total,
                                     fix.apply))
    return best[4] if best else None
