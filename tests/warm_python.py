"""Processes forked from a warm Python: the start of a suite or emulator process, paid once.

A suite or emulator process spends most of a short run importing: pytest and its plugins,
schemathesis, hypothesis, starlette, and the project itself (the suite's plugins and test
modules, the emulator); the detection-power self-test starts some ninety of them (an emulator
and a suite per case). The warm Python (tests/warm_server.py) imports those once and forks a
child for each request, run as `python ARGV...` would run it; this module is its client.

`start(...)` returns a `WarmProcess` (its pid, `wait()`, `terminate()`). A process starts one
server and forks every child from it, side by side (an emulator, and the suite run against
it); the workers of a pytest-xdist session share the one their controller started
(`share_with_workers`).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

SERVER = Path(__file__).with_name("warm_server.py")


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


class _Connection:
    """This process's connection to a warm server, and a thread reading its replies."""

    def __init__(self, path: str) -> None:
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.socket.connect(path)
        self.started: queue.SimpleQueue[WarmProcess | None] = queue.SimpleQueue()
        self.children: dict[int, WarmProcess] = {}
        threading.Thread(target=self._read_replies, daemon=True).start()

    def start(self, request: dict) -> WarmProcess:
        with contextlib.suppress(OSError):  # a server gone says so below
            self.socket.sendall((json.dumps(request) + "\n").encode())
        child = self.started.get()
        if child is None:
            raise RuntimeError("the warm Python server ended")
        return child

    def _read_replies(self) -> None:
        for line in self.socket.makefile("r", encoding="utf-8"):
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

    def close(self) -> None:
        with contextlib.suppress(OSError):  # the server may have left first
            self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()


class _OwnServer:
    """A warm server this process started and owns, listening on a socket in a folder of its
    own."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="warm-python-"))
        self.path = str(self.folder / "socket")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), self.path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the warm Python server did not start")

    def stop(self) -> None:
        """End of stdin ends the server once its clients left; waiting for it counts its CPU
        time in this process's."""
        self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


# The socket of a server shared by this process's children (pytest-xdist workers).
SHARED = "WARM_PYTHON_SOCKET"
_owned: _OwnServer | None = None
_connection: _Connection | None = None
_lock = threading.Lock()


def share_with_workers() -> None:
    """Start a warm server that the processes this one starts from now on (pytest-xdist
    workers) use instead of each starting its own: its imports are made once, while they
    start."""
    global _owned
    with _lock:
        if _owned is None:
            _owned = _OwnServer()
            os.environ[SHARED] = _owned.path


@atexit.register
def stop_servers() -> None:
    global _owned, _connection
    with _lock:
        connection, _connection = _connection, None
        owned, _owned = _owned, None
    if connection is not None:
        connection.close()
    if owned is not None:
        if os.environ.get(SHARED) == owned.path:
            del os.environ[SHARED]
        owned.stop()


def _connect() -> _Connection:
    global _owned
    shared = os.environ.get(SHARED)
    if shared and Path(shared).exists():
        with contextlib.suppress(OSError):  # gone: this process starts its own
            return _Connection(shared)
    if _owned is None:
        _owned = _OwnServer()
    return _Connection(_owned.path)


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
    global _connection
    request = {
        "argv": list(argv),
        "cwd": str(cwd),
        "env": env,
        "stdout": str(stdout),
        "stderr": str(stderr),
    }
    with _lock:  # one request at a time: its `started` reply is the next one
        if _connection is None:
            _connection = _connect()
        return _connection.start(request)


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
