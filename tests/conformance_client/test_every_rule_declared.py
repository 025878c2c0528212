"""Every rule of the catalogue is promised by a deterministic conformance test.

The run fails a test that declares a rule and never exercises it
(`conformance/plugins/every_rule.py`); this keeps the promise complete: each rule is
declared, without `drawn=True`, by at least one test function, so a whole run exercises every
rule (or skips it, saying why) whatever the state machines draw. The markers are read from
the source, as pytest would apply them, without importing the suite's modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conformance.judging.rules import RULE_IDS

SUITE = Path(__file__).resolve().parents[2] / "conformance"


def _rules_marks(function: ast.FunctionDef) -> list[ast.Call]:
    return [
        decorator
        for decorator in function.decorator_list
        if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "pytest.mark.rules"
    ]


def _promises() -> dict[str, set[str]]:
    """rule id -> the tests that promise it on every run."""
    promised: dict[str, set[str]] = {}
    for path in sorted(SUITE.glob("test_*.py")):
        for node in ast.parse(path.read_text()).body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            for mark in _rules_marks(node):
                drawn = any(k.arg == "drawn" and ast.literal_eval(k.value) for k in mark.keywords)
                for argument in [] if drawn else mark.args:
                    promised.setdefault(ast.literal_eval(argument), set()).add(
                        f"{path.name}::{node.name}"
                    )
    return promised


def test_every_rule_is_promised_by_a_deterministic_test() -> None:
    promised = _promises()
    assert set(promised) <= set(RULE_IDS), sorted(set(promised) - set(RULE_IDS))
    assert [rule for rule in RULE_IDS if rule not in promised] == []


def test_the_state_machines_promise_nothing() -> None:
    """Their steps are drawn: a rule only they check would be exercised by chance."""
    machines = {
        "test_campaign_lifecycle.py::test_campaign_lifecycle",
        "test_template_lifecycle.py::test_template_lifecycle",
    }
    assert not {test for tests in _promises().values() for test in tests} & machines
