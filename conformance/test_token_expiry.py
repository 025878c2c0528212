"""The 401 sentence's second half: "... or if the JWT token is expired."

test_auth_and_errors.py checks the first half (no authorization header) on every operation.
Here one request goes with a token the target issued and that has expired, as a client's
would after keeping a token past its `expires_in`. Which token, as a tenant's admin would
get one:

- the run's first token (kept by the guest session's token source), once it has expired
  (a long-lived one at least `CLOCK_SKEW_LEEWAY_SECONDS` ago): the test runs last, so on a
  target whose tokens live less than the run it costs nothing;
- with the emulator's control API, a token of a client registered in the run's tenant with a
  one-second lifetime (a wait of about two seconds);
- otherwise, when the target's tokens live at most `MAX_WAIT_SECONDS`, the test waits for the
  first token to expire; when they live longer (a tenant's live about 12 minutes) it is
  skipped, saying how long they live and why it does not wait.
"""

from __future__ import annotations

import secrets
import time

import pytest

from conformance.client import Credentials, TokenSource
from conformance.client.tokens import HeldToken
from conformance.judging.rules import described, expect
from conformance.scenario.suite_api import SuiteApi
from conformance.targets.target import Target

# Waiting longer than this for a token to expire would hold a tenant run too long.
MAX_WAIT_SECONDS = 30
# `expires_in` and a JWT's `exp` count whole seconds: one more is surely past the expiry.
PAST_EXPIRY_SECONDS = 1.0
# RFC 7519 section 4.1.4 lets a server allow "some small leeway" for clock skew past `exp`
# (60 s is a common default). A long-lived token that ran out during the run is judged only
# this far past its expiry, so such a server is not failed for its leeway.
CLOCK_SKEW_LEEWAY_SECONDS = 60.0


@pytest.mark.run_last
@pytest.mark.rules("401")
def test_an_expired_token_is_refused(target: Target, suite_api: SuiteApi) -> None:
    token = _expired_token(target, suite_api.session.tokens)
    response = suite_api.call(
        "getActiveCampaigns",
        query={"limit": 1},
        headers={"Authorization": f"Bearer {token.value}"},  # sent as given, never refreshed
    )
    expired_for = token.seconds_expired()
    expect(
        response.status_code == 401,
        "401",
        f"accepted a token {expired_for:.0f} s after its expires_in "
        f"({token.lifetime:.0f} s) ran out: {described(response)}",
        response=response,
    )
    body = response.json()
    expect(
        isinstance(body, dict) and isinstance(body.get("error"), str),
        "401",
        f"answered the body {body!r}",
        response=response,
    )


def _expired_token(target: Target, tokens: TokenSource) -> HeldToken:
    tokens.token()  # the run's first token, if the run has not needed one yet
    first = tokens.first
    assert first is not None
    short_lived = first.lifetime <= MAX_WAIT_SECONDS
    margin = PAST_EXPIRY_SECONDS if short_lived else CLOCK_SKEW_LEEWAY_SECONDS
    if first.seconds_expired() >= margin:
        return first
    if target.control is not None:
        return _wait_until_expired(_short_lived_token(target))
    if short_lived:
        return _wait_until_expired(first)
    pytest.skip(
        f"the target's tokens live {first.lifetime:.0f} s (expires_in) and the run's first "
        f"token is {_age(first)}: waiting for one to expire would hold the run that long (at "
        f"most {MAX_WAIT_SECONDS} s is waited; a tenant's tokens live about 12 minutes); a run "
        f"that outlasts its first token by {CLOCK_SKEW_LEEWAY_SECONDS:.0f} s (a server's "
        "allowed clock skew) checks it"
    )


def _age(token: HeldToken) -> str:
    expired = token.seconds_expired()
    if expired < 0:
        return f"still valid for {-expired:.0f} s"
    return f"expired only {expired:.0f} s ago"


def _short_lived_token(target: Target) -> HeldToken:
    """A token of a one-second client in the run's tenant (the control API registers it)."""
    assert target.control is not None
    credentials = Credentials(f"cc-expiring-{secrets.token_hex(4)}", secrets.token_hex(8))
    target.control.control.add_client(
        credentials.client_id,
        credentials.client_secret,
        tenant=target.control.name,
        token_ttl_seconds=1,
    )
    return TokenSource(target.base_url, credentials).fetch()


def _wait_until_expired(token: HeldToken) -> HeldToken:
    time.sleep(max(0.0, PAST_EXPIRY_SECONDS - token.seconds_expired()))
    return token
