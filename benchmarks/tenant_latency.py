"""A tenant run against a far tenant: wall time against the rate limit's floor. A rerunnable
benchmark, not a test.

    python benchmarks/tenant_latency.py [--latency-ms 300] [--workers 6] [--json out.json]

Starts the emulator as a tenant an internet round trip away (`--latency-ms 300 --rate-limit
100/10s --no-control-api`), then runs the suite against it as against a tenant
(`pytest conformance --target URL`, the tenant profile, the client-side limit 100/10s,
`-n WORKERS`), and compares the run's wall time with its floor: the requests within the rate
budget at 100 per 10 s (the 429 rule's own token is outside it and not counted in the
floor). The goal is 1.5 times the floor. It also prints the plan's estimate, said before the
run, against the wall time (the estimate's goal: within 25%).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # so a plain checkout runs it too, installed or not

from emulator.process import start_emulator  # noqa: E402

LIMIT_REQUESTS, LIMIT_SECONDS = 100, 10.0
GOAL = 1.5


def run(latency_ms: float, workers: int) -> dict:
    emulator_args = ("--latency-ms", str(latency_ms), "--rate-limit", "100/10s")
    with start_emulator(*emulator_args, "--no-control-api", cwd=REPO) as server:
        reports = tempfile.mkdtemp(prefix="cc-bench-tenant-")
        command = [sys.executable, "-m", "pytest", "conformance", "-q", "-p", "no:cacheprovider"]
        command += ["--target", server.base_url, "--report-dir", reports]
        command += ["-n", str(workers)] if workers > 1 else []
        env = {**os.environ, "SAIL_CLIENT_ID": "conformance"}
        env["SAIL_CLIENT_SECRET"] = "conformance-secret"
        started = time.monotonic()
        finished = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
        wall = time.monotonic() - started
    output = finished.stdout
    results = json.loads(next(Path(reports).glob("*/results.json")).read_text())
    requests_sent = results["run"]["request_count"]
    outside = sum(int(n) for n in re.findall(r"(\d+) on the 429 rule's own token", output))
    budgeted = requests_sent - outside
    floor = budgeted * LIMIT_SECONDS / LIMIT_REQUESTS
    estimate = re.search(r"; about (\d+)s at the", output)
    return {
        "latency_ms": latency_ms,
        "workers": workers,
        "exit_code": finished.returncode,
        "wall_s": round(wall, 1),
        "requests": requests_sent,
        "outside_budget": outside,
        "floor_s": round(floor, 1),
        "times_floor": round(wall / floor, 2),
        "estimate_s": int(estimate.group(1)) if estimate else None,
        "summary": finished.stdout.strip().splitlines()[-1] if finished.stdout.strip() else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency-ms", type=float, default=300)
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    figures = run(args.latency_ms, args.workers)
    estimate = figures["estimate_s"]
    said = (
        f"the plan said about {estimate} s ({(estimate / figures['wall_s'] - 1) * 100:+.0f}%)"
        if estimate
        else "the plan gave no estimate"
    )
    met = "met" if figures["times_floor"] <= GOAL else "missed"
    print(
        f"{figures['requests']} requests ({figures['outside_budget']} outside the budget) in "
        f"{figures['wall_s']} s at {args.latency_ms:g} ms with {args.workers} worker(s): "
        f"{figures['times_floor']} times the floor of {figures['floor_s']} s "
        f"(goal {GOAL}: {met}); {said}"
    )
    print(f"pytest: {figures['summary']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if figures["exit_code"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
