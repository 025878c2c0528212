"""The folder a run writes: `<base_dir>/<run_id>/{junit.xml,results.json,report.html}`."""

from __future__ import annotations

import os
import re
from pathlib import Path

from reports.html_report import render_html
from reports.junit_xml import render_junit_xml
from reports.model import RunResult
from reports.redaction import Redactor, default_redactor
from reports.results_json import render_results_json

DEFAULT_BASE_DIR = "reports/out"  # git-ignored
JUNIT_FILE = "junit.xml"
RESULTS_FILE = "results.json"
HTML_FILE = "report.html"

# The run id becomes a directory name: one path segment, no traversal, no hidden folder.
_SAFE_RUN_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


def write_run(
    result: RunResult, base_dir: Path | str = DEFAULT_BASE_DIR, redactor: Redactor | None = None
) -> Path:
    """Write the three reports of a run and return their folder.

    Every file is redacted with `redactor` (default: built-in rules plus `SAIL_CLIENT_SECRET`);
    the caller should register the client secret and any other secret it handled. Files are
    written under a temporary name and renamed, so a reader never sees half a report.
    """
    run_id = result.metadata.run_id
    if not _SAFE_RUN_ID.fullmatch(run_id):
        raise ValueError(f"run_id {run_id!r} cannot name a folder (use letters, digits, . _ -)")
    redactor = redactor or default_redactor()
    folder = Path(base_dir) / run_id
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(folder / JUNIT_FILE, render_junit_xml(result, redactor))
    _write_atomically(folder / RESULTS_FILE, render_results_json(result, redactor))
    _write_atomically(folder / HTML_FILE, render_html(result, redactor))
    return folder


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
