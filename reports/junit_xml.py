"""`junit.xml`: the run for CI systems (Jenkins, GitLab, GitHub test reporters, Azure DevOps).

One `<testsuite>` inside `<testsuites>`, one `<testcase>` per outcome pytest counted (as
pytest's own --junitxml does: a test that fails and then errors in teardown is two), so the
failures, errors and skipped totals equal pytest's summary line. A failed test's text names
the rules and checks it broke (from the records), what the document says and what the server
did, with the deciding request and a `curl`. Only the attributes the common readers agree on
are used, and the timestamp is written without an offset because the Ant JUnit schema several
readers validate against allows none.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from reports.curl_command import curl_command
from reports.model import CheckRecord, RunResult, TestOutcome
from reports.redaction import Redactor, default_redactor

SUITE_NAME = "certification-campaigns-conformance"

# Characters XML 1.0 cannot carry even escaped; a response body may contain any of them, and a
# single one would make the whole file unreadable to the CI system.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_junit_xml(result: RunResult, redactor: Redactor | None = None) -> str:
    result = (redactor or default_redactor()).redact_result(result)
    meta = result.metadata
    counts = result.test_counts()
    # An incomplete run: one more error, saying why; except for a module that could not be
    # collected, which pytest already counts as an error of its own.
    headline = "" if meta.completion.stopped == "collection-error" else meta.completion.headline()
    totals = {
        "tests": str(len(result.tests) + bool(headline)),
        "failures": str(counts["failed"]),
        "errors": str(counts["error"] + bool(headline)),
        "skipped": str(counts["skipped"] + counts["xfailed"]),
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
    broken: dict[str, list[CheckRecord]] = {}
    for record in result.failures():
        for nodeid in record.tests:
            broken.setdefault(nodeid, []).append(record)
    if headline:
        case = ET.SubElement(
            suite, "testcase", {"classname": SUITE_NAME, "name": "run", "time": "0"}
        )
        ET.SubElement(case, "error", {"message": _xml_text(headline)}).text = _xml_text(headline)
    for test in result.tests:
        suite.append(_testcase(test, broken.get(test.nodeid, [])))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit_xml(result: RunResult, path: Path | str, redactor: Redactor | None = None) -> Path:
    path = Path(path)
    path.write_text(render_junit_xml(result, redactor), encoding="utf-8")
    return path


def _testcase(test: TestOutcome, broken: list[CheckRecord]) -> ET.Element:
    module, _, name = test.nodeid.rpartition("::")
    case = ET.Element(
        "testcase",
        {
            "classname": _xml_text(module.replace("/", ".").removesuffix(".py") or name),
            "name": _xml_text(name + ("" if test.phase == "call" else f" ({test.phase})")),
            "time": _seconds(test.duration_ms),
        },
    )
    if test.outcome in ("failed", "error"):
        element = "failure" if test.outcome == "failed" else "error"
        first = _first_line(broken[0].reason) if broken else _first_line(test.message)
        failure = ET.SubElement(
            case, element, {"message": _xml_text(first), "type": _kind(broken, test)}
        )
        failure.text = _xml_text(
            "\n\n".join([*(_failure_text(record) for record in broken), test.message])
        )
    elif test.outcome in ("skipped", "xfailed"):
        ET.SubElement(case, "skipped", {"message": _xml_text(_first_line(test.message))})
    return case


def _kind(broken: list[CheckRecord], test: TestOutcome) -> str:
    if broken:
        return ", ".join(dict.fromkeys(f"{r.record_type}:{r.check}" for r in broken))
    return test.outcome


def _failure_text(record: CheckRecord) -> str:
    subject = (
        f"rule {record.check}"
        if record.record_type == "rule"
        else (f"{record.row} · {record.check}")
    )
    lines = [
        f"{subject} ({record.outcome})",
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
        "seed": "random" if meta.seed is None else str(meta.seed),
        "completion": meta.completion.headline() or "completed",
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
