"""`report.html`: one self-contained page (inline CSS, no script, no network) for people.

Sections, in the order a reader asks the questions: what was run; which operation failed which
check (the matrix, one row per documented operation even when nothing ran for it); which
documented status codes were seen; which undocumented members responses carried; then every
failure as "the document says / the server did", with a `curl` command to reproduce it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from reports.curl_command import TOKEN_VARIABLE, curl_command
from reports.html_style import STYLESHEET
from reports.model import CheckRecord, Exchange, RunResult, StatusCoverage
from reports.redaction import Redactor, default_redactor

# Outcome -> (symbol, word); the symbol keeps the matrix readable without colour.
OUTCOME_LABELS = {
    "pass": ("✓", "pass"),
    "fail": ("✗", "fail"),
    "skip": ("○", "skip"),
    None: ("·", "not run"),
}


def render_html(result: RunResult, redactor: Redactor | None = None) -> str:
    result = (redactor or default_redactor()).redact_result(result)
    run_id = escape(result.metadata.run_id)
    sections = [
        _header(result),
        _metadata_section(result),
        _matrix_section(result),
        _run_wide_section(result),
        _coverage_section(result),
        _undocumented_section(result),
        _failures_section(result),
        _skips_section(result),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Conformance run {run_id}</title>\n<style>{STYLESHEET}</style>\n</head>\n"
        "<body>\n" + "\n".join(sections) + "\n</body>\n</html>\n"
    )


def write_html(result: RunResult, path: Path | str, redactor: Redactor | None = None) -> Path:
    path = Path(path)
    path.write_text(render_html(result, redactor), encoding="utf-8")
    return path


def _header(result: RunResult) -> str:
    counts = result.outcome_counts()
    verdict = (
        f"{counts['fail']} check(s) failed; details are under Failures below."
        if counts["fail"]
        else "No check failed."
    )
    return (
        "<header>\n<h1>Certification Campaigns API conformance</h1>\n"
        f'<p class="lead">Run <code>{escape(result.metadata.run_id)}</code> against the '
        f"{escape(result.metadata.target_kind)} at <code>{escape(result.metadata.target_url)}"
        f"</code>: {counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped. "
        f"{verdict}</p>\n</header>"
    )


def _metadata_section(result: RunResult) -> str:
    meta = result.metadata
    rows = [
        ("Run id", meta.run_id),
        ("Target", f"{meta.target_kind}: {meta.target_url}"),
        ("Started", meta.started_at),
        ("Duration", f"{meta.duration_s:.1f} s"),
        ("Requests", str(meta.request_count)),
        ("Spec digest (sha256)", meta.spec_digest),
        ("Suite version", meta.suite_version),
        ("Hypothesis profile", meta.hypothesis_profile),
        ("Read-only", "yes" if meta.read_only else "no"),
        ("Strict", "yes" if meta.strict else "no"),
    ]
    rows += [(f"{name} version", v) for name, v in sorted(meta.dependency_versions.items())]
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>\n" for k, v in rows)
    return f'<section id="run">\n<h2>Run</h2>\n<dl class="meta">\n{items}</dl>\n</section>'


def _outcome_cell(outcome: str | None, link: str | None = None) -> str:
    symbol, word = OUTCOME_LABELS[outcome]
    css = f"outcome-{outcome or 'none'}"
    text = f"{symbol} {word}"
    if link:
        text = f'<a href="#{link}">{text}</a>'
    return f'<td class="cell {css}" title="{word}">{text}</td>'


def _legend() -> str:
    spans = "".join(
        f'<span class="outcome-{o or "none"}">{s} {w}</span>'
        for o, (s, w) in OUTCOME_LABELS.items()
    )
    return f'<p class="legend">{spans}</p>'


def _matrix_section(result: RunResult) -> str:
    checks = result.operation_checks()
    matrix = result.matrix()
    anchors = _failure_anchors(result)
    methods = {op.operation_id: f"{op.method} {op.path}" for op in result.operations}
    head = "".join(f'<th class="check" scope="col">{escape(c)}</th>' for c in checks)
    rows = []
    for operation_id, cells in matrix.items():
        row_cells = "".join(
            _outcome_cell(cells[check], anchors.get((operation_id, check))) for check in checks
        )
        endpoint = escape(methods.get(operation_id, "not in the spec"))
        rows.append(
            f'<tr data-operation="{escape(operation_id)}"><th scope="row">'
            f"{escape(operation_id)}</th><td><code>{endpoint}</code></td>{row_cells}</tr>"
        )
    note = "" if checks else '<p class="muted">No operation-level check ran.</p>'
    return (
        '<section id="matrix">\n<h2>Operations × checks</h2>\n'
        "<p>One row per operation the spec documents; a cell folds every record of that check "
        "(any failure fails it).</p>\n"
        f'{_legend()}\n{note}<div class="scroll"><table class="matrix">\n'
        f"<thead><tr><th>Operation</th><th>Endpoint</th>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></div>\n</section>"
    )


def _run_wide_section(result: RunResult) -> str:
    records = result.run_wide_records()
    if not records:
        return ""
    anchors = _failure_anchors(result)
    rows = "\n".join(
        f'<tr><th scope="row">{escape(r.check)}</th><td>{escape(r.kind)}</td>'
        f"{_outcome_cell(r.outcome, anchors.get((None, r.check)))}"
        f"<td>{escape(r.reason)}</td></tr>"
        for r in records
    )
    return (
        '<section id="run-wide">\n<h2>Run-wide rules</h2>\n<table>\n'
        "<thead><tr><th>Rule</th><th>Kind</th><th>Outcome</th><th>Reason</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table>\n</section>"
    )


def _coverage_row(coverage: StatusCoverage) -> str:
    documented = (
        "".join(
            f'<span class="code seen">{escape(key)} ✓</span>'
            if key not in coverage.documented_not_seen
            else f'<span class="code">{escape(key)}</span>'
            for key in coverage.documented
        )
        or '<span class="muted">none documented</span>'
    )
    undocumented = (
        "".join(
            f'<span class="code undocumented">⚠ {code}</span>'
            for code in coverage.seen_undocumented
        )
        or '<span class="muted">none</span>'
    )
    covered = len(coverage.documented) - len(coverage.documented_not_seen)
    return (
        f'<tr data-operation="{escape(coverage.operation_id)}">'
        f'<th scope="row">{escape(coverage.operation_id)}</th>'
        f'<td class="documented">{documented}</td>'
        f'<td class="ratio">{covered} of {len(coverage.documented)}</td>'
        f'<td class="undocumented">{undocumented}</td></tr>'
    )


def _coverage_section(result: RunResult) -> str:
    rows = "\n".join(_coverage_row(c) for c in result.status_coverage())
    return (
        '<section id="coverage">\n<h2>Documented status codes</h2>\n'
        "<p>Codes marked ✓ were seen during the run. Codes marked ⚠ were seen but the spec does "
        "not document them for that operation.</p>\n<table>\n<thead><tr><th>Operation</th>"
        "<th>Documented (✓ seen)</th><th>Covered</th><th>Seen, undocumented</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table>\n</section>"
    )


def _undocumented_section(result: RunResult) -> str:
    found = result.undocumented_properties()
    if not found:
        body = '<p class="muted">No response carried a member its schema does not declare.</p>'
    else:
        rows = "\n".join(
            f'<tr data-operation="{escape(row)}"><th scope="row">{escape(row)}</th><td>'
            + "<br>".join(f"<code>{escape(p)}</code>" for p in pointers)
            + "</td></tr>"
            for row, pointers in found.items()
        )
        body = (
            "<table>\n<thead><tr><th>Operation</th><th>Members (JSON pointer)</th></tr></thead>"
            f"\n<tbody>\n{rows}\n</tbody></table>"
        )
    return (
        '<section id="undocumented">\n<h2>Undocumented response properties</h2>\n'
        "<p>Members responses carried that the documented schema does not declare. They fail "
        f"a check only in strict mode.</p>\n{body}\n</section>"
    )


def _failures_section(result: RunResult) -> str:
    failures = result.failures()
    if not failures:
        return '<section id="failures">\n<h2>Failures</h2>\n<p>None.</p>\n</section>'
    items = "\n".join(_failure(i, record) for i, record in enumerate(failures, start=1))
    return (
        '<section id="failures">\n<h2>Failures</h2>\n'
        f"<p>To reproduce one, set <code>{TOKEN_VARIABLE}</code> to an access token for the "
        "target (from <code>POST {base}/oauth/token</code> with client credentials) and run "
        f"its command.</p>\n{items}\n</section>"
    )


def _failure(index: int, record: CheckRecord) -> str:
    title = f"{record.row} · {record.check}"
    documented = escape(record.documented) or '<span class="muted">not recorded</span>'
    did = escape(record.reason) or '<span class="muted">not recorded</span>'
    parts = [
        f'<section class="failure" id="failure-{index}">',
        f"<h3>{escape(title)}</h3>",
        "<dl>",
        f"<dt>The document says</dt><dd>{documented}</dd>",
        f"<dt>The server did</dt><dd>{did}</dd>",
        "</dl>",
    ]
    if record.exchange is None:
        parts.append('<p class="muted">No request was recorded for this failure.</p>')
    else:
        parts += _exchange_parts(record.exchange)
    parts.append("</section>")
    return "\n".join(parts)


def _exchange_parts(exchange: Exchange) -> list[str]:
    status = exchange.status_code if exchange.status_code is not None else "no response"
    request_line = f"{exchange.method} {exchange.url}"
    status_line = f"HTTP {status}"
    return [
        f"<p>Request <code>{escape(exchange.method)} {escape(exchange.url)}</code> answered "
        f"<strong>{status}</strong> in {exchange.elapsed_ms:.0f} ms.</p>",
        "<details><summary>Request and response</summary>",
        f"<pre>{escape(_http_text(request_line, exchange.request_headers, exchange.request_body))}"
        "</pre>",
        f"<pre>{escape(_http_text(status_line, exchange.response_headers, exchange.response_body))}"
        "</pre>",
        "</details>",
        f'<p>Reproduce:</p>\n<pre class="curl">{escape(curl_command(exchange))}</pre>',
    ]


def _http_text(first_line: str, headers: dict[str, str], body: str | None) -> str:
    lines = [first_line, *(f"{name}: {value}" for name, value in headers.items())]
    return "\n".join(lines) + ("\n\n" + body if body else "")


def _skips_section(result: RunResult) -> str:
    skips = result.skips()
    if not skips:
        return ""
    rows = "\n".join(
        f'<tr><th scope="row">{escape(r.row)}</th><td>{escape(r.check)}</td>'
        f"<td>{escape(r.reason)}</td></tr>"
        for r in skips
    )
    return (
        '<section id="skipped">\n<h2>Skipped</h2>\n<table>\n'
        "<thead><tr><th>Operation</th><th>Check</th><th>Why</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table>\n</section>"
    )


def _failure_anchors(result: RunResult) -> dict[tuple[str | None, str], str]:
    """(operation id or None, check) -> anchor of its first failure, for links from tables."""
    anchors: dict[tuple[str | None, str], str] = {}
    for index, record in enumerate(result.failures(), start=1):
        anchors.setdefault((record.operation_id, record.check), f"failure-{index}")
    return anchors
