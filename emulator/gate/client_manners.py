"""How a client treats a tenant beyond single requests: tokens it asks for, per client.

A token lives for its `expires_in` (an hour on a tenant); a client that asks for a new one
before most of its requests costs the tenant's token endpoint a round trip each time and
risks its rate limit. The gate reports that as a warning, naming the counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Below this many tokens a short script (one token, one request) is not a pattern.
MIN_TOKENS = 5


@dataclass
class ClientManners:
    """Per client id: the tokens it was issued and the API requests it made."""

    tokens: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)

    def token_warnings(self) -> list[tuple[str, str]]:
        """(client id, reason) for each client that asked for a new token for most of its
        API requests."""
        found = []
        for client_id, requests in sorted(self.requests.items()):
            tokens = self.tokens[client_id]
            if tokens >= MIN_TOKENS and tokens * 2 > requests:
                found.append(
                    (
                        client_id,
                        f"asked for a new token {tokens} times for {requests} API requests: "
                        "keep a token until it is about to expire (expires_in)",
                    )
                )
        return found
