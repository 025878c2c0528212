"""`report.html`: one self-contained page (inline CSS, no script, no network) for people.

Sections, in the order a reader asks the questions: what was run and what pytest counted;
which operation failed which check (the matrix: one row per documented operation, one column
per check function); which documented rule held (the rule table); which documented status
codes were seen; which undocumented members responses carried; every failure as "the document
says / the server did" with the exchange that decided it and a `curl` to reproduce it; then
every test pytest did not count as passed. The page fits 1280 px without sideways scrolling.
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
    "error": ("!", "error"),
    "skip": ("○", "skip"),
    "not-run": ("·", "not run"),
    None: ("·", "no record"),
}


def render_html(result: RunResult, redactor: Redactor | None = None) -> str:
    result = (redactor or default_redactor()).redact_result(result)
    run_id = escape(result.metadata.run_id)
    sections = [
        _header(result),
        _metadata_section(result),
        _matrix_section(result),
        _rules_section(result),
        _coverage_section(result),
        _undocumented_section(result),
        _failures_section(result),
        _tests_section(result),
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
    tests = result.test_counts()
    pytest_line = ", ".join(f"{n} {_TEST_WORDS[o]}" for o, n in tests.items() if n) or "none"
    records = result.outcome_counts()
    checks, rules = len(result.check_records()), len(result.rule_records())
    record_line = ", ".join(f"{n} {o}" for o, n in records.items() if n) or "none"
    failing = records["fail"] + records["error"]
    verdict = (
        f"{failing} record(s) failed or errored; details are under Failures below."
        if failing
        else "No check or rule failed."
    )
    headline = result.metadata.completion.headline()
    incomplete = f'<p class="incomplete"><strong>{escape(headline)}</strong></p>\n'
    return (
        "<header>\n<h1>Certification Campaigns API conformance</h1>\n"
        + (incomplete if headline else "")
        + f'<p class="lead">Run <code>{escape(result.metadata.run_id)}</code> against the '
        f"{escape(result.metadata.target_kind)} at <code>{escape(result.metadata.target_url)}"
        f"</code>.</p>\n<p><strong>pytest counted:</strong> {escape(pytest_line)} "
        "(the summary line of the run).</p>\n"
        f"<p><strong>Records</strong> ({checks} operation × check, {rules} documented rules): "
        f"{escape(record_line)}. {verdict}</p>\n</header>"
    )


_TEST_WORDS = {
    "passed": "passed",
    "failed": "failed",
    "error": "errors",
    "skipped": "skipped",
    "xfailed": "xfailed",
    "xpassed": "xpassed",
}


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
        ("Seed", "random" if meta.seed is None else str(meta.seed)),
    ]
    rows += [(f"{name} version", v) for name, v in sorted(meta.dependency_versions.items())]
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>\n" for k, v in rows)
    return _section("run", "Run", f'<dl class="meta">\n{items}</dl>')


def _section(anchor: str, title: str, *parts: str) -> str:
    """A titled section of the page; its parts one per line."""
    return f'<section id="{anchor}">\n<h2>{title}</h2>\n' + "\n".join(parts) + "\n</section>"


def _table(header_cells: str, rows: str, css: str = "") -> str:
    css_class = f' class="{css}"' if css else ""
    return (
        f"<table{css_class}>\n<thead><tr>{header_cells}</tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table>"
    )


def _headings(*names: str) -> str:
    return "".join(f"<th>{name}</th>" for name in names)


def _outcome_cell(
    outcome: str | None, link: str | None = None, detail: str = "", worded: bool = False
) -> str:
    symbol, word = OUTCOME_LABELS[outcome]
    css = f"outcome-{outcome or 'none'}"
    title = f"{word}{': ' + detail if detail else ''}"
    label = f"{symbol} {word}" if worded else symbol
    text = f'<a href="#{link}">{label}</a>' if link else label
    return f'<td class="cell {css}" title="{escape(title)}">{text}</td>'


def _legend() -> str:
    spans = "".join(
        f'<span class="outcome-{o or "none"}">{s} {w}</span>'
        for o, (s, w) in OUTCOME_LABELS.items()
    )
    return f'<p class="legend">{spans}</p>'


def _breakable(name: str) -> str:
    """A check name that may wrap after its underscores, so columns stay narrow."""
    return "_<wbr>".join(escape(part) for part in name.split("_"))


def _matrix_section(result: RunResult) -> str:
    checks = result.operation_checks()
    matrix = result.matrix()
    anchors = _failure_anchors(result)
    cases = _cases_by_cell(result)
    methods = {op.operation_id: f"{op.method} {op.path}" for op in result.operations}
    kinds = {r.check: r.kind for r in result.check_records()}
    head = "".join(
        f'<th class="check" scope="col" title="{escape(kinds[c])} check">{_breakable(c)}'
        f"{' *' if kinds[c] == 'suite' else ''}</th>"
        for c in checks
    )
    rows = []
    for operation_id, cells in matrix.items():
        row_cells = "".join(
            _outcome_cell(
                cells[check],
                anchors.get((operation_id, check)),
                f"{cases.get((operation_id, check), 0)} case(s)",
            )
            for check in checks
        )
        endpoint = escape(methods.get(operation_id, "not in the spec"))
        rows.append(
            f'<tr data-operation="{escape(operation_id)}"><th scope="row">'
            f'{escape(operation_id)}<br><code class="endpoint">{endpoint}</code></th>'
            f"{row_cells}</tr>"
        )
    note = "" if checks else '<p class="muted">No operation-level check ran.</p>'
    return _section(
        "matrix",
        "Operations × checks",
        "<p>One row per operation the spec documents, one column per check function "
        "(schemathesis' and, marked *, the suite's own); a cell folds the positive, negative "
        "and stateful tests (any failure fails it). Hover a cell for the cases it judged; "
        "a failed cell links to its failure.</p>",
        _legend(),
        note + _table(f"<th>Operation</th>{head}", "\n".join(rows), "matrix"),
    )


def _cases_by_cell(result: RunResult) -> dict[tuple[str, str], int]:
    cases: dict[tuple[str, str], int] = {}
    for record in result.check_records():
        key = (record.row, record.check)
        cases[key] = cases.get(key, 0) + record.cases
    return cases


def _rules_section(result: RunResult) -> str:
    records = result.rule_records()
    if not records:
        return ""
    anchors = _failure_anchors(result)
    rows = "\n".join(
        f'<tr data-rule="{escape(r.check)}"><th scope="row"><code>{escape(r.check)}</code></th>'
        f'<td>{escape(r.documented)}<br><span class="muted small">{escape(r.source)}</span></td>'
        f"{_outcome_cell(r.outcome, anchors.get((None, r.check)), worded=True)}"
        f'<td class="number">{r.cases}</td><td>{escape(_first_line(r.reason))}</td></tr>'
        for r in records
    )
    columns = _headings("Rule", "The document says", "Outcome", "Exercised", "Reason")
    return _section(
        "rules",
        "Documented rules",
        "<p>One row per rule of the catalogue; <em>exercised</em> counts the times the run "
        "checked the rule (a state machine checks some many times, others once).</p>",
        _table(columns, rows, "rules"),
    )


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


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
    columns = _headings("Operation", "Documented (✓ seen)", "Covered", "Seen, undocumented")
    return _section(
        "coverage",
        "Documented status codes",
        "<p>Codes marked ✓ were seen during the run. Codes marked ⚠ were seen but the spec does "
        "not document them for that operation.</p>",
        _table(columns, rows),
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
        body = _table(_headings("Operation", "Members (JSON pointer)"), rows)
    return _section(
        "undocumented",
        "Undocumented response properties",
        "<p>Members responses carried that the documented schema does not declare. They fail "
        "a check only in strict mode.</p>",
        body,
    )


def _failures_section(result: RunResult) -> str:
    failures = result.failures()
    if not failures:
        return _section("failures", "Failures", "<p>None.</p>")
    items = "\n".join(_failure(i, record) for i, record in enumerate(failures, start=1))
    return _section(
        "failures",
        "Failures",
        f"<p>To reproduce one, set <code>{TOKEN_VARIABLE}</code> to an access token for the "
        "target (from <code>POST {base}/oauth/token</code> with client credentials) and run "
        "its command.</p>",
        items,
    )


def _failure(index: int, record: CheckRecord) -> str:
    title = (
        f"rule {record.check}" if record.record_type == "rule" else f"{record.row} · {record.check}"
    )
    documented = escape(record.documented) or '<span class="muted">not recorded</span>'
    did = escape(record.reason) or '<span class="muted">not recorded</span>'
    parts = [
        f'<section class="failure" id="failure-{index}">',
        f"<h3>{escape(title)} ({escape(record.outcome)})</h3>",
        "<dl>",
        f"<dt>The document says</dt><dd>{documented}</dd>",
        f"<dt>{'The server did' if record.outcome == 'fail' else 'What happened'}</dt>"
        f"<dd><pre>{did}</pre></dd>",
        f"<dt>Tests</dt><dd>{'<br>'.join(f'<code>{escape(t)}</code>' for t in record.tests)}</dd>",
        "</dl>",
    ]
    if record.exchange is None:
        parts.append('<p class="muted">No request decided this outcome.</p>')
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


def _tests_section(result: RunResult) -> str:
    """Every outcome pytest counted other than a pass, with its reason."""
    shown = [t for t in result.tests if t.outcome != "passed"]
    if not shown:
        return ""
    rows = "\n".join(
        f'<tr><th scope="row"><code>{escape(t.nodeid)}</code></th><td>{escape(t.outcome)}'
        f"{' in ' + escape(t.phase) if t.phase != 'call' else ''}</td>"
        f"<td><pre>{escape(t.message)}</pre></td></tr>"
        for t in shown
    )
    return _section(
        "tests",
        "Tests not passed",
        "<p>Every failure, error, skip and xfail pytest counted, with its reason.</p>",
        _table(_headings("Test", "Outcome", "Why"), rows, "tests"),
    )


def _skips_section(result: RunResult) -> str:
    skips = result.skips()
    if not skips:
        return ""
    rows = "\n".join(
        f'<tr><th scope="row">{escape(r.row)}</th><td><code>{escape(r.check)}</code></td>'
        f"<td>{escape(r.outcome)}</td><td>{escape(r.reason)}</td></tr>"
        for r in skips
    )
    columns = _headings("Operation", "Check or rule", "Outcome", "Why")
    return _section("skipped", "Checks and rules skipped or not run", _table(columns, rows))


def _failure_anchors(result: RunResult) -> dict[tuple[str | None, str], str]:
    """(operation id or None, check) -> anchor of its first failure, for links from tables."""
    anchors: dict[tuple[str | None, str], str] = {}
    for index, record in enumerate(result.failures(), start=1):
        anchors.setdefault((record.operation_id, record.check), f"failure-{index}")
    return anchors
