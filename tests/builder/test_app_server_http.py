"""The canvas builder's app server over HTTP and its websocket (issue 11).

The real server (``python -m crkit.builder.server``) runs on 127.0.0.1 with a free port and
a cap of two kernels. Requests are made by hand, as an attacker's script or a foreign web
page would: a foreign ``Host`` (DNS rebinding), a foreign ``Origin``, odd paths, too many
pages, and the call a closing tab makes. Marked like the other app-server test (it starts
Voila and its kernels, which takes a while on a busy machine).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import queue
import re
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

START_TIMEOUT = 180


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, workdir: Path, *args: str) -> None:
        pytest.importorskip("voila")
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crkit.builder.server", "--port", str(self.port),
             "--workdir", str(workdir), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        threading.Thread(target=lambda: [self.lines.put(x) for x in self.process.stdout],
                         daemon=True).start()
        threading.Thread(target=lambda: [self.errors.append(x) for x in self.process.stderr],
                         daemon=True).start()
        try:
            self.first_line = self.lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            self.stop()
            pytest.fail("the app server printed no address:\n" + "".join(self.errors[-30:]))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(self, path: str = "/", *, method: str = "GET", host: str | None = None,
                headers: dict | None = None, body: str | None = None, cookies: dict | None = None,
                timeout: float = 240) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host or f"127.0.0.1:{self.port}")
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        if cookies:
            conn.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
        data = body.encode() if body is not None else None
        if data is not None:
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        result = response.status, {**{k.lower(): v for k, v in response.getheaders()},
                                   "set-cookie": response.headers.get_all("Set-Cookie") or []}, text
        conn.close()
        return result


def _cookies(headers: dict) -> dict:
    jar = {}
    for line in headers["set-cookie"]:
        cookie = SimpleCookie()
        cookie.load(line)
        for key, morsel in cookie.items():
            jar[key] = morsel
    return jar


def _kernel_id(page: str) -> str:
    return re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page).group(1)


async def _websocket(port: int, kernel: str, host: str, origin: str | None) -> int | str:
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Host": host}
    if origin:
        headers["Origin"] = origin
    request = HTTPRequest(f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels",
                          headers=headers, request_timeout=60)
    try:
        conn = await websocket_connect(request)
    except HTTPClientError as exc:
        return exc.code
    conn.write_message(json.dumps({
        "header": {"msg_id": "1", "msg_type": "kernel_info_request", "username": "",
                   "session": "s", "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell"}))
    reply = await asyncio.wait_for(conn.read_message(), 60)
    conn.close()
    return "open" if reply else "closed"


def websocket(port: int, kernel: str, host: str, origin: str | None = None):
    return asyncio.run(_websocket(port, kernel, host, origin))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("app-http")
    (folder / "secret.yaml").write_text("db_password: hunter2\n")
    return folder


@pytest.fixture(scope="module")
def server(workdir):
    app = Server(workdir, "--max-kernels", "2")
    yield app
    app.stop()


def test_the_app_server_guards_hosts_paths_kernels_and_tab_close(server, workdir):
    port = server.port
    assert re.fullmatch(rf"Canvas builder: http://127\.0\.0\.1:{port}/\n", server.first_line)
    local = f"127.0.0.1:{port}"

    # a foreign Host (the first step of DNS rebinding) is refused before any kernel starts
    for path in ("/", "/voila/static/voila.js", "/api/kernels", "/login"):
        status, _, body = server.request(path, host="evil.example")
        assert status == 403, path
    for host in ("evil.example:80", "127.0.0.1.evil.example", "localhost.evil.example",
                 "192.168.1.10", "[::2]:80"):
        assert server.request("/", host=host)[0] in (400, 403), host

    # a script of another site gets no page (and so starts no kernel)
    for headers in ({"Origin": "http://evil.example"},
                    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}):
        assert server.request("/", headers=headers)[0] == 403, headers
    # a learner following a link from another site does get the page (below)

    # pages: each starts one kernel, sets the browser cookie and the _xsrf cookie
    status, headers, page = server.request("/", host=f"localhost:{port}", headers={
        "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})
    assert status == 200, page[-500:]
    jar = _cookies(headers)
    browser = jar["crkit-browser"]
    assert re.fullmatch(r"[0-9a-f]{32}", browser.value)
    assert browser["httponly"] and browser["samesite"] == "Strict"
    assert "_xsrf" in jar
    first = _kernel_id(page)

    # the kernel's websocket: same-origin opens; a foreign Host or Origin does not
    assert websocket(port, first, local, f"http://{local}") == "open"
    assert websocket(port, first, "evil.example", "http://evil.example") == 403
    assert websocket(port, first, local, "http://evil.example") in (403, 404)

    # path names: nothing outside the app's own files, nothing of the working folder
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/voila/files/secret.yaml",
                 "/voila/files/../../etc/passwd", "/voila/files/%2e%2e/canvas-builder.ipynb",
                 "/voila/files/canvas-builder.ipynb", "/voila/tree", "/voila/render/x.ipynb",
                 "/voila/api/contents/", "/api/contents/secret.yaml", "/files/secret.yaml",
                 "/voila/static/../../../../etc/passwd", "/voila/templates/../../etc/passwd"):
        status, _, body = server.request(path)
        assert status != 200 or ("hunter2" not in body and "root:" not in body), path
        assert "hunter2" not in body and "root:x:" not in body, path

    # the kernel cap: a second page runs, a third gets "busy, try again" (503)
    status, headers2, page2 = server.request("/")
    assert status == 200
    second = _kernel_id(page2)
    status, headers, busy = server.request("/")
    assert status == 503 and headers.get("retry-after") == "60"
    assert "busy" in busy and "Try again in a minute" in busy and "ocupado" in busy

    # closing a tab: the page's beacon (form field _xsrf + cookie, same Origin) stops it
    xsrf = jar["_xsrf"].value
    form = f"_xsrf={xsrf}"
    form_headers = {"Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"http://{local}"}
    status, _, _ = server.request(f"/voila/api/shutdown/{first}", method="POST", body="",
                                  headers={"Origin": f"http://{local}"})
    assert status == 403  # without the XSRF token: refused, as jupyter-server does
    status, _, _ = server.request(f"/voila/api/shutdown/{first}", method="POST", body=form,
                                  cookies={"_xsrf": xsrf},
                                  headers={**form_headers, "Origin": "http://evil.example"})
    assert status in (403, 404)  # a foreign page cannot stop it either
    status, _, _ = server.request(f"/voila/api/shutdown/{first}", method="POST", body=form,
                                  cookies={"_xsrf": xsrf}, headers=form_headers)
    assert status == 204
    deadline = time.monotonic() + 60
    while True:  # the freed slot serves a new page
        status, _, page3 = server.request("/")
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert status == 200
    assert websocket(port, first, local, f"http://{local}") in (404, "closed")
    assert second != _kernel_id(page3)

    # a returning browser keeps its id (its recovery copies); a forged header changes nothing
    status, headers, _ = server.request(
        "/", cookies={"crkit-browser": browser.value, "_xsrf": xsrf},
        headers={"X-Crkit-Browser": "../../etc"})
    assert status == 503  # still two pages open
    ours = [e for e in server.errors if e.lstrip().startswith("File ") and "crkit" in e]
    assert not ours, "".join(server.errors)


def test_public_mode_requires_the_token_and_prints_it(tmp_path):
    token = "class-token-" + "x" * 20
    app = Server(tmp_path, "--public", "127.0.0.1", "--token", token, "--max-kernels", "1",
                 "--allow-host", "crkit.school.example")
    try:
        assert app.first_line.strip() == (
            f"Canvas builder for a class: http://127.0.0.1:{app.port}/?token={token}")
        second = app.lines.get(timeout=10)
        assert "Learners open that address" in second and token in second
        status, headers, _ = app.request("/")
        assert status == 302 and "/login" in headers["location"]
        assert app.request("/?token=wrong-token-xxxxxxxxxxxx")[0] in (302, 403)
        status, _, _ = app.request("/voila/api/shutdown/x", method="POST", body="")
        assert status in (302, 403)
        assert app.request("/?token=" + token, host="evil.example")[0] == 403
        status, headers, page = app.request("/?token=" + token,
                                            host=f"crkit.school.example:{app.port}")
        assert status == 200 and '"kernelId"' in page
    finally:
        app.stop()


def test_public_mode_refuses_a_short_token(tmp_path):
    result = subprocess.run([sys.executable, "-m", "crkit.builder.server", "--public",
                             "127.0.0.1", "--token", "short", "--workdir", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "at least 16 characters" in result.stderr
