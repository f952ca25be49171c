"""Exercises that answer back: right or wrong, and when wrong, a hint tied to the concept.

Exercises live in ``data/exercises/*.yaml`` (one file per notebook), in three languages.
A notebook cell calls ``check("id", answer)``; the feedback says whether the answer is
right and, when it is not, which idea to revisit (a hint per wrong option where the author
wrote one). Names of types, stages... are accepted in English, Spanish or Portuguese.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from crkit.core import knowledge
from crkit.core.i18n import localized, t

KINDS = ("choice", "multi", "number")


@lru_cache(maxsize=1)
def _all() -> dict[str, dict[str, Any]]:
    import yaml

    out: dict[str, dict[str, Any]] = {}
    folder = resources.files("crkit").joinpath("data", "exercises")
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            for item in yaml.safe_load(entry.read_text(encoding="utf-8")) or []:
                if item["id"] in out:
                    raise ValueError(f"exercise id {item['id']!r} is defined twice")
                item.setdefault("notebook", entry.name[: -len(".yaml")])
                out[item["id"]] = item
    return out


def exercise_ids(notebook: str | None = None) -> list[str]:
    """Every exercise id, or those of one notebook (file stem, e.g. '05-self-service')."""
    return [k for k, v in _all().items() if notebook is None or v["notebook"] == notebook]


def get(id_: str) -> dict[str, Any]:
    """One exercise's data."""
    try:
        return _all()[id_]
    except KeyError:
        raise KeyError(f"no exercise {id_!r}; known: {', '.join(_all())}") from None


@dataclass
class Feedback:
    """The checker's answer: ``correct`` is None when nothing was answered yet."""

    correct: bool | None
    message: str

    def __bool__(self) -> bool:
        return bool(self.correct)

    def _repr_markdown_(self) -> str:
        mark = {True: "✅", False: "❌", None: "✏️"}[self.correct]
        return f"{mark} {self.message}"

    def __str__(self) -> str:
        return self._repr_markdown_()


def _fold(item: dict[str, Any], value: Any) -> str | None:
    kind = item.get("vocabulary")
    text = str(value).strip()
    if kind:
        return knowledge.fold(kind, text)
    options = {str(o["id"]).lower(): str(o["id"]) for o in item.get("options", [])}
    return options.get(text.lower())


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip().replace("%", "").replace(",", "."))
    except ValueError:
        return None


def check(id_: str, answer: Any, lang: str | None = None) -> Feedback:
    """Check a learner's answer to exercise ``id_``.

    Parameters
    ----------
    id_ : str
        Exercise id, as given in the notebook.
    answer : str, list of str or number
        An option id or name (any language) for 'choice'; a list for 'multi'; a
        number (or text such as '2,67') for 'number'. None means not answered yet.
    lang : str, optional
        Language of the feedback.
    """
    item = get(id_)
    if answer is None or answer == "" or answer == []:
        return Feedback(None, t("exercise.no-answer", lang))
    hints = item.get("hints") or {}
    default_hint = localized(hints.get("default"), lang) if hints.get("default") else t(
        "exercise.try-again", lang)
    why = localized(item.get("explanation"), lang) if item.get("explanation") else ""
    if item["kind"] == "number":
        value = _number(answer)
        if value is None:
            return Feedback(False, t("exercise.not-a-number", lang, answer=answer))
        right = abs(value - float(item["answer"])) <= float(item.get("tolerance", 0.01))
        if right:
            return Feedback(True, f"{t('exercise.correct', lang)} {why}".strip())
        key = "too-high" if value > float(item["answer"]) else "too-low"
        hint = localized(hints[key], lang) if key in hints else default_hint
        return Feedback(False, f"{t('exercise.wrong', lang)} {hint}")
    given = answer if isinstance(answer, (list, tuple, set)) else [answer]
    folded = [_fold(item, a) for a in given]
    unknown = [str(a) for a, f in zip(given, folded) if f is None]
    if unknown:
        choices = ", ".join(str(o["id"]) for o in item.get("options", []))
        return Feedback(False, t("exercise.unknown-option", lang, answer=", ".join(unknown),
                                 choices=choices))
    expected = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
    if item["kind"] == "choice":
        if folded[0] in expected and len(folded) == 1:
            return Feedback(True, f"{t('exercise.correct', lang)} {why}".strip())
        hint = localized(hints[folded[0]], lang) if folded[0] in hints else default_hint
        return Feedback(False, f"{t('exercise.wrong', lang)} {hint}")
    chosen, wanted = set(folded), set(expected)
    if chosen == wanted:
        return Feedback(True, f"{t('exercise.correct', lang)} {why}".strip())
    wrong = sorted(chosen - wanted)
    if wrong and wrong[0] in hints:
        hint = localized(hints[wrong[0]], lang)
    else:
        hint = t("exercise.missing-some", lang, count=len(wanted - chosen)) if wanted - chosen \
            else default_hint
    return Feedback(False, f"{t('exercise.wrong', lang)} {hint}")


def options(id_: str, lang: str | None = None) -> list[tuple[str, str]]:
    """(label, id) pairs for an exercise's options, labels in ``lang``."""
    item = get(id_)
    out = []
    for option in item.get("options", []):
        if "text" in option:
            label = localized(option["text"], lang)
        elif item.get("vocabulary"):
            label = knowledge.name(item["vocabulary"], option["id"], lang)
        else:
            label = str(option["id"])
        out.append((label, str(option["id"])))
    return out


def prompt(id_: str, lang: str | None = None) -> str:
    """The exercise's question in ``lang``."""
    return localized(get(id_)["prompt"], lang)


def widget(id_: str, lang: str | None = None):
    """An answer control, a 'Check' button and the feedback, for learners who prefer clicking.

    Headless runs show the question with nothing selected; the same checker answers.
    """
    import ipywidgets as w

    item = get(id_)
    question = w.HTML(f"<b>{prompt(id_, lang)}</b>")
    if item["kind"] == "number":
        control = w.FloatText(description=t("exercise.answer", lang), value=0.0)
    elif item["kind"] == "multi":
        control = w.SelectMultiple(options=options(id_, lang), description=t("exercise.answer",
                                                                            lang), rows=6)
    else:
        control = w.RadioButtons(options=options(id_, lang), value=None,
                                 description=t("exercise.answer", lang))
    control.style.description_width = "initial"
    button = w.Button(description=t("exercise.check", lang), icon="check",
                      tooltip=t("exercise.check", lang))
    result = w.HTML()

    def on_click(_):
        value = list(control.value) if item["kind"] == "multi" else control.value
        feedback = check(id_, value, lang)
        result.value = feedback._repr_markdown_()

    button.on_click(on_click)
    return w.VBox([question, control, button, result])
