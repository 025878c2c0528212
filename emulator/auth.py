"""OAuth 2.0 client credentials: the token endpoint's logic and bearer-token verification.

Tokens are HS256 JWTs naming the client, its tenant and its authorities. Verified tokens are
cached by their text, so a request pays a dictionary lookup, not a signature check.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
import uuid
from dataclasses import dataclass

import jwt

from emulator.config import ClientConfig


class AuthError(Exception):
    """Answered 401 with {"error": message}."""


@dataclass(frozen=True)
class Principal:
    client: ClientConfig
    expires_at: float

    @property
    def tenant(self) -> str:
        return self.client.tenant

    @property
    def authorities(self) -> frozenset[str]:
        return self.client.authorities


class TokenService:
    def __init__(self, signing_key: str, ttl_seconds: int) -> None:
        self._key = signing_key
        self.ttl_seconds = ttl_seconds
        self._clients: dict[str, ClientConfig] = {}
        self._verified: dict[str, Principal] = {}

    def register(self, client: ClientConfig) -> None:
        self._clients[client.client_id] = client
        # A re-registered client's old tokens must not keep old authorities.
        self._verified = {
            t: p for t, p in self._verified.items() if p.client.client_id != client.client_id
        }

    def client(self, client_id: str) -> ClientConfig | None:
        return self._clients.get(client_id)

    def clients(self) -> list[ClientConfig]:
        return list(self._clients.values())

    def issue(self, client_id: str, client_secret: str) -> dict:
        client = self._clients.get(client_id)
        # Compared in constant time, so the answer's timing does not tell how much of a
        # guessed secret was right; an unknown client costs the same comparison.
        expected = client.client_secret if client is not None else secrets.token_urlsafe(16)
        if not hmac.compare_digest(expected.encode(), client_secret.encode()) or client is None:
            raise AuthError("invalid_client")
        now = time.time()
        ttl = client.token_ttl_seconds or self.ttl_seconds
        claims = {
            "sub": client.client_id,
            "tenant": client.tenant,
            "authorities": sorted(client.authorities),
            "iat": math.floor(now),
            # The claims are whole seconds (RFC 7519 NumericDate); rounded up, the token lives
            # at least the `expires_in` it is issued with. Rounded down, a 1-second token
            # issued late in a second was expired before the client could use it.
            "exp": math.ceil(now + ttl),
            "jti": uuid.uuid4().hex,
        }
        token = jwt.encode(claims, self._key, algorithm="HS256")
        return {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": ttl,
            "tenant": client.tenant,
        }

    def verify(self, authorization: str | None) -> Principal:
        if not authorization:
            raise AuthError("Missing authorization header")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise AuthError("Authorization header must be 'Bearer <token>'")
        principal = self._verified.get(token)
        if principal is None:
            principal = self._decode(token)
            if len(self._verified) > 10_000:  # bounded: old tokens are re-verified on demand
                self._verified.clear()
            self._verified[token] = principal
        if principal.expires_at <= time.time():
            raise AuthError("JWT validation failed: JWT is expired")
        return principal

    def peek_client(self, authorization: str | None) -> ClientConfig | None:
        """The client a (possibly expired) token names, to attribute a violation."""
        token = (authorization or "").partition(" ")[2]
        try:
            claims = jwt.decode(
                token, self._key, algorithms=["HS256"], options={"verify_exp": False}
            )
        except jwt.PyJWTError:
            return None
        return self._clients.get(claims.get("sub", ""))

    def _decode(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token, self._key, algorithms=["HS256"], options={"verify_exp": False}
            )
        except jwt.PyJWTError as error:
            raise AuthError(f"JWT validation failed: {error}") from error
        client = self._clients.get(claims.get("sub", ""))
        if client is None:
            raise AuthError("JWT validation failed: unknown client")
        return Principal(client, float(claims["exp"]))
