"""A test that declares a rule and ends without exercising it fails, naming the rule;
a state machine's `drawn=True` rules are exempt (conformance/plugins/every_rule.py)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

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


def test_a_promised_rule_never_exercised_fails_the_test_naming_it(pytester: pytest.Pytester):
    # A session of its own in this process (pytester in-process): the plugin as a conftest
    # names it, without a Python start.
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_promises=TESTS)
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider", "-rf")
    output = result.stdout.str() + result.stderr.str()
    assert result.ret == 1, output
    assert "1 failed, 2 passed, 1 skipped" in output, output
    assert "FAILED test_promises.py::test_forgets_sorters" in output, output
    assert "[sorters]" in output and "not exercised" in output, output
