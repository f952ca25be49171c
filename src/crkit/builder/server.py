"""Serve the canvas builder as a web app: ``python -m crkit.builder.server``.

Runs Voila (with the guards of :mod:`crkit.builder.voila_app`) on
``app/canvas-builder.ipynb`` and prints the address once the page can be opened. Nothing
is fetched from the internet: Voila serves its own scripts, and the kit's page template
(``app/voila/templates/crkit``) leaves out the icon font the default template would load
from a CDN.

Two modes (``docs/security.md``):

* **on this computer** (default): listens on 127.0.0.1 only, answers only requests whose
  ``Host`` is a loopback name (``--allow-host`` adds names), no token;
* **for a class** (``--public ADDRESS``): listens on ``ADDRESS`` (``0.0.0.0``: every
  network of the computer), requires a token (made at random, or ``--token``) and prints
  the address learners open, token included.

Either way at most ``--max-kernels`` pages run at once (others get a "busy" page), a
closed tab stops its kernel, and files the learners save, and their recovery copies, go
to ``--workdir`` (default: the folder the command was run from) and nowhere else.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_PORT = 8866
HOST = "127.0.0.1"
#: pages (kernels) served at once: on a laptop, and on a class server
MAX_KERNELS = 8
MAX_KERNELS_PUBLIC = 40
#: the environment variable that hands the token to the Voila process
TOKEN_VARIABLE = "CRKIT_APP_TOKEN"
# the Voila notebook and its template, shipped as package data
APP = Path(__file__).resolve().parent / "app"
NOTEBOOK = APP / "canvas-builder.ipynb"
TEMPLATE = "crkit"


def free_port(preferred: int = DEFAULT_PORT, host: str = HOST) -> int:
    """``preferred`` if nothing listens there, otherwise a port the system says is free."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise OSError("no free port")  # pragma: no cover - port 0 always binds


#: the JupyterLab extensions the builder's page loads (Voila's own widget manager is one)
PAGE_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8")


def voila_command(port: int, notebook: Path = NOTEBOOK, *, address: str = HOST,
                  public: bool = False, allow_hosts: tuple[str, ...] = (),
                  max_kernels: int = MAX_KERNELS) -> list[str]:
    """The Voila command line: no browser, no tracebacks shown to learners, guarded.

    Configuration does most of the work: the address, the kernel manager's culling, the
    header that carries the browser id into the kernel. :mod:`crkit.builder.voila_app`
    adds the Host check, the kernel cap, the tab-close fix and the token.
    """
    return [
        sys.executable, "-m", "crkit.builder.voila_app", str(notebook),
        f"--port={port}", "--Voila.port_retries=0", f"--Voila.ip={address}", "--no-browser",
        f"--template={TEMPLATE}", "--theme=light", "--show_tracebacks=False",
        "--Voila.log_level=WARN",
        f"--CrkitVoila.max_kernels={max_kernels}",
        *[f"--CrkitVoila.allowed_hosts={host}" for host in allow_hosts],
        f"--CrkitVoila.public={public}",
        # the browser's id (a cookie the page handler sets) reaches the kernel's environment
        "--VoilaConfiguration.http_header_envs=X-Crkit-Browser",
        # one kernel is started, with the kit imported, before a page asks for it: the
        # first page is usable sooner (the notebook waits for the request, and its
        # browser id, before it draws the builder)
        "--preheat_kernel=True", "--pool_size=1",
        # only the page's widgets are loaded: not the other JupyterLab extensions of the
        # environment (syntax colours, JupyterLite's kernel), which the page never uses
        *[f"--VoilaConfiguration.extension_allowlist={name}" for name in PAGE_EXTENSIONS],
        # a closed tab stops its kernel at once; a tab that vanished without a word (a
        # crash, a lost network) is stopped after 5 idle minutes. An open page's kernel is
        # never culled; work is autosaved anyway.
        "--MappingKernelManager.cull_idle_timeout=300",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
    ]


def voila_environment(workdir: Path) -> dict[str, str]:
    """Where the builder saves files, and where Voila finds the kit's page template."""
    env = dict(os.environ)
    env["CRKIT_WORKDIR"] = str(workdir)
    paths = [str(APP)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    return env


def wait_until_listening(port: int, process: subprocess.Popen, timeout: float = 120,
                         host: str = HOST) -> bool:
    """True once the port accepts connections; False if Voila exited or time ran out."""
    deadline = time.monotonic() + timeout
    target = HOST if host in ("0.0.0.0", "") else host
    family = socket.AF_INET6 if ":" in target else socket.AF_INET
    if target == "::":
        target = "::1"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((target, port)) == 0:
                return True
        time.sleep(0.2)
    return False


def stop(process: subprocess.Popen) -> None:
    """Ask Voila to shut down (on SIGTERM it stops its kernels), then insist."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m crkit.builder.server",
        description="Serve the canvas builder with Voila: on this computer (127.0.0.1) by "
        "default, or for a class with --public.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to try first (default {DEFAULT_PORT}; a free one otherwise)")
    parser.add_argument("--workdir", type=Path, default=Path.cwd(),
                        help="folder for saved canvases and recovery copies (default: here)")
    parser.add_argument("--public", metavar="ADDRESS",
                        help="serve a class: listen on ADDRESS (e.g. 0.0.0.0 or this "
                        "computer's network address) and require a token")
    parser.add_argument("--token", help="the class token (default: made at random); "
                        "at least 16 characters")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="a Host name to accept besides loopback ones (repeatable; "
                        "'*' accepts any)")
    parser.add_argument("--max-kernels", type=int, metavar="N",
                        help=f"pages served at once (default {MAX_KERNELS}, "
                        f"{MAX_KERNELS_PUBLIC} with --public)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not NOTEBOOK.is_file():
        print(f"The canvas builder app is missing: {NOTEBOOK} (run this from the kit's "
              "folder, where kit.py is).", file=sys.stderr)
        return 2
    workdir = args.workdir.resolve()
    if not workdir.is_dir():
        print(f"The working folder does not exist: {workdir}", file=sys.stderr)
        return 2
    public = args.public is not None
    address = args.public if public else HOST
    token = args.token or (secrets.token_urlsafe(24) if public else "")
    if public and len(token) < 16:
        print("The token must have at least 16 characters.", file=sys.stderr)
        return 2
    max_kernels = args.max_kernels or (MAX_KERNELS_PUBLIC if public else MAX_KERNELS)
    if max_kernels < 1:
        print("--max-kernels must be 1 or more.", file=sys.stderr)
        return 2
    try:
        port = free_port(args.port, host=address)
    except OSError as exc:
        print(f"Cannot listen on {address}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    env = voila_environment(workdir)
    env.pop(TOKEN_VARIABLE, None)
    if public:
        env[TOKEN_VARIABLE] = token
    command = voila_command(port, address=address, public=public,
                            allow_hosts=tuple(args.allow_host), max_kernels=max_kernels)
    process = subprocess.Popen(command, env=env, cwd=APP)

    def on_term(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        if not wait_until_listening(port, process, host=address):
            stop(process)
            print("Voila did not start; see the messages above.", file=sys.stderr)
            return process.returncode or 1
        if public:
            shown = socket.gethostname() if address in ("0.0.0.0", "::") else address
            host = f"[{shown}]" if ":" in shown else shown
            print(f"Canvas builder for a class: http://{host}:{port}/?token={token}",
                  flush=True)
            print(f"Learners open that address (the token is part of it), or "
                  f"http://{host}:{port}/ and type the token: {token}", flush=True)
            print(f"At most {max_kernels} pages at once; files go to {workdir}.", flush=True)
        else:
            print(f"Canvas builder: http://{HOST}:{port}/", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        return process.wait()
    except KeyboardInterrupt:
        stop(process)
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
