"""Issue 11: random YAML and JSON documents never make ``crkit validate`` or ``crkit score``
show a traceback or exit with anything but 0 (valid) or 2 (one clean line).

Documents are built from the canvas format's own field names and vocabulary, mixed with
hostile values (huge and non-finite numbers, control characters, lone surrogates, YAML
tags, anchors, deep nesting), so most of them get past the parser and reach validation,
scoring and the reports. ``crkit.cli.main`` runs in-process for speed; a few documents
also go through the real command. Random rubric files go through ``--rubric`` (their
validation is the scoring layer's: see ``tests/scoring``).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from crkit.cli import main  # noqa: E402
from crkit.core import knowledge  # noqa: E402
from crkit.core.validation import (  # noqa: E402
    CHANNEL_FIELDS,
    RELATIONSHIP_FIELDS,
    SEGMENT_FIELDS,
    TOP_FIELDS,
)

NAMES = (knowledge.ids("types") + knowledge.ids("stages") + knowledge.ids("motivations")
         + knowledge.ids("bonds") + ["low", "medium", "high", "en", "es", "pt", "s", "c", "v",
                                     "Autoatendimento", "comunidades"])
FIELDS = sorted(set(TOP_FIELDS + SEGMENT_FIELDS + CHANNEL_FIELDS + RELATIONSHIP_FIELDS))

scalars = st.one_of(
    st.sampled_from(NAMES),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=10),
    st.sampled_from(["\x1b[31m", "a\nb", "\u202e", "\x00", "", " ", "~", "null", "yes"]),
    st.integers(min_value=-10, max_value=10**6),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)


def _mapping(children, keys):
    return st.dictionaries(keys, children, max_size=6)


values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5),
                               _mapping(children, st.one_of(st.sampled_from(FIELDS),
                                                            st.text(max_size=8)))),
    max_leaves=30,
)

segment = st.fixed_dictionaries({"id": st.sampled_from(["s", "t", "u"]),
                                 "name": scalars},
                                optional={k: values for k in SEGMENT_FIELDS
                                          if k not in ("id", "name")})
relationship = st.fixed_dictionaries({"segment": st.sampled_from(["s", "t", "x"]),
                                      "type": st.sampled_from(NAMES)},
                                     optional={k: st.one_of(values, st.sampled_from(NAMES),
                                                            st.lists(st.sampled_from(NAMES)))
                                               for k in RELATIONSHIP_FIELDS
                                               if k not in ("segment", "type")})
canvas_like = st.fixed_dictionaries(
    {"crkit": st.sampled_from([1, 1, 1, 2, "1", None]), "title": scalars},
    optional={"segments": st.lists(segment, max_size=5),
              "relationships": st.lists(relationship, max_size=6),
              "channels": st.lists(st.fixed_dictionaries(
                  {"id": st.sampled_from(["c", "d"]), "name": scalars},
                  optional={"segments": st.lists(st.sampled_from(["s", "t", "q"]))}),
                  max_size=3),
              "value_propositions": st.lists(st.fixed_dictionaries(
                  {"id": st.sampled_from(["v", "w"]), "text": scalars}), max_size=3),
              "language": st.sampled_from(["en", "es", "pt", "fr", 3]),
              "market": values, "description": values, "author": values,
              "extra": values},
)
documents = st.one_of(canvas_like, values)

#: fragments spliced into YAML text: tags, anchors, odd scalars, broken syntax
YAML_NOISE = ["!!binary aGVsbG8=", "!!float abc", "!!int 12x", "!!python/object/apply:os.system"
              " [ls]", "&a [1]", "*a", "<<: {a: 1}", "!!set {a}", "!custom x", "9" * 400,
              ".nan", "-.inf", "1.0e+999", "'\\ud800'", '"\\ud800"', "{", "]", ": :", "\t",
              "? complex\n: key", "--- \n---", "%YAML 1.1\n---", "@", "`"]


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def _check(path: Path, *extra: str) -> None:
    code, _, _ = _run(["validate", str(path)])
    commands = [["validate", str(path)], ["score", "--json", str(path), *extra]]
    if code == 0 or extra:  # a valid canvas: every report too
        commands += [["score", str(path), *extra],
                     ["score", "--markdown", "--lang", "pt", str(path), *extra]]
    for command in commands:
        started = time.perf_counter()
        code, out, err = _run(command)
        assert time.perf_counter() - started < 5, command
        assert code in (0, 2), (command, code, err)
        assert "Traceback" not in err and "Traceback" not in out
        if code == 2:
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("crkit: "), err
            assert lines[0].isprintable(), repr(lines[0])
            assert out == ""
        elif "--json" in command:
            json.loads(out, parse_constant=_not_json)  # strict JSON: no bare NaN


def _not_json(constant: str):
    raise AssertionError(f"--json printed {constant}, which is not JSON")


def _yaml(data) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(doc=documents, as_json=st.booleans())
def test_random_documents_get_0_or_2(doc, as_json):
    with tempfile.TemporaryDirectory() as folder:
        if as_json:
            path = Path(folder) / "c.json"
            path.write_text(json.dumps(doc, ensure_ascii=bool(doc) and len(str(doc)) % 2 == 0),
                            encoding="utf-8", errors="surrogatepass")
        else:
            path = Path(folder) / "c.yaml"
            try:
                path.write_text(_yaml(doc), encoding="utf-8")
            except (UnicodeEncodeError, Exception):  # noqa: BLE001 - undumpable: skip
                return
        _check(path)


@FUZZ
@given(doc=canvas_like, noise=st.lists(st.tuples(st.sampled_from(YAML_NOISE),
                                                 st.integers(0, 10_000)), max_size=3))
def test_random_yaml_text_with_hostile_fragments_gets_0_or_2(doc, noise):
    try:
        text = _yaml(doc)
    except Exception:  # noqa: BLE001
        return
    for fragment, where in noise:
        lines = text.splitlines()
        at = where % (len(lines) + 1)
        if lines and at < len(lines) and ": " in lines[at]:
            key = lines[at].split(": ", 1)[0]
            lines[at] = f"{key}: {fragment}"
        else:
            lines.insert(at, fragment)
        text = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _check(path)


@FUZZ
@given(raw=st.binary(max_size=200))
def test_random_bytes_get_0_or_2(raw):
    with tempfile.TemporaryDirectory() as folder:
        for name in ("c.yaml", "c.json"):
            path = Path(folder) / name
            path.write_bytes(raw)
            _check(path)


criterion_like = st.fixed_dictionaries(
    {"id": st.sampled_from(["expectation-fit", "expectation-fit", "cost-fit", "nope", 3])},
    optional={"weight": st.one_of(
        st.sampled_from([float("nan"), float("inf"), -1, 0, 5, 25, "x", None]),
        st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 200)),
        "levels": st.one_of(st.lists(st.floats(allow_nan=True), max_size=5), values),
        "params": values, "wieght": values})
rubric_like = st.fixed_dictionaries(
    {"crkit-rubric": st.sampled_from([1, 1, 1, 1, 2, "x"]),
     "criteria": st.one_of(st.lists(criterion_like, min_size=1, max_size=4),
                           st.lists(criterion_like, min_size=1, max_size=4), values)},
    optional={
        "levels": st.one_of(st.lists(st.floats(allow_nan=True), max_size=5), values),
        "shared": values, "weights": values, "name": values, "bands": values},
)


@FUZZ
@given(rubric=st.one_of(rubric_like, values))
def test_random_rubric_files_get_0_or_2(rubric, starter_path):
    """Depends on strict rubric validation (the scoring layer's part of issue 11)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rubric.yaml"
        try:
            path.write_text(_yaml(rubric), encoding="utf-8")
        except Exception:  # noqa: BLE001
            return
        _check(starter_path, "--rubric", str(path))


@pytest.fixture(scope="module")
def starter_path(tmp_path_factory):
    import crkit

    path = tmp_path_factory.mktemp("fuzz") / "starter.yaml"
    crkit.save(crkit.starter_canvas(), path)
    return path


@pytest.mark.parametrize("text", [
    "crkit: 1\ntitle: !!binary aGVsbG8=\n",
    '{"crkit": 1, "title": "\\ud800", "title": 2}',
    "crkit: 1\ntitle: T\nsegments: [{id: s, name: S, customers: " + "9" * 5000 + "}]\n",
    "\ufeff\x00\x01" * 30,
])
def test_the_real_command_never_shows_a_traceback(tmp_path, text):
    for name in ("c.yaml", "c.json"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        for command in ("validate", "score"):
            result = subprocess.run([sys.executable, "-m", "crkit.cli", command, str(path)],
                                    capture_output=True, text=True, timeout=60)
            assert result.returncode == 2, result.stderr
            assert "Traceback" not in result.stderr
            assert len(result.stderr.strip().splitlines()) == 1
