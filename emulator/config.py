"""Emulator settings and the API clients it knows."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from spec.rate_limit import RateLimit

AUTHORITIES = frozenset({"ORG_ADMIN", "CERT_ADMIN", "REPORT_ADMIN", "HELPDESK", "USER"})
DEFAULT_TENANT = "default"
# How tenants answer where the vendor's published description differs from the documents
# (spec/ x-published). "published" by default: it is what tenants and the vendor's SDKs do,
# so a client that works against a tenant works here (README, "The emulator").
ANSWER_PROFILES = ("documented", "published")
DEFAULT_ANSWERS = "published"


def check_answers(profile: object) -> str:
    """A built-in profile, or the name of a learned one this process serves (--like)."""
    import spec  # the learned profiles are views of spec/ (emulator.learned_answers)

    if profile not in ANSWER_PROFILES and profile not in spec.defined_answers():
        raise ValueError(f"answers must be one of {', '.join(ANSWER_PROFILES)}, not {profile!r}")
    return str(profile)


@dataclass(frozen=True)
class ClientConfig:
    """An OAuth client: its credentials, the authorities its tokens carry, and its tenant."""

    client_id: str
    client_secret: str
    authorities: frozenset[str] = frozenset({"ORG_ADMIN"})
    tenant: str = DEFAULT_TENANT
    identity_name: str = ""
    identity_email: str = ""
    # How long its tokens live; None: the emulator's --token-ttl. A short one lets a test see
    # a token expire without making every client's tokens short.
    token_ttl_seconds: int | None = None

    def owner_ref(self) -> dict[str, str]:
        """The identity behind the client, as a template's ownerRef shows it."""
        name = self.identity_name or self.client_id
        return {
            "id": f"identity-{self.client_id}",
            "type": "IDENTITY",
            "name": name,
            "email": self.identity_email or f"{self.client_id}@example.com",
        }


DEFAULT_CLIENT = ClientConfig("conformance", "conformance-secret")


@dataclass
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    db_path: Path | None = None
    clients: list[ClientConfig] = field(default_factory=lambda: [DEFAULT_CLIENT])
    token_ttl_seconds: int = 3600
    rate_limit: RateLimit | None = None
    transition_delay: float = 0.2
    # Added to every /v3 answer of every tenant (its faults' latency, which the control API
    # changes per tenant): a tenant an internet round trip away.
    latency_ms: float = 0.0
    answers: str = DEFAULT_ANSWERS
    # False serves no /emulator routes, so a client sees what a tenant shows (a 404 there).
    control_api: bool = True
    # Bound beyond loopback, the control API answers only requests bearing this token (and
    # none at all without one): anyone who reaches the port could otherwise add clients.
    control_token: str | None = field(default=None, repr=False)
    signing_key: str = "emulator-signing-key-not-a-secret-of-any-tenant"

    @property
    def control_needs_token(self) -> bool:
        return not is_loopback(self.host)


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach an address (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: assume others can reach it


def parse_client(text: str) -> ClientConfig:
    """'id:secret[:AUTHORITY,AUTHORITY[:tenant]]' -> ClientConfig."""
    parts = text.split(":")
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError(f"client must look like id:secret[:AUTH,AUTH[:tenant]], got {text!r}")
    authorities = frozenset(parts[2].split(",")) if len(parts) > 2 and parts[2] else None
    return make_client(parts[0], parts[1], authorities, parts[3] if len(parts) > 3 else None)


def make_client(
    client_id: str,
    secret: str,
    authorities=None,
    tenant: str | None = None,
    *,
    token_ttl_seconds: int | None = None,
    **identity: str,
) -> ClientConfig:
    chosen = frozenset(authorities) if authorities is not None else frozenset({"ORG_ADMIN"})
    unknown = chosen - AUTHORITIES
    if unknown:
        raise ValueError(f"unknown authorities {sorted(unknown)}; known: {sorted(AUTHORITIES)}")
    return ClientConfig(
        client_id,
        secret,
        chosen,
        tenant or DEFAULT_TENANT,
        identity.get("name", ""),
        identity.get("email", ""),
        token_ttl_seconds,
    )


def client_from_record(record: object) -> ClientConfig:
    """A client from its record as the control API's POST /emulator/clients and
    `--clients-file` take it: {clientId, clientSecret, authorities, tenant, name, email,
    tokenTtlSeconds}."""
    if not isinstance(record, dict) or not record.get("clientId") or not record.get("clientSecret"):
        raise ValueError(f"a client needs clientId and clientSecret: {json.dumps(record)}")
    ttl = record.get("tokenTtlSeconds")
    if ttl is not None and (not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 1):
        raise ValueError(f"tokenTtlSeconds must be a whole number of seconds, at least 1: {ttl!r}")
    return make_client(
        str(record["clientId"]),
        str(record["clientSecret"]),
        record.get("authorities"),
        record.get("tenant"),
        token_ttl_seconds=ttl,
        name=record.get("name", ""),
        email=record.get("email", ""),
    )


def load_clients_file(path: Path) -> list[ClientConfig]:
    """A YAML or JSON list of client records (see client_from_record)."""
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"cannot read clients file {path}: {error}") from error
    if not isinstance(entries, list):
        raise ValueError(f"clients file {path} must hold a list of clients")
    return [client_from_record(entry) for entry in entries]
