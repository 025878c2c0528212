"""Before a `--target` run: every way a target can be unusable gives one line naming the cause
and the fix, exit code 6, within 15 s, and no traceback; a usable target passes.

Each case runs `pytest conformance --target URL` as a user would, against a loopback server,
and times the preflight itself in-process: the subprocess's wall time also holds pytest's
start-up, which on a loaded CI machine says nothing about the preflight.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from conformance import preflight
from conformance.preflight import EXIT_TARGET_UNUSABLE
from emulator.process import start_emulator
from tests.conformance_client.loopback_servers import (
    answering,
    closed_port,
    oauth_token,
    silent,
)

REPO = Path(__file__).resolve().parents[2]
CREDENTIALS = {"SAIL_CLIENT_ID": "conformance", "SAIL_CLIENT_SECRET": "conformance-secret"}
BOUND_SECONDS = 15


@dataclass
class Outcome:
    run: subprocess.CompletedProcess  # `pytest conformance --target URL`
    preflight_seconds: float  # the same preflight, in-process
    preflight_says: str


def run_against(target: str | None, *args: str, **environ: str) -> Outcome:
    """The suite run as a subprocess, and meanwhile the preflight alone, in-process (both wait
    on the same slow target at once instead of one after the other)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAIL_", "REQUESTS_CA"))}
    env.update(environ)
    target_args = [] if target is None else [f"--target={target}"]
    reports = tempfile.mkdtemp(prefix="cc-preflight-")
    command = [sys.executable, "-m", "pytest", "conformance", "-q", "-p", "no:cacheprovider"]
    with subprocess.Popen(
        [*command, *target_args, "--report-dir", reports, *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            says, elapsed = preflight_in_process(target, env)
            stdout, stderr = process.communicate(timeout=120)
        except BaseException:
            process.kill()
            raise
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    return Outcome(result, elapsed, says)


def preflight_in_process(target: str | None, env: dict[str, str]) -> tuple[str, float]:
    """What the preflight says of `target` with `env` ("" when it passes), and its seconds."""
    started = time.monotonic()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):  # requests reads these itself
            patch.delenv(name, raising=False)
            if name in env:
                patch.setenv(name, env[name])
        try:
            preflight.check(target, env)
            says = ""
        except preflight.TargetUnusable as error:
            says = str(error)
    return says, time.monotonic() - started


def assert_one_line(outcome: Outcome, *expected: str) -> str:
    """Exit 6, nothing on stdout, one line on stderr containing every `expected` text."""
    result, elapsed = outcome.run, outcome.preflight_seconds
    output = result.stdout + result.stderr
    assert result.returncode == EXIT_TARGET_UNUSABLE, output[-3000:]
    assert elapsed < BOUND_SECONDS, f"the preflight took {elapsed:.1f}s: {output[-500:]}"
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines == [f"Exit: conformance: {outcome.preflight_says}"], output
    assert "Traceback" not in output
    for text in expected:
        assert text in lines[0], lines[0]
    assert "conformance-secret" not in output
    return lines[0]


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    server = start_emulator("--client", "helpdesk:helpdesk-secret:HELPDESK", cwd=REPO)
    yield server.base_url
    server.stop()


def test_nothing_listening():
    outcome = run_against(f"http://127.0.0.1:{closed_port()}", **CREDENTIALS)
    assert_one_line(outcome, "connection refused", "check --target")


def test_host_that_does_not_resolve():
    outcome = run_against("https://no-such-tenant.invalid", **CREDENTIALS)
    assert_one_line(outcome, "cannot resolve 'no-such-tenant.invalid'", "tenant name")


def test_server_that_accepts_and_never_answers():
    with silent() as url:
        outcome = run_against(url, **CREDENTIALS)
    assert_one_line(outcome, "did not answer in time", "check --target")


def test_tls_certificate_not_trusted_then_trusted_with_the_ca_bundle(tmp_path):
    authority = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with answering({}, tls=context) as url:
        outcome = run_against(url, **CREDENTIALS)
        assert_one_line(outcome, "TLS verification of 127.0.0.1", "REQUESTS_CA_BUNDLE")
        # With the CA trusted, the handshake passes and the next problem is named instead.
        bundle = tmp_path / "ca.pem"
        authority.cert_pem.write_to_path(str(bundle))
        outcome = run_against(url, REQUESTS_CA_BUNDLE=str(bundle), **CREDENTIALS)
        assert_one_line(outcome, "is not an OAuth token endpoint (HTTP 404, text/html)")


def test_web_server_that_is_not_this_api():
    with answering({}) as url:
        outcome = run_against(url, **CREDENTIALS)
    assert_one_line(outcome, f"{url}/oauth/token is not an OAuth token endpoint", "API base URL")


def test_token_endpoint_without_the_campaigns_api():
    with answering({"/oauth/token": oauth_token()}) as url:
        outcome = run_against(url + "/v3", **CREDENTIALS)
    assert_one_line(outcome, "is not the Certification Campaigns v3 API", "HTTP 404, text/html")


def test_wrong_client_secret(emulator):
    outcome = run_against(
        emulator, SAIL_CLIENT_ID="conformance", SAIL_CLIENT_SECRET="not-the-secret"
    )
    line = assert_one_line(
        outcome,
        "refused the client credentials (HTTP 401",
        "check SAIL_CLIENT_ID and SAIL_CLIENT_SECRET",
    )
    assert "not-the-secret" not in line


def test_client_without_the_authority(emulator):
    outcome = run_against(emulator, SAIL_CLIENT_ID="helpdesk", SAIL_CLIENT_SECRET="helpdesk-secret")
    assert_one_line(outcome, "'helpdesk' may not list campaigns", "ORG_ADMIN or CERT_ADMIN")


@pytest.mark.parametrize(
    "missing", [("SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"), ("SAIL_CLIENT_SECRET",)]
)
def test_credentials_not_set(emulator, missing):
    given = {k: v for k, v in CREDENTIALS.items() if k not in missing}
    outcome = run_against(emulator, **given)
    assert_one_line(outcome, f"{' and '.join(missing)} not set", "export")


def test_tenant_env_without_a_base_url():
    """`tox -e tenant` with SAIL_BASE_URL unset runs `pytest conformance --target=`."""
    outcome = run_against("", **CREDENTIALS)
    assert_one_line(outcome, "no target URL", "SAIL_BASE_URL=", "--target URL")


def test_not_an_http_url():
    outcome = run_against("acme.api.identitynow.com", **CREDENTIALS)
    assert_one_line(outcome, "must be an http(s) URL", "https://TENANT.api.identitynow.com")


def test_a_usable_target_passes_preflight(emulator):
    """The same check lets a working target through: the run starts (collect only)."""
    outcome = run_against(emulator, "--collect-only", **CREDENTIALS)
    result = outcome.run
    assert outcome.preflight_says == ""
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "test_operation_honours_the_spec" in result.stdout


def test_cleanup_command_checks_the_target_the_same_way():
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SAIL_")}, **CREDENTIALS}
    target = f"http://127.0.0.1:{closed_port()}"
    result = subprocess.run(
        [sys.executable, "-m", "conformance", "cleanup", "--dry-run", "--target", target],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("conformance: error: nothing answers at 127.0.0.1:")
    assert len(result.stderr.splitlines()) == 1, result.stderr


def in_process(url: str) -> str:
    with pytest.raises(preflight.TargetUnusable) as refused:
        preflight.check(url, CREDENTIALS)
    return str(refused.value)


def test_a_redirect_is_named_not_followed():
    moved = (301, "text/html", "", {"Location": "https://acme.api.identitynow.com/oauth/token"})
    with answering({"/oauth/token": moved}) as url:
        said = in_process(url)
    assert said.startswith(f"{url}/oauth/token redirects (HTTP 301) to https://acme.api."), said


@pytest.mark.parametrize("where", ["/oauth/token", "/v3/campaigns"])
def test_rate_limited_token_endpoint_says_wait_and_a_rate_limited_list_passes(where):
    routes = {"/oauth/token": oauth_token(), "/v3/campaigns": (200, "application/json", "[]")}
    routes[where] = (429, "application/json", "{}", {"Retry-After": "7"})
    with answering(routes) as url:
        if where == "/oauth/token":
            assert "rate-limiting this client (HTTP 429, Retry-After 7): wait" in in_process(url)
        else:
            assert preflight.check(url, CREDENTIALS).base_url == url  # there: run, throttled
