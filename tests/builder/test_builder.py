"""The canvas builder, driven from Python as a learner would drive it in the browser.

Controls are changed by setting ``.value`` and buttons pressed with ``.click()``; each test
then checks the canvas, the score panel and the files the builder wrote.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

import crkit  # noqa: E402
from crkit.builder import CanvasBuilder  # noqa: E402
from crkit.builder.state import BuilderState, EditRejected, parse_number, slug  # noqa: E402

NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture
def builder(tmp_path: Path) -> CanvasBuilder:
    return CanvasBuilder(workdir=tmp_path, autosave_dir=tmp_path / "autosave")


def shown_total(builder: CanvasBuilder) -> float:
    """The total as the score panel shows it."""
    return float(re.search(r'crkit-total-number">([\d.]+)<', builder.total.value).group(1))


def test_starts_from_the_starter_canvas_and_shows_its_score(builder):
    assert builder.canvas.to_dict() == crkit.starter_canvas().to_dict()
    assert shown_total(builder) == crkit.score(builder.canvas).total
    assert builder.total_bar.value == crkit.score(builder.canvas).total
    for c in crkit.score(builder.canvas).criteria:
        assert builder.criteria_bars[c.id].value == c.score
        assert f"{c.score}/4" in builder.criteria_names[c.id].value
    assert "What would help most" in builder.best.value


def test_adding_a_segment_and_a_relationship_changes_the_total(builder):
    before = shown_total(builder)
    builder.add_buttons["segments"].click()
    card = builder.cards["segments"][-1]
    card["name"].value = "Students"
    card["customers"].value = "500"
    card["value_per_customer"].value = "40"
    card["expects"].set(["self-service"])
    segment = builder.canvas.segments[-1]
    assert (segment.id, segment.name, segment.customers) == ("students", "Students", 500)
    assert segment.expects == ["self-service"]
    after_segment = shown_total(builder)
    assert after_segment < before  # a segment with no relationship is an orphan

    builder.add_buttons["relationships:students"].click()
    rel = builder.cards["relationships"][-1]
    rel["type"].value = "self-service"
    rel["motivations"].set(["acquisition"])
    rel["cost_per_customer"].value = "2"
    assert builder.canvas.relationships[-1].segment == "students"
    assert builder.canvas.relationships[-1].type == "self-service"
    assert shown_total(builder) > after_segment
    assert shown_total(builder) == crkit.score(builder.canvas).total


def test_each_field_change_updates_the_score_in_place(builder):
    panel = builder.total
    card = builder.cards["relationships"][0]
    card["cost_per_customer"].value = "170"  # eats almost all the segment's value
    assert builder.total is panel  # same widget, new value: nothing appended
    assert shown_total(builder) == crkit.score(builder.canvas).total
    assert builder.criteria_bars["economics"].value == crkit.score(builder.canvas).scores[
        "economics"]


def test_remove_and_reorder(builder):
    names = [s.name for s in builder.canvas.segments]
    builder.cards["segments"][1]["up"].click()
    assert [s.name for s in builder.canvas.segments] == names[::-1]
    builder.cards["segments"][0]["down"].click()
    assert [s.name for s in builder.canvas.segments] == names
    assert builder.cards["segments"][0]["up"].disabled
    assert builder.cards["segments"][-1]["down"].disabled

    builder.cards["segments"][0]["remove"].click()
    canvas = builder.canvas
    assert [s.name for s in canvas.segments] == names[1:]
    assert all(r.segment != "neighbours" for r in canvas.relationships)
    assert all("neighbours" not in c.segments for c in canvas.channels)
    assert "Undo" in builder.status.value
    crkit.validate(canvas)  # still a valid canvas

    builder.undo_button.click()
    assert [s.name for s in builder.canvas.segments] == names


def test_relationships_move_within_their_segment(builder):
    builder.add_buttons["relationships:neighbours"].click()
    builder.cards["relationships"][-1]["type"].value = "communities"
    order = [(r.segment, r.type) for r in builder.canvas.relationships]
    assert order[-1] == ("neighbours", "communities")
    builder.cards["relationships"][-1]["up"].click()
    neighbours = [r.type for r in builder.canvas.relationships_of("neighbours")]
    assert neighbours == ["communities", "personal-assistance"]
    assert builder.cards["relationships"][0]["up"].disabled  # first of its segment
    assert [r.segment for r in builder.canvas.relationships].count("party-planners") == 1


def test_renaming_a_segment_keeps_references(builder):
    builder.add_buttons["segments"].click()
    builder.cards["segments"][-1]["name"].value = "Office workers"
    builder.add_buttons["relationships:office-workers"].click()
    builder.cards["channels"][0]["segments"].set(["neighbours", "office-workers"])
    builder.cards["segments"][-1]["name"].value = "Office teams"
    canvas = builder.canvas
    assert canvas.segments[-1].id == "office-teams"
    assert canvas.relationships[-1].segment == "office-teams"
    assert "office-teams" in canvas.channels[0].segments
    crkit.validate(canvas)
    # the other lists show the new name, and their buttons act on the renamed segment
    assert builder.cards["channels"][0]["segments"].boxes[-1].description == "Office teams"
    assert builder.cards["relationships"][-1]["segment"].label == "Office teams"
    builder.add_buttons["relationships:office-teams"].click()
    assert [r.segment for r in builder.canvas.relationships][-2:] == ["office-teams"] * 2
    # ids a file chose itself stay
    builder.cards["segments"][0]["name"].value = "Local families"
    assert builder.canvas.segments[0].id == "neighbours"


def test_invalid_values_are_refused_with_a_message(builder):
    card = builder.cards["segments"][0]
    card["customers"].value = "lots"
    assert builder.canvas.segments[0].customers == 1200
    assert card["customers"].value == "1200"
    assert "not a number" in builder.status.value
    card["name"].value = "   "
    assert builder.canvas.segments[0].name == "Families in the neighbourhood"
    assert card["name"].value == "Families in the neighbourhood"
    card["customers"].value = ""  # empty means unknown
    assert builder.canvas.segments[0].customers is None
    card["customers"].value = "12,5"
    assert builder.canvas.segments[0].customers == 12.5


def test_switching_language_changes_labels_and_reasons(builder):
    assert builder.save_button.description == "Save"
    builder.language.value = "es"
    assert builder.save_button.description == "Guardar"
    assert builder.cards["segments"][0]["name"].description == "Nombre"
    assert "Por qué" in next(iter(builder.criteria_text.values())).value
    assert "Total" in builder.total.value
    builder.set_language("pt")
    assert builder.save_button.description == "Salvar"
    assert builder.add_buttons["segments"].description == "Adicionar um segmento"
    assert builder.language.value == "pt"


def test_every_control_has_a_visible_plain_text_label(builder):
    import ipywidgets as w

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    for widget in walk(builder.root):
        if isinstance(widget, (w.Text, w.Textarea, w.Dropdown, w.Checkbox, w.Button,
                               w.FileUpload)):
            assert widget.description.strip(), widget
            assert widget.description_allow_html is False if hasattr(
                widget, "description_allow_html") else True


def test_malformed_file_shows_the_error_and_keeps_the_canvas(builder, tmp_path):
    before = builder.canvas.to_dict()
    bad = tmp_path / "bad.yaml"
    bad.write_text("crkit: 1\ntitle: Broken\nrelationships:\n  - segment: nobody\n"
                   "    type: self servce\n")
    builder.path.value = "bad.yaml"
    builder.load_button.click()
    assert "crkit-error" in builder.status.value
    assert "self servce" in builder.status.value
    assert "Traceback" not in builder.status.value
    assert builder.canvas.to_dict() == before

    builder.path.value = "missing.yaml"
    builder.load_button.click()
    assert "file not found" in builder.status.value
    assert builder.canvas.to_dict() == before


def test_malformed_upload_shows_the_error_in_spanish(builder):
    builder.language.value = "es"
    before = builder.canvas.to_dict()
    builder.upload.value = ({"name": "bad.yaml", "type": "", "size": 9,
                             "content": memoryview(b"crkit: [1"), "last_modified": NOW},)
    assert "crkit-error" in builder.status.value
    assert "YAML" in builder.status.value and "no es" in builder.status.value
    assert builder.canvas.to_dict() == before
    assert builder.upload.value == ()


def test_upload_loads_a_good_file(builder):
    text = crkit.dumps(crkit.starter_canvas("pt"), "json").encode()
    builder.upload.value = ({"name": "good.json", "type": "", "size": len(text),
                             "content": memoryview(text), "last_modified": NOW},)
    assert builder.canvas.title == "Padaria do bairro"
    assert "crkit-ok" in builder.status.value


def test_save_then_load_gives_the_same_canvas(builder, tmp_path):
    builder.cards["relationships"][0]["metrics"].value = "NPS, churn rate"
    saved = builder.canvas.to_dict()
    builder.path.value = "my canvas"  # files stay in the working folder (issue 11)
    builder.save_button.click()
    path = tmp_path / "my canvas.yaml"
    assert path.is_file() and "crkit-ok" in builder.status.value
    assert crkit.load(path).to_dict() == saved

    builder.start_from.value = "blank"
    builder.start_button.click()
    assert builder.canvas.segments == []
    builder.load_button.click()
    assert builder.canvas.to_dict() == saved


def test_autosave_writes_a_recovery_copy_after_each_change(tmp_path):
    builder = CanvasBuilder(workdir=tmp_path)
    autosave = builder.state.autosave
    assert autosave.path.parent == tmp_path / ".crkit-autosave"
    assert not autosave.path.exists()  # nothing changed yet: nothing written
    builder.cards["canvas"][0]["title"].value = "Corner shop"
    assert crkit.load(autosave.path).title == "Corner shop"
    builder.cards["segments"][0]["customers"].value = "999"
    assert crkit.load(autosave.path).to_dict() == builder.canvas.to_dict()

    # a new session offers the copy and recovers it
    later = CanvasBuilder(workdir=tmp_path, start="blank")
    assert later.recover_from.value == str(autosave.path)
    assert not later.recover_button.disabled
    later.recover_button.click()
    assert later.canvas.to_dict() == builder.canvas.to_dict()


def test_compare_with_a_snapshot_shows_both_totals(builder):
    first = shown_total(builder)
    builder.snapshot_button.click()
    assert builder.compare_with.value == "snapshot:1"
    builder.cards["relationships"][0]["remove"].click()
    now = shown_total(builder)
    assert now != first
    table = builder.compare_table.value
    assert f">{now:g}<" in table and f">{first:g}<" in table
    assert table.count("<tr>") >= 7  # header + six criteria


def test_compare_with_a_case_canvas(builder):
    cases = [key for _, key in builder.compare_with.options if key.startswith("case:")]
    if not cases:
        pytest.skip("no case library yet")
    builder.compare_with.value = cases[0]
    table = builder.compare_table.value
    assert "<table" in table and f">{shown_total(builder):g}<" in table


def test_start_from_a_case(builder):
    cases = [key for _, key in builder.start_from.options if key.startswith("case:")]
    if not cases:
        pytest.skip("no case library yet")
    builder.start_from.value = cases[0]
    builder.start_button.click()
    assert builder.canvas.segments
    assert shown_total(builder) == crkit.score(builder.canvas).total


def test_exports_a_png_and_a_markdown_report(builder, tmp_path):
    pytest.importorskip("matplotlib")
    builder.path.value = "bakery.yaml"
    builder.markdown_button.click()
    report = (tmp_path / "bakery.md").read_text()
    assert f"{crkit.score(builder.canvas).total:g} / 100" in report
    builder.png_button.click()
    png = (tmp_path / "bakery.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 20_000
    assert "data:image/png;base64," in builder.status.value


# --- the model alone ---------------------------------------------------------------------
def test_state_operations_keep_the_canvas_valid(tmp_path):
    state = BuilderState(autosave_dir=False, workdir=tmp_path)
    with pytest.raises(EditRejected):
        state.add("relationships")  # no segment yet
    seg = state.add("segments", name="Gamers", customers="2000")
    state.add("channels", name="Discord server", segments=["gamers"])
    state.add("relationships", segment="gamers", type="comunidades", channels=["discord-server"])
    state.add("value_propositions", text="Matches every evening")
    state.update("segments", seg, value_propositions=["matches-every-evening"])
    canvas = crkit.validate(state.canvas)
    assert canvas.relationships[0].type == "communities"
    assert state.remove("segments", seg) == 1
    assert state.canvas.relationships == [] and state.canvas.channels[0].segments == []
    state.undo()
    assert len(state.canvas.relationships) == 1


def test_number_and_slug_rules():
    assert parse_number("1200") == 1200 and parse_number("12,5") == 12.5
    assert parse_number("") is None
    for bad in ("1.200,5", "-3", "1e9", "nan", "twelve"):
        with pytest.raises(EditRejected):
            parse_number(bad)
    assert slug("Famílias do bairro", "segment") == "familias-do-bairro"
    assert slug("!!!", "segment") == "segment"


# --- the web app's launcher --------------------------------------------------------------
def test_app_server_serves_locally_without_a_browser():
    import socket

    from crkit.builder import server as app_server

    command = app_server.voila_command(8899)
    assert "--no-browser" in command and "--Voila.ip=127.0.0.1" in command
    assert "--port=8899" in command and "--template=crkit" in command
    assert app_server.NOTEBOOK.is_file()
    notebook = app_server.NOTEBOOK.read_text()
    assert '"outputs": []' in notebook
    # the builder is drawn before the page asks, then given to the page's browser
    assert "prepare_page()" in notebook and "open_page(builder)" in notebook
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        assert app_server.free_port(taken) != taken
    env = app_server.voila_environment(Path("/somewhere"))
    assert env["CRKIT_WORKDIR"] == "/somewhere"
    assert env["JUPYTER_PATH"].split(os.pathsep)[0] == str(app_server.APP)


def test_importing_crkit_does_not_import_ipywidgets():
    import subprocess
    import sys

    code = "import sys, crkit; crkit.score; crkit.load; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
