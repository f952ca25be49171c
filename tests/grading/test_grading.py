"""Grading a class: gradebook rows, LMS layouts, feedback files, the class report, reruns."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from classfolder import make_class, varied

import crkit
from crkit.core.numbers import number
from crkit.grading import ID_PATTERNS, grade_folder

CRITERIA = ["expectation-fit", "economics", "integration", "lifecycle", "measurement",
            "leverage"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    folder = base / "submissions"
    expected = make_class(folder)
    run = grade_folder(folder, base / "out")
    return folder, base / "out", expected, run


def _csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def test_every_file_found_has_its_row_with_the_expected_status(graded):
    _, out, expected, run = graded
    rows = _csv(out / "grades.csv")
    assert {r["file"]: r["status"] for r in rows} == expected
    assert [r["file"] for r in rows] == sorted(expected)
    assert list(rows[0]) == ["student_id", "file", "status", "total", *CRITERIA, "language",
                             "feedback", "duplicate", "message"]
    for row in rows:
        if row["status"] == "scored":
            assert row["message"] == "" and 0 <= float(row["total"]) <= 100
            assert all(row[c] in {"0", "1", "2", "3", "4"} for c in CRITERIA)
        else:
            assert row["message"] and row["total"] == "" and all(row[c] == "" for c in CRITERIA)


@pytest.mark.parametrize("name", ["student00.yaml", "student04.json", "student05.yaml",
                                  "late/student20.yaml"])
def test_totals_and_criterion_scores_equal_crkit_score_json(crkit_cmd, graded, name):
    folder, out, _, _ = graded
    result = crkit_cmd("score", str(folder / name), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    row = next(r for r in _csv(out / "grades.csv") if r["file"] == name)
    assert float(row["total"]) == data["total"]
    assert {c: int(row[c]) for c in CRITERIA} == {c["id"]: c["score"] for c in data["criteria"]}
    assert row["language"] == data["language"]


def test_rows_carry_the_whole_score_json_also_for_zip_members(graded):
    _, _, _, run = graded
    for row in run.scored:
        if "!" not in row.file:
            continue
        member = row.file.rsplit("!", 1)[1]
        number = int(re.search(r"(\d+)", member).group(1))
        canvas = crkit.loads(crkit.dumps(varied(number)))
        assert row.result == crkit.score(canvas).to_dict()
    assert any("nested.zip!" in r.file for r in run.scored)


def test_scores_vary_across_the_class(graded):
    _, _, _, run = graded
    assert len({r.total for r in run.scored}) >= 4


@pytest.mark.parametrize("name", ["broken-yaml.yaml", "unknown-type.yaml"])
def test_invalid_files_carry_the_first_problem_as_crkit_validate_reports_it(
        crkit_cmd, graded, name):
    folder, out, _, _ = graded
    row = next(r for r in _csv(out / "grades.csv") if r["file"] == name)
    assert row["status"] == "invalid"
    assert re.search(r"\(line \d+\)", row["message"])
    result = crkit_cmd("validate", str(folder / name))
    assert result.returncode == 2
    assert result.stderr.strip() == f"crkit: {folder / name}: {row['message']}"


@pytest.mark.parametrize("name,words", [
    ("no-crkit-key.yaml", "no 'crkit:' line"),
    ("case.yaml", "case file"),
    ("picture.yaml", "binary"),
    ("notes.yaml", "not the fields of a canvas"),
    ("broken.json", "neither YAML nor JSON"),
    ("bulk.zip!../evil.yaml", "unsafe path"),
    ("bulk.zip!/abs/evil2.yaml", "unsafe path"),
    ("bulk.zip!bomb.yaml", "ZIP bomb"),
    ("bulk.zip!huge.yaml", "too large"),
    ("corrupt.zip", "cannot be opened"),
])
def test_files_that_are_not_canvases_say_why(graded, name, words):
    _, out, _, _ = graded
    row = next(r for r in _csv(out / "grades.csv") if r["file"] == name)
    assert row["status"] == "not a canvas"
    assert words in row["message"]


def test_nothing_is_unpacked_outside_the_output(graded):
    folder, out, _, _ = graded
    assert not list(folder.parent.rglob("evil*.yaml"))
    assert not (Path("/abs/evil2.yaml").exists())
    assert {p.name for p in out.iterdir()} == {"grades.csv", "feedback", "feedback.zip",
                                               "class-report.html"}


def test_two_files_for_one_student_give_two_flagged_rows(graded):
    _, out, _, run = graded
    rows = [r for r in _csv(out / "grades.csv") if r["student_id"] == "student01"]
    assert [r["file"] for r in rows] == ["late/student01.yaml", "student01.yaml"]
    assert all(r["duplicate"] == "yes" for r in rows)
    assert {r["feedback"] for r in rows} == {"feedback/student01.md", "feedback/student01-2.md"}
    assert sum(r.duplicate for r in run.rows) == 2
    assert "more than one file for 'student01'" in run.summary()


def test_feedback_per_student_in_the_canvas_language(graded):
    _, out, _, run = graded
    for row in run.rows:
        md = (out / "feedback" / f"{row.feedback}.md").read_text(encoding="utf-8")
        page = (out / "feedback" / f"{row.feedback}.html").read_text(encoding="utf-8")
        assert row.file in md and row.student_id in md
        if row.report is None:
            assert "could not be scored" in md and row.message in md
            continue
        heading, best = {
            "en": ("Customer relationships score", "What would help most"),
            "es": ("Puntuación de relaciones con clientes", "Lo que más ayudaría"),
            "pt": ("Pontuação de relacionamento com clientes", "O que mais ajudaria"),
        }[row.report.language]
        assert heading in md and best in md and heading in page and best in page
        assert f'<html lang="{row.report.language}">' in page
        assert f"{number(row.total, row.report.language)} / 100" in md
        for c in row.report.criteria:  # each criterion's reason and suggestion
            assert c.explanation in md and c.suggestion in md
    spanish = next(r for r in run.scored if r.file == "student01.yaml")
    assert spanish.report.language == "es"


def test_feedback_zip_holds_the_same_files(graded):
    _, out, _, _ = graded
    with zipfile.ZipFile(out / "feedback.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {n.removeprefix("feedback/") for n in names} == {
            p.name for p in (out / "feedback").iterdir()}
        for name in names[:4]:
            assert archive.read(name) == (out / name).read_bytes()


def test_lang_option_overrides_the_canvas_language(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    crkit.save(crkit.starter_canvas("es"), folder / "ana.yaml")
    (folder / "x.yaml").write_text("hola: mundo\n")
    run = grade_folder(folder, tmp_path / "out", lang="pt")
    md = (tmp_path / "out" / "feedback" / "ana.md").read_text(encoding="utf-8")
    assert "Pontuação de relacionamento com clientes" in md
    assert "não é um canvas" in (tmp_path / "out" / "feedback" / "x.md").read_text()
    assert run.rows[1].message.startswith("não há uma linha 'crkit:'")
    assert (tmp_path / "out" / "grades.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def _lms_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "download"
    folder.mkdir()
    crkit.save(varied(0), folder / "smithjohn_12345_67890_my-canvas.yaml")
    crkit.save(varied(1), folder / "garciaana_LATE_23456_78901_canvas.yaml")
    (folder / "leeyu_34567_89012_notes.yaml").write_text("just: notes\n")
    return folder


def test_canvas_layout_has_the_columns_canvas_imports(tmp_path):
    run = grade_folder(_lms_folder(tmp_path), tmp_path / "out", lms="canvas",
                       id_pattern="canvas", assignment="Relationships canvas (4711)")
    rows = _csv(tmp_path / "out" / "grades.csv")
    assert list(rows[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                             "Relationships canvas (4711)"]
    by_id = {r["ID"]: r for r in rows}
    assert set(by_id) == {"12345", "23456", "34567"}
    assert by_id["12345"]["Student"] == "smithjohn"
    scored = {r.student_id: r.total for r in run.scored}
    assert float(by_id["23456"]["Relationships canvas (4711)"]) == scored["23456"]
    assert by_id["34567"]["Relationships canvas (4711)"] == ""  # not a canvas: no grade
    detail = _csv(tmp_path / "out" / "grades-detail.csv")
    assert {r["student_id"]: r["status"] for r in detail}["34567"] == "not a canvas"


def test_moodle_layout_has_identifier_grade_and_feedback(tmp_path):
    folder = tmp_path / "download"
    folder.mkdir()
    crkit.save(varied(2), folder / "John Smith_12345_assignsubmission_file_canvas.yaml")
    grade_folder(folder, tmp_path / "out", lms="moodle", id_pattern=ID_PATTERNS["moodle"],
                 delimiter=";")
    raw = (tmp_path / "out" / "grades.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # ';' means a European spreadsheet: BOM
    rows = _csv(tmp_path / "out" / "grades.csv", ";")
    assert list(rows[0]) == ["ID number", "Customer relationships canvas", "Feedback"]
    assert rows[0]["ID number"] == "12345"
    assert rows[0]["Feedback"].startswith("Total ")
    assert "What would help most" in rows[0]["Feedback"] or "más ayudaría" in rows[0][
        "Feedback"] or "mais ajudaria" in rows[0]["Feedback"]

    emails = tmp_path / "emails"
    emails.mkdir()
    crkit.save(varied(0), emails / "ana@uni.example.yaml")
    grade_folder(emails, tmp_path / "out2", lms="moodle", bom=False)
    raw = (tmp_path / "out2" / "grades.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode().splitlines()[0] == "Email address,Customer relationships canvas,Feedback"


def test_nbgrader_and_moodle_folders_give_the_id_from_the_path(tmp_path):
    folder = tmp_path / "course"
    for student in ("alice", "bob"):
        (folder / "submitted" / student / "canvas").mkdir(parents=True)
        crkit.save(varied(0), folder / "submitted" / student / "canvas" / "my-canvas.yaml")
    run = grade_folder(folder, tmp_path / "out", id_pattern="nbgrader")
    assert [r.student_id for r in run.rows] == ["alice", "bob"]
    assert sorted(p.name for p in (tmp_path / "out" / "feedback").iterdir()) == [
        "alice.html", "alice.md", "bob.html", "bob.md"]

    moodle = tmp_path / "moodle"
    (moodle / "Ana Garcia_777_assignsubmission_file").mkdir(parents=True)
    crkit.save(varied(1), moodle / "Ana Garcia_777_assignsubmission_file" / "canvas.yaml")
    run = grade_folder(moodle, tmp_path / "out2", id_pattern="moodle")
    assert (run.rows[0].student_id, run.rows[0].name) == ("777", "Ana Garcia")


def test_id_pattern_without_a_match_falls_back_to_the_stem(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    crkit.save(varied(0), folder / "free-name.yaml")
    run = grade_folder(folder, tmp_path / "out", id_pattern="canvas")
    assert run.rows[0].student_id == "free-name"


def test_rerun_gives_byte_identical_files(graded, tmp_path):
    folder, out, _, _ = graded
    again = tmp_path / "again"
    grade_folder(folder, again)
    grade_folder(folder, again)
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second
    assert not [p for p in again.rglob("*.tmp")]


def test_feedback_of_students_no_longer_in_the_folder_is_removed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        crkit.save(varied(0), folder / f"{name}.yaml")
    grade_folder(folder, tmp_path / "out")
    (folder / "b.yaml").unlink()
    grade_folder(folder, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out" / "feedback").iterdir()) == [
        "a.html", "a.md"]


def test_an_interrupted_run_leaves_the_previous_feedback_whole(tmp_path, monkeypatch):
    import crkit.grading as grading

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        crkit.save(varied(0), folder / f"{name}.yaml")
    grade_folder(folder, tmp_path / "out")
    before = {p.name: p.read_bytes() for p in (tmp_path / "out" / "feedback").iterdir()}
    real = grading._grade_one
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(grading, "_grade_one", failing)
    (folder / "a.yaml").write_text("crkit: 1\ntitle: changed\n")
    with pytest.raises(KeyboardInterrupt):
        grade_folder(folder, tmp_path / "out")
    after = {p.name: p.read_bytes() for p in (tmp_path / "out" / "feedback").iterdir()}
    assert after == before
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []


def test_the_output_inside_the_folder_is_not_graded_again(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    crkit.save(varied(0), folder / "a.yaml")
    grade_folder(folder, folder / "graded")
    run = grade_folder(folder, folder / "graded")
    assert [r.file for r in run.rows] == ["a.yaml"]


def test_a_zip_file_can_be_graded_directly(graded, tmp_path):
    folder, _, expected, _ = graded
    run = grade_folder(folder / "bulk.zip", tmp_path / "out")
    assert {r.file: r.status for r in run.rows} == {
        k: v for k, v in expected.items() if k.startswith("bulk.zip!")}


def test_an_instructors_rubric_is_used_for_every_file(crkit_cmd, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        crkit.save(varied(i), folder / f"s{i}.yaml")
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text("crkit-rubric: 1\ncriteria:\n  - id: economics\n  - id: measurement\n")
    calls = []
    from crkit.grading import _kit

    real = _kit.load_rubric
    monkeypatch.setattr(_kit, "load_rubric", lambda p=None: calls.append(p) or real(p))
    run = grade_folder(folder, tmp_path / "out", rubric=rubric)
    assert calls == [rubric]  # loaded once for the class
    header = (tmp_path / "out" / "grades.csv").read_text().splitlines()[0]
    assert header == "student_id,file,status,total,economics,measurement,language,feedback," \
                     "duplicate,message"
    result = crkit_cmd("score", str(folder / "s1.yaml"), "--json", "--rubric", str(rubric))
    assert json.loads(result.stdout)["total"] == run.rows[1].total


def test_progress_is_reported_per_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        crkit.save(varied(i), folder / f"s{i}.yaml")
    seen = []
    grade_folder(folder, tmp_path / "out", progress=lambda done, total: seen.append(done))
    assert seen == [1, 2, 3, -1]


def test_class_report_has_its_charts_with_alt_text_and_no_outside_reference(graded):
    _, out, _, run = graded
    page = (out / "class-report.html").read_text(encoding="utf-8")
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 1 + len(CRITERIA)
    for svg in svgs:
        assert 'role="img"' in svg
        title = re.search(r"<title id=\"([^\"]+)\">([^<]+)</title>", svg)
        desc = re.search(r"<desc id=\"([^\"]+)\">([^<]+)</desc>", svg)
        assert title and desc and len(desc.group(2)) > 40
        assert f'aria-labelledby="{title.group(1)} {desc.group(1)}"' in svg
    totals_desc = re.search(r'<desc id="totals-desc">([^<]+)</desc>', page).group(1)
    counts = [int(n) for n in re.findall(r"–\d+: (\d+)", totals_desc)]
    assert sum(counts) == len(run.scored)
    # no script, stylesheet, image or font from anywhere
    without_ns = page.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        '<link rel="icon" href="data:,">', "")  # an empty icon: no request for favicon.ico
    assert not re.search(r"https?:|//[a-z]|src=|href=|@import|url\(|<script", without_ns)
    assert "The most common flaws" in page and "What would help most, most often" in page
    assert "A motivation has no metric to track it" in page
    for row in run.unscored:
        assert row.file.replace("'", "&#x27;") in page or row.file in page
    assert "student01" in page  # the duplicate


def test_a_class_with_nothing_scorable_still_gets_its_report(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_text("title: no crkit line\n")
    (folder / "b.json").write_bytes(b"\x00\x01")
    run = grade_folder(folder, tmp_path / "out")
    assert [r.status for r in run.rows] == ["not a canvas", "not a canvas"]
    page = (tmp_path / "out" / "class-report.html").read_text(encoding="utf-8")
    assert "2 files found: 0 scored" in page and "a.yaml" in page and "b.json" in page


def test_class_report_in_the_chosen_language(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    crkit.save(varied(0), folder / "a.yaml")
    grade_folder(folder, tmp_path / "out", lang="es")
    page = (tmp_path / "out" / "class-report.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "Informe del grupo" in page
    assert "Distribución de los totales" in page


def test_cli_grades_a_folder_and_exits_0(crkit_cmd, graded, tmp_path):
    folder, _, expected, _ = graded
    result = crkit_cmd("grade", str(folder), "--out", str(tmp_path / "o"), "--lms", "canvas",
                       "--id-pattern", "canvas", timeout=120)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    scored = sum(v == "scored" for v in expected.values())
    assert first.startswith(f"{scored} of {len(expected)} files scored")
    assert "not scored: broken-yaml.yaml:" in result.stdout
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal
    assert (tmp_path / "o" / "grades-detail.csv").exists()


@pytest.mark.parametrize("case", ["missing", "empty", "file", "pattern", "delimiter"])
def test_cli_exits_2_with_one_line_when_the_folder_or_an_option_is_unusable(
        crkit_cmd, tmp_path, case):
    folder = tmp_path / "in"
    folder.mkdir()
    extra: list[str] = []
    if case == "missing":
        folder = tmp_path / "nowhere"
    elif case == "file":
        folder = tmp_path / "one.yaml"
        crkit.save(varied(0), folder)
    elif case == "empty":
        (folder / "readme.txt").write_text("nothing to grade")
    else:
        crkit.save(varied(0), folder / "a.yaml")
        extra = ["--id-pattern", "(?P<sid>x)"] if case == "pattern" else ["--delimiter", "ab"]
    result = crkit_cmd("grade", str(folder), "--out", str(tmp_path / "out"), *extra)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("crkit: ")
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_an_unreadable_file_does_not_stop_the_run(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    folder = tmp_path / "in"
    folder.mkdir()
    crkit.save(varied(0), folder / "a.yaml")
    crkit.save(varied(1), folder / "b.yaml")
    (folder / "a.yaml").chmod(0)
    try:
        run = grade_folder(folder, tmp_path / "out")
    finally:
        (folder / "a.yaml").chmod(0o644)
    assert [r.status for r in run.rows] == ["not a canvas", "scored"]
    shutil.rmtree(tmp_path / "out")
    (folder / "locked").mkdir()
    (folder / "locked").chmod(0)
    try:
        run = grade_folder(folder, tmp_path / "out")
    finally:
        (folder / "locked").chmod(0o755)
    assert "locked/" in [r.file for r in run.rows]


def test_a_sub_folder_that_cannot_be_listed_gets_a_row(tmp_path, monkeypatch):
    import errno
    import os

    import crkit.grading._collect as collect

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    crkit.save(varied(0), folder / "a.yaml")
    real_walk = os.walk

    def walk(top, onerror=None, **kwargs):
        onerror(PermissionError(errno.EACCES, "Permission denied", str(folder / "locked")))
        yield from real_walk(top, onerror=onerror, **kwargs)

    monkeypatch.setattr(collect.os, "walk", walk)
    run = grade_folder(folder, tmp_path / "out")
    row = next(r for r in run.rows if r.file == "locked/")
    assert row.status == "not a canvas" and "Permission denied" in row.message
    assert [r.status for r in run.rows if r.file == "a.yaml"] == ["scored"]
