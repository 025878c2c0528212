"""Work run on a campaign: reports, remediation scans, reassignment; and the tenant-wide
reports configuration."""

from __future__ import annotations

from datetime import timedelta

from emulator.domain.campaigns import certifications_of, find_document, get, new_id
from emulator.domain.clock import format_timestamp
from emulator.domain.errors import InvalidRequest
from emulator.domain.tenant import CAMPAIGN, CERTIFICATION, REPORT, SETTINGS, Document, Tenant

_REPORT_NAMES = {
    "CAMPAIGN_COMPOSITION_REPORT": "Campaign Composition Report",
    "CAMPAIGN_REMEDIATION_STATUS_REPORT": "Campaign Remediation Status Report",
    "CAMPAIGN_STATUS_REPORT": "Campaign Status Report",
    "CERTIFICATION_SIGNOFF_REPORT": "Certification Signoff Report",
}


def run_report(tenant: Tenant, campaign_id: str, report_type: str) -> None:
    """Accept a report run; it is PENDING until its background work finishes, then SUCCESS.

    Running a type again replaces that type's previous result, as a tenant keeps the latest.
    """
    get(tenant, campaign_id)
    for report in tenant.all(REPORT):
        meta = report["_meta"]
        if meta["campaignId"] == campaign_id and report["reportType"] == report_type:
            tenant.remove(REPORT, report["id"])
    now = tenant.now()
    due = now + timedelta(seconds=tenant.transition_delay)
    report = {
        "type": "REPORT_RESULT",
        "id": new_id(),
        "name": _REPORT_NAMES[report_type],
        "status": "PENDING",
        "reportType": report_type,
        "lastRunAt": format_timestamp(now),
        "_meta": {"campaignId": campaign_id, "settleAt": format_timestamp(due)},
    }
    tenant.put(REPORT, report["id"], report)
    tenant.schedule(due, REPORT, report["id"])


def finish_report(tenant: Tenant, report: Document) -> None:
    report = {**report, "status": "SUCCESS", "_meta": {**report["_meta"]}}
    report["_meta"].pop("settleAt", None)
    tenant.put(REPORT, report["id"], report)


def reports_of(tenant: Tenant, campaign_id: str) -> list[Document]:
    get(tenant, campaign_id)
    reports = [r for r in tenant.all(REPORT) if r["_meta"]["campaignId"] == campaign_id]
    return [{k: v for k, v in r.items() if k != "_meta"} for r in reports]


def run_remediation_scan(tenant: Tenant, campaign_id: str) -> None:
    campaign = find_document(tenant, campaign_id)
    campaign = {**campaign, "_meta": {**campaign.get("_meta", {})}}
    campaign["_meta"]["lastRemediationScan"] = format_timestamp(tenant.now())
    tenant.put(CAMPAIGN, campaign_id, campaign)


def reassign(tenant: Tenant, campaign_id: str, body: Document, caller_id: str) -> Document:
    """Move the named certifications of this campaign to another identity."""
    get(tenant, campaign_id)
    own = {c["id"]: c for c in certifications_of(tenant, campaign_id)}
    foreign = [cid for cid in body["certificationIds"] if cid not in own]
    if foreign:
        raise InvalidRequest(
            f"certifications {foreign} are not certifications of campaign {campaign_id}",
            field="certificationIds",
        )
    if not body["reason"].strip():
        raise InvalidRequest("a reason for reassignment is required", field="reason")
    new_owner = body["reassignTo"].get("id")
    if not new_owner:
        raise InvalidRequest("reassignTo.id is required", field="reassignTo.id")
    trail = []
    for cid in body["certificationIds"]:
        certification = {**own[cid]}
        trail.append(
            {
                "previousOwner": certification["reviewer"]["id"],
                "newOwner": new_owner,
                "reassignmentType": "MANUAL_REASSIGNMENT",
            }
        )
        certification["reassignment"] = {
            "from": certification["reviewer"],
            "comment": body["reason"],
        }
        certification["reviewer"] = {"id": new_owner, "type": "IDENTITY"}
        certification["modified"] = format_timestamp(tenant.now())
        tenant.put(CERTIFICATION, cid, certification)
    return {
        "id": new_id(),
        "type": "ADMIN_REASSIGN",
        "targetType": "CAMPAIGN",
        "targetId": campaign_id,
        "status": "QUEUED",
        "errors": [],
        "reassignmentTrailDTOs": trail,
        "created": format_timestamp(tenant.now()),
    }


def get_reports_config(tenant: Tenant) -> Document:
    stored = tenant.get(SETTINGS, "reportsConfig")
    return dict(stored) if stored is not None else {"identityAttributeColumns": None}


def set_reports_config(tenant: Tenant, body: Document) -> Document:
    """Overwrite the configuration: what is not sent is not kept."""
    config = {"identityAttributeColumns": body.get("identityAttributeColumns")}
    tenant.put(SETTINGS, "reportsConfig", config)
    return dict(config)
