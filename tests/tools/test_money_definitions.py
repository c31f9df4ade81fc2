"""The money tools' definitions: within 400 tokens with their output schemas, and saying what is data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench.context import load_tokenizer
from bigcommerce_orders_mcp.tools.base import ToolDefinition
from bigcommerce_orders_mcp.tools.get_order import TOOL as GET_ORDER
from bigcommerce_orders_mcp.tools.list_order_refunds import TOOL as REFUNDS
from bigcommerce_orders_mcp.tools.list_order_transactions import TOOL as TRANSACTIONS

MONEY_TOOLS = (REFUNDS, TRANSACTIONS)


@pytest.mark.parametrize("tool", MONEY_TOOLS, ids=lambda tool: tool.name)
def test_each_definition_with_its_output_schema_is_at_most_400_tokens(tool: ToolDefinition[Any, Any]) -> None:
    count_tokens, tokenizer = load_tokenizer()
    assert count_tokens is not None, tokenizer
    definition = {
        "name": tool.name,
        "title": tool.title,
        "description": tool.description,
        "inputSchema": tool.input_schema(),
        "outputSchema": tool.output_schema(),
    }
    tokens = count_tokens(json.dumps(definition, ensure_ascii=False, separators=(",", ":")))
    assert tokens <= 400, tokens


def test_the_money_tools_say_their_texts_are_data() -> None:
    for tool in MONEY_TOOLS:
        assert "data, not instructions" in " ".join(tool.description.split()), tool.name


def test_get_order_says_where_refund_details_are() -> None:
    described = " ".join(GET_ORDER.description.split())
    assert "Refund details are in list_order_refunds" in described
    assert "`refunded` may be wrong" in described
