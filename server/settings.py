"""Settings read from the environment (`BIGCOMMERCE_*`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_URL = "https://api.bigcommerce.com"
_STORE_HASH = re.compile(r"^[a-z0-9]+$")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable and what it expects."""


def _clean_store_hash(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        # People paste the host label from store-abc123.mybigcommerce.com.
        return value.removeprefix("store-")
    return value


def _check_store_hash(value: str | None) -> str | None:
    if value is not None and not _STORE_HASH.fullmatch(value):
        raise ValueError("must be the store hash: lowercase letters and digits, e.g. 'abc123xyz'")
    return value


def _check_api_url(value: str) -> str:
    value = value.strip().rstrip("/")
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise ValueError("must be an http(s) URL such as https://api.bigcommerce.com")
    return value


def _check_token(value: SecretStr | None) -> SecretStr | None:
    if value is not None and not value.get_secret_value().strip():
        raise ValueError("must not be empty")
    return value


class Settings(BaseSettings):
    """The store to connect to and how the server behaves; the store is optional only with --demo."""

    model_config = SettingsConfigDict(env_prefix="BIGCOMMERCE_", extra="ignore", frozen=True, env_ignore_empty=True)

    store_hash: Annotated[
        str | None,
        BeforeValidator(_clean_store_hash),
        AfterValidator(_check_store_hash),
        Field(description="The store hash, e.g. `abc123xyz` (a pasted `store-` prefix is removed)."),
    ] = None
    access_token: Annotated[
        SecretStr | None,
        AfterValidator(_check_token),
        Field(description="The API account's access token (Orders: read-only scope). Never printed or logged."),
    ] = None
    api_url: Annotated[
        str,
        AfterValidator(_check_api_url),
        Field(description="API root; point it at the sandbox store (`bigcommerce-orders-mcp sandbox`) to test."),
    ] = DEFAULT_API_URL
    timeout: Annotated[float, Field(gt=0, le=600, description="Seconds to wait for one answer from BigCommerce.")] = (
        30.0
    )
    max_retries: Annotated[
        int,
        Field(ge=0, le=10, description="Retries after a 429, a 500/502/503/504, a timeout or a network error."),
    ] = 3
    retry_budget: Annotated[
        float,
        Field(
            ge=0,
            le=600,
            description="Seconds a tool call may spend waiting between retries; a longer rate-limit wait fails "
            "at once, saying when to retry.",
        ),
    ] = 30.0
    max_concurrency: Annotated[
        int, Field(ge=1, le=100, description="Requests in flight to each store at once, across all sessions.")
    ] = 50
    redact_pii: Annotated[
        bool,
        Field(description="`1` masks e-mails, phone numbers, street lines and IP addresses in every output."),
    ] = False
    mcp_auth_token: Annotated[
        SecretStr | None,
        AfterValidator(_check_token),
        Field(
            description="When set, `sse` and `streamable-http` require `Authorization: Bearer <token>`. "
            "Never printed or logged."
        ),
    ] = None
    stores_file: Annotated[
        Path | None,
        Field(description="A TOML file naming several stores, instead of the store hash and token above."),
    ] = None

    @property
    def base_url(self) -> str:
        """The v2 API root of this store."""
        return f"{self.api_url}/stores/{self.store_hash}/v2"


_EXPECTED = {
    "store_hash": "the store hash (lowercase letters and digits, from store-<hash>.mybigcommerce.com)",
    "access_token": "the API account's access token",
    "api_url": "an http(s) URL such as https://api.bigcommerce.com",
    "timeout": "a number of seconds greater than 0 and at most 600",
    "max_retries": "a whole number from 0 to 10",
    "retry_budget": "a number of seconds from 0 to 600",
    "max_concurrency": "a whole number from 1 to 100",
    "redact_pii": "1 or 0 (true or false)",
    "mcp_auth_token": "a non-empty secret that HTTP clients send as 'Authorization: Bearer <token>'",
    "stores_file": "the path of a TOML file naming the stores (see the README)",
}
_SECRETS = frozenset({"access_token", "mcp_auth_token"})


def load_settings(*, require_store: bool = True) -> Settings:
    """Read settings from the environment, or raise `SettingsError` with one clear line."""
    try:
        settings = Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "?"
        variable = f"BIGCOMMERCE_{field.upper()}"
        if error["type"] == "missing":
            raise SettingsError(f"{variable} is not set: expected {_EXPECTED.get(field, 'a value')}.") from None
        reason = str(error["msg"]).removeprefix("Value error, ")
        # Never echo a secret back, not even a malformed one.
        shown = "" if field in _SECRETS else f" (got {str(error.get('input'))[:60]!r})"
        raise SettingsError(f"{variable} {reason}{shown}; expected {_EXPECTED.get(field, 'a valid value')}.") from None
    if settings.stores_file is not None:
        if settings.store_hash is not None or settings.access_token is not None:
            raise SettingsError(
                "Set either BIGCOMMERCE_STORES_FILE or BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN, not both."
            )
    elif require_store:
        for field in ("store_hash", "access_token"):
            if getattr(settings, field) is None:
                raise SettingsError(f"BIGCOMMERCE_{field.upper()} is not set: expected {_EXPECTED[field]}.")
    return settings


@dataclass(frozen=True)
class StoreConfig:
    """One store to connect to."""

    name: str
    store_hash: str
    access_token: SecretStr
    api_url: str

    @property
    def base_url(self) -> str:
        return f"{self.api_url}/stores/{self.store_hash}/v2"


_STORE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_STORE_KEYS = frozenset({"store_hash", "access_token_env", "api_url"})


def store_configs(settings: Settings) -> tuple[list[StoreConfig], str | None]:
    """The stores to serve and the default one: from BIGCOMMERCE_STORES_FILE, or the single env store."""
    if settings.stores_file is None:
        if settings.store_hash is None or settings.access_token is None:
            raise SettingsError("No store configured: set BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN.")
        single = StoreConfig("default", settings.store_hash, settings.access_token, settings.api_url)
        return [single], single.name
    return _read_stores_file(settings.stores_file, settings.api_url)


def _read_stores_file(path: Path, api_url: str) -> tuple[list[StoreConfig], str | None]:
    import tomllib  # only a stores file needs it; start-up stays lean without one

    where = f"BIGCOMMERCE_STORES_FILE ({path})"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"{where} cannot be read: {exc.strerror}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{where} is not valid TOML: {exc}.") from None
    stores = data.get("stores")
    if not isinstance(stores, dict) or not stores:
        raise SettingsError(f"{where} has no [stores.<name>] tables; see the README for the format.")
    configs = [_store_config(where, name, table, api_url) for name, table in stores.items()]
    default = data.get("default")
    if default is not None and default not in stores:
        raise SettingsError(f"{where}: default = {default!r} names no store; stores: {', '.join(stores)}.")
    unknown = set(data) - {"stores", "default"}
    if unknown:
        raise SettingsError(f"{where}: unknown top-level keys {sorted(unknown)}; allowed: default, stores.")
    return configs, default if len(configs) > 1 else configs[0].name


def _store_config(where: str, name: str, table: object, api_url: str) -> StoreConfig:
    if not _STORE_NAME.fullmatch(name):
        raise SettingsError(f"{where}: store name {name!r} must be lowercase letters, digits, '-' or '_'.")
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: [stores.{name}] must be a table.")
    unknown = set(table) - _STORE_KEYS
    if unknown:
        allowed = ", ".join(sorted(_STORE_KEYS))
        raise SettingsError(f"{where}: [stores.{name}] has unknown keys {sorted(unknown)}; allowed: {allowed}.")
    if "store_hash" not in table:
        raise SettingsError(f"{where}: [stores.{name}] needs store_hash.")
    try:
        store_hash = _check_store_hash(str(_clean_store_hash(str(table["store_hash"]))))
    except ValueError as exc:
        raise SettingsError(f"{where}: [stores.{name}] store_hash {exc}.") from None
    try:
        url = _check_api_url(str(table.get("api_url", api_url)))
    except ValueError as exc:
        raise SettingsError(f"{where}: [stores.{name}] api_url {exc}.") from None
    variable = table.get("access_token_env")
    if not isinstance(variable, str) or not variable:
        raise SettingsError(
            f"{where}: [stores.{name}] needs access_token_env, the name of the environment variable "
            "holding its token (tokens are never written in the file)."
        )
    token = os.environ.get(variable, "").strip()
    if not token:
        raise SettingsError(f"{where}: [stores.{name}] reads its token from {variable}, which is not set.")
    return StoreConfig(name, str(store_hash), SecretStr(token), url)
