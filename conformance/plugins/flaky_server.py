"""pytest plugin: a server that answers inconsistently is reported as such, not as hypothesis
internals.

When a test fails, hypothesis replays the failing example to confirm and shrink it. If the
server answers the replayed requests differently (an intermittent 500, a flapping
dependency), the replay either passes (`FlakyFailure`) or, in a state machine whose next
step depends on what the server answered, draws different data (`FlakyStrategyDefinition`).
Both surface as a hypothesis traceback that blames "your data generation". This plugin keeps
the test's exchanges and, when a hypothesis `Flaky` error ends a test, replaces the report
with what a person needs: that the server was inconsistent, the requests whose answers
differed and what those answers were, and the failure hypothesis was trying to replay.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from hypothesis.errors import Flaky

from conformance.plugins import keys

MAX_LINES = 3


@dataclass(frozen=True)
class Answer:
    method: str
    template: str  # the documented path, ids as placeholders
    url: str
    body: str
    status: int
    detail: str  # the decisive part of the answer body


@pytest.fixture(autouse=True)
def _keep_the_exchanges(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every answer the test received, in order (only the conformance suite has a session)."""
    if "guest_session" not in request.fixturenames:
        yield
        return
    session = request.getfixturevalue("guest_session")
    log: list[Answer] = []
    request.node.stash[keys.ANSWERS] = log

    def observe(operation, sent, response) -> None:
        log.append(
            Answer(
                sent.method or "",
                f"/v3{operation.path_template}",
                sent.url or "",
                _text(sent.body),
                response.status_code,
                _detail(response),
            )
        )

    session.observers.append(observe)
    yield
    session.observers.remove(observe)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if call.excinfo is None or call.when != "call":
        return report
    flaky = _find(call.excinfo.value, Flaky)
    if flaky is not None:
        report.longrepr = item.stash[keys.FLAKY_EXPLANATION] = explain(
            item.stash.get(keys.ANSWERS, []), call.excinfo.value
        )
    return report


@pytest.hookimpl(trylast=True)
def pytest_exception_interact(node, call: pytest.CallInfo, report: pytest.TestReport) -> None:
    """Schemathesis' pytest plugin rewrites the report of an exception group whose members
    repeat (a FlakyFailure often holds the same failure twice) after the report is made:
    the explanation is put back, after it."""
    explanation = node.stash.get(keys.FLAKY_EXPLANATION, None)
    if explanation is not None and report.when == "call":
        report.longrepr = explanation


def explain(log: list[Answer], error: BaseException) -> str:
    lines = [
        "conformance: the server answered inconsistently: replaying the failing example gave "
        "different answers, so hypothesis could not confirm or shrink it"
    ]
    differing = inconsistent_answers(log)
    for key, answers in differing[:MAX_LINES]:
        method, where = key
        seen = ", ".join(f"{a.status}{f' ({a.detail})' if a.detail else ''}" for a in answers)
        lines.append(f"  {method} {where} answered {seen}")
    if len(differing) > MAX_LINES:
        lines.append(f"  ... and {len(differing) - MAX_LINES} more requests")
    if not differing:
        lines.append("  no single request's answer changed: the server's state or timing did")
    original = _first_failure(error)
    if original is not None:
        first = str(original).strip().splitlines()[0] if str(original).strip() else ""
        lines.append(f"  the failure being replayed: {type(original).__name__}: {first[:300]}")
    return "\n".join(lines)


def inconsistent_answers(log: list[Answer]) -> list[tuple[tuple[str, str], list[Answer]]]:
    """Requests that got different status codes: first the very same request (method, URL,
    body), then the same operation with a server error among its answers. Server errors first."""
    same_request: dict[tuple[str, str, str], list[Answer]] = defaultdict(list)
    same_operation: dict[tuple[str, str], list[Answer]] = defaultdict(list)
    for answer in log:
        same_request[(answer.method, answer.url, answer.body)].append(answer)
        same_operation[(answer.method, answer.template)].append(answer)
    found: list[tuple[tuple[str, str], list[Answer]]] = []
    shown: set[tuple[str, str]] = set()
    for (method, url, _), answers in same_request.items():
        if len({a.status for a in answers}) > 1:
            found.append(((method, urlsplit(url).path), _distinct(answers)))
            shown.add((method, answers[0].template))
    for key, answers in same_operation.items():
        server_error = any(a.status >= 500 for a in answers)
        if key not in shown and server_error and len({a.status for a in answers}) > 1:
            found.append((key, _distinct(answers)))
    found.sort(key=lambda entry: not any(a.status >= 500 for a in entry[1]))
    return found


def _distinct(answers: list[Answer]) -> list[Answer]:
    """One answer per status code, in the order first seen."""
    first: dict[int, Answer] = {}
    for answer in answers:
        first.setdefault(answer.status, answer)
    return list(first.values())


def _find(error: BaseException | None, kind: type) -> BaseException | None:
    """`error` or any exception inside it (groups, causes, contexts) that is a `kind`."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kind):
            return current
        pending += [current.__cause__, current.__context__]
        pending += list(getattr(current, "exceptions", ()))
    return None


def _first_failure(error: BaseException) -> BaseException | None:
    """The test's own failure that hypothesis was replaying (not one of its Flaky errors)."""
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None:
            continue
        if not isinstance(current, Flaky) and not isinstance(current, BaseExceptionGroup):
            return current
        pending += list(getattr(current, "exceptions", ()))
        pending += [current.__context__, current.__cause__]
    return None


def _text(body: bytes | str | None) -> str:
    if body is None:
        return ""
    return body.decode(errors="replace") if isinstance(body, bytes) else str(body)


def _detail(response) -> str:
    """For an error, the detail code or first message the server gave; else nothing."""
    if response.status_code < 400:
        return ""
    try:
        body = response.json()
    except ValueError:
        return response.text[:80]
    if isinstance(body, dict):
        messages = body.get("messages") or [{}]
        text = messages[0].get("text", "") if isinstance(messages[0], dict) else ""
        return str(body.get("detailCode") or text)[:80]
    return json.dumps(body)[:80]
