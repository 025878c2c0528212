"""The project's test harness: start an emulator, run the conformance suite, read a run.

Every test that needs a server or a suite run takes it from here, imported one way
(`from tests.harness import ...`):

- an emulator as a process (`emulator_process`, `served`: `python -m emulator --port 0`, or a
  launcher taking the same options, such as a broken or drifted emulator), or in a thread of
  this process (`served_in_thread`: no Python start, for tests that only need a server);
- the suite as a process, as a user runs it from the checkout (`run_suite`:
  `python -m pytest ... --report-dir DIR`), returning a `SuiteRun`: the process, its one run
  folder, pytest's summary counts and the results file's records (`verdicts`).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn

from emulator import create_app
from emulator.__main__ import build_parser, config_from
from emulator.process import READY, EmulatorProcess, start_emulator
from tests import warm_python

REPO = Path(__file__).resolve().parents[1]

# The default client of every emulator, and a client without the authorities the suite needs,
# as a tenant administrator provides them for the 403 checks (`--client LIMITED_CLIENT`).
CLIENT = ("conformance", "conformance-secret")
LIMITED = ("cc-limited", "cc-limited-secret")
LIMITED_CLIENT = f"{LIMITED[0]}:{LIMITED[1]}:HELPDESK"
CLIENT_CREDENTIALS = {"SAIL_CLIENT_ID": CLIENT[0], "SAIL_CLIENT_SECRET": CLIENT[1]}
GUEST_CREDENTIALS = {
    **CLIENT_CREDENTIALS,
    "SAIL_LIMITED_CLIENT_ID": LIMITED[0],
    "SAIL_LIMITED_CLIENT_SECRET": LIMITED[1],
}
# The whole suite, quietly, as the tox environments run it.
WHOLE_SUITE = ("conformance", "-p", "no:cacheprovider", "-q")
# A run of chosen tests as a tenant administrator's: `--target` picks the tenant profile, so
# the verdicts are the ones an admin gets.
AS_A_TENANT = (
    "--profile",
    "tenant",
    # The client-side throttle only spaces requests out (these emulators have no limit to
    # honour); it decides no verdict, and at 100/10s it would be most of the run's time.
    "--rate-limit",
    "off",
    # A verdict must not depend on the draw: a pinned seed makes every run send the same.
    "--hypothesis-seed=4",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:campaigns_emulator",  # the client authors' plugin: not used by the suite, 1 s to import
    # Rewriting only details the failure text of bare asserts (the verdicts are the records'),
    # and it recompiles some 340 modules per run: about 2 s of CPU each time.
    "--assert=plain",
    "-q",
)


# --- an emulator ----------------------------------------------------------------------------
def emulator_process(
    *options: str, program: Sequence[str] = ("-m", "emulator"), log: Path | None = None
) -> EmulatorProcess:
    """`python -m emulator --port 0 OPTIONS` (or `python PROGRAM ...`) in the checkout, once
    it accepts connections; stop it with `.stop()` or a `with` block."""
    return start_emulator(*options, program=program, cwd=REPO, log=log)


@contextmanager
def served(
    *options: str, program: Sequence[str] = ("-m", "emulator"), log: Path | None = None
) -> Iterator[str]:
    """The base URL of `emulator_process(...)`, stopped afterwards."""
    with emulator_process(*options, program=program, log=log) as server:
        yield server.base_url


@contextmanager
def served_in_thread(*options: str) -> Iterator[str]:
    """The base URL of an emulator with the command line's `options`, served by a thread of
    this process on a free loopback port; stopped afterwards."""
    config = config_from(build_parser().parse_args(["--port", "0", *options]))
    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        if not server.started:
            raise RuntimeError("the in-thread emulator did not start")
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def served_warm(
    *options: str, program: Sequence[str] = ("-m", "emulator"), log: Path
) -> Iterator[str]:
    """`served(...)`, its process forked from a warm Python (tests/warm_python.py): the same
    command line, without paying for the imports; its ready line and output go to `log`."""
    ready = log.with_suffix(".ready")
    env = suite_environment()
    server = warm_python.start(
        [*program, "--port", "0", *options], cwd=REPO, env=env, stdout=ready, stderr=log
    )
    try:
        line = warm_python.wait_for_line(server, ready, READY)
        yield line.removeprefix(READY).strip()
    finally:
        # Not waited for: it shuts down while the caller goes on (uvicorn takes a tenth of a
        # second to notice), and the warm Python reaps it.
        server.terminate()


# --- the suite ------------------------------------------------------------------------------
_SUMMARY_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)\b")
# results.json folds several records of one key in this order (reports/results.schema.json).
_FOLD = ("fail", "error", "pass", "skip", "not-run")
RecordKey = tuple[str, str | None, str]  # (record_type, operation_id, rule or check)


@dataclass(frozen=True)
class Verdict:
    outcome: str  # pass, fail, error, skip or not-run
    reason: str  # what the server did, or why the record was skipped / not run
    documented: str  # the sentence the record quotes


@dataclass
class Verdicts:
    """What a results.json says: its records folded by key, and every test outcome."""

    records: dict[RecordKey, Verdict] = field(default_factory=dict)
    tests: list[dict] = field(default_factory=list)  # {nodeid, outcome, message, ...}
    output: str = ""  # the run's terminal output, for failure messages

    def record(self, key: RecordKey) -> Verdict | None:
        return self.records.get(key)

    def not_passed(self) -> list[dict]:
        return [t for t in self.tests if t["outcome"] not in ("passed", "skipped")]


def read_verdicts(path: Path, output: str = "") -> Verdicts:
    document = json.loads(path.read_text(encoding="utf-8"))
    verdicts = Verdicts(tests=document["tests"], output=output)
    for item in document["records"]:
        key = (item["record_type"], item.get("operation_id"), item["check"])
        verdict = Verdict(item["outcome"], item.get("reason", ""), item.get("documented", ""))
        held = verdicts.records.get(key)
        if held is None or _FOLD.index(verdict.outcome) < _FOLD.index(held.outcome):
            verdicts.records[key] = verdict
    return verdicts


@dataclass
class SuiteRun:
    """One suite process and the one run folder it wrote."""

    process: subprocess.CompletedProcess
    folder: Path

    @property
    def output(self) -> str:
        return self.process.stdout + self.process.stderr

    @property
    def results(self) -> Path:
        return self.folder / "results.json"

    def verdicts(self) -> Verdicts:
        return read_verdicts(self.results, self.output)

    def pytest_counts(self) -> dict[str, int]:
        """pytest's summary line (`-q`: "3 failed, 5 passed, 2 errors in 4.1s"), by category
        as results.json names them."""
        line = [ln for ln in self.process.stdout.splitlines() if re.search(r" in [\d.]+s", ln)]
        assert line, self.process.stdout[-3000:]
        counts = dict.fromkeys(["passed", "failed", "error", "skipped", "xfailed", "xpassed"], 0)
        for number, word in _SUMMARY_COUNT.findall(line[-1]):
            counts["error" if word.startswith("error") else word] += int(number)
        return counts


def suite_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a suite process, with `env` on top: without the
    variables an outer pytest (an xdist worker) sets, which must not steer the inner one."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return {**inherited, **(env or {})}


def run_suite(
    *arguments: str,
    report_dir: Path,
    env: dict[str, str] | None = None,
    cwd: Path = REPO,
    timeout: float = 600,
    warm: bool = False,
) -> SuiteRun:
    """`python -m pytest ARGUMENTS --report-dir REPORT_DIR` in the checkout (or `cwd`), as a
    user runs the suite (ARGUMENTS name it: `conformance`, or node ids); `env` on top of this
    process's environment. Its terminal output is kept beside the reports, in `pytest.out`.
    `warm`: the process is forked from a warm Python (tests/warm_python.py), for runs with
    `--assert=plain` (the imports it shares were not rewritten)."""
    argv = ["-m", "pytest", *arguments, "--report-dir", str(report_dir)]
    if warm:
        process = run_warm(argv, output=report_dir, cwd=cwd, env=env, timeout=timeout)
    else:
        process = subprocess.run(
            [sys.executable, *argv],
            cwd=cwd,
            env=suite_environment(env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    folders = [p for p in report_dir.iterdir() if p.is_dir()] if report_dir.exists() else []
    if len(folders) != 1:
        output = process.stdout[-3000:] + process.stderr[-3000:]
        raise RuntimeError(f"the suite wrote {len(folders)} run folders:\n{output}")
    (report_dir / "pytest.out").write_text(process.stdout + process.stderr, encoding="utf-8")
    return SuiteRun(process, folders[0])


def run_warm(
    argv: Sequence[str],
    *,
    cwd: Path = REPO,
    env: dict[str, str] | None = None,
    timeout: float = 600,
    output: Path | None = None,
) -> subprocess.CompletedProcess:
    """`python ARGV...` (`-m MODULE ...` or `SCRIPT ...`) forked from a warm Python
    (tests/warm_python.py), run to its end as `subprocess.run(..., capture_output=True,
    text=True)` runs it; `env` on top of `suite_environment()`. Its output goes to the files
    OUTPUT.out and OUTPUT.err, kept (`output`, a path in a folder of the caller's) or not."""
    with tempfile.TemporaryDirectory(prefix="warm-run-") as scratch:
        stem = output or Path(scratch) / "python"
        files = {name: stem.with_name(f"{stem.name}.{name}") for name in ("out", "err")}
        environment = suite_environment(env)
        child = warm_python.start(
            argv, cwd=cwd, env=environment, stdout=files["out"], stderr=files["err"]
        )
        code = child.wait(timeout=timeout)
        stdout, stderr = (files[n].read_text(encoding="utf-8", errors="replace") for n in files)
    return subprocess.CompletedProcess(list(argv), code, stdout, stderr)
