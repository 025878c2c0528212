"""`python -m reports diff BEFORE AFTER`: what changed between two runs.
`python -m reports profile RESULTS`: what an emulator `--like` that run would change.

A run is named by its results.json, its run folder, or a report folder holding several runs
(the latest is taken, and the output says which). A run that did not complete is refused
unless `--allow-incomplete`.

Exit status: 0 nothing regressed, 1 something regressed, 2 the command could not run (missing
or unreadable file, not a results file, bad option). Errors are one line on stderr: this runs
in CI logs and in scripts, where a traceback hides the one fact the reader needs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

from reports.diff import DEFAULT_SLOWDOWN_FACTOR, compare_runs, format_json
from reports.diff_text import format_markdown, format_text
from reports.results_json import ResultsFileError
from reports.run_inputs import FoundRun, UnreadableRun, all_runs, latest_run, refuse_incomplete
from spec.learned_profile import ProfileSourceError, describe, load_profile

PROG = "python -m reports"
FORMATTERS = {"text": format_text, "markdown": format_markdown, "json": format_json}
EXIT_OK, EXIT_REGRESSED, EXIT_USAGE = 0, 1, 2
T = TypeVar("T")


class OneLineArgumentParser(argparse.ArgumentParser):
    """argparse prints the whole usage before an error; keep only the error line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class UnreadableFile(Exception):
    """A file named on the command line that could not be read or is not a results file."""


def _slowdown_factor(text: str) -> float:
    try:
        factor = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    # Below 1 an unchanged or faster operation would count as slower.
    if not factor >= 1.0:
        raise argparse.ArgumentTypeError(f"must be a number >= 1.0: {text!r}")
    return factor


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = OneLineArgumentParser(prog=prog, description="Conformance report tools.")
    # Warnings and errors name the command the user typed (this one or campaigns-conformance).
    parser.set_defaults(prog=prog)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    diff = commands.add_parser(
        "diff",
        help="compare two results.json files; exit 1 when anything regressed",
        description="Compare two results.json files (before and after); exit 1 on regressions.",
        epilog="example: campaigns-conformance diff reports/out/before reports/out/after "
        "--format markdown",
    )
    diff.add_argument(
        "before",
        metavar="BEFORE",
        help="a results.json, a run folder or a report folder (its latest run)",
    )
    diff.add_argument("after", metavar="AFTER", help="the same, after")
    diff.add_argument(
        "--also-before",
        action="append",
        default=[],
        metavar="PATH",
        help="more runs of the before side (repeatable; a report folder adds every run in it): "
        "a record whose outcome differs among them is flaky, not a change",
    )
    diff.add_argument(
        "--fail-on-slower",
        action="store_true",
        help="exit 1 when an operation's server time got slower, too",
    )
    diff.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="compare a run that did not complete (what it did not reach is not compared)",
    )
    diff.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    diff.add_argument(
        "--slowdown-factor",
        type=_slowdown_factor,
        default=DEFAULT_SLOWDOWN_FACTOR,
        help="an operation whose server time per request grew by more than this factor (median "
        "and 90th percentile, at least 50 ms, by a rank test) is slower (default: %(default)s)",
    )
    diff.add_argument(
        "--report-link",
        help="where each change links for its whole exchange and curl, e.g. the CI artifact URL "
        "of the after run's report.html (default: report.html beside AFTER.json, if present)",
    )
    profile = commands.add_parser(
        "profile",
        help="say what `campaigns-emulator --like RESULTS.json` changes, and why",
        description="Print, in plain words, what the emulator profile learned from a run "
        "changes compared with the documents, and the observation behind each change.",
        epilog="example: campaigns-conformance profile reports/out/acme",
    )
    profile.add_argument("results", metavar="RESULTS", help="a results.json or a run folder")
    profile.add_argument(
        "--allow-incomplete", action="store_true", help="learn from a run that did not complete"
    )
    return parser


def main(argv: Sequence[str] | None = None, prog: str = PROG) -> int:
    arguments = build_parser(prog).parse_args(argv)
    try:
        if arguments.command == "profile":
            return _profile(arguments)
        return _diff(arguments)
    except (UnreadableFile, UnreadableRun) as error:
        return _fail(prog, str(error))


def _read(load: Callable[[str], T], path: str) -> T:
    try:
        return load(path)
    except (ResultsFileError, ProfileSourceError) as error:
        raise UnreadableFile(str(error)) from None
    except FileNotFoundError as error:
        raise UnreadableFile(f"{error.filename}: no such file") from None
    except OSError as error:
        raise UnreadableFile(f"{error.filename}: cannot read ({error.strerror})") from None


def _diff(arguments: argparse.Namespace) -> int:
    before = _chosen(latest_run(arguments.before, "before"), "before", arguments.prog)
    after = _chosen(latest_run(arguments.after, "after"), "after", arguments.prog)
    befores = {before.result.metadata.run_id: before}
    for path in arguments.also_before:
        for run in all_runs(path, "before"):
            befores.setdefault(run.result.metadata.run_id, run)
    for side, run in [*(("before", run) for run in befores.values()), ("after", after)]:
        if arguments.allow_incomplete:
            if not run.result.metadata.completion.completed:
                headline = run.result.metadata.completion.headline()
                _warn(
                    arguments.prog,
                    f"{side}: {run.path}: {headline}; what it did not reach is not compared",
                )
        else:
            refuse_incomplete(run, side)
    link = arguments.report_link
    if link is None:
        beside = after.path.with_name("report.html")
        link = str(beside) if beside.exists() else ""
    diff = compare_runs(
        [run.result for run in befores.values()],
        after.result,
        slowdown_factor=arguments.slowdown_factor,
        report_link=link,
        fail_on_slower=arguments.fail_on_slower,
    )
    for warning in diff.warnings():
        _warn(arguments.prog, warning)
    print(FORMATTERS[arguments.format](diff))
    return EXIT_REGRESSED if diff.regressed else EXIT_OK


def _chosen(run: FoundRun, side: str, prog: str) -> FoundRun:
    if run.among > 1:
        _warn(prog, f"{side}: {run.path} (the latest of {run.among} runs)")
    return run


def _profile(arguments: argparse.Namespace) -> int:
    run = _chosen(latest_run(arguments.results, "results"), "results", arguments.prog)
    if not arguments.allow_incomplete:
        refuse_incomplete(run, "results")
    print(describe(_read(lambda p: load_profile(p, allow_incomplete=True), str(run.path))))
    return EXIT_OK


def _warn(prog: str, message: str) -> None:
    print(f"{prog}: warning: {message}", file=sys.stderr)


def _fail(prog: str, message: str) -> int:
    print(f"{prog}: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
