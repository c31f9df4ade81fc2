"""OAuth 2.1 on the HTTP transports: this server as a resource server, the organisation's identity provider issuing.

`OAuthGuard` answers RFC 9728's metadata, asks for a token with a challenge naming it (401) and refuses a token
without the scopes needed (403); `JwtVerifier` checks an access token (an RFC 9068 JWT) with PyJWT against the
issuer's keys only. Written here rather than taken from the SDK, whose auth middleware is no part of what it
exports (`__all__`): a verified token becomes Starlette's standard `request.user` (its subject the user's name, for
the per-call log record), and each session, streamable HTTP's or SSE's, belongs to the token that opened it, as
the SDK's own middleware would have it. Imported only when OAuth is configured: PyJWT is not paid for at every
start.
"""

from __future__ import annotations

import json
import logging
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx
import jwt
from starlette.authentication import AuthCredentials, SimpleUser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bigcommerce_orders_mcp.client import forget, register
from bigcommerce_orders_mcp.issuer import SIGNING_ALGORITHMS, IssuerError, KeySet, discover
from bigcommerce_orders_mcp.probes import send_json

__all__ = [
    "LEEWAY_S",
    "MAX_TOKEN_BYTES",
    "METADATA_PATH",
    "START_TIMEOUT_S",
    "IssuerError",
    "JwtVerifier",
    "OAuthConfig",
    "OAuthGuard",
    "Principal",
    "SessionOwners",
    "connect",
    "protected_resource_metadata",
    "start",
]

logger = logging.getLogger("bigcommerce_orders_mcp")

METADATA_PATH = "/.well-known/oauth-protected-resource"
LEEWAY_S = 30
# Real access tokens are 1 to 2 KiB; the header cap in `connections` bounds the rest.
MAX_TOKEN_BYTES = 8 * 1024
START_TIMEOUT_S = 15
# Tokens kept out of every output and log; the oldest is forgotten past this, so the secrets a log line is
# searched for do not grow with every token a long-running server has seen.
_REMEMBERED_TOKENS = 256
_TOKEN_TYPES = frozenset({"jwt", "at+jwt", "application/at+jwt"})


@dataclass(frozen=True)
class OAuthConfig:
    issuer: str
    resource_url: str
    scopes: tuple[str, ...] = ()
    jwks_url: str | None = None


@dataclass(frozen=True)
class Principal:
    """Who a verified token speaks for: its subject, the client it was issued to, its scopes."""

    subject: str
    client_id: str
    scopes: tuple[str, ...]


def _text(value: object, most: int = 200) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= most and value.isprintable() else None


def _scopes(claims: dict[str, Any]) -> tuple[str, ...]:
    """RFC 9068's `scope` (space-separated), or the `scp` list some providers send instead."""
    scope, scp = claims.get("scope"), claims.get("scp")
    found = scope.split() if isinstance(scope, str) else scp if isinstance(scp, list) else []
    return tuple(item for item in found[:100] if _text(item, 100))


class JwtVerifier:
    """The `Principal` of a JWT the issuer signed for this resource, else None."""

    def __init__(self, issuer: str, audience: str, keys: KeySet) -> None:
        self.issuer = issuer
        self.resource = audience
        self.audiences = sorted({audience, audience.rstrip("/")})
        self.keys = keys
        self._remembered: OrderedDict[str, None] = OrderedDict()

    async def verify_token(self, token: str) -> Principal | None:
        if len(token) > MAX_TOKEN_BYTES:
            return None
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            return None
        alg, kid, typ = header.get("alg"), header.get("kid"), header.get("typ", "jwt")
        if alg not in SIGNING_ALGORITHMS or (kid is not None and not _text(kid)):
            return None
        if not isinstance(typ, str) or typ.lower() not in _TOKEN_TYPES:
            return None
        key = await self.keys.key(kid)
        if key is None or key.algorithm_name != alg:
            return None
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.audiences,
                issuer=self.issuer,
                leeway=LEEWAY_S,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError:
            return None
        subject = _text(claims.get("sub"))
        if subject is None:
            return None
        self._remember(token)
        client_id = _text(claims.get("client_id")) or _text(claims.get("azp")) or "-"
        return Principal(subject, client_id, _scopes(claims))

    def _remember(self, token: str) -> None:
        if token in self._remembered:
            self._remembered.move_to_end(token)
            return
        register(token)
        self._remembered[token] = None
        if len(self._remembered) > _REMEMBERED_TOKENS:
            forget(self._remembered.popitem(last=False)[0])


def protected_resource_metadata(config: OAuthConfig, issuer: str) -> dict[str, Any]:
    """RFC 9728's document for this server."""
    metadata: dict[str, Any] = {
        "resource": config.resource_url,
        "authorization_servers": [issuer],
        "bearer_methods_supported": ["header"],
        "resource_name": "BigCommerce orders",
    }
    if config.scopes:
        metadata["scopes_supported"] = list(config.scopes)
    return metadata


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class OAuthGuard:
    """ASGI middleware: the metadata at `METADATA_PATH` (and suffixed with each of `paths`), and every other HTTP
    request let through only with a verified bearer token that carries every scope of `config`."""

    def __init__(
        self, app: ASGIApp, verifier: JwtVerifier, config: OAuthConfig, paths: Sequence[str] = ("/mcp", "/sse")
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.owners = SessionOwners()
        self.config = config
        resource_path = urlsplit(config.resource_url).path.rstrip("/")
        self.metadata_paths = {METADATA_PATH, *(f"{METADATA_PATH}{path}" for path in (*paths, resource_path) if path)}
        self.metadata = json.dumps(protected_resource_metadata(config, verifier.issuer)).encode()
        parts = urlsplit(config.resource_url)
        metadata_url = f"{parts.scheme}://{parts.netloc}{METADATA_PATH}{resource_path}"
        self._challenge = f"resource_metadata={_quoted(metadata_url)}"
        if config.scopes:
            self._challenge += f", scope={_quoted(' '.join(config.scopes))}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].rstrip("/") in self.metadata_paths and scope["method"] in ("GET", "OPTIONS"):
            await self._send_metadata(send)
            return
        token = _bearer(scope)
        principal = await self.verifier.verify_token(token) if token else None
        if principal is None:
            if token:
                description = "the access token is invalid, expired or not for this server"
                await self._refuse(send, 401, "invalid_token", description, ', error="invalid_token"')
            else:
                await self._refuse(send, 401, "unauthorized", "send 'Authorization: Bearer <access token>'", "")
            return
        missing = [name for name in self.config.scopes if name not in principal.scopes]
        if missing:
            await self._refuse(send, 403, "insufficient_scope", f"the token lacks scope {missing[0]}", "")
            return
        if not self.owners.allows(scope, principal):
            await send_json(send, 404, {"error": "not_found", "message": "no such session"})
            return
        authenticated = {
            **scope,
            "user": SimpleUser(principal.subject),
            "auth": AuthCredentials(list(principal.scopes)),
        }
        await self.app(authenticated, receive, self.owners.recording(scope, send, principal))

    async def _send_metadata(self, send: Send) -> None:
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(self.metadata)).encode()),
            (b"access-control-allow-origin", b"*"),
            (b"cache-control", b"public, max-age=3600"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": self.metadata})

    async def _refuse(self, send: Send, status: int, error: str, description: str, error_part: str) -> None:
        if status == 403:
            error_part = f', error="{error}", error_description={_quoted(description)}'
        challenge = f"Bearer {self._challenge}{error_part}".encode()
        body = {"error": error, "error_description": description}
        await send_json(send, status, body, [(b"www-authenticate", challenge)])


# Where a session's id is: streamable HTTP's header, or the query of SSE's message endpoint, which the first
# event of its stream names.
_SESSION_HEADER = b"mcp-session-id"
_SSE_SESSION = re.compile(rb"session_id=([0-9a-fA-F]{1,64})")


class SessionOwners:
    """Which principal opened each session, so that another principal's token cannot use a session whose id it
    has learned: it gets 404, as for an unknown session. At most `most` are kept, the least recently used
    forgotten first (far more than the transports keep open)."""

    def __init__(self, most: int = 1024) -> None:
        self.most = most
        self._owners: OrderedDict[bytes, tuple[str, str]] = OrderedDict()

    def allows(self, scope: Scope, principal: Principal) -> bool:
        session = _session_of(scope)
        owner = self._owners.get(session) if session is not None else None
        if owner is None or session is None:
            return True
        self._owners.move_to_end(session)
        return owner == (principal.subject, principal.client_id)

    def recording(self, scope: Scope, send: Send, principal: Principal) -> Send:
        """`send`, noting the session that the answer to a request naming none opens, as `principal`'s: the
        header of a streamable-HTTP answer, or the first event of an SSE stream (`GET`), which names it."""
        if _session_of(scope) is not None:
            return send
        watching = {"body": scope["method"] == "GET"}

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                session = next((v for k, v in message.get("headers", []) if k.lower() == _SESSION_HEADER), None)
                if session is not None:
                    self._note(session, principal)
            elif message["type"] == "http.response.body" and watching["body"]:
                watching["body"] = False  # one look: a long stream costs nothing more
                if found := _SSE_SESSION.search(message.get("body", b"")[:1024]):
                    self._note(found.group(1), principal)
            await send(message)

        return recording_send

    def _note(self, session: bytes, principal: Principal) -> None:
        self._owners.setdefault(session, (principal.subject, principal.client_id))
        self._owners.move_to_end(session)
        if len(self._owners) > self.most:
            self._owners.popitem(last=False)


def _session_of(scope: Scope) -> bytes | None:
    header: bytes | None = next((value for key, value in scope["headers"] if key == _SESSION_HEADER), None)
    if header is not None:
        return header
    found = _SSE_SESSION.search(scope.get("query_string", b""))
    return bytes(found.group(1)) if found else None


def _bearer(scope: Scope) -> str | None:
    value = next((value for key, value in scope["headers"] if key == b"authorization"), b"")
    scheme, _, token = value.partition(b" ")
    if scheme.lower() != b"bearer" or not token.strip():
        return None
    try:
        return token.strip().decode("ascii")
    except UnicodeDecodeError:
        return None


async def connect(config: OAuthConfig, timeout: float = START_TIMEOUT_S) -> JwtVerifier:
    """The verifier, with the issuer's metadata read and its keys fetched; `IssuerError` in one line, at most
    `timeout` seconds later, when the issuer cannot be used."""
    try:
        with anyio.fail_after(timeout):
            issuer, jwks_url = config.issuer, config.jwks_url
            if jwks_url is None:
                async with httpx.AsyncClient(timeout=timeout / 3, follow_redirects=False) as client:
                    metadata = await discover(client, config.issuer)
                issuer, jwks_url = metadata.issuer, metadata.jwks_uri
            keys = KeySet(jwks_url, timeout=timeout / 3)
            await keys.load()
    except TimeoutError:
        raise IssuerError(f"the issuer {config.issuer} did not answer within {timeout:g} s") from None
    return JwtVerifier(issuer, config.resource_url, keys)


def start(config: OAuthConfig, timeout: float = START_TIMEOUT_S) -> JwtVerifier:
    """`connect`, before the server's own event loop runs."""
    return anyio.run(connect, config, timeout)
