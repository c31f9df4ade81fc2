"""OAuth in this process: the issuer read at start, tokens forged or altered each refused with the right status, the
challenge and the RFC 9728 metadata, keys refetched at a bounded rate and kept while the issuer is away."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterator
from functools import partial
from typing import Any

import anyio
import httpx
import jwt
import pytest
import respx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from starlette.types import Message, Receive, Scope, Send

from bigcommerce_orders_mcp.cli import main
from bigcommerce_orders_mcp.client import CALLS, BigCommerceClient, holds_secret
from bigcommerce_orders_mcp.issuer import MAX_DOCUMENT_BYTES, KeySet
from bigcommerce_orders_mcp.oauth import (
    IssuerError,
    JwtVerifier,
    OAuthConfig,
    OAuthGuard,
    Principal,
    SessionOwners,
    connect,
    start,
)
from bigcommerce_orders_mcp.transports import HttpTransport, Limits
from tests.calls import INIT, MCP_HEADERS
from tests.conftest import fixture
from tests.server.test_transports import serving

pytestmark = pytest.mark.anyio

ISSUER = "https://login.example.test/realm"
RESOURCE = "https://mcp.example.test/mcp"
JWKS = "https://login.example.test/realm/keys"
METADATA = "https://login.example.test/.well-known/oauth-authorization-server/realm"
CONFIG = OAuthConfig(ISSUER, RESOURCE, ("orders:read",))


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY, OTHER_KEY = _key(), _key()


def _jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    return {**json.loads(RSAAlgorithm.to_jwk(key.public_key())), "kid": kid, "use": "sig", "alg": "RS256"}


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": RESOURCE, "sub": "user-42", "exp": now + 300, "iat": now, "scope": "orders:read"}
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def token(key: Any = KEY, kid: str = "k1", alg: str = "RS256", **changes: Any) -> str:
    return jwt.encode(claims(**changes), key, algorithm=alg, headers={"kid": kid, "typ": "at+jwt"})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned() -> str:
    header = _b64(json.dumps({"alg": "none", "kid": "k1", "typ": "at+jwt"}).encode())
    return f"{header}.{_b64(json.dumps(claims()).encode())}."


def hs256_with_public_key() -> str:
    """Algorithm confusion: signed with HMAC, the issuer's public key (as PEM) as the secret."""
    secret = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'kid': 'k1'}).encode())}.{_b64(json.dumps(claims()).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


@pytest.fixture
def issuer() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.get(METADATA).respond(json={"issuer": ISSUER, "jwks_uri": JWKS})
        router.get(JWKS, name="jwks").respond(json={"keys": [_jwk(KEY, "k1")]})
        yield router


@pytest.fixture
def verifier(issuer: respx.MockRouter) -> JwtVerifier:
    return start(CONFIG)


async def test_a_token_the_issuer_signed_for_this_resource_is_accepted(verifier: JwtVerifier) -> None:
    good = token()
    access = await verifier.verify_token(good)
    assert access is not None
    assert (access.subject, access.scopes) == ("user-42", ("orders:read",))
    assert holds_secret(good)  # kept out of every output and log from now on


@pytest.mark.parametrize(
    ("name", "forged"),
    [
        ("signed by another key", lambda: token(OTHER_KEY)),
        ("unsigned (alg none)", unsigned),
        ("HS256 with the public key as secret", hs256_with_public_key),
        ("for another resource", lambda: token(aud="https://other.example.test/mcp")),
        ("from another issuer", lambda: token(iss="https://evil.example.test/realm")),
        ("expired", lambda: token(exp=int(time.time()) - 120)),
        ("not yet valid", lambda: token(nbf=int(time.time()) + 120)),
        ("without exp", lambda: token(exp=None)),
        ("without aud", lambda: token(aud=None)),
        ("without sub", lambda: token(sub=None)),
        ("naming a key the issuer does not have", lambda: token(OTHER_KEY, kid="k9")),
        ("RS256 claimed, PS256 used", lambda: token(alg="PS256")),
        ("carrying its own key (jwk, jku)", lambda: with_own_key()),
        ("not a JWT", lambda: "not-a-jwt"),
        ("an altered payload", lambda: _altered(token())),
    ],
)
async def test_forged_and_altered_tokens_are_refused(verifier: JwtVerifier, name: str, forged: Any) -> None:
    assert await verifier.verify_token(forged()) is None, name


def with_own_key() -> str:
    """Signed by the forger, who names the key to check it with in the header: only the issuer's JWKS counts."""
    headers = {"kid": "k1", "jwk": _jwk(OTHER_KEY, "k1"), "jku": "https://evil.example.test/jwks"}
    return jwt.encode(claims(), OTHER_KEY, algorithm="RS256", headers=headers)


def _altered(good: str) -> str:
    header, _, signature = good.split(".")
    return f"{header}.{_b64(json.dumps(claims(sub='admin')).encode())}.{signature}"


async def test_an_expired_token_within_the_leeway_is_still_accepted(verifier: JwtVerifier) -> None:
    assert await verifier.verify_token(token(exp=int(time.time()) - 5)) is not None


async def test_symmetric_and_private_keys_in_the_jwks_are_never_used(issuer: respx.MockRouter) -> None:
    oct_key = {"kty": "oct", "kid": "h1", "k": _b64(b"a-shared-secret-of-thirty-two-bytes"), "alg": "HS256"}
    issuer.get(JWKS).respond(json={"keys": [oct_key, _jwk(KEY, "k1")]})
    verifier = await connect(CONFIG)
    assert set(verifier.keys.keys) == {"k1"}
    forged = jwt.encode(claims(), b"a-shared-secret-of-thirty-two-bytes", algorithm="HS256", headers={"kid": "h1"})
    assert await verifier.verify_token(forged) is None


async def test_an_unknown_kid_refetches_the_keys_at_a_bounded_rate(issuer: respx.MockRouter) -> None:
    verifier = await connect(CONFIG)
    assert issuer["jwks"].call_count == 1
    issuer.get(JWKS, name="jwks").respond(json={"keys": [_jwk(KEY, "k1"), _jwk(OTHER_KEY, "k2")]})
    verifier.keys.min_refetch = 0
    assert await verifier.verify_token(token(OTHER_KEY, kid="k2")) is not None  # a rotated-in key
    verifier.keys.min_refetch = 60
    for _ in range(20):
        assert await verifier.verify_token(token(OTHER_KEY, kid=f"made-up-{_}")) is None
    assert issuer["jwks"].call_count == 2


async def test_while_the_issuer_is_away_cached_keys_keep_verifying(issuer: respx.MockRouter) -> None:
    verifier = await connect(CONFIG)
    issuer.get(JWKS).mock(side_effect=httpx.ConnectError("down"))
    verifier.keys.min_refetch = 0
    verifier.keys.max_age = 0  # stale: every token tries a refetch, which fails
    assert await verifier.verify_token(token()) is not None
    assert await verifier.verify_token(token(OTHER_KEY, kid="k2")) is None


async def test_a_slow_refetch_delays_no_token_signed_with_a_key_held(issuer: respx.MockRouter) -> None:
    verifier = await connect(CONFIG)
    refetching = anyio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        refetching.set()
        await anyio.sleep(30)
        raise AssertionError

    issuer.get(JWKS).mock(side_effect=hang)
    verifier.keys.min_refetch = 0
    async with anyio.create_task_group() as group:
        group.start_soon(verifier.verify_token, token(OTHER_KEY, kid="k2"))  # unknown: refetches, and hangs
        await refetching.wait()
        verifier.keys.max_age = 0  # every key stale now, its refetch under way
        with anyio.fail_after(1):
            assert await verifier.verify_token(token()) is not None
        group.cancel_scope.cancel()


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (httpx.Response(200, text="<html>hello</html>"), "not JSON"),
        (httpx.Response(200, json=["a list"]), "not an object"),
        (httpx.Response(200, json={"issuer": "https://evil.example.test", "jwks_uri": JWKS}), "another issuer"),
        (httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": "http://login.example.test/k"}), "no https://"),
        (httpx.Response(200, content=b"{" + b" " * MAX_DOCUMENT_BYTES), "more than 64 KiB"),
    ],
)
def test_an_issuer_answering_garbage_is_a_clear_error(answer: httpx.Response, says: str) -> None:
    with respx.mock() as router:
        router.route().mock(return_value=answer)
        with pytest.raises(IssuerError, match=says):
            start(CONFIG)


def test_an_unreachable_issuer_is_a_clear_error_naming_every_url_tried() -> None:
    with respx.mock() as router:
        router.route().mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(IssuerError, match="could not be reached") as raised:
            start(CONFIG)
    assert "openid-configuration" in str(raised.value)
    assert "oauth-authorization-server" in str(raised.value)


def test_an_issuer_that_never_answers_fails_within_the_bound() -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(30)
        raise AssertionError

    with respx.mock(assert_all_called=False) as router:
        router.route().mock(side_effect=hang)
        started = time.monotonic()
        with pytest.raises(IssuerError, match="did not answer"):
            start(CONFIG, timeout=0.2)
    assert time.monotonic() - started < 3


def test_openid_discovery_is_used_when_rfc_8414_has_nothing() -> None:
    with respx.mock() as router:
        router.get(METADATA).respond(404)
        router.get(f"{ISSUER}/.well-known/openid-configuration").respond(json={"issuer": ISSUER, "jwks_uri": JWKS})
        router.get(JWKS).respond(json={"keys": [_jwk(KEY, "k1")]})
        assert start(CONFIG).issuer == ISSUER


def test_a_configured_jwks_url_skips_discovery() -> None:
    with respx.mock() as router:
        router.get("https://keys.example.test/jwks").respond(json={"keys": [_jwk(KEY, "k1")]})
        verifier = start(OAuthConfig(ISSUER, RESOURCE, (), "https://keys.example.test/jwks"))
    assert set(verifier.keys.keys) == {"k1"}


async def test_a_jwks_without_usable_keys_is_refused_at_start(issuer: respx.MockRouter) -> None:
    issuer.get(JWKS).respond(json={"keys": [{"kty": "oct", "k": "c2VjcmV0"}]})
    with pytest.raises(IssuerError, match="no public signing key"):
        await connect(CONFIG)
    issuer.get("https://nowhere.invalid/jwks").mock(side_effect=httpx.ConnectError("no such host"))
    with pytest.raises(IssuerError, match="could not be reached"):
        await KeySet("https://nowhere.invalid/jwks", timeout=0.5).load()


# The guard, as a client sees it.


async def _echo(scope: Scope, receive: Receive, send: Send) -> None:
    body = json.dumps({"subject": scope["user"].display_name, "path": scope["path"]}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
def guarded(verifier: JwtVerifier) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=OAuthGuard(_echo, verifier, CONFIG))
    return httpx.AsyncClient(transport=transport, base_url="https://mcp.example.test")


CHALLENGE = (
    'Bearer resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp", scope="orders:read"'
)


async def test_no_token_gets_401_with_the_metadata_and_scope_in_its_challenge(guarded: httpx.AsyncClient) -> None:
    response = await guarded.post("/mcp", json={})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == CHALLENGE
    assert response.json()["error"] == "unauthorized"


@pytest.mark.parametrize("bad", [unsigned, hs256_with_public_key, lambda: token(OTHER_KEY), lambda: "x" * 9000])
async def test_a_bad_token_gets_401_invalid_token(guarded: httpx.AsyncClient, bad: Any) -> None:
    response = await guarded.post("/mcp", headers={"authorization": f"Bearer {bad()}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == f'{CHALLENGE}, error="invalid_token"'
    assert response.json()["error"] == "invalid_token"


async def test_a_token_without_the_scope_gets_403_insufficient_scope(guarded: httpx.AsyncClient) -> None:
    response = await guarded.post("/mcp", headers={"authorization": f"Bearer {token(scope='profile')}"})
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert 'scope="orders:read"' in response.headers["www-authenticate"]
    assert response.json()["error"] == "insufficient_scope"


async def test_a_valid_token_reaches_the_app_as_its_subject(guarded: httpx.AsyncClient) -> None:
    response = await guarded.post("/mcp", headers={"authorization": f"bearer {token(scp=['orders:read'], scope=None)}"})
    assert response.json() == {"subject": "user-42", "path": "/mcp"}


@pytest.mark.parametrize(
    "path",
    [
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource/sse",
    ],
)
async def test_the_protected_resource_metadata_is_served_without_a_token(guarded: httpx.AsyncClient, path: str) -> None:
    response = await guarded.get(path)
    assert response.status_code == 200
    assert response.json() == {
        "resource": RESOURCE,
        "authorization_servers": [ISSUER],
        "bearer_methods_supported": ["header"],
        "resource_name": "BigCommerce orders",
        "scopes_supported": ["orders:read"],
    }


# Both transports in this process, with the SDK's own clients: the initialize handshake over streamable HTTP, and SSE.


@pytest.fixture
def offline_verifier() -> JwtVerifier:
    """A verifier whose keys are never refetched: the test's own HTTP requests must not meet respx."""
    with respx.mock() as router:
        router.get(METADATA).respond(json={"issuer": ISSUER, "jwks_uri": JWKS})
        router.get(JWKS).respond(json={"keys": [_jwk(KEY, "k1")]})
        verifier = start(CONFIG)
    verifier.keys.min_refetch = verifier.keys.max_age = float("inf")
    return verifier


@pytest.mark.parametrize("transport", ["sse", "streamable-http"])
async def test_both_transports_take_a_token_and_log_its_subject(
    offline_verifier: JwtVerifier,
    transport: HttpTransport,
    caplog: pytest.LogCaptureFixture,
    bc_client: BigCommerceClient,
    api: respx.MockRouter,
) -> None:
    api.route(host="127.0.0.1").pass_through()  # the test's own requests to the server
    store = api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    good = token()
    headers = {"Authorization": f"Bearer {good}"}
    caplog.set_level(logging.INFO, logger=CALLS)
    guard = partial(OAuthGuard, verifier=offline_verifier, config=CONFIG)
    async with serving(transport, Limits(), bc_client, probes=True, oauth=guard) as url:
        async with httpx.AsyncClient(timeout=5) as http:
            refused = await (http.get(url) if transport == "sse" else http.post(url, json=INIT, headers=MCP_HEADERS))
            assert refused.status_code == 401
            assert (await http.get(url.rsplit("/", 1)[0] + "/healthz")).status_code == 200
        async with create_mcp_http_client(headers=headers) as client_http:
            connection = (
                sse_client(url, headers=headers)
                if transport == "sse"
                else streamable_http_client(url, http_client=client_http)
            )
            async with Client(connection) as client:
                result = await client.call_tool("get_order", {"order_id": 218})
    assert not result.is_error
    sent = [str(value) for call in store.calls for value in call.request.headers.values()]
    assert sent  # BigCommerce was asked, with its own token and never the MCP one
    assert not [value for value in sent if good in value]
    records = [record for record in caplog.records if record.name == CALLS]
    assert [getattr(record, "subject", None) for record in records] == ["user-42"]
    assert good not in caplog.text


@pytest.mark.parametrize("transport", ["sse", "streamable-http"])
async def test_a_session_is_its_opener_s_alone(offline_verifier: JwtVerifier, transport: HttpTransport) -> None:
    alice, mallory = ({"Authorization": f"Bearer {token(sub=name)}"} for name in ("alice", "mallory"))
    guard = partial(OAuthGuard, verifier=offline_verifier, config=CONFIG)
    async with serving(transport, Limits(), probes=True, oauth=guard) as url, httpx.AsyncClient(timeout=5) as http:
        if transport == "streamable-http":
            opened = await http.post(url, json=INIT, headers={**MCP_HEADERS, **alice})
            session = {**MCP_HEADERS, "Mcp-Session-Id": opened.headers["Mcp-Session-Id"]}
            ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
            assert (await http.post(url, json=ping, headers={**session, **mallory})).status_code == 404
            assert (await http.post(url, json=ping, headers={**session, **alice})).status_code != 404
            return
        async with http.stream("GET", url, headers=alice) as stream:
            lines = stream.aiter_lines()
            endpoint = next(line for line in [await anext(lines) for _ in range(2)] if line.startswith("data:"))
            messages = url.removesuffix("/sse") + endpoint.removeprefix("data:").strip()
            assert (await http.post(messages, json=INIT, headers=mallory)).status_code == 404
            assert (await http.post(messages, json=INIT, headers=alice)).status_code == 202


async def test_only_an_opening_answer_names_a_session_s_owner() -> None:
    owners = SessionOwners()
    alice, mallory = Principal("alice", "c", ()), Principal("mallory", "c", ())
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    def request(method: str, session: bytes | None = None) -> Scope:
        headers = [(b"mcp-session-id", session)] if session else []
        return {"type": "http", "method": method, "headers": headers, "query_string": b""}

    opened = owners.recording(request("GET"), send, alice)
    await opened({"type": "http.response.start", "status": 200, "headers": []})
    await opened({"type": "http.response.body", "body": b"event: endpoint\r\ndata: /messages/?session_id=abc1\r\n"})
    # An answer in a session already open may quote any text, a customer's message naming another session say.
    answer = owners.recording(request("POST", b"abc1"), send, mallory)
    await answer({"type": "http.response.body", "body": b"session_id=def2"})
    assert owners.allows({**request("POST"), "query_string": b"session_id=abc1"}, alice)
    assert not owners.allows({**request("POST"), "query_string": b"session_id=abc1"}, mallory)
    assert owners.allows({**request("POST"), "query_string": b"session_id=def2"}, alice)  # never recorded
    assert len(sent) == 3


# OAuth is authentication: a non-loopback address is allowed with it, and goes on to read the issuer.
@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_an_unusable_issuer_stops_the_server_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    monkeypatch.setenv("BIGCOMMERCE_MCP_OAUTH_ISSUER", ISSUER)
    monkeypatch.setenv("BIGCOMMERCE_MCP_RESOURCE_URL", RESOURCE)
    with respx.mock() as router:
        router.route().respond(200, text="<html>a login page</html>")
        with pytest.raises(SystemExit) as exited:
            main(["--transport", "streamable-http", "--host", host, "--port", "0", "--demo"])
    assert exited.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].startswith("bigcommerce-orders-mcp: OAuth cannot start: no metadata for issuer")
    assert "not JSON" in lines[-1]
