"""BIGCOMMERCE_* settings and the stores file: defaults, one clear line for each mistake, secrets never echoed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from bigcommerce_orders_mcp.settings import (
    Settings,
    SettingsError,
    load_settings,
    misspelt_variables,
    store_configs,
    variable,
)
from tests.server.conftest import MAIN, SECRET, STORE, setenv, stores_file

pytestmark = pytest.mark.usefixtures("clean_env")


def settings_error() -> str:
    """The one line the settings in this environment are refused with."""
    with pytest.raises(SettingsError) as caught:
        store_configs(load_settings())
    message = str(caught.value)
    assert "\n" not in message
    assert SECRET not in message
    assert "None" not in message
    return message


def test_settings_defaults_and_store_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    setenv(monkeypatch, {"BIGCOMMERCE_STORE_HASH": " store-abc123 ", "BIGCOMMERCE_ACCESS_TOKEN": SECRET})
    settings = load_settings()
    assert settings.store_hash == "abc123"
    assert settings.timeout == 30
    configs, default = store_configs(settings)
    assert [(c.name, c.base_url) for c in configs] == [("default", "https://api.bigcommerce.com/stores/abc123/v2")]
    assert default == "default"
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BIGCOMMERCE_ACCESS_TOKEN": SECRET}, "BIGCOMMERCE_STORE_HASH is not set: the hash in `store-<hash>"),
        ({"BIGCOMMERCE_STORE_HASH": "abc"}, "BIGCOMMERCE_ACCESS_TOKEN is not set: the API account's access token"),
        (
            {"BIGCOMMERCE_STORE_HASH": "ABC-1", "BIGCOMMERCE_ACCESS_TOKEN": SECRET},
            "BIGCOMMERCE_STORE_HASH must be the store hash, in lowercase letters and digits (got 'ABC-1')",
        ),
        ({"BIGCOMMERCE_STORE_HASH": "abc", "BIGCOMMERCE_ACCESS_TOKEN": "  "}, "BIGCOMMERCE_ACCESS_TOKEN must not be"),
        (
            {**STORE, "BIGCOMMERCE_TIMEOUT": "soon"},
            "BIGCOMMERCE_TIMEOUT must be a number greater than 0 and at most 600 (got 'soon')",
        ),
        ({**STORE, "BIGCOMMERCE_TIMEOUT": "0"}, "BIGCOMMERCE_TIMEOUT must be a number greater than 0"),
        ({**STORE, "BIGCOMMERCE_MAX_RETRIES": "2.5"}, "BIGCOMMERCE_MAX_RETRIES must be a whole number from 0 to 10"),
        ({**STORE, "BIGCOMMERCE_REDACT_PII": "maybe"}, "BIGCOMMERCE_REDACT_PII must be 1 or 0, true or false"),
        ({**STORE, "BIGCOMMERCE_API_URL": "ftp://x"}, "BIGCOMMERCE_API_URL must be an http(s) URL"),
        ({**STORE, "BIGCOMMERCE_STORES_FILE": "stores.toml"}, "Set either BIGCOMMERCE_STORES_FILE or"),
        (
            {**STORE, "BIGCOMMERCE_REDIS_URL": "http://:pw-SECRET@cache:6379"},
            "BIGCOMMERCE_REDIS_URL must be a redis://, rediss:// or unix:// URL, e.g. redis://127.0.0.1:6379/0: ",
        ),
        (
            {**STORE, "BIGCOMMERCE_LOG_LEVEL": "verbose"},
            "BIGCOMMERCE_LOG_LEVEL must be debug, info, warning or error (got 'verbose')",
        ),
        ({**STORE, "BIGCOMMERCE_LOG_FORMAT": "xml"}, "BIGCOMMERCE_LOG_FORMAT must be text or json (got 'xml')"),
    ],
)
def test_bad_settings_name_the_variable(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    setenv(monkeypatch, env)
    assert expected in settings_error()


def test_the_brief_example(monkeypatch: pytest.MonkeyPatch) -> None:
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_TIMEOUT": "-1"})
    assert settings_error() == (
        "BIGCOMMERCE_TIMEOUT must be a number greater than 0 and at most 600 (got '-1'): "
        "seconds to wait for one answer from BigCommerce."
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("store_hash", "Not A Hash"),
        ("api_url", "api.bigcommerce.com"),
        ("timeout", "601"),
        ("max_retries", "-1"),
        ("retry_budget", "x"),
        ("max_concurrency", "101"),
        ("redact_pii", "2"),
    ],
)
def test_messages_come_from_the_field(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    setenv(monkeypatch, {**STORE, variable(name): value})
    message = settings_error()
    assert message.startswith(f"{variable(name)} must be ")
    assert f"(got {value!r}): " in message
    description = Settings.model_fields[name].description or ""
    assert message.endswith(description[1:])


def test_a_changed_description_changes_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Settings.model_fields["max_concurrency"], "description", "Test-only words.")
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_MAX_CONCURRENCY": "0"})
    assert settings_error().endswith("(got '0'): test-only words.")


@pytest.mark.parametrize("name", ["access_token", "mcp_auth_token"])
def test_secrets_are_never_echoed(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    setenv(monkeypatch, {**STORE, variable(name): " \t "})
    message = settings_error()
    assert message.startswith(f"{variable(name)} must not be blank: ")
    assert "got" not in message


def test_api_url_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIGCOMMERCE_API_URL", "http://127.0.0.1:8787/")
    settings = Settings(store_hash="sandbox", access_token=SecretStr(SECRET))
    assert store_configs(settings)[0][0].base_url == "http://127.0.0.1:8787/stores/sandbox/v2"


def test_variables_are_read_in_any_case_empty_ones_unset_and_arguments_win(monkeypatch: pytest.MonkeyPatch) -> None:
    setenv(monkeypatch, {**STORE, "bigcommerce_timeout": "7", "BIGCOMMERCE_MAX_RETRIES": ""})
    settings = load_settings()
    assert (settings.timeout, settings.max_retries) == (7, 3)
    assert Settings(timeout=9).timeout == 9


def test_unknown_variables_are_left_alone_and_near_misses_named(monkeypatch: pytest.MonkeyPatch) -> None:
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_CLIENT_ID": "another tool's", "BIGCOMMERCE_TIMOUT": "5"})
    assert load_settings().timeout == 30
    assert misspelt_variables(os.environ) == {"BIGCOMMERCE_TIMOUT": "BIGCOMMERCE_TIMEOUT"}
    assert misspelt_variables({"bigcommerce_storehash": "x"}) == {"bigcommerce_storehash": "BIGCOMMERCE_STORE_HASH"}
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Settings(colour="blue")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("colour = 'blue'\n" + MAIN, "the file has unknown keys colour; allowed: default, stores."),
        (
            MAIN + "token = 'x'\n",
            "[stores.main] has unknown keys token; allowed: access_token_env, api_url, store_hash.",
        ),
        (MAIN.replace("main", "Main"), "store name 'Main' must be 1 to 40 lowercase letters, digits, '-' or '_'"),
        (MAIN.replace("'abc'", "'A-B'"), "[stores.main] store_hash must be the store hash, in lowercase letters"),
        (MAIN.replace("'abc'", "[1]"), "[stores.main] store_hash must be a string: the hash in `store-<hash>"),
        (MAIN + "api_url = 'ftp://x'\n", "[stores.main] api_url must be an http(s) URL such as"),
        ("[stores.main]\nstore_hash = 'abc'\n", "[stores.main] needs access_token_env: the environment variable"),
        (
            MAIN.replace("MAIN_TOKEN", "UNSET_VAR_X"),
            "[stores.main] reads its token from UNSET_VAR_X, which is not set.",
        ),
        ("default = 'x'\n" + MAIN, "default = 'x' names no store; stores: main."),
        ("default = 3\n" + MAIN, "default must be a string (got 3): the store used when a call names none."),
        ("[stores]\nmain = 3\n", "[stores.main] must be a table."),
        ("", "the file has no [stores.<name>] tables"),
    ],
)
def test_bad_stores_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str) -> None:
    path = stores_file(tmp_path, monkeypatch, text)
    message = settings_error()
    assert message.startswith(f"BIGCOMMERCE_STORES_FILE ({path}): ")
    assert expected in message


def test_stores_file_with_one_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stores_file(tmp_path, monkeypatch, MAIN.replace("'abc'", "123") + "api_url = 'http://127.0.0.1:8787/'\n")
    (config,), default = store_configs(load_settings())
    assert default == "main"
    assert config.base_url == "http://127.0.0.1:8787/stores/123/v2"
    assert config.access_token.get_secret_value() == SECRET


@pytest.mark.parametrize("name", ["access_token", "mcp_auth_token"])
@pytest.mark.parametrize("pasted", [f" {SECRET}", f"{SECRET}\n", f"\t{SECRET} \r\n"])
def test_a_token_pasted_with_spaces_or_a_line_break_is_stripped(
    monkeypatch: pytest.MonkeyPatch, name: str, pasted: str
) -> None:
    setenv(monkeypatch, {**STORE, variable(name): pasted})
    secret = getattr(load_settings(), name)
    assert secret.get_secret_value() == SECRET


def test_a_token_with_a_space_inside_is_refused_unseen(monkeypatch: pytest.MonkeyPatch) -> None:
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_ACCESS_TOKEN": f"{SECRET} {SECRET}"})
    assert settings_error().startswith("BIGCOMMERCE_ACCESS_TOKEN must not contain spaces or line breaks: ")


@pytest.mark.parametrize("pasted", ["b5gcxd7zk3h1w9yq2mfn0rj4tp8sv6e", "B5GCXD7ZK3H1W9YQ2MFN0RJ4TP8SV6E"])
def test_a_token_pasted_as_the_store_hash_is_not_echoed(monkeypatch: pytest.MonkeyPatch, pasted: str) -> None:
    setenv(monkeypatch, {"BIGCOMMERCE_STORE_HASH": pasted, "BIGCOMMERCE_ACCESS_TOKEN": SECRET})
    message = settings_error()
    assert message.startswith("BIGCOMMERCE_STORE_HASH looks like an access token, not a store hash")
    assert pasted not in message
    assert pasted.lower()[:21] not in message.lower()


def test_a_long_value_is_never_echoed_in_a_stores_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stores_file(tmp_path, monkeypatch, MAIN.replace("'abc'", "'tok-b5gcxd7zk3h1w9yq2mfn0rj4tp8sv6e'"))
    message = settings_error()
    assert "[stores.main] store_hash must be the store hash" in message
    assert "b5gcxd7zk3h1w9yq2mfn0rj4tp8sv6e" not in message


def test_the_example_configs_placeholders_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    example = json.loads((Path(__file__).parent.parent.parent / "claude_desktop_config.example.json").read_text())
    (server,) = example["mcpServers"].values()
    setenv(monkeypatch, server["env"])
    assert settings_error().startswith(
        "BIGCOMMERCE_STORE_HASH must be replaced: it is still the example config's placeholder (got 'your-store-hash')"
    )
    monkeypatch.setenv("BIGCOMMERCE_STORE_HASH", "abc")
    message = settings_error()
    assert message.startswith(
        "BIGCOMMERCE_ACCESS_TOKEN must be replaced: it is still the example config's placeholder:"
    )
    assert server["env"]["BIGCOMMERCE_ACCESS_TOKEN"] not in message


@pytest.mark.parametrize("url", ["http://api.bigcommerce.com", "http://10.0.0.5:8787", "http://proxy.example/x"])
def test_plain_http_to_another_machine_is_refused(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_API_URL": url})
    message = settings_error()
    assert message.startswith("BIGCOMMERCE_API_URL must start with https:// (http:// would send the access token")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8787", "http://localhost:8787/", "http://[::1]:8787", "https://x.io"]
)
def test_plain_http_to_loopback_is_allowed(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_API_URL": url})
    assert load_settings().api_url == url.rstrip("/")


def test_log_flags_take_any_case_and_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from bigcommerce_orders_mcp.cli import build_parser, configure_logging
    from bigcommerce_orders_mcp.logs import LogOptions

    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_LOG_LEVEL": " WARNING ", "BIGCOMMERCE_LOG_FORMAT": "JSON"})
    settings = load_settings()
    assert (settings.log_level, settings.log_format) == ("warning", "json")
    parser = build_parser()
    # The root logger has pytest's handlers, so `configure` leaves logging alone; what was chosen is returned.
    assert configure_logging(parser.parse_args([]), settings) == LogOptions("warning", "json")
    chosen = configure_logging(parser.parse_args(["--log-level", "DEBUG", "--log-format", "Text"]), settings)
    assert chosen == LogOptions("debug", "text")
    assert misspelt_variables({"BIGCOMMERCE_LOGLEVEL": "debug"}) == {"BIGCOMMERCE_LOGLEVEL": "BIGCOMMERCE_LOG_LEVEL"}


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_stores_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BIGCOMMERCE_STORE_HASH", raising=False)
    monkeypatch.delenv("BIGCOMMERCE_ACCESS_TOKEN", raising=False)
    stores_file = write(
        tmp_path / "stores.toml",
        'default = "main"\n[stores.main]\nstore_hash = "store-abc123"\naccess_token_env = "MAIN_TOKEN"\n'
        '[stores.outlet]\nstore_hash = "xyz789"\naccess_token_env = "OUTLET_TOKEN"\napi_url = "http://127.0.0.1:8787"\n',
    )
    monkeypatch.setenv("BIGCOMMERCE_STORES_FILE", str(stores_file))
    monkeypatch.setenv("MAIN_TOKEN", "secret-main")
    monkeypatch.setenv("OUTLET_TOKEN", "secret-outlet")
    configs, default = store_configs(load_settings())
    assert default == "main"
    assert [(c.name, c.base_url) for c in configs] == [
        ("main", "https://api.bigcommerce.com/stores/abc123/v2"),
        ("outlet", "http://127.0.0.1:8787/stores/xyz789/v2"),
    ]
    assert configs[1].access_token.get_secret_value() == "secret-outlet"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stores = 3", "has no [stores.<name>] tables"),
        ("[stores.main]\naccess_token_env = 'T'", "[stores.main] needs store_hash"),
        ("[stores.main]\nstore_hash = 'abc'", "needs access_token_env"),
        ("[stores.main]\nstore_hash = 'abc'\naccess_token_env = 'UNSET_VAR_X'", "reads its token from UNSET_VAR_X"),
        ("[stores.main]\nstore_hash = 'A-B'\naccess_token_env = 'T'", "store_hash must be the store hash"),
        (
            "[stores.main]\nstore_hash = 'abc'\naccess_token = 'inline'",
            "unknown keys access_token; allowed: access_token_env, api_url, store_hash",
        ),
        ("[stores.Main]\nstore_hash = 'abc'\naccess_token_env = 'T'", "store name 'Main'"),
        ("default = 'x'\n[stores.main]\nstore_hash = 'abc'\naccess_token_env = 'T'", "default = 'x' names no store"),
        ("[stores", "is not valid TOML"),
    ],
)
def test_bad_stores_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str) -> None:
    monkeypatch.delenv("BIGCOMMERCE_STORE_HASH", raising=False)
    monkeypatch.delenv("BIGCOMMERCE_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("T", "secret")
    monkeypatch.setenv("BIGCOMMERCE_STORES_FILE", str(write(tmp_path / "s.toml", text)))
    with pytest.raises(SettingsError) as caught:
        store_configs(load_settings())
    assert expected in str(caught.value)
    assert "secret" not in str(caught.value)


def test_stores_file_and_single_store_settings_conflict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIGCOMMERCE_STORES_FILE", str(write(tmp_path / "s.toml", "")))
    monkeypatch.setenv("BIGCOMMERCE_STORE_HASH", "abc")
    with pytest.raises(SettingsError, match="not both"):
        load_settings()


# Every URL setting is checked whole at start, so that none passes it and then fails every call.
@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        ("BIGCOMMERCE_API_URL", "https://api.example.com:70000", "must have a port from 1 to 65535"),
        ("BIGCOMMERCE_API_URL", "https://api.example.com:0", "must have a port from 1 to 65535"),
        ("BIGCOMMERCE_API_URL", "https://api.example.com:8o80/x", "must have a port from 1 to 65535"),
        ("BIGCOMMERCE_API_URL", "https://api.example.com/" + "p" * 3000, "must be at most 2048 characters"),
        ("BIGCOMMERCE_API_URL", "https://" + "a" * 64 + ".example.com", "must name a valid host"),
        ("BIGCOMMERCE_API_URL", "https://a..example.com", "must name a valid host"),
        ("BIGCOMMERCE_API_URL", "https://[fe80::zz]:443", "must name a valid host"),
        ("BIGCOMMERCE_API_URL", "https://:443", "must name a valid host"),
        ("BIGCOMMERCE_API_URL", "https://api.exämple.com", "must be printable ASCII"),
        ("BIGCOMMERCE_REDIS_URL", "redis://127.0.0.1:65536/0", "must have a port from 1 to 65535"),
        ("BIGCOMMERCE_REDIS_URL", "redis://127.0.0.1:six/0", "must have a port from 1 to 65535"),
        ("BIGCOMMERCE_REDIS_URL", "redis://" + "r" * 2100, "must be at most 2048 characters"),
        ("BIGCOMMERCE_REDIS_URL", "rediss:///0", "must name a valid host"),
        ("BIGCOMMERCE_REDIS_URL", "unix://", "must name the socket's path"),
    ],
)
def test_a_url_setting_is_checked_whole_at_start(
    monkeypatch: pytest.MonkeyPatch, name: str, url: str, expected: str
) -> None:
    setenv(monkeypatch, {**STORE, name: url})
    message = settings_error()
    assert message.startswith(f"{name} {expected}")
    assert len(message) < 400


def test_a_redis_url_whose_options_redis_would_refuse_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from bigcommerce_orders_mcp.stores import build_stores

    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_REDIS_URL": "redis://:pw-SECRET-77@127.0.0.1:6379/0?socket_timeout=x"})
    with pytest.raises(SettingsError) as caught:
        build_stores(load_settings())
    assert str(caught.value) == (
        "BIGCOMMERCE_REDIS_URL cannot be used: Invalid value for 'socket_timeout' in connection URL."
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://admin:hunter2-pass@api.example.com",
        "https://hunter2-pass@api.example.com:99",
        "https://admin:hunter2-pass@api.example.com:70000",  # refused for its password first, not echoed for its port
        "https://admin:hunter2-pass@api.example.com/ with a space",
    ],
)
def test_an_api_url_with_a_password_is_refused_without_showing_it(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_API_URL": url})
    message = settings_error()
    assert message.startswith("BIGCOMMERCE_API_URL must")
    assert "hunter2" not in message
    assert "admin" not in message


def test_a_stores_file_api_url_is_checked_like_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stores_file(tmp_path, monkeypatch, MAIN + "api_url = 'https://ops:hunter2-pass@api.example.com:65536'\n")
    message = settings_error()
    assert message.startswith("BIGCOMMERCE_STORES_FILE (")
    assert "[stores.main] api_url must not carry a user name or password" in message
    assert "hunter2" not in message
    stores_file(tmp_path, monkeypatch, MAIN + "api_url = 'https://api.example.com:123456'\n")
    assert "[stores.main] api_url must have a port from 1 to 65535" in settings_error()


def test_the_largest_and_smallest_ports_and_an_ipv6_loopback_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    for url in ("https://api.example.com:65535", "https://api.example.com:1/x", "http://[::1]:8787"):
        setenv(monkeypatch, {**STORE, "BIGCOMMERCE_API_URL": url})
        assert load_settings().api_url == url


def _load_into(outcome: list[BaseException | None]) -> None:
    """Load the settings, and put what came out (None when nothing was raised) in `outcome`."""
    try:
        store_configs(load_settings())
    except BaseException as exc:
        outcome.append(exc)
    else:
        outcome.append(None)


def test_a_stores_file_that_is_no_regular_file_is_refused_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    fifo = tmp_path / "stores.fifo"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "a FIFO"), (Path("/dev/urandom"), "a device"), (tmp_path, "a directory")):
        monkeypatch.setenv("BIGCOMMERCE_STORES_FILE", str(path))
        outcome: list[BaseException | None] = []
        reader = threading.Thread(target=_load_into, args=(outcome,), daemon=True)
        reader.start()
        reader.join(5)
        if reader.is_alive() and path == fifo:  # free the reader a blocking open() left waiting for a writer
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        assert outcome, f"{kind} as the stores file was still being read after 5 s"
        assert isinstance(outcome[0], SettingsError), f"{kind}: {outcome[0]!r}"
        assert "is not a regular file" in str(outcome[0])


def test_a_stores_file_past_a_mebibyte_is_refused_without_reading_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = stores_file(tmp_path, monkeypatch, MAIN + ("# padding\n" * 120_000))
    assert path.stat().st_size > 1024 * 1024
    assert "is larger than 1024 KiB" in settings_error()


@pytest.mark.parametrize(
    "nested",
    [
        "x = " + "{a = " * 5000 + "1" + "}" * 5000,  # inline tables
        "x = " + "[" * 3000 + "]" * 3000,  # arrays
        "x = " + "[{a = " * 40 + "1" + "}]" * 40,  # both, past the bound but far from the recursion limit
    ],
)
def test_a_stores_file_nested_deep_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nested: str) -> None:
    stores_file(tmp_path, monkeypatch, MAIN + nested + "\n")
    assert "is nested more than 32 levels deep" in settings_error()


def test_a_stores_file_that_is_not_utf8_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = stores_file(tmp_path, monkeypatch, MAIN)
    path.write_bytes(MAIN.encode().replace(b"abc", b"ab\xff\xfe"))
    message = settings_error()
    assert "is not UTF-8 text" in message
    assert message.isprintable()


# What people (and attackers) put in settings: each value in each setting gives a usable store or one short,
# printable line that shows no secret.
_HOSTILE = [
    "9" * 100_000,
    "x" * 70_000,
    "https://" + "a" * 70_000 + ".com",
    "\x1b]0;pwned\x07\x1b[2J",
    "line\nbreak",
    "\udcff\udcfe",  # bytes that are not UTF-8, as Python reads them from the environment
    "-1",
    "nan",
    "-inf",
    "1e999",
    "0x10",
    "https://ops:hunter2-pass@api.example.com:70000",
    "redis://:hunter2-pass@127.0.0.1:70000",
    "unix:///\udcff",
]


@pytest.mark.parametrize("field", list(Settings.model_fields))
def test_every_setting_takes_hostile_values_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    import httpx

    from bigcommerce_orders_mcp.stores import build_stores

    for value in _HOSTILE:
        env = {"BIGCOMMERCE_STORE_HASH": "abc", "BIGCOMMERCE_ACCESS_TOKEN": SECRET}
        if field == "stores_file":
            env = {"MAIN_TOKEN": SECRET}
        setenv(monkeypatch, {**env, variable(field): value})
        try:
            stores = build_stores(load_settings())
        except SettingsError as exc:
            message = str(exc)
            assert message.isprintable(), (field, value[:40], message[:200])
            assert len(message) < 700, (field, value[:40], len(message))
            assert SECRET not in message
            # A stores file's path is the user's, shown as given; every other value with a password is not.
            assert "hunter2" not in message or field == "stores_file"
        else:  # accepted: then it works when a call is made
            for client in stores.clients.values():
                url = httpx.URL(client.base_url)
                url.host.encode("idna")
        for name in {*env, variable(field)}:
            monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    "line",
    [
        'access_token_env = "A\\u0000B"',
        'access_token_env = "\\u001b[2J' + "T" * 300 + '"',
    ],
)
def test_a_stores_file_value_with_control_characters_is_one_printable_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str
) -> None:
    stores_file(tmp_path, monkeypatch, "[stores.main]\nstore_hash = 'abc'\n" + line + "\n")
    message = settings_error()
    assert message.isprintable()
    assert "[stores.main] access_token_env must be the name of an environment variable" in message


def test_a_stores_file_of_many_bad_names_is_one_short_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = "".join(f"key{number} = 1\n" for number in range(5000))
    stores_file(tmp_path, monkeypatch, keys + MAIN)
    message = settings_error()
    assert "and 4,990 more" in message
    assert len(message) < 400
    stores_file(tmp_path, monkeypatch, f"[stores.{'N' * 5000}]\nstore_hash = 'abc'\naccess_token_env = 'MAIN_TOKEN'\n")
    assert len(settings_error()) < 400
    monkeypatch.setenv("BIGCOMMERCE_STORES_FILE", str(tmp_path / ("\x1b[2J" + "d" * 100_000)))
    message = settings_error()
    assert message.isprintable()
    assert len(message) < 400


OAUTH = {
    "BIGCOMMERCE_MCP_OAUTH_ISSUER": "https://login.example.com",
    "BIGCOMMERCE_MCP_RESOURCE_URL": "https://mcp.example.com/mcp",
}


def test_oauth_settings_are_read_with_scopes_split_on_spaces_or_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    setenv(monkeypatch, {**STORE, **OAUTH, "BIGCOMMERCE_MCP_OAUTH_SCOPES": " orders:read, profile  orders:read"})
    settings = load_settings()
    assert settings.oauth
    assert settings.mcp_oauth_scopes == "orders:read profile"
    assert settings.mcp_oauth_issuer == "https://login.example.com"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {"BIGCOMMERCE_MCP_AUTH_TOKEN": SECRET},
            "Set either BIGCOMMERCE_MCP_AUTH_TOKEN (a static bearer token) or OAuth (BIGCOMMERCE_MCP_OAUTH_ISSUER), "
            "not both.",
        ),
        (
            {"BIGCOMMERCE_MCP_RESOURCE_URL": ""},
            "OAuth needs BIGCOMMERCE_MCP_RESOURCE_URL as well as BIGCOMMERCE_MCP_OAUTH_ISSUER.",
        ),
        (
            {"BIGCOMMERCE_MCP_OAUTH_ISSUER": "http://login.example.com"},
            "BIGCOMMERCE_MCP_OAUTH_ISSUER must start with https://",
        ),
        ({"BIGCOMMERCE_MCP_OAUTH_SCOPES": 'a"b'}, "BIGCOMMERCE_MCP_OAUTH_SCOPES must be up to 20 scopes"),
        ({"BIGCOMMERCE_MCP_OAUTH_SCOPES": " , "}, "BIGCOMMERCE_MCP_OAUTH_SCOPES must name at least one scope"),
        ({"BIGCOMMERCE_MCP_OAUTH_JWKS_URL": "https://u:p@keys.example.com"}, "BIGCOMMERCE_MCP_OAUTH_JWKS_URL must not"),
    ],
)
def test_oauth_settings_are_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, extra: dict[str, str], expected: str
) -> None:
    setenv(monkeypatch, {**STORE, **OAUTH, **extra})
    assert settings_error().startswith(expected)


def test_a_loopback_issuer_may_use_plain_http(monkeypatch: pytest.MonkeyPatch) -> None:
    setenv(monkeypatch, {**STORE, **OAUTH, "BIGCOMMERCE_MCP_OAUTH_ISSUER": "http://127.0.0.1:4593/api/oidc"})
    assert load_settings().mcp_oauth_issuer == "http://127.0.0.1:4593/api/oidc"
