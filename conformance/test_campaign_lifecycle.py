"""Campaign lifecycle rules no schema can express, as a hypothesis state machine.

The machine creates campaigns of every type and drives them through the documented
transitions, interleaving the actions the documents forbid; each rule quotes its sentence.
Transitions are polled, never assumed instant. Rules that need a campaign to be past due use
the emulator's clock and are skipped on a tenant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, rule

from conformance.judging.rules import described, expect
from conformance.scenario.suite_api import SuiteApi
from strategies import campaign_bodies, campaign_patches, forbidden_campaign_patches, time_zones
from strategies.generation_oracles import agrees, apply_patch

REPORT_TYPES = [
    "CAMPAIGN_COMPOSITION_REPORT",
    "CAMPAIGN_REMEDIATION_STATUS_REPORT",
    "CAMPAIGN_STATUS_REPORT",
    "CERTIFICATION_SIGNOFF_REPORT",
]
TRANSITIONAL = {"PENDING", "ACTIVATING", "COMPLETING"}


def in_days(days: float, now: datetime | None = None) -> str:
    moment = (now or datetime.now(UTC)) + timedelta(days=days)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class CampaignLifecycle(RuleBasedStateMachine):
    api: SuiteApi
    clock = None  # the emulator's control API, or None on a tenant

    staged = Bundle("staged")
    active = Bundle("active")

    def in_days(self, days: float) -> str:
        """A date-time `days` from the target's now (the emulator's clock runs ahead)."""
        return in_days(days, self.clock.now() if self.clock else None)

    # --- creation ----------------------------------------------------------------------
    @initialize(target=staged, data=st.data())
    def first_campaign(self, data):
        return self._create(data)

    @rule(target=staged, data=st.data())
    def create(self, data):
        return self._create(data)

    def _create(self, data) -> str:
        now = self.clock.now() if self.clock else None
        body = data.draw(campaign_bodies(name_prefix=self.api.ledger.name(), now=now))
        body.pop("filter", None)  # a filter id of the run's own making only
        body["deadline"] = self.in_days(30)
        created = self.api.ok("createCampaign", body=body)
        expect(
            created.get("status") in ("PENDING", "STAGED"),
            "background-transitions",
            f"answered status {created.get('status')}",
        )
        self.api.wait_for_status(created["id"], {"STAGED"}, {"PENDING"})
        return created["id"]

    # --- activation ----------------------------------------------------------------------
    @rule(target=active, campaign_id=consumes(staged), zone=time_zones())
    def activate(self, campaign_id, zone):
        # The clock may have moved past the deadline since creation (completing other
        # campaigns advances it): give a fresh one, as a staged campaign allows.
        self.api.ok(
            "updateCampaign",
            id=campaign_id,
            body=[{"op": "replace", "path": "/deadline", "value": self.in_days(30)}],
        )
        response = self.api.call("startCampaign", id=campaign_id, body={"timeZone": zone})
        expect(response.status_code == 202, "activate-only-staged", response)
        campaign = self.api.wait_for_status(campaign_id, {"ACTIVE"}, {"STAGED", "ACTIVATING"})
        expect(
            campaign.get("totalCertifications", 0) >= 1,
            "activate-only-staged",
            f"activated a campaign with {campaign.get('totalCertifications')} certifications",
        )
        return campaign_id

    @rule(campaign_id=active)
    def activate_again_is_refused(self, campaign_id):
        response = self.api.call("startCampaign", id=campaign_id)
        expect(
            response.status_code == 400,
            "activate-only-staged",
            f"activated a campaign that is not staged: {described(response)}",
            response=response,
        )

    @rule()
    def activate_with_past_deadline_is_refused(self):
        campaign = self.api.create_campaign(type="MANAGER", deadline=self.in_days(-1))
        self.api.wait_for_status(campaign["id"], {"STAGED"}, {"PENDING"})
        response = self.api.call("startCampaign", id=campaign["id"])
        expect(response.status_code == 400, "activate-future-deadline", response)

    # --- completion ----------------------------------------------------------------------
    @rule(campaign_id=active, action=st.sampled_from(["APPROVE", "REVOKE"]))
    def complete_before_due_is_refused(self, campaign_id, action):
        # Completing another campaign moves the emulator's clock past every earlier deadline:
        # give a fresh one (an ACTIVE campaign may patch its deadline) so this one is not due.
        self.api.ok(
            "updateCampaign",
            id=campaign_id,
            body=[{"op": "replace", "path": "/deadline", "value": self.in_days(30)}],
        )
        response = self.api.call(
            "completeCampaign", id=campaign_id, body={"autoCompleteAction": action}
        )
        expect(
            response.status_code == 400,
            "complete-past-due",
            f"completed a campaign that is not past due: {described(response)}",
            response=response,
        )

    @rule(campaign_id=consumes(active), action=st.sampled_from(["APPROVE", "REVOKE", None]))
    def complete_past_due(self, campaign_id, action):
        if self.clock is None:
            return  # needs days on a tenant; the plain test below says so
        deadline = self.api.ok("getCampaign", id=campaign_id)["deadline"]
        due = datetime.fromisoformat(deadline.replace("Z", "+00:00"))
        self.clock.advance_clock(max(0.0, (due - self.clock.now()).total_seconds()) + 3600)
        body = {"autoCompleteAction": action} if action else None
        response = self.api.call("completeCampaign", id=campaign_id, body=body)
        expect(response.status_code == 202, "complete-past-due", response)
        done = self.api.wait_for_status(campaign_id, {"COMPLETED"}, {"ACTIVE", "COMPLETING"})
        expect(
            done.get("completedCertifications") == done.get("totalCertifications"),
            "complete-action",
            f"completed with {done.get('completedCertifications')} of "
            f"{done.get('totalCertifications')} certifications decided",
        )
        decisions = {c["decision"] for c in self.clock.certifications(campaign_id)}
        expect(
            decisions == {action or "APPROVE"},
            "complete-action",
            f"decided {sorted(decisions)} for autoCompleteAction={action}",
        )

    # --- updates ---------------------------------------------------------------------------
    @rule(campaign_id=st.one_of(staged, active), data=st.data())
    def patch_what_the_status_allows(self, campaign_id, data):
        current = self.api.ok("getCampaign", id=campaign_id)
        status = current["status"]
        now = self.clock.now() if self.clock else None
        patch = data.draw(
            campaign_patches(status, now=now, name_prefix=self.api.ledger.name(), current=current)
        )
        wanted = apply_patch(current, patch)
        rule_id = "patch-staged" if status == "STAGED" else "patch-active"
        response = self.api.call("updateCampaign", id=campaign_id, body=patch)
        expect(response.status_code == 200, rule_id, response)
        slim = response.json()
        for member in {operation["path"].strip("/") for operation in patch}:
            expect(
                agrees(wanted.get(member), slim.get(member)),
                "patch-answer",
                f"answered {member}={slim.get(member)!r} after {patch}",
            )
        expect("sunsetCommentsRequired" not in slim, "patch-answer", "answered a full Campaign")

    @rule(campaign_id=st.one_of(staged, active), data=st.data())
    def patch_what_the_status_forbids_is_refused(self, campaign_id, data):
        before = self.api.ok("getCampaign", id=campaign_id)
        status = before["status"]
        now = self.clock.now() if self.clock else None
        patch = data.draw(forbidden_campaign_patches(status, now=now))
        rule_id = "patch-staged" if status == "STAGED" else "patch-active"
        response = self.api.call("updateCampaign", id=campaign_id, body=patch)
        expect(response.status_code == 400, rule_id, response)
        after = self.api.ok("getCampaign", id=campaign_id)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        expect(not changed, rule_id, f"refused {patch} but changed {changed} anyway")

    # --- reports, reassignment, deletion ---------------------------------------------------
    @rule(campaign_id=active, report_type=st.sampled_from(REPORT_TYPES))
    def run_a_report_then_it_is_listed(self, campaign_id, report_type):
        response = self.api.call("startCampaignReport", id=campaign_id, type=report_type)
        expect(response.status_code == 202, "run-report", response)
        reports = self.api.ok("getCampaignReports", id=campaign_id)
        listed = {report.get("reportType") for report in reports}
        expect(
            report_type in listed,
            "get-reports",
            f"listed {sorted(listed)} after running {report_type}",
        )

    @rule(campaign_id=active, other=active)
    def reassign_only_this_campaigns_certifications(self, campaign_id, other):
        own = certification_ids(self.api, campaign_id)
        body = {
            "certificationIds": own[:1],
            "reason": "conformance: reassigned",
            "reassignTo": {"id": "2c9180858082150f0180893dbaa44201", "type": "IDENTITY"},
        }
        response = self.api.call("move", id=campaign_id, body=body)
        expect(response.status_code == 202, "reassign", response)
        if other != campaign_id:
            body["certificationIds"] = certification_ids(self.api, other)[:1]
            refused = self.api.call("move", id=campaign_id, body=body)
            expect(
                refused.status_code == 400,
                "reassign",
                f"reassigned another campaign's certification: {described(refused)}",
                response=refused,
            )

    @rule(campaign_id=consumes(staged))
    def delete_then_404_and_gone_from_lists(self, campaign_id):
        response = self.api.call("deleteCampaigns", body={"ids": [campaign_id]})
        expect(response.status_code == 202, "delete-campaigns", response)
        gone = self.api.call("getCampaign", id=campaign_id)
        for _ in range(50):  # deletion finishes in the background
            if gone.status_code == 404:
                break
            gone = self.api.call("getCampaign", id=campaign_id)
        expect(gone.status_code == 404, "not-found", gone)
        listed = self.api.ok("getActiveCampaigns", query={"filters": f'id eq "{campaign_id}"'})
        expect(listed == [], "delete-campaigns", f"still lists {campaign_id}")


@pytest.mark.rules(
    "background-transitions",
    "activate-only-staged",
    "activate-future-deadline",
    "complete-past-due",
    "complete-action",
    "patch-staged",
    "patch-answer",
    "patch-active",
    "run-report",
    "get-reports",
    "reassign",
    "delete-campaigns",
    "not-found",
    drawn=True,
)
@pytest.mark.usefixtures("writable")
def test_campaign_lifecycle(suite_api, target):
    CampaignLifecycle.api = suite_api
    CampaignLifecycle.clock = target.control
    CampaignLifecycle.TestCase().runTest()


def certification_ids(api: SuiteApi, campaign_id: str) -> list[str]:
    """The campaign's certifications, read as a tenant gives them: GET /v3/certifications."""
    listed = api.ok(
        "listIdentityCertifications", query={"filters": f'campaign.id eq "{campaign_id}"'}
    )
    return [certification["id"] for certification in listed]


def active_campaign(api: SuiteApi, now: datetime | None) -> str:
    campaign = api.create_campaign(type="MANAGER", deadline=in_days(30, now))["id"]
    api.wait_for_status(campaign, {"STAGED"}, {"PENDING"})
    api.ok("startCampaign", id=campaign)
    api.wait_for_status(campaign, {"ACTIVE"}, {"STAGED", "ACTIVATING"})
    return campaign


@pytest.mark.rules("complete-action")
def test_completing_without_an_action_approves(suite_api, emulator_control, writable):
    """The default of autoCompleteAction; needs a past-due campaign (the emulator's clock)."""
    campaign = active_campaign(suite_api, emulator_control.now())
    emulator_control.advance_clock(31 * 86400)
    done = suite_api.call("completeCampaign", id=campaign)
    expect(done.status_code == 202, "complete-action", done)
    suite_api.wait_for_status(campaign, {"COMPLETED"}, {"ACTIVE", "COMPLETING"})
    decisions = {c["decision"] for c in emulator_control.certifications(campaign)}
    expect(decisions == {"APPROVE"}, "complete-action", f"decided {sorted(decisions)}")


@pytest.mark.rules("reassign")
def test_reassign_moves_only_the_campaigns_own_certifications(suite_api, target, writable):
    """Deterministic companion of the machine's reassign rule (which hypothesis may not draw);
    certification ids come from GET /v3/certifications, so it runs on a tenant too."""
    now = target.control.now() if target.control else None
    mine, other = active_campaign(suite_api, now), active_campaign(suite_api, now)
    own, foreign = certification_ids(suite_api, mine), certification_ids(suite_api, other)
    expect(
        bool(own) and bool(foreign),
        "reassign",
        f"activated campaigns list {len(own)} and {len(foreign)} certifications",
    )
    body = {
        "reason": "conformance: reassigned",
        "reassignTo": {"id": "2c9180858082150f0180893dbaa44201", "type": "IDENTITY"},
        "certificationIds": foreign[:1],
    }
    refused = suite_api.call("move", id=mine, body=body)
    expect(
        refused.status_code == 400,
        "reassign",
        f"reassigned another campaign's certification: {described(refused)}",
        response=refused,
    )
    body["certificationIds"] = own[:1]
    accepted = suite_api.call("move", id=mine, body=body)
    expect(accepted.status_code == 202, "reassign", accepted)


@pytest.mark.rules(
    "background-transitions",
    "activate-future-deadline",
    "patch-staged",
    "patch-answer",
    "activate-only-staged",
    "patch-active",
    "complete-past-due",
    "run-report",
    "get-reports",
    "delete-campaigns",
    "not-found",
)
def test_documented_lifecycle_walkthrough(suite_api, target, writable):
    """Every lifecycle rule once, in the documented order: the machine above explores
    interleavings at random; this walk checks each rule on every run. Completing a past-due
    campaign needs the emulator's clock (days on a tenant): that step runs only there."""
    clock = target.control
    now = clock.now() if clock else None
    created = suite_api.create_campaign(type="MANAGER", deadline=in_days(30, now))
    expect(
        created.get("status") in ("PENDING", "STAGED"),
        "background-transitions",
        f"answered status {created.get('status')}",
    )
    campaign = created["id"]
    suite_api.wait_for_status(campaign, {"STAGED"}, {"PENDING"})

    late = suite_api.create_campaign(type="MANAGER", deadline=in_days(-1, now))["id"]
    suite_api.wait_for_status(late, {"STAGED"}, {"PENDING"})
    refused = suite_api.call("startCampaign", id=late)
    expect(refused.status_code == 400, "activate-future-deadline", refused)

    renamed = suite_api.ledger.name("walkthrough")
    patched = suite_api.call(
        "updateCampaign",
        id=campaign,
        body=[
            {"op": "replace", "path": "/name", "value": renamed},
            {"op": "replace", "path": "/autoRevokeAllowed", "value": True},
        ],
    )
    expect(patched.status_code == 200, "patch-staged", patched)
    slim = patched.json()
    expect(
        slim.get("name") == renamed and slim.get("autoRevokeAllowed") is True,
        "patch-answer",
        patched,
    )
    expect("sunsetCommentsRequired" not in slim, "patch-answer", "answered a full Campaign")
    # Well-typed (a boolean for a boolean member), so only the lifecycle rule can refuse it.
    forbidden = suite_api.call(
        "updateCampaign",
        id=campaign,
        body=[{"op": "replace", "path": "/sunsetCommentsRequired", "value": False}],
    )
    expect(forbidden.status_code == 400, "patch-staged", forbidden)

    started = suite_api.call("startCampaign", id=campaign)
    expect(started.status_code == 202, "activate-only-staged", started)
    suite_api.wait_for_status(campaign, {"ACTIVE"}, {"STAGED", "ACTIVATING"})
    again = suite_api.call("startCampaign", id=campaign)
    expect(again.status_code == 400, "activate-only-staged", again)

    name_change = suite_api.call(
        "updateCampaign",
        id=campaign,
        body=[{"op": "replace", "path": "/name", "value": renamed + "!"}],
    )
    expect(name_change.status_code == 400, "patch-active", name_change)
    later = in_days(45, now)
    deadline_change = suite_api.call(
        "updateCampaign",
        id=campaign,
        body=[{"op": "replace", "path": "/deadline", "value": later}],
    )
    expect(deadline_change.status_code == 200, "patch-active", deadline_change)
    early = suite_api.call("completeCampaign", id=campaign, body={"autoCompleteAction": "REVOKE"})
    expect(early.status_code == 400, "complete-past-due", early)

    for report_type in REPORT_TYPES:
        report = suite_api.call("startCampaignReport", id=campaign, type=report_type)
        expect(report.status_code == 202, "run-report", report)
    listed = {r.get("reportType") for r in suite_api.ok("getCampaignReports", id=campaign)}
    expect(listed == set(REPORT_TYPES), "get-reports", f"listed {sorted(listed)}")

    if clock is not None:
        deadline = suite_api.ok("getCampaign", id=campaign)["deadline"]
        due = datetime.fromisoformat(deadline.replace("Z", "+00:00"))
        clock.advance_clock(max(0.0, (due - clock.now()).total_seconds()) + 3600)
        done = suite_api.call(
            "completeCampaign", id=campaign, body={"autoCompleteAction": "REVOKE"}
        )
        expect(done.status_code == 202, "complete-past-due", done)
        suite_api.wait_for_status(campaign, {"COMPLETED"}, {"ACTIVE", "COMPLETING"})
        decisions = {c["decision"] for c in clock.certifications(campaign)}
        expect(decisions == {"REVOKE"}, "complete-action", f"decided {sorted(decisions)}")

    deleted = suite_api.call("deleteCampaigns", body={"ids": [campaign, late]})
    expect(deleted.status_code == 202, "delete-campaigns", deleted)
    gone = suite_api.call("getCampaign", id=campaign)
    for _ in range(50):
        if gone.status_code == 404:
            break
        gone = suite_api.call("getCampaign", id=campaign)
    expect(gone.status_code == 404, "not-found", gone)
    listed_after = suite_api.ok("getActiveCampaigns", query={"filters": f'id eq "{campaign}"'})
    expect(listed_after == [], "delete-campaigns", f"still lists {campaign}")
