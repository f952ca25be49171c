"""The live builder's packages (tools/lite_site.py), without network or a site build."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import lite_site
import pytest

ROOT = Path(__file__).resolve().parents[2]


def wheel(folder: Path, name: str, version: str, requires: list[str], files: dict) -> Path:
    info = f"{name}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires)
    return lite_site.write_wheel(folder / f"{name}-{version}-py3-none-any.whl",
                                 {**files, f"{info}/METADATA": meta.encode()}, info)


def test_the_pins_are_exact_and_cover_the_kits_requirements():
    pins = lite_site.read_pins(ROOT)
    assert {"pyyaml", "babel", "ipywidgets", "micropip"} <= set(pins)


def test_a_loose_pin_is_refused(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "lite-requirements.txt").write_text("ipywidgets>=8\n")
    with pytest.raises(lite_site.LiteError, match="not an exact pin"):
        lite_site.read_pins(tmp_path)


def test_a_missing_requirement_fails_and_markers_are_those_of_pyodide(tmp_path):
    a = wheel(tmp_path, "alpha", "1.0",
              ["beta>=1", 'pexpect>4; sys_platform != "emscripten"', "gamma; extra == 'x'"],
              {"alpha/__init__.py": b""})
    problems = lite_site.check_requirements({"alpha": a})
    assert problems == [f"{a.name} needs beta, which is not in {lite_site.REQUIREMENTS}"]
    b = wheel(tmp_path, "beta", "2.0", [], {"beta.py": b""})
    assert lite_site.check_requirements({"alpha": a, "beta": b}) == []


def test_the_lock_lists_each_wheel_with_its_hash_imports_and_dependencies(tmp_path):
    a = wheel(tmp_path, "alpha", "1.0", ["beta"], {"alpha/__init__.py": b"x = 1\n"})
    b = wheel(tmp_path, "beta", "2.0", [], {"beta.py": b""})
    lock = lite_site.make_lock({"alpha": a, "beta": b}, {"python": "3.14.2"})
    entry = lock["packages"]["alpha"]
    assert entry["file_name"] == a.name and "://" not in entry["file_name"]
    assert entry["depends"] == ["beta"] and entry["imports"] == ["alpha"]
    assert len(entry["sha256"]) == 64
    assert lock["packages"]["beta"]["imports"] == ["beta"]
    json.dumps(lock)


def test_pyyaml_becomes_a_pure_python_wheel(tmp_path):
    sdist = tmp_path / "PyYAML-6.0.3.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for name, text in {"PyYAML-6.0.3/lib/yaml/__init__.py": b"__version__ = '6.0.3'\n",
                           "PyYAML-6.0.3/lib/yaml/loader.py": b"",
                           "PyYAML-6.0.3/yaml/_yaml.pyx": b"# C extension source\n",
                           "PyYAML-6.0.3/LICENSE": b"MIT"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(text)
            archive.addfile(info, io.BytesIO(text))
    built = lite_site.pure_pyyaml_wheel(sdist, tmp_path / "out")
    assert built.name == "pyyaml-6.0.3-py3-none-any.whl"
    names = zipfile.ZipFile(built).namelist()
    assert "yaml/__init__.py" in names and "yaml/loader.py" in names
    assert not any(n.endswith((".pyx", ".so", ".c")) for n in names)
    wheel_file = zipfile.ZipFile(built).read("PyYAML-6.0.3.dist-info/WHEEL").decode()
    assert "Tag: py3-none-any" in wheel_file and "Root-Is-Purelib: true" in wheel_file


def test_babel_keeps_only_the_kits_languages(tmp_path):
    files = {f"babel/locale-data/{n}.dat": b"x" for n in ("root", "en", "en_GB", "es",
                                                           "es_MX", "pt_BR", "fr", "de_AT")}
    full = wheel(tmp_path, "babel", "2.19.0", [], {"babel/__init__.py": b"", **files})
    trimmed = lite_site.trimmed_babel(full, tmp_path / "out")
    kept = {n.rsplit("/", 1)[-1] for n in zipfile.ZipFile(trimmed).namelist() if ".dat" in n}
    assert kept == {"root.dat", "en.dat", "en_GB.dat", "es.dat", "es_MX.dat", "pt_BR.dat"}


PYODIDE = ROOT / "site" / "node_modules" / "pyodide"


@pytest.mark.site
def test_wheels_are_compiled_by_the_browsers_own_python(tmp_path, monkeypatch):
    """Modules become .pyc made by Pyodide (under Node.js) and import without their source."""
    import shutil
    import subprocess

    if shutil.which("node") is None or not (PYODIDE / "pyodide.mjs").is_file():
        pytest.skip("needs Node.js and site/node_modules (npm ci in site/)")
    root = tmp_path / "checkout"  # the folder mounted inside Pyodide
    (root / "tools").mkdir(parents=True)
    for name in ("lite_site.py", "pyodide_run.mjs"):
        shutil.copy(ROOT / "tools" / name, root / "tools" / name)
    source = wheel(root / "wheels", "demo", "1.0", [], {
        "demo/__init__.py": b"VALUE = 6 * 7\n",
        "demo/template.py": b"def (\n",  # not Python: kept as it is
        "demo/data.txt": b"kept",
    })
    built = lite_site.compiled(root, {"demo": source}, PYODIDE)["demo"]
    with zipfile.ZipFile(built) as archive:
        names = set(archive.namelist())
        record = archive.read("demo-1.0.dist-info/RECORD").decode()
        header = archive.read("demo/__init__.pyc")[:16]
    assert "demo/__init__.pyc" in names and "demo/__init__.py" not in names
    assert {"demo/template.py", "demo/data.txt"} <= names
    assert "demo/__init__.pyc,sha256=" in record
    assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, source not checked
    assert oct(built.stat().st_mode & 0o777) == "0o644"

    script = root / "check.py"
    script.write_text(f"import sys\nsys.path.insert(0, '/host/{built.relative_to(root)}')\n"
                      "import demo\nprint('VALUE', demo.VALUE, demo.__file__.endswith('.pyc'))\n")
    result = subprocess.run(["node", str(root / "tools" / "pyodide_run.mjs"), str(PYODIDE),
                             str(root), "check.py"], capture_output=True, text=True, timeout=300)
    assert "VALUE 42 True" in result.stdout, result.stderr[-2000:]

    # a second build takes the compiled wheel from the cache: Node is not started again
    def no_node(*args, **kwargs):
        raise AssertionError("compiled again")
    monkeypatch.setattr(lite_site.subprocess, "run", no_node)
    assert lite_site.compiled(root, {"demo": source}, PYODIDE)["demo"] == built


def test_the_data_parsed_ahead_is_exactly_what_the_kit_reads():
    import yaml

    from crkit.core import _resources
    from crkit.core.reading import read_file

    data = ROOT / "src" / "crkit" / "data"
    paths = sorted(data.rglob("*.yaml")) + sorted((data / "cases").glob("*.yaml"))  # a link
    files = {f"crkit/data/{p.relative_to(data).as_posix()}": p.read_bytes() for p in paths}
    files["crkit/data/dated.yaml"] = b"when: 2024-05-02\n"  # a date: JSON cannot hold it
    files["crkit/data/numbered.yaml"] = b"1: one\n"          # an int key: neither
    ahead = lite_site.parsed_data(files)
    assert "dated.yaml" not in ahead["files"] and "numbered.yaml" not in ahead["files"]
    assert {"messages.yaml", "rubric.yaml", "knowledge/relationship_types.yaml"} <= set(
        ahead["files"])
    for relative, entry in ahead["files"].items():
        raw = files[f"crkit/data/{relative}"]
        assert entry["sha256"] == _resources.sha256(raw)
        assert lite_site._exact(entry["data"], yaml.safe_load(raw.decode("utf-8"))), relative
    cases = sorted((data / "cases").glob("*.yaml"))
    assert len(ahead["documents"]) == len(cases) >= 11
    for path in cases:
        entry = ahead["documents"][_resources.sha256(path.read_bytes())]
        doc = read_file(path)
        assert lite_site._exact(entry["data"], doc.data), path.name
        assert {tuple(p): n for p, n in entry["lines"]} == doc.lines, path.name


def test_the_kits_wheel_is_rebuilt_only_when_its_sources_change(tmp_path):
    root = tmp_path / "checkout"
    (root / "src" / "crkit" / "__pycache__").mkdir(parents=True)
    (root / "casestudies").mkdir()
    for name, text in {"src/crkit/__init__.py": "", "casestudies/a.yaml": "id: a\n",
                       "pyproject.toml": "", "README.md": ""}.items():
        (root / name).write_text(text)
    first = lite_site._source_digest(root)
    (root / "src" / "crkit" / "__pycache__" / "x.pyc").write_bytes(b"cache")
    assert lite_site._source_digest(root) == first  # caches are not sources
    (root / "casestudies" / "a.yaml").write_text("id: a\ntitle: changed\n")
    assert lite_site._source_digest(root) != first
    folder = root / "out" / lite_site._source_digest(root)
    folder.mkdir(parents=True)
    (folder / "crkit-0.1.0-py3-none-any.whl").write_bytes(b"built before")
    assert lite_site.kit_wheel(root, root / "out") == folder / "crkit-0.1.0-py3-none-any.whl"
