"""What changed between runs of one target (typically before and after a tenant's upgrade).

Records are compared by key: a rule by its id, a check by (operation id, check name), so
renaming a test changes nothing here. What the target now does differently comes first, as
`Finding`s read from the `behaviour` sections (reports.behaviour_diff). Then the records:

Regressions, which make `python -m reports diff` exit 1, counted by cause:
- a rule or check that did not fail before fails now, or errors now ("newly errors"), or ran
  before and was kept from running now by a cause it records (`stopped_by`: "stopped
  running");
- a 5xx status newly seen for an operation;
- a response member the schema does not declare appears for an operation.
Records that one cause explains are one regression: those its test did not reach because of
it (their `stopped_by`), the records decided on a 5xx answer of one operation together with
that 5xx, and the rule or check that stopped a test with the records it kept from running.

A record that ran before and now has no verdict without such a cause (its test was skipped,
or no request of the run reached it) is no regression: what was sent differs, not the target.

Not regressions: fixed failures; rules and checks that run now and did not before; other
status codes newly seen or no longer seen; undocumented members that vanished; slowdowns of
the server's time (reports.server_time), which fail the diff only when asked to
(`--fail-on-slower`); and, with several runs on the before side, records whose outcome
differs among them: flaky, listed apart and never compared. When a run is a passive
observation (the recording proxy's, profile `passive-observation`), only the operations and
checks every run observed are compared; the rest is listed as not compared.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from reports.behaviour_diff import Finding, behaviour_findings
from reports.model import CheckRecord, RunResult, StoppedBy, fold_outcomes
from reports.server_answer import what_the_server_did
from reports.server_time import (
    DEFAULT_SLOWDOWN_FACTOR,
    MIN_SLOWDOWN_MS,
    Slowdown,
    slowdowns,
)

# The profile of a passive observation (the recording proxy, emulator.proxy.observation): nothing
# was generated, so only what every compared run observed is compared.
OBSERVATION_PROFILE = "passive-observation"
RAN = ("pass", "fail", "error")
NOT_RUN = (None, "skip", "not-run")

Key = tuple[str, str]  # ("rule", rule id) or (operation id, check name)
__all__ = ["DEFAULT_SLOWDOWN_FACTOR", "Change", "Finding", "RunDiff", "compare_runs"]


@dataclass(frozen=True)
class Change:
    """One rule or check whose outcome changed between the runs."""

    record_type: str  # "rule" or "check"
    name: str  # the rule id or the check name
    operation: str  # the check's operation; for a rule, the operation of its deciding request
    before: str | None  # folded outcome, None when there was no record
    after: str | None
    documented: str  # what the document says
    did: str  # what the server did: status and the decisive part of the body, one line
    details: str = ""  # where the whole exchange is: "report.html#failure-3"
    stopped_by: StoppedBy | None = None  # why a record that stopped running was not reached
    status: int | None = None  # the status of the deciding answer


@dataclass(frozen=True)
class Cause:
    """Several regressions one cause explains: a 5xx answer of an operation, or a test
    stopped by a rule, a check, an outage or an error; with the records it explains."""

    kind: str  # a StoppedBy kind
    id: str  # the status, rule id, check name, ... (reports.model.StoppedBy)
    operation: str | None
    changes: tuple[Change, ...] = ()
    server_errors: tuple[int, ...] = ()  # 5xx statuses newly seen for the operation


@dataclass
class RunDiff:
    before_run_ids: list[str]
    after_run_id: str
    before_spec_digest: str
    after_spec_digest: str
    before_seed: int | None = None
    after_seed: int | None = None
    before_profile: str = ""
    after_profile: str = ""
    findings: list[Finding] = field(default_factory=list)
    new_failures: list[Change] = field(default_factory=list)
    new_errors: list[Change] = field(default_factory=list)
    stopped_running: list[Change] = field(default_factory=list)
    causes: list[Cause] = field(default_factory=list)
    fixed: list[Change] = field(default_factory=list)
    started_running: list[Change] = field(default_factory=list)
    no_longer_judged: list[Change] = field(default_factory=list)
    not_reached: list[Change] = field(default_factory=list)  # by an after run cut short
    incomplete: str = ""  # the after run's headline, when it did not complete
    flaky: list[Change] = field(default_factory=list)
    # Observations: what one side observed and another did not ("operation" or
    # "operation check"), listed and never compared.
    not_compared: list[str] = field(default_factory=list)
    server_errors_appeared: dict[str, list[int]] = field(default_factory=dict)
    status_codes_appeared: dict[str, list[int]] = field(default_factory=dict)
    status_codes_vanished: dict[str, list[int]] = field(default_factory=dict)
    undocumented_appeared: dict[str, list[str]] = field(default_factory=dict)
    undocumented_vanished: dict[str, list[str]] = field(default_factory=dict)
    slower: list[Slowdown] = field(default_factory=list)
    fail_on_slower: bool = False

    @property
    def before_run_id(self) -> str:
        return self.before_run_ids[0]

    @property
    def spec_digest_changed(self) -> bool:
        return self.before_spec_digest != self.after_spec_digest

    def alone(self) -> list[Change]:
        """Regressions of records no cause explains, one line each."""
        explained = {id(c) for cause in self.causes for c in cause.changes}
        return [
            c
            for c in (*self.new_failures, *self.new_errors, *self.stopped_running)
            if id(c) not in explained
        ]

    @property
    def regression_count(self) -> int:
        return (
            sum(f.verdict == "regression" for f in self.findings)
            + len(self.causes)
            + len(self.alone())
            + sum(len(pointers) for pointers in self.undocumented_appeared.values())
            + (len(self.slower) if self.fail_on_slower else 0)
        )

    @property
    def regressed(self) -> bool:
        return self.regression_count > 0

    @property
    def changed(self) -> bool:
        return self.regressed or any(
            (
                self.findings,
                self.fixed,
                self.started_running,
                self.no_longer_judged,
                self.not_reached,
                self.status_codes_appeared,
                self.status_codes_vanished,
                self.undocumented_vanished,
                self.slower,
                self.flaky,
            )
        )

    def warnings(self) -> list[str]:
        warnings = []
        if self.spec_digest_changed:
            warnings.append(
                f"the runs used different specs (spec_digest {self.before_spec_digest[:12]} "
                f"before, {self.after_spec_digest[:12]} after); differences may come from the spec"
            )
        if self.before_profile != self.after_profile:
            warnings.append(
                f"the runs used different profiles ({self.before_profile or 'unknown'} before, "
                f"{self.after_profile or 'unknown'} after): they sent different requests"
            )
        same_run = self.after_run_id in self.before_run_ids
        if not same_run and (self.before_seed is None or self.before_seed != self.after_seed):
            warnings.append(
                "the runs were not given the same --seed, so they generated different requests; "
                "a change seen only once may come from that"
            )
        return warnings


def compare_runs(
    before: RunResult | Sequence[RunResult],
    after: RunResult,
    slowdown_factor: float = DEFAULT_SLOWDOWN_FACTOR,
    min_slowdown_ms: float = MIN_SLOWDOWN_MS,
    report_link: str = "",
    fail_on_slower: bool = False,
) -> RunDiff:
    """`before`: one run or several (the first is the one reported as "before"; records whose
    outcome differs among them are flaky). `report_link`: the after run's report.html, linked
    from each change for the details."""
    befores = [before] if isinstance(before, RunResult) else list(before)
    befores, after, not_compared = _observed_on_every_side(befores, after)
    first = befores[0].metadata
    diff = RunDiff(
        before_run_ids=[b.metadata.run_id for b in befores],
        after_run_id=after.metadata.run_id,
        before_spec_digest=first.spec_digest,
        after_spec_digest=after.metadata.spec_digest,
        before_seed=first.seed,
        after_seed=after.metadata.seed,
        before_profile=first.hypothesis_profile,
        after_profile=after.metadata.hypothesis_profile,
        fail_on_slower=fail_on_slower,
        findings=behaviour_findings([b.behaviour for b in befores], after.behaviour),
    )
    diff.not_compared = not_compared
    _compare_records(diff, befores, after, report_link)
    olds = [b.status_codes_seen() for b in befores]
    new_codes = after.status_codes_seen()
    appeared = _added(_union(olds), new_codes)
    diff.server_errors_appeared = {
        op: [c for c in codes if c >= 500] for op, codes in appeared.items() if max(codes) >= 500
    }
    diff.status_codes_appeared = {
        op: [c for c in codes if c < 500] for op, codes in appeared.items() if min(codes) < 500
    }
    diff.status_codes_vanished = _added(new_codes, _intersection(olds))
    old_members = [{k: set(v) for k, v in b.undocumented_properties().items()} for b in befores]
    new_members = {k: set(v) for k, v in after.undocumented_properties().items()}
    diff.undocumented_appeared = _added(_union(old_members), new_members)
    diff.undocumented_vanished = _added(new_members, _intersection(old_members))
    diff.causes = _causes(diff)
    if not after.metadata.completion.completed:  # what it did not reach cannot be compared
        diff.not_reached, diff.no_longer_judged = diff.no_longer_judged, []
        diff.incomplete = after.metadata.completion.headline()
    after_ms = dict(after.behaviour.server_ms)
    diff.slower = slowdowns(_merged_samples(befores), after_ms, slowdown_factor, min_slowdown_ms)
    return diff


def _observed_on_every_side(
    befores: list[RunResult], after: RunResult
) -> tuple[list[RunResult], RunResult, list[str]]:
    """When a run is a passive observation, the runs restricted to the operations, and the
    checks of them, that every run observed; and what that leaves out. Other runs as given."""
    runs = [*befores, after]
    if all(run.metadata.hypothesis_profile != OBSERVATION_PROFILE for run in runs):
        return befores, after, []
    operations = [set(run.behaviour.status_counts) for run in runs]
    common = set.intersection(*operations)
    keys = [{r.key for r in run.records if r.operation_id in common} for run in runs]
    common_keys = set.intersection(*keys)
    left_out = sorted(set.union(*operations) - common)
    left_out += sorted(" ".join(key) for key in set.union(*keys) - common_keys)
    kept = [_restricted(run, common, common_keys) for run in runs]
    return kept[:-1], kept[-1], left_out


def _restricted(run: RunResult, operations: set[str], keys: set[Key]) -> RunResult:
    behaviour = run.behaviour
    behaviour = dataclasses.replace(
        behaviour,
        status_counts={op: c for op, c in behaviour.status_counts.items() if op in operations},
        members=tuple(m for m in behaviour.members if m.operation_id in operations),
        enum_values=tuple(v for v in behaviour.enum_values if v.operation_id in operations),
        total_count={op: f for op, f in behaviour.total_count.items() if op in operations},
        server_ms={op: ms for op, ms in behaviour.server_ms.items() if op in operations},
    )
    return dataclasses.replace(
        run,
        records=[r for r in run.records if r.key in keys],
        observed={op: o for op, o in run.observed.items() if op in operations},
        behaviour=behaviour,
    )


def _compare_records(
    diff: RunDiff, befores: list[RunResult], after: RunResult, report_link: str
) -> None:
    olds = [_folded(b) for b in befores]
    new = _folded(after)
    anchors = _anchors(after, report_link)
    old_anchors = _anchors(befores[0], "")
    for key in sorted(set().union(*olds) | new.keys()):
        earlier = [old.get(key, (None, None)) for old in olds]
        now, now_record = new.get(key, (None, None))
        if len({_verdict(outcome) for outcome, _ in earlier}) > 1:
            outcomes = "/".join(str(outcome or "no record") for outcome, _ in earlier)
            record = now_record or next(r for _, r in earlier if r is not None)
            diff.flaky.append(_change(key, outcomes, now, record, {}))
            continue
        was, was_record = earlier[0]
        if now == "fail" and was != "fail":
            diff.new_failures.append(_change(key, was, now, now_record, anchors))
        elif now == "error" and was not in ("fail", "error"):
            diff.new_errors.append(_change(key, was, now, now_record, anchors))
        elif was in RAN and now in NOT_RUN:
            change = _change(key, was, now, now_record or was_record, {})
            # Stopped by a cause (a breach, a 5xx, an outage, an error) it regressed; else no
            # request of this run reached it (a skip, another draw): what was sent differs.
            stopped = now_record is not None and now_record.stopped_by is not None
            (diff.stopped_running if stopped else diff.no_longer_judged).append(change)
        elif was in ("fail", "error") and now == "pass":
            diff.fixed.append(_change(key, was, now, was_record, old_anchors))
        elif was in NOT_RUN and now == "pass":
            diff.started_running.append(_change(key, was, now, now_record, {}))


def _verdict(outcome: str | None) -> str:
    """What an outcome says, for telling whether several runs agree on a record."""
    return "broken" if outcome in ("fail", "error") else "pass" if outcome == "pass" else "none"


def _causes(diff: RunDiff) -> list[Cause]:
    """The regressions grouped by what caused them (see the module)."""
    grouped: dict[tuple[str, str, str | None], list[Change]] = {}
    stoppers = {
        (c.stopped_by.kind, c.stopped_by.id)
        for c in diff.stopped_running + diff.new_errors
        if c.stopped_by is not None
    }
    for change in (*diff.new_failures, *diff.new_errors, *diff.stopped_running):
        if change.status is not None and change.status >= 500:
            key = ("server-error", "", change.operation or None)
        elif change.stopped_by is not None and change.stopped_by.kind == "server-error":
            key = ("server-error", "", change.stopped_by.operation_id)
        elif change.stopped_by is not None:
            key = (change.stopped_by.kind, change.stopped_by.id, None)
        elif (change.record_type, change.name) in stoppers:
            key = (change.record_type, change.name, None)
        else:
            continue
        grouped.setdefault(key, []).append(change)
    for operation in diff.server_errors_appeared:
        grouped.setdefault(("server-error", "", operation), [])
    causes = []
    for (kind, cause_id, operation), changes in grouped.items():
        codes = tuple(diff.server_errors_appeared.get(operation or "", ()))
        if kind == "server-error":
            statuses = codes or tuple(sorted({c.status for c in changes if c.status}))
            cause_id = ", ".join(map(str, statuses)) or "5xx"
        elif changes[0].stopped_by is not None:
            operation = changes[0].stopped_by.operation_id
        causes.append(Cause(kind, cause_id, operation, tuple(changes), codes))
    # A 5xx first: it explains the most, and the reader acts on it first.
    causes.sort(key=lambda cause: (cause.kind != "server-error", -len(cause.changes)))
    return causes


def _folded(result: RunResult) -> dict[Key, tuple[str | None, CheckRecord]]:
    """key -> (folded outcome, the record that decided it)."""
    grouped: dict[Key, list[CheckRecord]] = {}
    for record in result.records:
        grouped.setdefault(record.key, []).append(record)
    folded = {}
    for key, records in grouped.items():
        outcome = fold_outcomes(r.outcome for r in records)
        folded[key] = (outcome, next(r for r in records if r.outcome == outcome))
    return folded


def _anchors(result: RunResult, report_link: str) -> dict[Key, str]:
    """key -> link to its failure in the report (the HTML numbers failures in this order)."""
    if not report_link:
        return {}
    anchors: dict[Key, str] = {}
    for index, record in enumerate(result.failures(), start=1):
        anchors.setdefault(record.key, f"{report_link}#failure-{index}")
    return anchors


def _change(key: Key, was, now, record, anchors) -> Change:
    record_type = "rule" if key[0] == "rule" else "check"
    operation = key[0] if record_type == "check" else ""
    exchange = record.exchange if record is not None else None
    if exchange is not None and record_type == "rule":
        operation = exchange.operation_id or ""
    return Change(
        record_type=record_type,
        name=key[1],
        operation=operation,
        before=was,
        after=now,
        documented=record.documented if record is not None else "",
        did=what_the_server_did(record) if record is not None else "",
        details=anchors.get(key, ""),
        stopped_by=record.stopped_by if record is not None else None,
        status=exchange.status_code if exchange is not None and now in ("fail", "error") else None,
    )


def _union(maps: list[dict[str, set[Any]]]) -> dict[str, set[Any]]:
    union: dict[str, set[Any]] = {}
    for mapping in maps:
        for key, values in mapping.items():
            union.setdefault(key, set()).update(values)
    return union


def _intersection(maps: list[dict[str, set[Any]]]) -> dict[str, set[Any]]:
    keys = set.intersection(*(set(m) for m in maps)) if maps else set()
    return {key: set.intersection(*(set(m[key]) for m in maps)) for key in keys}


def _added(old: dict[str, set[Any]], new: dict[str, set[Any]]) -> dict[str, list[Any]]:
    added = {key: sorted(values - old.get(key, set())) for key, values in new.items()}
    return {key: values for key, values in sorted(added.items()) if values}


def _merged_samples(befores: list[RunResult]) -> dict[str, list[float]]:
    merged: dict[str, list[float]] = {}
    for before in befores:
        for operation, samples in before.behaviour.server_ms.items():
            merged.setdefault(operation, []).extend(samples)
    return merged


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
