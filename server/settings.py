"""Settings: the environment (`BIGCOMMERCE_*`) and, for several stores, the TOML file it may name.

Both are pydantic models. A validation error becomes one `SettingsError` line that names the variable or key,
says what is allowed (from the field's constraints) and what it is for (from its description); secrets are never
echoed.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Self
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator
from pydantic_core import ErrorDetails

from bigcommerce_orders_mcp.logs import FORMATS, LEVELS
from bigcommerce_orders_mcp.setting_files import FileRefused, read_toml, shown_path
from bigcommerce_orders_mcp.setting_lines import described, rule, setting_line
from bigcommerce_orders_mcp.tool_names import ToolNames
from bigcommerce_orders_mcp.urls import checked_url

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_NAME",
    "DEFAULT_SUMMARY_MAX_ORDERS",
    "LONGEST_STORE_HASH",
    "PREFIX",
    "ApiUrl",
    "LogFormat",
    "LogLevel",
    "NoStoreError",
    "OAuthScopes",
    "OAuthUrl",
    "RedisUrl",
    "Secret",
    "Settings",
    "SettingsError",
    "StoreConfig",
    "StoreHash",
    "StoreName",
    "StoreTable",
    "StoresFile",
    "load_settings",
    "misspelt_variables",
    "store_configs",
    "variable",
]

PREFIX = "BIGCOMMERCE_"
# The name of the one store configured by BIGCOMMERCE_STORE_HASH, as a stores file would name it.
DEFAULT_NAME = "default"
DEFAULT_API_URL = "https://api.bigcommerce.com"
# Forty pages of 250: enough for a month of most stores, read within one call's deadline.
DEFAULT_SUMMARY_MAX_ORDERS = 10_000


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming the variable and what it allows."""


class NoStoreError(SettingsError):
    """No store is configured at all: neither a store hash and token nor a stores file."""


def variable(field: str) -> str:
    """The environment variable of a `Settings` field."""
    return f"{PREFIX}{field.upper()}"


def _format(pattern: str, rule: str, clean: Callable[[str], str] = str.strip) -> AfterValidator:
    """Clean a string, then require all of it to match `pattern`; `rule` says what is allowed."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        value = clean(value)
        if not compiled.fullmatch(value):
            raise ValueError(rule)
        return value

    return AfterValidator(check)


# What the example config and the README write where a real value belongs.
_PLACEHOLDER = re.compile(r"(your[-_ ].*|<.*>|\.\.\.|x{3,}|changeme)", re.IGNORECASE)
LONGEST_STORE_HASH = 20


def _refuse_placeholder(value: str) -> None:
    if _PLACEHOLDER.fullmatch(value):
        raise ValueError("must be replaced: it is still the example config's placeholder")


def _clean_store_hash(value: str) -> str:
    # People paste the host label from store-abc123.mybigcommerce.com.
    value = value.strip().removeprefix("store-")
    _refuse_placeholder(value)
    if len(value) > LONGEST_STORE_HASH and value.isalnum():
        raise ValueError("looks like an access token, not a store hash, so it is not shown")
    return value


def _clean_secret(value: SecretStr) -> SecretStr:
    # A token copied with its line break or a space would be sent as is, and refused as a wrong token.
    secret = value.get_secret_value().strip()
    if not secret:
        raise ValueError("must not be blank")
    if any(character.isspace() for character in secret):
        raise ValueError("must not contain spaces or line breaks")
    _refuse_placeholder(secret)
    return SecretStr(secret)


def _encrypted_unless_local(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "http" and not _loopback(parts.hostname or ""):
        raise ValueError(
            f"must start with https:// (http:// would send the access token unencrypted to {parts.hostname}); "
            "plain http is only for a loopback address such as the sandbox store's http://127.0.0.1:8787"
        )
    return url


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


StoreHash = Annotated[
    str,
    _format(
        rf"[a-z0-9]{{1,{LONGEST_STORE_HASH}}}",
        "must be the store hash, in lowercase letters and digits",
        _clean_store_hash,
    ),
]


def _api_url(value: str) -> str:
    url = value.strip().rstrip("/")
    checked_url(url, ("http", "https"), "must be an http(s) URL such as https://api.bigcommerce.com", root=True)
    return url


ApiUrl = Annotated[str, AfterValidator(_api_url), AfterValidator(_encrypted_unless_local)]
StoreName = Annotated[
    str,
    _format(
        r"[a-z0-9][a-z0-9_-]{0,39}",
        "must be 1 to 40 lowercase letters, digits, '-' or '_', starting with a letter or digit",
    ),
]
Secret = Annotated[SecretStr, AfterValidator(_clean_secret)]


def _redis_url(value: SecretStr) -> SecretStr:
    url = value.get_secret_value().strip()
    shape = "must be a redis://, rediss:// or unix:// URL, e.g. redis://127.0.0.1:6379/0"
    checked_url(url, ("redis", "rediss", "unix"), shape)
    return SecretStr(url)


def _oauth_url(value: str) -> str:
    url = value.strip()
    checked_url(url, ("http", "https"), "must be an http(s) URL such as https://login.example.com", root=True)
    parts = urlsplit(url)
    if parts.scheme.lower() == "http" and not _loopback(parts.hostname or ""):
        raise ValueError(
            f"must start with https:// (over http:// anyone on the way to {parts.hostname} could change the keys "
            "tokens are checked with, or read the tokens); plain http is only for a loopback address"
        )
    return url


# Kept as written, but for spaces around it: an issuer is compared with a token's `iss` character for character.
OAuthUrl = Annotated[str, AfterValidator(_oauth_url)]
# RFC 6749's scope-token: printable ASCII but space, '"' and '\\'.
_SCOPE = re.compile(r"[!#-\[\]-~]{1,100}")


def _oauth_scopes(value: str) -> str:
    scopes = list(dict.fromkeys(value.replace(",", " ").split()))
    if not scopes:
        raise ValueError("must name at least one scope")
    if len(scopes) > 20 or not all(_SCOPE.fullmatch(scope) for scope in scopes):
        raise ValueError("must be up to 20 scopes, separated by spaces or commas, each of printable characters")
    return " ".join(scopes)


OAuthScopes = Annotated[str, AfterValidator(_oauth_scopes)]


# A URL may carry a password, so it is a secret: never shown back in an error.
RedisUrl = Annotated[SecretStr, AfterValidator(_redis_url)]


def _one_of(names: tuple[str, ...]) -> AfterValidator:
    """One of `names`, in any case."""
    return _format("|".join(names), f"must be {', '.join(names[:-1])} or {names[-1]}", lambda v: v.strip().lower())


LogLevel = Annotated[str, _one_of(LEVELS)]
LogFormat = Annotated[str, _one_of(FORMATS)]

_STORE_HASH = (
    "The hash in `store-<hash>.mybigcommerce.com` or in API paths `/stores/<hash>/`, e.g. `abc123xyz`; "
    "a pasted `store-` prefix is removed."
)


class Settings(BaseModel):
    """The store to connect to and how the server behaves; the store is optional only with --demo.

    Each field not given as an argument comes from its own variable (`BIGCOMMERCE_` and the field's name, in
    any case; an empty one counts as unset). A plain model rather than pydantic-settings' `BaseSettings`, which
    does the same and keeps these error messages, but whose import would be paid at every start, and the
    cold-start row has no room for it (the README's benchmark section says by how much).
    """

    # Only the fields' own variables are read, so "forbid" refuses unknown keyword arguments while other tools'
    # BIGCOMMERCE_* variables pass unread; `misspelt_variables` finds the near misses.
    model_config = ConfigDict(extra="forbid", frozen=True)

    store_hash: Annotated[StoreHash | None, Field(description=_STORE_HASH)] = None
    access_token: Annotated[
        Secret | None,
        Field(description="The API account's access token (Orders: read-only scope). Never printed or logged."),
    ] = None
    api_url: Annotated[
        ApiUrl,
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
    # Enough that many calls at once do not queue behind each other (bench's concurrency row measures it).
    max_concurrency: Annotated[
        int, Field(ge=1, le=100, description="Requests in flight to each store at once, across all sessions.")
    ] = 50
    summary_max_orders: Annotated[
        int,
        Field(
            ge=1,
            le=1_000_000,
            description="The most orders one summarize_orders call reads; past it the answer says it is partial and "
            "gives the call for the rest.",
        ),
    ] = DEFAULT_SUMMARY_MAX_ORDERS
    redact_pii: Annotated[
        bool,
        Field(description="`1` masks e-mails, phone numbers, street lines and IP addresses in every output."),
    ] = False
    tools: Annotated[
        ToolNames | None,
        Field(
            description="The tools to expose, comma-separated, e.g. `get_order,list_order_messages`; the others are "
            "neither listed nor answered. Unset exposes every tool. Like `--tools`, which wins."
        ),
    ] = None
    mcp_auth_token: Annotated[
        Secret | None,
        Field(
            description="When set, `sse` and `streamable-http` require `Authorization: Bearer <token>`. "
            "Never printed or logged."
        ),
    ] = None
    mcp_oauth_issuer: Annotated[
        OAuthUrl | None,
        Field(
            description="OAuth instead of the bearer token: the issuer URL of the identity provider whose access "
            "tokens (JWTs) `sse` and `streamable-http` accept; its metadata is read at start."
        ),
    ] = None
    mcp_resource_url: Annotated[
        OAuthUrl | None,
        Field(
            description="With OAuth: this server's public URL, e.g. `https://mcp.example.com/mcp`; tokens must "
            "name it as their audience."
        ),
    ] = None
    mcp_oauth_scopes: Annotated[
        OAuthScopes | None,
        Field(description="With OAuth: the scopes every token must carry, separated by spaces or commas."),
    ] = None
    mcp_oauth_jwks_url: Annotated[
        OAuthUrl | None,
        Field(description="With OAuth: where the issuer's signing keys are, when not the `jwks_uri` it names."),
    ] = None
    redis_url: Annotated[
        RedisUrl | None,
        Field(
            description="A Redis URL (`redis://host:6379/0`) through which replicas of this server share each "
            "store's request quota; without it each process paces itself. Its password is never printed or logged."
        ),
    ] = None
    stores_file: Annotated[
        Path | None,
        Field(description="A TOML file naming several stores, instead of the store hash and token above."),
    ] = None
    demo: Annotated[
        bool,
        Field(
            description="`1` serves the built-in sandbox store, as `--demo` does: no store hash or token needed, and "
            "any given are not used."
        ),
    ] = False
    log_level: Annotated[
        LogLevel | None,
        Field(
            description="`debug`, `info`, `warning` or `error`, like `--log-level`, which wins. `info` and `debug` "
            "log every tool call; unset is `info` without those lines, unless the format is `json`."
        ),
    ] = None
    log_format: Annotated[
        LogFormat,
        Field(description="`text`, or `json` for one JSON object a line; like `--log-format`, which wins."),
    ] = "text"

    @model_validator(mode="before")
    @classmethod
    def _environment(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        # Variable names match in any case, the last spelling winning; arguments win over variables.
        given = {name.upper(): value for name, value in os.environ.items() if value != ""}
        found = {field: given[variable(field)] for field in cls.model_fields if variable(field) in given}
        return {**found, **data}

    @model_validator(mode="after")
    def _refuse_both_ways_of_naming_stores(self) -> Self:
        if self.stores_file is not None and (self.store_hash is not None or self.access_token is not None):
            raise ValueError(
                f"Set either {variable('stores_file')} or {variable('store_hash')} and {variable('access_token')}, "
                "not both"
            )
        return self

    @model_validator(mode="after")
    def _one_way_of_authenticating(self) -> Self:
        oauth = [name for name in _OAUTH if getattr(self, name) is not None]
        if oauth and self.mcp_auth_token is not None:
            raise ValueError(
                f"Set either {variable('mcp_auth_token')} (a static bearer token) or OAuth ({variable(oauth[0])}), "
                "not both"
            )
        if oauth and (self.mcp_oauth_issuer is None or self.mcp_resource_url is None):
            missing = "mcp_oauth_issuer" if self.mcp_oauth_issuer is None else "mcp_resource_url"
            raise ValueError(f"OAuth needs {variable(missing)} as well as {variable(oauth[0])}")
        return self

    @property
    def oauth(self) -> bool:
        """Whether the HTTP transports take OAuth access tokens."""
        return self.mcp_oauth_issuer is not None


_OAUTH = ("mcp_oauth_issuer", "mcp_resource_url", "mcp_oauth_scopes", "mcp_oauth_jwks_url")


class StoreTable(BaseModel):
    """One `[stores.<name>]` table of the stores file."""

    # Built on first use: most servers have no stores file. A hash may be written as a TOML number.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True, defer_build=True)

    store_hash: Annotated[StoreHash, Field(description=_STORE_HASH)]
    access_token_env: Annotated[
        str,
        _format(r"[!-<>-~]{1,255}", "must be the name of an environment variable, e.g. BC_TOKEN_MAIN"),
        Field(
            description="The environment variable holding this store's access token (tokens are never written "
            "in the file)."
        ),
    ]
    api_url: Annotated[
        ApiUrl | None, Field(description=f"API root for this store; {variable('api_url')} when left out.")
    ] = None


class StoresFile(BaseModel):
    """The TOML file named by BIGCOMMERCE_STORES_FILE."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    default: Annotated[StoreName | None, Field(description="The store used when a call names none.")] = None
    stores: dict[StoreName, StoreTable]

    @model_validator(mode="before")
    @classmethod
    def _has_stores(cls, data: Any) -> Any:
        stores = data.get("stores") if isinstance(data, dict) else None
        if not isinstance(stores, dict) or not stores:
            raise ValueError("the file has no [stores.<name>] tables; see the README for the format")
        return data

    @model_validator(mode="after")
    def _default_names_a_store(self) -> Self:
        if self.default is not None and self.default not in self.stores:
            raise ValueError(f"default = {self.default!r} names no store; stores: {_some(list(self.stores))}")
        return self


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


def load_settings(**flags: Any) -> Settings:
    """Read the settings from the environment, or raise `SettingsError` with one line.

    `flags` are fields given on the command line (None when not given): they win over their variables, and an
    error in one names the flag.
    """
    given = {name: value for name, value in flags.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        error = exc.errors()[0]
        if not error["loc"]:
            raise SettingsError(f"{rule(error)}.") from None
        name = str(error["loc"][0])
        label = f"--{name.replace('_', '-')}" if name in given else variable(name)
        raise SettingsError(setting_line(label, error, Settings.model_fields[name])) from None


def store_configs(settings: Settings) -> tuple[list[StoreConfig], str | None]:
    """The stores to serve and the default one: from the stores file, or the store hash and token.

    The one place that decides whether a store is configured; `NoStoreError` when none is.
    """
    if settings.stores_file is not None:
        return _read_stores_file(settings.stores_file, settings.api_url)
    if settings.store_hash is None and settings.access_token is None:
        raise NoStoreError(
            f"no BigCommerce store configured: set {variable('store_hash')} and {variable('access_token')}, "
            f"or {variable('stores_file')}."
        )
    if settings.store_hash is None or settings.access_token is None:
        name = "store_hash" if settings.store_hash is None else "access_token"
        raise SettingsError(described(f"{variable(name)} is not set", Settings.model_fields[name]))
    single = StoreConfig(DEFAULT_NAME, settings.store_hash, settings.access_token, settings.api_url)
    return [single], single.name


def misspelt_variables(environ: Mapping[str, str]) -> dict[str, str]:
    """`BIGCOMMERCE_*` variables that no setting reads but that look like one, each with the one it looks like.

    Other tools may share the prefix, so an unknown variable is no error; a near miss deserves a warning.
    """
    known = {name.upper(): variable(name) for name in Settings.model_fields}
    unknown = [name for name in environ if name.upper().startswith(PREFIX) and name.upper() not in known.values()]
    if not unknown:
        return {}
    guesses = {name: difflib.get_close_matches(name.upper().removeprefix(PREFIX), known, 1, 0.8) for name in unknown}
    return {name: known[guess[0]] for name, guess in guesses.items() if guess}


def _read_stores_file(path: Path, api_url: str) -> tuple[list[StoreConfig], str | None]:
    where = f"{variable('stores_file')} ({shown_path(path)})"
    try:
        data = read_toml(path)
    except FileRefused as exc:
        raise SettingsError(f"{where} {exc}.") from None
    try:
        stores_file = StoresFile.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(f"{where}: {_file_error(exc.errors())}") from None
    configs = [_store_config(where, name, table, api_url) for name, table in stores_file.stores.items()]
    return configs, stores_file.default if len(configs) > 1 else configs[0].name


def _store_config(where: str, name: str, table: StoreTable, api_url: str) -> StoreConfig:
    token = os.environ.get(table.access_token_env, "").strip()
    if not token:
        raise SettingsError(
            f"{where}: [stores.{name}] reads its token from {table.access_token_env}, which is not set."
        )
    return StoreConfig(name, table.store_hash, SecretStr(token), table.api_url or api_url)


def _file_error(errors: list[ErrorDetails]) -> str:
    """One line for the stores file's first problem; unknown keys come first, as they are often misspelt ones."""
    unknown = [error["loc"] for error in errors if error["type"] == "extra_forbidden"]
    if unknown:
        parent = unknown[0][:-1]
        keys = sorted(str(loc[-1]) for loc in unknown if loc[:-1] == parent)
        model, where = (StoreTable, _table(parent[1])) if parent else (StoresFile, "the file")
        return f"{where} has unknown keys {_some(keys)}; allowed: {', '.join(sorted(model.model_fields))}."
    error = errors[0]
    match error["loc"]:
        case ("stores", name, "[key]"):
            return f"store name {str(name)[:40]!r} {rule(error)}."
        case ("stores", name):
            return f"{_table(name)} must be a table."
        case ("stores", name, str(key)):
            field = StoreTable.model_fields[key]
            if error["type"] == "missing":
                return described(f"{_table(name)} needs {key}", field)
            return setting_line(f"{_table(name)} {key}", error, field)
        case (str(key),):
            return setting_line(key, error, StoresFile.model_fields[key])
        case _:  # the file as a whole
            return f"{rule(error)}."


def _table(name: object) -> str:
    """A store's table as the file names it, cut short and with any control character escaped."""
    text = str(name)
    return f"[stores.{text}]" if len(text) <= 40 and text.isprintable() else f"[stores.{text[:40]!r}...]"


def _some(names: list[str], most: int = 10) -> str:
    """A few names of a list that may be long, and how many more there are."""
    shown = ", ".join(name if len(name) <= 40 and name.isprintable() else repr(name[:40]) for name in names[:most])
    return shown if len(names) <= most else f"{shown} and {len(names) - most:,} more"
