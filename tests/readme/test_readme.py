"""Every command the README gives is run: by CI (`.ci/run`, through tox), or by a test here.

`COVERAGE` maps each command (as `readme_commands.shell_commands` extracts it) to CI or to the
test of this module that runs it. Such a test runs the command through `readme_line`, which
refuses a command the README does not give, so a command changed in the README fails the test
that ran the old one; a command added without an entry fails `test_every_command_is_covered`,
and an entry naming a test that does not run it fails `test_the_named_test_runs_it`. Commands
run as written, placeholders (URL, the tenant's address, report folders) filled with a loopback
emulator and temporary folders; a suite run adds a selection (`-k`) to stay short.
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from emulator.control_api import CONTROL_ROUTES
from emulator.process import READY
from emulator.proxy.recording_proxy import READY as PROXY_READY
from tests.harness import CLIENT_CREDENTIALS, GUEST_CREDENTIALS, LIMITED_CLIENT, REPO, served
from tests.readme.readme_commands import README, readme_line, shell_commands, tox_config
from tests.upgrade_runs import AFTER, BEFORE, TENANT, TONIGHT

CI = "CI"  # .ci/run: `python -m pip install tox tox-uv && tox` (env_list: lint, py, conformance)
DIFF = "campaigns-conformance diff reports/out/before reports/out/after --format markdown"
NIGHTLY_DIFF = (
    "campaigns-conformance diff reports/out/nightly reports/out/tonight "
    "--also-before reports/out/nightly"
)
KEEP = "mkdir -p reports/out/nightly && mv reports/out/tonight/*/ reports/out/nightly/"
KEEP_LAST = "ls -d reports/out/nightly/*/ | head -n -7 | xargs -r rm -r"
ACME = f"campaigns-conformance run --target {TENANT} --report-dir reports/out/acme"
PROFILE = "campaigns-conformance profile reports/out/acme/*/results.json"
LIKE = "campaigns-emulator --like reports/out/acme/*/results.json"
PLUGIN_LIKE = "pytest --campaigns-like reports/out/acme/*/results.json"
EXPORT_BASE_URL = f"export SAIL_BASE_URL={TENANT}"
RUN = "campaigns-conformance run"
RUN_RULES = "campaigns-conformance run --rule activate-only-staged --rule complete-past-due"
RUN_TENANT = f"campaigns-conformance run --target {TENANT}"
CLEANUP = "campaigns-conformance cleanup --target URL --dry-run"
WATCH = f"campaigns-emulator proxy --upstream {TENANT} --port 8090 --report-dir reports/out/watch"
PROXY_GATE = (
    f"campaigns-emulator proxy --upstream {TENANT} --fail-on-violations -- ./run-my-client-tests.sh"
)
UPGRADE = "test_a_tenant_before_and_after_an_upgrade"
LEARNING = "test_gating_a_client_on_what_a_tenant_run_taught"

# command -> CI, or the test here that runs it
COVERAGE: dict[str, str] = {
    "python -m pip install tox tox-uv && tox": CI,
    "python -m pip install tox tox-uv && tox -e conformance": CI,
    "tox": CI,
    "tox -e conformance": CI,
    "pytest tests -n 3 --dist loadgroup": CI,
    "pytest conformance": CI,
    "python -m pip install .": CI,  # tox builds the wheel and installs it (package = wheel)
    "export SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...": "test_the_tenant_environment",
    EXPORT_BASE_URL: "test_the_tenant_environment",
    "tox -e tenant": "test_the_tenant_environment",
    "pytest conformance -n 6 --target=$SAIL_BASE_URL": "test_the_tenant_environment",
    BEFORE: UPGRADE,
    AFTER: UPGRADE,
    DIFF: UPGRADE,
    TONIGHT: UPGRADE,
    NIGHTLY_DIFF: UPGRADE,
    KEEP: UPGRADE,
    KEEP_LAST: UPGRADE,
    ACME: LEARNING,
    PROFILE: LEARNING,
    LIKE: LEARNING,
    PLUGIN_LIKE: LEARNING,
    "pytest --campaigns-gate": LEARNING,
    CLEANUP: "test_cleanup_dry_run",
    RUN: "test_the_installed_command_runs_the_suite_from_any_folder",
    RUN_RULES: "test_the_installed_command_runs_the_suite_from_any_folder",
    RUN_TENANT: "test_the_installed_command_runs_the_suite_from_any_folder",
    "campaigns-emulator": "test_emulator_with_its_defaults",
    "campaigns-emulator --port 0 --db tenant.sqlite3 --rate-limit 100/10s --token-ttl 300": (
        "test_emulator_with_a_database"
    ),
    "python benchmarks/emulator_throughput.py": "test_benchmark_runs",
    "campaigns-emulator serve --port 0 --fail-on-violations -- ./run-my-client-tests.sh": (
        "test_serve_gate_example"
    ),
    WATCH: "test_watching_a_tenant_through_the_proxy",
    PROXY_GATE: "test_gating_a_client_through_the_proxy",
    "python benchmarks/proxy_overhead.py": "test_proxy_benchmark_runs",
    "python -m emulator": "test_the_installed_package_runs_outside_the_checkout",
    "python -m conformance": "test_the_installed_package_runs_outside_the_checkout",
}


def test_every_command_is_covered():
    missing = [command for command in shell_commands() if command not in COVERAGE]
    assert not missing, f"README commands that nothing runs: {missing}"
    stale = [command for command in COVERAGE if command not in shell_commands()]
    assert not stale, f"commands no longer in the README: {stale}"


@pytest.mark.parametrize("command", sorted(c for c, where in COVERAGE.items() if where != CI))
def test_the_named_test_runs_it(command):
    """The named test passes this very command to `readme_line` (a literal, or a constant of
    this module holding it)."""
    test = globals()[COVERAGE[command]]
    constants = {name: value for name, value in globals().items() if isinstance(value, str)}
    tree = ast.parse(inspect.getsource(test))
    for node in ast.walk(tree):  # and the function's own `name = "..."`
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            constants.update({target.id: node.value.value for target in node.targets})
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "readme_line"
    ]
    given = set()
    for call in calls:
        argument = call.args[0]
        if isinstance(argument, ast.Constant):
            given.add(argument.value)
        elif isinstance(argument, ast.Name) and argument.id in constants:
            given.add(constants[argument.id])
    assert command in given, f"{test.__name__} does not run {command!r}"


def test_ci_runs_tox_and_tox_runs_what_the_readme_says():
    """CI runs `.ci/run`, whose command is the README's; tox's environments are the README's
    table: `tox` alone runs lint, py and conformance, each with the README's command."""
    ci = [line for line in (REPO / ".ci/run").read_text().splitlines() if line and line[0] != "#"]
    assert ci[-1] == "python -m pip install tox tox-uv && tox"
    config = tox_config()
    assert [env.strip() for env in config["tox"]["env_list"].split(",")] == [
        "lint",
        "py",
        "conformance",
    ]
    table = README.read_text().split("## Tox environments", 1)[1]
    for env, section in (("py", "testenv"), ("conformance", "testenv:conformance")):
        command = config[section]["commands"].replace("{posargs}", "").strip()
        assert f"| `{env}` | `{command}`" in table, (env, command)
    assert config["testenv"]["package"] == "wheel"  # `pip install .` of the checkout


def test_tenant_env_takes_the_url_from_the_environment_and_lets_arguments_override_it():
    """`tox -e tenant` without SAIL_BASE_URL runs `--target=` (the preflight says what to
    set); with `-- --target URL` the later option wins."""
    command = tox_config()["testenv:tenant"]["commands"].strip()
    assert command == "pytest conformance -n 6 --target={env:SAIL_BASE_URL:} {posargs}"


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
    with served("--client", LIMITED_CLIENT, "--transition-delay", "0.05") as base_url:
        yield base_url


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


def run(line: str, cwd: Path = REPO, env: dict[str, str] | None = None, timeout: float = 180):
    """A shell line (from `readme_line`) in `cwd`, with `env` on top of this environment."""
    return subprocess.run(
        line,
        shell=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def first_line_of(line: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> str:
    """Start a serving command (a line from `readme_line`), read its ready line, stop it."""
    process = subprocess.Popen(
        ["sh", "-c", f"exec {line}"],  # the shell expands globs; exec: the server is the child
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


def test_cleanup_dry_run(emulator):
    line = readme_line(CLEANUP, {"URL": emulator})
    result = run(line, env=CLIENT_CREDENTIALS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "nothing named cc-run-* found"


def test_the_installed_command_runs_the_suite_from_any_folder(emulator, tmp_path):
    """`campaigns-conformance run` from folders that are not the checkout, with the report
    under each folder's reports/out/: the whole suite collected (it runs in CI), one rule's
    tests against the embedded emulator, and against a target (one rule added, to be short).
    The three run side by side, each in a folder of its own."""
    runs = {
        "collected": readme_line(RUN) + " --collect-only",
        # The tenant profile draws fewer examples: what is shown here is where the command
        # runs and which tests it selects (the ci profile's draw is the suite's, run in CI).
        "rules": readme_line(RUN_RULES) + " --profile tenant",
        "tenant": readme_line(RUN_TENANT, {TENANT: emulator}) + " --rule 401 --rate-limit off",
    }

    def run_in_a_folder_of_its_own(name: str) -> subprocess.CompletedProcess:
        (tmp_path / name).mkdir()
        return run(runs[name] + " -q", tmp_path / name, CLIENT_CREDENTIALS)

    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        started = {name: pool.submit(run_in_a_folder_of_its_own, name) for name in runs}
        results = {name: future.result() for name, future in started.items()}
    for result in results.values():
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "test_operation_honours_the_spec" in results["collected"].stdout
    for name in ("rules", "tenant"):
        assert "deselected" in results[name].stdout, results[name].stdout[-2000:]
        assert len(list((tmp_path / name / "reports" / "out").iterdir())) == 1, name


def test_the_tenant_environment(emulator, tmp_path):
    """The README's exports, then `tox -e tenant` as tox runs it (the suite collected only:
    the preflight passed, the target came from SAIL_BASE_URL)."""
    exports = [
        readme_line("export SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=..."),
        readme_line(EXPORT_BASE_URL, {TENANT: emulator}),
    ]
    assert readme_line("pytest conformance -n 6 --target=$SAIL_BASE_URL").endswith(
        "pytest conformance -n 6 --target=$SAIL_BASE_URL"
    )
    credentials = " ".join(f"{k}={v}" for k, v in CLIENT_CREDENTIALS.items())
    script = "; ".join(
        [
            exports[0].replace("SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...", credentials),
            exports[1],
            readme_line("tox -e tenant")
            # its run folder (a collection's too) in the test's folder, not the checkout's
            + f" --collect-only -q -p no:cacheprovider --report-dir {tmp_path}",
        ]
    )
    result = run(script, env={"SAIL_BASE_URL": ""})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "test_operation_honours_the_spec" in result.stdout


def test_a_tenant_before_and_after_an_upgrade(upgrade_runs, tmp_path):
    """Two runs with the same --seed against an unchanged tenant: the diff finds nothing; a
    third, tonight's, against the first two kept as the nightly baseline, neither. The runs
    are the walkthrough's (tests/upgrade_runs.py, shared with the upgrade verification):
    each made by this very README command, on a tenant-mode emulator."""
    given = {
        "before": readme_line(BEFORE, upgrade_runs.replace["before"]),
        "after": readme_line(AFTER, upgrade_runs.replace["after"]),
        "tonight": readme_line(TONIGHT, upgrade_runs.replace["tonight"]),
    }
    for name, line in given.items():
        assert upgrade_runs.commands[name].startswith(line + " "), upgrade_runs.commands[name]
        assert upgrade_runs.exit_codes[name] == 0, upgrade_runs.outputs[name][-3000:]
    # The steps after the runs move folders: they work on a copy of reports/out/.
    shutil.copytree(upgrade_runs.root, tmp_path / "out")
    folders = {"reports/out/": f"{tmp_path}/out/"}
    diff = run(readme_line(DIFF, folders))
    assert diff.returncode == 0, diff.stdout + diff.stderr
    assert diff.stdout.strip().endswith("**No changes.**"), diff.stdout
    assert diff.stderr == ""
    for side in ("before", "after"):  # the last runs, kept as the nightly baseline
        for folder in (tmp_path / "out" / side).iterdir():
            if folder.is_dir():
                shutil.copytree(folder, tmp_path / "out" / "nightly" / folder.name)
    nightly = run(readme_line(NIGHTLY_DIFF, folders))
    assert nightly.returncode == 0, nightly.stdout + nightly.stderr
    assert nightly.stdout.strip().endswith("No changes."), nightly.stdout
    assert "(the latest of 2 runs)" in nightly.stderr
    assert run(readme_line(KEEP, folders)).returncode == 0
    assert run(readme_line(KEEP_LAST, folders)).returncode == 0
    kept = [path for path in (tmp_path / "out" / "nightly").iterdir() if path.is_dir()]
    assert len(kept) == 3


CLIENT_TEST = """
import os, requests

def test_lists_campaigns(campaigns_tenant):
    base = os.environ["SAIL_BASE_URL"]
    headers = {"Authorization": "Bearer " + campaigns_tenant.token()}
    assert requests.get(base + "/v3/campaigns", headers=headers).status_code == 200
"""


def test_gating_a_client_on_what_a_tenant_run_taught(emulator, tmp_path):
    """A tenant run, the profile it teaches, the emulator and the plugin `--like` it, and the
    plain gate, for a client's tests in a folder of their own."""
    folders = {TENANT: emulator, "reports/out/": f"{tmp_path}/"}
    learn = run(
        readme_line(ACME, folders) + " -k vendor_drift -p no:cacheprovider -q --rate-limit off",
        env=GUEST_CREDENTIALS,
    )
    assert learn.returncode == 0, learn.stdout[-3000:] + learn.stderr[-3000:]
    client = tmp_path / "client"
    client.mkdir()
    (client / "test_client.py").write_text(CLIENT_TEST)
    env = {"PYTHONPATH": str(REPO)}  # the plugin's emulator imports the code under test
    gates = (readme_line(PLUGIN_LIKE, folders), readme_line("pytest --campaigns-gate"))
    like = readme_line(LIKE, folders).replace(" --like", " --port 0 --like")
    with ThreadPoolExecutor(max_workers=4) as pool:  # side by side: each reads the learned run
        profiled = pool.submit(run, readme_line(PROFILE, folders))
        served_like = pool.submit(first_line_of, like)
        gated = [pool.submit(run, line + " -q -p no:cacheprovider", client, env) for line in gates]
    profile, first = profiled.result(), served_like.result()
    assert profile.returncode == 0 and profile.stdout.startswith("Profile learned-"), profile
    assert first.startswith(READY), first
    for result in (future.result() for future in gated):
        assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout[-2000:]


def test_emulator_with_its_defaults(tmp_path):
    first = first_line_of(readme_line("campaigns-emulator"))
    if first == "emulator: error: [Errno 98] Address already in use":
        return  # another program holds the default port: one line, no traceback
    assert first == f"{READY}http://127.0.0.1:8080", first


def test_emulator_with_a_database(tmp_path):
    command = "campaigns-emulator --port 0 --db tenant.sqlite3 --rate-limit 100/10s --token-ttl 300"
    first = first_line_of(readme_line(command), tmp_path, {"PYTHONPATH": str(REPO)})
    assert re.fullmatch(re.escape(READY) + r"http://127\.0\.0\.1:\d+", first), first
    assert (tmp_path / "tenant.sqlite3").exists()


def test_the_installed_package_runs_outside_the_checkout(tmp_path):
    """`python -m emulator` and `python -m conformance` work from any folder in an environment
    the package is installed in (tox's), not only from the checkout."""
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
    emulator = readme_line("python -m emulator")
    assert first_line_of(f"{emulator} --port 0", tmp_path, env).startswith(READY)
    conformance = readme_line("python -m conformance")
    helped = subprocess.run(
        ["sh", "-c", f"{conformance} --help"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert helped.returncode == 0, helped.stderr
    assert "campaigns-conformance run" in helped.stdout  # the same command, with its example


def test_benchmark_runs(tmp_path):
    result = run(
        readme_line("python benchmarks/emulator_throughput.py")
        # Short workloads: the point is that the README's command runs and prints its table.
        + " --duration 0.3 --warmup 0.1 --connections 2 --generator python"
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert re.search(r"^single +GET /v3/campaigns/\{id\} +python +2 +\d+", result.stdout, re.M), (
        result.stdout
    )


def client_script(tmp_path: Path) -> None:
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


def test_serve_gate_example(tmp_path):
    client_script(tmp_path)
    command = "campaigns-emulator serve --port 0 --fail-on-violations -- ./run-my-client-tests.sh"
    result = run(readme_line(command), tmp_path, {"PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "client got 200" in result.stdout
    assert "gate: 0 contract violation(s), 0 warning(s); command exited 0" in result.stderr


def test_gating_a_client_through_the_proxy(tmp_path, emulator):
    client_script(tmp_path)
    result = run(readme_line(PROXY_GATE, {TENANT: emulator}), tmp_path, CLIENT_CREDENTIALS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "client got 200" in result.stdout
    assert "proxy: 2 exchange(s), 0 contract violation(s), 0 warning(s); command exited 0" in (
        result.stderr
    )
    assert list((tmp_path / "reports" / "out").glob("observation-*/traffic.har"))


def test_watching_a_tenant_through_the_proxy(tmp_path, emulator):
    line = readme_line(WATCH, {TENANT: emulator, "8090": "0", "reports/out/watch": "watch"})
    process = subprocess.Popen(
        ["sh", "-c", f"exec {line}"], cwd=tmp_path, stdout=subprocess.PIPE, text=True
    )
    try:
        proxy_url = process.stdout.readline().removeprefix(PROXY_READY)
        token = requests.post(
            f"{proxy_url.split()[0]}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "conformance",
                "client_secret": "conformance-secret",
            },
            timeout=10,
        )
        assert token.status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0
    [folder] = (tmp_path / "watch").iterdir()
    assert (folder / "results.json").exists() and (folder / "traffic.har").exists()


def test_proxy_benchmark_runs():
    # The smallest run that measures each figure once: the test holds that it runs and prints
    # them, not what they are.
    small = " --duration 0.1 --rounds 1 --warmup 0.1"
    result = run(readme_line("python benchmarks/proxy_overhead.py") + small)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert re.search(r"^latency \(1 connection, median\): direct [\d.]+ ms", result.stdout, re.M)
