"""pytest-xdist workers of one run share one rate budget (a window in a file each locks), and
the tests that may change the tenant-wide setting are scheduled onto one worker."""

from __future__ import annotations

import threading
import time

from conformance.client.throttle import SharedThrottle
from conformance.plugins.workers import touches_tenant_settings


def test_throttles_of_several_processes_share_one_window(tmp_path):
    budget = tmp_path / "budget.json"
    # Two throttles on one file stand for two workers; each sends 5 at 5 per second.
    workers = [SharedThrottle(budget, 5, 1.0) for _ in range(2)]
    sent: list[float] = []

    def send_five(throttle: SharedThrottle) -> None:
        for _ in range(5):
            throttle.wait_for_slot()
            sent.append(time.monotonic())

    threads = [threading.Thread(target=send_five, args=(worker,)) for worker in workers]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sent) == 10
    assert time.monotonic() - started >= 0.9, "the second five waited for the shared window"
    assert sum(1 for at in sent if at - started < 0.9) == 5


def test_a_retry_after_holds_every_process(tmp_path):
    budget = tmp_path / "budget.json"
    told, other = SharedThrottle(budget, 100, 10.0), SharedThrottle(budget, 100, 10.0)
    told.pause(0.5)  # the server said Retry-After to one worker
    started = time.monotonic()
    other.wait_for_slot()
    assert time.monotonic() - started < 0.1, "the pause was served by the one it held"
    waiter = threading.Thread(target=told.pause, args=(0.6,))
    waiter.start()
    time.sleep(0.05)
    started = time.monotonic()
    other.wait_for_slot()
    assert time.monotonic() - started >= 0.4, "the other worker waited out the Retry-After"
    waiter.join()


def test_the_tests_that_change_the_reports_configuration_are_told_apart():
    assert touches_tenant_settings(
        "conformance/test_auth_and_errors.py::test_401_without_a_token[setCampaignReportsConfig]"
    )
    assert touches_tenant_settings(
        "conformance/test_template_lifecycle.py::test_reports_configuration_round_trips"
    )
    assert not touches_tenant_settings(
        "conformance/test_auth_and_errors.py::test_401_without_a_token[getCampaignReportsConfig]"
    )


def test_a_full_window_keeps_a_slot_for_the_worker_with_the_most_requests_left(tmp_path):
    budget = tmp_path / "budget.json"
    filler = SharedThrottle(budget, 3, 0.5)
    low = SharedThrottle(budget, 3, 0.5, priority=lambda: 1.0)
    high = SharedThrottle(budget, 3, 0.5, priority=lambda: 50.0)
    started = time.monotonic()
    high.wait_for_slot()  # its answer in flight until 0.52 s; the slot frees at 0.5 s
    for _ in range(2):  # the window full, its other slots freeing at 0.6 and 0.7 s
        time.sleep(0.1)
        filler.wait_for_slot()
    got: dict[str, float] = {}

    def take(name: str, throttle: SharedThrottle) -> None:
        throttle.wait_for_slot()
        got[name] = time.monotonic() - started

    waiting = threading.Thread(target=take, args=("low", low))
    waiting.start()  # waiting when the 0.5 s slot frees, but it is left to the high one
    time.sleep(0.52 - (time.monotonic() - started))
    take("high", high)
    waiting.join()
    assert got["high"] < 0.58, got
    assert got["low"] > 0.58, got
