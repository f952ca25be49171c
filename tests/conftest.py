"""Shared fixtures: paths, the starter canvas, and a way to run the crkit command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# checkout tools (course site, student edition, notebook format) live outside the package
sys.path.insert(0, str(ROOT / "tools"))
# the suite's helpers (notebook_runner, browser, sitebuild) for tests in sub-folders
sys.path.insert(0, str(ROOT / "tests"))

# fixtures shared by the site and browser tests (the site is built once per session)
pytest_plugins = ["sitebuild"]


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def starter_file(tmp_path: Path) -> Path:
    import crkit

    path = tmp_path / "starter.yaml"
    crkit.save(crkit.starter_canvas(), path)
    return path


def run_crkit(*args: str, timeout: float = 30, cwd: Path | None = None):
    """Run the installed ``crkit`` command as a learner would."""
    env = {**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning"}
    return subprocess.run(
        [sys.executable, "-m", "crkit.cli", *args], capture_output=True, text=True,
        timeout=timeout, cwd=cwd, env=env,
    )


@pytest.fixture
def crkit_cmd():
    return run_crkit
