"""Settings read from the environment (`BIGCOMMERCE_*`)."""

from __future__ import annotations

import re
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

    store_hash: Annotated[str | None, BeforeValidator(_clean_store_hash), AfterValidator(_check_store_hash)] = None
    access_token: Annotated[SecretStr | None, AfterValidator(_check_token)] = None
    api_url: Annotated[str, AfterValidator(_check_api_url)] = DEFAULT_API_URL
    timeout: Annotated[float, Field(gt=0, le=600)] = 30.0
    max_retries: Annotated[int, Field(ge=0, le=10)] = 3
    retry_budget: Annotated[float, Field(ge=0, le=600)] = 30.0
    max_concurrency: Annotated[int, Field(ge=1, le=100)] = 8
    redact_pii: bool = False
    mcp_auth_token: Annotated[SecretStr | None, AfterValidator(_check_token)] = None

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
    if require_store:
        for field in ("store_hash", "access_token"):
            if getattr(settings, field) is None:
                raise SettingsError(f"BIGCOMMERCE_{field.upper()} is not set: expected {_EXPECTED[field]}.")
    return settings
