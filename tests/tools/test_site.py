"""The course site builds strictly, and what it builds is whole.

The site is built once per session (``-W -n --keep-going``, notebooks executed through the
cache in ``_build/.jupyter_cache``); each test then checks one property of the built files.
Run with ``python -m pytest -m site``.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from sitebuild import ROOT, build_once

pytestmark = pytest.mark.site




def _text(path: Path) -> str:
    """Visible text of a built page, roughly (tags dropped, entities decoded)."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S | re.I)
    return _plain(html.unescape(re.sub(r"<[^>]+>", " ", raw)))


_TYPOGRAPHY = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2026": "...",
     "\u2013": "-", "\u2014": "-"}
)


def _plain(text: str) -> str:
    """Sphinx 'smart quotes' typographic quotes and dashes: compare plain ones."""
    text = re.sub(r"-{2,}", "-", str(text).translate(_TYPOGRAPHY))
    return " ".join(text.split())


def _notebook_pages(site_dir: Path) -> list[Path]:
    import course_site as site

    return [site_dir / page for page in site.expected_pages(ROOT)]


# --- the build itself ------------------------------------------------------------------


def test_site_builds_strictly():
    folder, error = build_once()
    assert folder is not None, error
    assert (folder / "index.html").is_file()


def test_strict_flags_are_what_the_build_runs():
    import inspect

    import course_site as site

    source = inspect.getsource(site.Edition.command)  # every edition is built this way
    for flag in ("--warningiserror", "--nitpick", "--keep-going"):
        assert flag in source


def test_every_notebook_and_case_page_is_built(site_dir):
    missing = [p for p in _notebook_pages(site_dir) if not p.is_file()]
    assert not missing, f"no page built for: {missing}"


# --- whole and self-contained ------------------------------------------------------------


def test_the_link_check_finds_broken_links_and_anchors(tmp_path):
    import course_site as site

    (tmp_path / "index.html").write_text(
        '<a href="a.html#here">ok</a> <a href="gone.html">x</a> <a href="a.html#nope">y</a>'
        '<img src="missing.png" alt="a missing picture">', encoding="utf-8")
    (tmp_path / "a.html").write_text('<h1 id="here">A</h1>', encoding="utf-8")
    problems = "\n".join(site.check_links(tmp_path))
    assert "gone.html" in problems and "missing.png" in problems and "nope" in problems
    assert "#here" not in problems


def test_no_broken_internal_link_or_missing_image(site_dir):
    import course_site as site

    problems = site.check_links(site_dir)
    assert not problems, "\n".join(problems)


def test_local_assets_are_installed(site_dir):
    vendor = site_dir / "_static" / "npm"
    for path in (
        "mathjax/tex-mml-chtml.js",
        "requirejs/require.js",
        "html-manager/embed-amd.js",
        "widgets-setup.js",
        "a11y.js",
    ):
        assert (vendor / path).is_file(), path
    # the page that has math points at the local MathJax, not a CDN
    index = (site_dir / "book" / "index.html").read_text(encoding="utf-8")
    assert "_static/npm/mathjax/tex-mml-chtml.js" in index
    assert "_static/npm/a11y.js" in index  # accessible names, on every page
    assert "cdn.jsdelivr" not in index and "unpkg.com" not in index


def test_every_image_has_alt_text(site_dir):
    import course_site as site

    problems = site.images_without_alt(site_dir)
    assert not problems, "\n".join(problems)


# --- generated pages -----------------------------------------------------------------------


def test_glossary_names_all_six_types_in_three_languages(site_dir):
    from crkit.core import knowledge

    text = _text(site_dir / "book" / "glossary.html")
    types = knowledge.relationship_types()
    assert len(types) == 6
    for entry in types:
        assert entry["id"] in text
        for lang in ("en", "es", "pt"):
            name = entry["name"][lang]
            assert _plain(name) in text, f"{entry['id']}: {lang} name {name!r} not in the glossary"
            summary = entry.get("summary") or entry.get("description")
            assert _plain(summary[lang])[:60] in text
    for tab in ("English", "Español", "Português"):
        assert tab in text


def test_glossary_covers_motivations_bonds_and_stages(site_dir):
    from crkit.core import knowledge

    text = _text(site_dir / "book" / "glossary.html")
    for kind in ("motivations", "bonds", "stages"):
        for entry in knowledge.entries(kind):
            for lang in ("en", "es", "pt"):
                assert _plain(entry["name"][lang]) in text, (kind, entry["id"], lang)


def test_references_list_every_source(site_dir):
    from crkit.core import knowledge

    text = _text(site_dir / "book" / "references.html")
    for source in knowledge.sources():
        citation = _plain(source["citation"])
        assert citation[:50] in text, f"source {source['id']} missing from the references"
    for path in sorted((ROOT / "casestudies").glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        for fact in case.get("facts") or []:
            source = _plain(fact["source"])
            assert source in text, f"{path.name}: fact source {source!r} not in the references"
            assert str(fact["year"]) in text


def test_generated_pages_are_not_committed_copies():
    # the book pages include the generated fragments; nobody pastes a copy into them
    for page in ("glossary.md", "references.md"):
        source = (ROOT / "book" / page).read_text(encoding="utf-8")
        assert "/_build/generated/" in source
        assert "| `personal-assistance` |" not in source


# --- notebooks: exercises, downloads, widgets, launch buttons -----------------------------


class _Outputs(HTMLParser):
    """Text inside cell outputs (``div.cell_output``) of a myst-nb page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += tag == "div"
        elif tag == "div" and "cell_output" in classes:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


_WIDGET_REPR = re.compile(
    r"\b(?:[A-Z]\w*(?:Box|Slider|Dropdown|Button|Text|Output|HTML|Label|Tab|Accordion|"
    r"Checkbox|Select\w*|Progress\w*|Widget))\((?:children|value|options|description|"
    r"layout|outputs)="
)


def test_no_page_shows_a_widget_as_text(site_dir):
    shown = []
    for page in _notebook_pages(site_dir):
        parser = _Outputs()
        parser.feed(page.read_text(encoding="utf-8"))
        text = " ".join(parser.text)
        if _WIDGET_REPR.search(text):
            shown.append(f"{page.name}: {_WIDGET_REPR.search(text).group(0)}")
    assert not shown, "widgets shown as text instead of being rendered:\n" + "\n".join(shown)


def test_pages_with_widget_views_carry_the_saved_state(site_dir):
    for page in _notebook_pages(site_dir):
        source = page.read_text(encoding="utf-8")
        if 'type="application/vnd.jupyter.widget-view+json"' not in source:
            continue
        assert 'type="application/vnd.jupyter.widget-state+json"' in source, page.name
        state = re.search(
            r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>',
            source, re.S,
        )
        assert state and json.loads(state.group(1))["state"], f"{page.name}: empty widget state"
        for view in re.findall(
            r'<script type="application/vnd.jupyter.widget-view\+json">(.*?)</script>',
            source, re.S,
        ):
            model = json.loads(view)["model_id"]
            assert model in state.group(1), f"{page.name}: view of a model with no saved state"


def test_exercise_solutions_are_collapsed(site_dir):
    open_solutions = []
    for page in [*_notebook_pages(site_dir), *sorted((site_dir / "book").glob("*.html"))]:
        for match in re.finditer(r'<div class="([^"]*\bsolution\b[^"]*)"', page.read_text("utf-8")):
            classes = match.group(1).split()
            if "admonition" in classes and "dropdown" not in classes:
                open_solutions.append(page.name)
    assert not open_solutions, (
        "solutions shown open (add `:class: dropdown` to the solution block): "
        + ", ".join(sorted(set(open_solutions)))
    )


def test_notebook_pages_offer_the_notebook_for_download(site_dir):
    for page in _notebook_pages(site_dir):
        relative = page.relative_to(site_dir).with_suffix(".ipynb").as_posix()
        assert f"_sources/{relative}" in page.read_text(encoding="utf-8"), page.name
        assert (site_dir / "_sources" / relative).is_file()


def test_buttons_follow_the_one_repository_setting():
    """A real repository address turns the launch, repository and issue buttons on; the
    placeholder the kit ships with keeps them off (the hook that decides, without a build)."""
    import course_site as site

    real = {"repository_url": "https://github.com/my-university/crm-course",
            "use_repository_button": True, "use_issues_button": True,
            "launch_buttons": {"binderhub_url": "https://mybinder.org"}}
    assert site.button_options(dict(real)) == real
    placeholder = dict(real, repository_url="https://github.com/your-org/customer-relationships-kit")
    hidden = site.button_options(placeholder)
    assert not hidden["use_repository_button"] and not hidden["use_issues_button"]
    assert "binderhub_url" not in hidden["launch_buttons"]


# --- student edition -------------------------------------------------------------------------


def test_student_edition_has_no_solutions():
    folder, error = build_once(student=True)
    assert folder is not None, error
    for page in folder.rglob("*.html"):
        if "_static" in page.parts:
            continue
        assert not re.search(r'class="[^"]*\bsolution\b', page.read_text("utf-8")), page
    for notebook in (folder / "_sources").rglob("*.ipynb"):
        source = notebook.read_text(encoding="utf-8")
        assert "{solution}" not in source and "{solution-start}" not in source, notebook


def test_every_page_is_in_the_navigation_of_every_other(site_dir):
    """No stale sidebar: adding or removing a notebook rebuilds every page's navigation."""
    import posixpath

    import course_site as site

    pages = site.expected_pages(ROOT)
    for page in ["book/index.html", *pages]:
        text = (site_dir / page).read_text(encoding="utf-8")
        here = posixpath.dirname(page)
        linked = {
            posixpath.normpath(posixpath.join(here, href.split("#")[0]))
            for href in re.findall(r'href="([^"#:]+\.html)(?:#[^"]*)?"', text)
        }
        missing = [target for target in pages if target != page and target not in linked]
        assert not missing, f"{page} does not link to {missing}"


def test_no_button_leads_to_the_placeholder_repository(site_dir):
    """Launch, repository and issue buttons appear only once an instructor sets a real
    repository address in _config.yml (book/instructors.md says how)."""
    import course_site as site

    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    if site.PLACEHOLDER_REPOSITORY not in config:
        pytest.skip("a real repository is configured")
    for page in sorted(site_dir.rglob("*.html")):
        links = re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8", errors="replace"))
        assert not [u for u in links if site.PLACEHOLDER_REPOSITORY in u], \
            f"{page.name} links to the placeholder"  # (the guide may show it as text)
        assert not [u for u in links if "mybinder.org" in u], f"{page.name} has a Binder button"


# --- the Spanish and Portuguese editions ------------------------------------------------------

#: common short words of each language that the other two do not share (es/pt share
#: "de", "que", "a", "para"): the share of each set tells the language of a page's prose
FUNCTION_WORDS = {
    "en": {"the", "and", "of", "to", "is", "in", "that", "with", "for", "this", "are"},
    "es": {"el", "la", "los", "las", "y", "una", "del", "es", "por", "con", "se", "lo"},
    "pt": {"o", "os", "as", "e", "uma", "não", "do", "da", "dos", "das", "em", "com", "é"},
}
EDITION_LANGS = ("es", "pt")  # tools/translate.py LANGUAGES


def _editions(site_dir: Path) -> dict[str, Path]:
    return {"en": site_dir, **{lang: site_dir / lang for lang in EDITION_LANGS}}


def _edition_pages(folder: Path) -> set[str]:
    """The pages of one edition (without the other editions' folders)."""
    out = set()
    for page in folder.rglob("*.html"):
        parts = page.relative_to(folder).parts
        if parts[0] in ("_static", "_sources", "_images", "lite", *EDITION_LANGS):
            continue
        out.add("/".join(parts))
    return out


class _FirstTabOnly(HTMLParser):
    """Text of a page, keeping only the first tab of each tab set (the glossary shows the
    edition's language first and the other two languages in the next tabs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open div: is it a skipped tab's content
        self.tabs: list[int] = []  # tab contents seen in each open tab set
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "div":
            return
        classes = (dict(attrs).get("class") or "").split()
        skipped = False
        if "sd-tab-content" in classes and self.tabs:
            self.tabs[-1] += 1
            skipped = self.tabs[-1] > 1
        self.stack.append(skipped)
        if "sd-tab-set" in classes:
            self.tabs.append(0)
            self.stack[-1] = None  # marks a tab set

    def handle_endtag(self, tag):
        if tag == "div" and self.stack:
            if self.stack.pop() is None and self.tabs:
                self.tabs.pop()

    def handle_data(self, data):
        if not any(self.stack):
            self.text.append(data)


def _article_text(path: Path) -> str:
    """The prose of a page's article: no code, no outputs' tables, no navigation, and of a
    tab set only its first tab."""
    raw = path.read_text(encoding="utf-8")
    match = re.search(r"<article\b.*?</article>", raw, re.S)
    raw = match.group(0) if match else raw
    raw = re.sub(r"<(script|style|pre|table|nav)\b.*?</\1>", " ", raw, flags=re.S | re.I)
    raw = re.sub(r'<div class="cell_output.*?</div>\s*</div>', " ", raw, flags=re.S)
    parser = _FirstTabOnly()
    parser.feed(raw)
    return " ".join(parser.text)


def _shares(text: str) -> dict[str, float]:
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        return {lang: 0.0 for lang in FUNCTION_WORDS}
    return {lang: sum(w in common for w in words) / len(words)
            for lang, common in FUNCTION_WORDS.items()}


def test_the_language_share_tells_the_languages_apart():
    english = "The kit teaches one block of the canvas and the way to score it for a class."
    spanish = "El kit enseña un bloque del lienzo y la forma de puntuarlo con los estudiantes."
    portuguese = "O kit ensina um bloco do canvas e a forma de pontuá-lo com os alunos da turma."
    for lang, text in (("en", english), ("es", spanish), ("pt", portuguese)):
        shares = _shares(text)
        assert max(shares, key=shares.get) == lang, (lang, shares)


def test_the_editions_have_the_same_pages(site_dir):
    english = _edition_pages(site_dir)
    assert {"book/index.html", "notebooks/05-self-service.html"} <= english
    for lang in EDITION_LANGS:
        assert _edition_pages(site_dir / lang) == english, f"the {lang} edition differs"


def test_html_lang_theme_words_and_search_follow_the_edition(site_dir):
    theme_words = {"en": ("Search this book", "Download source file", "Contents"),
                   "es": ("Buscar en este libro", "Descargar archivo fuente", "Contenido"),
                   "pt": ("Pesquisar neste livro", "Baixar arquivo fonte", "Conteúdo")}
    for lang, folder in _editions(site_dir).items():
        page = (folder / "notebooks" / "05-self-service.html").read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{lang}"', page), lang
        for word in theme_words[lang]:
            assert word in page, f"{lang}: the theme's {word!r} is not in the edition's language"
        options = (folder / "_static" / "documentation_options.js").read_text(encoding="utf-8")
        assert f"LANGUAGE: '{lang}'" in options
        assert (folder / "searchindex.js").is_file()
    stemmers = {"es": "SpanishStemmer", "pt": "PortugueseStemmer"}
    for lang, stemmer in stemmers.items():
        language_data = (site_dir / lang / "_static" / "language_data.js").read_text("utf-8")
        assert stemmer in language_data, f"{lang}: search does not stem {lang} words"


def test_each_edition_searches_its_own_words(site_dir):
    for lang, word in (("es", "autoservici"), ("pt", "cocriaçã")):
        index = (site_dir / lang / "searchindex.js").read_text(encoding="utf-8")
        terms = json.loads(index[index.index("(") + 1:index.rindex(")")])["terms"]
        assert any(term.startswith(word) for term in terms), f"{lang}: {word!r} not indexed"


def test_every_page_has_a_language_switch_to_existing_pages(site_dir):
    import posixpath

    import course_site as site

    problems = []
    for lang, folder in _editions(site_dir).items():
        for page in sorted(_edition_pages(folder)):
            text = (folder / page).read_text(encoding="utf-8")
            if "<body" not in text or 'http-equiv="Refresh"' in text:
                continue  # the root's redirect page
            nav = re.search(rf'<nav class="{site.SWITCH_CLASS}"[^>]*>(.*?)</nav>', text, re.S)
            if not nav:
                problems.append(f"{lang}/{page}: no language switch")
                continue
            links = dict((code, href) for href, code in
                         re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav.group(1)))
            assert re.sub(r"<[^>]+>", "", nav.group(1)) == "English · Español · Português"
            assert set(links) == {"en", "es", "pt"} - {lang}, (lang, page, links)
            heads = dict((code, href) for code, href in
                         re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)"', text))
            assert heads == links, f"{lang}/{page}: hreflang links differ from the switch"
            for code, href in links.items():
                target = Path(posixpath.normpath(posixpath.join(
                    posixpath.dirname((folder / page).as_posix()), href)))
                expected = _editions(site_dir)[code] / page
                if target != expected or not target.is_file():
                    problems.append(f"{lang}/{page}: the {code} link {href} leads nowhere")
    assert not problems, "\n".join(problems[:30])


def test_edition_pages_offer_the_editions_notebook_for_download(site_dir):
    for lang in EDITION_LANGS:
        folder = site_dir / lang
        for page in sorted((folder / "notebooks").glob("*.html")):
            assert f"_sources/notebooks/{page.stem}.ipynb" in page.read_text("utf-8")
            notebook = json.loads((folder / "_sources" / "notebooks" / f"{page.stem}.ipynb")
                                  .read_text(encoding="utf-8"))
            code = "".join("".join(c["source"]) for c in notebook["cells"]
                           if c["cell_type"] == "code")
            assert f'LANG = "{lang}"' in code and 'LANG = "en"' not in code, page.name


def test_edition_generated_pages_are_in_the_language(site_dir):
    from crkit.core.i18n import t

    for lang, folder in _editions(site_dir).items():
        glossary = _text(folder / "book" / "glossary.html")
        references = _text(folder / "book" / "references.html")
        assert _plain(t("site.glossary.types", lang)) in glossary
        assert _plain(t("site.refs.knowledge-title", lang)) in references
        case = _text(folder / "casestudies" / "amazon.html")
        assert _plain(t("casepage.page.story", lang)) in case
        assert _plain(t("casepage.answer-title", lang)) in case


def test_edition_navigation_lists_every_page(site_dir):
    import posixpath

    import course_site as site

    pages = site.expected_pages(ROOT)
    for lang in EDITION_LANGS:
        folder = site_dir / lang
        for page in ["book/index.html", *pages]:
            text = (folder / page).read_text(encoding="utf-8")
            here = posixpath.dirname(page)
            linked = {posixpath.normpath(posixpath.join(here, href.split("#")[0]))
                      for href in re.findall(r'href="([^"#:]+\.html)(?:#[^"]*)?"', text)}
            missing = [p for p in pages if p != page and p not in linked]
            assert not missing, f"{lang}/{page} does not link to {missing}"


def test_each_page_is_in_its_editions_language(site_dir):
    import translate

    missing = translate.problems()
    if missing:
        pytest.skip(f"the catalogues are incomplete ({len(missing)} paragraph(s) untranslated: "
                    "python tools/translate.py check); the editions show English there")
    wrong = []
    for lang, folder in _editions(site_dir).items():
        for page in sorted(_edition_pages(folder)):
            if not page.startswith(("book/", "notebooks/", "casestudies/")):
                continue
            shares = _shares(_article_text(folder / page))
            best = max(shares, key=shares.get)
            if best != lang or shares[lang] < 0.08:
                shown = ", ".join(f"{k} {v:.0%}" for k, v in shares.items())
                wrong.append(f"{lang}/{page}: {shown}")
    assert not wrong, "pages whose prose is not in their edition's language:\n" + "\n".join(wrong)


def test_student_edition_exists_in_every_language():
    folder, error = build_once(student=True)
    assert folder is not None, error
    for lang in EDITION_LANGS:
        assert (folder / lang / "notebooks" / "05-self-service.html").is_file(), lang
        page = (folder / lang / "notebooks" / "05-self-service.html").read_text("utf-8")
        assert f'<html lang="{lang}"' in page
        notebook = (folder / lang / "_sources" / "notebooks" / "05-self-service.ipynb")
        assert f'LANG = \\"{lang}\\"' in notebook.read_text(encoding="utf-8")
