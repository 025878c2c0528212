"""What one test observed, as it happens: rules exercised, checks run per case, status codes.

The reporting plugin opens a `TestTally` around each test; `rules.expect` and the wrapped
schemathesis checks (`observed_checks`) add to the current one. A context variable carries it
(hypothesis runs examples in the test's own thread), so no module keeps run state. At the end
of the test the tally travels as plain data in the test report (pytest-xdist safe).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from reports.behaviour import new_behaviour_data
from reports.model import Exchange
from spec import routes


@dataclass
class CheckTally:
    """One check on one operation during one test: how many responses it judged."""

    cases: int = 0  # responses the check judged (passed or failed)
    not_applicable: int = 0  # responses it declined (schemathesis' "return True")
    failures: int = 0
    failure: str = ""  # the last failure's message (the final, shrunk example's)
    exchange: dict[str, Any] | None = None  # and its request/response


@dataclass
class TestTally:
    rules: dict[str, int] = field(default_factory=dict)  # rule id -> times exercised
    checks: dict[str, dict[str, CheckTally]] = field(default_factory=dict)  # op -> check ->
    statuses: dict[str, set[int]] = field(default_factory=dict)  # op -> status codes seen
    undocumented: dict[str, set[str]] = field(default_factory=dict)  # op -> JSON pointers
    # What the target did (reports.behaviour): status counts, members, enum values, headers.
    behaviour: dict[str, Any] = field(default_factory=new_behaviour_data)
    # op -> {"count": 5xx answers, "exchange": the first, as data}: each is a failure of
    # not_a_server_error, whichever part of the test received it.
    server_errors: dict[str, dict[str, Any]] = field(default_factory=dict)

    def exercise(self, rule_id: str) -> None:
        self.rules[rule_id] = self.rules.get(rule_id, 0) + 1

    def check(self, operation_id: str, name: str) -> CheckTally:
        return self.checks.setdefault(operation_id, {}).setdefault(name, CheckTally())

    def saw_status(self, operation_id: str, status: int) -> None:
        self.statuses.setdefault(operation_id, set()).add(status)

    def saw_undocumented(self, operation_id: str, pointer: str) -> None:
        self.undocumented.setdefault(operation_id, set()).add(pointer)

    def saw_server_error(self, response: Any) -> None:
        exchange = Exchange.from_response(response)
        seen = self.server_errors.setdefault(
            exchange.operation_id or "", {"count": 0, "exchange": asdict(exchange)}
        )
        seen["count"] += 1

    def to_data(self) -> dict[str, Any]:
        return {
            "rules": dict(self.rules),
            "checks": {
                op: {name: asdict(check) for name, check in checks.items()}
                for op, checks in self.checks.items()
            },
            "statuses": {op: sorted(codes) for op, codes in self.statuses.items()},
            "undocumented": {op: sorted(found) for op, found in self.undocumented.items()},
            "behaviour": self.behaviour,
            "server_errors": self.server_errors,
        }


_CURRENT: contextvars.ContextVar[TestTally | None] = contextvars.ContextVar(
    "conformance_test_tally", default=None
)


def current_tally() -> TestTally:
    """The running test's tally; outside a test (the project's own unit tests), a fresh one
    that nobody reads."""
    return _CURRENT.get() or TestTally()


@contextmanager
def tallying(tally: TestTally) -> Iterator[TestTally]:
    token = _CURRENT.set(tally)
    try:
        yield tally
    finally:
        _CURRENT.reset(token)


def observed(check: Callable) -> Callable:
    """`check`, counting each response it judges in the current tally, by operation.

    Schemathesis' convention: a check raises on failure and returns True when the response is
    not one it applies to; anything else is a pass for that response.
    """

    @functools.wraps(check)
    def wrapper(ctx, response, case):
        request = response.request
        operation_id = routes.operation_id(str(request.method), str(request.url)) or ""
        tally = current_tally().check(operation_id, check.__name__)
        try:
            declined = check(ctx, response, case)
        except Exception as failure:
            if isinstance(failure, AssertionError) or _is_check_failure(failure):
                tally.cases += 1
                tally.failures += 1
                tally.failure = str(failure).strip()[:2000]
                tally.exchange = asdict(Exchange.from_response(response))
            raise
        if declined is True:
            tally.not_applicable += 1
        else:
            tally.cases += 1
        return declined

    return wrapper


def _is_check_failure(error: Exception) -> bool:
    from schemathesis.core.failures import Failure, FailureGroup

    return isinstance(error, Failure | FailureGroup)
