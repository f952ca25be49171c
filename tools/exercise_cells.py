"""Write each notebook's exercise and solution cells from the exercise data files.

An exercise's text lives once, in ``src/crkit/data/exercises/NN-name.yaml`` (English,
Spanish, Portuguese). The notebook shows the English text twice: in the ``{exercise}``
markdown cell and in the ``{solution}`` cell tagged ``solution``. This tool rewrites those
two cells from the data file, so that the notebook and the checker never disagree::

    python tools/exercise_cells.py            # rewrite the cells that differ
    python tools/exercise_cells.py --check    # only list them (exit status 1 when any)
    python tools/exercise_cells.py notebooks/05-self-service.ipynb

Only the markdown of the exercise and solution cells changes; the answer cell
(``crkit.exercises.check(...)``) and every other cell are left as they are. An exercise
cell whose label names no exercise of the data file is reported, not rewritten.

The tool reads the exercise files directly; which knowledge file names each vocabulary's
options comes from the kit (``crkit.core.knowledge.FILES``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from crkit.core.knowledge import FILES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "crkit" / "data"
NOTEBOOKS = ROOT / "notebooks"

#: exercise ``vocabulary`` -> knowledge file that names its options (the kit's own list)
VOCABULARY_FILES = {kind: f"knowledge/{name}" for kind, name in FILES.items()}

_LABEL = re.compile(r":label:\s*ex-(\S+)")
_SOLUTION = re.compile(r"\{solution\}\s+ex-(\S+)")


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_exercises(stem: str, data: Path = DATA) -> dict[str, dict[str, Any]]:
    """The exercises of one notebook (file stem such as '05-self-service'), by id."""
    path = data / "exercises" / f"{stem}.yaml"
    if not path.exists():
        return {}
    return {str(item["id"]): item for item in _load_yaml(path) or []}


def _names(kind: str, data: Path = DATA, lang: str = "en") -> dict[str, str]:
    entries = _load_yaml(data / VOCABULARY_FILES[kind]) or []
    return {str(e["id"]): _pick(e["name"], lang) for e in entries}


def _pick(value: Any, lang: str) -> str:
    """One language of an ``{en, es, pt}`` mapping (English when that language is missing)."""
    if isinstance(value, dict):
        return str(value.get(lang) or value["en"])
    return str(value)


def _phrase(key: str, lang: str, data: Path = DATA) -> str:
    """A fixed phrase of the exercise cells (``exercise.cell.*`` in messages.yaml)."""
    return _pick(_messages(data)[f"exercise.cell.{key}"], lang)


_MESSAGES: dict[Path, dict[str, Any]] = {}


def _messages(data: Path) -> dict[str, Any]:
    if data not in _MESSAGES:
        _MESSAGES[data] = _load_yaml(data / "messages.yaml")
    return _MESSAGES[data]


def _answers(item: dict[str, Any]) -> list[str]:
    answer = item["answer"]
    return [str(a) for a in answer] if isinstance(answer, list) else [str(answer)]


def _number(value: Any) -> str:
    return f"{float(value):g}" if float(value) != int(float(value)) else str(int(float(value)))


def exercise_markdown(item: dict[str, Any], data: Path = DATA, lang: str = "en") -> str:
    """The ``{exercise}`` cell of one exercise, in ``lang`` (the notebooks store English)."""
    lines = ["```{exercise}", f":label: ex-{item['id']}", "",
             _pick(item["prompt"], lang).strip(), ""]
    kind = item["kind"]
    vocabulary = item.get("vocabulary")
    if kind == "number":
        lines.append(_phrase("number", lang, data))
    elif vocabulary:
        names = _names(vocabulary, data, lang)
        shown = []
        for option in item["options"]:
            id_ = str(option["id"])
            plain = names[id_].lower().replace(" ", "-") == id_
            shown.append(f"`{id_}`" if plain else f"`{id_}` ({names[id_]})")
        lines += [f"{_phrase('options', lang, data)} {', '.join(shown)}.", ""]
        lines.append(_phrase("multi-names" if kind == "multi" else "one-name", lang, data))
    else:
        for option in item["options"]:
            lines.append(f"- `{option['id']}`: {_pick(option['text'], lang).strip()}")
        lines.append("")
        lines.append(_phrase("multi-ids" if kind == "multi" else "one-id", lang, data))
    lines.append("```")
    return "\n".join(lines)


def solution_markdown(item: dict[str, Any], data: Path = DATA, lang: str = "en") -> str:
    """The ``{solution}`` cell of one exercise, in ``lang``."""
    if item["kind"] == "number":
        answer = _number(item["answer"])
    else:
        vocabulary = item.get("vocabulary")
        names = _names(vocabulary, data, lang) if vocabulary else {}
        shown = []
        for id_ in _answers(item):
            shown.append(f"{names[id_]} (`\"{id_}\"`)" if id_ in names else f"`\"{id_}\"`")
        answer = ", ".join(shown)
    return "\n".join([f"```{{solution}} ex-{item['id']}", ":class: dropdown", "",
                      f"{_phrase('answer', lang, data)} {answer}", "",
                      _pick(item["explanation"], lang).strip(), "```"])


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _set_source(cell: dict[str, Any], text: str) -> None:
    lines = text.splitlines(keepends=True)
    cell["source"] = lines if isinstance(cell.get("source"), list) else text


def expected_cells(nb: dict[str, Any], stem: str, data: Path = DATA,
                   lang: str = "en") -> tuple[dict[int, str], list[str]]:
    """What the tool would write: {cell index: text} for every exercise/solution cell whose
    text should change, and the problems it cannot fix (labels with no exercise).

    ``lang`` writes the cells in Spanish or Portuguese (for the editions); the notebooks
    themselves store English."""
    items = load_exercises(stem, data)
    changes: dict[int, str] = {}
    problems: list[str] = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "markdown":
            continue
        text = _source(cell)
        if "{exercise}" in text:
            match, build = _LABEL.search(text), exercise_markdown
        elif "{solution}" in text:
            match, build = _SOLUTION.search(text), solution_markdown
        else:
            continue
        if not match:
            problems.append(f"{stem}: cell {index} has an exercise block without a label")
            continue
        id_ = match.group(1)
        if id_ not in items:
            problems.append(f"{stem}: cell {index} shows exercise {id_!r}, which "
                            f"src/crkit/data/exercises/{stem}.yaml does not define")
            continue
        wanted = build(items[id_], data, lang)
        if text.strip() != wanted:
            changes[index] = wanted
    return changes, problems


def differences(path: Path, data: Path = DATA) -> list[str]:
    """One line per exercise whose notebook text differs from its data file."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    changes, problems = expected_cells(nb, path.stem, data)
    out = list(problems)
    for index in sorted(changes):
        text = _source(nb["cells"][index])
        match = _LABEL.search(text) or _SOLUTION.search(text)
        what = "solution" if "{solution}" in text else "exercise"
        out.append(f"{path.stem}: the {what} cell of {match.group(1)!r} (cell {index}) differs "
                   f"from src/crkit/data/exercises/{path.stem}.yaml")
    return out


def rewrite(path: Path, data: Path = DATA) -> int:
    """Rewrite a notebook's exercise and solution cells; return how many changed."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    changes, _ = expected_cells(nb, path.stem, data)
    for index, text in changes.items():
        _set_source(nb["cells"][index], text)
    if changes:
        # as Jupyter and crkit.notebook_format write it: one-space indent, UTF-8 kept
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                        encoding="utf-8")
    return len(changes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true",
                        help="only list the cells that differ; exit status 1 when any do")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.paths] or sorted(NOTEBOOKS.glob("*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    found: list[str] = []
    for path in paths:
        try:
            if args.check:
                found += differences(path)
            else:
                changed = rewrite(path)
                problems = expected_cells(json.loads(path.read_text(encoding="utf-8")),
                                          path.stem)[1]
                found += problems
                if changed:
                    print(f"{path}: {changed} cell(s) rewritten")
        except (json.JSONDecodeError, yaml.YAMLError, KeyError) as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            return 2
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
