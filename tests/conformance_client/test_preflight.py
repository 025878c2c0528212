"""Before a `--target` run: every way a target can be unusable gives one line naming the cause
and the fix, within 15 s; a usable target passes.

`preflight.check` is a pure function of the URL and the environment: each case calls it here,
in-process, against a loopback server. One case runs `pytest conformance --target URL` as a
user would, for what the suite adds: exit code 6, that one line and nothing else, no secret.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import trustme

from conformance.targets import preflight
from conformance.targets.preflight import EXIT_TARGET_UNUSABLE
from tests.conformance_client.loopback_servers import (
    answering,
    closed_port,
    oauth_token,
    silent,
)
from tests.harness import CLIENT_CREDENTIALS as CREDENTIALS
from tests.harness import REPO, run_warm, served_in_thread

BOUND_SECONDS = 15


def refusal(
    target: str | None, budget_seconds: float = preflight.BUDGET_SECONDS, **environ: str
) -> str:
    """What the preflight says of `target` with only `environ` set (the SAIL_* variables and
    the CA bundle), checked to be one line said within the bound."""
    started = time.monotonic()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):  # requests reads these itself
            patch.delenv(name, raising=False)
            if name in environ:
                patch.setenv(name, environ[name])
        with pytest.raises(preflight.TargetUnusable) as refused:
            preflight.check(target, environ, budget_seconds=budget_seconds)
    elapsed = time.monotonic() - started
    said = str(refused.value)
    assert elapsed < BOUND_SECONDS, f"the preflight took {elapsed:.1f}s: {said}"
    assert "\n" not in said and CREDENTIALS["SAIL_CLIENT_SECRET"] not in said, said
    return said


def assert_says(said: str, *expected: str) -> None:
    for text in expected:
        assert text in said, said


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    with served_in_thread("--client", "helpdesk:helpdesk-secret:HELPDESK") as base_url:
        yield base_url


def test_the_suite_ends_before_collecting_with_one_line_and_exit_6(emulator, tmp_path):
    """The whole suite as a process: the preflight's line is all it prints, and no secret."""
    wrong = {"SAIL_CLIENT_ID": "conformance", "SAIL_CLIENT_SECRET": "not-the-secret"}
    with pytest.MonkeyPatch.context() as patch:  # no SAIL_* of this process's reaches it
        for name in [name for name in os.environ if name.startswith("SAIL_")]:
            patch.delenv(name)
        # Forked from a warm Python (the same run; `--assert=plain`, as the imports it shares
        # were not rewritten).
        command = ["-m", "pytest", "conformance", "-q", "-p", "no:cacheprovider", "--assert=plain"]
        run = run_warm(
            [*command, f"--target={emulator}", "--report-dir", str(tmp_path)],
            env=wrong,
            timeout=120,
        )
    output = run.stdout + run.stderr
    assert run.returncode == EXIT_TARGET_UNUSABLE, output[-3000:]
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines == [f"Exit: conformance: {refusal(emulator, **wrong)}"], output
    assert "Traceback" not in output and "not-the-secret" not in output


def test_nothing_listening():
    said = refusal(f"http://127.0.0.1:{closed_port()}", **CREDENTIALS)
    assert_says(said, "connection refused", "check --target")


def test_host_that_does_not_resolve():
    said = refusal("https://no-such-tenant.invalid", **CREDENTIALS)
    assert_says(said, "cannot resolve 'no-such-tenant.invalid'", "tenant name")


def test_server_that_accepts_and_never_answers():
    # The wait is the preflight's budget, whatever it is: a short one shows the same give-up
    # without waiting out the default, which is held to the promised bound on its own.
    assert preflight.BUDGET_SECONDS < BOUND_SECONDS
    with silent() as url:
        said = refusal(url, budget_seconds=1, **CREDENTIALS)
    assert_says(said, "did not answer in time", "check --target")


def test_tls_certificate_not_trusted_then_trusted_with_the_ca_bundle(tmp_path):
    authority = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with answering({}, tls=context) as url:
        said = refusal(url, **CREDENTIALS)
        assert_says(said, "TLS verification of 127.0.0.1", "REQUESTS_CA_BUNDLE")
        # With the CA trusted, the handshake passes and the next problem is named instead.
        bundle = tmp_path / "ca.pem"
        authority.cert_pem.write_to_path(str(bundle))
        said = refusal(url, REQUESTS_CA_BUNDLE=str(bundle), **CREDENTIALS)
        assert_says(said, "is not an OAuth token endpoint (HTTP 404, text/html)")


def test_web_server_that_is_not_this_api():
    with answering({}) as url:
        said = refusal(url, **CREDENTIALS)
    assert_says(said, f"{url}/oauth/token is not an OAuth token endpoint", "API base URL")


@pytest.mark.parametrize(
    "answer",
    [
        (501, "text/html", "<html><body>Unsupported method ('POST')</body></html>"),
        (405, "text/html", "<html><body>Method Not Allowed</body></html>"),
        (503, "text/html", "<html><body>Service Unavailable</body></html>"),
        (200, "text/html", "<html><body>Welcome</body></html>"),
    ],
)
def test_a_static_web_server_is_not_an_oauth_token_endpoint(answer):
    """What a static web server (or a proxy's error page) answers a POST: never 'the server
    is in trouble', always the hint that --target is the API base URL."""
    with answering({"/oauth/token": answer}) as url:
        said = refusal(url, **CREDENTIALS)
    kind = f"HTTP {answer[0]}, text/html"
    assert_says(said, f"{url}/oauth/token is not an OAuth token endpoint ({kind})", "API base URL")
    assert "in trouble" not in said


def test_a_json_5xx_is_a_server_in_trouble():
    with answering({"/oauth/token": (502, "application/json", "{}")}) as url:
        said = refusal(url, **CREDENTIALS)
    assert_says(said, "failed (HTTP 502, application/json): the server is in trouble")


def test_token_endpoint_without_the_campaigns_api():
    with answering({"/oauth/token": oauth_token()}) as url:
        said = refusal(url + "/v3", **CREDENTIALS)
    assert_says(said, "is not the Certification Campaigns v3 API", "HTTP 404, text/html")


def test_wrong_client_secret(emulator):
    said = refusal(emulator, SAIL_CLIENT_ID="conformance", SAIL_CLIENT_SECRET="not-the-secret")
    fix = "check SAIL_CLIENT_ID and SAIL_CLIENT_SECRET"
    assert_says(said, "refused the client credentials (HTTP 401", fix)
    assert "not-the-secret" not in said


def test_client_without_the_authority(emulator):
    said = refusal(emulator, SAIL_CLIENT_ID="helpdesk", SAIL_CLIENT_SECRET="helpdesk-secret")
    assert_says(said, "'helpdesk' may not list campaigns", "ORG_ADMIN or CERT_ADMIN")


@pytest.mark.parametrize(
    "missing", [("SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"), ("SAIL_CLIENT_SECRET",)]
)
def test_credentials_not_set(emulator, missing):
    given = {k: v for k, v in CREDENTIALS.items() if k not in missing}
    assert_says(refusal(emulator, **given), f"{' and '.join(missing)} not set", "export")


def test_tenant_env_without_a_base_url():
    """`tox -e tenant` with SAIL_BASE_URL unset runs `pytest conformance --target=`."""
    said = refusal("", **CREDENTIALS)
    assert_says(said, "no target URL", "SAIL_BASE_URL=", "--target URL")


def test_not_an_http_url():
    said = refusal("acme.api.identitynow.com", **CREDENTIALS)
    assert_says(said, "must be an http(s) URL", "https://TENANT.api.identitynow.com")


def test_a_usable_target_passes_preflight(emulator):
    """The same check lets a working target through, normalised: no trailing / or /v3."""
    for given in (emulator, emulator + "/", emulator + "/v3"):
        assert preflight.check(given, CREDENTIALS).base_url == emulator


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
