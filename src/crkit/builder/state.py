"""The canvas builder's model: the canvas being edited and every edit a learner can make.

Pure Python, no widgets, so each operation is easy to test and the view stays thin. The
model keeps the canvas valid at every step (names are never blank, numbers never negative,
references always point at items that exist), so saving and scoring never fail half-way.
Loading is all-or-nothing, every edit can be undone, and each change is written to a
recovery file so a closed tab or a crashed kernel loses nothing.
"""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crkit.builder.autosave import AUTOSAVE_FOLDER, LOCAL_OWNER, Autosave, check_owner
from crkit.core import knowledge
from crkit.core.canvas import Canvas, Channel, Relationship, Segment, ValueProposition
from crkit.core.errors import escape, shorten
from crkit.core.i18n import check_language, t
from crkit.core.limits import MAX_ITEMS, MAX_LIST, MAX_NUMBER, MAX_TEXT
from crkit.core.starter import blank_canvas, starter_canvas
from crkit.core.storage import load, loads, save
from crkit.scoring.engine import ScoreReport, score

#: the four lists of a canvas a learner edits, in the order the builder shows them
KINDS = ("value_propositions", "segments", "channels", "relationships")
#: how many edits "Undo" can take back
UNDO_DEPTH = 100
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
#: the longest file name the builder accepts
MAX_NAME = 80
#: a file name: letters (any language), digits, spaces, '-', '_' and '.', starting with a
#: letter or digit; no folder separators, so every file stays in the working folder
SAFE_NAME = re.compile(r"[^\W_][\w .-]*")
SUFFIXES = (".yaml", ".yml", ".json")
#: names Windows keeps for devices, refused so a saved file opens everywhere
_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
            *(f"lpt{i}" for i in range(1, 10))}


class EditRejected(Exception):
    """An edit that would make the canvas invalid; ``key`` names the message to show."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(t(key, None, **values))

    def message(self, lang: str | None = None) -> str:
        """The reason in ``lang``."""
        return t(self.key, lang, **self.values)


@dataclass
class Change:
    """What an edit touched, so the view redraws only what it must.

    ``structure``: items of ``kind`` were added, removed or moved, so their list must be
    drawn again. ``renamed``: an item's name or id changed, so the lists that offer it as
    a choice (a channel's segments...) must be drawn again, but not its own list (the
    learner is typing there). ``replaced``: the whole canvas changed.
    """

    kind: str
    structure: bool = False
    renamed: bool = False
    replaced: bool = False


@dataclass
class Snapshot:
    """A saved earlier version of the learner's own canvas, to compare against."""

    number: int
    canvas: Canvas
    taken: float = field(default_factory=time.time)

    def label(self, lang: str | None = None) -> str:
        stamp = time.strftime("%H:%M:%S", time.localtime(self.taken))
        return t("builder.snapshot-label", lang, number=self.number, time=stamp)


@dataclass
class Comparison:
    """Criterion scores of two canvases side by side."""

    label: str
    rows: list[tuple[str, int, int]]
    total: float
    other_total: float


# --- small helpers ----------------------------------------------------------------------
def slug(text: str, fallback: str) -> str:
    """A short id made from a name: 'Families in the neighbourhood' -> 'families-in-the'."""
    words = knowledge.normalise(text).replace(":", "-").strip("-").split("-")
    out = ""
    for word in (w for w in words if w):
        if out and len(out) + len(word) + 1 > 24:
            break
        out = f"{out}-{word}" if out else word
    return out or fallback


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is free."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def parse_number(text: Any) -> float | None:
    """A learner's number: '' -> None, '1200' or '12,5' -> float; EditRejected otherwise.

    Only digits and one decimal mark ('.' or ',') are accepted: thousands separators
    differ between English, Spanish and Portuguese, so '1.200' would be ambiguous.
    """
    if text is None:
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        raw = str(text).strip().replace(" ", "")
        if not raw:
            return None
        if not _NUMBER.match(raw):
            raise EditRejected("builder.error.not-a-number", value=str(text).strip())
        value = float(raw.replace(",", "."))
    if not math.isfinite(value) or value < 0:
        raise EditRejected("builder.error.not-a-number", value=str(text).strip())
    if value > MAX_NUMBER:
        raise EditRejected("builder.error.number-too-large", value=shorten(str(text).strip(), 30),
                           limit=f"{MAX_NUMBER:.0e}")
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def _clean_text(value: Any, required: bool) -> str | None:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise EditRejected("builder.error.blank-name")
    if len(text) > MAX_TEXT:
        raise EditRejected("builder.error.text-too-long", size=len(text), limit=MAX_TEXT)
    return text or None


def _names(kind: str, values: Any) -> list[str]:
    """Fold names to ids, keep the knowledge order, drop unknowns and repeats."""
    wanted = {knowledge.fold(kind, v) for v in values or []}
    return [id_ for id_ in knowledge.ids(kind) if id_ in wanted]


def _metrics(value: Any) -> list[str]:
    if isinstance(value, str):
        value = re.split(r"[,;\n]", value)
    out: list[str] = []
    for item in value or []:
        text = _clean_text(item, required=False)
        if text and text not in out:
            out.append(text)
    if len(out) > MAX_LIST:
        raise EditRejected("builder.error.too-many", limit=MAX_LIST)
    return out


# --- the model --------------------------------------------------------------------------
class BuilderState:
    """The canvas being built, its edits, undo history, snapshots and autosave.

    Parameters
    ----------
    canvas : Canvas, optional
        Where to start; a blank canvas when omitted.
    lang : str, optional
        Language of new items' placeholder names and of score explanations.
    workdir : path, optional
        Folder relative file paths are resolved against (default: the current folder).
    autosave_dir : path or False, optional
        Folder for recovery copies (default ``<workdir>/.crkit-autosave``); False turns
        autosave off.
    rubric : Rubric, optional
        An instructor's rubric; the kit's own when omitted.
    owner : str, optional
        The browser this page belongs to (the app server passes a random id kept in a
        cookie): recovery copies are listed only to pages of the same browser.

    Files are only ever read and written inside ``workdir``: file names are plain names
    (see :meth:`resolve`), and recovery copies are only loaded from this page's own list.
    """

    def __init__(
        self,
        canvas: Canvas | None = None,
        *,
        lang: str | None = None,
        workdir: str | os.PathLike | None = None,
        autosave_dir: str | os.PathLike | bool | None = None,
        rubric: Any = None,
        owner: str | None = None,
    ) -> None:
        self.lang = check_language(lang)
        self.canvas = canvas.copy() if canvas is not None else blank_canvas(self.lang)
        self.workdir = Path(workdir or os.getcwd()).absolute()
        self.rubric = rubric
        self.version = 0
        self.snapshots: list[Snapshot] = []
        self.path: Path | None = None
        self._undo: list[Canvas] = []
        self._redo: list[Canvas] = []
        self._typing: tuple | None = None
        self._listeners: list[Callable[[Change], None]] = []
        self._report: tuple[int, str, ScoreReport] | None = None
        if autosave_dir is False:
            self.autosave = None
        else:
            folder = Path(autosave_dir) if autosave_dir else self.workdir / AUTOSAVE_FOLDER
            self.autosave = Autosave(folder, owner=check_owner(owner))
        #: this page's own default file name, so two pages never write the same file
        self.page = self.autosave.page[:6] if self.autosave else os.urandom(3).hex()
        self.default_name = f"my-canvas-{self.page}.yaml"

    def set_owner(self, owner: str | None) -> None:
        """Give this page to a browser (its recovery copies become the ones listed).

        The app's kernel started ahead draws its builder before any page asks for it, then
        learns the browser's id with the request. Copies are written under the new owner
        from now on; this page keeps its default file name.
        """
        if self.autosave is None or self.autosave.owner == (check_owner(owner) or LOCAL_OWNER):
            return
        self.autosave = Autosave(self.autosave.folder, owner=check_owner(owner))

    # --- listening and scoring -----------------------------------------------------------
    def on_change(self, callback: Callable[[Change], None]) -> None:
        """Call ``callback(change)`` after every edit."""
        self._listeners.append(callback)

    def _changed(self, change: Change) -> Change:
        self.version += 1
        for callback in list(self._listeners):
            callback(change)
        if self.autosave is not None:
            self.autosave.write(self.canvas)
        return change

    def _remember(self, before: Canvas | None = None) -> None:
        """Keep ``before`` (default: the canvas now) for Undo; a new edit ends any Redo."""
        self._undo.append(before if before is not None else self.canvas.copy())
        del self._undo[:-UNDO_DEPTH]
        self._redo.clear()
        self._typing = None

    def report(self, lang: str | None = None) -> ScoreReport:
        """The score of the current canvas, computed once per version and language."""
        lang = check_language(lang or self.lang)
        if self._report and self._report[:2] == (self.version, lang):
            return self._report[2]
        report = score(self.canvas, self.rubric, lang=lang)
        self._report = (self.version, lang, report)
        return report

    # --- whole-canvas operations -----------------------------------------------------------
    def replace(self, canvas: Canvas, path: Path | None = None) -> Change:
        """Start over from another canvas; the old one stays reachable with :meth:`undo`.

        All or nothing: if anything fails on the way (a listener, the recovery copy), the
        canvas, its file and the undo history are put back as they were, then re-raised.
        """
        new = canvas.copy()
        before = (self.canvas, self.path, list(self._undo), self.version, self._report)
        try:
            self._remember()
            self.canvas = new
            self.path = path
            return self._changed(Change("canvas", structure=True, replaced=True))
        except BaseException:
            self.canvas, self.path, self._undo, self.version, self._report = before
            for callback in list(self._listeners):
                try:
                    callback(Change("canvas", structure=True, replaced=True))
                except Exception:  # noqa: BLE001 - the first error is the one to report
                    pass
            raise

    def start_blank(self) -> Change:
        return self.replace(blank_canvas(self.lang))

    def start_starter(self) -> Change:
        return self.replace(starter_canvas(self.lang))

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> Change | None:
        """Take back the last edit (or load); None when there is nothing to undo."""
        if not self._undo:
            return None
        self._redo.append(self.canvas)
        self.canvas = self._undo.pop()
        self._typing = None
        return self._changed(Change("canvas", structure=True, replaced=True))

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def redo(self) -> Change | None:
        """Make again the edit Undo took back; None when there is nothing to redo."""
        if not self._redo:
            return None
        self._undo.append(self.canvas)
        self.canvas = self._redo.pop()
        self._typing = None
        return self._changed(Change("canvas", structure=True, replaced=True))

    def apply_best(self, lang: str | None = None) -> Any:
        """Make the change "what would help most" proposes; return it (None: nothing to do).

        One edit, so one Undo takes it back.
        """
        best = self.report(lang).best_change()
        if best is None or getattr(best, "apply", None) is None:
            return None
        self._remember()
        best.apply(self.canvas)
        self._changed(Change("canvas", structure=True, replaced=True))
        return best

    def resolve(self, path: str | os.PathLike) -> Path:
        """A learner's file name as a path inside the working folder; ``.yaml`` if no suffix.

        Only plain names are accepted: no folder separators, no ``..``, no absolute or
        ``~`` paths, no hidden names, letters, digits, spaces, ``-``, ``_`` and ``.`` only,
        at most :data:`MAX_NAME` characters. A name whose file is a link leading out of
        the folder is refused too. Anything else raises :class:`EditRejected`
        (``builder.error.bad-name``), whose message the builder shows in its language.
        """
        text = str(path).strip()
        if not text:
            raise EditRejected("builder.error.no-path")
        name = text
        if not name.lower().endswith(SUFFIXES):
            name += ".yaml"
        stem = name.rsplit(".", 1)[0]
        if (len(name) > MAX_NAME or not SAFE_NAME.fullmatch(name) or ".." in name
                or stem.split(".")[0].strip().lower() in _DEVICES or name != name.strip(". ")):
            raise EditRejected("builder.error.bad-name", name=shorten(escape(text), 60),
                               limit=MAX_NAME)
        return self.inside(self.workdir / name, text)

    def inside(self, target: Path, shown: str | None = None) -> Path:
        """``target`` if it (following links) stays in the working folder; refuse it otherwise."""
        try:
            real = target.resolve()
            folder = self.workdir.resolve()
        except (OSError, RuntimeError):
            real, folder = None, None
        if real is None or real.parent != folder:
            raise EditRejected("builder.error.bad-name",
                               name=shorten(escape(shown or target.name), 60), limit=MAX_NAME)
        return target

    def export_path(self, path: str | os.PathLike, suffix: str) -> Path:
        """Where an export of the canvas file ``path`` goes (``.png``, ``.md``), in the folder."""
        return self.inside(self.resolve(path).with_suffix(suffix), str(path))

    def load_file(self, path: str | os.PathLike) -> Change:
        """Load a canvas file; on any problem raise CanvasError and keep the canvas as it is."""
        resolved = self.resolve(path)
        canvas = load(resolved)
        return self.replace(canvas, path=resolved)

    def recover(self, path: str | os.PathLike) -> Change:
        """Load one of this page's recovery copies (later saves do not go to that file).

        Only a file :meth:`Autosave.recoveries` lists for this browser can be recovered.
        """
        if self.autosave is None or Path(path) not in self.autosave.recoveries():
            raise EditRejected("builder.error.not-a-recovery")
        return self.replace(load(path))

    def load_bytes(self, data: bytes, name: str) -> Change:
        """Load an uploaded file's content, all or nothing, like :meth:`load_file`.

        The content is read and validated completely before the canvas changes; if the
        change itself fails (a listener, the recovery copy), the canvas is put back.
        """
        shown = shorten(escape(str(name)), 80)
        canvas = loads(bytes(data), name=shown, json_hint=str(name).lower().endswith(".json"))
        return self.replace(canvas)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the canvas atomically (YAML, or JSON for ``.json``); return the full path.

        Raises :class:`EditRejected` for a refused name and :class:`WriteError` (a
        :class:`CrkitError` with a one-line message) when the file cannot be written.
        """
        resolved = self.resolve(path)
        save(self.canvas, resolved)
        self.path = resolved
        return resolved

    # --- snapshots and comparison -----------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """Keep a copy of the canvas as it is now, to compare later versions with."""
        snap = Snapshot(len(self.snapshots) + 1, self.canvas.copy())
        self.snapshots.append(snap)
        return snap

    def compare(self, other: Canvas, label: str, lang: str | None = None) -> Comparison:
        """Criterion scores of the current canvas and ``other``, side by side."""
        mine = self.report(lang)
        theirs = score(other, self.rubric, lang=mine.language)
        rows = [
            (c.name, c.score, theirs.criterion(c.id).score) for c in mine.criteria
        ]
        return Comparison(label, rows, mine.total, theirs.total)

    # --- the title block ----------------------------------------------------------------------
    def set_field(self, name: str, value: Any) -> Change:
        """Edit ``title``, ``market``, ``language`` or ``description``."""
        if name == "title":
            value = _clean_text(value, required=True)
        elif name == "description":
            value = _clean_text(value, required=False)
        elif name == "market":
            value = knowledge.fold("market", value) if value else None
        elif name == "language":
            value = check_language(value)
        else:
            raise KeyError(name)
        if getattr(self.canvas, name) == value:
            return Change("canvas")
        self._remember()
        setattr(self.canvas, name, value)
        return self._changed(Change("canvas"))

    # --- items: add, update, remove, move ---------------------------------------------------
    def items(self, kind: str) -> list:
        return getattr(self.canvas, kind)

    def _ids(self, kind: str, skip: Any = None) -> set[str]:
        return {item.id for item in self.items(kind) if item is not skip}

    def add(self, kind: str, **fields: Any) -> int:
        """Add an item at the end of its list; return its index.

        New items get a placeholder name and a free id; a relationship needs ``segment``
        (the first segment when omitted) and starts as personal assistance.
        """
        if kind in MAX_ITEMS and len(self.items(kind)) >= MAX_ITEMS[kind]:
            raise EditRejected("builder.error.too-many", limit=MAX_ITEMS[kind])
        before = self.canvas.copy()
        count = len(self.items(kind)) + 1
        if kind == "value_propositions":
            text = _clean_text(fields.pop("text", None), False) or t(
                "builder.new-vp", self.lang, n=count)
            item: Any = ValueProposition(unique(slug(text, "vp"), self._ids(kind)), text)
        elif kind == "segments":
            name = _clean_text(fields.pop("name", None), False) or t(
                "builder.new-segment", self.lang, n=count)
            item = Segment(unique(slug(name, "segment"), self._ids(kind)), name)
        elif kind == "channels":
            name = _clean_text(fields.pop("name", None), False) or t(
                "builder.new-channel", self.lang, n=count)
            item = Channel(unique(slug(name, "channel"), self._ids(kind)), name)
        elif kind == "relationships":
            segment = fields.pop("segment", None) or (
                self.canvas.segments[0].id if self.canvas.segments else None)
            if self.canvas.segment(segment or "") is None:
                raise EditRejected("builder.error.no-segment")
            item = Relationship(segment=segment, type="personal-assistance")
        else:
            raise KeyError(kind)
        self.items(kind).append(item)
        try:
            self._apply(kind, item, fields)
        except (EditRejected, KeyError):
            self.canvas = before
            raise
        self._remember(before)
        self._changed(Change(kind, structure=True))
        return len(self.items(kind)) - 1

    def update(self, kind: str, index: int, typing: bool = False, **fields: Any) -> Change:
        """Change fields of one item; reject (and change nothing) if a value is invalid.

        ``typing``: the change comes key by key from a field being typed in, so successive
        changes to the same field, with no other edit between them, are one step for Undo.
        """
        item = self.items(kind)[index]
        before = self.canvas.copy()
        try:
            renamed = self._apply(kind, item, fields)
        except (EditRejected, KeyError):
            self.canvas = before
            raise
        if self.canvas.to_dict() == before.to_dict():
            return Change(kind)
        key = (kind, index, tuple(sorted(fields)))
        if not (typing and self._typing == (*key, self.version)):
            self._remember(before)
        moved = kind == "relationships" and "segment" in fields
        change = self._changed(Change(kind, structure=moved, renamed=renamed))
        self._typing = (*key, self.version) if typing else None
        return change

    def _apply(self, kind: str, item: Any, fields: dict[str, Any]) -> bool:
        """Set fields on ``item``; True when its name or id (shown by other lists) changed."""
        renamed = False
        for key, value in fields.items():
            if key in ("name", "text"):
                new = _clean_text(value, required=True)
                old = getattr(item, key)
                setattr(item, key, new)
                if new != old:
                    self._follow_name(kind, item, old, new)
                    renamed = True
            elif key == "notes":
                item.notes = _clean_text(value, required=False)
            elif key in ("customers", "value_per_customer", "cost_per_customer"):
                setattr(item, key, parse_number(value))
            elif key == "need_complexity":
                item.need_complexity = knowledge.fold("need_complexity", value) or "medium"
            elif key == "expects":
                item.expects = _names("types", value)
            elif key == "motivations":
                item.motivations = _names("motivations", value)
            elif key == "stages":
                item.stages = _names("stages", value)
            elif key == "type":
                item.type = knowledge.fold("types", value) or item.type
            elif key == "bond":
                item.bond = knowledge.fold("bonds", value) if value else None
            elif key == "metrics":
                item.metrics = _metrics(value)
            elif key == "segment":
                if self.canvas.segment(value) is None:
                    raise EditRejected("builder.error.no-segment")
                item.segment = value
            elif key == "value_propositions":
                item.value_propositions = self._refs("value_propositions", value)
            elif key == "segments":
                item.segments = self._refs("segments", value)
            elif key == "channels":
                item.channels = self._refs("channels", value)
            else:
                raise KeyError(f"{kind} has no field {key!r}")
        return renamed

    def _refs(self, kind: str, values: Any) -> list[str]:
        wanted = set(values or [])
        return [item.id for item in self.items(kind) if item.id in wanted]

    def _follow_name(self, kind: str, item: Any, old: str, new: str) -> None:
        """Let an id follow its item's name, if the id was made from the old name.

        Ids a file chose itself ('vib-rouge' for 'VIB and Rouge members') are kept, so a
        loaded case keeps its ids; ids the builder made follow the name, so saved files
        read well. References elsewhere in the canvas follow the id.
        """
        if kind == "relationships":
            return
        fallback = {"value_propositions": "vp", "segments": "segment"}.get(kind, "channel")
        if not re.fullmatch(re.escape(slug(old, fallback)) + r"(-\d+)?", item.id):
            return
        new_id = unique(slug(new, fallback), self._ids(kind, skip=item))
        if new_id != item.id:
            self._rename(kind, item.id, new_id)
            item.id = new_id

    def _rename(self, kind: str, old: str, new: str) -> None:
        def swap(ids: list[str]) -> list[str]:
            return [new if i == old else i for i in ids]

        if kind == "value_propositions":
            for s in self.canvas.segments:
                s.value_propositions = swap(s.value_propositions)
        elif kind == "segments":
            for c in self.canvas.channels:
                c.segments = swap(c.segments)
            for r in self.canvas.relationships:
                r.segment = new if r.segment == old else r.segment
        else:
            for r in self.canvas.relationships:
                r.channels = swap(r.channels)

    def remove(self, kind: str, index: int) -> int:
        """Remove one item and every reference to it; return how many relationships went too.

        Removing a segment removes its relationships (they cannot exist without it).
        """
        self._remember()
        item = self.items(kind).pop(index)
        dropped = 0
        if kind == "value_propositions":
            for s in self.canvas.segments:
                s.value_propositions = [v for v in s.value_propositions if v != item.id]
        elif kind == "segments":
            for c in self.canvas.channels:
                c.segments = [s for s in c.segments if s != item.id]
            kept = [r for r in self.canvas.relationships if r.segment != item.id]
            dropped = len(self.canvas.relationships) - len(kept)
            self.canvas.relationships = kept
        elif kind == "channels":
            for r in self.canvas.relationships:
                r.channels = [c for c in r.channels if c != item.id]
        self._changed(Change(kind, structure=True))
        return dropped

    def move(self, kind: str, index: int, step: int) -> int:
        """Move an item up (step -1) or down (+1); return its new index.

        Relationships move among those of the same segment, since the builder shows them
        grouped by segment.
        """
        items = self.items(kind)
        target = index + step
        if kind == "relationships":
            segment = items[index].segment
            while 0 <= target < len(items) and items[target].segment != segment:
                target += step
        if not 0 <= target < len(items) or target == index:
            return index
        self._remember()
        items[index], items[target] = items[target], items[index]
        self._changed(Change(kind, structure=True))
        return target
