"""Scoring a canvas: rubric, criteria, the engine with "what would help most", reports."""

from crkit.scoring.engine import Change, CriterionResult, ScoreReport, best_change, score

__all__ = ["Change", "CriterionResult", "ScoreReport", "best_change", "score"]
