"""Settings from the environment and the stores file, and what the command says when they are wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from bigcommerce_orders_mcp import __version__
from bigcommerce_orders_mcp.cli import NO_STORE, PROG, main
from bigcommerce_orders_mcp.settings import (
    Settings,
    SettingsError,
    load_settings,
    misspelt_variables,
    store_configs,
    variable,
)
from tests.processes import SCRIPT, base_env

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


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`main(args)` in this process: its exit code, stdout and stderr."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    assert isinstance(code, int)
    return code, out, err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version")[:2] == (0, f"bigcommerce-orders-mcp {__version__}\n")
    code, help_text, _ = run(capsys, "--help")
    assert code == 0
    for flag in ("--transport", "--host", "--port", "--demo", "stdio,sse,streamable-http", "sandbox"):
        assert flag in help_text
    assert "BIGCOMMERCE_TIMEOUT (default 30)" in " ".join(help_text.split())


def test_no_credentials_names_both_ways_forward(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys) == (2, "", f"{PROG}: {NO_STORE}\n")
    assert "BIGCOMMERCE_STORE_HASH" in NO_STORE
    assert "--demo" in NO_STORE


def test_the_console_script_stops_before_the_heavy_imports() -> None:
    """A real process: the installed script, exit code 2, one line on stderr, nothing on stdout, no traceback."""
    result = subprocess.run(
        [SCRIPT],
        env=base_env(),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"{PROG}: {NO_STORE}\n")
    probe = "import sys\nfrom server.cli import main\ntry:\n    main(['check'])\nexcept SystemExit:\n    pass\n"
    probe += "print(sorted({'httpx', 'mcp'} & set(sys.modules)))"
    env = base_env(**STORE, BIGCOMMERCE_TIMEOUT="x")
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False)
    assert result.stdout == "[]\n", result.stderr
    assert result.stderr.count("\n") == 1
    assert "BIGCOMMERCE_TIMEOUT" in result.stderr


def test_malformed_setting_stops_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_TIMEOUT": "x"})
    code, out, err = run(capsys)
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"{PROG}: BIGCOMMERCE_TIMEOUT must be")
    assert SECRET not in err + out


@pytest.mark.parametrize("demo", [[], ["--demo"]])
def test_stores_file_and_store_hash_are_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, demo: list[str]
) -> None:
    stores_file(tmp_path, monkeypatch, MAIN)
    setenv(monkeypatch, STORE)
    code, out, err = run(capsys, "check", *demo)
    assert code == 2
    assert "Set either BIGCOMMERCE_STORES_FILE or BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN, not both." in err
    assert SECRET not in err + out


def test_stores_file_token_variable_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stores_file(tmp_path, monkeypatch, MAIN)
    monkeypatch.delenv("MAIN_TOKEN")
    code, _, err = run(capsys, "check")
    assert code == 2
    assert err.endswith("[stores.main] reads its token from MAIN_TOKEN, which is not set.\n")


def test_a_misspelt_variable_is_warned_about(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    setenv(monkeypatch, {"BIGCOMMERCE_TIMOUT": "5", "BIGCOMMERCE_CLIENT_ID": "another tool's"})
    code, _, err = run(capsys, "check", "--demo")
    assert code == 0
    assert err == f"{PROG}: warning: no setting is named BIGCOMMERCE_TIMOUT; did you mean BIGCOMMERCE_TIMEOUT?\n"


def test_unknown_transport_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--transport", "websocket", "--demo")
    assert code == 2
    assert "invalid choice: 'websocket'" in err


def test_call_prints_one_tool_result(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "call", "get_order", '{"order_id": 218}', "--demo")
    assert code == 0, err
    assert json.loads(out)["status"] == "Awaiting Payment"
    assert "\n" not in out.strip()


def test_call_all_pages_with_progress_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "call", "list_order_messages", '{"order_id": 150}', "--demo", "--all")
    assert code == 0, err
    data = json.loads(out)
    assert data["count"] == len(data["messages"]) == 64
    assert data["pages"] == 2
    assert "page 1: 50 messages so far" in err


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["call", "delete_order", "{}"], 2, "unknown tool 'delete_order'"),
        (["call", "get_order", "218"], 2, "arguments must be a JSON object"),
        (["call", "get_order", "{oops"], 2, "arguments must be a JSON object"),
        (["call", "get_order", '{"order_id": 0}'], 1, "'order_id' must be greater than or equal to 1"),
        (["call", "get_order", '{"order_id": 99999}'], 1, "Order 99999 was not found"),
        (
            ["call", "get_order", '{"order_id": 1}', "--all"],
            2,
            "--all pages through list_order_messages, list_orders, list_order_shipments only",
        ),
    ],
)
def test_call_errors(capsys: pytest.CaptureFixture[str], args: list[str], code: int, expected: str) -> None:
    exit_code, out, err = run(capsys, *args, "--demo")
    assert exit_code == code
    assert expected in err
    assert out == ""


def test_check_against_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--demo")
    assert code == 0
    assert "OK" in out
    assert "orders readable (48 orders)" in out


# What Claude Desktop's bundle sends: every field it asks for, an optional one left blank as "".
@pytest.mark.parametrize(
    "env",
    [
        {"BIGCOMMERCE_DEMO": "true", "BIGCOMMERCE_STORE_HASH": "", "BIGCOMMERCE_ACCESS_TOKEN": ""},
        {"BIGCOMMERCE_DEMO": "1", **STORE, "BIGCOMMERCE_API_URL": "http://127.0.0.1:9"},
    ],
)
def test_the_demo_setting_is_the_demo_flag(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    setenv(monkeypatch, {**env, "BIGCOMMERCE_REDACT_PII": "false"})
    code, out, err = run(capsys, "check")
    assert (code, err) == (0, "")
    assert "orders readable (48 orders)" in out


def test_demo_off_and_blank_settings_are_unset(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    setenv(monkeypatch, {"BIGCOMMERCE_DEMO": "false", "BIGCOMMERCE_STORE_HASH": "", "BIGCOMMERCE_ACCESS_TOKEN": ""})
    code, _, err = run(capsys, "check")
    assert code == 2
    assert NO_STORE in err


def test_check_says_what_is_wrong(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_API_URL": "http://127.0.0.1:9", "BIGCOMMERCE_RETRY_BUDGET": "0"})
    code, out, err = run(capsys, "check")
    assert code == 1
    assert "FAIL http://127.0.0.1:9/stores/abc/v2: Could not reach BigCommerce" in out
    assert SECRET not in out + err


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
    example = json.loads((Path(__file__).parent.parent / "claude_desktop_config.example.json").read_text())
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


@pytest.mark.parametrize(
    "args",
    [["--port", "9000"], ["--host", "0.0.0.0"], ["--transport", "stdio", "--port", "1"], ["--port", "9", "check"]],
)
def test_listen_flags_without_an_http_transport_are_refused(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = run(capsys, *args, "--demo")
    assert (code, out) == (2, "")
    assert "only apply to --transport sse or streamable-http" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("args", [["--stateless"], ["--transport", "sse", "--stateless"], ["--stateless", "check"]])
def test_stateless_without_streamable_http_is_refused(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = run(capsys, *args, "--demo")
    assert (code, out) == (2, "")
    assert "--stateless only applies to --transport streamable-http" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--log-level", "verbose"],
            "argument --log-level: invalid choice: 'verbose' (choose from 'debug', 'info', 'warning', 'error')",
        ),
        (["--log-format", "xml"], "argument --log-format: invalid choice: 'xml' (choose from 'text', 'json')"),
    ],
)
def test_a_bad_log_flag_names_what_is_allowed(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, out, err = run(capsys, *args, "check", "--demo")
    assert (code, out) == (2, "")
    assert expected in err


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


def test_call_logs_json_on_stderr_and_only_the_result_on_stdout() -> None:
    """A real process: `--log-format json` leaves stdout to the result; every stderr line is a JSON object."""
    argv = [SCRIPT, "--log-format", "json", "call", "list_orders", '{"email": "janedoe@example.com"}', "--demo"]
    env = base_env(BIGCOMMERCE_REDACT_PII="1")
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["orders"]
    entries = [json.loads(line) for line in result.stderr.splitlines()]
    (record,) = [entry for entry in entries if entry["logger"] == "bigcommerce_orders_mcp.calls"]
    assert record["tool"] == "list_orders"
    assert (record["outcome"], record["upstream_status"], record["arguments"]) == ("ok", [200], ["email"])
    assert "janedoe@example.com" not in result.stderr
