"""Processes forked from a warm Python: the start of a suite or emulator process, paid once.

A suite process spends most of a short run importing pytest, schemathesis, hypothesis and the
project; the detection-power self-test starts some ninety of them (an emulator and a suite per
case). `python tests/warm_python.py` imports those once, then for each request on its stdin
(one JSON line: argv, cwd, environment, output files) forks a child that runs the program as
`python ARGV...` would (`-m MODULE` or a script path) and answers two lines: the child's pid
once forked, its exit status once it ended. The child is a process of its own, with its own
arguments, folder, environment and output: only the imports are shared, copy-on-write.

`start(...)` returns a `WarmProcess` (its pid, `wait()`, `terminate()`); a server runs one
child at a time, and more servers are started while all are busy.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import runpy
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

# What a suite or an emulator process imports first, whatever it runs. Project modules are not
# among them: a test run could change them (tests write files of their own, never code), but
# the imports below are the bulk of a start.
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
)


# --- the server: `python tests/warm_python.py` ------------------------------------------------
def _serve() -> None:
    import importlib

    sys.path.pop(0)  # this script's folder: a child puts its own first, as python would
    for name in PRELOAD:
        # A preload only saves time: a module missing here is the child's to import or miss.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)  # never returns
        replies.write(f"{pid}\n")
        _, status = os.waitpid(pid, 0)
        replies.write(f"{os.waitstatus_to_exitcode(status)}\n")


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
class _Server:
    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        self.process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.busy = False


_servers: list[_Server] = []
_lock = threading.Lock()


@atexit.register
def stop_servers() -> None:
    """End of stdin ends a server; waiting for it counts its CPU time in this process's."""
    while _servers:
        server = _servers.pop()
        server.process.stdin.close()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()


class WarmProcess:
    """A child of a warm server: like a `subprocess.Popen` of `python ARGV...`."""

    def __init__(self, server: _Server, pid: int) -> None:
        self._server, self.pid, self.returncode = server, pid, None

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            expired = threading.Event()

            def expire() -> None:
                expired.set()
                self.kill()

            timer = threading.Timer(timeout, expire) if timeout else None
            if timer:
                timer.start()
            try:
                line = self._server.process.stdout.readline()
            finally:
                if timer:
                    timer.cancel()
            if not line:
                raise RuntimeError("the warm Python server ended")
            self.returncode = int(line)
            self._server.busy = False
            if expired.is_set():
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
        return self.returncode

    def poll(self) -> int | None:
        return self.returncode

    def _signal(self, number: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, number)

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)


def start(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    stdout: Path,
    stderr: Path,
) -> WarmProcess:
    """`python ARGV...` (ARGV: `-m MODULE ...` or `SCRIPT ...`) forked from a warm server, its
    output appended to the files `stdout` and `stderr`."""
    with _lock:
        server = next((s for s in _servers if not s.busy), None)
        if server is None:
            server = _Server()
            _servers.append(server)
        server.busy = True
    request = {
        "argv": list(argv),
        "cwd": str(cwd),
        "env": env,
        "stdout": str(stdout),
        "stderr": str(stderr),
    }
    server.process.stdin.write(json.dumps(request) + "\n")
    server.process.stdin.flush()
    line = server.process.stdout.readline()
    if not line:
        raise RuntimeError("the warm Python server ended")
    return WarmProcess(server, int(line))


def wait_for_line(process: WarmProcess, path: Path, prefix: str, timeout: float = 60) -> str:
    """The first line of the file `path` starting with `prefix`, once the child wrote it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        written = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        for line in written.splitlines():
            if line.startswith(prefix):
                return line
        time.sleep(0.02)
    process.kill()
    raise RuntimeError(f"no line starting {prefix!r} in {path} after {timeout} s")


if __name__ == "__main__":
    _serve()
