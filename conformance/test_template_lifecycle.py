"""Campaign templates, schedules, generation and the reports configuration.

A state machine creates templates from generated bodies (every campaign type, placeholders,
durations), patches them with generated patches (and forbidden ones), sets generated
schedules and deletes them, generates campaigns and deletes templates. Each answer is judged
by an oracle (`strategies/generation_oracles.py`): the object a patch must produce, the text
placeholders render to at the instant of generation, now + deadlineDuration. The walkthrough
below checks every template rule once on every run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, rule

from conformance.judging.rules import expect
from conformance.scenario.suite_api import SuiteApi
from strategies import (
    forbidden_template_patches,
    schedules,
    template_bodies,
    template_patches,
)
from strategies.generation_oracles import add_duration, agrees, apply_patch, rendered_between


class TemplateLifecycle(RuleBasedStateMachine):
    api: SuiteApi
    clock = None

    templates = Bundle("templates")

    def __init__(self) -> None:
        super().__init__()
        self.schedules: dict[str, dict] = {}

    def _now(self) -> datetime:
        return self.clock.now() if self.clock else datetime.now(UTC)

    @initialize(target=templates, data=st.data())
    def first_template(self, data):
        return self._create(data)

    @rule(target=templates, data=st.data())
    def create(self, data):
        return self._create(data)

    def _create(self, data) -> str:
        body = data.draw(template_bodies(name_prefix=self.api.ledger.name(), now=self._now()))
        body["campaign"].pop("filter", None)  # a filter id of the run's own making only
        response = self.api.call("createCampaignTemplate", body=body)
        expect(response.status_code == 200, "template-owner", response)
        template = response.json()
        expect(
            bool((template.get("ownerRef") or {}).get("id")),
            "template-owner",
            f"answered ownerRef={template.get('ownerRef')!r}",
        )
        expect(
            template.get("scheduled") is False,
            "template-scheduled",
            f"a new template answered scheduled={template.get('scheduled')!r}",
        )
        fetched = self.api.ok("getCampaignTemplate", id=template["id"])
        expect(
            fetched == template, "template-owner", "get answered another representation than create"
        )
        return template["id"]

    @rule(template_id=templates, data=st.data())
    def patch_a_patchable_field(self, template_id, data):
        before = self.api.ok("getCampaignTemplate", id=template_id)
        patch = data.draw(template_patches(name_prefix=self.api.ledger.name(), now=self._now()))
        wanted = apply_patch(before, patch)
        response = self.api.call("patchCampaignTemplate", id=template_id, body=patch)
        expect(response.status_code == 200, "template-patchable", response)
        stored = self.api.ok("getCampaignTemplate", id=template_id)
        for operation in patch:
            if operation["op"] == "test":
                continue
            path = operation["path"]
            for label, seen in (("answered", response.json()), ("stored", stored)):
                expect(
                    agrees(_at(wanted, path), _at(seen, path)),
                    "template-patchable",
                    f"{label} {path}={_at(seen, path)!r} after {patch}",
                )

    @rule(template_id=templates, data=st.data())
    def patch_another_field_is_refused(self, template_id, data):
        patch = data.draw(forbidden_template_patches(now=self._now()))
        response = self.api.call("patchCampaignTemplate", id=template_id, body=patch)
        expect(response.status_code == 400, "template-patchable", response)

    @rule(template_id=templates, data=st.data())
    def set_schedule_overwrites(self, template_id, data):
        schedule = data.draw(schedules(self._now()))
        response = self.api.call("setCampaignTemplateSchedule", id=template_id, body=schedule)
        expect(response.status_code == 204, "schedule-overwrite", response)
        stored = self.api.ok("getCampaignTemplateSchedule", id=template_id)
        expect(
            all(agrees(value, stored.get(key)) for key, value in schedule.items()),
            "schedule-overwrite",
            f"stored {stored} after setting {schedule}",
        )
        scheduled = self.api.ok("getCampaignTemplate", id=template_id).get("scheduled")
        expect(scheduled is True, "template-scheduled", f"answered scheduled={scheduled!r}")
        self.schedules[template_id] = schedule

    @rule(template_id=templates)
    def delete_schedule_then_404(self, template_id):
        response = self.api.call("deleteCampaignTemplateSchedule", id=template_id)
        had_one = template_id in self.schedules
        expect(response.status_code == (204 if had_one else 404), "schedule-404", response)
        self.schedules.pop(template_id, None)
        after = self.api.call("getCampaignTemplateSchedule", id=template_id)
        expect(after.status_code == 404, "schedule-404", after)

    @rule(template_id=templates)
    def generate_formats_placeholders_and_deadline(self, template_id):
        template = self.api.ok("getCampaignTemplate", id=template_id)
        before = self._now()
        response = self.api.call("startGenerateCampaignTemplate", id=template_id)
        after = self._now()
        expect(response.status_code == 200, "generate-placeholders", response)
        reference = response.json()
        for member in ("name", "description"):
            text = template["campaign"].get(member)
            if text is None:
                continue
            pattern = rendered_between(text, before, after)
            expect(
                pattern.fullmatch(reference.get(member) or "") is not None,
                "generate-placeholders",
                f"gave the campaign {member} {reference.get(member)!r} from {text!r} "
                f"generated between {before.isoformat()} and {after.isoformat()}",
            )
        if template.get("deadlineDuration"):
            campaign = self.api.ok("getCampaign", id=reference["id"])
            _expect_deadline(campaign, template["deadlineDuration"], before, after)

    @rule(template_id=consumes(templates))
    def delete_removes_template_and_schedule(self, template_id):
        response = self.api.call("deleteCampaignTemplate", id=template_id)
        expect(response.status_code == 204, "template-delete", response)
        for operation_id in ("getCampaignTemplate", "getCampaignTemplateSchedule"):
            gone = self.api.call(operation_id, id=template_id)
            expect(gone.status_code == 404, "not-found", gone)
        self.schedules.pop(template_id, None)


@pytest.mark.rules(
    "template-owner",
    "template-scheduled",
    "template-patchable",
    "schedule-overwrite",
    "schedule-404",
    "generate-placeholders",
    "generate-deadline",
    "template-delete",
    "not-found",
    drawn=True,
)
@pytest.mark.usefixtures("writable")
def test_template_lifecycle(suite_api, target):
    TemplateLifecycle.api = suite_api
    TemplateLifecycle.clock = target.control
    TemplateLifecycle.TestCase().runTest()


@pytest.mark.rules("reports-config")
@pytest.mark.usefixtures("writable")
def test_reports_configuration_round_trips(suite_api):
    """PUT overwrites, GET returns what was stored; the suite restores the prior value."""
    for columns in (["firstname", "lastname"], [], None):
        response = suite_api.call(
            "setCampaignReportsConfig", body={"identityAttributeColumns": columns}
        )
        expect(response.status_code == 200, "reports-config", response)
        stored = suite_api.ok("getCampaignReportsConfig")
        expect(
            stored.get("identityAttributeColumns") == columns,
            "reports-config",
            f"stored {stored} after setting {columns}",
        )


# Placeholders of each family: date, time, names, composites, a literal percent.
NAMED = "generated %Y-%m-%d %H:%M %b %a %y %C %D %F %k %l %p %I %h %z"
# A schedule of each shape the walkthrough needs: days and months (ANNUALLY), then days alone.
ANNUAL = {
    "type": "ANNUALLY",
    "hours": {"type": "LIST", "values": ["9", "17"]},
    "days": {"type": "LIST", "values": ["1", "15"]},
    "months": {"type": "RANGE", "values": ["3", "9"]},
    "timeZoneId": "Europe/Paris",
}
WEEKLY = {
    "type": "WEEKLY",
    "hours": {"type": "RANGE", "values": ["8", "18"], "interval": 2},
    "days": {"type": "LIST", "values": ["1", "5"]},
}


def _schedule_kept(stored: dict, schedule: dict) -> bool:
    return all(stored.get(member) == value for member, value in schedule.items())


@pytest.mark.rules(
    "template-owner",
    "template-patchable",
    "template-scheduled",
    "schedule-404",
    "schedule-overwrite",
    "generate-placeholders",
    "generate-deadline",
    "template-delete",
    "not-found",
)
def test_documented_template_walkthrough(suite_api, target, writable):
    """Every template rule once, in order (the machine above explores interleavings)."""
    created = suite_api.call(
        "createCampaignTemplate",
        body={
            "name": suite_api.ledger.name("walkthrough"),
            "description": "conformance",
            "deadlineDuration": "P2W",
            "campaign": {
                "name": suite_api.ledger.name(NAMED),
                "description": "on %F",
                "type": "MANAGER",
            },
        },
    )
    expect(created.status_code == 200, "template-owner", created)
    template = created.json()
    template_id = template["id"]
    owner = template.get("ownerRef") or {}
    expect(bool(owner.get("id")), "template-owner", f"answered ownerRef={owner!r}")
    expect(template.get("scheduled") is False, "template-scheduled", f"answered {template}")

    # Every patchable member at once; the stored template (not only the answer) must change.
    renamed = suite_api.ledger.name("walkthrough patched")
    changes = {
        "/name": renamed,
        "/description": "patched",
        "/deadlineDuration": "P3D",
        "/campaign/description": "on %A %e %B %Y (%j) at %R %Z, 100%%",
        "/campaign/emailNotificationEnabled": True,
    }
    patch = [{"op": "replace", "path": path, "value": value} for path, value in changes.items()]
    patched = suite_api.call("patchCampaignTemplate", id=template_id, body=patch)
    expect(patched.status_code == 200, "template-patchable", patched)
    stored = suite_api.ok("getCampaignTemplate", id=template_id)
    wrong = {
        path: _at(stored, path) for path, value in changes.items() if _at(stored, path) != value
    }
    expect(not wrong, "template-patchable", f"after the PATCH, GET answered {wrong}")
    # Well-typed (a boolean for a boolean member): only the patchable-fields rule refuses it.
    forbidden = suite_api.call(
        "patchCampaignTemplate",
        id=template_id,
        body=[{"op": "replace", "path": "/scheduled", "value": True}],
    )
    expect(forbidden.status_code == 400, "template-patchable", forbidden)

    missing = suite_api.call("getCampaignTemplateSchedule", id=template_id)
    expect(missing.status_code == 404, "schedule-404", missing)
    for schedule in (ANNUAL, WEEKLY):  # the second overwrites the first
        put = suite_api.call("setCampaignTemplateSchedule", id=template_id, body=schedule)
        expect(put.status_code == 204, "schedule-overwrite", put)
        kept = suite_api.ok("getCampaignTemplateSchedule", id=template_id)
        expect(
            _schedule_kept(kept, schedule) and ("months" not in kept or schedule is ANNUAL),
            "schedule-overwrite",
            f"stored {kept} after setting {schedule}",
        )
    scheduled = suite_api.ok("getCampaignTemplate", id=template_id).get("scheduled")
    expect(scheduled is True, "template-scheduled", f"answered scheduled={scheduled!r}")
    deleted = suite_api.call("deleteCampaignTemplateSchedule", id=template_id)
    expect(deleted.status_code == 204, "schedule-404", deleted)
    gone = suite_api.call("getCampaignTemplateSchedule", id=template_id)
    expect(gone.status_code == 404, "schedule-404", gone)

    before = target.control.now() if target.control else datetime.now(UTC)
    reference = suite_api.ok("startGenerateCampaignTemplate", id=template_id)
    after = target.control.now() if target.control else datetime.now(UTC)
    for member, text in (
        ("name", suite_api.ledger.name(NAMED)),
        ("description", changes["/campaign/description"]),
    ):
        expect(
            rendered_between(text, before, after).fullmatch(reference.get(member) or "")
            is not None,
            "generate-placeholders",
            f"gave the campaign {member} {reference.get(member)!r} from {text!r}",
        )
    generated = suite_api.ok("getCampaign", id=reference["id"])
    _expect_deadline(generated, "P3D", before, after)

    # Deleting a scheduled template removes its schedule too.
    suite_api.call("setCampaignTemplateSchedule", id=template_id, body=WEEKLY)
    removed = suite_api.call("deleteCampaignTemplate", id=template_id)
    expect(removed.status_code == 204, "template-delete", removed)
    for operation_id in ("getCampaignTemplate", "getCampaignTemplateSchedule"):
        after_delete = suite_api.call(operation_id, id=template_id)
        expect(after_delete.status_code == 404, "not-found", after_delete)


def _at(document: dict, path: str):
    node = document
    for part in path.strip("/").split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _expect_deadline(campaign: dict, duration: str, before: datetime, after: datetime) -> None:
    """The document: deadline = the generation's now + deadlineDuration (a tenant may round
    it within the day)."""
    deadline = campaign.get("deadline")
    expect(
        deadline is not None,
        "generate-deadline",
        f"generated a campaign without a deadline from deadlineDuration={duration}",
    )
    moment = datetime.fromisoformat(str(deadline).replace("Z", "+00:00"))
    slack = timedelta(days=1)
    expect(
        add_duration(before, duration) - slack <= moment <= add_duration(after, duration) + slack,
        "generate-deadline",
        f"set deadline {deadline} for {duration} generated at {before.isoformat()}",
    )
