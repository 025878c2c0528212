"""A `curl` command that replays an exchange, for the failure sections of the reports.

The bearer token is never in the command: it reads `$SAIL_TOKEN` from the reader's shell, so
the command can be pasted as is after `export SAIL_TOKEN=...` (see spec/SOURCES.md#tokens for how
a token is obtained).
"""

from __future__ import annotations

import shlex

from reports.model import Exchange

TOKEN_VARIABLE = "SAIL_TOKEN"

# Headers curl computes itself, or that only describe the original connection or client.
_LEFT_OUT = frozenset(
    {"authorization", "content-length", "host", "connection", "accept-encoding", "user-agent"}
    | {"cookie", "proxy-authorization"}
)


def curl_command(exchange: Exchange) -> str:
    """A multi-line shell command (POSIX sh) that sends the exchange's request again."""
    parts = ["curl -sS -i", f"-X {shlex.quote(exchange.method.upper())}", shlex.quote(exchange.url)]
    has_authorization = any(k.lower() == "authorization" for k in exchange.request_headers)
    if has_authorization:
        # Double quotes on purpose: the shell must expand the variable.
        parts.append(f'-H "Authorization: Bearer ${TOKEN_VARIABLE}"')
    for name, value in exchange.request_headers.items():
        if name.lower() not in _LEFT_OUT:
            parts.append(f"-H {shlex.quote(f'{name}: {value}')}")
    if exchange.request_body:
        parts.append(f"--data-raw {shlex.quote(exchange.request_body)}")
    return " \\\n  ".join(parts)
