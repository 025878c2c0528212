"""Every command the README gives is run: by CI, by a named test, or here.

`COVERAGE` maps each command (as `readme_commands.shell_commands` extracts it) to where it
runs. A command added to the README without an entry fails `test_every_command_is_covered`;
an entry naming a test that does not contain what it claims fails too. The cheap, local
commands run below as written (placeholders such as URL filled with a loopback emulator).
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from emulator.control_api import CONTROL_ROUTES
from emulator.process import READY, start_emulator
from tests.readme.readme_commands import README, REPO, shell_commands

CI = "CI"  # .ci/run: `python -m pip install tox && tox` (tox's env_list: lint, py, conformance)
HERE = "tests/readme/test_readme.py"

# command -> (where it runs, a text that file must contain to prove it)
COVERAGE: dict[str, tuple[str, str]] = {
    "python -m pip install tox && tox": (CI, "python -m pip install tox && tox"),
    # conformance is in tox's env_list
    "python -m pip install tox && tox -e conformance": (CI, "python -m pip install tox && tox"),
    "tox": (CI, "&& tox"),
    "tox -e conformance": (CI, "&& tox"),
    "pytest tests -n 2": ("tox.ini", "commands = pytest tests -n 2"),
    "pytest conformance": ("tox.ini", "commands = pytest conformance {posargs}"),
    # tox builds the wheel from the checkout and installs it (package = wheel), as pip does;
    # test_the_installed_package_runs_outside_the_checkout runs it from elsewhere.
    "python -m pip install .": ("tox.ini", "package = wheel"),
    "export SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...": (
        "tests/conformance_client/test_preflight.py",
        "SAIL_CLIENT_SECRET",
    ),
    "export SAIL_BASE_URL=https://acme.api.identitynow.com": (
        "tests/conformance_client/test_preflight.py",
        "test_tenant_env_without_a_base_url",
    ),
    # The tenant env is `pytest conformance --target=$SAIL_BASE_URL {posargs}` (checked below);
    # that command runs against a tenant-like emulator in the tenant-mode tests.
    "tox -e tenant": ("tests/conformance_runs/conftest.py", '"--target"'),
    "pytest conformance --target=$SAIL_BASE_URL": (
        "tests/conformance_runs/conftest.py",
        '"--target"',
    ),
    "SAIL_BASE_URL=https://acme.api.identitynow.com tox -e tenant -- --seed 42 "
    "--report-dir reports/out/before": ("tests/reports/test_run_diff.py", "--seed"),
    "SAIL_BASE_URL=https://acme.api.identitynow.com tox -e tenant -- --seed 42 "
    "--report-dir reports/out/after": ("tests/reports/test_run_diff.py", "--seed"),
    ".tox/py/bin/python -m reports diff reports/out/before/*/results.json "
    "reports/out/after/*/results.json --format markdown": (
        "tests/reports/test_diff_cli.py",
        "--format",
    ),
    "pytest --campaigns-gate": ("tests/client_gating/test_pytest_plugin.py", "--campaigns-gate"),
    "python -m conformance cleanup --target URL --dry-run": (HERE, "test_cleanup_dry_run"),
    "python -m emulator": (HERE, "test_emulator_with_its_defaults"),
    "python -m emulator --port 0 --db tenant.sqlite3 --rate-limit 100/10s --token-ttl 300": (
        HERE,
        "test_emulator_with_a_database",
    ),
    "python benchmarks/emulator_throughput.py": (HERE, "test_benchmark_runs"),
    # The suite run as against a tenant (--target, --report-dir), then the profile and the
    # emulator learned from it, as the learned-profile tests run them.
    "SAIL_BASE_URL=https://acme.api.identitynow.com tox -e tenant -- --report-dir "
    "reports/out/acme": ("tests/harness.py", '"--report-dir"'),
    ".tox/conformance/bin/python -m reports profile reports/out/acme/*/results.json": (
        "tests/learned_profiles/test_learned_profile_cli.py",
        '"reports", "profile"',
    ),
    ".tox/conformance/bin/python -m emulator --like reports/out/acme/*/results.json": (
        "tests/learned_profiles/test_learned_profile_cli.py",
        '"-m", "emulator", "--port", "0", "--like"',
    ),
    "pytest --campaigns-like reports/out/acme/*/results.json": (
        "tests/learned_profiles/test_learned_profile_cli.py",
        "--campaigns-like=",
    ),
    "python -m emulator serve --port 0 --fail-on-violations -- ./run-my-client-tests.sh": (
        HERE,
        "test_serve_gate_example",
    ),
}


def test_every_command_is_covered():
    missing = [command for command in shell_commands() if command not in COVERAGE]
    assert not missing, f"README commands that nothing runs: {missing}"
    stale = [command for command in COVERAGE if command not in shell_commands()]
    assert not stale, f"commands no longer in the README: {stale}"


@pytest.mark.parametrize("command", sorted(COVERAGE))
def test_the_named_runner_runs_it(command):
    where, proof = COVERAGE[command]
    path = REPO / (".ci/run" if where == CI else where)
    assert proof in path.read_text(), f"{where} does not show it runs {command!r}"
    if where == CI:
        assert "conformance" in tox_config()["tox"]["env_list"]


def tox_config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO / "tox.ini")
    return parser


def test_tenant_env_takes_the_url_from_the_environment_and_lets_arguments_override_it():
    """`tox -e tenant` without SAIL_BASE_URL runs `--target=` (the preflight says what to
    set); with `-- --target URL` the later option wins."""
    command = tox_config()["testenv:tenant"]["commands"].strip()
    assert command == "pytest conformance --target={env:SAIL_BASE_URL:} {posargs}"


def test_reports_go_under_reports_out_which_git_ignores():
    for command in shell_commands():
        for folder in re.findall(r"--report-dir\s+(\S+)", command):
            assert folder.startswith("reports/out/"), command
    if shutil.which("git") is None or not (REPO / ".git").exists():
        if os.environ.get("CI"):
            pytest.fail("git is needed to check .gitignore")
        pytest.skip("not a git checkout")
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "reports/out/before/run/results.json"], cwd=REPO
    )
    assert ignored.returncode == 0, "reports/out/ must be git-ignored"


def test_what_the_suite_checks_lists_every_suite_module():
    table = README.read_text().split("## What the suite checks", 1)[1].split("\n## ", 1)[0]
    for module in sorted((REPO / "conformance").glob("test_*.py")):
        assert table.count(f"| `conformance/{module.name}` |") == 1, module.name


def test_control_api_table_lists_every_route_and_method():
    table = README.read_text().split("Its control API", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    for route in CONTROL_ROUTES:
        path = route.path.replace("{tenant}", "{t}").replace("{campaign_id}", "{id}")
        short = path.split("/emulator/tenants/{t}", 1)[-1]
        found = [row for row in rows if path in row or (short and f"...{short}" in row)]
        assert found, f"{route.path} is not in the README's control API table"
        for method in sorted(route.methods - {"HEAD"}):
            assert any(f"`{method}" in row or f"{method} " in row for row in found), (
                f"{method} {route.path} is not in the README's control API table"
            )


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    server = start_emulator(cwd=REPO)
    yield server.base_url
    server.stop()


def test_control_api_reads_back_every_setting_it_takes(emulator):
    tenant = f"{emulator}/emulator/tenants/default"
    settings = {
        "rate-limit": {"requests": 50, "perSeconds": 10.0},
        "faults": {"latencyMs": 5.0, "errorRate": 0.0, "errorStatus": 503},
        "transition-delay": {"seconds": 0.5},
    }
    for name, value in settings.items():
        assert requests.put(f"{tenant}/{name}", json=value, timeout=10).status_code == 200
        read = requests.get(f"{tenant}/{name}", timeout=10)
        assert read.status_code == 200 and read.json() == value, (name, read.text)
    requests.put(f"{tenant}/rate-limit", json={"requests": None}, timeout=10)
    assert requests.get(f"{tenant}/rate-limit", timeout=10).json() == {"requests": None}


def run(command: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120):
    """A README command line through the shell, `python` being this environment's."""
    line = re.sub(r"^python ", f"{sys.executable} ", command)
    return subprocess.run(
        line,
        shell=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_cleanup_dry_run(emulator):
    command = "python -m conformance cleanup --target URL --dry-run".replace("URL", emulator)
    credentials = {"SAIL_CLIENT_ID": "conformance", "SAIL_CLIENT_SECRET": "conformance-secret"}
    result = run(command, REPO, credentials)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "nothing named cc-run-* found"


def first_line_of(command: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Start a serving command, read its ready line, stop it."""
    line = command.replace("python ", f"{sys.executable} ", 1).split()
    process = subprocess.Popen(
        line,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert process.stdout is not None
        return process.stdout.readline().decode().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_emulator_with_its_defaults(tmp_path):
    first = first_line_of("python -m emulator", REPO)
    if first == "emulator: error: [Errno 98] Address already in use":
        return  # another program holds the default port: one line, no traceback
    assert first == f"{READY}http://127.0.0.1:8080", first


def test_emulator_with_a_database(tmp_path):
    command = "python -m emulator --port 0 --db tenant.sqlite3 --rate-limit 100/10s --token-ttl 300"
    first = first_line_of(command, tmp_path, {"PYTHONPATH": str(REPO)})
    assert re.fullmatch(re.escape(READY) + r"http://127\.0\.0\.1:\d+", first), first
    assert (tmp_path / "tenant.sqlite3").exists()


def test_the_installed_package_runs_outside_the_checkout(tmp_path):
    """`python -m emulator` works from any folder in an environment the package is installed
    in (tox's), not only from the checkout."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    process = subprocess.run(
        [sys.executable, "-c", "import emulator, sys; print(emulator.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    if process.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"the package is not installed in {sys.prefix}: {process.stderr}")
        pytest.skip("this environment runs the checkout without installing it")
    assert first_line_of("python -m emulator --port 0", tmp_path).startswith(READY)


def test_benchmark_runs(tmp_path):
    result = run(
        "python benchmarks/emulator_throughput.py --duration 1 --warmup 0.2 --connections 2 "
        "--generator python",
        REPO,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert re.search(r"^single +GET /v3/campaigns/\{id\} +python +2 +\d+", result.stdout, re.M), (
        result.stdout
    )


def test_serve_gate_example(tmp_path):
    script = tmp_path / "run-my-client-tests.sh"
    script.write_text(
        "#!/bin/sh\n"
        "# A client that asks for a token the documented way and lists campaigns.\n"
        f'exec "{sys.executable}" -c "'
        "import os, requests; b = os.environ['SAIL_BASE_URL']; "
        "t = requests.post(b + '/oauth/token', data={'grant_type': 'client_credentials', "
        "'client_id': os.environ['SAIL_CLIENT_ID'], "
        "'client_secret': os.environ['SAIL_CLIENT_SECRET']}).json()['access_token']; "
        "r = requests.get(b + '/v3/campaigns', headers={'Authorization': 'Bearer ' + t}); "
        "print('client got', r.status_code)\"\n"
    )
    script.chmod(0o755)
    command = "python -m emulator serve --port 0 --fail-on-violations -- ./run-my-client-tests.sh"
    result = run(command, tmp_path, {"PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "client got 200" in result.stdout
    assert "gate: 0 contract violation(s), 0 warning(s); command exited 0" in result.stderr
