"""A real authorization server on loopback for the OAuth tests: Debian's glewlwyd, with SQLite in a temporary folder.

It is configured through its own admin API as an organisation's identity provider would be: a scope `orders`, a
user, and its OpenID Connect plugin signing RS256 JWT access tokens with a key made here, with PKCE, dynamic
client registration and RFC 8707 resource indicators (a token's `aud` is the resource the client asked for). The
browser's part of a login (the user signs in, consents) is done with HTTP requests to glewlwyd's login and grant
endpoints, as its own web pages make them.
"""

from __future__ import annotations

import gzip
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.processes import Command, free_port, started

GLEWLWYD = "/usr/bin/glewlwyd"
SCHEMA = Path("/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz")
ADMIN = ("admin", "password")  # what glewlwyd's schema creates
USER = ("alice", "alice-password-7c1e")
SCOPE = "orders"
PLUGIN = "oidc"

DEBIAN_CONFIG = Path("/etc/glewlwyd/glewlwyd.conf")
# Debian's configuration, changed where a test's must differ: loopback, a port of its own, its own database, logs on
# stderr. (A file written from scratch was refused as unparsable by glewlwyd 2.7.5 without saying which line.)
_CHANGES = {
    r"^#?\s*port\s*=.*$": "port={port}",
    r"^#?\s*bind_address\s*=.*$": 'bind_address="127.0.0.1"',
    r"^#?\s*external_url\s*=.*$": 'external_url="http://127.0.0.1:{port}"',
    r"^#?\s*log_mode\s*=.*$": 'log_mode="console"',
    r"^#?\s*log_level\s*=.*$": 'log_level="WARNING"',
    r"^@include .*$": 'database = {{ type = "sqlite3" path = "{database}" }};',
}


def _config(port: int, database: Path) -> str:
    text = DEBIAN_CONFIG.read_text()
    for pattern, line in _CHANGES.items():
        text, count = re.subn(pattern, line.format(port=port, database=database), text, count=1, flags=re.MULTILINE)
        assert count == 1, f"{DEBIAN_CONFIG} has no line matching {pattern}"
    return text


@dataclass(frozen=True)
class Glewlwyd:
    """A running glewlwyd: its API root, and the issuer of its OpenID Connect plugin."""

    api: str
    key: rsa.RSAPrivateKey

    @property
    def issuer(self) -> str:
        return f"{self.api}/{PLUGIN}"


def installed() -> bool:
    return shutil.which(GLEWLWYD) is not None and SCHEMA.exists() and DEBIAN_CONFIG.exists()


@contextmanager
def glewlwyd(folder: Path, resources: list[str]) -> Iterator[Glewlwyd]:
    """glewlwyd until the block ends, issuing tokens of scope `orders` for each of `resources` (their `aud`)."""
    if not installed():
        raise RuntimeError("glewlwyd is not installed: apt-get install glewlwyd (.ci/run does)")
    database = folder / "glewlwyd.db"
    with sqlite3.connect(database) as db:
        db.executescript(gzip.decompress(SCHEMA.read_bytes()).decode())
    for _ in range(5):
        port = free_port()
        config = folder / "glewlwyd.conf"
        config.write_text(_config(port, database))
        with started(Command([GLEWLWYD, "--config-file", str(config)], folder / "glewlwyd.log"), grace=5) as (p,):
            api = f"http://127.0.0.1:{port}/api"
            if _answers(api, p.process.poll):
                server = Glewlwyd(api, rsa.generate_private_key(public_exponent=65537, key_size=2048))
                _configure(server, resources)
                yield server
                return
    raise RuntimeError(f"glewlwyd did not start; see {folder / 'glewlwyd.log'}")


def _answers(api: str, exited: object, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{api}/config/", timeout=1)
            return True
        except httpx.TransportError:
            if callable(exited) and exited() is not None:
                return False  # the port was taken
            time.sleep(0.05)
    return False


def _configure(server: Glewlwyd, resources: list[str]) -> None:
    pem = server.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        server.key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    plugin = {
        "iss": server.issuer,
        "jwt-type": "rsa",
        "jwt-key-size": "256",
        "key": pem,
        "cert": public,
        "access-token-duration": 3600,
        "refresh-token-duration": 86400,
        "code-duration": 600,
        "allow-non-oidc": True,
        "auth-type-code-enabled": True,
        "auth-type-refresh-enabled": True,
        "allowed-scope": ["openid", SCOPE],
        "subject-type": "public",
        "pkce-allowed": True,
        "register-client-allowed": True,
        "resource-allowed": True,
        "resource-scope": {SCOPE: resources},
        "resource-scope-and-client-property": False,
    }
    with httpx.Client(base_url=server.api, timeout=10) as admin:
        _ok(admin.post("/auth/", json={"username": ADMIN[0], "password": ADMIN[1]}))
        scope = {"name": SCOPE, "display_name": "Orders", "description": "Read orders", "password_required": True}
        _ok(admin.post("/scope/", json={**scope, "scheme": {}}))
        user = {"username": USER[0], "name": "Alice", "password": USER[1], "scope": [SCOPE, "openid"]}
        _ok(admin.post("/user/", json={**user, "enabled": True}))
        _ok(
            admin.post(
                "/mod/plugin/", json={"module": "oidc", "name": PLUGIN, "display_name": "OIDC", "parameters": plugin}
            )
        )


def _ok(response: httpx.Response) -> None:
    assert response.status_code == 200, f"{response.request.url}: {response.status_code} {response.text[:500]}"


def log_in_and_consent(server: Glewlwyd, authorization_url: str) -> tuple[str, str | None]:
    """What the user's browser does with the authorization URL a client opens: sign in, grant the client its
    scopes, follow the authorization request to the redirect. Returns the code and state the redirect carries."""
    query = parse_qs(urlsplit(authorization_url).query)
    client_id, scopes = query["client_id"][0], query.get("scope", [SCOPE])[0]
    with httpx.Client(base_url=server.api, timeout=10) as browser:
        _ok(browser.post("/auth/", json={"username": USER[0], "password": USER[1]}))
        _ok(browser.put(f"/auth/grant/{client_id}", json={"scope": scopes}))
        # What glewlwyd's login page adds once the user has consented, to go on to the client.
        response = browser.get(f"{authorization_url}&g_continue")
    assert response.status_code == 302, f"{response.status_code} {response.headers} {response.text[:300]}"
    redirect = parse_qs(urlsplit(response.headers["location"]).query)
    assert "code" in redirect, response.headers["location"]
    return redirect["code"][0], redirect.get("state", [None])[0]
