"""The suite's HTTP client: one code path for the emulator and for a tenant.

Layers, as httpx layers a client: `tokens` (client-credentials tokens, refreshed before
they expire), `auth` (the auth flow: which token a request carries, one refresh on a 401),
`transport` (a requests adapter: the rate limit of `throttle`, Retry-After, retries, the
`circuit_breaker`), `tenant_guard` (only the run's own objects; `operations` says which
documented operation a request is), `ledger` (what this run created, and the tenant settings
it must restore), and `guest_session`, the requests.Session that composes them for every
request, including the ones schemathesis generates.
"""

from conformance.client.auth import WITHOUT_TOKEN
from conformance.client.guest_session import GuestSession
from conformance.client.ledger import RunLedger, new_run_id
from conformance.client.tenant_guard import RefusedRequest
from conformance.client.tokens import Credentials, TokenSource
from spec.rate_limit import RateLimit

__all__ = [
    "WITHOUT_TOKEN",
    "Credentials",
    "GuestSession",
    "RateLimit",
    "RefusedRequest",
    "RunLedger",
    "TokenSource",
    "new_run_id",
]
