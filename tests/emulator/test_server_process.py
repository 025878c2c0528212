"""The emulator as users start it: `python -m emulator`, real sockets, SQLite persistence."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from emulator.control_client import ControlClient, fetch_token
from emulator.process import READY, start_emulator
from tests.harness import served_warm


# A process of its own, started and stopped as a user does, for the tests of starting,
# stopping and restarting; the tests of what the server does fork it from a warm Python instead
# (tests/harness.py `served_warm`: the same command line, the imports paid once).
@contextmanager
def running_emulator(*args: str) -> Iterator[str]:
    server = start_emulator(*args)
    try:
        yield server.base_url
    finally:
        server.stop()


def token(base: str, client_id: str = "conformance", secret: str = "conformance-secret") -> dict:
    return {"Authorization": f"Bearer {fetch_token(base, client_id, secret).access_token}"}


def test_serves_and_prints_its_base_url_and_default_client():
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        lines = [process.stdout.readline() for _ in range(5)]
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert lines[0].startswith(READY + "http://127.0.0.1:")
    assert any("conformance / conformance-secret (ORG_ADMIN, tenant default)" in x for x in lines)


def test_bad_options_give_one_line_and_a_non_zero_exit():
    for args in (["--port", "x"], ["--rate-limit", "fast"], ["--client", "only-an-id"]):
        result = subprocess.run(
            [sys.executable, "-m", "emulator", *args], capture_output=True, text=True, timeout=30
        )
        assert result.returncode != 0
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_a_taken_port_is_named_with_the_fix():
    with running_emulator("--port", "0") as base_url:
        port = base_url.rsplit(":", 1)[1]
        result = subprocess.run(
            [sys.executable, "-m", "emulator", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"emulator: error: cannot listen on 127.0.0.1:{port} (Address already in use); "
        "choose another --port, or --port 0 for a free one"
    ]


def test_state_survives_a_restart_with_db(tmp_path: Path):
    db = tmp_path / "tenant.sqlite3"
    with running_emulator("--db", str(db), "--transition-delay", "0") as base:
        headers = token(base)
        created = requests.post(
            f"{base}/v3/campaigns",
            headers=headers,
            json={"name": "kept", "description": None, "type": "MANAGER"},
        ).json()
        requests.put(
            f"{base}/v3/campaigns/reports-configuration",
            headers=headers,
            json={"identityAttributeColumns": ["department"]},
        )
        ControlClient(base).tenant("default").advance_clock(3600)
    with running_emulator("--db", str(db)) as base:
        headers = token(base)
        campaign = requests.get(f"{base}/v3/campaigns/{created['id']}", headers=headers).json()
        assert (campaign["name"], campaign["status"]) == ("kept", "STAGED")
        config = requests.get(f"{base}/v3/campaigns/reports-configuration", headers=headers)
        assert config.json() == {"identityAttributeColumns": ["department"]}
        clock = ControlClient(base).call("GET", "/tenants/default/clock").json()
        assert clock["offsetSeconds"] >= 3600


def test_tenants_chosen_by_credentials_are_isolated(tmp_path: Path):
    options = ("--client", "acme:pw:ORG_ADMIN:acme", "--transition-delay", "0")
    with served_warm(*options, log=tmp_path / "emulator.log") as base:
        default, acme = token(base), token(base, "acme", "pw")
        requests.post(
            f"{base}/v3/campaigns",
            headers=default,
            json={"name": "default's", "description": None, "type": "MANAGER"},
        )
        requests.put(
            f"{base}/v3/campaigns/reports-configuration",
            headers=acme,
            json={"identityAttributeColumns": ["acme"]},
        )
        assert requests.get(f"{base}/v3/campaigns", headers=acme).json() == []
        seen = requests.get(f"{base}/v3/campaigns", headers=default).json()
        assert [c["name"] for c in seen] == ["default's"]
        config = requests.get(f"{base}/v3/campaigns/reports-configuration", headers=default)
        assert config.json() == {"identityAttributeColumns": None}


def create_template(base: str, headers: dict, campaign: dict) -> dict:
    body = {
        "name": "t",
        "description": "d",
        "campaign": {"name": "c", "description": "d", **campaign},
    }
    response = requests.post(f"{base}/v3/campaign-templates", headers=headers, json=body)
    response.raise_for_status()
    return response.json()


def in_threads(work, workers: int) -> None:
    """`work(worker)` in `workers` threads at once, returning when all are done."""
    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_no_lost_update_under_concurrent_requests(tmp_path: Path):
    with served_warm("--transition-delay", "0", log=tmp_path / "emulator.log") as base:
        headers = token(base)
        template = create_template(base, headers, {"type": "MANAGER"})
        errors: list[int] = []

        def create_many(worker: int) -> None:
            with requests.Session() as session:
                for _ in range(25):
                    response = session.post(
                        f"{base}/v3/campaign-templates/{template['id']}/generate", headers=headers
                    )
                    if response.status_code != 200:
                        errors.append(response.status_code)

        in_threads(create_many, 8)
        assert errors == []
        listed = requests.get(f"{base}/v3/campaigns", headers=headers, params={"count": "true"})
        assert listed.headers["X-Total-Count"] == "200"
        assert len({c["id"] for c in listed.json()}) == 200


def test_concurrent_patches_of_one_template_all_apply(tmp_path: Path):
    """Each request appends to the same list: a lost update would drop an element."""
    with served_warm("--transition-delay", "0", log=tmp_path / "emulator.log") as base:
        headers = token(base)
        search = {"type": "IDENTITY", "identityIds": ["seed"]}
        template = create_template(base, headers, {"type": "SEARCH", "searchCampaignInfo": search})
        url = f"{base}/v3/campaign-templates/{template['id']}"
        patch_headers = {**headers, "Content-Type": "application/json-patch+json"}

        def append_many(worker: int) -> None:
            with requests.Session() as session:
                for n in range(20):
                    op = {
                        "op": "add",
                        "path": "/campaign/searchCampaignInfo/identityIds/-",
                        "value": f"{worker}-{n}",
                    }
                    session.patch(url, headers=patch_headers, json=[op]).raise_for_status()

        in_threads(append_many, 6)
        ids = requests.get(url, headers=headers).json()["campaign"]["searchCampaignInfo"]
        assert len(ids["identityIds"]) == 1 + 6 * 20


def test_beyond_loopback_the_control_api_needs_the_token_the_banner_names():
    """A shared emulator (--host 0.0.0.0): its control API answers only the control token
    given at start (here through the environment), and the banner says so."""
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--host", "0.0.0.0"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "EMULATOR_CONTROL_TOKEN": "team-secret"},
    )
    try:
        lines = [process.stdout.readline() for _ in range(3)]
        base_url = lines[0].removeprefix(READY).strip()
        assert "needs the control token (bound to 0.0.0.0)" in lines[2]
        response = requests.get(f"{base_url}/emulator/health", timeout=10)
        assert response.status_code == 401 and "control token" in response.json()["error"]
        assert ControlClient(base_url, token="team-secret").health()["status"] == "ok"
    finally:
        process.terminate()
        process.wait(timeout=10)
