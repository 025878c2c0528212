"""A pytest plugin for a suite run under test: it kills the target (the process TARGET_PID
names) as a test's call starts, after the test's fixtures reached the target, so it dies under
a request the test sends itself. Loaded with `-p tests.conformance_client.kill_the_target_at_call`.
"""

from __future__ import annotations

import os
import signal


def pytest_runtest_call(item) -> None:
    os.kill(int(os.environ["TARGET_PID"]), signal.SIGKILL)
