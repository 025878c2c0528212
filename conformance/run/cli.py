"""`campaigns-conformance`: the suite and its report tools as one command, from any folder.

    campaigns-conformance run [--target URL] [--rule ID] [suite and pytest options]
    campaigns-conformance diff BEFORE.json AFTER.json [--format markdown]
    campaigns-conformance profile RESULTS.json
    campaigns-conformance cleanup --target URL [--dry-run]

`run` runs the suite's test modules, which the package ships, with pytest, in this process;
its report goes under this folder's `reports/out/` (or `--report-dir`, or the settings
file's). `python -m conformance` is the same command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

PROG = "campaigns-conformance"
SUITE = Path(__file__).resolve().parents[1]  # the package: its test modules and conftest.py

RUN_HELP = """\
Run the conformance suite: against the embedded emulator, or with --target against a tenant
(credentials in SAIL_CLIENT_ID / SAIL_CLIENT_SECRET) or a separately started emulator.
Everything after `run` goes to the suite and to pytest. Settings may also come from
[tool.campaigns-conformance] in ./pyproject.toml or from ./campaigns-conformance.toml.

suite options:
  --target URL            API base URL, e.g. https://acme.api.identitynow.com
  --rule ID               only the tests that declare this rule (repeatable)
  --operation OPERATION   only the tests of this operation (repeatable)
  --read-only             send only GET requests
  --profile NAME          ci, fail-fast, thorough or tenant (the default with --target)
  --rate-limit N/Ss|off   client-side limit per token (default 100/10s with --target)
  --seed N                the same generated requests on every run with the same N
  --report-dir DIR        where the run folder goes (default reports/out)
  --strict                also fail on undocumented response members

example: campaigns-conformance run --target http://127.0.0.1:8080 --rule activate-only-staged
  against `campaigns-emulator --port 8080`, with SAIL_CLIENT_ID=conformance and
  SAIL_CLIENT_SECRET=conformance-secret (its default client) in the environment
"""


class _Parser(argparse.ArgumentParser):
    """One line on a bad command line, exit 4 as pytest's usage errors (the README's table)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(4, f"{self.prog}: error: {message}\n")


COMMANDS = {
    "run": "run the suite (what follows goes to the suite and pytest; run --help lists it)",
    "diff": "compare two results.json files; exit 1 when anything regressed",
    "profile": "say what an emulator --like RESULTS.json would answer differently, and why",
    "cleanup": "delete what interrupted runs left on a tenant (--dry-run lists it)",
}


def build_parser() -> argparse.ArgumentParser:
    """The top level only: each command reads the rest of the line itself."""
    parser = _Parser(
        prog=PROG,
        description="The Certification Campaigns conformance suite and its report tools.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="commands:\n"
        + "".join(f"  {name:9} {text}\n" for name, text in COMMANDS.items())
        + "\nexample: campaigns-conformance run --target https://acme.api.identitynow.com",
    )
    parser.add_argument("command", choices=COMMANDS, metavar="COMMAND")
    return parser


def run_suite(arguments: Sequence[str]) -> int:
    """pytest on the package's test modules, this folder staying the current one."""
    import pytest

    if arguments[:1] in (["-h"], ["--help"]):
        print(RUN_HELP)
        return 0
    # The package's folder as the test path makes its conftest.py an initial one (the suite's
    # plugins load before the command line is read); no cache is written into it. This
    # command imported the package before pytest could rewrite its asserts: only its
    # __init__, which has none, so pytest's warning about it says nothing to the user.
    quiet = "ignore:Module already imported:pytest.PytestAssertRewriteWarning"
    return int(pytest.main([str(SUITE), "-p", "no:cacheprovider", "-W", quiet, *arguments]))


def main(argv: Sequence[str] | None = None) -> int:
    line = list(sys.argv[1:] if argv is None else argv)
    command = build_parser().parse_args(line[:1]).command
    rest = line[1:]
    if command == "run":
        return run_suite(rest)
    if command in ("diff", "profile"):
        from reports.__main__ import main as reports_main

        return reports_main([command, *rest], prog=PROG)
    from conformance.__main__ import cleanup_main

    return cleanup_main(rest, prog=f"{PROG} cleanup")


if __name__ == "__main__":
    sys.exit(main())
