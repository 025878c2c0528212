"""`python -m emulator serve --fail-on-violations [--fail-on-warnings] [--junit PATH]
[-- COMMAND ...]`: a contract gate for a client in any language.

The emulator starts; with a COMMAND, it runs it with SAIL_BASE_URL / SAIL_CLIENT_ID /
SAIL_CLIENT_SECRET set for the default client, then stops; without one, it serves until
SIGINT/SIGTERM. Either way it then prints each distinct violation and warning the client
caused once, with its count (emulator.gate.gate_report), writes them as JUnit test cases with
--junit, and exits 1 when there was any violation (or warning, with --fail-on-warnings),
else with the command's exit code.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import uvicorn

from emulator import control_api
from emulator.app import create_app
from emulator.config import DEFAULT_TENANT, EmulatorConfig
from emulator.gate import gate_report
from emulator.process import READY


def run_gate(
    config: EmulatorConfig,
    command: list[str],
    *,
    fail_on_warnings: bool = False,
    junit: Path | None = None,
) -> int:
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
    print(f"  control: {control_api.access(config)}", flush=True)
    command_status = run_or_wait(command, env)
    server.should_exit = True
    thread.join(timeout=10)
    emulator = app.state.emulator
    records = [v.as_dict() for v in emulator.violations(client.tenant or DEFAULT_TENANT)]
    return report(records, command_status, bool(command), fail_on_warnings, junit)


def report(
    records: list[dict],
    command_status: int,
    ran_command: bool,
    fail_on_warnings: bool,
    junit: Path | None,
) -> int:
    """Print each distinct finding once (stderr), write the JUnit file, and give the exit
    status: 1 when a finding fails the gate, else the command's."""
    findings = gate_report.distinct(records)
    for finding in findings:
        print(finding.line(), file=sys.stderr)
    if junit is not None:
        gate_report.write_junit(junit, findings, fail_on_warnings)
    print(
        f"gate: {gate_report.summary(findings)}"
        + (f"; command exited {command_status}" if ran_command else ""),
        file=sys.stderr,
    )
    if gate_report.failing(findings, fail_on_warnings):
        return 1
    return command_status


def run_or_wait(command: list[str], env: dict[str, str], label: str = "gate") -> int:
    """Run the command with `env` and give its exit code; without one, wait for SIGINT or
    SIGTERM (then 0)."""
    if command:
        try:
            return subprocess.run(command, env=env, check=False).returncode
        except OSError as error:
            print(f"{label}: cannot run {command[0]}: {error.strerror}", file=sys.stderr)
            return 127
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    return 0
