"""Voila with the canvas builder's guards: ``python -m crkit.builder.voila_app NOTEBOOK ...``.

:mod:`crkit.builder.server` runs this instead of plain Voila. Most protection is Voila and
jupyter-server configuration (the server sets it on the command line); this module adds
only what settings cannot do:

* **Host header**: every request (pages, scripts, the kernel websocket) whose ``Host`` is
  not a name of this computer gets 403, so a web page elsewhere cannot reach the app by
  DNS rebinding. Loopback addresses and ``localhost`` always pass; ``--allow-host`` names
  more (``*`` turns the check off). Jupyter's own Host and Origin checks stay on.
* **Kernel cap**: each page runs its own kernel; past ``max_kernels`` a new page gets a
  "busy, try again in a minute" page (HTTP 503) instead of a kernel. A script of another
  site (a ``fetch`` with a foreign ``Origin``) gets no page, hence no kernel, at all.
* **Closed tabs**: Voila's page asks the server to shut its kernel down when the tab
  closes, with the ``_xsrf`` cookie jupyter-server checks; the page handler sets that
  cookie, so the call succeeds instead of failing with 403.
* **One space per browser**: a random id in an ``HttpOnly`` cookie reaches the page's
  kernel as ``$HTTP_X_CRKIT_BROWSER`` (Voila's ``http_header_envs``), so the builder lists
  each browser's own recovery copies only.
* **Token** (``--public``): read from ``$CRKIT_APP_TOKEN`` (never on the command line,
  where other users of the computer could read it) and required on every request.
"""

from __future__ import annotations

import html
import ipaddress
import os
import re
import secrets
import socket
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from traitlets import Bool, Integer, List, Unicode
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler

#: the cookie that keeps a browser's id (recovery copies are listed per browser)
BROWSER_COOKIE = "crkit-browser"
#: the request header Voila passes into the kernel's environment as HTTP_X_CRKIT_BROWSER
BROWSER_HEADER = "X-Crkit-Browser"
#: where the server passes the class token (not on the command line)
TOKEN_VARIABLE = "CRKIT_APP_TOKEN"
_BROWSER_ID = re.compile(r"[0-9a-f]{32}")
#: the largest websocket message (an upload travels in one): a canvas file is < 1 MB
MAX_MESSAGE_BYTES = 4 * 1024 * 1024

BUSY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Canvas builder: busy</title>
<meta http-equiv="refresh" content="60"></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>The canvas builder is busy</h1>
<p>{count} pages are open, the most this server runs at once. Try again in a minute: this
page reloads by itself. Work saved in other pages is not affected.</p>
<p lang="es">El constructor de lienzos está ocupado: hay {count} páginas abiertas, el máximo
que este servidor atiende a la vez. Vuelve a intentarlo en un minuto; esta página se recarga
sola.</p>
<p lang="pt">O construtor de telas está ocupado: há {count} páginas abertas, o máximo que
este servidor atende ao mesmo tempo. Tente de novo em um minuto; esta página recarrega
sozinha.</p>
</body></html>
"""


def host_name(host_header: str) -> str:
    """``Host`` without its port and IPv6 brackets, lower-cased."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    return host.rstrip(".")


def host_allowed(host_header: str | None, names: set[str]) -> bool:
    """True for a loopback address, ``localhost``, or one of ``names`` (``*``: any)."""
    if "*" in names:
        return True
    if not host_header:
        return False
    host = host_name(host_header)
    try:
        if ipaddress.ip_address(host).is_loopback:
            return True
    except ValueError:
        pass
    return host in names or host == "localhost" or host.endswith(".localhost")


def machine_names(address: str) -> set[str]:
    """Names and addresses learners may use to reach this computer on a network."""
    names = set()
    if address not in ("", "0.0.0.0", "::"):
        names.add(address.lower())
    for name in {socket.gethostname(), socket.getfqdn()}:
        if not name:
            continue
        names.add(name.lower())
        try:
            names |= {info[4][0].lower() for info in socket.getaddrinfo(name, None)}
        except OSError:
            pass
    return names


class _GuardedApplication(tornado.web.Application):
    """A tornado application that answers 403 to any request for a foreign Host."""

    def find_handler(self, request: Any, **kwargs: Any) -> Any:
        if not host_allowed(request.headers.get("Host"), self.settings["crkit_hosts"]):
            return self.get_handler_delegate(
                request, tornado.web.ErrorHandler, {"status_code": 403})
        return super().find_handler(request, **kwargs)


class BuilderPageHandler(TornadoVoilaHandler):
    """The builder's page: kernel cap, the browser's id, the ``_xsrf`` cookie."""

    starting = 0  # pages whose kernel is starting (not yet listed by the kernel manager)

    async def prepare(self) -> None:
        await super().prepare()
        self._reserved = False
        if self._finished or self.current_user is None or self.request.method != "GET":
            return
        if self.path_args and self.path_args[0]:
            return  # not the notebook: Voila redirects to its files handler
        if self._foreign():
            raise tornado.web.HTTPError(403, "a page of another site cannot open the builder")
        limit = self.settings["crkit_max_kernels"]
        running = len(self.kernel_manager.list_kernel_ids()) + BuilderPageHandler.starting
        if running >= limit:
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(BUSY_PAGE.format(count=html.escape(str(limit))))
            return
        BuilderPageHandler.starting += 1
        self._reserved = True
        browser = self.get_cookie(BROWSER_COOKIE) or ""
        if not _BROWSER_ID.fullmatch(browser):
            browser = secrets.token_hex(16)
            self.set_cookie(BROWSER_COOKIE, browser, httponly=True, samesite="Strict",
                            expires_days=60, path=self.base_url or "/")
        self.request.headers[BROWSER_HEADER] = browser  # never what the client sent
        self.xsrf_token  # noqa: B018 - sets the _xsrf cookie the tab-close call sends back

    def _foreign(self) -> bool:
        """A script of another site asking for a page (each page starts a kernel).

        A learner following a link is a navigation and passes; a ``fetch`` from a foreign
        page carries its ``Origin`` or ``Sec-Fetch-Site: cross-site`` and does not.
        """
        headers = self.request.headers
        origin = headers.get("Origin")
        if origin and origin != "null" and host_name(urlsplit(origin).netloc or origin) \
                != host_name(headers.get("Host", "")):
            return True
        return (headers.get("Sec-Fetch-Site") == "cross-site"
                and headers.get("Sec-Fetch-Mode", "navigate") != "navigate")

    def _release(self) -> None:
        if getattr(self, "_reserved", False):
            BuilderPageHandler.starting -= 1
            self._reserved = False

    def on_finish(self) -> None:
        self._release()
        super().on_finish()

    def on_connection_close(self) -> None:  # the browser left before the page was sent
        self._release()
        super().on_connection_close()


class ShutdownHandler(VoilaShutdownKernelHandler):
    """The tab-close call: shut the page's kernel down, answering 204 even if it is gone."""

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        if kernel_id in self.kernel_manager.list_kernel_ids():
            await super().post(kernel_id)
            return
        self.set_status(204)
        self.finish()


class CrkitVoila(Voila):
    """Voila serving the canvas builder with the guards described above."""

    name = "crkit-voila"
    max_kernels = Integer(8, help="most pages (kernels) served at once").tag(config=True)
    allowed_hosts = List(Unicode(), help="Host names accepted besides loopback ones"
                         ).tag(config=True)
    public = Bool(False, help="a class server: require the token in $CRKIT_APP_TOKEN"
                  ).tag(config=True)

    def init_settings(self) -> dict:
        if self.public:
            token = os.environ.get(TOKEN_VARIABLE, "")
            if len(token) < 16:
                raise SystemExit(f"--public needs a token of 16+ characters in ${TOKEN_VARIABLE}")
            self.token = token
        settings = super().init_settings()
        hosts = {h.lower() for h in self.allowed_hosts}
        if self.public:
            hosts |= machine_names(self.ip)
        settings.update(
            # jupyter-server's own Host check too (it accepts loopback and these names)
            allow_remote_access=self.public or "*" in hosts,
            local_hostnames=["localhost", *sorted(hosts - {"*"})],
            crkit_hosts=hosts,
            crkit_max_kernels=self.max_kernels,
            websocket_max_message_size=MAX_MESSAGE_BYTES,
        )
        return settings

    def init_handlers(self) -> list:
        swap = {TornadoVoilaHandler: BuilderPageHandler,
                VoilaShutdownKernelHandler: ShutdownHandler}
        return [(rule[0], swap.get(rule[1], rule[1]), *rule[2:]) for rule in
                super().init_handlers()]

    def start(self) -> None:
        """Voila's own start, with the Host-checking application."""
        import tempfile

        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        self.app = _GuardedApplication(**settings)
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        self.listen()


main = CrkitVoila.launch_instance

if __name__ == "__main__":
    main()
