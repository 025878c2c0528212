"""A server that answers inconsistently is reported as such (which requests, which answers),
never as a hypothesis Flaky traceback."""

from __future__ import annotations

import re
from pathlib import Path

import requests

from conformance.plugins.flaky_server import Answer, inconsistent_answers
from tests.harness import CLIENT_CREDENTIALS, run_suite, served_in_thread

pytest_plugins = ["pytester"]
HYPOTHESIS_INTERNALS = (
    "FlakyStrategyDefinition",
    "FlakyFailure",
    "Inconsistent data generation",
    "Inconsistent results from replaying",
)


def run_state_machines(base_url: str, report_dir: Path) -> str:
    """The three state machines against `base_url`, forked from a warm Python (the same run;
    `--assert=plain`, as the imports it shares were not rewritten): their output."""
    machines = [
        "conformance/test_campaign_lifecycle.py::test_campaign_lifecycle",
        "conformance/test_template_lifecycle.py::test_template_lifecycle",
        "conformance/test_openapi_conformance.py::test_stateful_links",
    ]
    options = ["--target", base_url, "--profile", "ci", "--rate-limit", "off"]
    run = run_suite(
        *machines,
        *("-q", "-p", "no:cacheprovider", "--assert=plain", *options),
        report_dir=report_dir,
        env=CLIENT_CREDENTIALS,
        timeout=300,
        warm=True,
    )
    return run.output


def test_an_emulator_failing_one_request_in_five_is_reported_as_inconsistent(tmp_path):
    with served_in_thread("--transition-delay", "0.05") as base_url:
        faults = f"{base_url}/emulator/tenants/default/faults"
        requests.put(faults, json={"errorRate": 0.2, "errorStatus": 500}, timeout=10)
        # Whether a replay differs is up to chance; a few runs make it certain in practice.
        outputs = []
        for attempt in range(4):
            outputs.append(run_state_machines(base_url, tmp_path / f"reports-{attempt}"))
            if "the server answered inconsistently" in outputs[-1]:
                break
    for output in outputs:
        for internal in HYPOTHESIS_INTERNALS:
            assert internal not in output, output[-4000:]
    output = outputs[-1]
    assert "the server answered inconsistently" in output, output[-4000:]
    report = output[output.index("the server answered inconsistently") :]
    assert re.search(r"\n  (GET|POST|PUT|PATCH|DELETE) /v3/\S+ answered .*500 \(", report), report
    assert "  the failure being replayed: " in report


# A test whose replay failed differently: hypothesis' FlakyFailure holding the same failure
# twice, which schemathesis' own pytest plugin rewrites (it deduplicates group members).
FLAKY_TEST = """
from hypothesis.errors import FlakyFailure


def fail():
    raise AssertionError("getCampaign failed: 500")


def test_replayed():
    failures = []
    for _ in range(2):
        try:
            fail()
        except AssertionError as error:
            failures.append(error)
    raise FlakyFailure("Inconsistent results from replaying a test case!", failures)
"""


def test_the_explanation_survives_schemathesis_rewriting_the_report(pytester):
    pytester.makepyfile(test_flaky=FLAKY_TEST)
    result = pytester.runpytest_inprocess(
        "-p", "conformance.plugins.flaky_server", "-p", "schemathesis"
    )
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "conformance: the server answered inconsistently" in output, output
    assert "the failure being replayed: AssertionError: getCampaign failed: 500" in output
    for internal in HYPOTHESIS_INTERNALS:
        assert internal not in output, output


def answer(method: str, url: str, status: int, template: str = "") -> Answer:
    return Answer(method, template or url, f"http://h{url}", "", status, "")


def test_the_same_request_answered_differently_comes_first_server_errors_before_others():
    log = [
        answer("GET", "/v3/campaigns/a", 200, "/v3/campaigns/{id}"),
        answer("GET", "/v3/campaigns/a", 404, "/v3/campaigns/{id}"),  # deleted between: legal
        answer("POST", "/v3/campaigns", 200),
        answer("POST", "/v3/campaigns", 500),
        answer("PATCH", "/v3/campaigns/b", 200, "/v3/campaigns/{id}"),
        answer("PATCH", "/v3/campaigns/c", 500, "/v3/campaigns/{id}"),
        answer("GET", "/v3/campaign-templates", 200),
    ]
    found = inconsistent_answers(log)
    assert [key for key, _ in found] == [
        ("POST", "/v3/campaigns"),
        ("PATCH", "/v3/campaigns/{id}"),
        ("GET", "/v3/campaigns/a"),
    ]
    assert [a.status for a in found[0][1]] == [200, 500]
