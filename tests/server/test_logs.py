"""Logs: the JSON and text formatters, what `configure` sets, and the one record each tool call leaves."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import respx
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import CALLS, BigCommerceClient, register
from bigcommerce_orders_mcp.logs import JsonFormatter, LogOptions, TextFormatter, announce, configure
from tests.conftest import API, TOKEN, FakeTime, fixture

pytestmark = pytest.mark.anyio

# Shaped like a real token, with a character JSON escapes: a line scrubbed after encoding would miss it.
QUOTED_SECRET = 'mcp-bearer-"quoted"-51e0c9'
EMAIL = "janedoe@example.com"
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
LOGGERS = ("", CALLS, "httpx", "httpcore", "mcp.server.sse", "mcp.server.streamable_http")


def record(
    message: str,
    *args: Any,
    name: str = "bigcommerce_orders_mcp",
    exc: BaseException | None = None,
    **extra: Any,
) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.getLogger(name).makeRecord(name, logging.INFO, __file__, 1, message, args, exc_info, extra=extra)


def as_json(made: logging.LogRecord, *, redact_pii: bool = False) -> dict[str, Any]:
    line = JsonFormatter(redact_pii=redact_pii).format(made)
    assert "\n" not in line
    parsed: dict[str, Any] = json.loads(line)
    return parsed


def raised(text: str) -> BaseException:
    try:
        raise ValueError(text)
    except ValueError as exc:
        return exc


def test_a_json_line_has_the_fields_and_the_extras() -> None:
    entry = as_json(
        record("get_order %s", "ok", tool="get_order", store="main", duration_ms=3.2, upstream_status=[200])
    )
    assert TIME.fullmatch(entry.pop("time"))
    assert entry == {
        "level": "INFO",
        "logger": "bigcommerce_orders_mcp",
        "message": "get_order ok",
        "tool": "get_order",
        "store": "main",
        "duration_ms": 3.2,
        "upstream_status": [200],
    }


def test_the_time_is_utc_with_milliseconds() -> None:
    made = record("x")
    made.created = 1_700_000_000.5
    assert as_json(made)["time"] == "2023-11-14T22:13:20.500Z"


def test_tokens_are_scrubbed_from_message_args_extras_and_exception() -> None:
    register(TOKEN)
    register(QUOTED_SECRET)
    made = record(
        f"sent {TOKEN}",
        exc=raised(f"echoed {QUOTED_SECRET}"),
        header=f"Bearer {QUOTED_SECRET}",
        nested={"list": [TOKEN, 1], TOKEN: "as a key"},
        other=ValueError(TOKEN),
    )
    made.msg, made.args = "sent %s", (TOKEN,)
    line = JsonFormatter().format(made)
    assert TOKEN not in line
    assert json.dumps(QUOTED_SECRET)[1:-1] not in line
    assert QUOTED_SECRET not in line
    entry = json.loads(line)
    assert entry["message"] == "sent [secret]"
    assert entry["header"] == "Bearer [secret]"
    assert entry["nested"] == {"list": ["[secret]", 1], "[secret]": "as a key"}
    assert entry["other"] == "[secret]"
    assert "ValueError: echoed [secret]" in entry["exception"]


def test_pii_is_redacted_only_when_redaction_is_on() -> None:
    made = record("customer %s wrote", EMAIL, exc=raised(f"no order for {EMAIL}"), error=f"about {EMAIL}")
    kept = as_json(made)
    assert EMAIL in kept["message"]
    assert EMAIL in kept["error"]
    masked = as_json(made, redact_pii=True)
    assert EMAIL not in json.dumps(masked)
    assert masked["message"] == "customer j***@e***.com wrote"
    assert "j***@e***.com" in masked["exception"]


def test_redaction_masks_what_fills_a_template_not_the_template() -> None:
    made = record("order %s: phone %s, took %d ms", "218", "+1 555-010-7890", 5551234567)
    assert as_json(made, redact_pii=True)["message"] == "order 218: phone ***90, took 5551234567 ms"
    # A message without a template is redacted whole.
    assert as_json(record("phone +1 555-010-7890"), redact_pii=True)["message"] == "phone ***90"


def test_an_access_line_has_its_fields_and_keeps_the_client_address() -> None:
    args = ("10.0.0.7:5123", "POST", "/mcp", "1.1", 200)
    made = record('%s - "%s %s HTTP/%s" %d', *args, name="uvicorn.access", color_message="\x1b[1mPOST\x1b[0m")
    entry = as_json(made, redact_pii=True)
    assert entry["client"] == "10.0.0.7:5123"
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/mcp", 200)
    assert "color_message" not in entry


def test_text_lines_look_as_they_did_and_are_cleaned() -> None:
    register(TOKEN)
    made = record("sent %s to %s", TOKEN, EMAIL, exc=raised(f"{TOKEN} {EMAIL}"))
    line = TextFormatter(redact_pii=True).format(made)
    first, *trace = line.splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO bigcommerce_orders_mcp: sent \[secret\] to j\*\*\*@e\*\*\*\.com",
        first,
    )
    assert trace[-1] == "ValueError: [secret] j***@e***.com"
    assert EMAIL in TextFormatter().format(record("to %s", EMAIL))


@pytest.fixture
def restored() -> Iterator[None]:
    """`configure` sets process-wide state: put back the loggers' levels and the root's handlers."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    levels = {name: logging.getLogger(name).level for name in LOGGERS}
    try:
        yield
    finally:
        root.handlers = handlers
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
        configure.__globals__["_handler"] = None


@pytest.mark.parametrize(
    ("options", "redact_pii", "root", "calls", "http"),
    [
        # Nothing asked: as before there was a choice, INFO without a record per call, httpx quiet.
        (LogOptions(), False, "INFO", "WARNING", "WARNING"),
        (LogOptions("info"), False, "INFO", "INFO", "WARNING"),
        (LogOptions(format="json"), False, "INFO", "INFO", "WARNING"),
        (LogOptions("warning", "json"), False, "WARNING", "WARNING", "WARNING"),
        (LogOptions("debug"), False, "DEBUG", "DEBUG", "DEBUG"),
        # httpx's line carries the query, a customer's e-mail percent-encoded: not with redaction on.
        (LogOptions("debug"), True, "DEBUG", "DEBUG", "WARNING"),
    ],
)
def test_configure_sets_the_levels(
    restored: None, options: LogOptions, redact_pii: bool, root: str, calls: str, http: str
) -> None:
    configure(options, redact_pii=redact_pii, force=True)
    assert logging.getLevelName(logging.getLogger().level) == root
    assert logging.getLevelName(logging.getLogger(CALLS).level) == calls
    assert logging.getLevelName(logging.getLogger("httpx").level) == http
    assert logging.getLevelName(logging.getLogger("httpcore").level) == http
    # The SDK's SSE transport logs whole messages at DEBUG: never let through.
    assert logging.getLogger("mcp.server.sse").getEffectiveLevel() >= logging.INFO
    # Its streamable-HTTP transport's line after every stateless request, only when debugging.
    streamable = logging.getLogger("mcp.server.streamable_http").getEffectiveLevel()
    assert streamable == (logging.DEBUG if options.level == "debug" else logging.WARNING)


def test_configure_writes_json_to_stderr_and_leaves_an_embedding_application_alone(
    restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    configure(LogOptions(format="json"), force=True)
    logging.getLogger("bigcommerce_orders_mcp").warning("one")
    announce("serving streamable-http on http://127.0.0.1:1/mcp", url="http://127.0.0.1:1/mcp")
    lines = [json.loads(line) for line in stderr.getvalue().splitlines()]
    assert [entry["message"] for entry in lines] == ["one", "serving streamable-http on http://127.0.0.1:1/mcp"]
    assert lines[1]["url"] == "http://127.0.0.1:1/mcp"
    handlers = list(logging.getLogger().handlers)
    configure(LogOptions("debug"))  # the root has handlers now: nothing changes
    assert logging.getLogger().handlers == handlers
    assert logging.getLogger().level == logging.INFO


# The record each tool call leaves.


@pytest.fixture
def calls_logged(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, CALLS)
    caplog.set_level(logging.DEBUG)  # second: each sets the capturing handler's level too
    return caplog


def call_records(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """Each call's record, as its attributes: the fields of `extra` among them."""
    return [vars(each) for each in caplog.records if each.name == CALLS]


async def test_one_record_per_call_with_tool_store_outcome_time_and_upstream(
    mcp_client: Any, api: respx.MockRouter, calls_logged: pytest.LogCaptureFixture
) -> None:
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    api.get("/orders/99999").respond(404, json=[{"status": 404, "message": "The requested resource was not found."}])
    await mcp_client.call_tool("get_order", {"order_id": 218})
    await mcp_client.call_tool("get_order", {"order_id": 99999})
    ok, missing = call_records(calls_logged)
    fields = {key: ok[key] for key in ("tool", "store", "outcome", "requests", "upstream_status", "arguments")}
    assert fields == {
        "tool": "get_order",
        "store": "default",
        "outcome": "ok",
        "requests": 1,
        "upstream_status": [200],
        "arguments": ["order_id"],
    }
    assert ok["duration_ms"] >= 0
    assert ok["levelno"] == logging.INFO
    assert (missing["outcome"], missing["upstream_status"]) == ("not_found", [404])
    assert missing["error"].startswith("Order 99999 was not found")
    assert missing["msg"] % missing["args"] == f"get_order not_found in {missing['duration_ms']:.1f} ms " + (
        f"(store default; upstream 404): {missing['error']}"
    )
    # The failure is said once: the call's record replaces the line a failure had on its own.
    assert not [each for each in calls_logged.records if "failed:" in each.getMessage()]


async def test_retries_show_in_the_record(
    fake_time: FakeTime, api: respx.MockRouter, calls_logged: pytest.LogCaptureFixture
) -> None:
    api.get("/orders/218").mock(
        side_effect=[respx.MockResponse(503), respx.MockResponse(json=fixture("get_order.200.example_Response.json"))]
    )
    client = BigCommerceClient(API, TOKEN, sleep=fake_time.sleep, clock=fake_time.clock)
    async with Client(build_server(client)) as session:
        await session.call_tool("get_order", {"order_id": 218})
    (logged,) = call_records(calls_logged)
    assert (logged["outcome"], logged["requests"], logged["upstream_status"]) == ("ok", 2, [503, 200])


async def test_argument_values_are_never_logged(
    mcp_client: Any, api: respx.MockRouter, calls_logged: pytest.LogCaptureFixture
) -> None:
    api.get("/orders").respond(json=[])
    await mcp_client.call_tool("list_orders", {"email": EMAIL})
    await mcp_client.call_tool("list_orders", {"email": EMAIL, "min_id": 9, "max_id": 3})
    await mcp_client.call_tool("list_orders", {"email": 5, "order_id": EMAIL})
    await mcp_client.call_tool("get_order\n2026-01-01 00:00:00,000 INFO forged", {})
    records = call_records(calls_logged)
    assert [each["outcome"] for each in records] == ["ok", "invalid_arguments", "invalid_arguments", "unknown_tool"]
    assert "\n" not in logging.Formatter().format(calls_logged.records[-1])
    assert records[0]["arguments"] == ["email"]
    assert records[2]["parameters"] == ["email", "order_id"]
    # Not in the calls' records, nor in the request's: its path is logged without the query.
    assert EMAIL not in calls_logged.text
    assert EMAIL.replace("@", "%40") not in calls_logged.text
    (request,) = [
        vars(each) for each in calls_logged.records if each.levelno == logging.DEBUG and hasattr(each, "path")
    ]
    assert (request["path"], request["status"], request["store"]) == ("/orders", 200, "default")


async def test_nothing_is_recorded_per_call_unless_asked(
    mcp_client: Any, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    # build_server quiets the calls' logger when nobody has set it, whatever the root's level.
    caplog.set_level(logging.INFO)
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    api.get("/orders/99999").respond(404, json=[])
    await mcp_client.call_tool("get_order", {"order_id": 218})
    await mcp_client.call_tool("get_order", {"order_id": 99999})
    assert call_records(caplog) == []
    # What was logged before: a failure, in one line.
    assert [each.getMessage() for each in caplog.records] == [
        "get_order failed: Order 99999 was not found in this store; check the order number."
    ]
