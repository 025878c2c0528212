"""The HTML report, opened in a real headless Chromium (Debian's package, installed here when
missing): the page renders, every operation row is there and failures are visible."""

from __future__ import annotations

import shutil
import subprocess
import tempfile

import pytest

import spec
from reports.run_folder import write_run

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None and shutil.which("apt-get"):
        # The test tooling brings the browser (CI machines start without it).
        subprocess.run(
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
            shell=True,
            capture_output=True,
            timeout=600,
        )
        found = shutil.which("chromium")
    if found is None:
        pytest.skip("Chromium is not installed and apt-get could not install it")
    return found


def run_chromium(chromium: str, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )


def test_the_report_renders_with_every_operation_and_the_failures(chromium, sample_run, tmp_path):
    folder = write_run(sample_run, tmp_path)
    page = (folder / "report.html").as_uri()
    dom = run_chromium(chromium, "--dump-dom", page).stdout
    assert "<table" in dom and "matrix" in dom
    for _, _, operation in spec.operations():
        assert f">{operation['operationId']}<" in dom, operation["operationId"]
    assert 'class="failure"' in dom and "curl" in dom
    shot = tmp_path / "report.png"
    run_chromium(chromium, f"--screenshot={shot}", "--window-size=1280,1400", page)
    assert shot.exists() and shot.stat().st_size > 20_000, "the page rendered to a real image"
