"""Accessibility checks with axe-core (from npm), run inside a Playwright page.

axe-core is pinned in ``tests/a11y/package.json`` and its lock file, and installed with
``npm ci`` into ``tests/a11y/node_modules`` the first time a test needs it (the only
download, from the npm registry; nothing is fetched while a page is tested)::

    from a11y import serious_findings
    assert not serious_findings(page), ...

A finding is serious when axe rates its impact "serious" or "critical".
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parent / "a11y"
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_path() -> Path:
    """axe.min.js, installed with ``npm ci`` when missing; skip the test without npm."""
    if AXE.is_file():
        return AXE
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("axe-core is not installed and there is no npm to install it")
    result = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                            cwd=PROJECT, capture_output=True, text=True, check=False,
                            timeout=600)
    if result.returncode != 0 or not AXE.is_file():
        pytest.fail(f"npm ci failed in {PROJECT}:\n{(result.stderr or result.stdout)[-2000:]}")
    return AXE


def findings(page: Any, context: str | None = None) -> list[dict[str, Any]]:
    """Every axe-core violation on the page (or inside the ``context`` selector)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path()))
    return page.evaluate(
        """async (context) => {
             const result = await axe.run(context ? document.querySelector(context) : document,
                                          {resultTypes: ['violations']});
             return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': '
                                                 + (n.failureSummary || '').slice(0, 200))}));
           }""",
        context,
    )


def serious_findings(page: Any, context: str | None = None) -> list[dict[str, Any]]:
    """The violations axe rates serious or critical."""
    return [f for f in findings(page, context) if f["impact"] in SERIOUS]


def describe(found: list[dict[str, Any]]) -> str:
    """Findings as lines a person can act on."""
    return "\n".join(f"{f['impact']}: {f['id']} ({f['help']}): " + " | ".join(f["nodes"])
                     for f in found)
