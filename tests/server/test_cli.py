"""The bigcommerce-orders-mcp command: flags, exit codes, call (with --all), check."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bigcommerce_orders_mcp import __version__
from bigcommerce_orders_mcp.cli import NO_STORE, guarded_locally, main
from bigcommerce_orders_mcp.commands import PROG
from bigcommerce_orders_mcp.sandbox import build_store
from tests.processes import SCRIPT, base_env
from tests.server.conftest import MAIN, SECRET, STORE, setenv, stores_file

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]


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
    assert "orders readable (54 orders)" in out


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
    assert "orders readable (54 orders)" in out


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


def test_call_all_pages_through_list_orders(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["call", "list_orders", '{"limit": 15}', "--demo", "--all"])
    out, err = capsys.readouterr()
    assert exited.value.code == 0, err
    data = json.loads(out)
    orders = len(build_store().orders)
    assert data["count"] == len(data["orders"]) == len({row["id"] for row in data["orders"]}) == orders
    assert data["pages"] == -(-orders // 15)
    assert "page 1: 15 orders so far, fetching page 2" in err


# The MCP bearer token and the Redis password, echoed by an upstream: `check` and `call` show neither, though
# neither command serves over HTTP (each secret registered whenever it is set).
CLI_BEARER = "cli-BEARER-5d2f-secret"
CLI_REDIS_PASSWORD = "cli-REDIS-0b7a-secret"


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["call", "get_order", '{"order_id": 219}'],
        ["call", "get_order", '{"order_id": 218, "detail": "full"}'],
        ["call", "list_order_messages", '{"order_id": 218}', "--all"],
    ],
)
def test_check_and_call_show_no_secret_an_upstream_echoes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    import respx

    from tests.conftest import fixture

    setenv(
        monkeypatch,
        {
            **STORE,
            "BIGCOMMERCE_MCP_AUTH_TOKEN": CLI_BEARER,
            # Nothing listens there: the quota is paced in this process, as when Redis is down.
            "BIGCOMMERCE_REDIS_URL": f"redis://:{CLI_REDIS_PASSWORD}@127.0.0.1:9/0",
            "BIGCOMMERCE_RETRY_BUDGET": "0",
        },
    )
    both = f"{CLI_BEARER} and {CLI_REDIS_PASSWORD}"
    with respx.mock(base_url="https://api.bigcommerce.com/stores/abc/v2", assert_all_called=False) as api:
        api.get("/orders/count").respond(403, json={"status": 403, "title": f"no scope for {both}"})
        api.get("/orders/219").respond(400, json=[{"status": 400, "message": f"bad header {both}"}])
        api.get("/orders/218").respond(
            json={**fixture("get_order.200.example_Response.json"), "customer_message": both}
        )
        messages = [
            {**message, "order_id": 218, "message": both} for message in fixture("order_messages.200.example.json")
        ]
        api.get("/orders/218/messages").respond(json=messages)
        code, out, err = run(capsys, *command)
    assert code in (0, 1)
    for secret in (CLI_BEARER, CLI_REDIS_PASSWORD):
        assert secret not in out + err
    assert "[secret]" in out + err


@pytest.mark.parametrize(
    "args",
    [
        ["--transport", "streamable-http", "--port", "65536", "--demo"],
        ["--transport", "sse", "--port", "-2", "--demo"],
        ["sandbox", "--port", "100000"],
        ["sandbox", "--quota", "-5"],
    ],
)
def test_a_port_or_quota_out_of_range_is_one_line(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith(f"{PROG}")
    assert "invalid" in err.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BIGCOMMERCE_API_URL": "https://api.example.com:65536"}, "BIGCOMMERCE_API_URL must have a port"),
        ({"BIGCOMMERCE_API_URL": "https://root:s3cr3t-pw@api.example.com"}, "BIGCOMMERCE_API_URL must not carry"),
        ({"BIGCOMMERCE_API_URL": "https://api.example.com/" + "v" * 9000}, "BIGCOMMERCE_API_URL must be at most"),
        ({"BIGCOMMERCE_REDIS_URL": "redis://:s3cr3t-pw@127.0.0.1:88888/0"}, "BIGCOMMERCE_REDIS_URL must have a port"),
    ],
)
def test_check_refuses_a_bad_url_in_one_line_before_any_call(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    setenv(monkeypatch, {**STORE, **env})
    code, out, err = run(capsys, "check")
    assert (code, out) == (2, "")
    assert err.startswith(f"{PROG}: {expected}")
    assert err.count("\n") == 1
    assert "s3cr3t" not in err


def test_a_settings_bug_is_one_line_that_quotes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bigcommerce_orders_mcp import cli

    def broken(**flags: object) -> None:
        raise RecursionError(f"maximum recursion depth exceeded near {SECRET}")

    setenv(monkeypatch, STORE)
    monkeypatch.setattr(cli, "load_settings", broken)
    code, out, err = run(capsys, "check")
    assert (code, out) == (2, "")
    assert err == f"{PROG}: the settings could not be read (RecursionError); this is a bug, please report it.\n"


def test_a_misspelt_variable_with_a_control_character_is_warned_of_escaped(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    setenv(monkeypatch, {"BIGCOMMERCE_TIMEOUTS\x07": "5"})
    code, _, err = run(capsys, "check", "--demo")
    assert code == 0
    assert "\x07" not in err
    assert "no setting is named 'BIGCOMMERCE_TIMEOUTS\\x07'; did you mean BIGCOMMERCE_TIMEOUT?" in err


@pytest.mark.parametrize(
    ("host", "guarded"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", False),
     ("127.1.2.3", False), ("0.0.0.0", False), ("192.168.1.5", False), ("::", False), ("example.com", False)],
)  # fmt: skip
def test_only_addresses_the_sdk_guards_count_as_local(host: str, guarded: bool) -> None:
    assert guarded_locally(host) is guarded
