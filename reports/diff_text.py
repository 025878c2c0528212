"""A run diff for people: plain text for a terminal, markdown for a pull-request comment.

Each change is one or two lines: what it is (rule id or check name, and the operation), what
the document says, and what the server did (status and the decisive part of the body).
Whole requests, bodies and curls stay in the run's report.html, which each line links.
"""

from __future__ import annotations

from reports.diff import Change, RunDiff
from reports.model import StoppedBy

SENTENCE_LIMIT = 140


def format_text(diff: RunDiff) -> str:
    return "\n".join(diff_lines(diff, markdown=False))


def format_markdown(diff: RunDiff) -> str:
    return "\n".join(diff_lines(diff, markdown=True))


def diff_lines(diff: RunDiff, markdown: bool) -> list[str]:
    def code(text: object) -> str:
        return f"`{text}`" if markdown else str(text)

    def group(title: str, items: list[str], total: int | None = None) -> list[str]:
        if not items:
            return []
        total = len(items) if total is None else total
        heading = f"### {title} ({total})" if markdown else f"{title} ({total}):"
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

    regressions = [change("newly fails", c) for c in diff.new_failures]
    regressions += [change("newly errors", c) for c in diff.new_errors]
    # Records a breach kept from running are one consequence: one line per cause, not per record.
    consequences: dict[StoppedBy, list[Change]] = {}
    for c in diff.stopped_running:
        if c.stopped_by is not None:
            consequences.setdefault(c.stopped_by, []).append(c)
        else:
            regressions.append(change(f"stopped running ({c.after or 'no record'})", c))
    regressions += [
        f"stopped running ({len(kept)}): the test stopped when {cause.kind} {code(cause.id)} "
        "failed, before checking " + ", ".join(f"{c.record_type} {code(c.name)}" for c in kept)
        for cause, kept in consequences.items()
    ]
    regressions += [
        f"server error newly seen: {code(op)} answered {', '.join(map(str, codes))}"
        for op, codes in diff.server_errors_appeared.items()
    ]
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
    improvements = [change("fixed", c) for c in diff.fixed]
    improvements += [
        f"undocumented property vanished: {code(op)} {code(p)}"
        for op, pointers in diff.undocumented_vanished.items()
        for p in pointers
    ]
    others = [
        f"runs now ({c.before or 'no record'} before): {c.record_type} {code(c.name)}"
        + (f" on {code(c.operation)}" if c.operation else "")
        for c in diff.started_running
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
    lines += group("Regressions", regressions, diff.regression_count)
    lines += group("Improvements", improvements)
    lines += group("Other changes", others)
    if not diff.changed:
        verdict = "No changes."
    elif diff.regressed:
        verdict = f"Result: {diff.regression_count} regression(s)."
    else:
        verdict = "Result: no regressions."
    return [*lines, "", f"**{verdict}**" if markdown else verdict]


def _shorten(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= SENTENCE_LIMIT:
        return sentence
    return sentence[: SENTENCE_LIMIT - 1].rsplit(" ", 1)[0] + " …"
