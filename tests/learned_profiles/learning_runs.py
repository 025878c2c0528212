"""Serve emulators (drifted, learned, documented) and run the conformance suite against them
as a tenant administrator would, keeping the run's results.json.

The suite runs with `--target`, the tenant profile and a pinned seed, so two targets that
answer alike get the same requests and give the same verdicts. The client's secret is a
distinctive one and the target holds campaigns the run did not create (foreign objects): the
tests check that neither reaches the observations or the profile.
"""

from __future__ import annotations

import json
from pathlib import Path

import requests

from emulator.control_client import fetch_token
from tests.harness import AS_A_TENANT, run_suite

DRIFT_LAUNCHER = Path(__file__).with_name("drift_emulator.py")
CLIENT = ("learner", "Zq7-distinctive-Secret-4411")
LIMITED = ("learner-limited", "Lm3-limited-Secret-5522")
FOREIGN_NAMES = ("Foreign Zebra Campaign Q7", "Foreign Okapi Campaign Q8")
CREDENTIALS = {
    "SAIL_CLIENT_ID": CLIENT[0],
    "SAIL_CLIENT_SECRET": CLIENT[1],
    "SAIL_LIMITED_CLIENT_ID": LIMITED[0],
    "SAIL_LIMITED_CLIENT_SECRET": LIMITED[1],
}
EMULATOR_OPTIONS = (
    "--no-control-api",
    "--transition-delay",
    "0.05",
    "--client",
    f"{CLIENT[0]}:{CLIENT[1]}:ORG_ADMIN",
    "--client",
    f"{LIMITED[0]}:{LIMITED[1]}:HELPDESK",
)
# The conformance tests that meet the drift: the create status and MACHINE_ACCOUNT (vendor
# drift), campaigns answered by create, get and list (generated and walked through the
# lifecycle, which the learned emulator must keep).
SELECTION = (
    "conformance/test_vendor_drift.py",
    "conformance/test_openapi_conformance.py::test_operation_honours_the_spec[createCampaign-positive]",
    "conformance/test_openapi_conformance.py::test_operation_honours_the_spec[getActiveCampaigns-positive]",
    "conformance/test_collections.py::test_slim_is_the_default_and_full_adds_the_campaign_fields",
    "conformance/test_campaign_lifecycle.py::test_documented_lifecycle_walkthrough",
)


def seed_foreign_objects(base_url: str) -> list[str]:
    """Campaigns the run did not create, as a tenant holds them; their ids."""
    token = fetch_token(base_url, CLIENT[0], CLIENT[1]).access_token
    ids = []
    for name in FOREIGN_NAMES:
        response = requests.post(
            f"{base_url}/v3/campaigns",
            json={"name": name, "description": f"{name} description", "type": "MANAGER"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        response.raise_for_status()
        ids.append(response.json()["id"])
    return ids


def learn_from(base_url: str, workdir: Path) -> Path:
    """Run SELECTION against `base_url` as a tenant admin; the run's results.json."""
    arguments = (*SELECTION, "--target", base_url, *AS_A_TENANT)
    run = run_suite(*arguments, report_dir=workdir, env=CREDENTIALS, timeout=300, warm=True)
    return run.results


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
