"""What the target now does differently, read from the runs' `behaviour` sections: each a
`Finding` in plain words, with the stated rule that makes it a regression, a fix or a change.

- a success status replaced by another ("createCampaign now answers 200; it answered 202
  before"): a regression, since a client that checks the status breaks either way;
- a known drift item whose source flipped (conformance/test_vendor_drift.py): a value now
  refused is a regression (requests that worked now fail), one now accepted a change
  (requests that failed now work, nothing that worked breaks); a success status change merges
  with the line above; following neither source is a regression;
- an enum value the documents do not list, newly seen: a regression (a client matching the
  documented values meets one it does not know).

Several runs on the before side: what any of them saw counts as seen before, and a drift
item is compared only when they agree on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reports.behaviour import DriftFinding, TargetBehaviour

SUCCESS_CHANGED = "a changed success status breaks clients either way"
NOW_REFUSED = "requests that worked now fail"
NOW_ACCEPTED = "requests that failed now work; nothing that worked breaks"
FOLLOWS_NEITHER = "the target follows neither the documents nor the vendor's description"
SOURCE_CHANGED = "the target follows the other description now"
ENUM_UNLISTED = "a client matching the documented values meets one it does not know"

SOURCES = {
    "documents": "the documents",
    "published": "the vendor's published description",
    "neither": "neither description",
}


@dataclass(frozen=True)
class Finding:
    verdict: str  # "regression", "fix" or "change"
    text: str  # what the target does differently, in plain words
    because: str  # the stated rule that makes it a regression, a fix or a change
    operation: str | None = None


def behaviour_findings(befores: Sequence[TargetBehaviour], after: TargetBehaviour) -> list[Finding]:
    drift, explained = _drift_findings(befores, after)
    return [*_success_status_changes(befores, after, explained), *drift, *_enums(befores, after)]


def _success(behaviour: TargetBehaviour, operation: str) -> set[int]:
    return {int(c) for c in behaviour.status_counts.get(operation, {}) if 200 <= int(c) < 300}


def _success_status_changes(
    befores: Sequence[TargetBehaviour], after: TargetBehaviour, explained: dict[str, str]
) -> list[Finding]:
    findings = []
    for operation in sorted(after.status_counts):
        now = _success(after, operation)
        seen_before = [_success(before, operation) for before in befores]
        if not now or not all(seen_before):
            continue  # not answered with success on some side: nothing to compare
        new = now - set().union(*seen_before)
        gone = set.intersection(*seen_before) - now
        if not (new and gone):
            continue  # the same statuses, or more of them: not a replacement
        text = f"{operation} now answers {_codes(new)}; it answered {_codes(gone)} before" + (
            f" ({explained[operation]})" if operation in explained else ""
        )
        findings.append(Finding("regression", text, SUCCESS_CHANGED, operation))
    return findings


def _drift_findings(
    befores: Sequence[TargetBehaviour], after: TargetBehaviour
) -> tuple[list[Finding], dict[str, str]]:
    """The drift items that flipped, and for success-status flips the words the status
    change line carries instead of a line of their own (one cause, one line)."""
    findings, explained = [], {}
    for item, now in sorted(after.drift.items()):
        earlier = [before.drift.get(item) for before in befores]
        if any(found is None for found in earlier) or len({f.follows for f in earlier}) != 1:
            continue  # not seen, or the before runs disagree: nothing to compare
        was = earlier[0]
        if was is None or was.follows == now.follows:
            continue
        sources = f"the target follows {SOURCES[now.follows]} now, {SOURCES[was.follows]} before"
        if _is_success(was) and _is_success(now) and was.status != now.status:
            explained[now.operation_id or ""] = f"{item}: {sources}"
            continue
        findings.append(_drift_finding(item, was, now, sources))
    return findings, explained


def _drift_finding(item: str, was: DriftFinding, now: DriftFinding, sources: str) -> Finding:
    if now.follows == "neither":
        text = f"{item}: answered {now.status}; {sources}"
        return Finding("regression", text, FOLLOWS_NEITHER, now.operation_id)
    said = now.documents if now.follows == "documents" else now.published
    if _is_success(was) and not _is_success(now):
        text = f"{item}: now refused with {now.status} ({said}), accepted with {was.status} before"
        return Finding("regression", f"{text}; {sources}", NOW_REFUSED, now.operation_id)
    if not _is_success(was) and _is_success(now):
        text = f"{item}: now accepted with {now.status} ({said}), refused with {was.status} before"
        return Finding("change", f"{text}; {sources}", NOW_ACCEPTED, now.operation_id)
    return Finding("change", f"{item}: {sources} ({said})", SOURCE_CHANGED, now.operation_id)


def _is_success(found: DriftFinding) -> bool:
    return found.status is not None and 200 <= found.status < 300


def _enums(befores: Sequence[TargetBehaviour], after: TargetBehaviour) -> list[Finding]:
    seen = {(e.operation_id, e.pointer, e.value) for b in befores for e in b.enum_values}
    findings = []
    for found in after.enum_values:
        key = (found.operation_id, found.pointer, found.value)
        if key in seen:
            continue
        seen.add(key)
        text = (
            f"{found.operation_id} answered {found.value} at {found.pointer}, a value the "
            "documents do not list (newly seen)"
        )
        findings.append(Finding("regression", text, ENUM_UNLISTED, found.operation_id))
    return findings


def _codes(codes: set[int]) -> str:
    return " or ".join(str(code) for code in sorted(codes))
