"""The warm Python itself: `python tests/warm_server.py SOCKET` (started by tests/warm_python.py).

It imports what a suite or an emulator process imports, once, then for each request a client
sends on SOCKET (one JSON line: argv, cwd, environment, output files) forks a child that runs
the program as `python ARGV...` would (`-m MODULE` or a script path), and answers
`started PID` at once and `ended PID CODE` when the child ended. The child is a process of its
own, with its own arguments, folder, environment and output: only the imports are shared,
copy-on-write.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import inspect
import json
import os
import runpy
import select
import signal
import socket
import sys
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
    # what uvicorn imports as an emulator starts serving: its protocols, lifespan and loop
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


def _preload() -> None:
    # The project as the children run it: from the checkout (their folder, first on their
    # path), never an installed copy (tox installs a wheel), whose modules pytest would refuse
    # for the checkout's files. Not left on the path: a child puts its own first.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    try:
        _import_all()
    finally:
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


def _import_all() -> None:
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


class _Server:
    """`python tests/warm_server.py SOCKET`: a child forked for each request line a client sends
    on SOCKET, answered `started PID` at once and `ended PID CODE` once the child ended.
    Children run side by side (an emulator, and the suite run against it), for one client or
    several (the workers of one pytest-xdist session); the imports are made as it starts.
    Stdin is the owner's: at its end no client is taken any more, and the server leaves once
    its clients left and their children were reaped (a client that leaves takes its children
    with it)."""

    def __init__(self, path: str) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen()
        self.clients: dict[int, socket.socket] = {}  # fd -> connection
        self.unread: dict[int, bytes] = {}  # fd -> a request line's beginning
        self.running: dict[int, tuple[int, socket.socket]] = {}  # pidfd -> (pid, its client)
        self.owned = True

    def serve(self) -> None:
        print("ready", flush=True)  # clients may connect: their requests wait for the imports
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the owner reads no further
        _preload()
        while self.owned or self.clients or self.running:
            watched = [*self.clients, *self.running]
            if self.owned:
                watched += [0, self.listener.fileno()]
            for fd in select.select(watched, [], [])[0]:
                if fd == 0:
                    self._hear_the_owner()
                elif fd == self.listener.fileno():
                    client, _ = self.listener.accept()
                    self.clients[client.fileno()], self.unread[client.fileno()] = client, b""
                elif fd in self.clients:
                    self._read(fd)
                else:
                    self._reap(fd)

    def _hear_the_owner(self) -> None:
        if not os.read(0, 4096):
            self.owned = False
            self.listener.close()

    def _read(self, fd: int) -> None:
        client = self.clients[fd]
        try:
            chunk = client.recv(65536)
        except OSError:  # reset: as good as gone
            chunk = b""
        if not chunk:  # the client left: nobody will stop what it still runs
            for pid, owner in self.running.values():
                if owner is client:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(pid, signal.SIGKILL)
            del self.clients[fd], self.unread[fd]
            client.close()
            return
        *lines, self.unread[fd] = (self.unread[fd] + chunk).split(b"\n")
        for line in lines:
            self._fork(json.loads(line), client)

    def _fork(self, request: dict, client: socket.socket) -> None:
        pid = os.fork()
        if pid == 0:
            self.listener.close()
            for fd in [*self.clients, *self.running]:
                os.close(fd)
            _child(request)  # never returns
        # Its own process group before any signal can be sent to it (the child sets it too):
        # a signal for the child reaches its children, not the server.
        with contextlib.suppress(OSError):  # unless it already left
            os.setpgid(pid, pid)
        self.running[os.pidfd_open(pid)] = (pid, client)
        _tell(client, f"started {pid}")

    def _reap(self, fd: int) -> None:
        pid, client = self.running.pop(fd)
        os.close(fd)
        _, status = os.waitpid(pid, 0)
        if client.fileno() != -1:  # still connected
            _tell(client, f"ended {pid} {os.waitstatus_to_exitcode(status)}")


def _tell(client: socket.socket, line: str) -> None:
    with contextlib.suppress(OSError):  # a client that left hears nothing
        client.sendall(f"{line}\n".encode())


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
        # The child's path as python builds it: its folder (or script's), then PYTHONPATH.
        extra = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
        sys.path[:0] = extra
        if argv[0] == "-m":
            sys.argv = [argv[1], *argv[2:]]
            sys.path.insert(0, os.getcwd())
            # Run afresh as __main__ (its imports stay preloaded): runpy warns of a module
            # that is already imported under its own name (a package's: its __main__).
            module = sys.modules.get(argv[1])
            name = f"{argv[1]}.__main__" if hasattr(module, "__path__") else argv[1]
            sys.modules.pop(name, None)
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


if __name__ == "__main__":
    sys.path.pop(0)  # this script's folder: a child puts its own first, as python would
    _Server(sys.argv[1]).serve()
