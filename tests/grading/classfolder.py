"""A generated class folder for the grading tests: varied canvases, bad files, a ZIP."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import crkit

ROOT = Path(__file__).resolve().parents[2]


def varied(i: int) -> crkit.Canvas:
    """The starter canvas in one of three languages, changed a little more each time."""
    canvas = crkit.starter_canvas(("en", "es", "pt")[i % 3])
    canvas.title = f"{canvas.title} {i}"
    if i % 4 == 1:
        canvas.relationships[0].metrics = []
    if i % 4 == 2:
        canvas.relationships[1].stages = ["awareness"]
        canvas.relationships[1].motivations = []
    if i % 5 == 3:
        canvas.relationships[0].cost_per_customer = 150
    if i % 6 == 5:
        canvas.relationships = canvas.relationships[:1]
    canvas.segments[0].customers = 1000 + 37 * i
    return canvas




def _zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_class(folder: Path, n: int = 12) -> dict[str, str]:
    """Write the class into ``folder``; return file -> expected status."""
    expected: dict[str, str] = {}
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        name = f"student{i:02d}.{'json' if i == 4 else 'yaml'}"
        crkit.save(varied(i), folder / name)
        expected[name] = "scored"
    sub = folder / "late"
    sub.mkdir()
    crkit.save(varied(20), sub / "student20.yaml")
    crkit.save(varied(1), sub / "student01.yaml")  # a second file for the same student
    expected["late/student20.yaml"] = expected["late/student01.yaml"] = "scored"

    bad = {
        # a canvas with a YAML syntax error: invalid, with its line
        "broken-yaml.yaml": (b"crkit: 1\ntitle: Broken\nsegments:\n  - id: a\n   name: b\n",
                             "invalid"),
        # a canvas with an unknown relationship type: invalid, with its line
        "unknown-type.yaml": (crkit.dumps(crkit.starter_canvas()).replace(
            "type: personal-assistance", "type: telepathy", 1).encode(), "invalid"),
        "no-crkit-key.yaml": (b"name: My shopping list\nitems: [bread, milk]\n",
                              "not a canvas"),
        "notes.yaml": (b"Remember to hand in the canvas on Friday.\n", "not a canvas"),
        "picture.yaml": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
                         "not a canvas"),
        "broken.json": (b'{"title": "half a file", ', "not a canvas"),
        "case.yaml": ((ROOT / "casestudies" / "amazon.yaml").read_bytes(), "not a canvas"),
    }
    for name, (data, status) in bad.items():
        (folder / name).write_bytes(data)
        expected[name] = status
    (folder / "readme.txt").write_text("not a canvas file name: ignored")
    (folder / ".hidden.yaml").write_text("ignored")

    inner = _zip_bytes({"student31.yaml": crkit.dumps(varied(31)).encode()})
    members = {
        "submissions/student30.yaml": crkit.dumps(varied(30)).encode(),
        "submissions/student32.json": crkit.dumps(varied(32), "json").encode(),
        "../evil.yaml": crkit.dumps(varied(33)).encode(),
        "/abs/evil2.yaml": crkit.dumps(varied(34)).encode(),
        "bomb.yaml": b"crkit: 1\n" + b" " * 900_000,
        "huge.yaml": b"#" * 1_200_000,
        "nested.zip": inner,
        "__MACOSX/._student30.yaml": b"\x00\x05\x16\x07",
        "photo.png": b"\x89PNG",
    }
    (folder / "bulk.zip").write_bytes(_zip_bytes(members))
    expected.update({
        "bulk.zip!submissions/student30.yaml": "scored",
        "bulk.zip!submissions/student32.json": "scored",
        "bulk.zip!../evil.yaml": "not a canvas",
        "bulk.zip!/abs/evil2.yaml": "not a canvas",
        "bulk.zip!bomb.yaml": "not a canvas",
        "bulk.zip!huge.yaml": "not a canvas",
        "bulk.zip!nested.zip!student31.yaml": "scored",
    })
    (folder / "corrupt.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    expected["corrupt.zip"] = "not a canvas"
    return expected
