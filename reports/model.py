"""The in-memory result of one conformance run, filled by the suite and read by every writer.

A run is its `RunMetadata`, a flat list of `CheckRecord`s (one per operation x check, one per
documented rule), what was observed per operation (status codes, undocumented members: data,
not verdicts) and every outcome pytest counted. The writers (`results_json`, `junit_xml`,
`html_report`) and the diff only ever read this model.

Several records for the same (operation, check) pair are allowed (e.g. positive and negative
generation); views that need one outcome per cell fold them with `fold_outcomes`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, Literal, get_args

import spec
from reports.behaviour import TargetBehaviour
from spec import routes

TargetKind = Literal["emulator", "tenant"]
# What a record is about: one check on one operation, or one documented rule (run-wide).
RecordType = Literal["check", "rule"]
# Checks: "schemathesis" (its check functions), "suite" (conformance/judging/openapi_checks.py);
# rules: the area of the rule catalogue (conformance/judging/rules.py).
CheckKind = Literal["schemathesis", "suite", "lifecycle", "collection", "auth", "error-shape"]
# not-run: declared but never exercised (and not skipped: e.g. a state machine that never drew
# the step); error: the test broke for a reason other than this check or rule.
Outcome = Literal["pass", "fail", "skip", "not-run", "error"]
# pytest's own categories, as its summary line counts them.
TestOutcomeName = Literal["passed", "failed", "error", "skipped", "xfailed", "xpassed"]

TARGET_KINDS: tuple[str, ...] = get_args(TargetKind)
RECORD_TYPES: tuple[str, ...] = get_args(RecordType)
CHECK_KINDS: tuple[str, ...] = get_args(CheckKind)
OUTCOMES: tuple[str, ...] = get_args(Outcome)
TEST_OUTCOMES: tuple[str, ...] = get_args(TestOutcomeName)

# The row name for records that belong to no single operation (rules). JUnit and the HTML
# page use it; the diff names a rule by its id and the operation of its deciding exchange.
RUN_WIDE = "rules"


# Why a run did not complete: the preflight refused the target (nothing ran), the target
# stopped answering, Ctrl-C, --maxfail / -x, pytest's internal error, or tests that could
# not be collected.
StopReason = Literal[
    "preflight",
    "target-stopped-answering",
    "interrupted",
    "maxfail",
    "internal-error",
    "collection-error",
]
STOP_REASONS: tuple[str, ...] = get_args(StopReason)


@dataclass(frozen=True)
class Completion:
    """Whether the run went through every test it collected and, if not, why and how far."""

    completed: bool = True
    stopped: StopReason | None = None
    detail: str = ""  # the line that said why, e.g. the outage's
    tests_collected: int = 0
    tests_run: int = 0

    def __post_init__(self) -> None:
        if self.stopped is not None and self.stopped not in STOP_REASONS:
            raise ValueError(f"stopped must be one of {STOP_REASONS}: {self.stopped!r}")

    def headline(self) -> str:
        """One line for a report's head; empty for a complete run."""
        if self.completed:
            return ""
        line = f"INCOMPLETE RUN ({self.stopped or 'stopped'}"
        line += f", {self.tests_run} of {self.tests_collected} tests run)"
        return f"{line}: {self.detail}" if self.detail else line


@dataclass(frozen=True)
class RunMetadata:
    run_id: str
    target_url: str
    target_kind: TargetKind
    spec_digest: str
    suite_version: str
    dependency_versions: dict[str, str] = field(default_factory=dict)
    started_at: str = ""  # ISO-8601, with offset
    duration_s: float = 0.0
    request_count: int = 0
    hypothesis_profile: str = ""
    read_only: bool = False
    strict: bool = False
    seed: int | None = None  # hypothesis seed (--seed): runs with the same seed are comparable
    completion: Completion = field(default_factory=Completion)

    def __post_init__(self) -> None:
        if self.target_kind not in TARGET_KINDS:
            raise ValueError(f"target_kind must be one of {TARGET_KINDS}: {self.target_kind!r}")


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the answer to it, as text (bodies decoded, never bytes), and the
    documented operation it called (spec.routes, as it was received; None: no operation, e.g.
    the token endpoint)."""

    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str | None = None
    status_code: int | None = None  # None when no answer came (connection error, timeout)
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str | None = None
    elapsed_ms: float = 0.0
    operation_id: str | None = None

    @classmethod
    def from_response(cls, response: Any) -> Exchange:
        """Build from a `requests.Response` or schemathesis' Response (both keep the prepared
        request; schemathesis gives `elapsed` in seconds and header values as lists)."""
        request = response.request
        # The guest transport's measure of the answered attempt, when there is one (requests'
        # own `elapsed` also holds the throttle's waits and the retries).
        elapsed = getattr(response, "server_elapsed", None) or getattr(response, "elapsed", None)
        seconds = elapsed.total_seconds() if hasattr(elapsed, "total_seconds") else elapsed
        method, url = str(request.method), str(request.url)
        return cls(
            method=method,
            url=url,
            request_headers={str(k): str(v) for k, v in request.headers.items()},
            request_body=_as_text(request.body),
            status_code=int(response.status_code),
            response_headers={
                str(k): ", ".join(v) if isinstance(v, list) else str(v)
                for k, v in response.headers.items()
            },
            response_body=response.text,
            elapsed_ms=float(seconds or 0.0) * 1000,
            operation_id=routes.operation_id(method, url),
        )


# What stopped a test before it decided a record: a documented rule it found broken, a check
# that failed, a 5xx answer, the target that stopped answering, or another error.
StopKind = Literal["rule", "check", "server-error", "outage", "error"]
STOP_KINDS: tuple[str, ...] = get_args(StopKind)


@dataclass(frozen=True)
class StoppedBy:
    """The cause a record was not decided by its own test: a rule id, a check name, the 5xx
    status, "target stopped answering" or the error's type, and the operation of the exchange
    that showed it (None when not known)."""

    kind: StopKind
    id: str
    operation_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in STOP_KINDS:
            raise ValueError(f"kind must be one of {STOP_KINDS}: {self.kind!r}")


# Rule ids that were renamed, old -> new, so a run written before the rename still diffs
# against one written after (the rule is the same; its id now says what it covers).
RENAMED_RULES = {"created-pending-then-staged": "background-transitions"}


@dataclass(frozen=True)
class CheckRecord:
    """The outcome of one check on one operation, or of one documented rule.

    For a check, `check` is the check function's name (e.g. "response_schema_conformance")
    and `cases` the responses it judged; for a rule, `check` is the rule id, `documented` the
    document's sentence and `cases` the times the run exercised the rule.
    """

    record_type: RecordType
    operation_id: str | None  # None for rules
    check: str
    kind: CheckKind
    outcome: Outcome
    reason: str = ""  # why it failed, errored, was skipped or did not run
    documented: str = ""  # the document's sentence, or what the check holds the server to
    source: str = ""  # where the sentence comes from
    cases: int = 0
    failures: int = 0  # cases that failed
    exchange: Exchange | None = None  # the exchange that decided a failure
    tests: list[str] = field(default_factory=list)  # pytest node ids that produced it
    duration_ms: float = 0.0
    stopped_by: StoppedBy | None = None  # for a record its test did not reach: why

    def __post_init__(self) -> None:
        if self.record_type not in RECORD_TYPES:
            raise ValueError(f"record_type must be one of {RECORD_TYPES}: {self.record_type!r}")
        if self.kind not in CHECK_KINDS:
            raise ValueError(f"kind must be one of {CHECK_KINDS}: {self.kind!r}")
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}: {self.outcome!r}")
        if (self.record_type == "check") != (self.operation_id is not None):
            raise ValueError("a check record names its operation; a rule record names none")

    @property
    def row(self) -> str:
        """The operation id, or `RUN_WIDE` for a rule."""
        return self.operation_id or RUN_WIDE

    @property
    def key(self) -> tuple[str, str]:
        """What the diff keys on: ("rule", rule id) or (operation id, check name)."""
        if self.record_type == "rule":
            return ("rule", RENAMED_RULES.get(self.check, self.check))
        return (self.row, self.check)


@dataclass(frozen=True)
class TestOutcome:
    """One outcome pytest counted in its summary line (a test can count twice: failed in its
    call and errored in teardown)."""

    __test__ = False  # a model class, not a test class, whatever its name says

    nodeid: str
    outcome: TestOutcomeName
    phase: str  # setup, call, teardown, or collect
    message: str = ""  # the skip reason, or the failure/error in short
    duration_ms: float = 0.0

    def __post_init__(self) -> None:
        if self.outcome not in TEST_OUTCOMES:
            raise ValueError(f"outcome must be one of {TEST_OUTCOMES}: {self.outcome!r}")


@dataclass(frozen=True)
class Observed:
    """What the run saw of one operation, beyond pass/fail: coverage data, not a verdict."""

    status_codes_seen: tuple[int, ...] = ()
    undocumented_properties: tuple[str, ...] = ()  # JSON pointers the schema does not declare


@dataclass(frozen=True)
class OperationInfo:
    """An operation as the spec documents it; kept in the results so reports of an old run
    still show the operations and status codes that were documented at the time."""

    operation_id: str
    method: str
    path: str
    documented_status_codes: tuple[str, ...]  # response keys: "200", "4XX", "default"


@dataclass(frozen=True)
class StatusCoverage:
    operation_id: str
    documented: tuple[str, ...]
    seen: tuple[int, ...]
    seen_documented: tuple[int, ...]
    seen_undocumented: tuple[int, ...]
    documented_not_seen: tuple[str, ...]


def spec_operations() -> list[OperationInfo]:
    """Every operation of the spec, in document order."""
    return [
        OperationInfo(
            operation_id=operation["operationId"],
            method=method,
            path=path,
            documented_status_codes=tuple(str(code) for code in operation.get("responses", {})),
        )
        for method, path, operation in spec.operations()
    ]


def spec_file_digest(path: Path | str = spec.SPEC_PATH) -> str:
    """sha256 of the spec file, so two runs can tell whether they checked the same contract."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def installed_versions(distributions: Iterable[str]) -> dict[str, str]:
    """Installed version of each named distribution ("not installed" when absent)."""
    versions = {}
    for name in distributions:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def fold_outcomes(outcomes: Iterable[str]) -> Outcome | None:
    """One outcome for several records of a cell: any fail fails, then error, then pass, then
    skip, then not-run; None when there were no records at all."""
    seen = set(outcomes)
    for outcome in ("fail", "error", "pass", "skip", "not-run"):
        if outcome in seen:
            return outcome  # type: ignore[return-value]
    return None


def is_documented(code: int, documented: Iterable[str]) -> bool:
    """Whether a status code is covered by the response keys, ranges ("4XX") and "default"
    included, as OpenAPI 3.0 defines them."""
    keys = {key.upper() for key in documented}
    return str(code) in keys or f"{code // 100}XX" in keys or "DEFAULT" in keys


@dataclass
class RunResult:
    metadata: RunMetadata
    records: list[CheckRecord] = field(default_factory=list)
    operations: list[OperationInfo] = field(default_factory=spec_operations)
    observed: dict[str, Observed] = field(default_factory=dict)  # operation id ->
    tests: list[TestOutcome] = field(default_factory=list)
    # What the target did (status counts, undocumented members, unlisted enum values, header
    # facts): the data a learned emulator profile is built from (results.json version 3).
    behaviour: TargetBehaviour = field(default_factory=TargetBehaviour)

    def operation_rows(self) -> list[str]:
        """Every documented operation id in spec order, then any other operation id a record
        names (so a record is never dropped from a view)."""
        rows = [op.operation_id for op in self.operations]
        for record in self.records:
            if record.operation_id is not None and record.operation_id not in rows:
                rows.append(record.operation_id)
        return rows

    def check_records(self) -> list[CheckRecord]:
        return [r for r in self.records if r.record_type == "check"]

    def rule_records(self) -> list[CheckRecord]:
        return [r for r in self.records if r.record_type == "rule"]

    def operation_checks(self) -> list[str]:
        """Check names of the check records, in first-seen order (the matrix columns)."""
        return list(dict.fromkeys(r.check for r in self.check_records()))

    def matrix(self) -> dict[str, dict[str, Outcome | None]]:
        """operation id -> check -> folded outcome (None: no record), for every operation row
        and every check."""
        cells: dict[tuple[str, str], list[str]] = {}
        for record in self.check_records():
            cells.setdefault((record.row, record.check), []).append(record.outcome)
        checks = self.operation_checks()
        return {
            row: {check: fold_outcomes(cells.get((row, check), ())) for check in checks}
            for row in self.operation_rows()
        }

    def status_codes_seen(self) -> dict[str, set[int]]:
        """operation id -> every status code the run saw for it."""
        seen = {op: set(obs.status_codes_seen) for op, obs in self.observed.items()}
        for record in self.check_records():
            if record.exchange is not None and record.exchange.status_code is not None:
                seen.setdefault(record.row, set()).add(record.exchange.status_code)
        return seen

    def status_coverage(self) -> list[StatusCoverage]:
        """Documented status codes against the codes seen, one entry per operation row."""
        documented_by_id = {op.operation_id: op.documented_status_codes for op in self.operations}
        seen_by_id = self.status_codes_seen()
        coverage = []
        for operation_id in self.operation_rows():
            documented = documented_by_id.get(operation_id, ())
            seen = tuple(sorted(seen_by_id.get(operation_id, ())))
            coverage.append(
                StatusCoverage(
                    operation_id=operation_id,
                    documented=documented,
                    seen=seen,
                    seen_documented=tuple(c for c in seen if is_documented(c, documented)),
                    seen_undocumented=tuple(c for c in seen if not is_documented(c, documented)),
                    documented_not_seen=tuple(
                        key for key in documented if not any(_matches(c, key) for c in seen)
                    ),
                )
            )
        return coverage

    def undocumented_properties(self) -> dict[str, list[str]]:
        """operation id -> sorted JSON pointers of response members the spec does not
        declare; only operations where any were seen."""
        return {
            op: sorted(obs.undocumented_properties)
            for op, obs in sorted(self.observed.items())
            if obs.undocumented_properties
        }

    def failures(self) -> list[CheckRecord]:
        return [r for r in self.records if r.outcome in ("fail", "error")]

    def skips(self) -> list[CheckRecord]:
        return [r for r in self.records if r.outcome in ("skip", "not-run")]

    def outcome_counts(self) -> dict[str, int]:
        """Records per outcome (checks and rules together)."""
        counts = dict.fromkeys(OUTCOMES, 0)
        for record in self.records:
            counts[record.outcome] += 1
        return counts

    def test_counts(self) -> dict[str, int]:
        """pytest's summary line, category by category."""
        counts = dict.fromkeys(TEST_OUTCOMES, 0)
        for test in self.tests:
            counts[test.outcome] += 1
        return counts


def _matches(code: int, key: str) -> bool:
    return is_documented(code, (key,))


def _as_text(body: Any) -> str | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return body.decode("utf-8", errors="replace")
    return str(body)
