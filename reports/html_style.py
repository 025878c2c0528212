"""The inline stylesheet of `report.html`.

Calm on purpose: the reader is a tenant administrator or a CI owner looking for what broke, so
colour only marks outcomes, and every outcome also carries a symbol and a word so the page
reads the same printed in black and white or with colour vision deficiency.
"""

STYLESHEET = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #b3261e; --fail-bg: #ffebe9;
  --skip: #7d5a00; --skip-bg: #fff8c5; --none-bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .25rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
p.lead { color: var(--muted); margin-top: 0; }
p.incomplete { color: #b00020; font-size: 1.1em; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left;
  vertical-align: top; }
th { background: var(--none-bg); font-weight: 600; }
table.matrix, table.rules, table.tests { width: 100%; table-layout: fixed; }
table.matrix td.cell { text-align: center; padding: .25rem 0; }
table.matrix td.cell a { color: inherit; }
table.matrix thead th:first-child { width: 13rem; }
table.matrix tbody th { font-size: .8rem; }
table.matrix th.check { font-size: .62rem; font-weight: 500; overflow-wrap: break-word;
  vertical-align: bottom; padding: .25rem .125rem; }
table.matrix code.endpoint { font-size: .7rem; color: var(--muted); overflow-wrap: anywhere; }
table.rules thead th:nth-child(1) { width: 12rem; }
table.rules thead th:nth-child(3), table.rules thead th:nth-child(4) { width: 6.5rem; }
table.rules thead th:nth-child(5) { width: 16rem; }
table.tests thead th:nth-child(1) { width: 40%; }
table.tests thead th:nth-child(2) { width: 7rem; }
td, th { overflow-wrap: anywhere; }
table.matrix th.check { overflow-wrap: break-word; }
td.number { text-align: right; }
.small { font-size: .8rem; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--none-bg); border: 1px solid var(--line); padding: .5rem;
  overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.outcome-pass { background: var(--pass-bg); color: var(--pass); }
.outcome-fail { background: var(--fail-bg); color: var(--fail); font-weight: 600; }
.outcome-skip { background: var(--skip-bg); color: var(--skip); }
.outcome-error { background: var(--fail-bg); color: var(--fail); font-style: italic; }
.outcome-not-run { background: var(--none-bg); color: var(--muted); }
.outcome-none { background: var(--none-bg); color: var(--muted); }
.code { display: inline-block; margin: 0 .25rem .125rem 0; padding: 0 .375rem;
  border: 1px solid var(--line); border-radius: .25rem; }
.code.seen { background: var(--pass-bg); }
.code.undocumented { background: var(--fail-bg); color: var(--fail); font-weight: 600; }
.muted { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .125rem 1rem; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
section.failure { border-left: 4px solid var(--fail); padding: 0 0 0 1rem; margin: 1rem 0; }
.legend span { margin-right: 1rem; }
"""
