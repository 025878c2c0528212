"""Requests/s and latency of one emulator worker: a rerunnable benchmark, not a test.

    python benchmarks/emulator_throughput.py [--duration 10] [--connections 32]
        [--generator auto|wrk|python] [--json out.json]

Starts the emulator (`python -m emulator`, one uvicorn worker) on a free loopback port, seeds
one tenant with one campaign and another with 250, then loads, with keep-alive connections
from this machine:

    single  GET /v3/campaigns/{id}          (one SLIM campaign)
    list    GET /v3/campaigns?limit=250     (250 SLIM campaigns, ~150 KB)

The load comes from wrk when it is installed (`apt-get install wrk`), else from a small
asyncio HTTP/1.1 client in this process (no third-party client library: httpx or requests
would saturate this process's core before the server's). Both keep every connection busy
(closed loop), so the figures are the server's throughput at that concurrency, and the
latencies include queueing behind the other connections.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # so a plain checkout runs it too, installed or not

from emulator.control_client import ControlClient, fetch_token  # noqa: E402
from emulator.process import EmulatorProcess, start_emulator  # noqa: E402

GOAL_SINGLE_RPS = 3000


@dataclass
class Result:
    name: str
    request: str  # the path as a template, for the table
    path: str
    generator: str
    connections: int
    seconds: float
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


# --- seeding ------------------------------------------------------------------------------
def tenant_token(base: str, tenant: str) -> str:
    """A client of its own in a tenant of its own, so the two workloads share no data."""
    client_id, secret = f"bench-{tenant}", uuid.uuid4().hex
    ControlClient(base).add_client(client_id, secret, tenant=tenant)
    return fetch_token(base, client_id, secret).access_token


def seed_campaigns(base: str, token: str, count: int) -> list[str]:
    ids = []
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        for n in range(count):
            body = {
                "name": f"Benchmark campaign {n:03}",
                "description": "Seeded by benchmarks/emulator_throughput.py",
                "type": "MANAGER",
            }
            response = session.post(f"{base}/v3/campaigns", json=body, timeout=10)
            response.raise_for_status()
            ids.append(response.json()["id"])
    return ids


def check_once(base: str, token: str, path: str, items: int | None) -> None:
    """Load only a request that answers what it should, or the figures mean nothing."""
    response = requests.get(
        f"{base}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    response.raise_for_status()
    if items is not None and len(response.json()) != items:
        raise SystemExit(f"{path} answered {len(response.json())} items, not {items}")


# --- load generator: wrk --------------------------------------------------------------------
def run_wrk(url: str, token: str, seconds: float, connections: int) -> tuple[int, float, dict]:
    # One wrk thread is plenty for one Python worker and leaves the other core to the server.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    command += ["-H", f"Authorization: Bearer {token}", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    latencies = {label: _wrk_ms(output, label) for label in ("50%", "99%")}
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:  # "connect 0, read 0, write 0, timeout 3"
        failed += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return total, rate, {"p50": latencies["50%"], "p99": latencies["99%"], "errors": failed}


def _wrk_ms(output: str, label: str) -> float:
    value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\b", output, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


# --- load generator: asyncio ----------------------------------------------------------------
async def _connection(
    host: str, port: int, request: bytes, stop_at: float, latencies: list[float]
) -> int:
    """One keep-alive connection sending requests back to back; returns its error count."""
    reader, writer = await asyncio.open_connection(host, port)
    errors = 0
    try:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            if length is None:  # the emulator always sends a length; anything else is a bug
                raise RuntimeError(f"response without Content-Length: {head[:200]!r}")
            await reader.readexactly(int(length.group(1)))
            latencies.append(time.perf_counter() - started)
            errors += status != 200
    finally:
        writer.close()
    return errors


async def _load(url: str, token: str, seconds: float, connections: int) -> tuple[list, int]:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Authorization: Bearer {token}\r\nAccept: application/json\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds
    errors = await asyncio.gather(
        *(
            _connection(parts.hostname, parts.port, request, stop_at, latencies)
            for _ in range(connections)
        )
    )
    return latencies, sum(errors)


def run_python(url: str, token: str, seconds: float, connections: int) -> tuple[int, float, dict]:
    try:
        import uvloop  # the emulator's own dependency (uvicorn[standard]); ~2x asyncio's speed

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    started = time.perf_counter()
    latencies, errors = runner(_load(url, token, seconds, connections))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    figures = {"p50": cuts[49] * 1000, "p99": cuts[98] * 1000, "errors": errors}
    return len(latencies), len(latencies) / elapsed, figures


# --- the run ------------------------------------------------------------------------------
def measure(
    name: str,
    request: str,
    base: str,
    path: str,
    token: str,
    args: argparse.Namespace,
    generator: str,
) -> Result:
    load = run_wrk if generator == "wrk" else run_python
    if args.warmup > 0:
        load(f"{base}{path}", token, args.warmup, args.connections)  # warm caches and connections
    total, rate, figures = load(f"{base}{path}", token, args.duration, args.connections)
    return Result(
        name,
        request,
        path,
        generator,
        args.connections,
        args.duration,
        total,
        round(rate, 1),
        round(figures["p50"], 2),
        round(figures["p99"], 2),
        figures["errors"],
    )


def print_table(results: list[Result]) -> None:
    print(f"{'workload':<8} {'request':<34} {'generator':<9} {'conns':>5} {'requests':>9}", end="")
    print(f" {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for r in results:
        print(
            f"{r.name:<8} {'GET ' + r.request:<34} {r.generator:<9} {r.connections:>5} "
            f"{r.requests:>9} {r.requests_per_second:>9.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} "
            f"{r.errors:>6}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per workload")
    parser.add_argument("--warmup", type=float, default=2, help="seconds before measuring")
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections")
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.warmup < 0 or args.connections < 1:
        parser.error("--duration and --connections must be positive, --warmup not negative")
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    elif generator == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install -y wrk)")

    server: EmulatorProcess = start_emulator("--transition-delay", "0", cwd=REPO)
    try:
        base = server.base_url
        single_token = tenant_token(base, "bench-single")
        (campaign_id,) = seed_campaigns(base, single_token, 1)
        list_token = tenant_token(base, "bench-list")
        seed_campaigns(base, list_token, 250)
        workloads = [
            ("single", "/v3/campaigns/{id}", f"/v3/campaigns/{campaign_id}", single_token, None),
            ("list", "/v3/campaigns?limit=250", "/v3/campaigns?limit=250", list_token, 250),
        ]
        results = []
        for name, request, path, token, items in workloads:
            check_once(base, token, path, items)
            results.append(measure(name, request, base, path, token, args, generator))
    finally:
        server.stop()

    print_table(results)
    single = results[0].requests_per_second
    verdict = "met" if single >= GOAL_SINGLE_RPS else "NOT met"
    print(f"goal: single get >= {GOAL_SINGLE_RPS} req/s on one worker: {verdict}")
    if args.json:
        document = {
            "goal_single_rps": GOAL_SINGLE_RPS,
            "python": sys.version.split()[0],
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
