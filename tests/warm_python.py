"""Processes forked from a warm Python: the start of a suite or emulator process, paid once.

A suite or emulator process spends most of a short run importing: pytest and its plugins,
schemathesis, hypothesis, starlette, and the project itself (the suite's plugins and test
modules, the emulator); the detection-power self-test starts some ninety of them (an emulator
and a suite per case). `python tests/warm_python.py` imports those once, then for each request
on its stdin (one JSON line: argv, cwd, environment, output files) forks a child that runs the
program as `python ARGV...` would (`-m MODULE` or a script path), and answers `started PID` at
once and `ended PID CODE` when the child ended. The child is a process of its own, with its own
arguments, folder, environment and output: only the imports are shared, copy-on-write.

`start(...)` returns a `WarmProcess` (its pid, `wait()`, `terminate()`). One server per process
forks every child; children run side by side (an emulator, and the suite run against it).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import inspect
import json
import os
import queue
import runpy
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

# What a suite or an emulator process imports, whatever it runs: the third-party bulk, then the
# project's own modules (the emulator, the suite's plugins and test modules) and every pytest
# plugin installed by entry point. Tests write files of their own, never code, so what a child
# would import is what the checkout holds while the server lives.
PRELOAD = (
    "pytest",
    "_pytest.python",
    "hypothesis",
    "schemathesis",
    "requests",
    "httpx",
    "yaml",
    "jsonschema",
    "starlette.applications",
    "uvicorn",
    "uvicorn.protocols.http.auto",
    "uvicorn.protocols.websockets.auto",
    "uvicorn.lifespan.on",
    "uvicorn.loops.auto",
    "uvloop",
    # imported as a session configures or ends: pytest's debugging and faulthandler plugins,
    # schemathesis' reporting, requests' .netrc lookup
    "pdb",
    "faulthandler",
    "xdist.newhooks",
    "schemathesis.pytest.xdist",
    "schemathesis.reporting.html.writer",
    "schemathesis.reporting.junitxml",
    "schemathesis.engine.summary",
    "netrc",
    "emulator.__main__",
    "conformance.run.pytest_entry",
    "conformance.conftest",
    "reports.run_folder",
)
# Modules a launcher script imports from its own folder (first on a script's sys.path), under
# the same names: the detection-power self-test's mutations.
SCRIPT_MODULES = {"conformance_selftest": ("mutation_registry",)}


# --- the server: `python tests/warm_python.py` ------------------------------------------------
def _preload() -> None:
    from importlib.metadata import entry_points

    names = [*PRELOAD, *(point.module for point in entry_points(group="pytest11"))]
    suite = "conformance.conftest"
    for name in names:
        _try_import(name)
    if suite in sys.modules:  # the plugins it names, and the test modules beside it
        folder = Path(sys.modules[suite].__file__).parent
        tests = [f"conformance.{path.stem}" for path in sorted(folder.glob("test_*.py"))]
        for name in [*sys.modules[suite].pytest_plugins, *tests]:
            _try_import(name)
    for folder, modules in SCRIPT_MODULES.items():
        sys.path.insert(0, str(Path(__file__).with_name(folder)))
        for name in modules:
            _try_import(name)
        sys.path.pop(0)
    # What every child would do first, done once here: inspect's map of source files to modules
    # (a failure's traceback looks its frames' modules up; the first look-up walks every
    # module loaded), hypothesis' constants from the source of the project's modules (read at
    # its first draw; a child reads only modules it imports itself), and a collection that
    # would find all of the above alive (frozen: no child's gc.collect walks them again, nor
    # writes to their pages).
    inspect.getmodule(_preload.__code__)
    with contextlib.suppress(Exception):  # private names: gone, it is each child's work again
        _read_hypothesis_constants()
    gc.collect()
    gc.freeze()


def _read_hypothesis_constants() -> None:
    import _hypothesis_globals
    from hypothesis.internal.conjecture.providers import _get_local_constants

    # Not "during pytest's initialization", which the plugin imported above announces (and
    # a child's pytest ends): here it is no child's plugin that reads.
    held, _hypothesis_globals.in_initialization = _hypothesis_globals.in_initialization, 0
    try:
        _get_local_constants()
    finally:
        _hypothesis_globals.in_initialization = held


def _try_import(name: str) -> None:
    # A preload only saves time: a module that is missing or fails here (a test module being
    # written) is the child's to import, and to report as pytest or python would.
    with contextlib.suppress(Exception):
        importlib.import_module(name)


def _serve() -> None:
    """Fork a child for each request line; say `started PID`, then `ended PID CODE` once it
    ended. Children run side by side (an emulator, and the suite run against it). At the end of
    stdin, children still running are ended and the server leaves once all are reaped."""
    sys.path.pop(0)  # this script's folder: a child puts its own first, as python would
    _preload()
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    running: dict[int, int] = {}  # pidfd -> pid
    pending = b""
    reading = True
    while reading or running:
        watched = [*running, 0] if reading else list(running)
        ready, _, _ = select.select(watched, [], [])
        for fd in ready:
            if fd == 0:
                chunk = os.read(0, 65536)
                reading = bool(chunk)
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    pid = os.fork()
                    if pid == 0:
                        for inherited in (replies.fileno(), *running):
                            os.close(inherited)
                        _child(json.loads(line))  # never returns
                    # Its own process group before any signal can be sent to it (the child
                    # sets it too): a signal for the child reaches its children, not the server.
                    with contextlib.suppress(OSError):  # unless it already left
                        os.setpgid(pid, pid)
                    running[os.pidfd_open(pid)] = pid
                    replies.write(f"started {pid}\n")
                if not reading:  # the client is gone: nobody will stop what still runs
                    for pid in running.values():
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(pid, signal.SIGKILL)
            else:
                pid = running.pop(fd)
                os.close(fd)
                _, status = os.waitpid(pid, 0)
                replies.write(f"ended {pid} {os.waitstatus_to_exitcode(status)}\n")


def _child(request: dict) -> None:
    code: object = 1
    try:
        os.setpgid(0, 0)  # a signal for this child reaches its own children, not the server
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        stdin = os.open(os.devnull, os.O_RDONLY)
        os.dup2(stdin, 0)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644), fd)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        argv = request["argv"]
        if argv[0] == "-m":
            sys.argv = [argv[1], *argv[2:]]
            sys.path.insert(0, os.getcwd())
            runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(argv)
            sys.path.insert(0, str(Path(argv[0]).resolve().parent))
            runpy.run_path(argv[0], run_name="__main__")
        code = 0
    except SystemExit as exit:
        code = exit.code
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        if code is None:
            code = 0
        elif not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        os._exit(code)


# --- the client ---------------------------------------------------------------------------
class WarmProcess:
    """A child of the warm server: like a `subprocess.Popen` of `python ARGV...`."""

    def __init__(self, pid: int) -> None:
        self.pid, self.returncode = pid, None
        self._ended = threading.Event()

    def wait(self, timeout: float | None = None) -> int:
        if not self._ended.wait(timeout):
            self.kill()
            self._ended.wait()
            raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
        if self.returncode is None:
            raise RuntimeError("the warm Python server ended")
        return self.returncode

    def poll(self) -> int | None:
        return self.returncode

    def _signal(self, number: int) -> None:
        if not self._ended.is_set():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, number)

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)


class _Server:
    """The warm Python of this process, and a thread reading its replies."""

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        self.process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.started: queue.SimpleQueue[WarmProcess | None] = queue.SimpleQueue()
        self.children: dict[int, WarmProcess] = {}
        threading.Thread(target=self._read_replies, daemon=True).start()

    def start(self, request: dict) -> WarmProcess:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        child = self.started.get()
        if child is None:
            raise RuntimeError("the warm Python server ended")
        return child

    def _read_replies(self) -> None:
        for line in self.process.stdout:
            word, pid, *code = line.split()
            if word == "started":  # registered here: its `ended` may be the next line
                child = self.children[int(pid)] = WarmProcess(int(pid))
                self.started.put(child)
            else:
                child = self.children.pop(int(pid))
                child.returncode = int(code[0])
                child._ended.set()
        self.started.put(None)  # the server ended: no child will start or say it ended
        for child in self.children.values():
            child._ended.set()

    def stop(self) -> None:
        """End of stdin ends the server; waiting for it counts its CPU time in this
        process's."""
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


_server: _Server | None = None
_lock = threading.Lock()


@atexit.register
def stop_servers() -> None:
    global _server
    with _lock:
        server, _server = _server, None
    if server is not None:
        server.stop()


def start(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    stdout: Path,
    stderr: Path,
) -> WarmProcess:
    """`python ARGV...` (ARGV: `-m MODULE ...` or `SCRIPT ...`) forked from the warm server,
    its output appended to the files `stdout` and `stderr`."""
    global _server
    request = {
        "argv": list(argv),
        "cwd": str(cwd),
        "env": env,
        "stdout": str(stdout),
        "stderr": str(stderr),
    }
    with _lock:  # one request at a time: its `started` reply is the next one
        if _server is None:
            _server = _Server()
        return _server.start(request)


def wait_for_line(process: WarmProcess, path: Path, prefix: str, timeout: float = 60) -> str:
    """The first line of the file `path` starting with `prefix`, once the child wrote it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        written = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        for line in written.splitlines():
            if line.startswith(prefix):
                return line
        if process.poll() is not None:
            raise RuntimeError(f"the child ended ({process.returncode}) before writing {prefix!r}")
        time.sleep(0.01)
    process.kill()
    raise RuntimeError(f"no line starting {prefix!r} in {path} after {timeout} s")


if __name__ == "__main__":
    _serve()
