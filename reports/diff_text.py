"""A run diff for people: plain text for a terminal, markdown for a pull-request comment.

What the target now does differently comes first, each line saying by which stated rule it is
a regression, a fix or a change; one line per cause (a 5xx of one operation, a test a breach
stopped), naming the records it explains by count and their first few names; each record of
its own in one or two lines: what it is (rule id or check name, and the operation), what the
document says, and what the server did. Whole requests, bodies and curls stay in the run's
report.html, which each line links.
"""

from __future__ import annotations

from collections.abc import Callable

from reports.diff import Cause, Change, RunDiff

SENTENCE_LIMIT = 140
NAMES_SHOWN = 3  # of the records a cause explains, named; the rest counted


def format_text(diff: RunDiff) -> str:
    return "\n".join(diff_lines(diff, markdown=False))


def format_markdown(diff: RunDiff) -> str:
    return "\n".join(diff_lines(diff, markdown=True))


def diff_lines(diff: RunDiff, markdown: bool) -> list[str]:
    def code(text: object) -> str:
        return f"`{text}`" if markdown else str(text)

    def group(title: str, items: list[str], total: int | None = None, note: str = "") -> list[str]:
        if not items:
            return []
        total = len(items) if total is None else total
        heading = f"### {title} ({total})" if markdown else f"{title} ({total}):"
        if note:
            heading += f" {note}"
        bullet = "- " if markdown else "  "
        return ["", heading, *(f"{bullet}{item}" for item in items)]

    def change(label: str, item: Change) -> str:
        where = f" on {code(item.operation)}" if item.operation else ""
        head = f"{label}: {item.record_type} {code(item.name)}{where}"
        if item.documented:
            head += f" — the document says: “{_shorten(item.documented)}”"
        did = item.did or f"{item.before or 'no record'} before, {item.after or 'no record'} now"
        if item.details:
            did += f" ([details]({item.details}))" if markdown else f" (details: {item.details})"
        # Two lines: a markdown list item continues on an indented line after a hard break.
        return f"{head}<br>\n  the server: {did}" if markdown else f"{head}\n    the server: {did}"

    def names(changes: list[Change]) -> str:
        shown = [f"{c.record_type} {code(c.name)}" for c in changes[:NAMES_SHOWN]]
        more = len(changes) - NAMES_SHOWN
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")

    regressions = [
        f"{f.text} — regression: {f.because}" for f in diff.findings if f.verdict == "regression"
    ]
    regressions += [_cause_line(cause, code, change, names) for cause in diff.causes]
    for c in diff.alone():
        label = {"fail": "newly fails", "error": "newly errors"}.get(c.after or "", "")
        regressions.append(change(label or f"stopped running ({c.after or 'no record'})", c))
    regressions += [
        f"undocumented property appeared: {code(op)} {code(p)}"
        for op, pointers in diff.undocumented_appeared.items()
        for p in pointers
    ]
    slower = [
        f"{code(s.operation)} median {s.before_ms:.0f} ms -> {s.after_ms:.0f} ms (×{s.ratio:.1f}), "
        f"90th percentile {s.before_p90_ms:.0f} -> {s.after_p90_ms:.0f} ms, "
        f"{s.samples[0]} and {s.samples[1]} requests, rank test p={s.p_value:.1g}"
        for s in diff.slower
    ]
    if diff.fail_on_slower:
        regressions += [f"slower: {line}" for line in slower]
    fixes = [f"{f.text} — fix: {f.because}" for f in diff.findings if f.verdict == "fix"]
    fixes += [change("fixed", c) for c in diff.fixed]
    fixes += [
        f"undocumented property vanished: {code(op)} {code(p)}"
        for op, pointers in diff.undocumented_vanished.items()
        for p in pointers
    ]
    changes = [f"{f.text} — change: {f.because}" for f in diff.findings if f.verdict == "change"]
    changes += _judged_lines("now judged", diff.started_running, code, names)
    changes += _judged_lines("no longer judged", diff.no_longer_judged, code, names)
    for op in sorted(diff.status_codes_appeared.keys() | diff.status_codes_vanished.keys()):
        parts = []
        if diff.status_codes_appeared.get(op):
            parts.append("newly seen " + ", ".join(map(str, diff.status_codes_appeared[op])))
        if diff.status_codes_vanished.get(op):
            parts.append("no longer seen " + ", ".join(map(str, diff.status_codes_vanished[op])))
        changes.append(f"status codes of {code(op)}: {'; '.join(parts)}")
    flaky = [
        f"{c.record_type} {code(c.name)}"
        + (f" on {code(c.operation)}" if c.operation else "")
        + f": {c.before} before, {c.after or 'no record'} now"
        for c in diff.flaky
    ]

    before = code(diff.before_run_id)
    if len(diff.before_run_ids) > 1:
        before += f" and {len(diff.before_run_ids) - 1} earlier run(s)"
    title = f"Run {code(diff.after_run_id)} compared with run {before}"
    lines = [f"## {title}" if markdown else title]
    if markdown:
        lines += [f"> **Warning:** {warning}" for warning in diff.warnings()]
    lines += group("Regressions", regressions, diff.regression_count)
    lines += group("Fixes", fixes)
    lines += group("Changes", changes)
    if not diff.fail_on_slower:
        lines += group(
            "Slower",
            slower,
            note="(the server's time per request; fails the diff only with --fail-on-slower)",
        )
    lines += group(
        "Flaky", flaky, note="(their outcome differs among the before runs: not compared)"
    )
    if diff.not_reached:
        note = f"(the after run stopped before them, not compared: {diff.incomplete})"
        lines += group("Not reached", [names(diff.not_reached)], len(diff.not_reached), note)
    lines += group(
        "Not compared",
        [code(item) for item in diff.not_compared],
        note="(passive observations: observed on one side only, never a regression)",
    )
    if not diff.changed:
        verdict = "No changes."
    elif diff.regressed:
        verdict = f"Result: {diff.regression_count} regression(s)."
    else:
        verdict = "Result: no regressions."
    return [*lines, "", f"**{verdict}**" if markdown else verdict]


def _cause_line(
    cause: Cause,
    code: Callable[[object], str],
    change: Callable[[str, Change], str],
    names: Callable[[list[Change]], str],
) -> str:
    """One line for every record one cause explains."""
    where = f" on {code(cause.operation)}" if cause.operation else ""
    if cause.kind == "server-error":
        subject = code(cause.operation) if cause.operation else "the target"
        line = f"server error: {subject} answered {cause.id}"
        if cause.server_errors:
            line += " (newly seen)"
        if cause.changes:
            line += f"; {len(cause.changes)} record(s) failed or did not run for it: "
            line += names(list(cause.changes))
        return line
    stopper = [c for c in cause.changes if (c.record_type, c.name) == (cause.kind, cause.id)]
    reached = [c for c in cause.changes if c not in stopper]
    if stopper:
        label = {"fail": "newly fails", "error": "newly errors"}.get(stopper[0].after or "", "")
        line = change(label or "changed", stopper[0])
    elif cause.kind == "outage":
        line = "the target stopped answering"
    elif cause.kind == "error":
        line = f"tests stopped on an error ({code(cause.id)})"
    else:
        line = f"tests stopped when {cause.kind} {code(cause.id)}{where} failed"
    if reached:
        line += f"; the test(s) stopped there, before checking {len(reached)}: {names(reached)}"
    return line


def _judged_lines(
    label: str,
    records: list[Change],
    code: Callable[[object], str],
    names: Callable[[list[Change]], str],
) -> list[str]:
    """One line per operation (the checks no request of one run reached there differ
    together, as the requests sent differ), one per rule."""
    by_operation: dict[str, list[Change]] = {}
    for change in records:
        by_operation.setdefault(
            change.operation if change.record_type == "check" else "", []
        ).append(change)
    lines = []
    for operation, changes in by_operation.items():
        where = f" on {code(operation)}" if operation else ""
        lines.append(f"{label}{where} ({len(changes)}): {names(changes)}")
    return lines


def _shorten(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= SENTENCE_LIMIT:
        return sentence
    return sentence[: SENTENCE_LIMIT - 1].rsplit(" ", 1)[0] + " …"
