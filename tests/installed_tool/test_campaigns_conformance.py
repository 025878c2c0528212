"""`campaigns-conformance`, as installed by `pip install .`, from a folder that is not the
checkout: the suite against an emulator started with `campaigns-emulator`, one rule at a time,
its report written under that folder; settings from that folder's file; one-line refusals."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.process import start_emulator
from tests.harness import CLIENT_CREDENTIALS, suite_environment

BIN = Path(sys.executable).parent
TOOL, EMULATOR = BIN / "campaigns-conformance", BIN / "campaigns-emulator"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory) -> Iterator[str]:
    if not (TOOL.exists() and EMULATOR.exists()):
        pytest.skip(f"the package's commands are not installed in {BIN} (pip install .)")
    folder = tmp_path_factory.mktemp("emulator")
    program = [str(EMULATOR)]  # the console script, run by this environment's python
    with start_emulator("--transition-delay", "0.05", program=program, cwd=folder) as server:
        yield server.base_url


def tool(*arguments: str, cwd: Path, env: dict[str, str] | None = None):
    environment = {k: v for k, v in suite_environment(env).items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(TOOL), *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_one_rule_from_an_empty_folder_with_that_folders_settings(emulator, tmp_path):
    """`campaigns-conformance run --target URL --rule activate-only-staged` against an
    emulator started with `campaigns-emulator`: only that rule's tests run, with the settings
    of the folder's file (its report folder there); a secret in the file is refused."""
    settings = tmp_path / "campaigns-conformance.toml"
    settings.write_text('report-dir = "runs"\nrate-limit = "off"\n')
    run = tool(
        *("run", "--target", emulator, "--rule", "activate-only-staged", "-q"),
        cwd=tmp_path,
        env=CLIENT_CREDENTIALS,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed, " in run.stdout and "deselected" in run.stdout, run.stdout[-2000:]
    [folder] = (tmp_path / "runs").iterdir()
    assert {"results.json", "junit.xml", "report.html"} <= {p.name for p in folder.iterdir()}
    settings.write_text(f'target = "{emulator}"\nclient-secret = "hunter2"\n')
    refused = tool("run", "-q", cwd=tmp_path, env=CLIENT_CREDENTIALS)
    assert refused.returncode == 4, refused.stdout + refused.stderr
    assert "'client-secret' looks like a secret" in refused.stderr
    assert "hunter2" not in refused.stdout + refused.stderr


def test_an_unknown_rule_is_one_line_listing_the_known_ones(tmp_path):
    if not TOOL.exists():
        pytest.skip(f"campaigns-conformance is not installed in {BIN}")
    run = tool("run", "--target", "http://127.0.0.1:9", "--rule", "activate", cwd=tmp_path)
    assert run.returncode == 4 and "Traceback" not in run.stderr, run.stderr
    [line] = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert "unknown --rule activate; known: 400, 401" in line and "activate-only-staged" in line


@pytest.mark.parametrize("command", ["run", "diff", "profile", "cleanup"])
def test_each_command_explains_itself_with_an_example(command, tmp_path):
    if not TOOL.exists():
        pytest.skip(f"campaigns-conformance is not installed in {BIN}")
    shown = tool(command, "--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert f"example: campaigns-conformance {command}" in shown.stdout
