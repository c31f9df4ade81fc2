"""Both tools through the MCP protocol (the SDK's in-memory client), BigCommerce mocked with respx."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
import respx

from tests.conftest import API, TOKEN, TOOL_NAMES, fixture

pytestmark = pytest.mark.anyio


def text_of(result: Any) -> str:
    assert len(result.content) == 1
    return str(result.content[0].text)


async def call_ok(client: Any, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, text_of(result)
    text = text_of(result)
    # The text copy is the structured content as compact JSON.
    assert text == json.dumps(result.structured_content, ensure_ascii=False, separators=(",", ":"))
    return dict(result.structured_content)


async def call_error(client: Any, tool: str, args: dict[str, Any]) -> str:
    """Every failure has one shape: isError, one sentence, and the same sentence under structuredContent.error."""
    result = await client.call_tool(tool, args)
    assert result.is_error
    text = text_of(result)
    assert TOKEN not in text
    assert "Traceback" not in text
    assert "Error executing tool" not in text
    error = result.structured_content["error"]
    assert error["message"] == text
    assert error["type"]
    return text


async def test_tools_are_listed_with_hints_and_schemas(mcp_client: Any) -> None:
    tools = {tool.name: tool for tool in (await mcp_client.list_tools()).tools}
    assert set(tools) == TOOL_NAMES
    for tool in tools.values():
        assert tool.title
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.annotations.idempotent_hint is True
        assert tool.annotations.open_world_hint is True
        assert tool.input_schema["additionalProperties"] is False
        assert tool.output_schema["type"] == "object"
        for name, prop in tool.input_schema["properties"].items():
            assert prop.get("description"), name
    assert tools["get_order"].input_schema["required"] == ["order_id"]
    assert "list_order_messages" in (mcp_client.instructions or "")


async def test_get_order_summary(mcp_client: Any, api: respx.MockRouter) -> None:
    route = api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    order = await call_ok(mcp_client, "get_order", {"order_id": 218})
    assert order["status"] == "Awaiting Payment"
    assert order["totals"]["total"] == 69.84
    assert order["totals"]["shipping"] == 12
    request = route.calls.last.request
    assert request.headers["X-Auth-Token"] == TOKEN
    assert request.headers["Accept"] == "application/json"
    assert request.url.params == httpx.QueryParams()


async def test_summary_of_order_218_is_about_a_quarter_of_the_raw_bytes(mcp_client: Any, api: respx.MockRouter) -> None:
    raw = fixture("get_order.200.example_Response.json")
    api.get("/orders/218").respond(json=raw)
    result = await mcp_client.call_tool("get_order", {"order_id": 218})
    summary_bytes = len(text_of(result).encode())
    raw_bytes = len(json.dumps(raw, separators=(",", ":")).encode())
    assert summary_bytes <= raw_bytes * 0.25, (summary_bytes, raw_bytes)


@pytest.mark.parametrize(
    ("include", "sent"),
    [
        (["fees"], {"include": "fees"}),
        (["consignments"], {"include": "consignments", "consignment_structure": "object"}),
        (
            ["consignments.line_items", "fees"],
            {"include": "consignments.line_items,fees", "consignment_structure": "object"},
        ),
        ('["fees", "consignments"]', {"include": "fees,consignments", "consignment_structure": "object"}),
        ("fees,consignments", {"include": "fees,consignments", "consignment_structure": "object"}),
    ],
)
async def test_get_order_include_is_sent_as_the_api_expects(
    mcp_client: Any, api: respx.MockRouter, include: Any, sent: dict[str, str]
) -> None:
    route = api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    await call_ok(mcp_client, "get_order", {"order_id": 218, "include": include})
    assert dict(route.calls.last.request.url.params) == sent


async def test_get_order_full_detail_returns_the_whole_payload(mcp_client: Any, api: respx.MockRouter) -> None:
    raw = fixture("get_order.200.example_Multiple_Items.json")
    api.get("/orders/247").respond(json=raw)
    data = await call_ok(mcp_client, "get_order", {"order_id": 247, "detail": "full"})
    assert data == {"id": 247, "untrusted": ["billing_address", "customer_message"], "payload": raw}


async def test_get_order_full_detail_is_cleaned_and_marked_untrusted(mcp_client: Any, api: respx.MockRouter) -> None:
    raw = fixture("get_order.200.example_Multiple_Items.json")
    raw["customer_message"] = "Hi\u202e \u200bthere\x1b[2J\x1b[31m!\x07"
    raw["billing_address"]["first_name"] = "Ja\u200bne\U000e0041"
    raw["note\u202ekey"] = ["\x1b]0;title\x07ok", {"deep": "a\u2066b"}]
    api.get("/orders/247").respond(json=raw)
    data = await call_ok(mcp_client, "get_order", {"order_id": 247, "detail": "full"})
    payload = data["payload"]
    assert payload["customer_message"] == "Hi there!"
    assert payload["billing_address"]["first_name"] == "Jane"
    assert payload["notekey"] == ["ok", {"deep": "ab"}]
    assert data["untrusted"] == ["billing_address", "customer_message"]


async def test_get_order_with_embedded_consignments(mcp_client: Any, api: respx.MockRouter) -> None:
    order = fixture("get_order.200.example_Multiple_Items.json")
    order["consignments"] = fixture("consignments.schema_x-example_order_with_shipping_consignments.json")
    api.get("/orders/247").respond(json=order)
    data = await call_ok(mcp_client, "get_order", {"order_id": 247, "include": ["consignments"]})
    shipping = data["consignments"]["shipping"][0]
    assert shipping["method"] == "Free Shipping"
    assert shipping["cost"] == 6.2
    assert shipping["line_item_count"] == 1
    assert "Laser Ltd" in shipping["address"]
    assert "hint" not in data


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, {"status": 401, "title": "Unauthorized"}, "BIGCOMMERCE_ACCESS_TOKEN"),
        (403, fixture("error.403.observed_thirdparty_scope.json"), "store_v2_orders_read_only"),
        (404, fixture("error.404.example_404_Resp.json"), "Order 999 was not found"),
        (400, fixture("error.400.example_from_PUT_orders_order_id_shipping_addresses_id.json"), "item_total"),
        (500, None, "unavailable (HTTP 500); retry later"),
        (503, "<html>Down for maintenance</html>", "unavailable (HTTP 503)"),
        (429, None, "retry"),
    ],
)
async def test_api_errors_become_one_clear_tool_error(
    mcp_client: Any, api: respx.MockRouter, status: int, body: Any, expected: str
) -> None:
    if isinstance(body, str):
        response = httpx.Response(status, text=body, headers={"Content-Type": "text/html"})
    else:
        response = httpx.Response(status, json=body) if body is not None else httpx.Response(status)
    api.get("/orders/999").mock(return_value=response)
    text = await call_error(mcp_client, "get_order", {"order_id": 999})
    assert expected in text
    # The session survives: the next call works.
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    await call_ok(mcp_client, "get_order", {"order_id": 218})


async def test_timeout_and_network_errors(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/1").mock(side_effect=httpx.ReadTimeout("slow"))
    assert "did not answer within 5 seconds" in await call_error(mcp_client, "get_order", {"order_id": 1})
    api.get("/orders/2").mock(side_effect=httpx.ConnectError("refused"))
    assert "Could not reach BigCommerce" in await call_error(mcp_client, "get_order", {"order_id": 2})


async def test_rate_limit_error_says_when_to_retry(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/5").respond(429, headers={"X-Rate-Limit-Time-Reset-Ms": "45000", "X-Retry-After": "3"})
    result = await mcp_client.call_tool("get_order", {"order_id": 5})
    assert result.is_error
    assert "retry after 45" in text_of(result)
    error = result.structured_content["error"]
    assert error["type"] == "rate_limited"
    assert error["status"] == 429
    assert 45 <= error["retry_after_seconds"] <= 46


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, "'order_id' is required"),
        ({"order_id": 0}, "'order_id' must be greater than or equal to 1"),
        ({"order_id": -3}, "'order_id' must be greater than or equal to 1"),
        ({"order_id": "218/../customers"}, "'order_id' must be an integer"),
        ({"order_id": 2.5}, "'order_id' must be an integer"),
        ({"order_id": None}, "'order_id' must be an integer (got null)"),
        ({"order_id": True}, "'order_id' must be an integer (got true)"),
        ({"order_id": 2**40}, "'order_id' must be less than or equal to 2147483647"),
        ({"order_id": 1, "include": ["products"]}, "'include[0]' must be 'consignments'"),
        ({"order_id": 1, "consignment_structure": "array"}, "'consignment_structure' must be 'object'"),
        ({"order_id": 1, "detail": "everything"}, "'detail' must be 'summary' or 'full'"),
        ({"order_id": 1, "orderId": 1}, "unknown argument 'orderId' (allowed: order_id, include"),
    ],
)
async def test_get_order_bad_arguments(
    mcp_client: Any, api: respx.MockRouter, args: dict[str, Any], expected: str
) -> None:
    result = await mcp_client.call_tool("get_order", args)
    assert result.structured_content["error"]["type"] == "invalid_arguments"
    text = await call_error(mcp_client, "get_order", args)
    assert text.startswith("Invalid arguments for get_order:")
    assert expected in text
    assert not api.calls


async def test_order_id_as_digit_string_is_accepted(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    await call_ok(mcp_client, "get_order", {"order_id": "218"})


async def test_list_order_messages(mcp_client: Any, api: respx.MockRouter) -> None:
    route = api.get("/orders/181/messages").respond(json=fixture("order_messages.200.example.json"))
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 181})
    assert data == {
        "messages": [
            {
                "id": 2,
                "date": "2018-09-26T15:52:03Z",
                "staff": "Thank you again!",
                "unread": True,
            }
        ],
    }
    assert dict(route.calls.last.request.url.params) == {"page": "1", "limit": "50"}


async def test_list_order_messages_sends_every_filter(mcp_client: Any, api: respx.MockRouter) -> None:
    route = api.get("/orders/181/messages").respond(204)
    args = {
        "order_id": 181,
        "min_id": 2,
        "max_id": 90,
        "customer_id": 11,
        "min_date_created": "Thu, 20 Apr 2017 11:32:00 -0400",
        "max_date_created": "2017-04-21T11:32:00.000-04:00",
        "is_flagged": True,
        "status": "unread",
        "page": 3,
        "limit": 10,
    }
    data = await call_ok(mcp_client, "list_order_messages", args)
    assert (data["messages"], data["has_more"]) == ([], False)
    assert dict(route.calls.last.request.url.params) == {
        "min_id": "2",
        "max_id": "90",
        "customer_id": "11",
        # Both forms go upstream as the API's own: RFC-2822 in UTC.
        "min_date_created": "Thu, 20 Apr 2017 15:32:00 +0000",
        "max_date_created": "Fri, 21 Apr 2017 15:32:00 +0000",
        "is_flagged": "true",
        "status": "unread",
        "page": "3",
        "limit": "10",
    }


async def test_full_page_says_how_to_get_the_next(mcp_client: Any, api: respx.MockRouter) -> None:
    page = [dict(fixture("order_messages.200.example.json")[0], id=i) for i in range(1, 3)]
    api.get("/orders/181/messages").respond(json=page)
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 181, "limit": 2, "status": "read"})
    assert data["has_more"] is True
    assert data["next_page"] == {"order_id": 181, "status": "read", "page": 2, "limit": 2}


@pytest.mark.parametrize(
    "response", [httpx.Response(204), httpx.Response(200, content=b""), httpx.Response(200, json=[])]
)
async def test_no_messages_is_an_empty_list(mcp_client: Any, api: respx.MockRouter, response: httpx.Response) -> None:
    api.get("/orders/100/messages").mock(return_value=response)
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 100})
    assert data["messages"] == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"order_id": 1, "limit": 0}, "'limit' must be greater than or equal to 1"),
        ({"order_id": 1, "limit": 251}, "'limit' must be less than or equal to 250"),
        ({"order_id": 1, "page": 0}, "'page' must be greater than or equal to 1"),
        ({"order_id": 1, "status": "new"}, "'status' must be 'read' or 'unread'"),
        ({"order_id": 1, "min_date_created": "yesterday"}, "'min_date_created' must be an RFC-2822 date"),
        ({"order_id": 1, "min_id": 9, "max_id": 3}, "min_id (9) must not be greater than max_id (3)"),
        (
            {"order_id": 1, "min_date_created": "2024-02-01", "max_date_created": "2024-01-01"},
            "min_date_created must not be after max_date_created",
        ),
        ({"order_id": 1, "is_flagged": "maybe"}, "'is_flagged' must be true or false"),
        ({"order_id": 1, "flagged": True}, "unknown argument 'flagged'"),
    ],
)
async def test_list_order_messages_bad_arguments(
    mcp_client: Any, api: respx.MockRouter, args: dict[str, Any], expected: str
) -> None:
    text = await call_error(mcp_client, "list_order_messages", args)
    assert expected in text
    assert not api.calls


async def test_messages_of_a_missing_order(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/404/messages").respond(404, json=fixture("error.404.example_404_Resp.json"))
    assert "Order 404 was not found" in await call_error(mcp_client, "list_order_messages", {"order_id": 404})


async def test_unknown_tool_is_an_error(mcp_client: Any) -> None:
    text = await call_error(mcp_client, "delete_order", {"order_id": 1})
    expected = (
        'There is no tool "delete_order"; tools: get_order, list_order_messages, list_orders, list_order_shipments.'
    )
    assert text == expected


async def test_a_bug_in_a_summariser_still_says_what_to_do(
    mcp_client: Any, api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bigcommerce_orders_mcp.tools import get_order

    def broken(order: dict[str, Any]) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(get_order, "summarize_order", broken)
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    result = await mcp_client.call_tool("get_order", {"order_id": 218})
    text = await call_error(mcp_client, "get_order", {"order_id": 218})
    assert 'Retry with detail="full"' in text
    assert result.structured_content["error"]["type"] == "internal_error"
    assert (await call_ok(mcp_client, "get_order", {"order_id": 218, "detail": "full"}))["id"] == 218


async def test_the_token_appears_in_no_output_and_no_log_line_at_any_level(
    mcp_client: Any, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    api.get("/orders/1").respond(401)
    api.get("/orders/2").respond(500, text=f"echo {TOKEN}")
    api.get("/orders/3").mock(side_effect=httpx.ConnectError(f"refused {TOKEN}"))
    api.get("/orders/218/messages").respond(json=fixture("order_messages.200.example.json"))
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG):
        for tool, args in [
            ("get_order", {"order_id": 218, "detail": "full"}),
            ("get_order", {"order_id": 1}),
            ("get_order", {"order_id": 2}),
            ("get_order", {"order_id": 3}),
            ("get_order", {"order_id": -1}),
            ("list_order_messages", {"order_id": 218, "bogus": 1}),
        ]:
            result = await mcp_client.call_tool(tool, args)
            seen.append(json.dumps(result.model_dump(mode="json")))
    assert TOKEN not in caplog.text
    assert not any(TOKEN in text for text in seen)


async def test_one_customer_is_named_once_per_page(mcp_client: Any, api: respx.MockRouter) -> None:
    jane = {"first_name": "Jane", "last_name": "Doe"}
    base = {"order_id": 7, "staff_id": 0, "type": "customer", "status": "read", "is_flagged": False}
    page = [
        {**base, "id": 1, "message": "Hello?", "customer": jane, "date_created": "Wed, 26 Sep 2018 15:52:03 +0000"},
        {**base, "id": 2, "message": "Hi Jane", "type": "admin", "staff_id": 3, "customer": {}},
        {**base, "id": 3, "message": "Thanks", "customer": jane, "status": "unread", "is_flagged": True},
    ]
    api.get("/orders/7/messages").respond(json=page)
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 7})
    assert data["customer_name"] == "Jane Doe"
    assert [m.get("customer_name") for m in data["messages"]] == [None, None, None]
    assert [m.get("customer") or m.get("staff") for m in data["messages"]] == ["Hello?", "Hi Jane", "Thanks"]
    assert [sorted({"customer", "staff"} & set(m)) for m in data["messages"]] == [["customer"], ["staff"], ["customer"]]
    assert data["messages"][2] == {"id": 3, "customer": "Thanks", "unread": True, "flagged": True}


async def test_each_message_names_its_customer_when_several_write(mcp_client: Any, api: respx.MockRouter) -> None:
    base = {"order_id": 7, "type": "customer", "status": "read"}
    page = [
        {**base, "id": 1, "message": "Is it shipped?", "customer": {"first_name": "Jane", "last_name": "Doe"}},
        {**base, "id": 2, "message": "And the gift wrap?", "customer": {"email": "sam@example.com"}},
        {**base, "id": 3, "message": "Sent today.", "type": "admin", "staff_id": 3},
    ]
    api.get("/orders/7/messages").respond(json=page)
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 7})
    assert "customer_name" not in data
    assert data["messages"] == [
        {"id": 1, "customer_name": "Jane Doe", "customer": "Is it shipped?"},
        {"id": 2, "customer_name": "sam@example.com", "customer": "And the gift wrap?"},
        {"id": 3, "staff": "Sent today."},
    ]


async def test_a_reply_leaves_out_the_subject_of_the_message_before_it(mcp_client: Any, api: respx.MockRouter) -> None:
    subjects = ["Where is my parcel?", "Re: Where is my parcel?", "RE:  where is my parcel?", "Gift wrap", None]
    subjects += ["Re: Where is my parcel?", "Fwd: Re: Where is my parcel?"]
    page = [
        {"id": i, "type": "customer", "subject": subject, "message": f"m{i}", "status": "read",
         "date_created": f"Wed, 26 Sep 2018 15:52:0{i} +0000"}
        for i, subject in enumerate(subjects)
    ]  # fmt: skip
    api.get("/orders/7/messages").respond(json=page[::-1])
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 7})
    shown = [message.get("subject") for message in data["messages"]]
    assert shown == ["Where is my parcel?", None, None, "Gift wrap", None, "Re: Where is my parcel?", None]


async def test_a_whole_tool_call_has_one_deadline_however_many_requests_it_makes() -> None:
    """A handler that keeps asking (as list_order_shipments asks twice) still ends within the client's deadline."""
    import anyio

    from bigcommerce_orders_mcp.client import BigCommerceClient, RetryPolicy
    from bigcommerce_orders_mcp.tools.base import Arguments, Output, ToolDefinition
    from bigcommerce_orders_mcp.tools.get_order import GetOrderArgs

    client = BigCommerceClient(API, TOKEN, timeout=0.05, retry=RetryPolicy(max_retries=0, budget=0.05))

    async def forever(args: Arguments, client: BigCommerceClient) -> Output:
        while True:
            await anyio.sleep(0.02)  # each request within its own bound, the call as a whole not

    tool = ToolDefinition("slow", "Slow", "Asks forever.", GetOrderArgs, Output, forever)
    with anyio.fail_after(5):  # a hang guard, not a timing assertion
        result = await tool.call({"order_id": 1}, client)
    assert result.is_error
    assert result.structured_content == {"error": {**result.structured_content["error"], "type": "unavailable"}}
    assert "did not finish answering slow within 0.1 seconds" in text_of(result)
