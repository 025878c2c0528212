"""A client that calls operations by operationId and checks every response against spec/."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta
from typing import Any

import spec
from emulator.config import DEFAULT_CLIENT, ClientConfig
from spec.responses import response_problems

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def future(days: float = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat().replace("+00:00", "Z")


class Api:
    """Calls operations by operationId; every response must be one the spec documents."""

    def __init__(self, http: TestClient, client: ClientConfig = DEFAULT_CLIENT) -> None:
        self.http = http
        self.client = client
        self.token = self.fetch_token()

    @property
    def answers(self) -> str:
        """How the tenant answers (documented or published): responses are checked against
        that description."""
        return self.control("GET", "/answers").json()["profile"]

    def fetch_token(self) -> str:
        response = self.http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client.client_id,
                "client_secret": self.client.client_secret,
            },
        )
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def call(
        self,
        operation_id: str,
        *,
        body: Any = None,
        query: dict | None = None,
        token: str | None = "default",
        content_type: str | None = None,
        raw: bytes | None = None,
        **path: str,
    ):
        method, template, operation = spec.operation_by_id(operation_id)
        url = "/v3" + template.format(**path)
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {self.token if token == 'default' else token}"
        if body is not None or raw is not None:
            media = content_type or next(iter(operation["requestBody"]["content"]))
            headers["Content-Type"] = media
            raw = raw if raw is not None else _json(body)
        response = self.http.request(method, url, params=query, headers=headers, content=raw)
        problems = response_problems(
            operation_id, response.status_code, response.headers, response.content, self.answers
        )
        assert not problems, problems
        return response

    def ok(self, operation_id: str, **kwargs):
        response = self.call(operation_id, **kwargs)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def control(self, method: str, path: str, json: Any = None):
        tenant = self.client.tenant
        return self.http.request(method, f"/emulator/tenants/{tenant}{path}", json=json)

    def advance_clock(self, seconds: float) -> None:
        assert self.control("POST", "/clock", {"advanceSeconds": seconds}).status_code == 200

    def violations(self) -> list[dict]:
        return self.control("GET", "/violations").json()

    # --- domain helpers ------------------------------------------------------------------
    def create_campaign(self, **fields) -> dict:
        body = {"name": "Campaign", "description": "d", "type": "MANAGER", "deadline": future()}
        body.update(fields)
        return self.ok("createCampaign", body=body)

    def campaign_in(self, status: str, **fields) -> dict:
        """A campaign driven to STAGED, ACTIVE or COMPLETED (transitions are instant here)."""
        campaign = self.create_campaign(**fields)
        if status in ("ACTIVE", "COMPLETED"):
            self.ok("startCampaign", id=campaign["id"])
        if status == "COMPLETED":
            self.advance_clock(60 * 86400)
            self.ok("completeCampaign", id=campaign["id"])
        current = self.ok("getCampaign", id=campaign["id"])
        assert current["status"] == status
        return current


def _json(body: Any) -> bytes:
    import json

    return json.dumps(body).encode()
