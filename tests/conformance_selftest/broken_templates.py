"""Mutations of campaign templates: schedules, `scheduled`, generation, patchable fields."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mutation_kit import Mutation, rule

TEMPLATES = "conformance/test_template_lifecycle.py"
WALKTHROUGH = f"{TEMPLATES}::test_documented_template_walkthrough"


# api_operations calls `templates.get_schedule` / `set_schedule` / `generate` through the
# module; generate() looks `format_placeholders`, `add_duration` and `apply_json_patch` up in
# the templates module. Replacing those module attributes reaches them.
def _schedule_get_200_when_none() -> None:
    from emulator.domain import templates
    from emulator.domain.tenant import SCHEDULE

    def get_schedule(tenant: Any, template_id: str) -> dict:
        templates.find_template(tenant, template_id)  # an unknown template is still 404
        return dict(tenant.get(SCHEDULE, template_id) or {})

    templates.get_schedule = get_schedule


def _scheduled_not_following() -> None:
    from emulator.domain import templates
    from emulator.domain.tenant import TEMPLATE

    original = templates.set_schedule

    def set_schedule(tenant: Any, template_id: str, schedule: dict | None) -> None:
        original(tenant, template_id, schedule)
        template = templates.find_template(tenant, template_id)
        tenant.put(TEMPLATE, template_id, {**template, "scheduled": False})

    templates.set_schedule = set_schedule


def _placeholders_not_formatted() -> None:
    from emulator.domain import templates

    templates.format_placeholders = lambda text, when: text


def _generate_deadline_shifted() -> None:
    from emulator.domain import templates

    original = templates.add_duration

    def add_duration(moment: datetime, duration: Any) -> datetime:
        return original(moment, duration) + timedelta(days=3)

    templates.add_duration = add_duration


def _generate_without_deadline() -> None:
    from emulator.domain import templates
    from emulator.domain.tenant import CAMPAIGN

    original = templates.generate

    def generate(tenant: Any, template_id: str) -> dict:
        reference = original(tenant, template_id)
        campaign = dict(tenant.get(CAMPAIGN, reference["id"]))
        campaign.pop("deadline", None)
        tenant.put(CAMPAIGN, reference["id"], campaign)
        return reference

    templates.generate = generate


def _any_template_field_patchable() -> None:
    from emulator.domain import templates

    original = templates.apply_json_patch
    templates.apply_json_patch = lambda document, operations, may_change: original(
        document, operations, lambda tokens: True
    )


def _patch_answered_not_stored() -> None:
    from emulator.domain import templates
    from emulator.domain.tenant import TEMPLATE

    original = templates.patch

    def patch(tenant: Any, template_id: str, operations: list) -> dict:
        before = templates.get(tenant, template_id)
        answered = original(tenant, template_id, operations)
        tenant.put(TEMPLATE, template_id, before)
        return answered

    templates.patch = patch


def _deleted_template_schedule_kept() -> None:
    """The schedule outlives its template and is still served."""
    from emulator.domain import templates
    from emulator.domain.tenant import SCHEDULE, TEMPLATE

    original_get_schedule = templates.get_schedule

    def delete(tenant: Any, template_id: str) -> None:
        templates.find_template(tenant, template_id)
        tenant.remove(TEMPLATE, template_id)

    def get_schedule(tenant: Any, template_id: str) -> dict:
        kept = tenant.get(SCHEDULE, template_id)
        if kept is not None and tenant.get(TEMPLATE, template_id) is None:
            return dict(kept)
        return original_get_schedule(tenant, template_id)

    templates.delete, templates.get_schedule = delete, get_schedule


def _schedule_days_dropped() -> None:
    from emulator.domain import templates

    original = templates.set_schedule

    def set_schedule(tenant: Any, template_id: str, schedule: dict | None) -> None:
        kept = {k: v for k, v in schedule.items() if k != "days"} if schedule else schedule
        original(tenant, template_id, kept)

    templates.set_schedule = set_schedule


MUTATIONS = [
    Mutation(
        name="schedule-get-200-when-none",
        does="answers 200 {} for a template without a schedule",
        apply=_schedule_get_200_when_none,
        caught_by=rule("schedule-404"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="scheduled-not-following",
        does="keeps scheduled=false after a schedule is set",
        apply=_scheduled_not_following,
        caught_by=rule("template-scheduled"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="template-patch-not-stored",
        does="answers a template PATCH with the patched template but keeps the old one",
        apply=_patch_answered_not_stored,
        caught_by=rule("template-patchable"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="deleted-template-schedule-kept",
        does="still serves a deleted template's schedule",
        apply=_deleted_template_schedule_kept,
        caught_by=rule("not-found"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="schedule-days-dropped",
        does="stores a schedule without its days",
        apply=_schedule_days_dropped,
        caught_by=rule("schedule-overwrite"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="placeholders-not-formatted",
        does="leaves %Y-style placeholders in generated names",
        apply=_placeholders_not_formatted,
        caught_by=rule("generate-placeholders"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="generate-deadline-shifted",
        does="sets a generated campaign's deadline 3 days after now + deadlineDuration",
        apply=_generate_deadline_shifted,
        caught_by=rule("generate-deadline"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="generate-without-deadline",
        does="generates campaigns without a deadline",
        apply=_generate_without_deadline,
        caught_by=rule("generate-deadline"),
        selection=(WALKTHROUGH,),
    ),
    Mutation(
        name="template-any-field-patchable",
        does="lets any template field be patched",
        apply=_any_template_field_patchable,
        caught_by=rule("template-patchable"),
        selection=(WALKTHROUGH,),
    ),
]
