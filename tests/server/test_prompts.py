"""The prompts: which tools they tell the model to call, and arguments that fail clearly."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import MCPError
from mcp_types import INVALID_PARAMS

from bigcommerce_orders_mcp.prompts import PROMPTS

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"order_id": "218; drop"}, "'order_id' must be an integer (got \"218; drop\")"),
        ({"order_id": "0"}, "'order_id' must be greater than or equal to 1"),
        ({}, "'order_id' is required"),
        ({"order_id": "218", "orderId": "1"}, "unknown argument 'orderId' (allowed: order_id)"),
    ],
)
async def test_prompt_arguments_fail_clearly(mcp_client: Any, arguments: dict[str, str], expected: str) -> None:
    for name in ("summarize_order_for_support", "draft_reply_to_latest_message"):
        with pytest.raises(MCPError) as caught:
            await mcp_client.get_prompt(name, arguments)
        assert caught.value.code == INVALID_PARAMS
        assert caught.value.message.startswith(f"Invalid arguments for prompt {name}: ")
        assert expected in caught.value.message


async def test_prompts_tell_the_model_which_tools_to_call(mcp_client: Any) -> None:
    prompts = {p.name: p for p in (await mcp_client.list_prompts()).prompts}
    assert set(prompts) == {"summarize_order_for_support", "draft_reply_to_latest_message"}
    for prompt in prompts.values():
        assert [a.name for a in prompt.arguments] == ["order_id"]
    summary = await mcp_client.get_prompt("summarize_order_for_support", {"order_id": "218"})
    text = summary.messages[0].content.text
    assert 'Call get_order with order_id=218 and include=["consignments.line_items"]' in text
    assert "list_order_messages with order_id=218" in text
    reply = await mcp_client.get_prompt("draft_reply_to_latest_message", {"order_id": "181"})
    assert 'newest message with a "customer" text' in reply.messages[0].content.text


async def test_the_support_summary_asks_the_money_tools_about_money(mcp_client: Any) -> None:
    summary = await mcp_client.get_prompt("summarize_order_for_support", {"order_id": "138"})
    text = " ".join(summary.messages[0].content.text.split())
    assert "If the question is about money (a charge, a declined or held payment, a refund" in text
    assert "call list_order_refunds with order_id=138" in text
    assert "call list_order_transactions with order_id=138" in text
    assert "refused for a missing scope, say so and go on" in text


@pytest.mark.parametrize(
    ("name", "arguments", "named"),
    [
        ("summarize_order_for_support", {f"order_{n}": "1" for n in range(60)}, "'order_0'"),
        ("summarize_order_for_support", {f"order_{n}": "1" for n in range(5000)}, "'order_"),
        ("draft_reply_to_latest_message", {"order_id": "1", "note": "x" * 500_000}, "'note'"),
        ("draft_reply_" + "x" * 1_000_000, {"order_id": "1"}, '"draft_reply_x'),
    ],
)
async def test_prompt_errors_do_not_grow_with_the_input(
    mcp_client: Any, name: str, arguments: dict[str, str], named: str
) -> None:
    with pytest.raises(MCPError) as caught:
        await mcp_client.get_prompt(name, arguments)
    assert caught.value.code == INVALID_PARAMS
    assert named in caught.value.message
    assert len(caught.value.message) < 2048
    assert (await mcp_client.get_prompt("summarize_order_for_support", {"order_id": "218"})).messages


def test_a_hidden_money_tool_is_not_named() -> None:
    (summary,) = [prompt for prompt in PROMPTS if prompt.name == "summarize_order_for_support"]
    text = summary.render(138, None, {"get_order", "list_order_messages", "list_order_refunds"})
    assert "call list_order_refunds with order_id=138" in text
    assert "list_order_transactions" not in text
