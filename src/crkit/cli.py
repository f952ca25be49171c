"""The ``crkit`` command: a thin layer over the package's public API.

Every user mistake (a bad file, an unknown name, a wrong option) ends with exit status 2
and one line on stderr that says what is wrong and how to fix it; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
import warnings
from pathlib import Path

from crkit.api import explain
from crkit.core import cases, knowledge
from crkit.core.errors import CrkitError, escape
from crkit.core.i18n import LANGUAGES, localized, messages, t
from crkit.core.limits import SHOWN_PROBLEMS
from crkit.core.starter import blank_canvas, starter_canvas
from crkit.core.storage import load, save, write_error
from crkit.grading import grade_folder
from crkit.scoring.engine import score
from crkit.scoring.report import render_markdown, render_text
from crkit.scoring.rubric import load_rubric

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not a usage dump
        print(f"crkit: {message} (see 'crkit --help')", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the command)."""
    parser = _Parser(
        prog="crkit",
        description="Customer Relationships Kit: check, score and explore customer "
        "relationship canvases (Business Model Canvas).",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    lang = {"choices": LANGUAGES, "help": "language of the output: en, es or pt"}

    p = sub.add_parser("validate", help="check a canvas file and report every problem")
    p.add_argument("file")
    p.add_argument("--all", action="store_true", help="list every problem, one per line")
    p.add_argument("--lang", **lang)

    p = sub.add_parser("score", help="score a canvas, with reasons and suggestions")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--markdown", action="store_true", help="print a Markdown report")
    p.add_argument("--lang", **lang)
    p.add_argument("--rubric", metavar="FILE", help="an instructor's rubric (YAML or JSON)")

    p = sub.add_parser("new", help="write a starter canvas to edit")
    p.add_argument("file", nargs="?", default="my-canvas.yaml")
    p.add_argument("--lang", **lang)
    p.add_argument("--blank", action="store_true", help="an empty canvas instead of the example")
    p.add_argument("--force", action="store_true", help="replace an existing file")

    for name, help_ in (
        ("types", "the six relationship types"),
        ("stages", "the six lifecycle stages"),
        ("motivations", "the three motivations"),
        ("bonds", "long-term and transactional bonds"),
        ("questions", "the block's questions"),
        ("practices", "practices that make relationships work"),
        ("metrics", "relationship metrics"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--lang", **lang)
        p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("cases", help="the case library: one line per case")
    p.add_argument("--cases", metavar="DIR",
                   help="an instructor's case folder (default: $CRKIT_CASES, else the kit's own)")
    p.add_argument("--json", action="store_true", help="print a JSON list of cases")
    p.add_argument("--lang", **lang)

    p = sub.add_parser("grade", help="score a folder of canvases: gradebook, feedback, report")
    p.add_argument("folder", help="folder (or ZIP file) of the students' canvases")
    p.add_argument("--out", required=True, metavar="OUT", help="folder for the results")
    p.add_argument("--rubric", metavar="FILE", help="an instructor's rubric (YAML or JSON)")
    p.add_argument("--lang", **{**lang, "help": "feedback language (default: each canvas's)"})
    p.add_argument("--lms", choices=("plain", "canvas", "moodle"), default="plain",
                   help="layout of grades.csv")
    p.add_argument("--id-pattern", metavar="REGEX", help="regex with a (?P<student_id>...) "
                   "group, or canvas, moodle or nbgrader for their layouts")
    p.add_argument("--delimiter", default=",", help="CSV delimiter (default ,)")
    p.add_argument("--bom", action=argparse.BooleanOptionalAction, default=None,
                   help="UTF-8 byte order mark (default: with es, pt or ';')")
    p.add_argument("--assignment", metavar="NAME", help="grade column name for the LMS")

    p = sub.add_parser("explain", help="what the kit knows about one name (any language)")
    p.add_argument("name", nargs="+")
    p.add_argument("--lang", **lang)
    return parser


def _version() -> str:
    from importlib.metadata import version

    return f"crkit {version('crkit')}"


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status."""
    for stream in (sys.stdout, sys.stderr):  # a text a terminal cannot show is escaped
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS.get(args.command, _knowledge)(args)
    except CrkitError as exc:
        print(f"crkit: {exc.message(getattr(args, 'lang', None))}", file=sys.stderr)
        if args.command == "validate" and getattr(args, "all", False):
            rest = getattr(exc, "problems", [])[1:]
            for problem in rest[:SHOWN_PROBLEMS]:
                print(f"crkit: {problem.message(args.lang)}", file=sys.stderr)
            if len(rest) > SHOWN_PROBLEMS:
                print(f"crkit: {t('error.and-more', args.lang, count=len(rest) - SHOWN_PROBLEMS)}",
                      file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the system refused something no check above foresaw
        error = CrkitError("os-error", file=str(exc.filename) if exc.filename else None,
                           reason=exc.strerror or str(exc))
        print(f"crkit: {error.message(getattr(args, 'lang', None))}", file=sys.stderr)
        return EXIT_USAGE


def _validate(args: argparse.Namespace) -> int:
    canvas = load(args.file)
    print(t("report.valid", args.lang, file=args.file, segments=len(canvas.segments),
            relationships=len(canvas.relationships)))
    return 0


def _score(args: argparse.Namespace) -> int:
    rubric = load_rubric(args.rubric)
    report = score(load(args.file), rubric, lang=args.lang)
    if args.json:  # JSON escapes C0 controls itself; the rest as \uXXXX, still JSON
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
        print(_TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
    elif args.markdown:
        print(terminal_safe(render_markdown(report)), end="")
    else:
        print(terminal_safe(render_text(report)), end="")
    return 0


#: characters a terminal acts on (C0 and C1 controls but tab and newline, bidirectional
#: overrides): a canvas's own texts are printed, so a title must not clear the screen
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with the characters a terminal would act on written as escapes."""
    return _TERMINAL.sub(lambda m: escape(m.group()), text)


def _new(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as exc:  # a name too long, a loop of links...
        raise write_error(exc, path) from None
    if is_dir:
        raise CrkitError("not-a-file", file=str(path))
    if exists and not args.force:
        raise CrkitError("file-exists", file=str(path))
    canvas = blank_canvas(args.lang) if args.blank else starter_canvas(args.lang)
    save(canvas, path)
    print(t("report.created", args.lang, path=path))
    return 0


def _knowledge(args: argparse.Namespace) -> int:
    entries = knowledge.entries(args.command)
    if args.json:
        data = [{k: localized(v, args.lang) for k, v in e.items() if k != "aliases"}
                for e in entries]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for entry in entries:
        title = localized(entry.get("name") or entry.get("text"), args.lang)
        print(f"{entry['id']}: {title}")
        key = next((k for k in ("summary", "goal", "description", "why") if k in entry), None)
        if key:
            body = localized(entry[key], args.lang)
            print(textwrap.fill(body, 88, initial_indent="    ", subsequent_indent="    "))
        for key in ("tactics", "metrics"):
            if isinstance(entry.get(key), dict):
                items = localized(entry[key], args.lang)
                print(f"    {t(f'label.{key}', args.lang)}: {', '.join(items)}")
        print()
    return 0


def _cases(args: argparse.Namespace) -> int:
    with warnings.catch_warnings():  # said below, one line per file left out
        warnings.simplefilter("ignore", cases.CaseFileLeftOut)
        library = cases.list_cases(args.cases)
        left_out = cases.problems(args.cases)
    rows = [{
        "id": case.id, "title": case.title(args.lang), "company": case.company_name(args.lang),
        "years": case.years, "types": case.types, "motivations": case.motivations,
        "bond": case.bond, "stages": case.stages,
        "canvases": [entry.id for entry in case.canvases],
    } for case in library]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        _say_left_out(left_out, args.lang)
        return 0
    headers = [t(f"label.case-{key}", args.lang) for key in ("id", "title", "years", "types")]
    table = [[r["id"], r["title"], r["years"],
              ", ".join(knowledge.name("types", x, args.lang) for x in r["types"])]
             for r in rows]
    widths = [max(len(str(row[i])) for row in [headers, *table]) for i in range(3)]
    for row in [headers, *table]:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row[:3]))
              + "  " + row[3])
    print(t("label.case-count", args.lang, count=len(rows), folder=cases.cases_dir(args.cases)))
    _say_left_out(left_out, args.lang)
    return 0


def _say_left_out(left_out: list[CrkitError], lang: str | None) -> None:
    """One line on stderr per case file the library left out (the listing goes on)."""
    for problem in left_out:
        print(f"crkit: {t('error.case-left-out', lang, reason=problem.message(lang))}",
              file=sys.stderr)


def _labels() -> dict:
    return messages()


def _explain(args: argparse.Namespace) -> int:
    entry = explain(" ".join(args.name), args.lang)
    print(f"{entry['id']} ({t('kind.' + entry['kind'], args.lang)}): {entry.get('name', '')}")
    for key, value in entry.items():
        if key in ("id", "name", "kind") or value in (None, "", []):
            continue
        label = t(f"label.{key}", args.lang) if f"label.{key}" in _labels() else key
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        print(textwrap.fill(f"{label}: {value}", 88, subsequent_indent="    "))
    return 0


def _grade(args: argparse.Namespace) -> int:
    run = grade_folder(args.folder, args.out, rubric=args.rubric, lang=args.lang, lms=args.lms,
                       id_pattern=args.id_pattern, delimiter=args.delimiter, bom=args.bom,
                       assignment=args.assignment, progress=True)
    print(run.summary(args.lang))
    return 0


_COMMANDS = {"validate": _validate, "score": _score, "new": _new, "explain": _explain,
             "cases": _cases, "grade": _grade}


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
