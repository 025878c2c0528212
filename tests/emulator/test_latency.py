"""`--latency-ms N`: every /v3 answer of every tenant takes N ms longer, a 429 too (a tenant a
round trip away); the control API's faults change it per tenant; a negative one is refused."""

from __future__ import annotations

import subprocess
import sys
import time

import requests

from emulator.control_client import ControlClient, fetch_token
from tests.harness import served_in_thread

LATENCY_MS = 150


def timed_get(url: str, headers: dict[str, str]) -> tuple[int, float]:
    started = time.perf_counter()
    status = requests.get(url, headers=headers, timeout=10).status_code
    return status, time.perf_counter() - started


def test_every_answer_of_every_tenant_takes_the_latency_429s_included():
    args = ("--latency-ms", str(LATENCY_MS), "--rate-limit", "2/30s", "--transition-delay", "0")
    with served_in_thread(*args) as base:
        token = fetch_token(base, "conformance", "conformance-secret").access_token
        bearer = {"Authorization": f"Bearer {token}"}
        answers = [timed_get(f"{base}/v3/campaigns", bearer) for _ in range(3)]
        assert [status for status, _ in answers] == [200, 200, 429]
        assert all(seconds >= LATENCY_MS / 1000 for _, seconds in answers), answers
        control = ControlClient(base)
        assert control.call("GET", "/tenants/default/faults").json()["latencyMs"] == LATENCY_MS
        control.tenant("default").faults(latency_ms=0)
        status, seconds = timed_get(f"{base}/v3/campaigns", bearer)
        assert status == 429 and seconds < LATENCY_MS / 1000


def test_a_negative_latency_is_refused_in_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "emulator", "--latency-ms", "-1"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "emulator: error: --latency-ms must not be negative"
    ], result.stderr
