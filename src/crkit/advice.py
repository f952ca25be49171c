"""'What would help most': try each suggested fix on a copy and keep the best one."""

from __future__ import annotations

from crkit.canvas import Canvas
from crkit.rubric import Rubric


def best_change(canvas: Canvas, rubric: Rubric, lang: str, total: float):
    """The fix that raises the total most, or None when no fix raises it.

    Every fix the checks propose is applied to its own copy of the canvas and the copy
    is scored. The biggest rise in the total wins; where no fix moves the total by a
    whole level, the fix that brings the criteria closest to their next level wins.
    Ties go to the heavier criterion, then to the order the checks give, so the answer
    is deterministic.
    """
    from crkit.scoring import Change, evaluate, progress_of, render_fix, total_of

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
                best = (*key, Change(criterion.id, render_fix(fix, lang), gain, new_total))
    return best[4] if best else None
