"""A test that declares a rule and ends without exercising it fails, naming the rule;
a state machine's `drawn=True` rules are exempt (conformance/plugins/every_rule.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CONFTEST = """
import pytest
from conformance.judging.tally import TestTally, tallying

pytest_plugins = ["conformance.plugins.every_rule"]


def pytest_configure(config):
    config.addinivalue_line("markers", "rules(*rule_ids, drawn=False): rules a test checks")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    with tallying(TestTally()):
        return (yield)
"""
TESTS = """
import pytest
from conformance.judging.rules import expect


@pytest.mark.rules("filters", "sorters")
def test_forgets_sorters():
    expect(True, "filters", "listed what matched")


@pytest.mark.rules("filters", "sorters", drawn=True)
def test_a_machine_that_drew_only_filters():
    expect(True, "filters", "listed what matched")


@pytest.mark.rules("filters")
def test_keeps_its_promise():
    expect(True, "filters", "listed what matched")


@pytest.mark.rules("sorters")
def test_skipped_on_this_target():
    pytest.skip("cannot run here")
"""


def test_a_promised_rule_never_exercised_fails_the_test_naming_it(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_promises.py").write_text(TESTS)
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    environment = {k: v for k, v in environment.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", str(tmp_path)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 failed, 2 passed, 1 skipped" in output, output
    assert "FAILED test_promises.py::test_forgets_sorters" in output, output
    assert "[sorters]" in output and "not exercised" in output, output
