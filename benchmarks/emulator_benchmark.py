"""Throughput and latency of the emulator: a rerunnable benchmark, not a test.

    python benchmarks/emulator_benchmark.py [--seconds 10] [--connections 32] [--json out.json]

Starts the emulator (one uvicorn worker) on a free loopback port, seeds one campaign and 250
more, then loads two requests with keep-alive connections from the same machine:
a single campaign get (GET /v3/campaigns/{id}) and a 250-item list (GET /v3/campaigns?limit=250).
The load generator is wrk when installed (`apt-get install wrk`), else a Python thread pool
(which saturates before the server does: its figures are a lower bound).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from emulator.process import start_emulator


def token(base: str) -> str:
    return requests.post(
        f"{base}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "conformance",
            "client_secret": "conformance-secret",
        },
        timeout=10,
    ).json()["access_token"]


def seed(base: str, headers: dict) -> str:
    first = None
    for n in range(251):
        campaign = requests.post(
            f"{base}/v3/campaigns",
            headers=headers,
            timeout=10,
            json={"name": f"bench {n:03}", "description": None, "type": "MANAGER"},
        ).json()
        first = first or campaign["id"]
    return first


def with_wrk(url: str, auth: str, seconds: int, connections: int) -> dict:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: {auth}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": rate,
        "p50_ms": _wrk_ms(output, "50%"),
        "p99_ms": _wrk_ms(output, "99%"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        "generator": "wrk",
    }


def _wrk_ms(output: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def with_threads(url: str, auth: str, seconds: int, connections: int) -> dict:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def worker() -> None:
        nonlocal errors
        with requests.Session() as session:
            session.headers["Authorization"] = auth
            while time.monotonic() < stop:
                started = time.perf_counter()
                ok = session.get(url, timeout=10).status_code == 200
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors += not ok

    threads = [threading.Thread(target=worker) for _ in range(min(connections, 8))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests_per_second": len(latencies) / seconds,
        "p50_ms": cuts[49],
        "p99_ms": cuts[98],
        "errors": errors,
        "generator": "python threads (lower bound)",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    server = start_emulator("--transition-delay", "0")
    try:
        base = server.base_url
        auth = f"Bearer {token(base)}"
        campaign_id = seed(base, {"Authorization": auth})
        load = with_wrk if shutil.which("wrk") else with_threads
        results = {
            "single campaign get": load(
                f"{base}/v3/campaigns/{campaign_id}", auth, args.seconds, args.connections
            ),
            "250-item list": load(
                f"{base}/v3/campaigns?limit=250", auth, args.seconds, args.connections
            ),
        }
    finally:
        server.stop()
    print(f"{'request':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  errors  generator")
    for name, figures in results.items():
        print(
            f"{name:<22} {figures['requests_per_second']:>9.0f} {figures['p50_ms']:>8.2f} "
            f"{figures['p99_ms']:>8.2f}  {figures['errors']:>6}  {figures['generator']}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
