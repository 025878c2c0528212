"""The proxy's run folder: what it observed, written as a suite run is written.

results.json, report.html and junit.xml come from the reports' own writers (reports.write_run),
so `reports diff`, `reports profile` and `emulator --like` read them; `traffic.har` holds the
exchanges (emulator.proxy.har). The metadata's profile says the run was a passive observation:
nothing was generated, so a check that was not observed in one of two observations is not
compared (reports.diff).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

from emulator.proxy.har import HarLog, ValuePlaceholders
from emulator.proxy.traffic_judge import CheckTally, Seen, TrafficJudge
from reports import (
    CheckRecord,
    Exchange,
    Observed,
    RunMetadata,
    RunResult,
    TestOutcome,
    installed_versions,
    spec_file_digest,
    write_run,
)
from reports.behaviour import TargetBehaviour
from reports.diff import OBSERVATION_PROFILE

HAR_FILE = "traffic.har"


def new_run_id() -> str:
    return f"observation-{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def observation_result(
    judge: TrafficJudge,
    findings: list,
    *,
    run_id: str,
    upstream: str,
    started_at: str,
    duration_s: float,
    values: ValuePlaceholders | None = None,
) -> RunResult:
    """The observation as the reports' model: one record per operation x check judged, one
    test outcome per distinct finding (a violation failed, a warning passed), the upstream's
    behaviour. With `values`, the tenant's names and e-mail addresses are replaced."""
    records = [
        _record(operation_id, check, tally, values)
        for (operation_id, check), tally in sorted(judge.checks.items())
    ]
    tests = [
        TestOutcome(
            nodeid=values.text(finding.title) if values else finding.title,
            outcome="failed" if finding.kind == "violation" else "passed",
            phase="call",
            message=values.text(finding.line()) if values else finding.line(),
        )
        for finding in findings
    ]
    metadata = RunMetadata(
        run_id=run_id,
        target_url=upstream,
        target_kind="tenant",
        spec_digest=spec_file_digest(),
        suite_version=installed_versions(["certification-campaigns-conformance"])[
            "certification-campaigns-conformance"
        ],
        dependency_versions=installed_versions(["aiohttp", "uvicorn"]),
        started_at=started_at,
        duration_s=duration_s,
        request_count=judge.exchange_count,
        hypothesis_profile=OBSERVATION_PROFILE,
    )
    return RunResult(
        metadata=metadata,
        records=records,
        observed=_observed(judge),
        tests=tests,
        behaviour=TargetBehaviour.from_data(judge.behaviour),
    )


def write_observation(result: RunResult, har: HarLog, base_dir: Path) -> Path:
    """The run folder: the reports' three files and the HAR log (the results written with the
    log's redactor; the log's placeholders are those of the results, so a placeholder names
    the same value in every file)."""
    folder = write_run(result, base_dir, har.redactor)
    har.write(folder / HAR_FILE)
    return folder


def _record(
    operation_id: str, check: str, tally: CheckTally, values: ValuePlaceholders | None
) -> CheckRecord:
    from conformance.judging.openapi_checks import (
        CHECKS,  # the suite's catalogue: sentence and kind
    )

    described = CHECKS.get(check)
    failed = tally.failures > 0
    return CheckRecord(
        record_type="check",
        operation_id=operation_id,
        check=check,
        kind=described.kind if described else "suite",
        outcome="fail" if failed else "pass",
        reason=(values.text(tally.reason) if values else tally.reason) if failed else "",
        documented=described.sentence if described else "",
        source="observed traffic (python -m emulator proxy)",
        cases=tally.cases,
        failures=tally.failures,
        exchange=_exchange(tally.failed, operation_id, values) if tally.failed else None,
    )


def _exchange(seen: Seen, operation_id: str, values: ValuePlaceholders | None) -> Exchange:
    request_body = seen.request_body.decode("utf-8", errors="replace") or None
    response_body = seen.decoded_body().decode("utf-8", errors="replace")
    if values is not None:
        request_body = values.body(request_body) if request_body else None
        response_body = values.body(response_body)
    return Exchange(
        method=seen.method,
        url=seen.url,
        request_headers=dict(seen.request_headers),
        request_body=request_body,
        status_code=seen.status,
        response_headers=dict(seen.response_headers),
        response_body=response_body,
        elapsed_ms=seen.elapsed_ms,
        operation_id=operation_id,
    )


def _observed(judge: TrafficJudge) -> dict[str, Observed]:
    seen: dict[str, set[int]] = {}
    for operation_id, codes in judge.behaviour["status_counts"].items():
        seen.setdefault(operation_id, set()).update(int(code) for code in codes)
    members: dict[str, set[str]] = {}
    for item in judge.behaviour["members"].values():
        members.setdefault(item["operation_id"], set()).add(item["pointer"])
    return {
        operation_id: Observed(
            status_codes_seen=tuple(sorted(seen.get(operation_id, ()))),
            undocumented_properties=tuple(sorted(members.get(operation_id, ()))),
        )
        for operation_id in sorted(seen.keys() | members.keys())
    }
