"""A tenant-like emulator and what it holds, as a tenant admin sees it through /v3.

The emulator runs with `--no-control-api` and a tenant's rate limit (the tenant's 100/10s by
default), so the suite finds no control API and behaves exactly as on a tenant (no clock, no
client registration; the 403 checks use the limited client an admin would provide).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests

from emulator.control_client import fetch_token
from emulator.process import EmulatorProcess
from spec.rate_limit import TENANT_RATE_LIMIT
from tests.harness import CLIENT, LIMITED_CLIENT, SuiteRun, emulator_process

THEIR_CAMPAIGN = "the tenant's own campaign"
# The tenant's reports configuration before a run, which the run must put back exactly.
PRIOR_CONFIGURATION = {"identityAttributeColumns": ["costCenter", "department"]}


def tenant_options(rate_limit: str = TENANT_RATE_LIMIT) -> tuple[str, ...]:
    """The emulator's command line options for a tenant-like emulator."""
    return (
        *("--no-control-api", "--client", LIMITED_CLIENT),
        *("--rate-limit", rate_limit, "--transition-delay", "0.05"),
    )


def start_tenant(rate_limit: str = TENANT_RATE_LIMIT) -> EmulatorProcess:
    return emulator_process(*tenant_options(rate_limit))


def headers(base: str) -> dict[str, str]:
    token = fetch_token(base, *CLIENT).access_token
    return {"Authorization": f"Bearer {token}"}


def create_their_campaign(base: str, name: str = THEIR_CAMPAIGN) -> dict:
    """A campaign of the tenant's own (not the run's), as created."""
    response = requests.post(
        f"{base}/v3/campaigns",
        headers=headers(base),
        json={"name": name, "description": None, "type": "MANAGER"},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def holdings(base: str) -> dict:
    """Everything the tenant holds that a run could change, as the API shows it."""
    auth = headers(base)

    def listed(path: str) -> list[dict]:
        response = requests.get(f"{base}/v3/{path}", headers=auth, timeout=10)
        response.raise_for_status()
        return sorted(response.json(), key=lambda item: item["id"])

    config = requests.get(f"{base}/v3/campaigns/reports-configuration", headers=auth, timeout=10)
    return {
        "campaigns": listed("campaigns?detail=FULL"),
        "templates": listed("campaign-templates"),
        "reports-configuration": config.json(),
    }


def settled_holdings(base: str) -> dict:
    """holdings() once every campaign is STAGED: PENDING -> STAGED happens in the background."""
    found = holdings(base)
    for _ in range(100):
        if all(campaign["status"] == "STAGED" for campaign in found["campaigns"]):
            break
        time.sleep(0.05)
        found = holdings(base)
    return found


def names(items: list[dict]) -> list[str]:
    return sorted(item["name"] for item in items)


@dataclass
class GuestRun:
    base_url: str  # the emulator the run was a guest of, still serving
    suite: SuiteRun
    seed: int  # random per session: each CI run draws other requests, and reports this seed
    health: requests.Response  # GET /emulator/health before the run
    their_campaign: dict  # created before the run, not by it


@dataclass
class ReadOnlyRun:
    suite: SuiteRun
    before: dict  # holdings() before the run, settled
    after: dict  # holdings() after it
