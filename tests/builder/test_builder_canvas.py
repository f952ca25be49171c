"""The canvas view of the builder, driven from Python as a learner drives it in the browser.

Notes are clicked with ``.click()``, fields changed by setting ``.value``; each test then
checks the canvas, the notes and the score.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

import crkit  # noqa: E402
from crkit.builder import CanvasBuilder  # noqa: E402
from crkit.builder.canvas_view import BLOCKS, canvas_html, flaws, notes  # noqa: E402
from crkit.builder.canvas_widget import open_note  # noqa: E402
from crkit.core import knowledge  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
A = "c" * 32


@pytest.fixture
def builder(tmp_path: Path) -> CanvasBuilder:
    return CanvasBuilder(workdir=tmp_path, autosave_dir=tmp_path / "autosave", owner=A)


def badge_total(builder: CanvasBuilder) -> float:
    text = re.search(r"<b>([\d.,]+)</b>", builder.total_badge.value).group(1)
    return float(text.replace(",", "."))


def panel_total(builder: CanvasBuilder) -> float:
    return float(re.search(r'crkit-total-number">([\d.,]+)<', builder.total.value)
                 .group(1).replace(",", "."))


def test_the_canvas_is_the_first_view_with_one_note_per_item(builder):
    assert builder.views.selected_index == 0
    assert builder.views.children[0] is builder.canvas_view.root
    view = builder.canvas_view
    canvas = builder.canvas
    for kind in ("value_propositions", "segments", "channels", "relationships"):
        assert len(view.note_buttons[kind]) == len(builder.state.items(kind))
    assert view.note_buttons["segments"][0].description.startswith(canvas.segments[0].name)
    # key numbers on the segment's note, in the interface language's format
    assert "1,200 customers" in view.note_buttons["segments"][0].description
    names = [view.block_names[area].value for area, _, _ in BLOCKS]
    assert any("Customer segments" in n for n in names) and any("Key partners" in n
                                                                 for n in names)
    # the detailed form is not drawn until it is needed: a light first page
    assert builder._forms_dirty and not builder.sections["segments"].children


def test_click_a_note_edit_it_and_see_the_canvas_and_score_change(builder):
    before = panel_total(builder)
    fields = open_note(builder.canvas_view, "segments", 0)
    assert builder.canvas_view.selected == ("segments", 0)
    assert "crkit-selected" in builder.canvas_view.note_buttons["segments"][0]._dom_classes
    assert fields["name"].value == builder.canvas.segments[0].name
    assert fields["customers"].continuous_update  # the score follows every key press
    fields["customers"].value = "3"
    fields["customers"].value = "30"
    assert builder.canvas.segments[0].customers == 30
    assert "30 customers" in builder.canvas_view.note_buttons["segments"][0].description
    assert panel_total(builder) == crkit.score(builder.canvas).total == badge_total(builder)
    fields["value_per_customer"].value = "1"
    assert panel_total(builder) != before
    # typing "30" was one step: one Undo takes back both key presses
    builder.undo_button.click()
    builder.undo_button.click()
    assert builder.canvas.segments[0].customers == 1200


def test_a_value_being_typed_that_is_not_a_number_is_explained_beside_the_field(builder):
    fields = open_note(builder.canvas_view, "relationships", 0)
    cost = builder.canvas.relationships[0].cost_per_customer
    fields["cost_per_customer"].value = "12,5x"
    message = builder.canvas_view.detail_message.value
    assert "is not a number" in message and 'role="alert"' in message
    assert fields["cost_per_customer"].value == "12,5x"  # left for the learner to fix
    assert builder.canvas.relationships[0].cost_per_customer == cost
    fields["cost_per_customer"].value = "12,5"
    assert builder.canvas.relationships[0].cost_per_customer == 12.5
    assert builder.canvas_view.detail_message.value == ""


def test_each_block_adds_its_own_note_and_relationships_go_to_the_chosen_segment(builder):
    view = builder.canvas_view
    view.add_buttons["segments"].click()
    assert len(builder.canvas.segments) == 3
    assert view.selected == ("segments", 2)
    view.fields["name"].value = "Students"
    assert "Students" in view.note_buttons["segments"][2].description
    # the new segment has no relationship: its note says so
    assert "crkit-flawed" in view.note_buttons["segments"][2]._dom_classes
    assert "Students" in view.flaw_box.value
    view.add_buttons["relationships"].click()
    rel = builder.canvas.relationships[-1]
    assert rel.segment == "students"
    assert view.selected == ("relationships", len(builder.canvas.relationships) - 1)
    assert view.fields["segment"].value == "students"
    assert panel_total(builder) == crkit.score(builder.canvas).total


def test_notes_move_within_their_block_and_can_be_removed(builder):
    view = builder.canvas_view
    first, second = (s.name for s in builder.canvas.segments)
    open_note(view, "segments", 0)
    view.fields_buttons["down"].click()
    assert [s.name for s in builder.canvas.segments] == [second, first]
    assert view.selected == ("segments", 1)
    assert view.note_buttons["segments"][1].description.startswith(first)
    view.fields_buttons["remove"].click()
    assert [s.name for s in builder.canvas.segments] == [second]
    assert view.selected is None
    builder.undo_button.click()
    assert [s.name for s in builder.canvas.segments] == [second, first]


def test_apply_the_best_change_then_undo_and_redo(builder):
    report = builder.state.report()
    best = report.best_change()
    assert best is not None and best.apply is not None
    assert not builder.apply_button.disabled
    builder.apply_button.click()
    assert panel_total(builder) == best.new_total == crkit.score(builder.canvas).total
    assert "Done:" in builder.status.value
    applied = builder.canvas.to_dict()
    assert builder.redo_button.disabled
    builder.undo_button.click()
    assert panel_total(builder) == report.total
    assert not builder.redo_button.disabled
    builder.redo_button.click()
    assert builder.canvas.to_dict() == applied
    assert builder.redo_button.disabled  # nothing left to redo
    builder.redo_button.click()
    assert "nothing to redo" in builder.status.value


def test_both_views_edit_one_state(builder):
    builder.show_view("form")
    card = builder.cards["segments"][0]
    card["name"].value = "Neighbours"
    assert builder.canvas_view.note_buttons["segments"][0].description.startswith("Neighbours")
    builder.show_view("canvas")
    fields = open_note(builder.canvas_view, "segments", 0)
    fields["customers"].value = "99"
    builder.show_view("form")
    assert builder.cards["segments"][0]["customers"].value == "99"


def test_flaws_are_put_on_the_notes_they_concern():
    canvas = crkit.starter_canvas()
    canvas.relationships[0].metrics = []
    found = flaws(canvas, "en")
    first = canvas.relationships[0]
    segment = canvas.segment(first.segment).name
    assert any("tracks no metric" in f and segment in f for f in found[("relationships", 0)])
    # an unused channel is marked on that channel's note only
    canvas.channels[0].segments = []
    found = flaws(canvas, "en")
    assert any("reaches no segment" in f.lower() or canvas.channels[0].name in f
               for f in found[("channels", 0)])
    shown = notes(canvas, "en")["channels"][0]
    assert shown.flaws and "to fix" in shown.text("en")


def test_advice_and_messages_follow_the_interface_language(builder):
    canvas = crkit.starter_canvas("en")
    for r in canvas.relationships:
        r.metrics = []
    builder.state.replace(canvas)
    builder._undo()  # a message in English...
    builder._redo()
    english = {knowledge.name("metrics", m, "en") for m in knowledge.ids("metrics")}
    builder.set_language("es")
    assert "rehecho" in builder.status.value.lower() or "de nuevo" in builder.status.value
    texts = [builder.best.value, *(x.value for x in builder.criteria_text.values())]
    for name in english - {knowledge.name("metrics", m, "es") for m in knowledge.ids("metrics")}:
        assert not any(f"'{name}'" in text for text in texts), name
    assert "Sigue" in " ".join(texts) or "Prueba" in " ".join(texts)
    assert builder.canvas_view.add_buttons["segments"].description == "Añadir un segmento"
    assert builder.views.get_title(0) == "Lienzo"
    builder.set_language("pt")
    assert "Lienzo" not in builder.views.get_title(0)
    assert "feita de novo" in builder.status.value


def test_a_reload_offers_the_work_of_the_last_page(tmp_path):
    first = CanvasBuilder(workdir=tmp_path, owner=A)
    fields = open_note(first.canvas_view, "segments", 0)
    fields["customers"].value = "777"
    time.sleep(0.01)
    again = CanvasBuilder(workdir=tmp_path, owner=A)
    offer = again.recovery_offer.children
    assert offer and re.search(r"Recover your work from \d\d:\d\d", offer[0].value)
    offer[1].click()  # "Recover my work"
    assert again.canvas.segments[0].customers == 777
    assert not again.recovery_offer.children
    # a page whose canvas is the same as the copy is not asked
    third = CanvasBuilder(crkit.starter_canvas(), workdir=tmp_path / "other", owner=A)
    assert not third.recovery_offer.children


def test_a_case_file_is_recognised_and_offered_as_a_start(builder):
    data = (ROOT / "casestudies" / "amazon.yaml").read_bytes()
    builder._uploaded({"new": [{"name": "amazon.yaml", "content": data}]})
    offer = builder.case_offer.children
    assert offer and "is a case file" in offer[0].value and "Amazon" in offer[0].value
    assert "crkit-error" not in builder.status.value
    offer[2].click()  # "Start from this case"
    assert builder.canvas.title != crkit.starter_canvas().title
    assert any("Amazon" in s.name or s.customers for s in builder.canvas.segments)
    assert not builder.case_offer.children


def test_the_language_line_says_which_control_does_what(builder):
    assert "Canvas language" in builder.language_line.value
    builder.set_language("pt")
    assert "Idioma do canvas" in builder.language_line.value


def test_the_static_canvas_needs_no_numpy_pandas_or_matplotlib():
    code = (
        "import sys\n"
        "for name in ('numpy', 'pandas', 'matplotlib'):\n"
        "    sys.modules[name] = None\n"
        "import crkit.builder.state as s\n"
        "from crkit.builder.canvas_view import canvas_html\n"
        "from crkit.core.starter import starter_canvas\n"
        "st = s.BuilderState(starter_canvas(), autosave_dir=False)\n"
        "print(canvas_html(st.canvas, 'es')[-400:])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin"},
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Fuentes de ingresos" in result.stdout


def test_canvas_html_draws_nine_blocks_with_the_notes():
    canvas = crkit.starter_canvas()
    page = canvas_html(canvas, "en")
    assert page.count('<section class="crkit-block') == 9
    assert page.count('class="crkit-sticky') >= len(canvas.segments) + len(canvas.relationships)
    for s in canvas.segments:
        assert s.name in page
    assert "a year" in page  # revenue per segment from its numbers


def test_a_new_card_in_the_form_is_drawn_alone_and_offered_everywhere(builder):
    builder.show_view("form")
    old_cards = [c["name"] for c in builder.cards["segments"]]
    builder.add_buttons["segments"].click()
    cards = builder.cards["segments"]
    assert [c["name"] for c in cards[:-1]] == old_cards  # the others were not redrawn
    assert not cards[-2]["down"].disabled and cards[-1]["down"].disabled
    new = builder.canvas.segments[-1]
    for card in builder.cards["channels"]:
        assert card["segments"].options[-1] == new.id
    for card in builder.cards["relationships"]:
        assert new.id in [v for _, v in card["segment"].options]
    # the new segment's group in the relationships list adds relationships to it
    builder.add_buttons[f"relationships:{new.id}"].click()
    assert builder.canvas.relationships[-1].segment == new.id
    # ticking the new checkbox in a channel links the new segment
    builder.cards["channels"][0]["segments"].boxes[-1].value = True
    assert new.id in builder.canvas.channels[0].segments
    # the same as a page drawn from scratch
    fresh = CanvasBuilder(builder.canvas, workdir=builder.state.workdir, autosave_dir=False)
    fresh.show_view("form")
    assert [len(c) for c in fresh.cards.values()] == [len(c) for c in builder.cards.values()]
    assert sorted(fresh.add_buttons) == sorted(builder.add_buttons)
