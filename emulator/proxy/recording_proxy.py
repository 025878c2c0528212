"""`python -m emulator proxy --upstream URL [--port 0] [--report-dir DIR] [--fail-on-violations]
[--fail-on-warnings] [--strict] [--redact-values] [-- COMMAND ...]`: a validating, recording
proxy.

Every request goes to the upstream unchanged (method, path, query, headers, body; TLS
verified, REQUESTS_CA_BUNDLE honoured) and its answer comes back unchanged. Each exchange is
then judged both ways (emulator.proxy.traffic_judge) in a process of its own that runs when a core
is free, so the forwarding never waits for it (emulator.proxy.upstream: an aiohttp session
with keep-alive connections), and at normal priority once the forwarding ended. With a
COMMAND it runs it with SAIL_BASE_URL pointing at the proxy (the caller's SAIL_CLIENT_ID and
SAIL_CLIENT_SECRET pass through) and stops when it ends;
without one it serves until interrupted. Then it prints each distinct finding once with its
count, writes the run folder (results.json, report.html, junit.xml, traffic.har:
emulator.proxy.observation) and exits as the serve gate does: 1 on a violation (with
--fail-on-violations), else the command's code. An upstream it cannot reach is answered 502
in the documented error shape, and reported once with its count.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import marshal
import multiprocessing
import os
import queue
import socket
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import uvicorn

from emulator import http_errors
from emulator.gate import gate_report
from emulator.gate.violation_gate import run_or_wait
from emulator.proxy.traffic_judge import Seen, TrafficJudge
from emulator.proxy.upstream import Answer, Upstream, UpstreamError

if TYPE_CHECKING:
    from emulator.proxy.har import HarLog

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
    """The ASGI application: forward, answer, then hand the exchange to the judging."""

    def __init__(self, upstream: str, judged) -> None:
        self.upstream_url = upstream.rstrip("/")
        self.upstream = Upstream(upstream)
        self.judged = judged  # put(exchange as a tuple of what came off the wire)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = time.time()
        body = await _read_body(receive)
        raw_path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        target = raw_path + (f"?{query}" if query else "")
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in HOP_BY_HOP]
        clock = time.perf_counter()
        try:
            answer = await self.upstream.send(scope["method"], target, headers, body)
        except UpstreamError as error:
            failure = http_errors.error_response(502, f"the upstream could not be reached: {error}")
            await failure(scope, receive, send)
            answer, reason = Answer(0, [], b""), str(error).split(":")[0]
        else:
            reason = ""
            answer.headers = [(k, v) for k, v in answer.headers if k.lower() not in HOP_BY_HOP]
            start = {"type": "http.response.start", "status": answer.status}
            await send({**start, "headers": answer.headers})
            await send({"type": "http.response.body", "body": answer.body})
        # As it came off the wire: the judging process reads it (Seen.from_wire), so the
        # forwarding spends no time decoding what only the judging needs.
        elapsed_ms = (time.perf_counter() - clock) * 1000
        request = (started, scope["method"], self.upstream_url + target, raw_path, headers, body)
        self.judged.put(
            (*request, answer.status or None, answer.headers, answer.body, elapsed_ms, reason)
        )

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.upstream.open()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.upstream.close()
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
    """A process of its own judges the exchanges and writes the run folder, so judging never
    holds the forwarding's interpreter lock (a thread would: each exchange would wait).
    On Linux it is forked before the forwarding opens anything (its socket, its server's
    thread): the judge is imported already, where a spawned process would import it again;
    elsewhere (macOS: system libraries that a fork breaks) it is spawned."""

    def __init__(self, args: argparse.Namespace) -> None:
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        self.queue = context.Queue()
        self._results = context.Queue()
        self._process = context.Process(
            target=_judge_and_write, args=(self.queue, self._results, args), daemon=True
        )
        self._process.start()

    def finish(self, command: list[str], status: int, started_at: str, duration_s: float):
        """Judge what is queued, write the folder; the findings and where the folder is."""
        self.queue.put((command, status, started_at, duration_s))
        while True:  # however long the backlog takes, but not past the process's end
            try:
                found = self._results.get(timeout=1)
                break
            except queue.Empty:
                if not self._process.is_alive():
                    return ["proxy: error: the judging process ended without a report"], True, False
        self._process.join()
        return found

    def abandon(self) -> None:
        """Nothing to judge: the proxy could not start."""
        self._process.terminate()
        self._process.join()


class Batches:
    """Exchanges handed over in batches: one serialisation and one pipe write per batch, not
    per exchange, on the forwarding's side. A batch is marshalled (the exchanges are plain
    bytes, strings, numbers and tuples), which costs the forwarding's process less than the
    queue's pickling would."""

    def __init__(self, queue, seconds: float = 0.05) -> None:
        self._queue = queue
        self._seconds = seconds
        self._pending: list[tuple] = []
        self._flushing = False

    def put(self, seen: tuple) -> None:
        self._pending.append(seen)
        if not self._flushing:
            self._flushing = True
            asyncio.get_running_loop().call_later(self._seconds, self.flush)

    def flush(self) -> None:
        self._flushing = False
        if self._pending:
            self._queue.put(marshal.dumps(self._pending))
            self._pending = []


def _yield_to_forwarding() -> None:
    """The calling thread judges when a core is idle: under load it lags behind, the
    forwarding never waits for it (SCHED_IDLE where Linux offers it, else nice 19; on Linux
    both are the calling thread's, not the process's)."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(19)


def _back_to_normal(thread_id: int) -> None:
    """The forwarding ended, so there is nothing left to yield to: the judging thread catches
    up at normal priority, where the system lets a process raise it back (root, or an
    RLIMIT_NICE that allows it); elsewhere it goes on when a core is idle."""
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setscheduler(thread_id, os.SCHED_OTHER, os.sched_param(0))
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, thread_id, 0)


def _judge_and_write(exchanges, results, args: argparse.Namespace) -> None:
    from emulator.proxy.har import HarLog, ValuePlaceholders  # the judging process's alone
    from reports.redaction import default_redactor

    # Drained at once into this process: a backlog held on the forwarding's side would cost
    # it (its pipe writer and garbage collector would walk it). The draining thread keeps
    # normal priority (it only moves bytes), so it sees the end as it comes.
    backlog: queue.SimpleQueue = queue.SimpleQueue()
    judging, yielded = threading.get_native_id(), threading.Event()

    def drain() -> None:
        while True:
            batch = exchanges.get()
            backlog.put(batch)
            if not isinstance(batch, bytes):
                yielded.wait()
                _back_to_normal(judging)
                return

    threading.Thread(target=drain, daemon=True).start()
    _yield_to_forwarding()  # this thread only: the draining thread keeps its priority
    yielded.set()
    judge = TrafficJudge(strict=args.strict)
    values = ValuePlaceholders() if args.redact_values else None
    # Each entry on disk once judged: a proxy watching for hours keeps no exchange in memory.
    with HarLog(default_redactor(), values) as har:
        while isinstance(batch := backlog.get(), bytes):
            for wire in marshal.loads(batch):
                seen = Seen.from_wire(*wire)
                judge.judge(seen)
                har.add(seen)
        command, status, started_at, duration_s = batch
        try:
            results.put(_report(args, judge, har, command, status, started_at, duration_s))
        except OSError as error:  # e.g. a report folder that cannot be written
            results.put(([f"proxy: error: cannot write the run folder: {error}"], True, False))


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
    judging = Judging(args)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as error:
        sock.close()
        judging.abandon()
        raise OSError(f"cannot listen on {args.host}:{args.port} ({error.strerror})") from None
    batches = Batches(judging.queue)
    app = ProxyApp(args.upstream, batches)
    base_url = f"http://{args.host}:{sock.getsockname()[1]}"
    # The upstream's Date and Server headers come back as sent, none of uvicorn's beside them,
    # and a proxy in front of this one is not trusted for the client's address.
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        proxy_headers=False,
        server_header=False,
        date_header=False,
    )
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
    batches.flush()
    lines, failing, wrote = judging.finish(command, status, started_at, time.monotonic() - clock)
    for line in lines:
        print(line, file=sys.stderr)
    if not wrote or (args.fail_on_violations and failing):
        return 1
    return status


def _report(args, judge: TrafficJudge, har: HarLog, command, status, started_at, duration_s):
    """(the lines to print, whether a finding fails the gate, True): the run folder written."""
    from emulator.proxy.observation import new_run_id, observation_result, write_observation

    findings = gate_report.distinct(judge.findings + judge.token_warnings())
    result = observation_result(
        judge,
        findings,
        run_id=new_run_id(),
        upstream=args.upstream,
        started_at=started_at,
        duration_s=duration_s,
        values=har.values,
    )
    folder = write_observation(result, har, args.report_dir)
    summary = f"proxy: {judge.exchange_count} exchange(s), {gate_report.summary(findings)}"
    lines = [finding.line() for finding in findings]
    lines.append(summary + (f"; command exited {status}" if command else ""))
    lines.append(f"proxy: report folder {folder}")
    return lines, bool(gate_report.failing(findings, args.fail_on_warnings)), True
