"""Settings from the environment and what the command says when they are wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from pydantic import SecretStr

from server import __version__
from server.settings import Settings, SettingsError, load_settings

SECRET = "tok-SECRET-cli-77"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("BIGCOMMERCE_"):
            monkeypatch.delenv(name)


def test_settings_defaults_and_store_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIGCOMMERCE_STORE_HASH", " store-abc123 ")
    monkeypatch.setenv("BIGCOMMERCE_ACCESS_TOKEN", SECRET)
    settings = load_settings()
    assert settings.store_hash == "abc123"
    assert settings.base_url == "https://api.bigcommerce.com/stores/abc123/v2"
    assert settings.timeout == 30
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BIGCOMMERCE_ACCESS_TOKEN": SECRET}, "BIGCOMMERCE_STORE_HASH is not set"),
        ({"BIGCOMMERCE_STORE_HASH": "abc"}, "BIGCOMMERCE_ACCESS_TOKEN is not set"),
        ({"BIGCOMMERCE_STORE_HASH": "ABC-1", "BIGCOMMERCE_ACCESS_TOKEN": SECRET}, "BIGCOMMERCE_STORE_HASH must be"),
        ({"BIGCOMMERCE_STORE_HASH": "abc", "BIGCOMMERCE_ACCESS_TOKEN": "  "}, "BIGCOMMERCE_ACCESS_TOKEN must not"),
        (
            {"BIGCOMMERCE_STORE_HASH": "abc", "BIGCOMMERCE_ACCESS_TOKEN": SECRET, "BIGCOMMERCE_TIMEOUT": "soon"},
            "BIGCOMMERCE_TIMEOUT",
        ),
        (
            {"BIGCOMMERCE_STORE_HASH": "abc", "BIGCOMMERCE_ACCESS_TOKEN": SECRET, "BIGCOMMERCE_TIMEOUT": "0"},
            "BIGCOMMERCE_TIMEOUT",
        ),
        (
            {"BIGCOMMERCE_STORE_HASH": "abc", "BIGCOMMERCE_ACCESS_TOKEN": SECRET, "BIGCOMMERCE_API_URL": "ftp://x"},
            "BIGCOMMERCE_API_URL must be an http(s) URL",
        ),
    ],
)
def test_bad_settings_name_the_variable(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert expected in str(caught.value)
    assert SECRET not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_api_url_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIGCOMMERCE_API_URL", "http://127.0.0.1:8787/")
    settings = Settings(store_hash="sandbox", access_token=SecretStr(SECRET))
    assert settings.base_url == "http://127.0.0.1:8787/stores/sandbox/v2"


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
