"""Serve an emulator (intact or broken) dressed as a tenant, and run chosen conformance tests
against it over HTTP exactly as a tenant administrator would:
`python -m pytest conformance/... --target URL` with the SAIL_* credentials; the verdicts are
read from the run's results.json, record by record.

The emulator runs with `--no-control-api`, so the suite finds no clock, registers no client
and takes every branch it takes on a tenant; the second, limited client a tenant admin would
provide for the 403 checks is given as a `--client` and the SAIL_LIMITED_* variables.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from conformance_process import REPO, run_conformance

from emulator.process import start_emulator

LAUNCHER = Path(__file__).with_name("broken_emulator.py")
LIMITED = ("cc-limited", "cc-limited-secret")  # a client with none of the needed authorities
CREDENTIALS = {
    "SAIL_CLIENT_ID": "conformance",
    "SAIL_CLIENT_SECRET": "conformance-secret",
    "SAIL_LIMITED_CLIENT_ID": LIMITED[0],
    "SAIL_LIMITED_CLIENT_SECRET": LIMITED[1],
}
EMULATOR_OPTIONS = (
    "--client",
    f"{LIMITED[0]}:{LIMITED[1]}:HELPDESK",
    "--transition-delay",
    "0.05",
)
SUITE_OPTIONS = (
    # The tenant profile is what --target picks: the verdicts are the ones an admin gets.
    "--profile",
    "tenant",
    # The client-side throttle only spaces requests out (the emulator has no limit to honour);
    # it decides no verdict, and at 100/10s it would be most of the run's time.
    "--rate-limit",
    "off",
    "-x",  # the first failure is the verdict; later tests would only spend time
    # A verdict must not depend on the draw: with a pinned seed, a breakage only some seeds
    # find fails (or passes) the same way on every run, and is listed as a gap with its rate.
    "--hypothesis-seed=4",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:campaigns_emulator",  # the client authors' plugin: not used here, 1 s to import
    # Rewriting only details the failure text of bare asserts (the verdicts are the records'),
    # and it recompiles some 340 modules per run: about 2 s of CPU each time.
    "--assert=plain",
    "-q",
)


# results.json folds several records of one key in this order (reports/results.schema.json).
FOLD = ("fail", "error", "pass", "skip", "not-run")


@dataclass(frozen=True)
class Record:
    outcome: str  # pass, fail, error, skip or not-run
    reason: str  # what the server did, or why the record was skipped / not run
    documented: str  # the sentence the record quotes


@dataclass
class SuiteRun:
    """What results.json says of one run: records folded by key, and every test outcome."""

    records: dict[tuple[str, str | None, str], Record] = field(default_factory=dict)
    tests: list[dict] = field(default_factory=list)  # {nodeid, outcome, message, ...}
    output: str = ""  # the run's terminal output, for failure messages

    def record(self, key: tuple[str, str | None, str]) -> Record | None:
        return self.records.get(key)

    def not_passed(self) -> list[dict]:
        return [t for t in self.tests if t["outcome"] not in ("passed", "skipped")]


@contextmanager
def served(mutation: str | None, log: Path, control_api: bool = False) -> Iterator[str]:
    """The base URL of an emulator, `mutation` applied (None: the real `python -m emulator`),
    without its control API unless `control_api`."""
    program = ("-m", "emulator") if mutation is None else (str(LAUNCHER), "--mutation", mutation)
    hidden = () if control_api else ("--no-control-api",)
    with start_emulator(*EMULATOR_OPTIONS, *hidden, program=program, cwd=REPO, log=log) as server:
        yield server.base_url


def run_suite(base_url: str, node_ids: Sequence[str], workdir: Path, *options: str) -> SuiteRun:
    """Run exactly `node_ids` against `base_url` and read the run's results.json."""
    workdir.mkdir(parents=True, exist_ok=True)
    arguments = [*node_ids, "--target", base_url, *SUITE_OPTIONS, *options]
    process, folder = run_conformance(arguments, workdir / "reports", CREDENTIALS, timeout=300)
    output = process.stdout + process.stderr
    (workdir / "pytest.out").write_text(output)
    return read_results(folder / "results.json", output)


def read_results(path: Path, output: str = "") -> SuiteRun:
    document = json.loads(path.read_text())
    run = SuiteRun(tests=document["tests"], output=output)
    for item in document["records"]:
        key = (item["record_type"], item.get("operation_id"), item["check"])
        record = Record(item["outcome"], item.get("reason", ""), item.get("documented", ""))
        held = run.records.get(key)
        if held is None or FOLD.index(record.outcome) < FOLD.index(held.outcome):
            run.records[key] = record
    return run
