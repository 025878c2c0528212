"""One collector per session: pytest's reports in, the run's `RunResult` out.

Each test contributes, as data its report carries (so pytest-xdist workers can send it):
the rules it declares (`@pytest.mark.rules`), the checks it declares (`@pytest.mark.checks`),
its `TestTally` (rules exercised, checks judged per operation, status codes, undocumented
members) and, when a rule was broken, the `RuleBreach` itself. The collector folds the
contributions into one record per (operation, check) and one per rule of the catalogue,
and counts every outcome pytest counts, so the files agree with pytest's summary line.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pytest

from conformance.client.circuit_breaker import TargetStoppedAnswering
from conformance.judging.openapi_checks import CHECKS, unknown_checks
from conformance.judging.rules import RULES, RuleBreach
from conformance.judging.tally import TestTally, tallying
from conformance.plugins import keys
from reports.behaviour import TargetBehaviour, merge_behaviour_data, new_behaviour_data
from reports.model import (
    TEST_OUTCOMES,
    CheckRecord,
    Completion,
    Exchange,
    Observed,
    StoppedBy,
    TestOutcome,
    fold_outcomes,
)

_DATA = "conformance"  # the user_properties key the collected data travels under


@dataclass
class _Part:
    """One test's verdict on one rule or check."""

    outcome: str
    cases: int = 0
    failures: int = 0
    reason: str = ""
    exchange: dict[str, Any] | None = None
    test: str = ""
    duration_ms: float = 0.0
    stopped_by: dict[str, Any] | None = None  # reports.model.StoppedBy, as data


@dataclass(eq=False)  # a plugin object: pluggy keeps it in sets
class RunCollector:
    """The session's bookkeeping (a pytest plugin object: its methods are hooks)."""

    config: pytest.Config
    tests: list[TestOutcome] = field(default_factory=list)
    rule_parts: dict[str, list[_Part]] = field(default_factory=dict)
    check_parts: dict[tuple[str, str], list[_Part]] = field(default_factory=dict)
    statuses: dict[str, set[int]] = field(default_factory=dict)
    undocumented: dict[str, set[str]] = field(default_factory=dict)
    behaviour: dict[str, Any] = field(default_factory=new_behaviour_data)
    finished: set[str] = field(default_factory=set)  # tests that ran to their teardown

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            unknown = unknown_checks(item)
            if unknown:
                raise pytest.UsageError(
                    f"{item.nodeid}: check {unknown[0]!r} is not in the check catalogue "
                    "(conformance/judging/openapi_checks.py)"
                )

    # --- in the process that runs the test ------------------------------------------------
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem):
        tally = item.stash[keys.TALLY] = TestTally()
        with tallying(tally):
            yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        if report.when == "teardown" or (report.when == "setup" and report.passed):
            return
        tally = item.stash.get(keys.TALLY, TestTally())
        data: dict[str, Any] = {
            "rules": [rule for mark in item.iter_markers("rules") for rule in mark.args],
            "drawn": [
                rule
                for mark in item.iter_markers("rules")
                if mark.kwargs.get("drawn")
                for rule in mark.args
            ],
            "checks": [check for mark in item.iter_markers("checks") for check in mark.args],
            "operation": _operation_param(item),
            "tally": tally.to_data(),
            "breach": None,
            "error": call.excinfo.typename if call.excinfo is not None else None,
            "outage": call.excinfo is not None
            and call.excinfo.errisinstance(TargetStoppedAnswering),
        }
        if call.excinfo is not None and isinstance(call.excinfo.value, RuleBreach):
            breach = call.excinfo.value
            data["breach"] = {
                "rule": breach.rule.id,
                "did": breach.did,
                "exchange": asdict(breach.exchange) if breach.exchange else None,
            }
        report.user_properties.append((_DATA, data))

    # --- in the process that writes the reports --------------------------------------------
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if hasattr(self.config, "workerinput"):
            return
        if report.when == "teardown":
            self.finished.add(report.nodeid)
        category = self._category(report)
        if category in TEST_OUTCOMES:
            self.tests.append(
                TestOutcome(
                    nodeid=report.nodeid,
                    outcome=category,
                    phase=report.when,
                    message=_message(report),
                    duration_ms=report.duration * 1000,
                )
            )
        data = dict(report.user_properties).get(_DATA)
        if data is not None:
            self._contribute(report, category, data)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed and not hasattr(self.config, "workerinput"):
            self.tests.append(
                TestOutcome(report.nodeid or "(collection)", "error", "collect", _message(report))
            )

    def _category(self, report: pytest.TestReport) -> str:
        # The same call pytest's terminal makes, so the counts match its summary line.
        category, _, _ = self.config.hook.pytest_report_teststatus(
            report=report, config=self.config
        )
        return category

    def _contribute(self, report: pytest.TestReport, category: str, data: dict) -> None:
        tally = data["tally"]
        for operation, codes in tally["statuses"].items():
            self.statuses.setdefault(operation, set()).update(codes)
        for operation, pointers in tally["undocumented"].items():
            self.undocumented.setdefault(operation, set()).update(pointers)
        merge_behaviour_data(self.behaviour, tally["behaviour"])
        breach = data["breach"]
        stopped = _stopped(report, category, _cause(data))
        duration = report.duration * 1000
        for rule_id in dict.fromkeys([*data["rules"], *tally["rules"]]):
            exercised = tally["rules"].get(rule_id, 0)
            if breach and breach["rule"] == rule_id:
                part = _Part("fail", exercised, 1, breach["did"], breach["exchange"])
            elif stopped is not None:
                part = stopped(exercised)
            elif exercised:
                part = _Part("pass", exercised)
            else:
                part = _Part("not-run", reason=_unexercised_reason(rule_id, data))
            part.test, part.duration_ms = report.nodeid, duration
            self.rule_parts.setdefault(rule_id, []).append(part)
        judged = tally["checks"]
        operations = set(judged)
        if data["operation"]:
            operations.add(data["operation"])
        for operation in sorted(operations):
            for name in dict.fromkeys([*data["checks"], *judged.get(operation, {})]):
                seen = judged.get(operation, {}).get(name)
                if seen and seen["failures"]:
                    part = _Part(
                        "fail", seen["cases"], seen["failures"], seen["failure"], seen["exchange"]
                    )
                elif stopped is not None and not (category == "failed" and _any_failed(judged)):
                    part = stopped(seen["cases"] if seen else 0)
                elif seen and seen["cases"]:
                    part = _Part("pass", seen["cases"])
                else:
                    declined = seen["not_applicable"] if seen else 0
                    part = _Part(
                        "not-run", reason=f"no response it applies to ({declined} declined)"
                    )
                part.test, part.duration_ms = report.nodeid, duration
                self.check_parts.setdefault((operation, name), []).append(part)
        # Every 5xx the test received fails not_a_server_error for its operation, whichever
        # part of the test sent the request (a walkthrough's call, a guard's look-up).
        for operation, seen in tally["server_errors"].items():
            exchange = seen["exchange"]
            did = f"answered {exchange['status_code']} to {exchange['method']} {exchange['url']}"
            part = _Part("fail", seen["count"], seen["count"], did, exchange)
            part.test, part.duration_ms = report.nodeid, duration
            self.check_parts.setdefault((operation, "not_a_server_error"), []).append(part)

    # --- the result ----------------------------------------------------------------------
    def records(self) -> list[CheckRecord]:
        records = [
            _folded("check", operation, name, CHECKS[name].kind, CHECKS[name].sentence, "", parts)
            for (operation, name), parts in self.check_parts.items()
        ]
        for rule in RULES.values():
            parts = self.rule_parts.get(rule.id) or [
                _Part("not-run", reason="no test of this run checks it")
            ]
            records.append(
                _folded("rule", None, rule.id, rule.kind, rule.sentence, rule.source, parts)
            )
        return records

    def observed(self) -> dict[str, Observed]:
        operations = self.statuses.keys() | self.undocumented.keys()
        return {
            op: Observed(
                tuple(sorted(self.statuses.get(op, ()))),
                tuple(sorted(self.undocumented.get(op, ()))),
            )
            for op in sorted(operations)
        }

    def target_behaviour(self) -> TargetBehaviour:
        return TargetBehaviour.from_data(self.behaviour)

    def completion(self, session: pytest.Session, target_stopped: str | None) -> Completion:
        """Whether the session ran every test it collected; if not, why (`target_stopped`:
        the outage's line, when the target stopped answering)."""
        collected, run = session.testscollected, len(self.finished)
        collect_errors = [t for t in self.tests if t.phase == "collect"]
        if target_stopped:
            stopped, detail = "target-stopped-answering", target_stopped
        elif session.shouldfail:
            stopped, detail = "maxfail", str(session.shouldfail)
        elif collect_errors:
            detail = f"{collect_errors[0].nodeid} could not be collected"
            stopped = "collection-error"
        elif session.exitstatus == pytest.ExitCode.INTERRUPTED:
            stopped, detail = "interrupted", "interrupted (Ctrl-C)"
        elif session.exitstatus == pytest.ExitCode.INTERNAL_ERROR:
            stopped, detail = "internal-error", "pytest stopped on an internal error"
        elif run < collected:
            stopped, detail = "interrupted", str(session.shouldstop or "stopped early")
        else:
            return Completion(tests_collected=collected, tests_run=run)
        return Completion(False, stopped, detail, collected, run)

    def failed_so_far(self) -> int:
        return sum(test.outcome in ("failed", "error") for test in self.tests)


def _folded(record_type, operation, name, kind, documented, source, parts) -> CheckRecord:
    outcome = fold_outcomes(part.outcome for part in parts) or "not-run"
    deciding = next(part for part in parts if part.outcome == outcome)
    exchange = deciding.exchange
    return CheckRecord(
        record_type=record_type,
        operation_id=operation,
        check=name,
        kind=kind,
        outcome=outcome,
        reason=_reason(outcome, deciding, parts),
        documented=documented,
        source=source,
        cases=sum(part.cases for part in parts),
        failures=sum(part.failures for part in parts),
        exchange=Exchange(**exchange) if exchange else None,
        tests=sorted({part.test for part in parts if part.test}),
        duration_ms=sum(part.duration_ms for part in parts),
        stopped_by=StoppedBy(**deciding.stopped_by) if deciding.stopped_by else None,
    )


def _reason(outcome: str, deciding: _Part, parts: list[_Part]) -> str:
    if outcome == "pass":
        return ""
    if outcome in ("skip", "not-run"):  # every reason it did not run, e.g. per test mode
        return "; ".join(dict.fromkeys(p.reason for p in parts if p.outcome in ("skip", "not-run")))
    return deciding.reason


def _unexercised_reason(rule_id: str, data: dict) -> str:
    """Why a rule a test declares has no exercise from it: a state machine's steps are drawn
    by hypothesis (the walkthroughs carry the promise), anything else is a blind spot."""
    if rule_id in data.get("drawn", ()):
        return "not drawn by this state machine in this run (its walkthrough checks it)"
    return "declared but never exercised in this test"


def _cause(data: dict) -> dict[str, Any] | None:
    """What stopped a failed test, as `reports.model.StoppedBy` data: a 5xx it received (the
    answer its breach or failing check was decided on, else any it received), the rule it
    found broken, the first check that failed, the target that stopped answering, or the
    error's type; None for a test that did not fail."""
    if data["error"] is None:
        return None
    breach, tally = data["breach"], data["tally"]
    failing = [
        {"kind": "check", "id": name, "exchange": check["exchange"] or {}, "operation": op}
        for op, checks in tally["checks"].items()
        for name, check in checks.items()
        if check["failures"]
    ]
    if breach is not None:
        exchange = breach["exchange"] or {}
        decided = {"kind": "rule", "id": breach["rule"], "exchange": exchange}
        decided["operation"] = exchange.get("operation_id")
    else:
        decided = failing[0] if failing else None
    if decided is not None and (decided["exchange"].get("status_code") or 0) >= 500:
        status = decided["exchange"]["status_code"]
        return {"kind": "server-error", "id": str(status), "operation_id": decided["operation"]}
    if data["outage"]:
        return {"kind": "outage", "id": "target stopped answering", "operation_id": None}
    if decided is None and tally["server_errors"]:
        operation, seen = next(iter(tally["server_errors"].items()))
        status = str(seen["exchange"]["status_code"])
        return {"kind": "server-error", "id": status, "operation_id": operation or None}
    if decided is not None:
        return {"kind": decided["kind"], "id": decided["id"], "operation_id": decided["operation"]}
    return {"kind": "error", "id": data["error"], "operation_id": None}


def _stopped(report: pytest.TestReport, category: str, cause: dict[str, Any] | None):
    """For a test that did not run to its end: the verdict of a rule or check it did not
    decide, given how often it was exercised; None for a test that ran to its end."""
    if category in ("skipped", "xfailed"):
        reason = _message(report)
        return lambda exercised: _Part("skip", exercised, reason=reason)
    if category not in ("failed", "error"):
        return None
    reason = f"the test stopped ({_message(report).splitlines()[0] if _message(report) else ''})"

    def verdict(exercised: int) -> _Part:
        if cause is None or cause["kind"] not in ("rule", "check"):  # the test broke
            return _Part("error", exercised, reason=reason, stopped_by=cause)
        if exercised:  # what ran before the breach stands
            return _Part("pass", exercised)
        failed = f"{cause['kind']} {cause['id']} failed"
        return _Part("not-run", reason=f"the test stopped when {failed}", stopped_by=cause)

    return verdict


def _any_failed(judged: dict) -> bool:
    return any(check["failures"] for checks in judged.values() for check in checks.values())


def _operation_param(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("operation_id") if callspec is not None else None


def _message(report) -> str:
    if hasattr(report, "wasxfail"):
        return f"xfail: {report.wasxfail}" if report.skipped else f"xpass: {report.wasxfail}"
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    if report.passed:
        return ""
    text = report.longreprtext or ""
    lines = [line.removeprefix("E").strip() for line in text.splitlines() if line.startswith("E ")]
    return "\n".join(lines[:8])[:2000] if lines else "\n".join(text.splitlines()[-6:])[:2000]
