"""Numbers the kit shows are written the way the reader's language writes them."""

from __future__ import annotations

import pytest

import crkit
from crkit.core.numbers import money, number, percent, quantity
from crkit.lessons import economics

SEPARATORS = {"en": (",", "."), "es": (".", ","), "pt": (".", ",")}


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_numbers_amounts_and_percentages(lang):
    group, decimal = SEPARATORS[lang]
    assert number(1200, lang) == f"1{group}200"
    assert number(266.666, lang) == f"266{decimal}67"
    assert number(1_800_000, lang) == f"1{group}800{group}000"
    assert number(8.10, lang, digits=2, trim=False) == f"8{decimal}10"
    assert "1" + group + "200" in money(1200, lang) and "US$" in money(1200, "es")
    assert f"8{decimal}01" in money(8.01, lang)
    assert percent(0.091, lang, digits=1).replace("\xa0", " ").startswith(f"9{decimal}1")
    assert quantity(0.82, "%", lang).startswith(f"0{decimal}82")
    assert quantity(17000, "members", lang) == f"17{group}000 members"
    assert number(None, lang) == number(float("nan"), lang) == "?"


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_a_score_report_uses_the_local_decimal_comma(lang):
    report = crkit.score(crkit.starter_canvas(lang), lang=lang)
    text = crkit.render_text(report)
    total = number(report.total, lang)
    assert f"{total} / 100" in text
    if not float(report.total).is_integer():
        assert "," in total and f"{report.total:g}" not in text
    markdown = crkit.render_markdown(report)
    assert f"{total} / 100" in markdown


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_a_lesson_table_shows_local_separators(lang):
    table = economics.unit_economics(economics.example_business(), lang=lang)
    html = table._repr_html_()
    assert "US$" in html
    values = " ".join(str(v) for v in table.iloc[:, 1])
    assert "," in values  # money and ratios with a decimal comma
    assert not any(ch.isdigit() and "." in v.split()[0] and "," not in v
                   for v in table.iloc[:, 1].astype(str) for ch in v[:1])


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_a_chart_label_uses_local_separators(lang):
    import matplotlib

    matplotlib.use("Agg")
    fig = economics.contact_cost_figure(lang=lang)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("8,01" in text for text in texts), texts
    assert not any("8.01" in text for text in texts)
    import matplotlib.pyplot as plt

    plt.close(fig)
