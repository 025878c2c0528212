"""Turn a conformance run into the report model and write the run folder at the end.

Each test's outcome becomes a `CheckRecord` (operation x check, or a run-wide rule) carrying
the document's sentence it checks, and, for a failure, the last exchange that decided it.
Status codes and undocumented members seen on the way are collected per test (in the
process that ran it, so pytest-xdist works: they travel in the report's user_properties) and
gathered by the process that writes the run folder.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import spec
from conformance import openapi_checks
from conformance.documents import SAYS
from reports.model import (
    CheckRecord,
    Exchange,
    RunMetadata,
    RunResult,
    installed_versions,
    spec_file_digest,
)
from reports.redaction import default_redactor
from reports.run_folder import write_run

_OPERATION_IDS = frozenset(op["operationId"] for _, _, op in spec.operations())
_COLLECTED = pytest.StashKey[dict]()
_RECORDS = pytest.StashKey[list]()
_SEEN = pytest.StashKey[dict]()
_FOLDER = pytest.StashKey[Path]()
_T0 = pytest.StashKey[tuple[float, str]]()

# test function -> (check name, kind, document rule or None)
_SCOPED = {
    "test_operation_honours_the_spec": ("schemathesis {mode}", "schema", None),
    "test_401_without_a_token": ("401 without a token", "auth", "401"),
    "test_403_with_a_token_lacking_the_authority": ("403 without the authority", "auth", "403"),
    "test_unknown_ids_are_404": ("404 for an unknown id", "error-shape", "not-found"),
    "test_malformed_bodies_are_400": ("400 for a malformed body", "error-shape", "400"),
    "test_each_documented_filter_returns_only_matching_items": ("filters", "collection", None),
    "test_undocumented_fields_operators_and_bad_syntax_are_400": (
        "undocumented filters refused",
        "collection",
        None,
    ),
    "test_sorters_ascending_descending_and_multi_key": ("sorters", "collection", None),
    "test_pages_concatenate_without_gaps_or_duplicates": ("paging", "collection", "paging"),
    "test_count_is_the_filtered_total_and_limit_is_bounded": (
        "count and limit",
        "collection",
        "count",
    ),
}


def register(config: pytest.Config) -> None:
    _CONFIG["config"] = config
    config.stash[_RECORDS] = []
    config.stash[_SEEN] = defaultdict(set)
    config.stash[_T0] = (time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds"))


def observe(item: pytest.Item):
    """A GuestSession observer collecting, for `item`, status codes and the last exchange."""
    collected = {"statuses": defaultdict(set), "last": None}
    item.stash[_COLLECTED] = collected

    def observer(operation, request, response) -> None:
        collected["statuses"][operation.operation_id].add(response.status_code)
        collected["last"] = response

    return observer


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    report = outcome.get_result()
    collected = item.stash.get(_COLLECTED, None)
    if collected is None or report.when != "call":
        return
    report.user_properties.append(
        ("cc_statuses", {op: sorted(codes) for op, codes in collected["statuses"].items()})
    )
    if report.failed and collected["last"] is not None:
        exchange = Exchange.from_response(collected["last"])
        report.user_properties.append(("cc_exchange", exchange.__dict__))
    found, openapi_checks.UNDOCUMENTED[:] = list(openapi_checks.UNDOCUMENTED), []
    if found:
        report.user_properties.append(("cc_undocumented", found))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    config = _CONFIG.get("config")
    if config is None or _RECORDS not in config.stash or hasattr(config, "workerinput"):
        return
    if report.when == "call" or (report.when == "setup" and report.skipped):
        config.stash[_RECORDS].append(_record(report, config.stash[_SEEN]))


_CONFIG: dict[str, pytest.Config] = {}


def _record(report: pytest.TestReport, seen: dict[str, set[int]]) -> CheckRecord:
    properties = dict(report.user_properties)
    for operation_id, codes in properties.get("cc_statuses", {}).items():
        seen[operation_id].update(codes)
    name = report.nodeid.split("::")[-1]
    function, _, params = name.partition("[")
    params = params.rstrip("]").split("-")
    operation_id = None
    check, kind, rule = (
        f"lifecycle: {function.removeprefix('test_').replace('_', ' ')}",
        "lifecycle",
        None,
    )
    if function in _SCOPED:
        check, kind, rule = _SCOPED[function]
        operation_id = next((p for p in params if p in _OPERATION_IDS), None)
        mode = next((p for p in params if p in ("positive", "negative")), "")
        check = check.format(mode=mode)
    outcome = "pass" if report.passed else "fail" if report.failed else "skip"
    reason = ""
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
    elif report.failed:
        reason = _summary(report.longreprtext)
    exchange = properties.get("cc_exchange")
    undocumented = [pointer for op, pointer in properties.get("cc_undocumented", [])]
    return CheckRecord(
        operation_id=operation_id,
        check=check,
        kind=kind,
        outcome=outcome,
        reason=reason,
        documented=SAYS.get(rule, "") if rule else _documented(report.longreprtext),
        exchange=Exchange(**exchange) if exchange else None,
        status_codes_seen=sorted(properties.get("cc_statuses", {}).get(operation_id, [])),
        undocumented_properties=undocumented,
        duration_ms=report.duration * 1000,
    )


def _summary(text: str) -> str:
    # pytest prefixes the exception's lines with "E   "; the report wants the sentences.
    text = "\n".join(re.sub(r"^E\s+", "", line) for line in text.splitlines())
    says = re.search(r"The document says:.*?(?:\n.*The server did:[^\n]*)", text)
    if says:
        return says.group(0).strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(lines[-6:])[:2000]


def _documented(text: str) -> str:
    found = re.search(r"The document says: ([^\n]*)", text or "")
    return found.group(1) if found else ""


def write(
    config: pytest.Config, metadata_fields: dict[str, Any], secrets: list[str] = ()
) -> Path | None:
    """Write the run folder; `secrets` (client secret, tokens) never reach a file."""
    redactor = default_redactor()
    for secret in secrets:
        if secret:
            redactor.register(secret)

    records = list(config.stash[_RECORDS])
    for operation_id, codes in sorted(config.stash[_SEEN].items()):
        records.append(
            CheckRecord(
                operation_id=operation_id,
                check="status codes observed",
                kind="schema",
                outcome="pass",
                reason="every status code the run saw for this operation",
                status_codes_seen=sorted(codes),
            )
        )
    started, started_at = config.stash[_T0]
    metadata = RunMetadata(
        spec_digest=spec_file_digest(),
        started_at=started_at,
        duration_s=round(time.monotonic() - started, 3),
        suite_version=installed_versions(["certification-campaigns-conformance"])[
            "certification-campaigns-conformance"
        ],
        dependency_versions=installed_versions(
            ["schemathesis", "hypothesis", "pytest", "requests", "jsonschema"]
        ),
        **metadata_fields,
    )
    folder = write_run(RunResult(metadata, records), config.getoption("--report-dir"), redactor)
    config.stash[_FOLDER] = folder
    return folder


def folder_of(config: pytest.Config) -> Path | None:
    return config.stash.get(_FOLDER, None)
