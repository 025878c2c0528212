"""Domain-level calls for the hand-written tests: operations by id, polling transitions."""

from __future__ import annotations

import time
from typing import Any

import requests

import spec
from conformance.client.guest_session import GuestSession
from conformance.judging.rules import expect


class TransitionTimeout(AssertionError):
    """A background transition did not finish in time (the poll gave up)."""


class SuiteApi:
    def __init__(self, session: GuestSession, poll_timeout: float = 30.0) -> None:
        self.session = session
        self.poll_timeout = poll_timeout

    @property
    def ledger(self):
        return self.session.ledger

    def call(
        self,
        operation_id: str,
        *,
        body: Any = None,
        query: dict | None = None,
        headers: dict | None = None,
        media_type: str | None = None,
        auth: requests.auth.AuthBase | None = None,
        **path: str,
    ) -> requests.Response:
        """One operation through the guest session; `auth=WITHOUT_TOKEN` sends it without a
        token (conformance/client/auth.py)."""
        method, template, operation = spec.operation_by_id(operation_id)
        quoted = {k: requests.utils.quote(str(v), safe="") for k, v in path.items()}
        url = f"{self.session.base_url}/v3{template.format(**quoted)}"
        headers = dict(headers or {})
        data = None
        if body is not None:
            headers["Content-Type"] = media_type or next(iter(operation["requestBody"]["content"]))
            data = body if isinstance(body, bytes) else _dumps(body)
        return self.session.request(
            method, url, params=query, headers=headers, data=data, auth=auth
        )

    def ok(self, operation_id: str, **kwargs: Any) -> Any:
        response = self.call(operation_id, **kwargs)
        if response.status_code >= 300:
            raise AssertionError(
                f"{operation_id} failed: {response.status_code} {response.text[:300]}"
            )
        return response.json() if response.content else None

    def create_campaign(self, **fields: Any) -> dict:
        body = {"description": "created by the conformance suite", "type": "MANAGER", **fields}
        body["name"] = self.ledger.name(fields.get("name", "campaign"))
        return self.ok("createCampaign", body=body)

    def wait_for_status(self, campaign_id: str, wanted: set[str], passing: set[str]) -> dict:
        """Poll until the campaign reaches one of `wanted`; fail if it shows anything else
        than `passing` (the transitional statuses) on the way."""
        deadline = time.monotonic() + self.poll_timeout
        delay = 0.05
        while True:
            campaign = self.ok("getCampaign", id=campaign_id)
            status = campaign.get("status")
            # Every poll exercises the rule, so how fast the target moves on changes no count.
            expect(
                status in wanted or status in passing,
                "background-transitions",
                f"campaign {campaign_id} went to {status}, expected {sorted(passing)} then "
                f"{sorted(wanted)}",
            )
            if status in wanted:
                return campaign
            if time.monotonic() > deadline:
                raise TransitionTimeout(
                    f"campaign {campaign_id} still {status} after {self.poll_timeout:.0f}s"
                )
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def _dumps(body: Any) -> bytes:
    import json

    return json.dumps(body).encode()
