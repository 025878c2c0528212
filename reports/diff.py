"""What changed between two runs (typically a tenant before and after an upgrade).

Regressions, which make `python -m reports diff` exit 1:
- a check that did not fail before fails now (also a check that did not run before);
- a response member the schema does not declare appears for an operation;
- an operation got slower by a wide margin: the median duration of the checks both runs ran
  for it grew by more than `slowdown_factor` and by at least `min_slowdown_ms` (both, so that
  neither a 3 ms -> 9 ms blip nor a 10 s -> 10.1 s wobble counts).

Everything else (fixed failures, status codes newly seen or no longer seen, undocumented
members that vanished, failures not run again) is reported but is not a regression.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from statistics import median
from typing import Any

from reports.model import RunResult, fold_outcomes

DEFAULT_SLOWDOWN_FACTOR = 2.0
MIN_SLOWDOWN_MS = 50.0

Cell = tuple[str, str]  # (operation id or "run", check)


@dataclass(frozen=True)
class CellChange:
    operation: str
    check: str
    before: str | None  # folded outcome, None when the check did not run
    after: str | None
    reason: str  # the failure's reason (the current one, or the old one for fixed failures)


@dataclass(frozen=True)
class Slowdown:
    operation: str
    before_ms: float
    after_ms: float

    @property
    def ratio(self) -> float:
        if self.before_ms > 0:
            return self.after_ms / self.before_ms
        return math.inf if self.after_ms > 0 else 1.0


@dataclass
class RunDiff:
    before_run_id: str
    after_run_id: str
    before_spec_digest: str
    after_spec_digest: str
    new_failures: list[CellChange] = field(default_factory=list)
    fixed_failures: list[CellChange] = field(default_factory=list)
    failures_not_rerun: list[CellChange] = field(default_factory=list)
    status_codes_appeared: dict[str, list[int]] = field(default_factory=dict)
    status_codes_vanished: dict[str, list[int]] = field(default_factory=dict)
    undocumented_appeared: dict[str, list[str]] = field(default_factory=dict)
    undocumented_vanished: dict[str, list[str]] = field(default_factory=dict)
    slower: list[Slowdown] = field(default_factory=list)

    @property
    def spec_digest_changed(self) -> bool:
        return self.before_spec_digest != self.after_spec_digest

    @property
    def regression_count(self) -> int:
        appeared = sum(len(pointers) for pointers in self.undocumented_appeared.values())
        return len(self.new_failures) + appeared + len(self.slower)

    @property
    def regressed(self) -> bool:
        return self.regression_count > 0

    @property
    def changed(self) -> bool:
        return self.regressed or any(
            (
                self.fixed_failures,
                self.failures_not_rerun,
                self.status_codes_appeared,
                self.status_codes_vanished,
                self.undocumented_vanished,
            )
        )

    def warnings(self) -> list[str]:
        if not self.spec_digest_changed:
            return []
        return [
            f"the runs used different specs (spec_digest {self.before_spec_digest[:12]} before, "
            f"{self.after_spec_digest[:12]} after); differences may come from the spec"
        ]


def compare_runs(
    before: RunResult,
    after: RunResult,
    slowdown_factor: float = DEFAULT_SLOWDOWN_FACTOR,
    min_slowdown_ms: float = MIN_SLOWDOWN_MS,
) -> RunDiff:
    diff = RunDiff(
        before_run_id=before.metadata.run_id,
        after_run_id=after.metadata.run_id,
        before_spec_digest=before.metadata.spec_digest,
        after_spec_digest=after.metadata.spec_digest,
    )
    old_cells, new_cells = _cells(before), _cells(after)
    for cell in sorted(old_cells.keys() | new_cells.keys()):
        old, old_reason = old_cells.get(cell, (None, ""))
        new, new_reason = new_cells.get(cell, (None, ""))
        if new == "fail" and old != "fail":
            diff.new_failures.append(CellChange(*cell, old, new, new_reason))
        elif old == "fail" and new == "pass":
            diff.fixed_failures.append(CellChange(*cell, old, new, old_reason))
        elif old == "fail" and new != "fail":
            diff.failures_not_rerun.append(CellChange(*cell, old, new, old_reason))

    old_codes, new_codes = before.status_codes_seen(), after.status_codes_seen()
    diff.status_codes_appeared = _added(old_codes, new_codes)
    diff.status_codes_vanished = _added(new_codes, old_codes)
    old_members = {k: set(v) for k, v in before.undocumented_properties().items()}
    new_members = {k: set(v) for k, v in after.undocumented_properties().items()}
    diff.undocumented_appeared = _added(old_members, new_members)
    diff.undocumented_vanished = _added(new_members, old_members)
    diff.slower = _slowdowns(before, after, slowdown_factor, min_slowdown_ms)
    return diff


def _cells(result: RunResult) -> dict[Cell, tuple[str | None, str]]:
    """(row, check) -> (folded outcome, reason of its first failure)."""
    outcomes: dict[Cell, list[str]] = {}
    reasons: dict[Cell, str] = {}
    for record in result.records:
        cell = (record.row, record.check)
        outcomes.setdefault(cell, []).append(record.outcome)
        if record.outcome == "fail":
            reasons.setdefault(cell, record.reason)
    return {cell: (fold_outcomes(seen), reasons.get(cell, "")) for cell, seen in outcomes.items()}


def _added(old: dict[str, set[Any]], new: dict[str, set[Any]]) -> dict[str, list[Any]]:
    added = {key: sorted(values - old.get(key, set())) for key, values in new.items()}
    return {key: values for key, values in sorted(added.items()) if values}


def _slowdowns(before: RunResult, after: RunResult, factor: float, min_ms: float) -> list[Slowdown]:
    """Compare only checks both runs ran (not skipped) for an operation, so a check added to
    the suite, or one skipped in one run, does not pass for a slowdown."""
    old, new = _durations(before), _durations(after)
    slower = []
    for operation in sorted(old.keys() & new.keys()):
        common = old[operation].keys() & new[operation].keys()
        if not common:
            continue
        before_ms = median(d for check in common for d in old[operation][check])
        after_ms = median(d for check in common for d in new[operation][check])
        slowdown = Slowdown(operation, before_ms, after_ms)
        if slowdown.ratio > factor and after_ms - before_ms >= min_ms:
            slower.append(slowdown)
    return slower


def _durations(result: RunResult) -> dict[str, dict[str, list[float]]]:
    durations: dict[str, dict[str, list[float]]] = {}
    for record in result.records:
        if record.operation_id is not None and record.outcome != "skip":
            checks = durations.setdefault(record.operation_id, {})
            checks.setdefault(record.check, []).append(record.duration_ms)
    return durations


def format_json(diff: RunDiff) -> str:
    document = asdict(diff)
    document["slower"] = [
        {**asdict(s), "ratio": s.ratio if math.isfinite(s.ratio) else None} for s in diff.slower
    ]
    document.update(
        spec_digest_changed=diff.spec_digest_changed,
        regressed=diff.regressed,
        regression_count=diff.regression_count,
    )
    return json.dumps(document, indent=2)


def format_text(diff: RunDiff) -> str:
    return "\n".join(_lines(diff, markdown=False))


def format_markdown(diff: RunDiff) -> str:
    return "\n".join(_lines(diff, markdown=True))


def _lines(diff: RunDiff, markdown: bool) -> list[str]:
    def code(text: object) -> str:
        return f"`{text}`" if markdown else str(text)

    def group(title: str, items: list[str]) -> list[str]:
        if not items:
            return []
        heading = f"### {title} ({len(items)})" if markdown else f"{title} ({len(items)}):"
        bullet = "- " if markdown else "  "
        return ["", heading, *(f"{bullet}{item}" for item in items)]

    def cell(change: CellChange) -> str:
        reason = change.reason.strip().splitlines()[0] if change.reason.strip() else ""
        where = f"{code(change.operation)} · {code(change.check)}"
        return f"{where}: {reason}" if reason else where

    regressions = [f"new failure: {cell(c)}" for c in diff.new_failures]
    regressions += [
        f"undocumented property appeared: {code(op)} {code(p)}"
        for op, pointers in diff.undocumented_appeared.items()
        for p in pointers
    ]
    regressions += [
        f"slower: {code(s.operation)} median {s.before_ms:.0f} ms -> {s.after_ms:.0f} ms "
        f"(×{s.ratio:.1f})"
        for s in diff.slower
    ]
    improvements = [f"fixed: {cell(c)}" for c in diff.fixed_failures]
    improvements += [
        f"undocumented property vanished: {code(op)} {code(p)}"
        for op, pointers in diff.undocumented_vanished.items()
        for p in pointers
    ]
    others = [
        f"failed before, {c.after or 'not run'} now: {cell(c)}" for c in diff.failures_not_rerun
    ]
    for op in sorted(diff.status_codes_appeared.keys() | diff.status_codes_vanished.keys()):
        parts = []
        if diff.status_codes_appeared.get(op):
            parts.append("newly seen " + ", ".join(map(str, diff.status_codes_appeared[op])))
        if diff.status_codes_vanished.get(op):
            parts.append("no longer seen " + ", ".join(map(str, diff.status_codes_vanished[op])))
        others.append(f"status codes of {code(op)}: {'; '.join(parts)}")

    title = f"Run {code(diff.after_run_id)} compared with run {code(diff.before_run_id)}"
    lines = [f"## {title}" if markdown else title]
    if markdown:
        lines += [f"> **Warning:** {warning}" for warning in diff.warnings()]
    lines += group("Regressions", regressions)
    lines += group("Improvements", improvements)
    lines += group("Other changes", others)
    if not diff.changed:
        verdict = "No changes."
    elif diff.regressed:
        verdict = f"Result: {diff.regression_count} regression(s)."
    else:
        verdict = "Result: no regressions."
    return [*lines, "", f"**{verdict}**" if markdown else verdict]
