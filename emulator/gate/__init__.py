"""The client gate: what a client got wrong, found in its requests and reported.

`request_findings` (what a tenant accepts but the gate reports: undeclared members and query
parameters, unknown operations, repeated slashes), `client_manners` (requests before their
Retry-After, a new token for most requests), `gate_report` (each finding once, its count, the
JUnit file) and `violation_gate` (`python -m emulator serve --fail-on-violations -- CMD`).
"""
