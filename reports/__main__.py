"""`python -m reports diff BEFORE.json AFTER.json`: what changed between two runs.
`python -m reports profile RESULTS.json`: what an emulator `--like` that run would change.

Exit status: 0 nothing regressed, 1 something regressed, 2 the command could not run (missing
or unreadable file, not a results file, bad option). Errors are one line on stderr: this runs
in CI logs and in scripts, where a traceback hides the one fact the reader needs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TypeVar

from reports.diff import DEFAULT_SLOWDOWN_FACTOR, compare_runs, format_json
from reports.diff_text import format_markdown, format_text
from reports.results_json import ResultsFileError, load_results
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


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineArgumentParser(prog=PROG, description="Conformance report tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    diff = commands.add_parser(
        "diff",
        help="compare two results.json files; exit 1 when anything regressed",
        description="Compare two results.json files (before and after); exit 1 on regressions.",
    )
    diff.add_argument("before", metavar="BEFORE.json")
    diff.add_argument("after", metavar="AFTER.json")
    diff.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    diff.add_argument(
        "--slowdown-factor",
        type=_slowdown_factor,
        default=DEFAULT_SLOWDOWN_FACTOR,
        help="an operation whose median duration grew by more than this factor (and by at "
        "least 50 ms) is a regression (default: %(default)s)",
    )
    diff.add_argument(
        "--report-link",
        help="where each change links for its whole exchange and curl, e.g. the CI artifact URL "
        "of the after run's report.html (default: report.html beside AFTER.json, if present)",
    )
    profile = commands.add_parser(
        "profile",
        help="say what `python -m emulator --like RESULTS.json` changes, and why",
        description="Print, in plain words, what the emulator profile learned from a run "
        "changes compared with the documents, and the observation behind each change.",
    )
    profile.add_argument("results", metavar="RESULTS.json")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        if arguments.command == "profile":
            return _profile(arguments.results)
        return _diff(arguments)
    except UnreadableFile as error:
        return _fail(str(error))


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
    before = _read(load_results, arguments.before)
    after = _read(load_results, arguments.after)
    link = arguments.report_link
    if link is None:
        beside = Path(arguments.after).with_name("report.html")
        link = str(beside) if beside.exists() else ""
    diff = compare_runs(before, after, slowdown_factor=arguments.slowdown_factor, report_link=link)
    for warning in diff.warnings():
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    print(FORMATTERS[arguments.format](diff))
    return EXIT_REGRESSED if diff.regressed else EXIT_OK


def _profile(path: str) -> int:
    print(describe(_read(load_profile, path)))
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
