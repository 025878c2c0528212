"""Ctrl-C during a run: the last line says the run was interrupted and what cleanup did, the
exit status is 2, and no traceback or KeyboardInterrupt location is printed. Under
pytest-xdist the line is every worker's cleanup together, each worker having said what its
own did as it ended."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.harness import REPO, suite_environment


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one-process", "two-workers"])
def test_ctrl_c_ends_on_one_line_saying_so_and_what_cleanup_did(tmp_path, workers):
    command = [sys.executable, "-m", "pytest", "conformance", "-q", "-p", "no:cacheprovider"]
    process = subprocess.Popen(
        [*command, *workers, "--report-dir", str(tmp_path)],
        cwd=REPO,
        env=suite_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # A pytest-xdist worker ignores SIGINT, and a child inherits an ignored signal, in
        # which case Python installs no KeyboardInterrupt handler: the run would never see the
        # Ctrl-C. A terminal's child has the default disposition; so does this one.
        preexec_fn=_default_sigint,
    )
    assert process.stdout is not None
    seen = ""
    deadline = time.monotonic() + 120
    while seen.count(".") < 5 and time.monotonic() < deadline:  # a few tests have passed
        seen += process.stdout.read(1)
    process.send_signal(signal.SIGINT)
    output = seen + process.communicate(timeout=120)[0]
    lines = [line for line in output.splitlines() if line.strip()]
    assert process.returncode == 2, output[-3000:]
    # Each process had its guest session by then and cleaned up: it says what it deleted.
    ending = "conformance: the run was interrupted (Ctrl-C); cleanup: deleted "
    assert lines[-1].startswith(ending), lines
    assert "ended before saying" not in lines[-1], lines[-1]
    assert "KeyboardInterrupt" not in output and "Traceback" not in output, output[-3000:]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
