"""The client's own tests: each passes, as each mistake is one a tenant forgives or hides.

`pytest examples/client_mistakes --campaigns-gate` fails every test but the sound one, each
naming what its client got wrong (the trailing slash and the token per request are warnings:
they fail with --campaigns-fail-on-warnings)."""

import client


def test_sound(campaigns_tenant):
    client.sound()


def test_misspelt_member(campaigns_tenant):
    client.misspelt_member()


def test_unknown_member(campaigns_tenant):
    client.unknown_member()


def test_wrong_path(campaigns_tenant):
    client.wrong_path()


def test_trailing_slash(campaigns_tenant):
    client.trailing_slash()


def test_ignores_retry_after(campaigns_tenant):
    campaigns_tenant.rate_limit(3, 1)  # a 429 at the fourth request; the window frees in 1 s
    client.ignores_retry_after()


def test_token_per_request(campaigns_tenant):
    client.token_per_request()
