"""Every conformance run writes its folder (JUnit, results.json, report.html) without extra
flags, and no secret or bearer token reaches any file or the console."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests

from emulator.process import start_emulator
from reports.results_json import load_results

REPO = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-never-printed-7f1c"


def test_a_failing_run_writes_a_complete_redacted_folder(tmp_path):
    server = start_emulator("--client", f"reporter:{SECRET}", "--transition-delay", "0", cwd=REPO)
    try:
        env = {**os.environ, "SAIL_CLIENT_ID": "reporter", "SAIL_CLIENT_SECRET": SECRET}
        token = requests.post(
            f"{server.base_url}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "reporter",
                "client_secret": SECRET,
            },
        ).json()["access_token"]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "conformance",
                "--target",
                server.base_url,
                "--rate-limit",
                "off",
                "-p",
                "no:cacheprovider",
                "-q",
                "--report-dir",
                str(tmp_path),
                "-k",
                "unknown_ids or 401",
                "--strict",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        server.stop()
    assert result.returncode == 0, result.stdout[-2000:]
    folders = list(tmp_path.iterdir())
    assert len(folders) == 1 and f"report written to {folders[0]}" in result.stdout
    files = {path.name: path.read_text(encoding="utf-8") for path in folders[0].iterdir()}
    assert set(files) == {"junit.xml", "results.json", "report.html"}
    for name, text in [*files.items(), ("stdout", result.stdout + result.stderr)]:
        assert SECRET not in text, name
        assert token not in text, name
    run = load_results(folders[0] / "results.json")
    assert run.metadata.target_kind == "emulator" and run.metadata.request_count > 0
    rows = {record.operation_id for record in run.records if record.operation_id}
    assert len(rows) == 22
    assert all(record.outcome == "pass" for record in run.records)
