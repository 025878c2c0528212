"""The conformance suite proves it can fail: each broken emulator is caught by the test meant
to catch it, with the document's expectation in the failure; the intact one passes."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from mutations import MUTATIONS

from emulator.process import READY

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ENV = {**os.environ, "SAIL_CLIENT_ID": "conformance", "SAIL_CLIENT_SECRET": "conformance-secret"}
SELECTION = " or ".join(f"({m.caught_by})" for m in MUTATIONS.values())


def serve(*args: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, *args, "--port", "0", "--transition-delay", "0.02"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    line = process.stdout.readline()
    assert line.startswith(READY), line
    return process, line.removeprefix(READY).strip()


def run_suite(base_url: str, selection: str, tmp_path: Path, *extra: str) -> list[ET.Element]:
    report = tmp_path / "junit.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "conformance",
            "--target",
            base_url,
            "--rate-limit",
            "off",
            "--profile",
            "fail-fast",  # a verdict is enough: shrinking a failure would only cost time
            "-p",
            "no:cacheprovider",
            "-q",
            "-x",
            "-k",
            selection,
            f"--junitxml={report}",
            "--report-dir",
            str(tmp_path / "reports"),
            *extra,
        ],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return list(ET.parse(report).getroot().iter("testcase"))


def test_the_intact_emulator_passes_every_selected_check(tmp_path):
    process, base_url = serve("-m", "emulator")
    try:
        cases = run_suite(base_url, SELECTION, tmp_path, "--strict")
    finally:
        process.terminate()
    failed = [
        c.get("name") for c in cases if c.find("failure") is not None or c.find("error") is not None
    ]
    assert cases and not failed, failed


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_the_breakage_is_caught(name, tmp_path):
    mutation = MUTATIONS[name]
    process, base_url = serve(str(HERE / "broken_emulator.py"), name)
    try:
        cases = run_suite(base_url, mutation.caught_by, tmp_path, *mutation.extra_args)
    finally:
        process.terminate()
    failures = [c.find("failure") for c in cases if c.find("failure") is not None]
    errors = [c.get("name") for c in cases if c.find("error") is not None]
    assert failures, f"{name} ({mutation.breaks}) went unnoticed by: {mutation.caught_by}"
    assert not errors, f"{name}: set-up errors instead of a verdict: {errors}"
    message = failures[0].get("message", "") + (failures[0].text or "")
    assert (
        "The document says" in message
        or "Undocumented" in message
        or "schema" in message.lower()
        or "status code" in message.lower()
    ), message[:500]
