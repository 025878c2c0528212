"""Mutations of the campaign lifecycle: transitions, completion, deletion, reports, reassign."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mutation_kit import Mutation, check, rule

LIFECYCLE = "conformance/test_campaign_lifecycle.py"
WALKTHROUGH = f"{LIFECYCLE}::test_documented_lifecycle_walkthrough"
REASSIGN = f"{LIFECYCLE}::test_reassign_moves_only_the_campaigns_own_certifications"
COMPLETE_DEFAULT = f"{LIFECYCLE}::test_completing_without_an_action_approves"
REPORTS_CONFIG = "conformance/test_template_lifecycle.py::test_reports_configuration_round_trips"


# campaigns.activate/complete call `lifecycle.begin_*` and `lifecycle.patchable_fields` through
# the module, so replacing the module attributes reaches them.
def _activate_any_status() -> None:
    from emulator.domain import campaign_lifecycle as lifecycle

    original = lifecycle.begin_activation

    def begin_activation(status: str, deadline: datetime | None, now: datetime):
        # Judged as if STAGED: the deadline rule still holds, only the status rule is gone.
        return original(lifecycle.CampaignStatus.STAGED, deadline, now)

    lifecycle.begin_activation = begin_activation


def _activate_past_deadline() -> None:
    from emulator.domain import campaign_lifecycle as lifecycle

    original = lifecycle.begin_activation
    # "No deadline" may be activated: passing none drops only the deadline rule.
    lifecycle.begin_activation = lambda status, deadline, now: original(status, None, now)


def _activation_without_deadline_refused() -> None:
    from emulator.domain import campaign_lifecycle as lifecycle

    original = lifecycle.begin_activation

    def begin_activation(status: str, deadline: datetime | None, now: datetime):
        if deadline is None:  # the deadline is optional; only one that is set must be future
            raise lifecycle.LifecycleError(
                "a campaign needs a deadline to be activated", "deadline"
            )
        return original(status, deadline, now)

    lifecycle.begin_activation = begin_activation


def _complete_before_due() -> None:
    from emulator.domain import campaign_lifecycle as lifecycle

    original = lifecycle.begin_completion
    # A deadline of exactly now is past due: the status rule still holds.
    lifecycle.begin_completion = lambda status, deadline, now: original(status, now, now)


def _patch_name_while_active() -> None:
    from emulator.domain import campaign_lifecycle as lifecycle

    original = lifecycle.patchable_fields

    def patchable_fields(status: str) -> frozenset[str]:
        fields = original(status)
        return fields | {"name"} if status == lifecycle.CampaignStatus.ACTIVE else fields

    lifecycle.patchable_fields = patchable_fields


def _any_field_patchable_while_staged() -> None:
    import spec
    from emulator.domain import campaign_lifecycle as lifecycle

    every_field = frozenset(spec.declared_properties(spec.resolve("#/components/schemas/Campaign")))
    original = lifecycle.patchable_fields

    def patchable_fields(status: str) -> frozenset[str]:
        staged = status == lifecycle.CampaignStatus.STAGED
        return every_field if staged else original(status)

    lifecycle.patchable_fields = patchable_fields


def _complete_ignores_revoke() -> None:
    from emulator.domain import campaigns

    original = campaigns.complete

    def complete(tenant: Any, campaign_id: str, options: dict | None) -> None:
        original(tenant, campaign_id, {**(options or {}), "autoCompleteAction": "APPROVE"})

    campaigns.complete = complete  # api_operations calls campaigns.complete


def _deleted_campaign_still_returned() -> None:
    """Deletion works for lists; a get by id still answers the last representation."""
    from emulator.domain import campaigns
    from emulator.domain.tenant import CAMPAIGN

    tombstones: dict[tuple[str, str], dict] = {}
    original_delete, original_get = campaigns.delete, campaigns.get

    def delete(tenant: Any, campaign_ids: list[str]) -> None:
        kept = {cid: tenant.get(CAMPAIGN, cid) for cid in campaign_ids}
        original_delete(tenant, campaign_ids)  # raises NotFound before deleting, as before
        tombstones.update({(tenant.name, cid): doc for cid, doc in kept.items()})

    def get(tenant: Any, campaign_id: str, detail: str = "SLIM") -> dict:
        ghost = tombstones.get((tenant.name, campaign_id))
        if ghost is not None and tenant.get(CAMPAIGN, campaign_id) is None:
            return campaigns.public_view(ghost, detail)
        return original_get(tenant, campaign_id, detail)

    campaigns.delete, campaigns.get = delete, get  # api_operations calls both via the module


def _reports_not_listed() -> None:
    from emulator.domain import campaign_tasks

    original = campaign_tasks.reports_of

    def reports_of(tenant: Any, campaign_id: str) -> list:
        original(tenant, campaign_id)  # an unknown campaign is still 404
        return []

    campaign_tasks.reports_of = reports_of


def _reassign_foreign_certifications() -> None:
    from emulator.domain import campaign_tasks
    from emulator.domain.tenant import CERTIFICATION

    # reassign() asks this name which certifications are the campaign's own: answer all of
    # the tenant's, so another campaign's certification passes as this one's.
    campaign_tasks.certifications_of = lambda tenant, campaign_id: tenant.all(CERTIFICATION)


def _remediation_scan_refused() -> None:
    from emulator.domain import campaign_tasks, campaigns
    from emulator.domain.errors import InvalidRequest

    def run_remediation_scan(tenant: Any, campaign_id: str) -> None:
        campaigns.find_document(tenant, campaign_id)  # an unknown campaign is still 404
        raise InvalidRequest("remediation scans are not available", field="id")

    campaign_tasks.run_remediation_scan = run_remediation_scan  # api_operations calls it so


def _reports_config_not_stored() -> None:
    from emulator.domain import campaign_tasks

    def set_reports_config(tenant: Any, body: dict) -> dict:
        return {"identityAttributeColumns": body.get("identityAttributeColumns")}

    campaign_tasks.set_reports_config = set_reports_config


MUTATIONS = [
    Mutation(
        name="activate-not-staged",
        does="activates campaigns in any status",
        apply=_activate_any_status,
        caught_by=rule("activate-only-staged"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="activate-past-deadline",
        does="activates campaigns whose deadline has passed",
        apply=_activate_past_deadline,
        caught_by=rule("activate-future-deadline"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="activate-without-deadline-refused",
        does="refuses to activate a STAGED campaign that has no deadline",
        apply=_activation_without_deadline_refused,
        caught_by=check("startCampaign", "allowed_step_is_accepted"),
        selection=("conformance/test_openapi_conformance.py::test_stateful_links",),
    ),
    Mutation(
        name="complete-before-due",
        does="completes campaigns before they are past due",
        apply=_complete_before_due,
        caught_by=rule("complete-past-due"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="patch-name-while-active",
        does="lets an ACTIVE campaign's name be patched",
        apply=_patch_name_while_active,
        caught_by=rule("patch-active"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="campaign-any-field-patchable",
        does="lets a STAGED campaign's every field be patched",
        apply=_any_field_patchable_while_staged,
        caught_by=rule("patch-staged"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="complete-ignores-revoke",
        does="approves on completion even when autoCompleteAction=REVOKE",
        apply=_complete_ignores_revoke,
        caught_by=rule("complete-action"),
        selection=(COMPLETE_DEFAULT, WALKTHROUGH),
        needs_control_api="completing needs a past-due campaign: the emulator's clock, or days "
        "on a tenant; the decisions are read through the control API",
    ),
    Mutation(
        name="deleted-campaign-still-returned",
        does="answers a deleted campaign's last representation to a get by id",
        apply=_deleted_campaign_still_returned,
        caught_by=rule("not-found"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="reports-not-listed",
        does="lists no reports for a campaign that ran them",
        apply=_reports_not_listed,
        caught_by=rule("get-reports"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="reassign-foreign-certification",
        does="reassigns another campaign's certifications",
        apply=_reassign_foreign_certifications,
        caught_by=rule("reassign"),
        selection=(REASSIGN,),
    ),
    Mutation(
        name="remediation-scan-refused",
        does="answers 400 to a remediation scan of an existing campaign",
        apply=_remediation_scan_refused,
        caught_by=check("startCampaignRemediationScan", "valid_data_is_accepted"),
        selection=(
            "conformance/test_openapi_conformance.py::"
            "test_operation_honours_the_spec[startCampaignRemediationScan-positive]",
        ),
    ),
    Mutation(
        name="reports-config-not-stored",
        does="answers the reports configuration PUT without storing it",
        apply=_reports_config_not_stored,
        caught_by=rule("reports-config"),
        selection=(REPORTS_CONFIG,),
    ),
]
