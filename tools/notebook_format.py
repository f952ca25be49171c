"""Keep the kit's notebooks in their stored form: no outputs, cell ids, the python3 kernel.

Notebooks are run when the site is built and by the tests, so their outputs are never
committed: they bloat the repository, go stale and hide real changes in reviews.
Contributors run, from the repository folder::

    python tools/notebook_format.py            # fix every notebook in place
    python tools/notebook_format.py --check    # only list what is wrong (exit status 1)
    python tools/notebook_format.py notebooks/10-lifecycle.ipynb

Without paths it looks at ``notebooks/``, ``casestudies/`` and the builder app.

Outputs, execution counts, saved widget state and the usual editor metadata are stripped
by nbstripout (the tool most notebook projects use, also as a git filter); this file keeps
only what nbstripout does not do: the python3 kernel, valid unique cell ids, and ``--check``
that names each problem.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: folders that hold notebooks, relative to the repository root
FOLDERS = ("notebooks", "casestudies", "src/crkit/builder/app")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
_CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")


def repo_root() -> Path:
    """The repository folder (two levels above this file in a source checkout)."""
    return Path(__file__).resolve().parents[1]


def notebook_paths(paths: Iterable[str | Path] | None = None,
                   root: Path | None = None) -> list[Path]:
    """The notebooks to look at: the given files and folders, or the kit's three folders."""
    root = root or repo_root()
    chosen = [Path(p) for p in paths] if paths else [root / f for f in FOLDERS]
    found: list[Path] = []
    for path in chosen:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb")
                            if ".ipynb_checkpoints" not in p.parts)
        elif path.suffix == ".ipynb" and path.exists():
            found.append(path)
    return found


def problems(nb: dict[str, Any]) -> list[str]:
    """What keeps a notebook (as parsed JSON) from its stored form; empty when it is fine."""
    found = []
    spec = nb.get("metadata", {}).get("kernelspec", {})
    if spec.get("name") != "python3":
        found.append(f"kernelspec is {spec.get('name')!r}, not 'python3'")
    ids = []
    for index, cell in enumerate(nb.get("cells", [])):
        where = f"cell {index}"
        if "id" not in cell:
            found.append(f"{where} has no id")
        elif not _CELL_ID.match(str(cell["id"])):
            found.append(f"{where} has an invalid id {cell['id']!r}")
        ids.append(cell.get("id"))
        if cell.get("cell_type") == "code":
            if cell.get("outputs"):
                found.append(f"{where} has outputs")
            if cell.get("execution_count") is not None:
                found.append(f"{where} has an execution count")
        if cell.get("metadata", {}).get("execution"):
            found.append(f"{where} has execution timings in its metadata")
    duplicated = {i for i in ids if i is not None and ids.count(i) > 1}
    if duplicated:
        found.append(f"duplicate cell ids: {', '.join(sorted(map(str, duplicated)))}")
    if nb.get("metadata", {}).get("widgets"):
        found.append("saved widget state in the notebook metadata")
    return found


def clean(nb: dict[str, Any]) -> dict[str, Any]:
    """The notebook in its stored form (a new dict)."""
    import nbformat
    from nbstripout import strip_output

    node = strip_output(nbformat.from_dict(nb), keep_output=False, keep_count=False,
                        keep_id=True, extra_keys=["cell.metadata.execution"])
    nb = json.loads(json.dumps(node))
    nb.setdefault("metadata", {})["kernelspec"] = dict(KERNELSPEC)
    nb["nbformat"], nb["nbformat_minor"] = 4, max(int(nb.get("nbformat_minor", 5)), 5)
    seen: set[str] = set()
    for cell in nb.get("cells", []):
        cell_id = str(cell.get("id", ""))
        if not _CELL_ID.match(cell_id) or cell_id in seen:
            cell_id = uuid.uuid4().hex[:8]
        cell["id"] = cell_id
        seen.add(cell_id)
    return nb


def dumps(nb: dict[str, Any]) -> str:
    """JSON as Jupyter writes it (one-space indent, UTF-8 kept, final newline)."""
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def fix_file(path: Path) -> bool:
    """Write the notebook back in its stored form; True when anything changed."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    if not problems(nb):
        return False
    new = dumps(clean(nb))
    if new == text:
        return False
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(path)
    return True


def main(argv: list[str] | None = None) -> int:
    """Fix (or with ``--check``, list) notebooks not in their stored form."""
    parser = argparse.ArgumentParser(
        prog="python tools/notebook_format.py",
        description="Strip outputs and execution counts, add cell ids and set the python3 "
                    "kernel, in place.")
    parser.add_argument("paths", nargs="*", help="notebooks or folders (default: the kit's)")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if any")
    args = parser.parse_args(argv)
    bad = 0
    for path in notebook_paths(args.paths):
        found = problems(json.loads(path.read_text(encoding="utf-8")))
        if not found:
            continue
        bad += 1
        if args.check:
            print(f"{path}: {'; '.join(found)}")
        elif fix_file(path):
            print(f"{path}: cleaned ({'; '.join(found)})")
    if args.check and bad:
        print(f"{bad} notebook(s) need 'python tools/notebook_format.py'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
