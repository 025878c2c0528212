"""The tenant-safety guard: what a guest may send, and what it must remember having done.

Before a request is sent (`check`): a read-only run sends only GETs; a request that changes
an object must name one this run created, or one that provably does not exist (a GET
answers 404); created objects get the run prefix in their name; a tenant-wide setting is
read before its first change so the ledger can restore it. After the answer (`record`):
created objects enter the ledger, deleted ones leave it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import requests

from conformance.client.ledger import RunLedger
from conformance.client.operations import (
    CREATES,
    MUTATES_CAMPAIGN,
    MUTATES_TEMPLATE,
    TENANT_SETTINGS,
    Operation,
)

Lookup = Callable[[str], requests.Response]  # GET a URL with the run's own token


class RefusedRequest(Exception):
    """The guard refused to send a request that could harm objects this run does not own."""


class TenantGuard:
    def __init__(self, ledger: RunLedger, api: str, look: Lookup, *, read_only: bool) -> None:
        self.ledger = ledger
        self.api = api  # {base}/v3
        self.look = look
        self.read_only = read_only

    def check(self, operation: Operation, request: requests.PreparedRequest) -> None:
        """Raise RefusedRequest unless `request` may be sent; prefix the names it creates."""
        oid = operation.operation_id
        if self.read_only and not operation.is_safe:
            raise RefusedRequest(f"{oid}: this is a read-only run")
        if oid in ("createCampaign", "createCampaignTemplate"):
            self._prefix_names(oid, request)
        elif oid in MUTATES_CAMPAIGN:
            ids = _body_ids(request) if oid == "deleteCampaigns" else [operation.path_params["id"]]
            for object_id in ids:
                self._require_own("campaign", object_id, oid)
        elif oid in MUTATES_TEMPLATE:
            self._require_own("template", operation.path_params["id"], oid)
        elif oid in TENANT_SETTINGS and not self.ledger.has_setting("reportsConfig"):
            current = self.look(f"{self.api}/campaigns/reports-configuration")
            if current.status_code != 200:
                raise RefusedRequest(f"{oid}: cannot read the current value to restore it later")
            self.ledger.remember_setting("reportsConfig", current.json())

    def record(self, operation: Operation, request, response: requests.Response) -> None:
        """The ledger follows what the answer says was created or deleted."""
        oid = operation.operation_id
        if oid in CREATES and 200 <= response.status_code < 300:  # 200 or, published, 202
            try:
                created = response.json()["id"]
            except (ValueError, KeyError, TypeError):
                return
            self.ledger.record_created(CREATES[oid], created)
        elif oid == "deleteCampaigns" and response.status_code == 202:
            for object_id in _body_ids(request):
                self.ledger.forget("campaign", object_id)
        elif oid == "deleteCampaignTemplate" and response.status_code == 204:
            self.ledger.forget("template", operation.path_params["id"])

    def _require_own(self, kind: str, object_id: str, oid: str) -> None:
        if self.ledger.owns(kind, object_id):
            return
        # Not ours: allowed only when it provably does not exist (a 404 changes nothing).
        path = "campaigns" if kind == "campaign" else "campaign-templates"
        probe = self.look(f"{self.api}/{path}/{requests.utils.quote(object_id, safe='')}")
        if probe.status_code != 404:
            raise RefusedRequest(
                f"{oid}: {kind} {object_id!r} was not created by run {self.ledger.run_id}"
            )

    def _prefix_names(self, oid: str, request: requests.PreparedRequest) -> None:
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, TypeError):
            return  # not JSON: the server will refuse it, nothing gets created
        if not isinstance(body, dict):
            return
        if isinstance(body.get("name"), str) or (
            oid == "createCampaignTemplate" and "name" not in body
        ):
            body["name"] = self.ledger.name(body.get("name", "template"))
        if oid == "createCampaignTemplate" and isinstance(body.get("campaign"), dict):
            campaign = body["campaign"]
            if isinstance(campaign.get("name"), str):
                campaign["name"] = self.ledger.name(campaign["name"])
        encoded = json.dumps(body).encode()
        request.body = encoded
        request.headers["Content-Length"] = str(len(encoded))


def _body_ids(request: requests.PreparedRequest) -> list[str]:
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, TypeError):
        return []
    ids = body.get("ids") if isinstance(body, dict) else None
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
