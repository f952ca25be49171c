// Run a Python script inside Pyodide under Node.js, with one host folder mounted.
//
//   node tools/pyodide_run.mjs PYODIDE_DIR HOST_DIR SCRIPT.py [ARGS...]
//
// PYODIDE_DIR is the npm package `pyodide` (site/node_modules/pyodide); HOST_DIR is mounted
// at /host inside Pyodide and the script (a path inside HOST_DIR, relative to it) runs with
// sys.argv = [SCRIPT, ...ARGS]. Used by tools/lite_site.py to compile the live builder's
// wheels with the very interpreter the browser runs (no CPython of that version is needed on
// the build machine). Exit status: the script's (SystemExit), 1 on an uncaught exception.
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, hostDir, script, ...args] = process.argv.slice(2);
if (!pyodideDir || !hostDir || !script) {
  console.error("usage: node tools/pyodide_run.mjs PYODIDE_DIR HOST_DIR SCRIPT.py [ARGS...]");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: path.resolve(pyodideDir) + path.sep,
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
});
pyodide.mountNodeFS("/host", path.resolve(hostDir));
pyodide.globals.set("_argv", pyodide.toPy(["/host/" + script, ...args]));
try {
  const status = await pyodide.runPythonAsync(`
import runpy, sys
sys.argv = list(_argv)
status = 0
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit as exc:
    status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    if not isinstance(exc.code, int) and exc.code is not None:
        print(exc.code, file=sys.stderr)
status
`);
  process.exit(status);
} catch (error) {
  console.error(String(error.message || error));
  process.exit(1);
}
