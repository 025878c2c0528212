"""Reports of a conformance run (JUnit XML, results.json, report.html) and the diff of two.

The suite fills a `RunResult` and calls `write_run`; everything written is redacted first.
"""

from reports.curl_command import curl_command
from reports.diff import RunDiff, compare_runs
from reports.html_report import render_html, write_html
from reports.junit_xml import render_junit_xml, write_junit_xml
from reports.model import (
    RUN_WIDE,
    CheckRecord,
    Exchange,
    Observed,
    OperationInfo,
    RunMetadata,
    RunResult,
    StatusCoverage,
    TestOutcome,
    installed_versions,
    spec_file_digest,
    spec_operations,
)
from reports.redaction import MASK, Redactor, default_redactor
from reports.results_json import (
    ResultsFileError,
    load_results,
    render_results_json,
    results_from_dict,
    results_to_dict,
    write_results_json,
)
from reports.run_folder import write_run

__all__ = [
    "MASK",
    "RUN_WIDE",
    "CheckRecord",
    "Exchange",
    "Observed",
    "OperationInfo",
    "Redactor",
    "ResultsFileError",
    "RunDiff",
    "RunMetadata",
    "RunResult",
    "StatusCoverage",
    "TestOutcome",
    "compare_runs",
    "curl_command",
    "default_redactor",
    "installed_versions",
    "load_results",
    "render_html",
    "render_junit_xml",
    "render_results_json",
    "results_from_dict",
    "results_to_dict",
    "spec_file_digest",
    "spec_operations",
    "write_html",
    "write_junit_xml",
    "write_results_json",
    "write_run",
]
