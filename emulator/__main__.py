"""`python -m emulator` (or `campaigns-emulator`): serve a tenant in a box; `python -m emulator
proxy --upstream URL ...` puts a validating, recording proxy in front of one (emulator.proxy).

    python -m emulator [serve] [--host 127.0.0.1] [--port 8080] [--db PATH]
                       [--fail-on-violations [--fail-on-warnings] [--junit PATH]
                        [-- COMMAND ...]] [--control-token TOKEN]
                       [--client ID:SECRET[:AUTH,AUTH[:TENANT]]] [--clients-file FILE]
                       [--token-ttl 3600] [--rate-limit 100/10s] [--transition-delay 0.2]
                       [--latency-ms 0]
                       [--answers documented|published | --like RESULTS.json]
                       [--no-control-api]

It prints its base URL once it accepts connections. Bad options give one line and exit 2.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

import uvicorn

from emulator import control_api, learned_answers
from emulator.app import create_app
from emulator.config import (
    ANSWER_PROFILES,
    DEFAULT_ANSWERS,
    DEFAULT_CLIENT,
    EmulatorConfig,
    load_clients_file,
    parse_client,
)
from emulator.control_api import CONTROL_TOKEN_VARIABLE
from emulator.gate.violation_gate import run_gate
from emulator.process import READY
from spec.learned_profile import LearnedProfile, load_profile
from spec.rate_limit import RateLimit


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="emulator", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8080, help="port; 0 picks a free one (default 8080)"
    )
    parser.add_argument(
        "--db", type=Path, help="keep state in this SQLite file (default: in memory)"
    )
    parser.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="ID:SECRET[:AUTHS[:TENANT]]",
        help="an extra API client, e.g. reports:pw:REPORT_ADMIN:acme (repeatable)",
    )
    parser.add_argument("--clients-file", type=Path, help="YAML/JSON list of clients")
    parser.add_argument("--token-ttl", type=int, default=3600, help="token lifetime in seconds")
    parser.add_argument(
        "--rate-limit", help="per-token limit like the tenant's: 100/10s (default off)"
    )
    parser.add_argument(
        "--transition-delay",
        type=float,
        default=0.2,
        help="seconds background work takes, e.g. PENDING -> STAGED (default 0.2)",
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="milliseconds added to every /v3 answer, like a tenant a round trip away "
        "(default 0; per tenant: the control API's faults)",
    )
    parser.add_argument(
        "--no-control-api",
        dest="control_api",
        action="store_false",
        help="serve no /emulator control API, like a tenant: clients (and the suite with "
        "--target) see only /oauth/token and /v3",
    )
    parser.add_argument(
        "--answers",
        choices=ANSWER_PROFILES,
        help="where the vendor's published description differs from the documents (createCampaign "
        "202, MACHINE_ACCOUNT), answer as it (published, the default: what tenants and the "
        "vendor's SDKs do) or as the documents (documented); per tenant: the control API",
    )
    parser.add_argument(
        "--like",
        type=Path,
        metavar="RESULTS.json",
        help="answer as the tenant of that conformance run was seen to answer where it differs "
        "from the documents (success statuses, undocumented members, extra enum values); "
        "everything else as documented. `python -m reports profile RESULTS.json` says what "
        "it changes",
    )
    parser.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="with --like: learn from a run that did not complete (refused otherwise: it saw "
        "only part of the target)",
    )
    parser.add_argument(
        "--fail-on-violations",
        action="store_true",
        help="gate mode: run the command after --, or serve until Ctrl-C; then print the "
        "client's contract violations and exit 1 if there were any",
    )
    parser.add_argument(
        "--fail-on-warnings",
        action="store_true",
        help="with --fail-on-violations: warnings (what a tenant tolerates, such as repeated "
        "slashes or a new token for most requests) fail the gate too",
    )
    parser.add_argument(
        "--junit",
        type=Path,
        metavar="PATH",
        help="with --fail-on-violations: write each distinct violation and warning as a JUnit "
        "test case",
    )
    parser.add_argument(
        "--control-token",
        default=os.environ.get(CONTROL_TOKEN_VARIABLE),
        help="bound beyond loopback (--host 0.0.0.0), the control API answers only requests "
        f"with 'Authorization: Bearer TOKEN' (default ${CONTROL_TOKEN_VARIABLE}; without one "
        "it is closed); on loopback it needs none",
    )
    parser.add_argument(
        "--log-level", default="warning", help="uvicorn log level (default warning)"
    )
    return parser


def config_from(args: argparse.Namespace) -> EmulatorConfig:
    clients = [DEFAULT_CLIENT]
    if args.clients_file:
        clients += load_clients_file(args.clients_file)
    clients += [parse_client(text) for text in args.client]
    if args.token_ttl < 1:
        raise ValueError("--token-ttl must be at least 1 second")
    if args.transition_delay < 0:
        raise ValueError("--transition-delay must not be negative")
    if args.latency_ms < 0:
        raise ValueError("--latency-ms must not be negative")
    answers = args.answers or DEFAULT_ANSWERS
    if args.like is not None:
        if args.answers is not None:
            raise ValueError("--like and --answers both choose the answers: give one")
        answers = learned_answers.register(_learned_profile(args.like, args.allow_incomplete))
    return EmulatorConfig(
        host=args.host,
        port=args.port,
        db_path=args.db,
        clients=clients,
        token_ttl_seconds=args.token_ttl,
        rate_limit=RateLimit.parse(args.rate_limit) if args.rate_limit else None,
        transition_delay=args.transition_delay,
        latency_ms=args.latency_ms,
        answers=answers,
        control_api=args.control_api,
        control_token=args.control_token or None,
    )


def _learned_profile(path: Path, allow_incomplete: bool) -> LearnedProfile:
    try:
        return load_profile(path, allow_incomplete)
    except FileNotFoundError:
        raise ValueError(f"--like {path}: no such file") from None
    except OSError as error:
        raise ValueError(f"--like {path}: cannot read ({error.strerror})") from None


class _AnnouncingServer(uvicorn.Server):
    """Prints the base URL only once the socket accepts connections."""

    def __init__(self, config: uvicorn.Config, banner: str) -> None:
        super().__init__(config)
        self._banner = banner

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        if self.started:
            print(self._banner, flush=True)


def banner(config: EmulatorConfig, base_url: str) -> str:
    lines = [f"{READY}{base_url}"]
    lines.append(f"  API:     {base_url}/v3   token: POST {base_url}/oauth/token")
    control = f"{base_url}/emulator, " if config.control_api else ""
    lines.append(f"  control: {control}{control_api.access(config)}")
    lines.append(f"  storage: {config.db_path or 'in memory'}")
    for client in config.clients:
        lines.append(
            f"  client:  {client.client_id} / {client.client_secret} "
            f"({','.join(sorted(client.authorities))}, tenant {client.tenant})"
        )
    learned = learned_answers.profile_named(config.answers)
    if learned is not None:
        lines.append(f"  answers: {config.answers}, learned from the {learned.source} (--like)")
    else:
        lines.append(f"  answers: {config.answers} (--answers documented|published)")
    return "\n".join(lines)


def serve(config: EmulatorConfig, log_level: str = "warning") -> None:
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as error:
        sock.close()
        raise OSError(
            f"cannot listen on {config.host}:{config.port} ({error.strerror}); "
            "choose another --port, or --port 0 for a free one"
        ) from None
    port = sock.getsockname()[1]
    host = f"[{config.host}]" if family == socket.AF_INET6 else config.host
    uvicorn_config = uvicorn.Config(create_app(config), log_level=log_level, access_log=False)
    server = _AnnouncingServer(uvicorn_config, banner(config, f"http://{host}:{port}"))
    server.run(sockets=[sock])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["proxy"]:
        from emulator.proxy import recording_proxy

        return recording_proxy.main(argv[1:])
    if argv[:1] == ["serve"]:
        argv = argv[1:]
    command: list[str] = []
    if "--" in argv:
        argv, command = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    parser = build_parser()
    args = parser.parse_args(argv)
    if command and not args.fail_on_violations:
        parser.error("a command after -- needs --fail-on-violations")
    if (args.fail_on_warnings or args.junit) and not args.fail_on_violations:
        parser.error("--fail-on-warnings and --junit need --fail-on-violations")
    try:
        config = config_from(args)
        if args.fail_on_violations:
            return run_gate(
                config, command, fail_on_warnings=args.fail_on_warnings, junit=args.junit
            )
        serve(config, args.log_level)
    except (ValueError, OSError) as error:
        print(f"emulator: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
