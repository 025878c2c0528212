"""Every rule a deterministic test declares is exercised by it, or that test fails.

`@pytest.mark.rules(...)` on a walkthrough or a plain test promises that the test checks each
rule on every run, whatever the profile or the target; a test that ends without having called
`expect(...)` for one of them fails with `RuleNotExercised`, naming the rule, so the run
cannot pass a rule it never looked at. State machines declare theirs with `drawn=True`: which
steps hypothesis draws varies, and the walkthroughs carry the promise for them
(`tests/conformance_client/test_every_rule_declared.py` keeps every catalogue rule declared by
at least one deterministic test). A rule that cannot run on the target is skipped by its
test (saying why), which is reported as a skip, not a failure.
"""

from __future__ import annotations

import pytest

from conformance.judging.rules import RuleNotExercised
from conformance.judging.tally import current_tally


def promised_rules(item: pytest.Item) -> list[str]:
    """The rules `item` promises to exercise on every run (not those it only draws)."""
    marks = [mark for mark in item.iter_markers("rules") if not mark.kwargs.get("drawn")]
    return list(dict.fromkeys(rule for mark in marks for rule in mark.args))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield  # a test that failed or skipped raises here: its own verdict stands
    exercised = current_tally().rules
    missing = [rule for rule in promised_rules(item) if not exercised.get(rule)]
    if missing:
        raise RuleNotExercised(missing[0], item.nodeid, missing[1:])
    return result
