"""OAuth end to end: a hosted-style client (the MCP SDK's own OAuth client) finds the authorization server from our
server, registers, signs its user in with PKCE and calls every tool of a `--stateless --demo` replica, through a
real authorization server (glewlwyd) on loopback; no token is given by hand. Then tokens forged or altered are
refused over HTTP, the probes answer without one, and the logs name the token's subject but never the token.
(An issuer unusable at start, and SSE, are tested in this process: tests/server/test_oauth.py.)"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

from tests.authorization_server import SCOPE, Glewlwyd, glewlwyd, log_in_and_consent
from tests.calls import INIT, MCP_HEADERS
from tests.processes import SCRIPT, Command, Listening, base_env, free_port, listening_all

pytestmark = pytest.mark.e2e


class Replica:
    def __init__(self, server: Listening, issuer: Glewlwyd) -> None:
        self.server = server
        self.issuer = issuer


@pytest.fixture(scope="session")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    """glewlwyd, and one `--stateless --demo` replica that takes its tokens, on a port chosen first: the resource
    URL, which tokens name as their audience, has to be known before either starts."""
    folder = tmp_path_factory.mktemp("oauth")
    port = free_port()
    resource = f"http://127.0.0.1:{port}/mcp"
    with glewlwyd(folder, [resource]) as issuer:
        env = base_env(
            BIGCOMMERCE_MCP_OAUTH_ISSUER=issuer.issuer,
            BIGCOMMERCE_MCP_RESOURCE_URL=resource,
            BIGCOMMERCE_MCP_OAUTH_SCOPES=SCOPE,
            BIGCOMMERCE_LOG_FORMAT="json",
        )
        argv = [SCRIPT, "--transport", "streamable-http", "--port", str(port), "--stateless", "--demo"]
        with listening_all(Command(argv, folder / "server.log", env)) as (server,):
            yield Replica(server, issuer)


class Memory:
    """The client's token storage, in memory: a hosted agent keeps it per user."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


@pytest.mark.anyio
async def test_a_hosted_style_client_signs_in_through_the_issuer_and_calls_every_tool(replica: Replica) -> None:
    storage, redirected, sign_ins = Memory(), [], []

    async def open_browser(url: str) -> None:
        sign_ins.append(url)
        redirected.append(await anyio.to_thread.run_sync(log_in_and_consent, replica.issuer, url))

    async def come_back() -> AuthorizationCodeResult:
        code, state = redirected.pop()
        return AuthorizationCodeResult(code=code, state=state)

    metadata = OAuthClientMetadata(
        client_name="hosted agent (test)",
        redirect_uris=["http://127.0.0.1:9/callback"],
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
    )
    provider = OAuthClientProvider(replica.server.url, metadata, storage, open_browser, come_back)
    # A 2026-07-28 client, then one with the initialize handshake: the second reuses the token, no new sign-in.
    for mode in ("2026-07-28", "legacy"):
        async with (
            create_mcp_http_client(auth=provider) as http,
            Client(streamable_http_client(replica.server.url, http_client=http), mode=mode) as client,
        ):
            tools = (await client.list_tools()).tools
            for tool in tools:
                needs_order = "order_id" in tool.input_schema.get("required", [])
                result = await client.call_tool(tool.name, {"order_id": 218} if needs_order else {})
                assert not result.is_error, (mode, tool.name, result.content)
    assert len(sign_ins) == 1
    assert storage.tokens is not None
    assert storage.client is not None  # registered dynamically
    token = storage.tokens.access_token
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["aud"] == f"{replica.server.url}"
    log = replica.server.log.read_text()
    assert token not in log
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    calls = [record for record in records if record.get("logger") == "bigcommerce_orders_mcp.calls"]
    assert {record["tool"] for record in calls} >= {tool.name for tool in tools}
    assert {record.get("subject") for record in calls} == {claims["sub"]}


def _forge(key: rsa.RSAPrivateKey, issuer: str, audience: str, **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience, "sub": "mallory", "exp": now + 300, "iat": now, "scope": SCOPE}
    claims.update(changes)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key, algorithm="RS256")


def test_forged_tokens_are_refused_over_http_and_the_probes_need_none(replica: Replica) -> None:
    url, issuer = replica.server.url, replica.issuer
    own_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # Signed by the issuer's own key (the test holds it, as glewlwyd's configuration did), to alter one claim each.
    right = issuer.key
    cases = {
        "no token": (None, 401),
        "signed by another key": (_forge(own_key, issuer.issuer, url), 401),
        "for another resource": (_forge(right, issuer.issuer, "http://127.0.0.1:1/mcp"), 401),
        "from another issuer": (_forge(right, "http://127.0.0.1:1/api/oidc", url), 401),
        "expired": (_forge(right, issuer.issuer, url, exp=int(time.time()) - 600), 401),
        "without the scope": (_forge(right, issuer.issuer, url, scope="openid"), 403),
    }
    with httpx.Client(timeout=5) as http:
        for name, (token, status) in cases.items():
            headers = dict(MCP_HEADERS) | ({"Authorization": f"Bearer {token}"} if token else {})
            response = http.post(url, json=INIT, headers=headers)
            assert response.status_code == status, name
            assert 'resource_metadata="' in response.headers["www-authenticate"], name
            assert f'scope="{SCOPE}"' in response.headers["www-authenticate"], name
        root = url.removesuffix("/mcp")
        assert http.get(f"{root}/healthz").status_code == 200
        metadata = http.get(f"{root}/.well-known/oauth-protected-resource/mcp").json()
        assert metadata["resource"] == url
        assert metadata["authorization_servers"] == [issuer.issuer]
        # The issuer's own key, with the right claims, gets in: the refusals above were each for their one reason.
        good = _forge(right, issuer.issuer, url)
        assert http.post(url, json=INIT, headers={**MCP_HEADERS, "Authorization": f"Bearer {good}"}).status_code == 200
