"""What the client gate prints and writes: each distinct finding once, with its count.

Findings are the violation records the emulator keeps (`Violation.as_dict()`, the control
API's `GET .../violations`). Those that differ only in the object a path names are one
finding: the first request stands for them, with the tracking id its answer carried (the
client's own logs show it). Violations fail the gate; warnings only with --fail-on-warnings.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SUITE_NAME = "client-contract-gate"


@dataclass(frozen=True)
class Finding:
    """A distinct finding: how many requests made it, and the first of them."""

    kind: str
    count: int
    first: dict

    @property
    def title(self) -> str:
        """What was wrong, without the object ids of the request that showed it."""
        where = self.first["operationId"] or f"{self.first['method']} {self.first['path']}"
        return f"{where}: {self.first['reason']}"

    def line(self) -> str:
        first = self.first
        operation = f"{first['operationId']} " if first["operationId"] else ""
        details = [f"{self.count} time{'s' if self.count != 1 else ''}"]
        if first.get("member"):
            details.append(f"member {first['member']}")
        if first.get("trackingId"):
            details.append(f"trackingId {first['trackingId']}")
        if first.get("clientId"):
            details.append(f"client {first['clientId']}")
        return (
            f"{self.kind}: {operation}{first['method']} {first['path']} -> {first['status']}: "
            f"{first['reason']} ({'; '.join(details)})"
        )


def distinct(records: Iterable[dict]) -> list[Finding]:
    """Each distinct finding once, violations first, each in the order first seen."""
    counts: dict[tuple, int] = {}
    firsts: dict[tuple, dict] = {}
    for record in records:
        where = record["operationId"] or record["path"]
        key = (record.get("kind", "violation"), where, record["method"], record["status"])
        key += (record["reason"],)
        counts[key] = counts.get(key, 0) + 1
        firsts.setdefault(key, record)
    found = [Finding(key[0], counts[key], firsts[key]) for key in firsts]
    return sorted(found, key=lambda finding: finding.kind != "violation")


def failing(findings: list[Finding], fail_on_warnings: bool) -> list[Finding]:
    return [f for f in findings if f.kind == "violation" or fail_on_warnings]


def summary(findings: list[Finding]) -> str:
    violations = sum(1 for f in findings if f.kind == "violation")
    return f"{violations} contract violation(s), {len(findings) - violations} warning(s)"


def write_junit(path: Path, findings: list[Finding], fail_on_warnings: bool) -> Path:
    """One test case per distinct finding (a failure for each that fails the gate, the others
    passing with the finding as their output); one passing case when there is none."""
    fails = failing(findings, fail_on_warnings)
    totals = {"tests": str(max(1, len(findings))), "failures": str(len(fails)), "errors": "0"}
    root = ET.Element("testsuites", {"name": SUITE_NAME, **totals})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE_NAME, **totals})
    for finding in findings:
        case = ET.SubElement(
            suite, "testcase", {"classname": f"{SUITE_NAME}.{finding.kind}s", "name": finding.title}
        )
        if finding in fails:
            failure = ET.SubElement(case, "failure", {"message": finding.title})
            failure.text = finding.line()
        else:
            ET.SubElement(case, "system-out").text = finding.line()
    if not findings:
        ET.SubElement(suite, "testcase", {"classname": SUITE_NAME, "name": "no contract findings"})
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")
    return path
