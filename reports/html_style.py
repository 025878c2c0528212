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
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left;
  vertical-align: top; }
th { background: var(--none-bg); font-weight: 600; }
.scroll { overflow-x: auto; }
table.matrix td.cell { text-align: center; white-space: nowrap; }
table.matrix th.check { font-size: .8rem; font-weight: 500; max-width: 10rem; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--none-bg); border: 1px solid var(--line); padding: .5rem;
  overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.outcome-pass { background: var(--pass-bg); color: var(--pass); }
.outcome-fail { background: var(--fail-bg); color: var(--fail); font-weight: 600; }
.outcome-skip { background: var(--skip-bg); color: var(--skip); }
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
