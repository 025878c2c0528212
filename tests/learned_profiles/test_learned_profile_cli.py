"""The learned profile's three ways in, and what bad input gets: `python -m reports profile`,
`python -m emulator --like`, the control API's PUT .../like and the plugin's --campaigns-like.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.harness import REPO, emulator_process

pytest_plugins = ["pytester"]


def _run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments], cwd=REPO, capture_output=True, text=True, timeout=60
    )


def test_reports_profile_says_what_changes_and_why(runs):
    shown = _run("-m", "reports", "profile", str(runs["drifted"]))
    assert shown.returncode == 0, shown.stderr
    assert "answer createCampaign with 202 instead of 200: the target answered 202" in shown.stdout
    assert "never the documented 200" in shown.stdout
    assert "add /revision = 0 to createCampaign answers: seen in 202 answers" in shown.stdout
    assert "accept MACHINE_ACCOUNT at #/components/schemas/CampaignType" in shown.stdout
    nothing = _run("-m", "reports", "profile", str(runs["documented"]))
    assert "It changes nothing" in nothing.stdout


@pytest.fixture
def bad_files(tmp_path: Path, runs) -> dict[str, tuple[Path, str]]:
    """file -> the words its one-line error must contain."""
    version_2 = json.loads(Path(runs["documented"]).read_text())
    version_2["schema_version"] = 2
    del version_2["behaviour"]
    cases = {
        "not-json.json": ("{ nope", "not JSON"),
        "junit.json": ('{"testsuites": []}', "not a results file"),
        "v2.json": (json.dumps(version_2), "schema_version 2 records no observations"),
        "v99.json": ('{"schema_version": 99}', "schema_version 99"),
    }
    found = {}
    for name, (content, words) in cases.items():
        (tmp_path / name).write_text(content)
        found[name] = (tmp_path / name, words)
    found["missing.json"] = (tmp_path / "missing.json", "no such file")
    return found


@pytest.mark.parametrize(
    "command", [("-m", "reports", "profile"), ("-m", "emulator", "--port", "0", "--like")]
)
def test_bad_input_is_one_line_and_a_non_zero_exit(command, bad_files):
    with ThreadPoolExecutor(max_workers=len(bad_files)) as pool:  # a process each, side by side
        results = list(pool.map(lambda case: _run(*command, str(case[0])), bad_files.values()))
    for (path, words), result in zip(bad_files.values(), results, strict=True):
        assert result.returncode != 0, path
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        assert words in result.stderr and str(path.name) in result.stderr


def test_the_control_api_switches_one_tenant_and_refuses_what_is_not_a_run(runs):
    emulator = emulator_process()
    try:
        control = f"{emulator.base_url}/emulator/tenants/default"
        refused = requests.put(f"{control}/like", json={"schema_version": 2}, timeout=10)
        assert refused.status_code == 400 and "schema_version 2" in refused.json()["error"]
        assert requests.get(f"{control}/answers", timeout=10).json() == {"profile": "published"}
        document = json.loads(Path(runs["drifted"]).read_text())
        switched = requests.put(f"{control}/like", json=document, timeout=10).json()
        assert switched["profile"].startswith("learned-")
        assert "answer createCampaign with 202" in switched["changes"]
        assert requests.get(f"{control}/answers", timeout=10).json() == {
            "profile": switched["profile"]
        }
    finally:
        emulator.stop()


PLUGIN_TEST = """
import os, requests

def test_the_tenant_answers_as_learned(campaigns_tenant):
    base = os.environ["SAIL_BASE_URL"]
    headers = {"Authorization": "Bearer " + campaigns_tenant.token()}
    created = requests.post(base + "/v3/campaigns", headers=headers,
        json={"name": "n", "description": "d", "type": "MACHINE_ACCOUNT"})
    assert created.status_code == 202
    assert created.json().get("revision") == 0
    assert campaigns_tenant.answers().startswith("learned-")
"""


def test_the_plugin_switch_starts_every_tenant_like_the_run(pytester, monkeypatch, runs):
    paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    pytester.makepyfile(test_client=PLUGIN_TEST)
    learned = pytester.runpytest_inprocess("-q", f"--campaigns-like={runs['drifted']}")
    learned.assert_outcomes(passed=1)
    # The control: the default answers (published) create it with 202, but add no member.
    published = pytester.runpytest_inprocess("-q")
    published.assert_outcomes(failed=1)
    assert "assert None == 0" in published.stdout.str()
