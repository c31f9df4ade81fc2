"""Settings from the environment and the stores file, and what the command says when they are wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from server import __version__
from server.settings import Settings, SettingsError, load_settings, store_configs, variable

SECRET = "tok-SECRET-cli-77"
STORE = {"BIGCOMMERCE_STORE_HASH": "abc", "BIGCOMMERCE_ACCESS_TOKEN": SECRET}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("BIGCOMMERCE_"):
            monkeypatch.delenv(name)


def setenv(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)


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


def test_unknown_variables_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_CLIENT_ID": "another tool's", "BIGCOMMERCE_TIMOUT": "5"})
    assert load_settings().timeout == 30
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Settings(colour="blue")  # type: ignore[call-arg]


def stores_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "stores.toml"
    path.write_text(text)
    monkeypatch.setenv("BIGCOMMERCE_STORES_FILE", str(path))
    monkeypatch.setenv("MAIN_TOKEN", SECRET)
    return path


MAIN = "[stores.main]\nstore_hash = 'abc'\naccess_token_env = 'MAIN_TOKEN'\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("colour = 'blue'\n" + MAIN, "the file has unknown keys ['colour']; allowed: default, stores."),
        (
            MAIN + "token = 'x'\n",
            "[stores.main] has unknown keys ['token']; allowed: access_token_env, api_url, store_hash.",
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


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BIGCOMMERCE_")}
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_version_and_help() -> None:
    assert run_cli("--version").stdout.strip() == f"bigcommerce-orders-mcp {__version__}"
    help_text = run_cli("--help").stdout
    for flag in ("--transport", "--host", "--port", "--demo", "stdio,sse,streamable-http", "sandbox"):
        assert flag in help_text


def test_no_credentials_names_both_ways_forward() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert result.stdout == ""
    assert "BIGCOMMERCE_STORE_HASH" in result.stderr
    assert "--demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_setting_stops_with_one_line() -> None:
    result = run_cli(
        env={"BIGCOMMERCE_STORE_HASH": "abc", "BIGCOMMERCE_ACCESS_TOKEN": SECRET, "BIGCOMMERCE_TIMEOUT": "x"}
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "BIGCOMMERCE_TIMEOUT" in result.stderr
    assert SECRET not in result.stderr + result.stdout


def test_unknown_transport_is_refused() -> None:
    result = run_cli("--transport", "websocket", "--demo")
    assert result.returncode == 2
    assert "invalid choice: 'websocket'" in result.stderr


def test_call_prints_one_tool_result() -> None:
    result = run_cli("call", "get_order", '{"order_id": 218}', "--demo")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "Awaiting Payment"
    assert "\n" not in result.stdout.strip()


def test_call_all_pages_with_progress_on_stderr() -> None:
    result = run_cli("call", "list_order_messages", '{"order_id": 150}', "--demo", "--all")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["count"] == len(data["messages"]) == 64
    assert data["pages"] == 2
    assert "page 1: 50 messages so far" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["call", "delete_order", "{}"], 2, "unknown tool 'delete_order'"),
        (["call", "get_order", "218"], 2, "arguments must be a JSON object"),
        (["call", "get_order", "{oops"], 2, "arguments must be a JSON object"),
        (["call", "get_order", '{"order_id": 0}'], 1, "'order_id' must be greater than or equal to 1"),
        (["call", "get_order", '{"order_id": 99999}'], 1, "Order 99999 was not found"),
        (["call", "get_order", '{"order_id": 1}', "--all"], 2, "--all pages through list_order_messages only"),
    ],
)
def test_call_errors(args: list[str], code: int, expected: str) -> None:
    result = run_cli(*args, "--demo")
    assert result.returncode == code
    assert expected in result.stderr
    assert result.stdout == ""


def test_check_against_the_sandbox() -> None:
    result = run_cli("check", "--demo")
    assert result.returncode == 0
    assert "OK" in result.stdout
    assert "orders readable (40 orders)" in result.stdout


def test_check_says_what_is_wrong() -> None:
    env = {
        "BIGCOMMERCE_STORE_HASH": "abc",
        "BIGCOMMERCE_ACCESS_TOKEN": SECRET,
        "BIGCOMMERCE_API_URL": "http://127.0.0.1:9",
        "BIGCOMMERCE_RETRY_BUDGET": "0",
    }
    result = run_cli("check", env=env)
    assert result.returncode == 1
    assert "FAIL http://127.0.0.1:9/stores/abc/v2: Could not reach BigCommerce" in result.stdout
    assert SECRET not in result.stdout + result.stderr
