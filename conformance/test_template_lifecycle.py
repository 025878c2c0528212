"""Campaign templates, schedules, generation and the reports configuration.

A state machine creates templates, patches them, sets and deletes schedules, generates
campaigns and deletes templates, checking each documented sentence as it goes.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, rule

from conformance.rules import expect
from conformance.suite_api import SuiteApi

SCHEDULES = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["WEEKLY", "MONTHLY", "ANNUALLY", "CALENDAR"]),
        "hours": st.fixed_dictionaries(
            {
                "type": st.just("LIST"),
                "values": st.lists(
                    st.sampled_from(["1", "9", "17"]), min_size=1, max_size=3, unique=True
                ),
            }
        ),
    },
    optional={"timeZoneId": st.sampled_from(["CST", "UTC", "Europe/Paris"])},
)
DURATIONS = {
    "P2W": timedelta(weeks=2),
    "P14D": timedelta(days=14),
    "P3D": timedelta(days=3),
    "PT36H": timedelta(hours=36),
}
# A placeholder and the strftime pattern that gives the same text (java.util.Formatter).
PLACEHOLDERS = {"%Y": "%Y", "%y": "%y", "%m": "%m", "%d": "%d", "%F": "%Y-%m-%d", "%B": "%B"}
PATCHABLE = {
    "/name": st.text("abcdefghij ", min_size=1, max_size=12).map(str.strip).filter(bool),
    "/description": st.text("abcdefghij ", max_size=20),
    "/deadlineDuration": st.sampled_from(sorted(DURATIONS)),
    "/campaign/description": st.text("abcdefghij ", max_size=20),
    "/campaign/emailNotificationEnabled": st.booleans(),
}
NOT_PATCHABLE = [
    "/id",
    "/created",
    "/modified",
    "/ownerRef",
    "/scheduled",
    "/campaign/id",
    "/campaign/status",
]


class TemplateLifecycle(RuleBasedStateMachine):
    api: SuiteApi
    clock = None

    templates = Bundle("templates")

    def __init__(self) -> None:
        super().__init__()
        self.schedules: dict[str, dict] = {}

    @initialize(target=templates, placeholder=st.sampled_from(sorted(PLACEHOLDERS)))
    def first_template(self, placeholder):
        return self._create(placeholder, "P2W")

    @rule(
        target=templates,
        placeholder=st.sampled_from(sorted(PLACEHOLDERS)),
        duration=st.sampled_from(sorted(DURATIONS)),
    )
    def create(self, placeholder, duration):
        return self._create(placeholder, duration)

    def _create(self, placeholder: str, duration: str) -> str:
        body = {
            "name": self.api.ledger.name("template"),
            "description": "created by the conformance suite",
            "deadlineDuration": duration,
            "campaign": {
                "name": f"generated {placeholder}",
                "description": f"on {placeholder}",
                "type": "MANAGER",
            },
        }
        response = self.api.call("createCampaignTemplate", body=body)
        expect(response.status_code == 200, "template-owner", response)
        template = response.json()
        expect(
            bool(template.get("ownerRef", {}).get("id")),
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
        path = data.draw(st.sampled_from(sorted(PATCHABLE)))
        value = data.draw(PATCHABLE[path])
        if path == "/name":
            value = self.api.ledger.name(value)
        response = self.api.call(
            "patchCampaignTemplate",
            id=template_id,
            body=[{"op": "replace", "path": path, "value": value}],
        )
        expect(response.status_code == 200, "template-patchable", response)
        node = response.json()
        for part in path.strip("/").split("/"):
            node = node.get(part) if isinstance(node, dict) else None
        expect(node == value, "template-patchable", f"answered {path}={node!r}")
        stored = _at(self.api.ok("getCampaignTemplate", id=template_id), path)
        expect(stored == value, "template-patchable", f"stored {path}={stored!r} after the PATCH")

    @rule(template_id=templates, path=st.sampled_from(NOT_PATCHABLE))
    def patch_another_field_is_refused(self, template_id, path):
        response = self.api.call(
            "patchCampaignTemplate",
            id=template_id,
            body=[{"op": "replace", "path": path, "value": "X"}],
        )
        expect(response.status_code == 400, "template-patchable", response)

    @rule(template_id=templates, schedule=SCHEDULES)
    def set_schedule_overwrites(self, template_id, schedule):
        response = self.api.call("setCampaignTemplateSchedule", id=template_id, body=schedule)
        expect(response.status_code == 204, "schedule-overwrite", response)
        stored = self.api.ok("getCampaignTemplateSchedule", id=template_id)
        expect(
            all(stored.get(k) == v for k, v in schedule.items()),
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
        expected = {_render(template["campaign"]["name"], moment) for moment in (before, after)}
        expect(
            reference.get("name") in expected,
            "generate-placeholders",
            f"named the campaign {reference.get('name')!r} from "
            f"{template['campaign']['name']!r}; expected one of {sorted(expected)}",
        )
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

    def _now(self) -> datetime:
        return self.clock.now() if self.clock else datetime.now(UTC)


def _render(text: str, moment: datetime) -> str:
    """What java.util.Formatter makes of the placeholders this machine uses."""
    return re.sub(r"%[A-Za-z]", lambda m: moment.strftime(PLACEHOLDERS[m.group()]), text)


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
            "campaign": {"name": "generated %Y-%m", "description": "on %F", "type": "MANAGER"},
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
        "/campaign/description": "on %d %B",
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
    expected = {_render("generated %Y-%m", moment) for moment in (before, after)}
    expect(
        reference.get("name", "").endswith(tuple(expected)),
        "generate-placeholders",
        f"named the campaign {reference.get('name')!r}",
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
    span = DURATIONS[duration]
    deadline = campaign.get("deadline")
    expect(
        deadline is not None,
        "generate-deadline",
        f"generated a campaign without a deadline from deadlineDuration={duration}",
    )
    moment = datetime.fromisoformat(str(deadline).replace("Z", "+00:00"))
    slack = timedelta(days=1)
    expect(
        before + span - slack <= moment <= after + span + slack,
        "generate-deadline",
        f"set deadline {deadline} for {duration} generated at {before.isoformat()}",
    )
