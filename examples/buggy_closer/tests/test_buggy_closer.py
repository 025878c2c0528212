"""The buggy client's own test passes: only the contract gate notices the bug."""

from buggy_closer import close_overdue


def test_runs_without_raising(campaigns_tenant, seed):
    seed.campaign("PAST_DUE")
    close_overdue(now=campaigns_tenant.now())
