"""The example client's tests, against an emulator tenant instead of mocks.

Run with `pytest examples/campaign_closer --campaigns-gate`: the gate fails the run if the
client sent anything the API's documents do not allow.
"""

from campaign_closer import close_overdue


def test_closes_only_past_due_campaigns(campaigns_tenant, seed):
    overdue = seed.campaign("PAST_DUE")
    not_yet = seed.campaign("ACTIVE", deadline="2999-01-01T00:00:00Z")
    closed = close_overdue("REVOKE", now=campaigns_tenant.now())

    assert closed == [overdue["id"]]
    assert not_yet["id"] not in closed


def test_nothing_to_close(campaigns_tenant, seed):
    seed.campaign("STAGED")
    assert close_overdue() == []
