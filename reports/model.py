"""The in-memory result of one conformance run, filled by the suite and read by every writer.

A run is its `RunMetadata` plus a flat list of `CheckRecord`s: one per operation x check (a
schema check, a status-code check, ...) and one per lifecycle or run-wide rule. The writers
(`results_json`, `junit_xml`, `html_report`) and the diff only ever read this model, so the
suite can change how it collects results without touching them.

Several records for the same (operation, check) pair are allowed (e.g. one per hypothesis
phase); views that need one outcome per cell fold them with `fold_outcomes`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, Literal, get_args

import spec

TargetKind = Literal["emulator", "tenant"]
CheckKind = Literal["schema", "lifecycle", "collection", "auth", "error-shape"]
Outcome = Literal["pass", "fail", "skip"]

TARGET_KINDS: tuple[str, ...] = get_args(TargetKind)
CHECK_KINDS: tuple[str, ...] = get_args(CheckKind)
OUTCOMES: tuple[str, ...] = get_args(Outcome)

# The row name for records that belong to no single operation (run-wide rules). JUnit uses it
# as the classname and the diff as the key, so one name serves everywhere.
RUN_WIDE = "run"


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

    def __post_init__(self) -> None:
        if self.target_kind not in TARGET_KINDS:
            raise ValueError(f"target_kind must be one of {TARGET_KINDS}: {self.target_kind!r}")


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the answer to it, as text (bodies decoded, never bytes)."""

    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str | None = None
    status_code: int | None = None  # None when no answer came (connection error, timeout)
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str | None = None
    elapsed_ms: float = 0.0

    @classmethod
    def from_response(cls, response: Any) -> Exchange:
        """Build from a `requests.Response` (or anything shaped like one: `.request`,
        `.status_code`, `.headers`, `.text`, `.elapsed`)."""
        request = response.request
        elapsed = getattr(response, "elapsed", None)
        return cls(
            method=str(request.method),
            url=str(request.url),
            request_headers={str(k): str(v) for k, v in request.headers.items()},
            request_body=_as_text(request.body),
            status_code=int(response.status_code),
            response_headers={str(k): str(v) for k, v in response.headers.items()},
            response_body=response.text,
            elapsed_ms=elapsed.total_seconds() * 1000 if elapsed is not None else 0.0,
        )


@dataclass(frozen=True)
class CheckRecord:
    """The outcome of one check on one operation, or of one run-wide rule.

    `documented` is what the check holds the server to: the document's sentence, or the spec
    location of the schema (e.g. "#/paths/~1campaigns/post/responses/200").
    """

    operation_id: str | None  # None for run-wide rules
    check: str  # e.g. "response_schema_conformance", "lifecycle:complete-only-past-due"
    kind: CheckKind
    outcome: Outcome
    reason: str = ""  # why it failed or was skipped
    documented: str = ""
    exchange: Exchange | None = None  # the exchange that decided a failure
    status_codes_seen: list[int] = field(default_factory=list)
    undocumented_properties: list[str] = field(default_factory=list)  # JSON pointers
    duration_ms: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in CHECK_KINDS:
            raise ValueError(f"kind must be one of {CHECK_KINDS}: {self.kind!r}")
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}: {self.outcome!r}")

    @property
    def row(self) -> str:
        """The operation id, or `RUN_WIDE` for a run-wide rule."""
        return self.operation_id or RUN_WIDE


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
    """One outcome for several records of a cell: any fail fails, else any pass passes, else
    skip; None when there were no records at all (the check did not run)."""
    seen = set(outcomes)
    for outcome in ("fail", "pass", "skip"):
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

    def operation_rows(self) -> list[str]:
        """Every documented operation id in spec order, then any other operation id a record
        names (so a record is never dropped from a view); never the run-wide row."""
        rows = [op.operation_id for op in self.operations]
        for record in self.records:
            if record.operation_id is not None and record.operation_id not in rows:
                rows.append(record.operation_id)
        return rows

    def operation_checks(self) -> list[str]:
        """Check names used by operation-scoped records, in first-seen order (matrix columns)."""
        return list(dict.fromkeys(r.check for r in self.records if r.operation_id is not None))

    def matrix(self) -> dict[str, dict[str, Outcome | None]]:
        """operation id -> check -> folded outcome (None: not run), for every operation row and
        every operation-scoped check."""
        cells: dict[tuple[str, str], list[str]] = {}
        for record in self.records:
            if record.operation_id is not None:
                cells.setdefault((record.operation_id, record.check), []).append(record.outcome)
        checks = self.operation_checks()
        return {
            row: {check: fold_outcomes(cells.get((row, check), ())) for check in checks}
            for row in self.operation_rows()
        }

    def run_wide_records(self) -> list[CheckRecord]:
        return [r for r in self.records if r.operation_id is None]

    def status_codes_seen(self) -> dict[str, set[int]]:
        """operation id -> every status code any record (or deciding exchange) saw for it."""
        seen: dict[str, set[int]] = {}
        for record in self.records:
            if record.operation_id is None:
                continue
            codes = seen.setdefault(record.operation_id, set())
            codes.update(record.status_codes_seen)
            if record.exchange is not None and record.exchange.status_code is not None:
                codes.add(record.exchange.status_code)
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
        """operation id (or `RUN_WIDE`) -> sorted JSON pointers of response members the spec
        does not declare; only rows where any were seen."""
        found: dict[str, set[str]] = {}
        for record in self.records:
            if record.undocumented_properties:
                found.setdefault(record.row, set()).update(record.undocumented_properties)
        return {row: sorted(found[row]) for row in found}

    def failures(self) -> list[CheckRecord]:
        return [r for r in self.records if r.outcome == "fail"]

    def skips(self) -> list[CheckRecord]:
        return [r for r in self.records if r.outcome == "skip"]

    def outcome_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for record in self.records:
            counts[record.outcome] += 1
        return counts


def _matches(code: int, key: str) -> bool:
    return is_documented(code, (key,))


def _as_text(body: Any) -> str | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return body.decode("utf-8", errors="replace")
    return str(body)
