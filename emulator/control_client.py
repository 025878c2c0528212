"""The one client of the emulator's control API (`emulator/control_api.py`), and of its tokens.

    control = ControlClient("http://127.0.0.1:8080")
    control.add_client("ci", "ci-secret", authorities=["HELPDESK"], tenant="ci")
    tenant = control.tenant("ci")
    tenant.advance_clock(3600)
    token = fetch_token("http://127.0.0.1:8080", "ci", "ci-secret").access_token

Every call raises `requests.HTTPError` on an answer outside 2xx (the control API answers bad
input with 400 {"error": ...}), so a test never goes on with a switch that was not set.
`send` is the transport: `requests.request` by default; the suite passes one that goes through
its circuit breaker, so a server gone mid-run ends the run in one line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

from emulator.domain.clock import parse_timestamp

PREFIX = "/emulator"
TIMEOUT_SECONDS = 10

Send = Callable[..., requests.Response]  # (method, url, **requests options)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    # The emulator says which tenant the client belongs to; a tenant does not (None).
    tenant: str | None


def fetch_token(
    base_url: str, client_id: str, client_secret: str, *, send: Send = requests.request
) -> IssuedToken:
    """A client-credentials token from `{base_url}/oauth/token` (form-encoded, as the SDK
    sends it). Raises `requests.HTTPError` when the server refuses the credentials."""
    response = send(
        "POST",
        f"{base_url.rstrip('/')}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        },
        timeout=TIMEOUT_SECONDS,
    )
    response.raise_for_status()
    grant = response.json()
    return IssuedToken(grant["access_token"], int(grant.get("expires_in", 0)), grant.get("tenant"))


@dataclass
class ControlClient:
    """The control API of one emulator, at `{base_url}/emulator`. `token` is the control
    token an emulator bound beyond loopback needs (by default $EMULATOR_CONTROL_TOKEN)."""

    base_url: str
    send: Send = field(default=requests.request, repr=False)
    token: str | None = field(
        default_factory=lambda: os.environ.get("EMULATOR_CONTROL_TOKEN"), repr=False
    )

    def call(self, method: str, path: str, **options: Any) -> requests.Response:
        """One control request; `path` is below /emulator. Raises on an answer outside 2xx."""
        if self.token:
            bearer = {"Authorization": f"Bearer {self.token}"}
            options["headers"] = {**bearer, **options.get("headers", {})}
        response = self.send(
            method, f"{self.base_url}{PREFIX}{path}", timeout=TIMEOUT_SECONDS, **options
        )
        response.raise_for_status()
        return response

    def health(self) -> dict:
        return self.call("GET", "/health").json()

    def add_client(
        self,
        client_id: str,
        client_secret: str,
        *,
        authorities: Iterable[str] | None = None,
        tenant: str | None = None,
        name: str = "",
        email: str = "",
        token_ttl_seconds: int | None = None,
    ) -> dict:
        """Register (or re-register) a client; the record is the one `--clients-file` takes.
        Without authorities the client is ORG_ADMIN; without a tenant it joins `default`;
        without a token lifetime its tokens live as long as the emulator's `--token-ttl`."""
        record: dict[str, Any] = {"clientId": client_id, "clientSecret": client_secret}
        if authorities is not None:
            record["authorities"] = list(authorities)
        if tenant is not None:
            record["tenant"] = tenant
        if name:
            record["name"] = name
        if email:
            record["email"] = email
        if token_ttl_seconds is not None:
            record["tokenTtlSeconds"] = token_ttl_seconds
        return self.call("POST", "/clients", json=record).json()

    def tenants(self) -> list[str]:
        return self.call("GET", "/tenants").json()

    def tenant(self, name: str) -> TenantControl:
        return TenantControl(self, name)


@dataclass
class TenantControl:
    """The switches of one tenant: its clock, traffic, answers, and what it recorded."""

    control: ControlClient
    name: str

    def _call(self, method: str, path: str, **options: Any) -> requests.Response:
        return self.control.call(method, f"/tenants/{self.name}{path}", **options)

    def reset(self) -> None:
        """Forget every object, violation and clock offset of the tenant."""
        self._call("POST", "/reset")

    def now(self) -> datetime:
        """The tenant clock, which advance_clock moves ahead of real time."""
        return parse_timestamp(self._call("GET", "/clock").json()["now"])

    def advance_clock(self, seconds: float) -> None:
        self._call("POST", "/clock", json={"advanceSeconds": seconds})

    def rate_limit(self, requests_: int | None, per_seconds: float = 10) -> None:
        """At most `requests_` requests per `per_seconds` (then 429); None lifts the limit."""
        self._call("PUT", "/rate-limit", json={"requests": requests_, "perSeconds": per_seconds})

    def faults(
        self, *, latency_ms: float = 0, error_rate: float = 0, error_status: int = 502
    ) -> None:
        self._call(
            "PUT",
            "/faults",
            json={"latencyMs": latency_ms, "errorRate": error_rate, "errorStatus": error_status},
        )

    def transition_delay(self, seconds: float) -> None:
        """How long background work (PENDING -> STAGED and the like) takes on the tenant clock."""
        self._call("PUT", "/transition-delay", json={"seconds": seconds})

    def answers(self, profile: str | None = None) -> str:
        """Answer as the documents ("documented") or as the vendor's published description
        ("published", the default) where they differ; without a profile, say which one."""
        if profile is None:
            return self._call("GET", "/answers").json()["profile"]
        return self._call("PUT", "/answers", json={"profile": profile}).json()["profile"]

    def like(self, results: str | Path | dict) -> str:
        """Answer as the tenant of a conformance run (its results.json, a path or the parsed
        document) was seen to answer; returns the learned profile's name."""
        if not isinstance(results, dict):
            results = json.loads(Path(results).read_text(encoding="utf-8"))
        return self._call("PUT", "/like", json=results).json()["profile"]

    def violations(self) -> list[dict]:
        """The contract violations the tenant's clients made, oldest first."""
        return self._call("GET", "/violations").json()

    def clear_violations(self) -> None:
        self._call("DELETE", "/violations")

    def objects(self) -> dict:
        """Counts and names of what the tenant holds."""
        return self._call("GET", "/objects").json()

    def certifications(self, campaign_id: str) -> list[dict]:
        """The certifications of a campaign (ids that reassign needs)."""
        return self._call("GET", f"/campaigns/{campaign_id}/certifications").json()
