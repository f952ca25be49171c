"""The live canvas builder of the course site: JupyterLite + Pyodide, served by the site itself.

``book/app.md`` embeds a JupyterLite REPL (``jupyterlite-sphinx``) that starts the canvas
builder in the reader's browser. Nothing is loaded from another host: this module prepares a
JupyterLite folder (``_build/lite``) that ``jupyter lite build`` turns into ``_build/html/lite``:

* ``static/pyodide/``: the Pyodide runtime from the npm registry (``pyodide`` in
  ``site/package.json``: interpreter and standard library only), and next to it every wheel
  the builder needs, listed in the site's own ``pyodide-lock.json``:

  - pure-Python wheels from the package registry, pinned in ``site/lite-requirements.txt``
    (downloaded once into ``_build/lite-cache``; a rebuild needs no network);
  - PyYAML built from its source distribution without the C extension (PyYAML publishes no
    pure-Python wheel);
  - Babel with only the locale data of the kit's languages (the full wheel is 11 MB);
  - the kit's own wheel, built from this checkout, with its YAML data files also parsed
    ahead into ``crkit/data/parsed.json`` (PyYAML is pure Python in the browser, and
    reading the data files was most of the builder's first drawing);
  - the kernel's own wheels (piplite, pyodide-kernel, its stand-in ipykernel), from the
    ``jupyterlite-pyodide-kernel`` extension.

  Every wheel, and the standard library (which the npm package ships as source), is then
  compiled to bytecode, as Pyodide compiles its own packages: each module's ``.py``
  replaced by a ``.pyc`` (unchecked hash) made by the interpreter the browser runs
  (Pyodide under Node.js, :data:`RUNNER`), so the browser imports without compiling.
  Compiled archives are kept in ``_build/lite-cache/pyc``, keyed by the archive and the
  Pyodide version.

* ``jupyter-lite.json``: the kernel preloads those packages from that lock
  (``loadPyodideOptions.packages``) and never falls back to PyPI.

Every run-time requirement of every wheel is checked against the lock
(:func:`check_requirements`), so a missing package fails the build, not the reader's browser.

``python tools/lite_site.py prepare`` makes the folder; the course site build does it itself
unless ``CRKIT_LITE=0`` (``python3 kit.py site --no-lite``).
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

#: exact pins of the wheels the builder needs in the browser
REQUIREMENTS = Path("site") / "lite-requirements.txt"
#: downloaded and built wheels, kept between builds (inside _build, never committed)
CACHE = Path("_build") / "lite-cache"
#: the JupyterLite folder ``jupyter lite build`` reads (``jupyterlite_dir``)
LITE_DIR = Path("_build") / "lite"
#: where ``jupyter lite build`` writes, inside the built site
OUTPUT = "lite"
#: the npm package of the Pyodide runtime, inside site/node_modules
PYODIDE_NPM = "pyodide"
#: files of the npm package the browser loads (the lock is the site's own)
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide.js", "package.json")
#: the labextensions the live builder needs, from sys.prefix/share/jupyter/labextensions
LABEXTENSIONS = ("@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager")
KERNEL_EXTENSION = LABEXTENSIONS[0]
#: wheels of the kernel extension itself (its static/pypi folder)
KERNEL_WHEELS = ("piplite", "pyodide_kernel", "ipykernel", "widgetsnbextension-4")
#: packages loaded while Pyodide starts (the kernel skips installing what is listed here)
PRELOAD = ("micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython",
           "ipywidgets", "crkit")
#: requirements the browser does not need: the widgets' JupyterLab side comes as a
#: labextension (LABEXTENSIONS), not as a Python package
NOT_NEEDED = {"jupyterlab-widgets"}
#: Babel locale data kept: the kit's languages and their regional variants
BABEL_LOCALES = re.compile(r"babel/locale-data/(root|en|es|pt)(_[A-Za-z0-9_]+)?\.dat")
#: the case library inside the kit's data folder
CASES_FOLDER = "cases/"
#: an unpacked full Pyodide release (same version as site/package.json) to serve instead of
#: the lean npm runtime, so that the notebooks run in the browser too (needs the internet
#: once, to download the release; see book/instructors.md)
FULL_PYODIDE = "CRKIT_PYODIDE_FULL"
#: runs a Python script inside Pyodide under Node.js (compiles the wheels to bytecode)
RUNNER = Path("tools") / "pyodide_run.mjs"
#: the key of the standard library among the archives :func:`compiled` compiles
STDLIB = "python-stdlib"
#: compiled wheels and standard library, kept between builds
PYC_CACHE = CACHE / "pyc"
#: the interpreter the lock is for (pip download filters on it)
PYTHON_VERSION = "3.14"
#: the environment markers of Pyodide, for the requirements check
PYODIDE_MARKERS = {
    "sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
    "platform_machine": "wasm32", "implementation_name": "cpython",
    "platform_python_implementation": "CPython", "python_version": PYTHON_VERSION,
    "python_full_version": f"{PYTHON_VERSION}.2", "extra": "",
}


class LiteError(RuntimeError):
    """The live builder could not be prepared."""


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# ---------------------------------------------------------------------------------------
# Requirements and wheels


def read_pins(root: Path) -> dict[str, str]:
    """``{canonical name: version}`` from ``site/lite-requirements.txt``."""
    path = root / REQUIREMENTS
    if not path.is_file():
        raise LiteError(f"{path} is missing: the live builder's packages are pinned there")
    pins: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)", line)
        if not match:
            raise LiteError(f"{path}:{number}: not an exact pin (name==version): {line}")
        pins[_canonical(match[1])] = match[2]
    return pins


def wheel_name(path: Path) -> tuple[str, str]:
    """``(canonical name, version)`` of a wheel file."""
    parts = path.name[:-len(".whl")].split("-")
    if len(parts) < 5 or not path.name.endswith(".whl"):
        raise LiteError(f"not a wheel file name: {path.name}")
    return _canonical(parts[0]), parts[1]


def _pip(args: list[str], what: str) -> None:
    command = [sys.executable, "-m", "pip", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise LiteError(
            f"{what} failed (pip exit {result.returncode}); the package registry must be "
            f"reachable once, or the files already in {CACHE}:\n"
            + (result.stderr or result.stdout)[-2000:]
        )


def fetch_wheels(root: Path, pins: dict[str, str]) -> dict[str, Path]:
    """The pinned pure-Python wheels (PyYAML apart), downloaded once into the cache."""
    folder = root / CACHE / "wheels"
    folder.mkdir(parents=True, exist_ok=True)

    def cached() -> dict[str, Path]:
        found = {}
        for path in folder.glob("*.whl"):
            name, version = wheel_name(path)
            if pins.get(name) == version:
                found[name] = path
        return found

    wanted = {n: v for n, v in pins.items() if n != "pyyaml"}
    missing = [f"{n}=={v}" for n, v in wanted.items() if n not in cached()]
    if missing:
        _pip(["download", "--quiet", "--no-deps", "--only-binary=:all:",
              "--python-version", PYTHON_VERSION, "--implementation", "py", "--abi", "none",
              "--platform", "any", "--dest", str(folder), *missing],
             f"downloading {len(missing)} wheel(s) for the live builder")
    found = cached()
    absent = sorted(set(wanted) - set(found))
    if absent:
        raise LiteError(f"no pure-Python wheel found for: {', '.join(absent)}")
    for path in found.values():
        if not path.name.endswith("-none-any.whl"):
            raise LiteError(f"{path.name} is not a pure-Python wheel: Pyodide cannot load it")
    return {n: found[n] for n in wanted}


def _record_line(name: str, data: bytes) -> list[str]:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return [name, f"sha256={digest}", str(len(data))]


def write_zip(path: Path, files: dict[str, bytes | str]) -> Path:
    """Write ``files`` into a zip at ``path``, atomically and byte for byte reproducibly
    (sorted names, one fixed date), so the same files always make the same archive."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                             zipfile.ZIP_DEFLATED)
    os.replace(temporary, path)
    return path


def write_wheel(path: Path, files: dict[str, bytes], dist_info: str) -> Path:
    """Write a wheel with ``files`` (``dist_info`` names its .dist-info folder) and a RECORD."""
    record = f"{dist_info}/RECORD"
    rows = [_record_line(name, data) for name, data in files.items()] + [[record, "", ""]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    write_zip(path, {**files, record: buffer.getvalue()})
    return path


def pure_pyyaml_wheel(sdist: Path, out_dir: Path) -> Path:
    """A ``py3-none-any`` wheel of PyYAML from its source distribution, without the C
    extension (PyYAML then uses its pure-Python loader, as it does without libyaml)."""
    with tarfile.open(sdist) as archive:
        members = archive.getmembers()
        top = members[0].name.split("/")[0]
        version = top.rsplit("-", 1)[-1]
        files: dict[str, bytes] = {}
        for member in members:
            match = re.fullmatch(rf"{re.escape(top)}/lib/(yaml/[^/]+\.py)", member.name)
            if match and member.isfile():
                handle = archive.extractfile(member)
                assert handle is not None
                files[match[1]] = handle.read()
            elif member.name == f"{top}/LICENSE":
                handle = archive.extractfile(member)
                assert handle is not None
                licence = handle.read()
    if "yaml/__init__.py" not in files:
        raise LiteError(f"{sdist.name} has no lib/yaml/__init__.py: not a PyYAML source")
    info = f"PyYAML-{version}.dist-info"
    files[f"{info}/METADATA"] = (
        "Metadata-Version: 2.1\nName: PyYAML\n"
        f"Version: {version}\nSummary: YAML parser and emitter for Python (pure Python, "
        "built from the source distribution without the LibYAML bindings)\n"
        "License: MIT\nRequires-Python: >=3.8\n").encode()
    files[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: crkit lite_site\n"
                              b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    files[f"{info}/top_level.txt"] = b"yaml\n"
    if "licence" in locals():
        files[f"{info}/LICENSE"] = licence
    return write_wheel(out_dir / f"pyyaml-{version}-py3-none-any.whl", files, info)


def pyyaml_wheel(root: Path, version: str) -> Path:
    """PyYAML's pure-Python wheel, built from its sdist (downloaded once)."""
    folder = root / CACHE / "sdist"
    built = root / CACHE / "built" / f"pyyaml-{version}-py3-none-any.whl"
    if built.is_file():
        return built
    sdists = sorted(folder.glob(f"[Pp][Yy][Yy][Aa][Mm][Ll]-{version}.tar.gz"))
    if not sdists:
        folder.mkdir(parents=True, exist_ok=True)
        _pip(["download", "--quiet", "--no-deps", "--no-binary=:all:", "--no-build-isolation",
              "--dest", str(folder), f"pyyaml=={version}"],
             "downloading the PyYAML source distribution")
        sdists = sorted(folder.glob(f"[Pp][Yy][Yy][Aa][Mm][Ll]-{version}.tar.gz"))
    if not sdists:
        raise LiteError(f"no PyYAML {version} source distribution in {folder}")
    return pure_pyyaml_wheel(sdists[0], built.parent)


def trimmed_babel(wheel: Path, out_dir: Path) -> Path:
    """Babel with only the locale data of the kit's languages (and the root locale)."""
    target = out_dir / wheel.name
    if target.is_file() and target.stat().st_mtime >= wheel.stat().st_mtime:
        return target
    with zipfile.ZipFile(wheel) as archive:
        info = next(n.split("/")[0] for n in archive.namelist()
                    if n.endswith(".dist-info/METADATA"))
        files = {
            name: archive.read(name) for name in archive.namelist()
            if not name.endswith("/RECORD")
            and (not name.startswith("babel/locale-data/") or BABEL_LOCALES.fullmatch(name))
        }
    return write_wheel(target, files, info)


def _source_digest(root: Path) -> str:
    """A hash of everything the kit's wheel is made from: sources, cases, project files, and
    this module (which adds the data parsed ahead)."""
    digest = hashlib.sha256()
    files = [p for p in (root / "src").rglob("*") if p.is_file()
             and "__pycache__" not in p.parts and not any(".egg-info" in x for x in p.parts)]
    files += [p for p in (root / "casestudies").rglob("*") if p.is_file()]
    files += [root / "pyproject.toml", root / "README.md"]
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def kit_wheel(root: Path, out_dir: Path) -> Path:
    """The kit's wheel, built from a copy of this checkout (the checkout gets no build folder),
    with its data files parsed ahead (:func:`with_parsed_data`).

    Kept under ``out_dir/<hash of its sources>/``: the editions and student editions of one
    site build, and any rebuild after a change elsewhere, reuse it.
    """
    folder = out_dir / _source_digest(root)
    built = sorted(folder.glob("crkit-*.whl"))
    if built:
        return built[0]
    shutil.rmtree(out_dir, ignore_errors=True)  # wheels of older sources
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="crkit-lite-") as tmp:
        source = Path(tmp) / "source"
        shutil.copytree(root / "src", source / "src", symlinks=True,
                        ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
        shutil.copytree(root / "casestudies", source / "casestudies")
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(root / name, source / name)
        _pip(["wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(Path(tmp)),
              str(source)], "building the kit's wheel")
        wheels = sorted(Path(tmp).glob("crkit-*.whl"))
        if not wheels:
            raise LiteError("building the kit's wheel made no crkit-*.whl")
        partial = with_parsed_data(wheels[0])
        target = folder / partial.name
        shutil.move(str(partial), target)
    return target


def _exact(a: object, b: object) -> bool:
    """``a`` and ``b`` are the same data, types included (1 is not 1.0 nor True)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_exact(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_exact(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _as_json(data: object) -> object | None:
    """``data`` after a trip through JSON, or None if the trip changes it (dates, int keys)."""
    try:
        back = json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError):
        return None
    return back if _exact(data, back) else None


def parsed_data(files: dict[str, bytes]) -> dict:
    """The kit's data files parsed ahead (``crkit/data/parsed.json`` of the browser wheel).

    ``files`` maps ``crkit/data/...`` names to bytes. Each YAML file is parsed as
    :func:`crkit.core._resources.data_file` reads it, and each case of the library as
    :func:`crkit.core.reading.read_bytes` does (with the line of every field), keyed by its
    bytes' SHA-256 and kept only if JSON holds it exactly; the browser then skips PyYAML
    for those very bytes.
    """
    import yaml

    from crkit.core._resources import sha256
    from crkit.core.errors import CrkitError
    from crkit.core.reading import read_bytes

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: dict = {"files": {}, "documents": {}}
    for name, raw in sorted(files.items()):
        if not name.startswith("crkit/data/") or not name.endswith((".yaml", ".yml")):
            continue
        relative = name[len("crkit/data/"):]
        digest = sha256(raw)
        data = _as_json(yaml.load(raw.decode("utf-8"), Loader=loader))
        if data is not None:
            out["files"][relative] = {"sha256": digest, "data": data}
        if not relative.startswith(CASES_FOLDER):
            continue  # only the case library is read as documents (with their lines)
        try:
            doc = read_bytes(raw, name=relative)
        except CrkitError:
            continue
        data = _as_json(doc.data)
        lines = _as_json([[list(path), line] for path, line in doc.lines.items()])
        if data is not None and lines is not None:
            out["documents"][digest] = {"data": data, "lines": lines}
    return out


def with_parsed_data(wheel: Path) -> Path:
    """The kit's wheel, rewritten in place with ``crkit/data/parsed.json`` added."""
    from crkit.core._resources import PARSED

    with zipfile.ZipFile(wheel) as archive:
        info = next(n.split("/")[0] for n in archive.namelist()
                    if n.endswith(".dist-info/METADATA"))
        files = {n: archive.read(n) for n in archive.namelist()
                 if not n.endswith("/") and n != f"{info}/RECORD"}
    ahead = parsed_data(files)
    files[f"crkit/data/{PARSED}"] = json.dumps(ahead, ensure_ascii=False,
                                               separators=(",", ":")).encode("utf-8")
    return write_wheel(wheel, files, info)


def labextension_dir(name: str) -> Path:
    """An installed labextension (``sys.prefix/share/jupyter/labextensions/<name>``)."""
    for base in (Path(sys.prefix), Path(sys.base_prefix)):
        folder = base / "share" / "jupyter" / "labextensions" / name
        if (folder / "package.json").is_file():
            return folder
    raise LiteError(
        f"the labextension {name} is not installed: install the kit with its `kit` extra "
        "(python3 kit.py setup)"
    )


def kernel_wheels() -> dict[str, Path]:
    """The kernel's own wheels, shipped inside its labextension."""
    folder = labextension_dir(KERNEL_EXTENSION) / "static" / "pypi"
    found = {}
    for prefix in KERNEL_WHEELS:
        matches = sorted(folder.glob(f"{prefix}*-py3-none-any.whl"))
        if not matches:
            raise LiteError(f"{folder} has no {prefix} wheel")
        name, _ = wheel_name(matches[-1])
        found[name] = matches[-1]
    return found


def compile_archive(source: Path, target: Path) -> Path:
    """``source`` (a wheel or the standard library's zip) with each ``.py`` made a ``.pyc``.

    The bytecode checks no source (unchecked hash, as in Pyodide's own packages) and
    replaces it. Runs inside Pyodide (``python tools/lite_site.py pyc``, started by
    :func:`compiled`), so it is the browser's own Python's. A file that does not compile (a
    template or test data with a ``.py`` name) keeps its source. A wheel's RECORD is
    rewritten.
    """
    import py_compile

    files: dict[str, bytes] = {}
    with zipfile.ZipFile(source) as archive, tempfile.TemporaryDirectory() as tmp:
        names = archive.namelist()
        info = next((n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA")),
                    None)
        for name in names:
            if name.endswith("/") or (info and name == f"{info}/RECORD"):
                continue
            data = archive.read(name)
            if not name.endswith(".py") or name.split("/")[0].endswith((".dist-info", ".data")):
                files[name] = data
                continue
            module = Path(tmp) / "module.py"
            module.write_bytes(data)
            try:
                py_compile.compile(
                    str(module), cfile=str(module) + "c", dfile=name, doraise=True,
                    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            except py_compile.PyCompileError:
                files[name] = data
                continue
            files[name + "c"] = Path(str(module) + "c").read_bytes()
    if info:
        return write_wheel(target, files, info)
    return write_zip(target, files)


def compiled(root: Path, archives: dict[str, Path], pyodide: Path) -> dict[str, Path]:
    """The archives (wheels, the standard library) compiled by Pyodide, cached.

    ``pyodide`` is the npm package (``site/node_modules/pyodide``), run under Node.js. Each
    compiled archive is kept under ``_build/lite-cache/pyc/<key>/`` (key: the archive's hash
    and Pyodide's version), so a rebuild compiles only what changed (the kit's wheel).
    """
    version = json.loads((pyodide / "package.json").read_text(encoding="utf-8"))["version"]
    out: dict[str, Path] = {}
    todo: list[str] = []
    for name, archive in archives.items():
        digest = hashlib.sha256(archive.read_bytes() + version.encode()).hexdigest()[:16]
        target = root / PYC_CACHE / digest / archive.name
        out[name] = target
        if not target.is_file():
            todo += [os.path.relpath(archive, root), os.path.relpath(target, root)]
    if todo:
        node = shutil.which("node")
        if node is None:
            raise LiteError("Node.js is needed to compile the live builder's packages "
                            "(it comes with npm: apt-get install nodejs npm)")
        result = subprocess.run(
            [node, str(root / RUNNER), str(pyodide), str(root),
             "tools/lite_site.py", "pyc", *todo],
            capture_output=True, text=True, check=False)
        missing = [t for t in todo[1::2] if not (root / t).is_file()]
        if result.returncode != 0 or missing:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise LiteError("compiling the live builder's packages failed: "
                            + (detail[-1] if detail else f"status {result.returncode}"))
        for target in todo[1::2]:
            (root / target).chmod(0o644)  # Node's file system writes them world-writable
    return out


# ---------------------------------------------------------------------------------------
# The lock


def _metadata(wheel: Path) -> tuple[list[str], list[str]]:
    """``(requirements, top-level import names)`` of a wheel."""
    from email.parser import HeaderParser

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = HeaderParser().parsestr(archive.read(meta_name).decode("utf-8"))
    imports = set()
    for name in names:
        first = name.split("/")[0]
        if first.endswith((".dist-info", ".data")):
            continue
        if "/" in name and name.endswith(".py"):
            imports.add(first)
        elif "/" not in name and name.endswith(".py"):
            imports.add(first[:-3])
    return list(meta.get_all("Requires-Dist") or []), sorted(imports)


def requirements(wheel: Path) -> list[str]:
    """Canonical names a wheel needs in Pyodide (markers evaluated, extras left out)."""
    from packaging.requirements import Requirement

    needed = []
    for text in _metadata(wheel)[0]:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate(PYODIDE_MARKERS):
            needed.append(_canonical(requirement.name))
    return needed


def check_requirements(wheels: dict[str, Path]) -> list[str]:
    """Problems: run-time requirements of the wheels that the lock does not hold."""
    problems = []
    for _, wheel in sorted(wheels.items()):
        for needed in requirements(wheel):
            if needed not in wheels and needed not in NOT_NEEDED:
                problems.append(f"{wheel.name} needs {needed}, which is not in {REQUIREMENTS}")
    return problems


def make_lock(wheels: dict[str, Path], info: dict) -> dict:
    """A ``pyodide-lock.json`` for the wheels (file names relative to the lock)."""
    packages = {}
    for name, wheel in sorted(wheels.items()):
        _, version = wheel_name(wheel)
        depends = [n for n in requirements(wheel) if n in wheels]
        packages[name] = {
            "name": name, "version": version, "file_name": wheel.name,
            "install_dir": "site", "package_type": "package",
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "imports": _metadata(wheel)[1], "depends": sorted(set(depends)),
            "unvendored_tests": False, "shared_library": False,
        }
    return {"info": info, "packages": packages}


# ---------------------------------------------------------------------------------------
# The JupyterLite folder


def kernel_settings() -> dict:
    """What ``jupyter-lite.json`` tells the Pyodide kernel."""
    return {
        "disablePyPIFallback": True,
        "loadPyodideOptions": {"packages": list(PRELOAD)},
    }


def prepare(root: Path, modules: Path, *, quiet: bool = False) -> Path:
    """Make the JupyterLite folder (``_build/lite``) the lite build reads; return it.

    ``modules`` is ``site/node_modules`` (with the ``pyodide`` package).
    """
    pyodide = modules / PYODIDE_NPM
    if not (pyodide / "pyodide.mjs").is_file():
        raise LiteError(f"{pyodide} has no pyodide.mjs: run `npm ci` in site/")
    pins = read_pins(root)
    if "pyyaml" not in pins:
        raise LiteError(f"{REQUIREMENTS} must pin pyyaml (the kit reads canvases with it)")
    wheels = fetch_wheels(root, pins)
    built = root / CACHE / "built"
    wheels["babel"] = trimmed_babel(wheels["babel"], built)
    wheels["pyyaml"] = pyyaml_wheel(root, pins["pyyaml"])
    wheels["crkit"] = kit_wheel(root, root / CACHE / "kit")
    for name, path in kernel_wheels().items():
        wheels.setdefault(name, path)
    problems = check_requirements(wheels)
    if problems:
        raise LiteError("the live builder's packages are incomplete:\n  " + "\n  ".join(problems))
    stdlib = pyodide / "python_stdlib.zip"
    wheels = compiled(root, {**wheels, STDLIB: stdlib}, pyodide)
    stdlib = wheels.pop(STDLIB)

    lite = root / LITE_DIR
    static = lite / "static" / "pyodide"
    shutil.rmtree(static, ignore_errors=True)
    full = os.environ.get(FULL_PYODIDE, "").strip()
    release = Path(full) if full else None
    if release is not None:
        if not (release / "pyodide-lock.json").is_file():
            raise LiteError(f"{FULL_PYODIDE}={full}: no pyodide-lock.json there (unpack the "
                            "full Pyodide release and point to its pyodide/ folder)")
        shutil.copytree(release, static, ignore=shutil.ignore_patterns("*.map", "*.d.ts"))
    else:
        static.mkdir(parents=True)
        for name in PYODIDE_FILES:
            shutil.copy2(stdlib if name == stdlib.name else pyodide / name, static / name)
    for wheel in wheels.values():
        shutil.copy2(wheel, static / wheel.name)
    base = json.loads(((release or pyodide) / "pyodide-lock.json").read_text(encoding="utf-8"))
    lock = make_lock({n: static / p.name for n, p in wheels.items()}, base.get("info", {}))
    if release is not None:  # the release's packages, the kit's own entries win
        lock["packages"] = {**base["packages"], **lock["packages"]}
    npm_lock = base
    (static / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n",
                                              encoding="utf-8")
    contents = lite / "contents"
    shutil.rmtree(contents, ignore_errors=True)
    contents.mkdir()
    if release is not None:  # the full runtime runs the notebooks too: offer them
        for notebook in sorted((root / "notebooks").glob("*.ipynb")):
            shutil.copy2(notebook, contents / notebook.name)
    config = {
        "jupyter-config-data": {
            "litePluginSettings": {f"{KERNEL_EXTENSION}:kernel": kernel_settings()},
            "enableMemoryStorage": False,
        }
    }
    (lite / "jupyter-lite.json").write_text(json.dumps(config, indent=2) + "\n",
                                            encoding="utf-8")
    build_config = {
        "LiteBuildConfig": {
            "ignore_sys_prefix": ["federated_extensions"],
            "federated_extensions": [str(labextension_dir(n)) for n in LABEXTENSIONS],
            "no_sourcemaps": True,
        }
    }
    (lite / "jupyter_lite_config.json").write_text(json.dumps(build_config, indent=2) + "\n",
                                                   encoding="utf-8")
    if not quiet:
        size = sum(p.stat().st_size for p in static.iterdir())
        print(f"[lite_site] {lite}: Pyodide {npm_lock.get('info', {}).get('python', '?')} and "
              f"{len(wheels)} wheels, {size / 1e6:.1f} MB")
    return lite


def check_output(out_dir: Path) -> list[str]:
    """Problems of a built ``lite/`` folder: Pyodide, its lock and every wheel must be local."""
    lite = Path(out_dir)
    config_path = lite / "jupyter-lite.json"
    if not config_path.is_file():
        return [f"{config_path}: missing (the lite build did not run)"]
    data = json.loads(config_path.read_text(encoding="utf-8"))["jupyter-config-data"]
    settings = data.get("litePluginSettings", {}).get(f"{KERNEL_EXTENSION}:kernel", {})
    problems = []
    url = settings.get("pyodideUrl", "")
    if not url.startswith("./"):
        problems.append(f"{config_path}: pyodideUrl {url!r} does not point into the site")
    elif not (lite / url).is_file():
        problems.append(f"{config_path}: pyodideUrl {url} is missing")
    if not settings.get("disablePyPIFallback"):
        problems.append(f"{config_path}: the kernel may fall back to PyPI")
    lock_path = (lite / url).parent / "pyodide-lock.json"
    if lock_path.is_file():
        lock = json.loads(lock_path.read_text(encoding="utf-8"))
        for name, package in lock["packages"].items():
            file_name = package["file_name"]
            if "://" in file_name or not (lock_path.parent / file_name).is_file():
                problems.append(f"{lock_path}: {name} is not served by the site ({file_name})")
        for name in settings.get("loadPyodideOptions", {}).get("packages", []):
            if name not in lock["packages"]:
                problems.append(f"{lock_path}: preloaded package {name} is not in the lock")
    else:
        problems.append(f"{lock_path}: missing")
    return problems


def size(out_dir: Path) -> int:
    """Bytes the lite deployment adds to the site."""
    return sum(p.stat().st_size for p in Path(out_dir).rglob("*") if p.is_file())


def main(argv: Iterable[str] | None = None) -> int:
    """``python tools/lite_site.py prepare|check``."""
    parser = argparse.ArgumentParser(prog="python tools/lite_site.py",
                                     description="Prepare the course site's live builder.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("prepare", help="make _build/lite (downloads the pinned wheels once)")
    p_pyc = sub.add_parser("pyc", help="(inside Pyodide) compile archives: SOURCE TARGET ...")
    p_pyc.add_argument("pairs", nargs="+")
    p_check = sub.add_parser("check", help="check a built lite folder")
    p_check.add_argument("lite_dir", nargs="?", default=str(Path("_build") / "html" / OUTPUT))
    args = parser.parse_args(list(argv) if argv is not None else None)
    root = Path(__file__).resolve().parents[1]
    try:
        if args.command == "prepare":
            prepare(root, root / "site" / "node_modules")
        elif args.command == "pyc":
            if len(args.pairs) % 2:
                parser.error("pyc takes pairs: SOURCE TARGET ...")
            for source, target in zip(args.pairs[::2], args.pairs[1::2]):
                compile_archive(root / source, root / target)
        else:
            problems = check_output(Path(args.lite_dir))
            for problem in problems:
                print(problem)
            print(f"[lite_site] {len(problems)} problem(s); "
                  f"{size(Path(args.lite_dir)) / 1e6:.1f} MB")
            return 1 if problems else 0
    except LiteError as exc:
        print(f"[lite_site] error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
