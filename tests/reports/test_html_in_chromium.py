"""The HTML report, opened in a real headless Chromium: the page renders, every operation row
and every check column is there, failures are visible, and at 1280 px nothing scrolls
sideways. The browser is brought by the environment (tox.ini installs Debian's chromium when
missing); the test never installs anything. Without it the test skips, and fails under CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import spec
from conformance.judging.openapi_checks import CHECKS
from conformance.judging.rules import RULES
from reports.model import CheckRecord, RunResult
from reports.run_folder import write_run

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Appended to a copy of the page: the widest the document gets, for the test to read back.
MEASURE = (
    "<script>document.body.setAttribute('data-scroll-width',"
    " String(document.documentElement.scrollWidth))</script>"
)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Chromium is not installed (tox installs it: see commands_pre in tox.ini)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def run_chromium(chromium: str, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )


def every_check_on_every_operation(sample_run: RunResult) -> RunResult:
    """The sample run with a record for each check the suite has on each operation and for
    each rule: as wide as a real report gets."""
    records = [
        CheckRecord("check", operation["operationId"], name, kind, "pass", cases=3)
        for _, _, operation in spec.operations()
        for name, kind in ((check.name, check.kind) for check in CHECKS.values())
    ]
    records += [
        CheckRecord("rule", None, rule.id, rule.kind, "pass", documented=rule.sentence, cases=2)
        for rule in RULES.values()
        if rule.id not in {r.check for r in sample_run.rule_records()}
    ]
    sample_run.records = [*sample_run.records, *records]
    return sample_run


def test_the_report_renders_every_row_and_column_and_fits_1280_px(chromium, sample_run, tmp_path):
    folder = write_run(every_check_on_every_operation(sample_run), tmp_path)
    page = folder / "report.html"
    dom = run_chromium(chromium, "--dump-dom", page.as_uri()).stdout
    assert "<table" in dom and "matrix" in dom
    for _, _, operation in spec.operations():
        assert f">{operation['operationId']}<" in dom, operation["operationId"]
    for name in CHECKS:
        assert name.split("_")[0] in dom, name
    assert 'class="failure"' in dom and "curl" in dom

    measured = Path(tmp_path / "measured.html")
    measured.write_text(page.read_text(encoding="utf-8") + MEASURE, encoding="utf-8")
    dom = run_chromium(chromium, "--window-size=1280,900", "--dump-dom", measured.as_uri()).stdout
    width = re.search(r'data-scroll-width="(\d+)"', dom)
    assert width is not None, dom[-2000:]
    assert int(width.group(1)) <= 1280, f"the page is {width.group(1)} px wide at 1280 px"

    shot = tmp_path / "report.png"
    run_chromium(chromium, f"--screenshot={shot}", "--window-size=1280,1400", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000, "the page rendered to a real image"
