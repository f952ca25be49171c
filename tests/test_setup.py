"""Set-up stays honest: README commands, CI, environment.yml and a light import."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for group in project["optional-dependencies"].values():
        reqs += [r for r in group if not r.startswith("crkit")]
    return {r.replace(" ", "") for r in reqs}


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {r.replace(" ", "") for r in pip if not r.startswith("-e")}
    assert listed == _pyproject_requirements()


def test_every_direct_dependency_is_pinned_in_constraints():
    pins = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    for req in _pyproject_requirements():
        name = re.split(r"[<>=!\[]", req)[0].lower()
        assert name in pins, name


def test_readme_first_screen_gives_the_two_commands_and_ci_runs_the_test_one():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:25])
    commands = re.findall(r"^(python3 kit\.py \w+)", first_screen, flags=re.M)
    assert commands[:2] == ["python3 kit.py start", "python3 kit.py test"]
    assert "python3 kit.py test" in (ROOT / ".ci" / "run").read_text()


def test_import_crkit_stays_light():
    code = ("import sys, crkit; crkit.score; crkit.load; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy', 'ipywidgets') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
