"""`results.json`: the run in a stable, documented format (`results.schema.json`, version 3).

This is the file tenant administrators keep from before an upgrade and diff against after it,
so it must stay readable by later versions of the suite: the loader validates against the
schema and names what is wrong, instead of failing somewhere deep in the diff.
"""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from reports import model
from reports.behaviour import TargetBehaviour
from reports.redaction import Redactor, default_redactor

SCHEMA_VERSION = 4
# Version 3 added `behaviour` (what the target did) to version 2; version 4 says whether the
# run completed (`run.completion`: a reader of 3 would take a run cut short for a whole one)
# and adds the server's time per request and the drift findings to `behaviour`. All are read.
READABLE_VERSIONS = (2, 3, 4)
SCHEMA_PATH = Path(__file__).with_name("results.schema.json")


class ResultsFileError(ValueError):
    """A file that is not a results file this version can read; the message says why."""


@cache
def results_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def results_to_dict(result: model.RunResult) -> dict[str, Any]:
    """The JSON document for a run (not redacted: use `render_results_json` for output)."""
    meta = result.metadata
    return {
        "schema_version": SCHEMA_VERSION,
        "run": {
            "run_id": meta.run_id,
            "target_url": meta.target_url,
            "target_kind": meta.target_kind,
            "spec_digest": meta.spec_digest,
            "suite_version": meta.suite_version,
            "dependency_versions": dict(meta.dependency_versions),
            "started_at": meta.started_at,
            "duration_s": meta.duration_s,
            "request_count": meta.request_count,
            "hypothesis_profile": meta.hypothesis_profile,
            "read_only": meta.read_only,
            "strict": meta.strict,
            "seed": meta.seed,
            "completion": dataclasses.asdict(meta.completion),
        },
        "operations": [
            {
                "operation_id": op.operation_id,
                "method": op.method,
                "path": op.path,
                "documented_status_codes": list(op.documented_status_codes),
                "status_codes_seen": sorted(_observed(result, op.operation_id).status_codes_seen),
                "undocumented_properties": sorted(
                    _observed(result, op.operation_id).undocumented_properties
                ),
            }
            for op in result.operations
        ],
        "summary": {"records": result.outcome_counts(), "tests": result.test_counts()},
        "records": [_record_to_dict(record) for record in result.records],
        "tests": [
            {
                "nodeid": test.nodeid,
                "outcome": test.outcome,
                "phase": test.phase,
                "message": test.message,
                "duration_ms": test.duration_ms,
            }
            for test in result.tests
        ],
        "behaviour": result.behaviour.to_data(),
    }


def results_from_dict(document: Any, source: str = "document") -> model.RunResult:
    """A run from a parsed results document; `ResultsFileError` naming `source` if invalid."""
    if not isinstance(document, dict) or "schema_version" not in document:
        raise ResultsFileError(f"{source}: not a results file (no schema_version member)")
    if document["schema_version"] not in READABLE_VERSIONS:
        readable = " and ".join(map(str, READABLE_VERSIONS))
        raise ResultsFileError(
            f"{source}: results schema_version {document['schema_version']!r} is not supported "
            f"(this version reads {readable})"
        )
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(results_schema()).iter_errors(document)
    )
    if error is not None:
        where = "/" + "/".join(str(part) for part in error.absolute_path)
        raise ResultsFileError(f"{source}: not a valid results file: at {where}: {error.message}")
    # Later writers may add members; read only the ones this model knows.
    known = {f.name for f in dataclasses.fields(model.RunMetadata)}
    run = {key: value for key, value in document["run"].items() if key in known}
    if "completion" in run:  # absent before version 4: such a run said nothing of it
        run["completion"] = model.Completion(**run["completion"])
    return model.RunResult(
        metadata=model.RunMetadata(**run),
        records=[_record_from_dict(record) for record in document["records"]],
        operations=[
            model.OperationInfo(
                operation_id=op["operation_id"],
                method=op["method"],
                path=op["path"],
                documented_status_codes=tuple(op["documented_status_codes"]),
            )
            for op in document["operations"]
        ],
        observed={
            op["operation_id"]: model.Observed(
                tuple(op["status_codes_seen"]), tuple(op["undocumented_properties"])
            )
            for op in document["operations"]
            if op["status_codes_seen"] or op["undocumented_properties"]
        },
        tests=[model.TestOutcome(**test) for test in document["tests"]],
        behaviour=(
            TargetBehaviour.from_document(document["behaviour"])
            if "behaviour" in document
            else TargetBehaviour()
        ),
    )


def _observed(result: model.RunResult, operation_id: str) -> model.Observed:
    return result.observed.get(operation_id, model.Observed())


def render_results_json(result: model.RunResult, redactor: Redactor | None = None) -> str:
    redacted = (redactor or default_redactor()).redact_result(result)
    return json.dumps(results_to_dict(redacted), indent=2, ensure_ascii=False) + "\n"


def write_results_json(
    result: model.RunResult, path: Path | str, redactor: Redactor | None = None
) -> Path:
    path = Path(path)
    path.write_text(render_results_json(result, redactor), encoding="utf-8")
    return path


def load_results(path: Path | str) -> model.RunResult:
    """Read and validate a results file. Raises `ResultsFileError` (a one-line message) for a
    file that is not JSON or not a results file, `OSError` when it cannot be read."""
    return results_from_dict(read_json_file(path), source=str(path))


def read_json_file(path: Path | str) -> Any:
    """The JSON document a file holds. `ResultsFileError` (one line) when it is not JSON,
    `OSError` when it cannot be read."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ResultsFileError(f"{path}: not JSON ({error.msg} at line {error.lineno})") from None


def _record_to_dict(record: model.CheckRecord) -> dict[str, Any]:
    return {
        "record_type": record.record_type,
        "operation_id": record.operation_id,
        "check": record.check,
        "kind": record.kind,
        "outcome": record.outcome,
        "reason": record.reason,
        "documented": record.documented,
        "source": record.source,
        "cases": record.cases,
        "failures": record.failures,
        "exchange": _exchange_to_dict(record.exchange) if record.exchange else None,
        "tests": list(record.tests),
        "duration_ms": record.duration_ms,
        "stopped_by": dataclasses.asdict(record.stopped_by) if record.stopped_by else None,
    }


def _exchange_to_dict(exchange: model.Exchange) -> dict[str, Any]:
    return {
        "method": exchange.method,
        "url": exchange.url,
        "request": {"headers": dict(exchange.request_headers), "body": exchange.request_body},
        "response": {
            "status_code": exchange.status_code,
            "headers": dict(exchange.response_headers),
            "body": exchange.response_body,
        },
        "elapsed_ms": exchange.elapsed_ms,
        "operation_id": exchange.operation_id,
    }


def _record_from_dict(data: dict[str, Any]) -> model.CheckRecord:
    exchange = data["exchange"]
    return model.CheckRecord(
        record_type=data["record_type"],
        operation_id=data["operation_id"],
        check=data["check"],
        kind=data["kind"],
        outcome=data["outcome"],
        reason=data["reason"],
        documented=data["documented"],
        source=data["source"],
        cases=data["cases"],
        failures=data["failures"],
        exchange=_exchange_from_dict(exchange) if exchange is not None else None,
        tests=list(data["tests"]),
        duration_ms=data["duration_ms"],
        # Files written before these members were added say nothing of either.
        stopped_by=model.StoppedBy(**data["stopped_by"]) if data.get("stopped_by") else None,
    )


def _exchange_from_dict(data: dict[str, Any]) -> model.Exchange:
    return model.Exchange(
        method=data["method"],
        url=data["url"],
        request_headers=dict(data["request"]["headers"]),
        request_body=data["request"]["body"],
        status_code=data["response"]["status_code"],
        response_headers=dict(data["response"]["headers"]),
        response_body=data["response"]["body"],
        elapsed_ms=data["elapsed_ms"],
        operation_id=data.get("operation_id"),
    )
