"""Secrets out of everything a report writes.

Against a tenant the suite handles real client secrets and bearer tokens, and the reports are
kept, attached to CI runs and mailed around (README, "Reports"). Every writer therefore
renders a redacted copy of the run, never the run itself: `Redactor.redact_result` walks every
string of the model, so a token that leaked into a failure reason is caught as well as one in an
`Authorization` header.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterable
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus

MASK = "***"

# Headers whose whole value is a credential; the auth scheme word is kept for the reader.
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
# Names whose value is a credential wherever they appear: JSON members, form fields, queries.
SENSITIVE_NAMES = ("access_token", "refresh_token", "id_token", "client_secret")
# Environment variables holding secrets the vendor SDK and the suite read (spec/SOURCES.md#tokens).
SECRET_ENVIRONMENT_VARIABLES = ("SAIL_CLIENT_SECRET",)

_NAMES = "|".join(SENSITIVE_NAMES)
_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9\-._~+/]+=*")
_JSON_MEMBER = re.compile(rf'("(?:{_NAMES})"\s*:\s*)"(?:[^"\\]|\\.)*"')
_FORM_FIELD = re.compile(rf"(?<![A-Za-z0-9_])((?:{_NAMES})=)[^&\s\"'<>]*")
# Tokens are JWTs: a JWT anywhere (an error message echoing it, a log line) is a token.
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")

T = TypeVar("T")


class Redactor:
    """Replaces credentials in text with `***`: bearer tokens, JWTs, the values of
    `access_token` / `client_secret` (JSON, form and query), credential headers, and every
    secret registered with `register` (also in its URL- and JSON-escaped spellings)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        for secret in secrets:
            self.register(secret)

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Redactor:
        """A redactor that also knows the secrets set in `SAIL_CLIENT_SECRET`."""
        environ = os.environ if environ is None else environ
        return cls(environ[name] for name in SECRET_ENVIRONMENT_VARIABLES if environ.get(name))

    def register(self, secret: str) -> None:
        """Mask this exact value wherever it appears from now on."""
        if not secret:
            raise ValueError("an empty secret cannot be redacted")
        # The same secret travels URL-encoded in form bodies and escaped inside JSON strings.
        spellings = {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}
        self._secrets.update(spellings)

    def redact_text(self, text: str) -> str:
        # Longest first, so a secret containing a shorter registered one is masked whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        text = _BEARER.sub(rf"\1\2{MASK}", text)
        text = _JSON_MEMBER.sub(rf'\1"{MASK}"', text)
        text = _FORM_FIELD.sub(rf"\1{MASK}", text)
        return _JWT.sub(MASK, text)

    def redact_headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {name: self._redact_header(name, value) for name, value in headers.items()}

    def redact_result(self, value: T) -> T:
        """A copy of a model object (or any nesting of dataclasses, dicts, lists and strings)
        with every string redacted; dicts are treated as headers (credential names masked)."""
        return self._walk(value)

    def _redact_header(self, name: str, value: str) -> str:
        if name.lower() not in SENSITIVE_HEADERS:
            return self.redact_text(value)
        scheme, _, credentials = value.partition(" ")
        # Keep "Bearer"/"Basic" so the reader can tell which auth was used, never the rest.
        return f"{scheme} {MASK}" if credentials and scheme.isalpha() else MASK

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact_text(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {
                f.name: self._walk(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if f.init
            }
            return dataclasses.replace(value, **changes)
        if isinstance(value, dict):
            return {
                key: (
                    self._redact_header(key, item)
                    if isinstance(key, str) and isinstance(item, str)
                    else self._walk(item)
                )
                for key, item in value.items()
            }
        if isinstance(value, list | tuple):
            return type(value)(self._walk(item) for item in value)
        return value


def default_redactor() -> Redactor:
    """What writers use when the caller passes none: the built-in rules plus the environment's
    secrets, so a forgotten `redactor=` argument still keeps the client secret out."""
    return Redactor.from_environment()
