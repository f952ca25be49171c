"""The kit installed as a normal package, outside the checkout, works as it does here.

Binder, a classroom JupyterHub image or an in-browser runtime install the kit from a wheel,
not from this folder: the case library, the builder's app and every data file must travel
inside it. This test builds the wheel, installs it into a fresh virtual environment in a
temporary folder (its dependencies come from the package registry, as they would for a
learner) and runs the command, the case library, the builder's state and a lesson helper.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def build_wheel(base: Path) -> Path:
    """Build the kit's wheel from a copy of the files a wheel is made of (the checkout
    itself gets no build folder)."""
    source = base / "source"
    shutil.copytree(ROOT / "src", source / "src", symlinks=True,
                    ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    shutil.copytree(ROOT / "casestudies", source / "casestudies")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(dist), str(source)], check=True,
                   cwd=base)
    return next(dist.glob("crkit-*.whl"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel) -> Path:
    """The ``bin`` folder of a fresh environment with the kit's wheel installed."""
    base = tmp_path_factory.mktemp("env")
    env_dir = base / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    constraints = ROOT / "requirements" / "constraints.txt"
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet",
                    "-c", str(constraints), str(wheel)], check=True, cwd=base)
    return bin_dir


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CRKIT_CASES")}
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120)


def test_the_wheel_holds_the_case_library_and_the_app(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    cases = sorted(Path(n).stem for n in names if n.startswith("crkit/data/cases/")
                   and n.endswith(".yaml"))
    assert cases == sorted(p.stem for p in (ROOT / "casestudies").glob("*.yaml"))
    assert "crkit/builder/app/canvas-builder.ipynb" in names
    assert not [n for n in names if n.startswith(("tools/", "tests/"))]


def test_score_cases_builder_and_a_lesson_run_from_the_wheel(installed, tmp_path):
    py = installed / "python"
    where = _run(installed, py, "-c", "import crkit; print(crkit.__file__)", cwd=tmp_path)
    assert str(ROOT) not in where.stdout, "the checkout was imported, not the wheel"

    made = _run(installed, installed / "crkit", "new", "c.yaml", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    scored = _run(installed, installed / "crkit", "score", "c.yaml", "--json", cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr
    assert 0 < json.loads(scored.stdout)["total"] <= 100

    listed = _run(installed, installed / "crkit", "cases", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == len(list((ROOT / "casestudies").glob("*.yaml"))) == 11
    assert all({"id", "title", "types"} <= set(row) for row in rows)

    code = (
        "from crkit.builder.state import BuilderState\n"
        "from crkit.builder.server import NOTEBOOK\n"
        "from crkit.core.cases import load_case\n"
        "from crkit.lessons import economics, exercises\n"
        "state = BuilderState(load_case('sephora').canvas(), workdir='.')\n"
        "print(len(state.canvas.segments), state.report().total > 0, NOTEBOOK.is_file())\n"
        "first = exercises.exercise_ids()[0]\n"
        "print(exercises.check(first, 'no such answer').correct is False,\n"
        "      economics.self_service_first_cost() > 0)\n"
    )
    run = _run(installed, py, "-c", code, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    first, second = run.stdout.split("\n")[:2]
    segments, has_score, has_app = first.split()
    assert int(segments) > 0 and has_score == "True" and has_app == "True"
    assert second == "True True"
