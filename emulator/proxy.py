"""`python -m emulator proxy --upstream URL [--port 0] [--report-dir DIR] [--fail-on-violations]
[--fail-on-warnings] [--redact-values] [-- COMMAND ...]`: a validating, recording proxy.

Every request goes to the upstream unchanged (method, path, query, headers, body; TLS
verified, REQUESTS_CA_BUNDLE honoured) and its answer comes back unchanged. Each exchange is
then judged both ways off the request's path (emulator.traffic_judge), so the proxy adds
little time. With a COMMAND it runs it with SAIL_BASE_URL pointing at the proxy (the caller's
SAIL_CLIENT_ID and SAIL_CLIENT_SECRET pass through) and stops when it ends; without one it
serves until interrupted. Then it prints each distinct finding once with its count, writes the
run folder (results.json, report.html, junit.xml, traffic.har: emulator.observation) and exits
as the serve gate does: 1 on a violation (with --fail-on-violations), else the command's code.
An upstream it cannot reach is answered 502 in the documented error shape.
"""

from __future__ import annotations

import argparse
import os
import queue
import socket
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import uvicorn

from emulator import gate_report, http_errors
from emulator.traffic_judge import Seen, TrafficJudge
from emulator.violation_gate import run_or_wait

READY = "Certification Campaigns proxy ready at "
# Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection, not to the exchange.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"host",
    }
)


class ProxyApp:
    """The ASGI application: forward, answer, then hand the exchange to the judge."""

    def __init__(self, upstream: str, judged: queue.SimpleQueue) -> None:
        self.upstream = upstream.rstrip("/")
        self.judged = judged
        self.client: httpx.AsyncClient | None = None

    def _client(self) -> httpx.AsyncClient:
        if self.client is None:
            # TLS verified; a private CA as the suite takes it (REQUESTS_CA_BUNDLE).
            verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
            self.client = httpx.AsyncClient(
                verify=verify or True,
                trust_env=False,
                timeout=httpx.Timeout(60.0),
                limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
            )
        return self.client

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = datetime.now(UTC).isoformat()
        body = await _read_body(receive)
        raw_path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        url = self.upstream + raw_path + (f"?{query}" if query else "")
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in HOP_BY_HOP]
        clock = time.perf_counter()
        request_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers}

        def sent(status, answer_headers, content, error: str = "") -> Seen:
            elapsed = (time.perf_counter() - clock) * 1000
            method = scope["method"]
            return Seen(
                started, method, url, raw_path, request_headers, body, status,
                answer_headers, content, elapsed, error,
            )  # fmt: skip

        try:
            request = self._client().build_request(
                scope["method"], url, headers=headers, content=body
            )
            response = await self._client().send(request, stream=True)
            try:
                content = b"".join([chunk async for chunk in response.aiter_raw()])
            finally:
                await response.aclose()
        except httpx.HTTPError as error:
            failure = http_errors.error_response(502, f"the upstream could not be reached: {error}")
            await failure(scope, receive, send)
            self.judged.put(sent(None, {}, b"", type(error).__name__))
            return
        answer_headers = [(k, v) for k, v in response.headers.raw if k.lower() not in HOP_BY_HOP]
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": answer_headers,
            }
        )
        await send({"type": "http.response.body", "body": content})
        decoded = {k.decode("latin-1"): v.decode("latin-1") for k, v in answer_headers}
        self.judged.put(sent(response.status_code, decoded, content))

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.client is not None:
                    await self.client.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


class Judging:
    """The thread that judges exchanges as they come, so a request never waits for it."""

    def __init__(self, judge: TrafficJudge) -> None:
        self.judge = judge
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, daemon=True, name="judging")
        self._thread.start()

    def _run(self) -> None:
        while (seen := self.queue.get()) is not None:
            self.judge.judge(seen)

    def finish(self) -> None:
        """Judge what is queued, then stop."""
        self.queue.put(None)
        self._thread.join()


# --- the command line ------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    from emulator.__main__ import _Parser

    parser = _Parser(prog="emulator proxy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="the tenant (or emulator) base URL")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument(
        "--report-dir", type=Path, default=Path("reports/out"), help="base folder of the run"
    )
    parser.add_argument(
        "--fail-on-violations", action="store_true", help="exit 1 when there was a violation"
    )
    parser.add_argument("--fail-on-warnings", action="store_true", help="warnings fail it too")
    parser.add_argument(
        "--strict", action="store_true", help="undeclared response members are violations"
    )
    parser.add_argument(
        "--redact-values",
        action="store_true",
        help="also replace the tenant's names and e-mail addresses with placeholders",
    )
    return parser


def main(argv: list[str]) -> int:
    command: list[str] = []
    if "--" in argv:
        argv, command = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    args = build_parser().parse_args(argv)
    upstream = urlsplit(args.upstream)
    if upstream.scheme not in ("http", "https") or not upstream.netloc:
        print(
            f"emulator proxy: error: --upstream must be an http(s) URL, not {args.upstream!r}",
            file=sys.stderr,
        )
        return 2
    try:
        return run_proxy(args, command)
    except OSError as error:
        print(f"emulator proxy: error: {error}", file=sys.stderr)
        return 1


def run_proxy(args: argparse.Namespace, command: list[str]) -> int:
    judge = TrafficJudge(strict=args.strict)
    judging = Judging(judge)
    app = ProxyApp(args.upstream, judging.queue)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    base_url = f"http://{args.host}:{sock.getsockname()[1]}"
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    started_at, clock = datetime.now(UTC).isoformat(), time.monotonic()
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.02)
    print(f"{READY}{base_url} -> {args.upstream}", flush=True)
    status = run_or_wait(command, {**os.environ, "SAIL_BASE_URL": base_url}, "proxy")
    server.should_exit = True
    thread.join(timeout=10)
    judging.finish()
    return _report(args, judge, command, status, started_at, time.monotonic() - clock)


def _report(args, judge: TrafficJudge, command, status, started_at, duration_s) -> int:
    from emulator.observation import new_run_id, observation_result, write_observation

    findings = gate_report.distinct(judge.findings + judge.token_warnings())
    for finding in findings:
        print(finding.line(), file=sys.stderr)
    result = observation_result(
        judge,
        findings,
        run_id=new_run_id(),
        upstream=args.upstream,
        started_at=started_at,
        duration_s=duration_s,
        redact_values=args.redact_values,
    )
    folder = write_observation(
        result, judge.exchanges, args.report_dir, redact_values=args.redact_values
    )
    summary = f"proxy: {len(judge.exchanges)} exchange(s), {gate_report.summary(findings)}"
    print(summary + (f"; command exited {status}" if command else ""), file=sys.stderr)
    print(f"proxy: report folder {folder}", file=sys.stderr)
    if args.fail_on_violations and gate_report.failing(findings, args.fail_on_warnings):
        return 1
    return status
