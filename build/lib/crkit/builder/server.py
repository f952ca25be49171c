"""Serve the canvas builder as a web app on this computer: ``python -m crkit.builder.server``.

Runs Voila on ``app/canvas-builder.ipynb``, listening on 127.0.0.1 only, and prints the
address once the page can be opened. Nothing is fetched from the internet: Voila serves
its own scripts, and the kit's page template (``app/voila/templates/crkit``) leaves out
the icon font the default template would load from a CDN.

Files the learner saves, and the recovery copies, go to the folder the command was run
from (``--workdir`` to change it).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_PORT = 8866
HOST = "127.0.0.1"
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


def voila_command(port: int, notebook: Path = NOTEBOOK) -> list[str]:
    """The Voila command line: local only, no browser, no tracebacks shown to learners."""
    return [
        sys.executable, "-m", "voila", str(notebook),
        f"--port={port}", "--Voila.port_retries=0", f"--Voila.ip={HOST}", "--no-browser",
        f"--template={TEMPLATE}", "--theme=light", "--show_tracebacks=False",
        "--Voila.log_level=WARN",
        # Voila 0.5 cannot shut a kernel down when its tab closes (voila#1458: the request
        # lacks an XSRF token), so kernels no page is connected to are stopped after 5 idle
        # minutes. An open page's kernel is never culled; work is autosaved anyway.
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


def wait_until_listening(port: int, process: subprocess.Popen, timeout: float = 120) -> bool:
    """True once the port accepts connections; False if Voila exited or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((HOST, port)) == 0:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crkit.builder.server",
        description="Serve the canvas builder with Voila on this computer (127.0.0.1).",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to try first (default {DEFAULT_PORT}; a free one otherwise)")
    parser.add_argument("--workdir", type=Path, default=Path.cwd(),
                        help="folder for saved canvases and recovery copies (default: here)")
    args = parser.parse_args(argv)
    if not NOTEBOOK.is_file():
        print(f"The canvas builder app is missing: {NOTEBOOK} (run this from the kit's "
              "folder, where kit.py is).", file=sys.stderr)
        return 2
    port = free_port(args.port)
    process = subprocess.Popen(voila_command(port), env=voila_environment(args.workdir.resolve()),
                               cwd=APP)

    def on_term(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        if not wait_until_listening(port, process):
            stop(process)
            print("Voila did not start; see the messages above.", file=sys.stderr)
            return process.returncode or 1
        print(f"Canvas builder: http://{HOST}:{port}/", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        return process.wait()
    except KeyboardInterrupt:
        stop(process)
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
