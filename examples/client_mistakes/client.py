"""A small client of the API on `requests`, as integrations are written, and the mistakes
client authors make with one. Each mistake is one that a tenant forgives or hides, so the
client's own tests pass; the contract gate names it.

    python examples/client_mistakes/client.py sound     # passes the gate
    python examples/client_mistakes/client.py misspelt-member
    python -m emulator serve --fail-on-violations -- python examples/client_mistakes/client.py sound

Configured like the vendor's SDK, by SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import requests


class Client:
    """Keeps one token until it is about to expire and waits out a 429's Retry-After,
    unless told to make the mistake of not doing so."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        token_per_request: bool = False,
        honour_retry_after: bool = True,
    ) -> None:
        self.base_url = base_url or os.environ["SAIL_BASE_URL"]
        self.token_per_request = token_per_request
        self.honour_retry_after = honour_retry_after
        self._token: str | None = None
        self._expires_at = 0.0

    def token(self) -> str:
        if self.token_per_request or self._token is None or time.time() > self._expires_at:
            response = requests.post(
                f"{self.base_url}/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": os.environ["SAIL_CLIENT_ID"],
                    "client_secret": os.environ["SAIL_CLIENT_SECRET"],
                },
                timeout=10,
            )
            response.raise_for_status()
            grant = response.json()
            self._token = grant["access_token"]
            self._expires_at = time.time() + grant["expires_in"] - 60
        return self._token

    def call(self, method: str, path: str, **options) -> requests.Response:
        """`path` after the base URL, e.g. /v3/campaigns; 429s are retried."""
        for _ in range(50):
            headers = {"Authorization": f"Bearer {self.token()}"}
            response = requests.request(
                method, f"{self.base_url}{path}", headers=headers, timeout=10, **options
            )
            if response.status_code != 429:
                return response
            wait = float(response.headers["Retry-After"]) if self.honour_retry_after else 0.2
            time.sleep(wait)
        return response

    def create_campaign(self, **members) -> dict:
        deadline = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {
            "name": "Quarterly review",
            "description": "example",
            "type": "SEARCH",
            "deadline": deadline,
            "searchCampaignInfo": {"type": "IDENTITY", "identityIds": ["alice", "bob"]},
            **members,
        }
        response = self.call("POST", "/v3/campaigns", json=body)
        response.raise_for_status()
        return response.json()

    def wait_for(self, campaign_id: str, status: str) -> dict:
        for _ in range(100):
            campaign = self.call("GET", f"/v3/campaigns/{campaign_id}").json()
            if campaign["status"] == status:
                return campaign
            time.sleep(0.1)
        raise TimeoutError(f"campaign {campaign_id} did not become {status}")


# --- the sound client and its mistakes ---------------------------------------------------
def sound() -> None:
    """Create and activate a campaign, then read its certifications one by one."""
    client = Client()
    campaign = client.create_campaign(emailNotificationEnabled=True)
    client.wait_for(campaign["id"], "STAGED")
    client.call("POST", f"/v3/campaigns/{campaign['id']}/activate").raise_for_status()
    client.wait_for(campaign["id"], "ACTIVE")
    query = {"filters": f'campaign.id eq "{campaign["id"]}"'}
    listed = client.call("GET", "/v3/certifications", params=query).json()
    for certification in listed:  # getIdentityCertification, after listing
        client.call("GET", f"/v3/certifications/{certification['id']}").raise_for_status()
    print(f"{len(listed)} certifications")


def misspelt_member() -> None:
    """`emailNotificationsEnabled`: answered 202, and the setting is silently lost."""
    Client().create_campaign(emailNotificationsEnabled=True)


def unknown_member() -> None:
    """A member the API does not have: accepted and ignored."""
    Client().create_campaign(colour="blue")


def wrong_path() -> None:
    """`/v3/campaign/{id}` for `/v3/campaigns/{id}`: a 404 the client treats as "gone"."""
    client = Client()
    campaign = client.create_campaign()
    if client.call("GET", f"/v3/campaign/{campaign['id']}").status_code == 404:
        print("campaign gone")


def trailing_slash() -> None:
    """A base URL ending in '/': every path starts '//' (a tenant serves it; a warning)."""
    client = Client(os.environ["SAIL_BASE_URL"] + "/")
    client.call("GET", "/v3/campaigns").raise_for_status()


def ignores_retry_after() -> None:
    """Retries a 429 after 0.2 s, whatever its Retry-After says (run with a rate limit)."""
    client = Client(honour_retry_after=False)
    for _ in range(6):
        client.call("GET", "/v3/campaigns").raise_for_status()


def token_per_request() -> None:
    """Asks for a new token before every request (a warning naming the count)."""
    client = Client(token_per_request=True)
    for _ in range(6):
        client.call("GET", "/v3/campaigns").raise_for_status()


RUNS: dict[str, Callable[[], None]] = {
    "sound": sound,
    "misspelt-member": misspelt_member,
    "unknown-member": unknown_member,
    "wrong-path": wrong_path,
    "trailing-slash": trailing_slash,
    "ignores-retry-after": ignores_retry_after,
    "token-per-request": token_per_request,
}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in RUNS:
        raise SystemExit(f"usage: client.py {'|'.join(RUNS)}")
    RUNS[sys.argv[1]]()
