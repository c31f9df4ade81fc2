"""Who decides what is exposed: BIGCOMMERCE_TOOLS and --tools name the tools a server lists and answers, and the
instructions, prompts and order resource follow."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from mcp import Client, MCPError

from bigcommerce_orders_mcp.app import INSTRUCTIONS, build_server, instructions
from bigcommerce_orders_mcp.cli import main
from bigcommerce_orders_mcp.commands import PROG
from bigcommerce_orders_mcp.prompts import PROMPTS
from bigcommerce_orders_mcp.settings import Settings, SettingsError, load_settings
from bigcommerce_orders_mcp.stores import Stores, demo_client
from bigcommerce_orders_mcp.tools import TOOLS
from tests.server.conftest import SECRET, STORE, setenv

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("clean_env")]

NAMES = [tool.name for tool in TOOLS]
# Every way of exposing some tools that matters: one tool alone, each tool left out, and two.
SUBSETS = [[name] for name in NAMES] + [[n for n in NAMES if n != name] for name in NAMES] + [NAMES[:2]]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    assert isinstance(exited.value.code, int)
    return exited.value.code, out, err


def test_the_setting_is_a_comma_separated_list_in_any_case_and_spacing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().tools is None
    setenv(monkeypatch, {"BIGCOMMERCE_TOOLS": " list_orders, GET_ORDER ,,list_orders"})
    assert load_settings().tools == ("list_orders", "get_order")
    assert load_settings(tools="list_order_messages").tools == ("list_order_messages",)
    assert load_settings(tools=None).tools == ("list_orders", "get_order")


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("get_ordr", "'get_ordr' is not a tool of this server"),
        ("get_order,cancel_order,refund", "'cancel_order', 'refund' are not tools of this server"),
        (",", "must name at least one of"),
        (",".join(f"t{n}" for n in range(5000)), "'t4' and 4,995 more are not tools of this server"),
        ("\x1b[2J" + "x-" * 35_000, "'\\x1b[2Jx-x-"),
    ],
)
def test_an_unknown_name_is_one_line_listing_the_valid_names(
    monkeypatch: pytest.MonkeyPatch, value: str, named: str
) -> None:
    setenv(monkeypatch, {"BIGCOMMERCE_TOOLS": value})
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("BIGCOMMERCE_TOOLS must ")
    assert named in message
    assert f"{', '.join(NAMES[:-1])} or {NAMES[-1]}" in message
    assert message.isprintable()
    assert len(message) < 700


def test_a_token_pasted_as_a_tool_name_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "abcdef0123456789abcdef0123456789"
    setenv(monkeypatch, {"BIGCOMMERCE_TOOLS": f"get_order,{token}"})
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert token not in str(caught.value)
    assert "a value not shown is not a tool of this server" in str(caught.value)


def test_an_unknown_name_stops_the_server_at_start_naming_the_flag_or_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "--demo", "--tools", "get_order,list_refunds")
    assert (code, out) == (2, "")
    assert err.startswith(f"{PROG}: --tools must list only get_order, ")
    assert "'list_refunds' is not a tool of this server" in err
    assert err.count("\n") == 1
    setenv(monkeypatch, {**STORE, "BIGCOMMERCE_TOOLS": "orders"})
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"{PROG}: BIGCOMMERCE_TOOLS must list only get_order, ")
    assert err.count("\n") == 1
    assert SECRET not in err


def test_call_answers_only_the_exposed_tools(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "--tools", "get_order", "call", "list_orders", "{}", "--demo")
    assert (code, out) == (2, "")
    assert err == f"{PROG}: tool 'list_orders' is not exposed (BIGCOMMERCE_TOOLS, --tools); tools: get_order\n"
    setenv(monkeypatch, {"BIGCOMMERCE_TOOLS": "list_orders"})
    code, out, err = run(capsys, "call", "list_orders", '{"customer_id": 22}', "--demo")
    assert code == 0, err
    assert 129 in [row["id"] for row in json.loads(out)["orders"]]
    # The flag wins over the variable.
    code, out, err = run(capsys, "--tools", "get_order", "call", "get_order", '{"order_id": 218}', "--demo")
    assert code == 0, err


async def test_the_server_lists_and_answers_only_the_exposed_tools() -> None:
    server = build_server(demo_client(Settings()), tools=["list_order_messages", "get_order"])
    async with Client(server) as client:
        # In the order of tools.TOOLS, whatever the order given.
        assert [tool.name for tool in (await client.list_tools()).tools] == ["get_order", "list_order_messages"]
        assert (await client.call_tool("get_order", {"order_id": 218})).structured_content["id"] == 218
        hidden = await client.call_tool("list_orders", {})
        assert hidden.is_error
        assert hidden.structured_content["error"]["type"] == "unknown_tool"
        assert hidden.structured_content["error"]["message"] == (
            'There is no tool "list_orders"; tools: get_order, list_order_messages.'
        )


async def test_every_tool_is_exposed_when_the_setting_is_unset() -> None:
    async with Client(build_server(demo_client(Settings()))) as client:
        assert [tool.name for tool in (await client.list_tools()).tools] == NAMES
        assert {prompt.name for prompt in (await client.list_prompts()).prompts} == {p.name for p in PROMPTS}
    with pytest.raises(ValueError, match="no such tools: cancel_order"):
        build_server(demo_client(Settings()), tools=["cancel_order"])


def test_each_tool_has_its_own_line_in_the_instructions() -> None:
    for name in NAMES:
        assert sum(line.startswith(f"- {name}:") for line in INSTRUCTIONS.splitlines()) == 1, name


def _named_tools(text: str) -> set[str]:
    return {name for name in NAMES if re.search(rf"\b{name}\b", text)}


@pytest.mark.parametrize("exposed", SUBSETS, ids=",".join)
async def test_instructions_and_prompts_name_no_hidden_tool(exposed: list[str]) -> None:
    stores = Stores.single(demo_client(Settings()))
    assert _named_tools(instructions(stores, demo=True, tools=exposed)) == set(exposed)
    async with Client(build_server(stores, tools=exposed)) as client:
        assert _named_tools(client.instructions or "") == set(exposed)
        offered = [prompt.name for prompt in (await client.list_prompts()).prompts]
        assert offered == [prompt.name for prompt in PROMPTS if prompt.needs <= set(exposed)]
        for name in offered:
            text = _text(await client.get_prompt(name, {"order_id": "218"}))
            assert _named_tools(text) <= set(exposed), (name, text)
            assert ("Some tools are not offered here" in text) == (not _named_tools(text) >= _steps(name)), text
        for prompt in PROMPTS:
            if prompt.name not in offered:
                with pytest.raises(MCPError, match=f'There is no prompt "{prompt.name}"'):
                    await client.get_prompt(prompt.name, {"order_id": "218"})


def _steps(prompt: str) -> set[str]:
    return {step.tool for known in PROMPTS if known.name == prompt for step in known.steps}


def _text(result: Any) -> str:
    return str(result.messages[0].content.text)


async def test_a_left_out_step_is_left_out_and_the_rest_renumbered() -> None:
    async with Client(build_server(demo_client(Settings()), tools=["get_order", "list_order_shipments"])) as client:
        text = _text(await client.get_prompt("summarize_order_for_support", {"order_id": "218"}))
    assert '1. Call get_order with order_id=218 and include=["consignments.line_items"].' in text
    assert "2. If items have shipped, call list_order_shipments with order_id=218" in text
    assert "3." not in text
    assert text.endswith("say which of these facts you could not look up.")


async def test_the_order_resource_is_served_only_with_get_order() -> None:
    async with Client(build_server(demo_client(Settings()), tools=["get_order"])) as client:
        templates = (await client.list_resource_templates()).resource_templates
        assert [template.name for template in templates] == ["order"]
    async with Client(build_server(demo_client(Settings()), tools=["list_orders"])) as client:
        assert (await client.list_resource_templates()).resource_templates == []
        with pytest.raises(MCPError):
            await client.read_resource("bigcommerce://orders/218")
