"""The suite's reporting plugins count every outcome pytest counts: failures, setup and
teardown errors, collection errors, skips with their reasons, xfails and xpasses; results.json,
junit.xml and report.html agree with pytest's summary line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.plugins import PLUGINS
from reports.results_json import load_results
from tests.harness import REPO, run_suite

PROBE = """
import pytest

@pytest.fixture
def broken():
    raise RuntimeError("fixture broke")

@pytest.fixture
def bad_teardown():
    yield
    raise RuntimeError("teardown broke")

def test_pass():
    pass

def test_fail():
    assert 1 == 2

def test_error(broken):
    pass

@pytest.mark.xfail(reason="known gap")
def test_xfail():
    assert False

@pytest.mark.xfail(reason="not really")
def test_xpass():
    pass

def test_skip():
    pytest.skip("not here")

def test_fail_then_teardown_error(bad_teardown):
    assert False
"""


def test_every_pytest_outcome_is_counted_in_every_file(tmp_path: Path):
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    (tmp_path / "test_unimportable.py").write_text("import no_such_module_here\n")
    plugins = [arg for name in PLUGINS for arg in ("-p", name)]
    run = run_suite(
        *(str(tmp_path), "-q", "-p", "no:cacheprovider", *plugins),
        "--continue-on-collection-errors",
        report_dir=tmp_path / "out",
        env={"PYTHONPATH": str(REPO)},
        cwd=tmp_path,  # no project ini: pytest's defaults (xfail not strict)
        timeout=120,
    )
    process, folder = run.process, run.folder
    counts = run.pytest_counts()
    assert counts == {
        "passed": 1,
        "failed": 2,
        "error": 3,  # a fixture, a teardown, a module that does not import
        "skipped": 1,
        "xfailed": 1,
        "xpassed": 1,
    }, process.stdout[-2000:]
    result = load_results(folder / "results.json")
    assert result.test_counts() == counts
    by_test = {(t.nodeid.split("::")[-1], t.outcome): t for t in result.tests}
    assert by_test[("test_skip", "skipped")].message == "not here"
    assert by_test[("test_xfail", "xfailed")].message == "xfail: known gap"
    assert by_test[("test_error", "error")].phase == "setup"
    assert "fixture broke" in by_test[("test_error", "error")].message
    assert by_test[("test_fail_then_teardown_error", "error")].phase == "teardown"
    assert any(t.phase == "collect" and "no_such_module_here" in t.message for t in result.tests)

    junit = ET.parse(folder / "junit.xml").getroot()
    assert junit.get("failures") == "2" and junit.get("errors") == "3"
    assert junit.get("skipped") == "2"  # a skip and an xfail, as pytest's own JUnit has it
    assert int(junit.get("tests")) == sum(counts.values())
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "1 passed, 2 failed, 3 errors, 1 skipped, 1 xfailed, 1 xpassed" in html
