"""`python -m emulator serve --fail-on-violations [-- COMMAND ...]`: a contract gate for a
client in any language.

The emulator starts; with a COMMAND, it runs it with SAIL_BASE_URL / SAIL_CLIENT_ID /
SAIL_CLIENT_SECRET set for the default client, then stops; without one, it serves until
SIGINT/SIGTERM. Either way it then prints every contract violation the client made and exits
non-zero when there was any (or when the command failed).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading

import uvicorn

from emulator.app import create_app
from emulator.config import DEFAULT_TENANT, EmulatorConfig
from emulator.process import READY


def run_gate(config: EmulatorConfig, command: list[str]) -> int:
    app = create_app(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((config.host, config.port))
    base_url = f"http://{config.host}:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        threading.Event().wait(0.02)
    client = config.clients[0]
    env = {
        **os.environ,
        "SAIL_BASE_URL": base_url,
        "SAIL_CLIENT_ID": client.client_id,
        "SAIL_CLIENT_SECRET": client.client_secret,
    }
    print(f"{READY}{base_url} (gate on)", flush=True)
    command_status = _run_or_wait(command, env)
    server.should_exit = True
    thread.join(timeout=10)
    violations = app.state.emulator.tenants.slot(client.tenant or DEFAULT_TENANT).tenant.violations
    for violation in violations:
        v = violation.as_dict()
        print(
            f"violation: {v['operationId']} {v['method']} {v['path']} -> {v['status']}: "
            f"{v['reason']}",
            file=sys.stderr,
        )
    print(
        f"gate: {len(violations)} contract violation(s)"
        + (f"; command exited {command_status}" if command else ""),
        file=sys.stderr,
    )
    if violations:
        return 1
    return command_status


def _run_or_wait(command: list[str], env: dict[str, str]) -> int:
    if command:
        try:
            return subprocess.run(command, env=env, check=False).returncode
        except OSError as error:
            print(f"gate: cannot run {command[0]}: {error.strerror}", file=sys.stderr)
            return 127
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    return 0
