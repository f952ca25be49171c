"""Helpers for tests that drive a real browser (headless Chromium through Playwright).

Used by ``test_site_browser.py`` and by the canvas builder's browser test::

    from browser import chromium_path, launch, serve_directory, PageWatcher

Playwright never downloads a browser here: it drives Debian's ``/usr/bin/chromium``. When
that is missing, :func:`chromium_path` installs it with apt-get (only as root), or skips the
test with the reason.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
#: hosts a page of ours may talk to
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}

# Playwright must never fetch a browser build of its own.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def _install_chromium() -> str | None:
    """apt-get install chromium (root only); the reason it failed, or None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return f"{CHROMIUM} is missing and we are not root: run `apt-get install -y chromium`"
    if shutil.which("apt-get") is None:
        return f"{CHROMIUM} is missing and this system has no apt-get"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=900, env=env, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"`{' '.join(command)}` failed: {exc}"
        if result.returncode != 0:
            return f"`{' '.join(command)}` failed: {(result.stderr or result.stdout)[-500:]}"
    return None


@functools.lru_cache(maxsize=1)
def _find_chromium() -> tuple[str | None, str]:
    if Path(CHROMIUM).is_file():
        return CHROMIUM, ""
    reason = _install_chromium()
    if reason is None and Path(CHROMIUM).is_file():
        return CHROMIUM, ""
    return None, reason or f"{CHROMIUM} still missing after apt-get install"


def chromium_path() -> str:
    """Debian's Chromium, installed on demand when we are root; otherwise skip the test."""
    pytest.importorskip("playwright.sync_api", reason="Playwright (pip install playwright)")
    path, reason = _find_chromium()
    if path is None:
        pytest.skip(f"no Chromium for browser tests: {reason}")
    return path


def launch(playwright: Any, **kwargs: Any) -> Any:
    """Launch headless Chromium with the flags this machine needs."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True, **kwargs
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve_directory(directory: str | Path, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve a folder over HTTP on a free port of 127.0.0.1; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="test-http", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class PageWatcher:
    """Records what goes wrong while a page loads: console errors, failed or foreign requests."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> PageWatcher:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_failed)
        page.on("response", self._on_response)
        return self

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def _on_request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname not in LOCAL_HOSTS:
            self.foreign_requests.append(request.url)

    def _on_failed(self, request: Any) -> None:
        failure = request.failure or ""
        self.failed_requests.append(f"{request.url}: {failure}")

    def _on_response(self, response: Any) -> None:
        if response.status >= 400:
            self.failed_requests.append(f"{response.url}: HTTP {response.status}")

    def problems(self) -> list[str]:
        return [
            *(f"console error: {e}" for e in self.console_errors),
            *(f"page error: {e}" for e in self.page_errors),
            *(f"failed request: {e}" for e in self.failed_requests),
            *(f"request to another host: {e}" for e in self.foreign_requests),
        ]

    def clear(self) -> None:
        for items in (
            self.console_errors, self.failed_requests, self.foreign_requests, self.page_errors
        ):
            items.clear()


def screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    """Save a PNG of the page to tests/artifacts/<name>.png (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
