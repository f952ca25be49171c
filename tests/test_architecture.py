"""The package's layers, read from its import statements (docs/architecture.md).

Each subpackage of ``crkit`` is a layer; a module may import from its own layer and the
layers below it, never from a layer above, and the imports between the kit's modules form
no cycle. The kit's own modules are imported at the top of each file (only pandas,
matplotlib, ipywidgets and other heavy libraries load lazily), so these statements are the
real dependency graph.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "crkit"

#: layer -> rank; a module imports only from layers of lower or equal rank. Layers of the
#: same rank (lessons, builder, grading) are siblings and do not import each other.
RANKS = {"core": 0, "scoring": 1, "views": 2, "lessons": 3, "builder": 3, "grading": 3,
         "api": 4, "cli": 5, "__init__": 6}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def kit_imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported crkit module, line, at top level?) for every import of the kit's modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    for node in tree.body:  # `if TYPE_CHECKING:` blocks count as top level
        if isinstance(node, ast.If):
            top |= {id(n) for n in ast.walk(node)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "crkit" or node.module.startswith("crkit."):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    target = full if (PACKAGE.parent / (full.replace(".", "/") + ".py")).exists() \
                        or (PACKAGE.parent / full.replace(".", "/")).is_dir() else node.module
                    out.append((target, node.lineno, id(node) in top))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "crkit" or alias.name.startswith("crkit."):
                    out.append((alias.name, node.lineno, id(node) in top))
    return out


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))
GRAPH = {module_name(p): kit_imports(p) for p in MODULES}


def test_every_subpackage_is_a_known_layer_with_a_purpose():
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        assert folder.name in RANKS, f"{folder.name}: add the layer to docs/architecture.md"
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text()))
        assert doc and len(doc.splitlines()[0]) > 20, f"crkit.{folder.name}: a one-line purpose"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_only_go_down(module):
    here = layer_of(module)
    for target, line, _ in GRAPH[module]:
        there = layer_of(target)
        if target == "crkit" and module.endswith("__init__"):
            continue
        assert there in RANKS, f"{module}:{line} imports {target}, which is in no layer"
        if there == here:
            continue
        assert RANKS[there] < RANKS[here], (
            f"{module}:{line} imports {target}: layer '{here}' may not import from "
            f"'{there}' (docs/architecture.md)")


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_kit_modules_are_imported_at_the_top(module):
    lazy = [(t, line) for t, line, top in GRAPH[module] if not top]
    assert not lazy, f"{module}: import the kit's modules at the top of the file: {lazy}"


def test_no_import_cycle():
    edges = {m: {t for t, _, _ in imports if t in GRAPH and t != m}
             for m, imports in GRAPH.items()}
    # a package's __init__ re-exporting its own modules is not a cycle of the modules
    for m in edges:
        edges[m] = {t for t in edges[m] if not (t.startswith(m + ".") and m in edges)}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


def test_checkout_tools_are_not_in_the_package():
    for name in ("site", "course_site", "student", "student_edition", "notebook_format",
                 "case_pages"):
        assert not list(PACKAGE.rglob(f"{name}.py")), f"{name}.py belongs in tools/"


def test_import_crkit_is_light():
    code = ("import sys, crkit; crkit.knowledge; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'ipywidgets', 'babel') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]", f"import crkit loaded {out}"
