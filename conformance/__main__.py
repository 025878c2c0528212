"""`python -m conformance`: the same command as `campaigns-conformance` (conformance/run/cli.py),
and its `cleanup`: sweep leftovers of earlier runs.

Every object the suite creates is named `cc-run-<run id> ...`; a run removes its own objects
at the end, even after failures or Ctrl-C. `cleanup` removes what an interrupted run (a
killed process, a lost machine) left behind, by that prefix. Credentials come from
SAIL_CLIENT_ID / SAIL_CLIENT_SECRET. `--dry-run` lists what would be deleted.
"""

from __future__ import annotations

import argparse
import os
import sys

import requests

from conformance.client import GuestSession, RunLedger
from conformance.client.circuit_breaker import TargetStoppedAnswering
from conformance.client.ledger import RUN_PREFIX, sweep
from conformance.client.tokens import TokenError
from conformance.targets import preflight
from conformance.targets.preflight import TargetUnusable
from conformance.targets.target import connect


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(prog: str = "campaigns-conformance cleanup") -> argparse.ArgumentParser:
    cleanup = _Parser(
        prog=prog,
        description="Delete the objects earlier runs left behind (named cc-run-...).",
        epilog="example: campaigns-conformance cleanup --target "
        "https://acme.api.identitynow.com --dry-run",
    )
    cleanup.add_argument("--target", required=True, help="tenant or emulator base URL")
    cleanup.add_argument(
        "--prefix",
        default=RUN_PREFIX,
        help=f"name prefix of the objects to delete (default {RUN_PREFIX})",
    )
    cleanup.add_argument("--dry-run", action="store_true", help="list, delete nothing")
    return cleanup


def run_cleanup(target_url: str, prefix: str, dry_run: bool) -> str:
    if not prefix.startswith(RUN_PREFIX):
        raise ValueError(
            f"--prefix must start with {RUN_PREFIX!r}: only the suite's objects may be swept"
        )
    # A target that cannot be used: one clear line.
    target = connect(preflight.check(target_url, os.environ))
    ledger = RunLedger()
    session = GuestSession(target.base_url, target.credentials, ledger)
    if dry_run:
        found = []
        for path in ("campaigns", "campaign-templates"):
            response = session.get(
                f"{target.base_url}/v3/{path}",
                params={"filters": f'name sw "{prefix}"', "limit": 250},
            )
            response.raise_for_status()
            found += [f"{path[:-1]} {item['id']} {item.get('name')!r}" for item in response.json()]
        return "\n".join(found) or f"nothing named {prefix}* found"
    return sweep(session, ledger, target.base_url, prefix).summary()


def cleanup_main(argv: list[str], prog: str = "campaigns-conformance cleanup") -> int:
    args = build_parser(prog).parse_args(argv)
    try:
        print(run_cleanup(args.target, args.prefix, args.dry_run))
    except (TargetUnusable, TokenError, ValueError) as error:
        print(f"conformance: error: {error}", file=sys.stderr)
        return 2
    except TargetStoppedAnswering as error:
        print(f"conformance: error: {error}", file=sys.stderr)
        return 2
    except requests.RequestException as error:
        print(
            f"conformance: error: {type(error).__name__} talking to {args.target}", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    from conformance.run.cli import main

    raise SystemExit(main())
