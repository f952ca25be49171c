"""User-facing errors: what is wrong, where (file, field path, line) and how to fix it.

Every error a learner can cause by what they type or load is a :class:`CrkitError`. Its
message is one line, can be rendered in English, Spanish or Portuguese, and the command
line and the canvas builder show it instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from crkit.core.i18n import messages, t
from crkit.core.limits import MAX_MESSAGE, SHOWN_ITEMS

PathPart = str | int
#: the longest single value (a name, an id) a message repeats from a file
MAX_VALUE = 120


def escape(text: str) -> str:
    """``text`` with control, format and line-break characters written as escapes.

    What a file says is repeated in messages; a terminal escape or a newline in it must
    neither colour the terminal nor fake a second line.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                       if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return "".join(out)


def shorten(text: str, limit: int = MAX_VALUE) -> str:
    """At most ``limit`` characters, cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Listing(tuple):
    """Names shown in a message: the first few, then "and N more" in the message's language."""

    def __new__(cls, items: Iterable[Any], limit: int = SHOWN_ITEMS) -> Listing:
        self = super().__new__(cls, (str(i) for i in items))
        self.limit = limit
        return self

    def render(self, lang: str | None = None) -> str:
        shown = ", ".join(shorten(i, 40) for i in self[: self.limit]) or "-"
        if len(self) > self.limit:
            shown += " " + t("error.and-more", lang, count=len(self) - self.limit)
        return shown

    def __str__(self) -> str:
        return self.render()


def format_path(path: Sequence[PathPart]) -> str:
    """``("relationships", 1, "type")`` -> ``relationships[1].type``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class CrkitError(Exception):
    """An error in something a user wrote or loaded, with a message made for them.

    Parameters
    ----------
    code : str
        Message id (``error.<code>`` in ``data/messages.yaml``).
    file : str, optional
        The file at fault, as the user named it.
    path : sequence of str or int, optional
        Where in the document, e.g. ``("relationships", 1, "type")``.
    line : int, optional
        1-based line in the file, when known.
    **values
        Placeholders of the message template.
    """

    def __init__(
        self,
        code: str,
        *,
        file: str | None = None,
        path: Sequence[PathPart] = (),
        line: int | None = None,
        **values: Any,
    ) -> None:
        self.code = code
        self.file = file
        self.path = tuple(path)
        self.line = line
        self.values = values
        super().__init__(self.message())

    @property
    def field(self) -> str:
        """The field path as text, e.g. ``relationships[1].type``."""
        return format_path(self.path)

    def message(self, lang: str | None = None) -> str:
        """The one-line message in ``lang``."""
        values = {key: _shown(value, lang) for key, value in self.values.items()}
        if "kind" in values:
            values["kind"] = t(f"kind.{values['kind']}", lang)
        for key in ("expected", "got"):
            if f"word.{values.get(key)}" in messages():
                values[key] = t(f"word.{values[key]}", lang)
        problem = _fill(f"error.{self.code}", lang, values)
        where = ""
        if self.path:
            where = " " + t("error.where-path", lang, path=self.field)
        if self.line:
            where += " " + t("error.where-line", lang, line=self.line)
        if values.get("suggestion"):
            fix = t("error.did-you-mean", lang, suggestion=values["suggestion"])
        elif f"error.{self.code}.fix" in messages():
            fix = _fill(f"error.{self.code}.fix", lang, values)
        else:
            fix = ""
        prefix = f"{shorten(str(self.file), 240)}: " if self.file else ""
        text = escape(f"{prefix}{problem}{where}" + (f"; {fix}" if fix else ""))
        return shorten(text, MAX_MESSAGE)

    def located(self, file: str | None) -> CrkitError:
        """Name the file, keeping everything else (used when loading from disk)."""
        self.file = file
        self.args = (self.message(),)
        return self


class _Blanks(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _fill(key: str, lang: str | None, values: dict[str, Any]) -> str:
    """A message template filled in; a placeholder the raiser forgot shows as '?'.

    An error message must never itself fail: that would turn a clear line into a
    traceback. (A test checks that the kit's own raisers pass every placeholder.)
    """
    if key not in messages():
        return key
    try:
        return t(key, lang, **values)
    except (KeyError, IndexError, ValueError):
        entry = messages()[key]
        template = entry.get(lang or "en") or entry["en"]
        try:
            return template.format_map(_Blanks(values))
        except (IndexError, ValueError):
            return template


def _shown(value: Any, lang: str | None) -> Any:
    """A placeholder value as a message shows it: listings cut, long text shortened."""
    if isinstance(value, Listing):
        return value.render(lang)
    if isinstance(value, str):
        return shorten(value)
    if isinstance(value, (list, tuple, dict)):
        return shorten(str(value))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"{str(value)[:10]}…"
    return value


class WriteError(CrkitError, OSError):
    """A file the kit could not write: read-only folder, full disk, a file where a folder
    should be. It is an :class:`OSError` too, so code that already catches those goes on
    working, and it carries a one-line message like every :class:`CrkitError`."""


class CanvasError(CrkitError):
    """A canvas (or case, or rubric) that cannot be read or does not follow the format.

    ``problems`` holds every problem found, the first of which is this error itself.
    """

    def __init__(self, code: str, *, problems: Sequence[CrkitError] = (), **kwargs: Any):
        self.problems: list[CrkitError] = list(problems)
        super().__init__(code, **kwargs)
        if not self.problems:
            self.problems.append(self)

    def message(self, lang: str | None = None) -> str:
        first = super().message(lang)
        extra = len(getattr(self, "problems", ())) - 1
        if extra > 0:
            first += " " + t("error.more-problems", lang, count=extra)
        return first

    def located(self, file: str | None) -> CanvasError:
        for problem in self.problems:
            if problem is not self:
                problem.located(file)
        super().located(file)
        return self
