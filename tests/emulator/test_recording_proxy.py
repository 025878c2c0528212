"""`python -m emulator proxy`: between a client and an upstream, transparent, judging both ways.

End to end: the proxy between the vendor-SDK example client (plus a client with a mistake) and
(a) an emulator answering as the documents say, (b) one drifted from them (createCampaign
answering 202 as the published description does, undocumented members as the learned-profile
tests add them). The findings say whose they are; the run folder is written with the reports'
writers, and `emulator --like` on the proxy's results.json reproduces the drift."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import uvicorn

from emulator import EmulatorConfig, create_app
from reports import load_results
from reports.diff import compare_runs
from tests.harness import CLIENT_CREDENTIALS, REPO, run_warm, served_in_thread, served_warm

pytest.importorskip("sailpoint.v3", reason="the example client uses the vendor SDK (extra 'sdk')")

DRIFTED = (str(REPO / "tests" / "learned_profiles" / "drift_emulator.py"),)
EXAMPLES = REPO / "examples"
# The SDK example closes overdue campaigns (it lists them through the SDK); the other client
# creates a campaign with a misspelt member.
SDK_CLIENT = f"{sys.executable} -c 'import campaign_closer; print(campaign_closer.close_overdue())'"
MISSPELT = f"{sys.executable} {EXAMPLES / 'client_mistakes' / 'client.py'} misspelt-member"
CLIENTS = f"{SDK_CLIENT} && {MISSPELT}"
# A token, then the campaign list, on plain requests: for the tests whose point is the proxy's
# side (TLS, what two observations compare), not the SDK's (whose import alone takes 2 s).
LIST_ONCE_SCRIPT = (
    "import os, requests\n"
    "base = os.environ['SAIL_BASE_URL']\n"
    "form = {'grant_type': 'client_credentials', 'client_id': os.environ['SAIL_CLIENT_ID'],\n"
    "        'client_secret': os.environ['SAIL_CLIENT_SECRET']}\n"
    "token = requests.post(base + '/oauth/token', data=form).json().get('access_token', '')\n"
    "print(requests.get(base + '/v3/campaigns', headers={'Authorization': 'Bearer ' + token}))\n"
)
LIST_ONCE = f'{sys.executable} -c "{LIST_ONCE_SCRIPT}"'


def proxy(upstream: str, report_dir: Path, *options: str, command: str = CLIENTS):
    """`python -m emulator proxy --upstream UPSTREAM --report-dir DIR OPTIONS -- sh -c COMMAND`,
    forked from a warm Python (the same command line, its imports paid once)."""
    env = {
        **CLIENT_CREDENTIALS,
        "PYTHONPATH": os.pathsep.join([str(EXAMPLES / "campaign_closer"), str(REPO)]),
    }
    options = ("--upstream", upstream, "--report-dir", str(report_dir), *options)
    return run_warm(
        ["-m", "emulator", "proxy", *options, "--", "sh", "-c", command], env=env, timeout=120
    )


def run_folder(report_dir: Path) -> Path:
    [folder] = report_dir.iterdir()
    return folder


def test_between_the_sdk_client_and_an_emulator_only_the_client_is_at_fault(tmp_path):
    with served_in_thread("--answers", "documented", "--transition-delay", "0") as url:
        result = proxy(url, tmp_path, "--fail-on-violations")
    assert result.returncode == 1, result.stderr
    assert (
        "violation: createCampaign POST /v3/campaigns -> 200: client: emailNotificationsEnabled "
        "is not a member createCampaign declares (a tenant ignores it); did you mean "
        "emailNotificationEnabled? (1 time; member emailNotificationsEnabled)"
    ) in result.stderr
    assert "tenant:" not in result.stderr, result.stderr
    folder = run_folder(tmp_path)
    assert {p.name for p in folder.iterdir()} == {
        "results.json",
        "report.html",
        "junit.xml",
        "traffic.har",
    }
    run = load_results(folder / "results.json")
    assert run.metadata.hypothesis_profile == "passive-observation"
    assert {(r.operation_id, r.check) for r in run.records} >= {
        ("getActiveCampaigns", "response_schema_conformance"),
        ("createCampaign", "status_code_conformance"),
    }
    assert all(r.outcome == "pass" for r in run.records)
    har = json.loads((folder / "traffic.har").read_text())["log"]
    assert har["version"] == "1.2" and len(har["entries"]) == run.metadata.request_count
    everything = "".join(p.read_text() for p in folder.iterdir())
    assert CLIENT_CREDENTIALS["SAIL_CLIENT_SECRET"] not in everything
    assert "eyJ" not in everything, "no token (a JWT) in any file"


def test_a_drifted_upstream_is_the_tenant_at_fault_and_like_reproduces_it(tmp_path):
    drifted = served_warm(
        "--answers", "published", "--transition-delay", "0", program=DRIFTED, log=tmp_path / "up"
    )
    with drifted as url:
        result = proxy(url, tmp_path / "drifted", "--redact-values")
    assert result.returncode == 0, "without --fail-on-violations, the command's code"
    assert "client: emailNotificationsEnabled" in result.stderr
    assert (
        "warning: createCampaign POST /v3/campaigns -> 202: tenant: createCampaign: status 202 "
        "is not documented (documented: 200, "
    ) in result.stderr
    assert "the vendor's published description allows it: known drift" in result.stderr
    assert "tenant: createCampaign 202 has undeclared members: lastEditor, revision" in (
        result.stderr
    )
    folder = run_folder(tmp_path / "drifted")
    everything = "".join(p.read_text() for p in folder.iterdir())
    assert "Ada Foreign-Lovelace" not in everything and "foreign-tenant" not in everything
    shown = run_warm(["-m", "reports", "profile", str(folder / "results.json")], timeout=60)
    assert "answer createCampaign with 202 instead of 200" in shown.stdout, shown.stdout
    learned = ("--like", str(folder / "results.json"), "--transition-delay", "0")
    with served_in_thread(*learned) as like:
        token = requests.post(
            f"{like}/oauth/token",
            data={"grant_type": "client_credentials", **_credentials()},
            timeout=10,
        ).json()["access_token"]
        created = requests.post(
            f"{like}/v3/campaigns",
            json={"name": "n", "description": "d", "type": "MANAGER"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
    assert created.status_code == 202
    assert {"revision", "lastEditor"} <= created.json().keys()


def test_two_observations_compare_only_what_both_observed(tmp_path):
    with served_in_thread("--answers", "documented", "--transition-delay", "0") as url:
        before = proxy(url, tmp_path / "before", command=MISSPELT)
        after = proxy(url, tmp_path / "after", command=f"{LIST_ONCE} && {MISSPELT}")
    assert before.returncode == after.returncode == 0
    runs = [
        load_results(run_folder(tmp_path / side) / "results.json") for side in ("before", "after")
    ]
    diff = compare_runs(runs[0], runs[1])
    assert not diff.regressed
    assert "getActiveCampaigns" in diff.not_compared, "observed after only: not compared"


def test_an_unreachable_upstream_is_a_502_in_the_documented_shape_reported_once(tmp_path):
    client = (
        "import os, requests\n"
        "for _ in range(3):\n"
        "    answer = requests.get(os.environ['SAIL_BASE_URL'] + '/v3/campaigns')\n"
        "    print(answer.status_code, answer.json()['detailCode'])\n"
    )
    result = proxy(
        "http://127.0.0.1:9",
        tmp_path,
        "--fail-on-violations",
        command=f'{sys.executable} -c "{client}"',
    )
    assert result.stdout.splitlines()[-3:] == ["502 502 Bad Gateway"] * 3
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "could not be reached" in line]
    assert len(lines) == 1 and "(3 times" in lines[0], result.stderr


def test_a_bad_upstream_url_is_one_line_and_exit_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "emulator", "proxy", "--upstream", "acme"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "emulator proxy: error: --upstream must be an http(s) URL, not 'acme'"
    ]


def _credentials() -> dict[str, str]:
    return {
        "client_id": CLIENT_CREDENTIALS["SAIL_CLIENT_ID"],
        "client_secret": CLIENT_CREDENTIALS["SAIL_CLIENT_SECRET"],
    }


@contextmanager
def https_emulator(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An emulator served over TLS with a certificate of a throwaway CA; (URL, the CA file)."""
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    key_and_chain, ca_file = tmp_path / "server.pem", tmp_path / "ca.pem"
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(key_and_chain))
    ca.cert_pem.write_to_path(str(ca_file))
    config = uvicorn.Config(
        create_app(EmulatorConfig(transition_delay=0)),
        log_level="warning",
        ssl_certfile=str(key_and_chain),
    )
    server = uvicorn.Server(config)
    sock = socket.create_server(("127.0.0.1", 0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.01)
    try:
        yield f"https://127.0.0.1:{sock.getsockname()[1]}", ca_file
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_tls_is_verified_against_requests_ca_bundle(tmp_path, monkeypatch):
    with https_emulator(tmp_path) as (url, ca_file):
        untrusted = proxy(url, tmp_path / "untrusted", "--fail-on-violations", command=LIST_ONCE)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))
        trusted = proxy(url, tmp_path / "trusted", "--fail-on-violations", command=LIST_ONCE)
    assert untrusted.returncode == 1
    assert "tenant: the upstream could not be reached: SSLCertVerificationError" in (
        untrusted.stderr
    )
    assert trusted.returncode == 0, trusted.stderr
    assert "proxy: 2 exchange(s), 0 contract violation(s)" in trusted.stderr


def test_a_report_folder_that_cannot_be_written_is_one_line_and_exit_1(tmp_path):
    (tmp_path / "a-file").write_text("")
    result = proxy("http://127.0.0.1:9", tmp_path / "a-file", command="true")
    assert result.returncode == 1
    assert "proxy: error: cannot write the run folder: [Errno 20] Not a directory" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_the_answer_carries_the_upstreams_date_and_server_headers_only(tmp_path):
    """The proxy's own server adds no Date or Server header beside the upstream's."""
    client = (
        "import os, requests\n"
        "answer = requests.get(os.environ['SAIL_BASE_URL'] + '/v3/campaigns')\n"
        "print(answer.status_code, answer.headers['server'], answer.headers['date'].count('GMT'))\n"
    )
    with served_in_thread("--transition-delay", "0") as url:
        result = proxy(url, tmp_path, command=f'{sys.executable} -c "{client}"')
    assert result.stdout.splitlines()[-1] == "401 uvicorn 1", result.stdout + result.stderr
