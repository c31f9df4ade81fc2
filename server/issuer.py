"""The authorization server as this resource server sees it: its metadata, and its signing keys, cached.

Metadata comes from RFC 8414 (`/.well-known/oauth-authorization-server`) or OpenID discovery
(`/.well-known/openid-configuration`); keys from its JWKS. Every answer is untrusted: bounded in time and size,
redirects not followed, a key that is not a public signing key left out. Keys are refetched when a token names
one the cache lacks, at most once per `min_refetch` seconds, so a stream of made-up `kid`s costs the issuer
nothing; a failed refetch keeps the keys already held, so tokens they verify keep working while the issuer is away.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import anyio
import httpx

if TYPE_CHECKING:
    from jwt import PyJWK

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_KEYS",
    "SIGNING_ALGORITHMS",
    "IssuerError",
    "IssuerMetadata",
    "KeySet",
    "discover",
    "fetch_json",
    "metadata_urls",
]

logger = logging.getLogger("bigcommerce_orders_mcp")

# Far past any real metadata document or JWKS (a few KiB), small enough to read whole.
MAX_DOCUMENT_BYTES = 64 * 1024
MAX_KEYS = 32
# Asymmetric only: an HMAC "key" in a public JWKS is a key anyone can read, and a token signed with it a forgery.
SIGNING_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
_KEY_TYPES = frozenset({"RSA", "EC", "OKP"})


class IssuerError(Exception):
    """The authorization server cannot be used: the message says why in one line, naming the URL."""


@dataclass(frozen=True)
class IssuerMetadata:
    issuer: str
    jwks_uri: str


def metadata_urls(issuer: str) -> list[str]:
    """Where an issuer's metadata may be: RFC 8414's path-inserted form first, then OpenID discovery's."""
    parts = urlsplit(issuer)
    root = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    urls = [f"{root}/.well-known/oauth-authorization-server{path}", f"{root}{path}/.well-known/openid-configuration"]
    if path:
        urls.append(f"{root}/.well-known/openid-configuration{path}")
    return urls


async def fetch_json(client: httpx.AsyncClient, url: str) -> dict[str, Any]:
    """The JSON object at `url`, or `IssuerError`: read up to `MAX_DOCUMENT_BYTES`, never redirected."""
    try:
        async with client.stream("GET", url, headers={"accept": "application/json"}) as response:
            if response.status_code != 200:
                raise IssuerError(f"{url} answered HTTP {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > MAX_DOCUMENT_BYTES:
                    raise IssuerError(f"{url} answered more than {MAX_DOCUMENT_BYTES // 1024} KiB")
    except httpx.TimeoutException:
        raise IssuerError(f"{url} did not answer in time") from None
    except httpx.HTTPError as exc:
        raise IssuerError(f"{url} could not be reached ({type(exc).__name__})") from None
    try:
        document = json.loads(bytes(body))
    except ValueError:
        raise IssuerError(f"{url} answered something that is not JSON") from None
    if not isinstance(document, dict):
        raise IssuerError(f"{url} answered JSON that is not an object")
    return document


async def discover(client: httpx.AsyncClient, issuer: str) -> IssuerMetadata:
    """The issuer's metadata; its `issuer` must be the one configured (RFC 8414 §3.3), a trailing slash aside."""
    problems = []
    for url in metadata_urls(issuer):
        try:
            document = await fetch_json(client, url)
        except IssuerError as exc:
            problems.append(str(exc))
            continue
        named, jwks_uri = document.get("issuer"), document.get("jwks_uri")
        if not isinstance(named, str) or named.rstrip("/") != issuer.rstrip("/"):
            raise IssuerError(f"{url} names another issuer than {issuer}")
        if not isinstance(jwks_uri, str) or not _fetchable(jwks_uri, issuer):
            raise IssuerError(f"{url} names no https:// jwks_uri; set BIGCOMMERCE_MCP_OAUTH_JWKS_URL")
        return IssuerMetadata(named, jwks_uri)
    raise IssuerError(f"no metadata for issuer {issuer}: {'; '.join(problems)}")


def _fetchable(url: str, issuer: str) -> bool:
    """An https URL, or http on the loopback host of an http issuer (a test's, or a sidecar's)."""
    if len(url) > 2048 or not url.isprintable():
        return False
    parts, issuer_parts = urlsplit(url), urlsplit(issuer)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and issuer_parts.scheme == "http" and parts.hostname == issuer_parts.hostname


class KeySet:
    """The issuer's public signing keys by `kid`, fetched from `url` and refetched as the module says."""

    def __init__(self, url: str, *, timeout: float = 10, min_refetch: float = 30, max_age: float = 3600) -> None:
        self.url = url
        self.timeout = timeout
        self.min_refetch = min_refetch
        self.max_age = max_age
        self.keys: dict[str, PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = anyio.Lock()

    async def load(self) -> None:
        """Fetch the keys now; `IssuerError` if there are none to use."""
        async with self._lock:
            await self._fetch()

    async def key(self, kid: str | None) -> PyJWK | None:
        """The key a token's header names (the only key, when it names none), refetching as allowed.

        A key held is used at once while another request refetches, so a slow issuer delays no token it signed.
        """
        held = self._pick(kid)
        if held is not None and (not self._stale() or self._lock.locked()):
            return held
        await self._refetch()
        return self._pick(kid)

    def _pick(self, kid: str | None) -> PyJWK | None:
        if kid is None or set(self.keys) == {""}:
            return next(iter(self.keys.values())) if len(self.keys) == 1 else None
        return self.keys.get(kid)

    def _stale(self) -> bool:
        return self._fetched_at is None or time.monotonic() - self._fetched_at > self.max_age

    async def _refetch(self) -> None:
        async with self._lock:
            if self._fetched_at is not None and time.monotonic() - self._fetched_at < self.min_refetch:
                return
            try:
                await self._fetch()
            except IssuerError as exc:
                logger.warning("Keeping the %d signing keys held: %s", len(self.keys), exc)

    async def _fetch(self) -> None:
        # Counted as a fetch even when it fails, so an issuer that is down is not asked again at every token.
        self._fetched_at = time.monotonic()
        async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
            with anyio.fail_after(self.timeout):
                document = await fetch_json(client, self.url)
        keys = _signing_keys(document.get("keys"))
        if not keys:
            raise IssuerError(f"{self.url} holds no public signing key this server accepts")
        self.keys = keys


def _signing_keys(entries: object) -> dict[str, PyJWK]:
    """The usable keys of a JWKS's `keys`, by `kid` (a key without one only when it is alone), at most `MAX_KEYS`."""
    from jwt import PyJWK, PyJWKError

    if not isinstance(entries, list):
        return {}
    keys: dict[str, PyJWK] = {}
    for entry in entries[: MAX_KEYS * 4]:
        if not isinstance(entry, dict) or entry.get("kty") not in _KEY_TYPES or entry.get("use", "sig") != "sig":
            continue
        if "d" in entry or entry.get("alg", "RS256" if entry["kty"] == "RSA" else "EdDSA") not in SIGNING_ALGORITHMS:
            continue
        kid = entry.get("kid", "")
        if not isinstance(kid, str) or len(kid) > 200:
            continue
        try:
            keys[kid] = PyJWK(entry)
        except (PyJWKError, ValueError, TypeError, KeyError):
            continue
        if len(keys) == MAX_KEYS:
            break
    if "" in keys and len(keys) > 1:
        del keys[""]
    return keys
