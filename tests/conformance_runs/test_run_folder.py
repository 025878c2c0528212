"""Every conformance run writes its folder (JUnit, results.json, report.html) without extra
flags; the files count every outcome exactly as pytest's summary line does, and none of them
shows a secret the suite held during the run (its client secret, the tokens it fetched)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from emulator.control_client import ControlClient
from reports.results_json import load_results
from tests.conformance_runs.recording_proxy import RecordingProxy
from tests.harness import WHOLE_SUITE, run_suite, served_in_thread

SECRET = "s3cr3t-never-printed-7f1c"
TENANT = "faulty"


def test_a_run_against_a_server_injecting_500s_counts_what_pytest_counts(tmp_path):
    # The emulator is served by a thread here: the test is about the run's files.
    client = f"reporter:{SECRET}:ORG_ADMIN:{TENANT}"
    with served_in_thread("--client", client, "--transition-delay", "0") as emulator:
        proxy = RecordingProxy(emulator)

        def inject_faults() -> None:  # after the preflight, which would stop a failing target
            ControlClient(emulator).tenant(TENANT).faults(error_rate=0.5, error_status=500)

        proxy.on_first("GET", "/v3/campaigns?limit=1", inject_faults)
        with proxy.serving():
            run = run_suite(
                *WHOLE_SUITE,
                *("--target", proxy.base_url, "--rate-limit", "off"),
                *("-k", "unknown_ids or 401 or collections or walkthrough"),
                report_dir=tmp_path,
                env={"SAIL_CLIENT_ID": "reporter", "SAIL_CLIENT_SECRET": SECRET},
            )
    counts = run.pytest_counts()
    # Half the answers are 500s: tests fail, and fixtures that create objects error.
    assert counts["failed"] > 0 and counts["error"] > 0, run.output[-3000:]
    assert f"report written to {run.folder}" in run.process.stdout

    junit = ET.parse(run.folder / "junit.xml").getroot()
    assert int(junit.get("failures")) == counts["failed"]
    assert int(junit.get("errors")) == counts["error"]
    assert int(junit.get("skipped")) == counts["skipped"] + counts["xfailed"]
    assert len(junit.findall("testsuite/error")) == 0
    assert len(junit.findall("testsuite/testcase/error")) == counts["error"]

    result = load_results(run.folder / "results.json")
    assert result.test_counts() == counts
    assert all(t.message for t in result.tests if t.outcome in ("failed", "error", "skipped"))
    assert result.metadata.target_kind == "emulator" and result.metadata.request_count > 0
    assert any(r.outcome == "error" for r in result.rule_records())
    seen = result.status_codes_seen()
    assert any(500 in codes for codes in seen.values())

    html = (run.folder / "report.html").read_text(encoding="utf-8")
    header = re.search(r"pytest counted:</strong> ([^<(]*)", html).group(1)
    assert f"{counts['failed']} failed" in header and f"{counts['error']} errors" in header

    # The secrets of this very run: the client secret and every token the suite fetched.
    assert proxy.tokens, "the suite sent no bearer token through the proxy"
    texts = {p.name: p.read_text(encoding="utf-8") for p in run.folder.iterdir()}
    texts["console"] = run.output
    for name, text in texts.items():
        assert SECRET not in text, name
        for token in proxy.tokens:
            assert token not in text, name
    # Failing exchanges were written (with their headers, masked), so redaction was needed.
    assert "Bearer ***" in texts["results.json"]
