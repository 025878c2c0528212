"""`junit.xml`: the run for CI systems (Jenkins, GitLab, GitHub test reporters, Azure DevOps).

One `<testsuite>` inside `<testsuites>`, one `<testcase>` per record: classname is the
operation id (or "run" for run-wide rules), name is the check. Only the attributes the common
readers agree on are used, and the timestamp is written without an offset because the Ant
JUnit schema several readers validate against allows none.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from reports.curl_command import curl_command
from reports.model import CheckRecord, RunResult
from reports.redaction import Redactor, default_redactor

SUITE_NAME = "certification-campaigns-conformance"

# Characters XML 1.0 cannot carry even escaped; a response body may contain any of them, and a
# single one would make the whole file unreadable to the CI system.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_junit_xml(result: RunResult, redactor: Redactor | None = None) -> str:
    result = (redactor or default_redactor()).redact_result(result)
    meta = result.metadata
    counts = result.outcome_counts()
    totals = {
        "tests": str(len(result.records)),
        "failures": str(counts["fail"]),
        "errors": "0",
        "skipped": str(counts["skip"]),
        "time": _seconds(meta.duration_s * 1000),
    }
    root = ET.Element("testsuites", {"name": SUITE_NAME, **totals})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE_NAME, **totals})
    timestamp = _junit_timestamp(meta.started_at)
    if timestamp:
        suite.set("timestamp", timestamp)
    properties = ET.SubElement(suite, "properties")
    for name, value in _run_properties(result).items():
        ET.SubElement(properties, "property", {"name": name, "value": _xml_text(value)})
    for record in result.records:
        suite.append(_testcase(record))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit_xml(result: RunResult, path: Path | str, redactor: Redactor | None = None) -> Path:
    path = Path(path)
    path.write_text(render_junit_xml(result, redactor), encoding="utf-8")
    return path


def _testcase(record: CheckRecord) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "classname": _xml_text(record.row),
            "name": _xml_text(record.check),
            "time": _seconds(record.duration_ms),
        },
    )
    if record.outcome == "fail":
        failure = ET.SubElement(
            case, "failure", {"message": _xml_text(_first_line(record.reason)), "type": record.kind}
        )
        failure.text = _xml_text(_failure_text(record))
    elif record.outcome == "skip":
        ET.SubElement(case, "skipped", {"message": _xml_text(_first_line(record.reason))})
    return case


def _failure_text(record: CheckRecord) -> str:
    lines = [
        f"The document says: {record.documented or '(no sentence recorded)'}",
        f"The server did: {record.reason or '(no reason recorded)'}",
    ]
    if record.exchange is not None:
        exchange = record.exchange
        lines += [
            "",
            f"Request: {exchange.method} {exchange.url}",
            f"Response: {exchange.status_code if exchange.status_code is not None else 'none'}",
            exchange.response_body or "",
            "",
            "Reproduce:",
            curl_command(exchange),
        ]
    return "\n".join(lines)


def _run_properties(result: RunResult) -> dict[str, str]:
    meta = result.metadata
    properties = {
        "run_id": meta.run_id,
        "target_url": meta.target_url,
        "target_kind": meta.target_kind,
        "spec_digest": meta.spec_digest,
        "suite_version": meta.suite_version,
        "started_at": meta.started_at,
        "request_count": str(meta.request_count),
        "hypothesis_profile": meta.hypothesis_profile,
        "read_only": str(meta.read_only).lower(),
        "strict": str(meta.strict).lower(),
    }
    properties.update({f"version:{k}": v for k, v in sorted(meta.dependency_versions.items())})
    return properties


def _junit_timestamp(started_at: str) -> str | None:
    try:
        moment = datetime.fromisoformat(started_at)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _seconds(milliseconds: float) -> str:
    return f"{max(milliseconds, 0.0) / 1000:.3f}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
