"""Build the course site once per test session, for the site and browser tests."""

from __future__ import annotations

import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def build_once(student: bool = False) -> tuple[Path | None, str]:
    """(html folder, "") after a strict build, or (None, the reason it failed).

    The site's own checks are left to the tests, so each problem fails the test about it.
    """
    from crkit import site

    try:
        index = site.build(student=student, check=False, quiet=True, root=ROOT)
    except site.SiteError as exc:
        return None, str(exc)
    return index.parent, ""
