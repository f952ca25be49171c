"""Build the course site once per test session, for the site and browser tests.

One build makes the three editions: English in ``_build/html``, Spanish and Portuguese in
its ``es/`` and ``pt/`` folders (``site_dir / "es"``); the student edition likewise.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def build_once(student: bool = False) -> tuple[Path | None, str]:
    """(html folder, "") after a strict build, or (None, the reason it failed).

    The site's own checks are left to the tests, so each problem fails the test about it.
    """
    import course_site as site

    try:
        index = site.build(student=student, check=False, quiet=True, root=ROOT,
                           langs=site.EDITIONS)
    except site.SiteError as exc:
        return None, str(exc)
    return index.parent, ""


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site's HTML folder; the test fails with the build's warnings if it broke."""
    folder, error = build_once()
    if folder is None:
        pytest.fail(f"the course site did not build strictly:\n{error}", pytrace=False)
    return folder
