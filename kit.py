#!/usr/bin/env python3
"""One entry point for the whole kit, needing nothing but Python 3.10+ and pip.

    python3 kit.py start   # set up, then run the kit's main job (build the course site)
    python3 kit.py test    # set up, then run the whole test suite (what CI runs)
    python3 kit.py lab     # set up, then open JupyterLab on the notebooks (--lang es|pt)
    python3 kit.py app     # set up, then serve the canvas builder with Voila
    python3 kit.py site    # set up, then build the course site (--clean, --student, --all)
    python3 kit.py serve   # serve the built site on http://127.0.0.1:8000/
    python3 kit.py student OUT | pages | exercises | format | translate check
                           # the checkout tools of tools/ (student edition, case pages,
                           # exercise cells, notebook format, translations)

Set-up creates ``.venv`` beside this file and installs the kit with pinned versions
(``requirements/constraints.txt``); it is skipped when nothing it depends on changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
STAMP = VENV / ".crkit-setup"


def say(text: str) -> None:
    print(f"\033[1m[kit]\033[0m {text}" if sys.stdout.isatty() else f"[kit] {text}", flush=True)


def run(*cmd: object, **kwargs) -> None:
    """Run a command; stop the kit with its exit status if it fails."""
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs)
    if result.returncode:
        say(f"failed ({result.returncode}): {' '.join(map(str, cmd))}")
        raise SystemExit(result.returncode)


def setup() -> None:
    """Create the virtual environment and install the kit, if anything changed."""
    if sys.version_info < (3, 10):
        raise SystemExit("The kit needs Python 3.10 or newer.")
    digest = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + CONSTRAINTS.read_bytes()
    ).hexdigest()
    if PY.exists() and STAMP.exists() and STAMP.read_text() == digest:
        return
    if not PY.exists():
        say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say("installing the kit and its pinned dependencies (first time: a few minutes)")
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    pinned = f"# python: {sys.version_info[0]}.{sys.version_info[1]}" in CONSTRAINTS.read_text()
    if not pinned:
        say("no pinned versions for this Python: installing within pyproject.toml's bounds")
    constraints = ["-c", CONSTRAINTS] if pinned else []
    run(PY, "-m", "pip", "install", "--quiet", *constraints, "-e", ".[dev]")
    STAMP.write_text(digest)


def start() -> None:
    """The kit's main job: score the starter canvas, then build the course site."""
    setup()
    sample = ROOT / "_build" / "starter-canvas.yaml"
    sample.parent.mkdir(exist_ok=True)
    run(BIN / "crkit", "new", sample, "--force")
    run(BIN / "crkit", "score", sample)
    site()


def need_npm() -> None:
    """The site serves its own MathJax and widget renderer, installed with npm."""
    from shutil import which

    if which("npm") is None:
        raise SystemExit(
            "[kit] the course site needs Node.js and npm to install the JavaScript it serves "
            "itself (MathJax, the widget renderer).\n      Debian/Ubuntu: sudo apt-get install "
            "npm   macOS: brew install node   Windows: https://nodejs.org"
        )


def site() -> None:
    """Build the course site strictly and say where to open it."""
    setup()
    need_npm()
    run(PY, ROOT / "tools" / "course_site.py", "build", *sys.argv[2:])


def serve() -> None:
    setup()
    run(PY, ROOT / "tools" / "course_site.py", "serve")


def test() -> None:
    """Everything CI checks: lint, then the whole test suite."""
    setup()
    need_npm()
    run(PY, "-m", "ruff", "check", "src", "tests", "benchmarks", "tools", "kit.py")
    run(PY, "-m", "pytest", *sys.argv[2:])


def lab() -> None:
    """Open JupyterLab on the notebooks; ``--lang es`` or ``--lang pt`` on that edition's
    notebooks (written into notebooks-es/ or notebooks-pt/, ignored by git)."""
    setup()
    args = sys.argv[2:]
    lang = "en"
    if "--lang" in args:
        at = args.index("--lang")
        if at + 1 >= len(args) or args[at + 1] not in ("en", "es", "pt"):
            raise SystemExit("usage: python3 kit.py lab [--lang en|es|pt]")
        lang = args[at + 1]
        del args[at:at + 2]
    folder = "notebooks"
    if lang != "en":
        folder = f"notebooks-{lang}"
        run(PY, ROOT / "tools" / "translate.py", "lab", lang)
    run(BIN / "jupyter", "lab", folder, *args)


def app() -> None:
    """Serve the canvas builder on localhost (options: --port 9000 --workdir DIR)."""
    setup()
    run(PY, "-m", "crkit.builder.server", *sys.argv[2:])


def tool(script: str):
    """A checkout tool of tools/, run with the kit's environment and the given options."""
    def run_tool() -> None:
        setup()
        run(PY, ROOT / "tools" / script, *sys.argv[2:])
    run_tool.__doc__ = f"python3 kit.py ... runs tools/{script}"
    return run_tool


COMMANDS = {"start": start, "test": test, "setup": setup, "lab": lab, "app": app,
            "site": site, "serve": serve,
            # checkout tools (tools/): student edition, case pages, exercise cells,
            # notebook format, translations
            "student": tool("student_edition.py"), "pages": tool("case_pages.py"),
            "exercises": tool("exercise_cells.py"), "format": tool("notebook_format.py"),
            "translate": tool("translate.py")}

if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "start"
    if name not in COMMANDS:
        raise SystemExit(f"usage: python3 kit.py [{'|'.join(COMMANDS)}]")
    COMMANDS[name]()
