"""The suite's HTTP client: one code path for the emulator and for a tenant.

Layers, bottom up (DESIGN.md sections 2 and 5): `operations` (which documented operation a
request is), `tokens` (client-credentials tokens, refreshed before they expire), `throttle`
(the tenant's rate limit, Retry-After, retries), `ledger` (what this run created, and the
tenant settings it must restore), and `guest_session`, a requests.Session that applies all of
them to every request, including the ones schemathesis generates.
"""

from conformance.client.guest_session import WITHOUT_TOKEN, GuestSession, RefusedRequest
from conformance.client.ledger import RunLedger, new_run_id
from conformance.client.tokens import Credentials, TokenSource

__all__ = [
    "WITHOUT_TOKEN",
    "Credentials",
    "GuestSession",
    "RefusedRequest",
    "RunLedger",
    "TokenSource",
    "new_run_id",
]
