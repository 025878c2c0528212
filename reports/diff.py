"""What changed between two runs (typically a tenant before and after an upgrade).

Records are compared by key: a rule by its id, a check by (operation id, check name), so
renaming a test changes nothing here. Regressions, which make `python -m reports diff` exit 1:
- a rule or check that did not fail before fails now (also one that did not run before);
- one that errors now and neither failed nor errored before ("newly errors");
- one that ran before (pass, fail or error) and did not run now ("stopped running");
- a 5xx status code newly seen for an operation;
- a response member the schema does not declare appears for an operation;
- an operation got slower by a wide margin: the median duration of the checks both runs ran
  for it grew by more than `slowdown_factor` and by at least `min_slowdown_ms`.

Fixed failures are improvements; rules and checks that run now and did not before, other
status codes newly seen or no longer seen, and undocumented members that vanished are other
changes. `reports.diff_text` renders a diff for people: each regression in one or two lines
naming the rule or check, the operation, what the document says and what the server did.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from statistics import median
from typing import Any

from reports.model import CheckRecord, RunResult, StoppedBy, fold_outcomes

DEFAULT_SLOWDOWN_FACTOR = 2.0
MIN_SLOWDOWN_MS = 50.0
RAN = ("pass", "fail", "error")
NOT_RUN = (None, "skip", "not-run")

Key = tuple[str, str]  # ("rule", rule id) or (operation id, check name)


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
    before_seed: int | None = None
    after_seed: int | None = None
    new_failures: list[Change] = field(default_factory=list)
    new_errors: list[Change] = field(default_factory=list)
    stopped_running: list[Change] = field(default_factory=list)
    fixed: list[Change] = field(default_factory=list)
    started_running: list[Change] = field(default_factory=list)
    server_errors_appeared: dict[str, list[int]] = field(default_factory=dict)
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
        return (
            len(self.new_failures)
            + len(self.new_errors)
            + len(self.stopped_running)
            + sum(len(codes) for codes in self.server_errors_appeared.values())
            + sum(len(pointers) for pointers in self.undocumented_appeared.values())
            + len(self.slower)
        )

    @property
    def regressed(self) -> bool:
        return self.regression_count > 0

    @property
    def changed(self) -> bool:
        return self.regressed or any(
            (
                self.fixed,
                self.started_running,
                self.status_codes_appeared,
                self.status_codes_vanished,
                self.undocumented_vanished,
            )
        )

    def warnings(self) -> list[str]:
        warnings = []
        if self.spec_digest_changed:
            warnings.append(
                f"the runs used different specs (spec_digest {self.before_spec_digest[:12]} "
                f"before, {self.after_spec_digest[:12]} after); differences may come from the spec"
            )
        same_run = self.before_run_id == self.after_run_id
        if not same_run and (self.before_seed is None or self.before_seed != self.after_seed):
            warnings.append(
                "the runs were not given the same --seed, so they generated different requests; "
                "a change seen only once may come from that"
            )
        return warnings


def compare_runs(
    before: RunResult,
    after: RunResult,
    slowdown_factor: float = DEFAULT_SLOWDOWN_FACTOR,
    min_slowdown_ms: float = MIN_SLOWDOWN_MS,
    report_link: str = "",
) -> RunDiff:
    """`report_link`: the after run's report.html, linked from each change for the details."""
    diff = RunDiff(
        before_run_id=before.metadata.run_id,
        after_run_id=after.metadata.run_id,
        before_spec_digest=before.metadata.spec_digest,
        after_spec_digest=after.metadata.spec_digest,
        before_seed=before.metadata.seed,
        after_seed=after.metadata.seed,
    )
    old, new = _folded(before), _folded(after)
    anchors = _anchors(after, report_link)
    old_anchors = _anchors(before, "")
    for key in sorted(old.keys() | new.keys()):
        was, was_record = old.get(key, (None, None))
        now, now_record = new.get(key, (None, None))
        if now == "fail" and was != "fail":
            diff.new_failures.append(_change(key, was, now, now_record, anchors))
        elif now == "error" and was not in ("fail", "error"):
            diff.new_errors.append(_change(key, was, now, now_record, anchors))
        elif was in RAN and now in NOT_RUN:
            record = now_record or was_record
            diff.stopped_running.append(_change(key, was, now, record, {}))
        elif was in ("fail", "error") and now == "pass":
            diff.fixed.append(_change(key, was, now, was_record, old_anchors))
        elif was in NOT_RUN and now == "pass":
            diff.started_running.append(_change(key, was, now, now_record, {}))

    old_codes, new_codes = before.status_codes_seen(), after.status_codes_seen()
    appeared = _added(old_codes, new_codes)
    diff.server_errors_appeared = {
        op: [c for c in codes if c >= 500] for op, codes in appeared.items() if max(codes) >= 500
    }
    diff.status_codes_appeared = {
        op: [c for c in codes if c < 500] for op, codes in appeared.items() if min(codes) < 500
    }
    diff.status_codes_vanished = _added(new_codes, old_codes)
    old_members = {k: set(v) for k, v in before.undocumented_properties().items()}
    new_members = {k: set(v) for k, v in after.undocumented_properties().items()}
    diff.undocumented_appeared = _added(old_members, new_members)
    diff.undocumented_vanished = _added(new_members, old_members)
    diff.slower = _slowdowns(before, after, slowdown_factor, min_slowdown_ms)
    return diff


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
    if record is not None and record.exchange is not None and record_type == "rule":
        operation = record.exchange.operation_id or ""
    return Change(
        record_type=record_type,
        name=key[1],
        operation=operation,
        before=was,
        after=now,
        documented=record.documented if record is not None else "",
        did=_what_the_server_did(record) if record is not None else "",
        details=anchors.get(key, ""),
        stopped_by=record.stopped_by if record is not None else None,
    )


def _what_the_server_did(record: CheckRecord) -> str:
    """The status and the decisive part of the body, else the first line of the reason."""
    if record.outcome in ("skip", "not-run"):
        return f"{record.outcome}: {_squeeze(record.reason, 160)}"
    exchange = record.exchange
    if exchange is not None and exchange.status_code is not None:
        body = _squeeze(_decisive(exchange.response_body or ""), 160)
        return f"answered {exchange.status_code} to {exchange.method}" + (
            f" {body}" if body else ""
        )
    return _squeeze(_first_line(_without_prefix(record.reason)), 200)


def _decisive(body: str) -> str:
    """Of a JSON error body, its message texts; of any other body, its start."""
    try:
        document = json.loads(body)
    except ValueError:
        return body
    if isinstance(document, dict):
        texts = [m.get("text", "") for m in document.get("messages", []) if isinstance(m, dict)]
        for name in ("error", "message", "detailCode"):
            if isinstance(document.get(name), str):
                texts.insert(0, document[name])
        if texts:
            return "; ".join(t for t in texts if t)
    return json.dumps(document, separators=(",", ":"))


def _without_prefix(reason: str) -> str:
    return reason.removeprefix("The server did: ")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _squeeze(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _added(old: dict[str, set[Any]], new: dict[str, set[Any]]) -> dict[str, list[Any]]:
    added = {key: sorted(values - old.get(key, set())) for key, values in new.items()}
    return {key: values for key, values in sorted(added.items()) if values}


def _slowdowns(before: RunResult, after: RunResult, factor: float, min_ms: float) -> list[Slowdown]:
    """Compare only checks both runs ran for an operation, so a check added to the suite, or
    one skipped in one run, does not pass for a slowdown."""
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
    for record in result.check_records():
        if record.outcome in RAN:
            checks = durations.setdefault(record.row, {})
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
