"""What the recording proxy costs: a rerunnable benchmark, not a test.

    python benchmarks/proxy_overhead.py [--duration 5] [--connections 32] [--rounds 3]
        [--warmup 1] [--json out.json]

Starts an emulator (`python -m emulator`, one uvicorn worker) and the proxy in front of it
(`python -m emulator proxy --upstream ...`, no command: it serves until interrupted), both on
free loopback ports, seeds one campaign, then loads `GET /v3/campaigns/{id}` with this
script's asyncio HTTP/1.1 generator (emulator_throughput.py's), directly and through the
proxy:

    latency     one connection, one request at a time: the median per request; the proxy's
                overhead is the difference of the medians (goal: at most 2 ms)
    throughput  --connections keep-alive connections, closed loop: requests/s (goal: through
                the proxy at least half of direct), measured in --rounds turns of direct then
                proxied, so both sides see the same load of a shared machine

Then it interrupts the proxy and times how long it takes to judge what it queued and write
its run folder (judging runs beside the forwarding, in a process of its own that runs when a
core is free), and reports the peak memory of the proxy's largest process (the forwarding or
the judging: neither keeps the exchanges it has passed on or judged).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(Path(__file__).parent)]  # a plain checkout runs it too

from emulator_throughput import run_python, seed_campaigns, tenant_token  # noqa: E402

from emulator.process import start_emulator  # noqa: E402
from emulator.proxy.recording_proxy import READY  # noqa: E402

PROXY = (sys.executable, "-m", "emulator", "proxy")
GOAL_OVERHEAD_MS = 2.0
GOAL_THROUGHPUT_SHARE = 0.5


def start_proxy(upstream: str, report_dir: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [*PROXY, "--upstream", upstream, "--port", "0", "--report-dir", str(report_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if not line.startswith(READY):
        process.kill()
        raise SystemExit(f"the proxy did not start: {line or process.stderr.read()}")
    return process, line.removeprefix(READY).split(" -> ")[0].strip()


def latency_ms(url: str, token: str, seconds: float) -> float:
    _, _, figures = run_python(url, token, seconds, 1)
    return figures["p50"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--rounds", type=int, default=3, help="throughput turns, direct then proxied, per side"
    )
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="seconds of load through the proxy first"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    emulator = start_emulator("--transition-delay", "0")
    work = Path(tempfile.mkdtemp(prefix="proxy-bench-"))
    proxy, proxy_url = start_proxy(emulator.base_url, work)
    try:
        token = tenant_token(emulator.base_url, "proxy-bench")
        [campaign_id] = seed_campaigns(emulator.base_url, token, 1)
        path = f"/v3/campaigns/{campaign_id}"
        if args.warmup > 0:  # warm both up (connections, caches)
            run_python(proxy_url + path, token, args.warmup, 4)
        direct_ms = latency_ms(emulator.base_url + path, token, args.duration)
        proxied_ms = latency_ms(proxy_url + path, token, args.duration)
        # Direct and proxied in turns: on a shared machine the load moves within a minute, and
        # each side's sum over the same turns sees the same load.
        direct_rps = proxied_rps = errors = 0
        for _ in range(args.rounds):
            url = emulator.base_url + path
            direct_rps += run_python(url, token, args.duration, args.connections)[1] / args.rounds
            _, rps, proxied = run_python(proxy_url + path, token, args.duration, args.connections)
            proxied_rps += rps / args.rounds
            errors += proxied["errors"]
        stopping = time.perf_counter()
        proxy.send_signal(signal.SIGINT)
        stderr = proxy.stderr.read()  # to its end: the proxy has ended, or is about to
        # wait4: the proxy's own usage, with that of the judging process it waited for.
        _, status, usage = os.wait4(proxy.pid, 0)
        proxy.returncode = os.waitstatus_to_exitcode(status)
        drain_s = time.perf_counter() - stopping
    finally:
        if proxy.poll() is None:
            proxy.kill()
        emulator.stop()
    figures = {
        "direct_p50_ms": round(direct_ms, 3),
        "proxied_p50_ms": round(proxied_ms, 3),
        "overhead_ms": round(proxied_ms - direct_ms, 3),
        "direct_rps": round(direct_rps),
        "proxied_rps": round(proxied_rps),
        "throughput_share": round(proxied_rps / direct_rps, 3),
        "proxied_errors": errors,
        "judge_and_write_s": round(drain_s, 1),
        "proxy_peak_rss_mb": round(usage.ru_maxrss / 1024),  # Linux: kilobytes
        "connections": args.connections,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "python": sys.version.split()[0],
    }
    summary = next((x for x in stderr.splitlines() if x.startswith("proxy: ")), "")
    print(
        f"latency (1 connection, median): direct {direct_ms:.2f} ms, through the proxy "
        f"{proxied_ms:.2f} ms: overhead {proxied_ms - direct_ms:.2f} ms "
        f"(goal <= {GOAL_OVERHEAD_MS} ms)"
    )
    print(
        f"throughput ({args.connections} connections): direct {direct_rps:,.0f}/s, through "
        f"the proxy {proxied_rps:,.0f}/s: {proxied_rps / direct_rps:.0%} "
        f"(goal >= {GOAL_THROUGHPUT_SHARE:.0%})"
    )
    print(f"after Ctrl-C: judged and wrote its folder in {drain_s:.1f} s; {summary}")
    print(f"memory: the proxy's largest process peaked at {figures['proxy_peak_rss_mb']} MB")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    met = figures["overhead_ms"] <= GOAL_OVERHEAD_MS
    met &= figures["throughput_share"] >= GOAL_THROUGHPUT_SHARE
    print("goals met" if met else "goals NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
