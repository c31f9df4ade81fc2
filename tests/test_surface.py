"""Resources, prompts and several stores, through the SDK's in-memory client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import respx
from mcp import Client, MCPError
from mcp_types import INTERNAL_ERROR, INVALID_PARAMS

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.settings import SettingsError, load_settings, store_configs
from bigcommerce_orders_mcp.stores import Stores
from tests.conftest import API, TOKEN, fixture

pytestmark = pytest.mark.anyio

OUTLET = "https://api.bigcommerce.com/stores/outlet9/v2"


async def test_order_resource(mcp_client: Any, api: respx.MockRouter) -> None:
    templates = (await mcp_client.list_resource_templates()).resource_templates
    assert [t.uri_template for t in templates] == ["bigcommerce://orders/{order_id}"]
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    result = await mcp_client.read_resource("bigcommerce://orders/218")
    (content,) = result.contents
    assert content.mime_type == "application/json"
    assert json.loads(content.text)["status"] == "Awaiting Payment"


@pytest.mark.parametrize(
    ("uri", "status", "code", "expected"),
    [
        ("bigcommerce://orders/999", 404, -32002, "Order 999 was not found in this store; check the order number."),
        ("bigcommerce://orders/998", 503, INTERNAL_ERROR, "BigCommerce is unavailable (HTTP 503)"),
        ("bigcommerce://orders/0", None, INVALID_PARAMS, "'order_id' must be greater than or equal to 1 (got 0)"),
        ("bigcommerce://orders/abc", None, INVALID_PARAMS, "'order_id' must be an integer (got \"abc\")"),
    ],
)
async def test_order_resource_errors(
    mcp_client: Any, api: respx.MockRouter, uri: str, status: int | None, code: int, expected: str
) -> None:
    if status == 404:
        api.get("/orders/999").respond(status, json=fixture("error.404.example_404_Resp.json"))
    elif status:
        api.get("/orders/998").respond(status)
    with pytest.raises(MCPError) as caught:
        await mcp_client.read_resource(uri)
    assert caught.value.code == code
    assert expected in caught.value.message
    assert "Internal server error" not in caught.value.message


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


@pytest.fixture
def two_stores() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{API}/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
        router.get(f"{OUTLET}/orders/218").respond(json=fixture("get_order.200.example_Multiple_Items.json"))
        yield router


async def multi(default: str | None) -> AsyncIterator[Any]:
    stores = Stores({"main": BigCommerceClient(API, TOKEN), "outlet": BigCommerceClient(OUTLET, TOKEN)}, default)
    async with Client(build_server(stores)) as client:
        yield client


@pytest.fixture
async def multi_required() -> AsyncIterator[Any]:
    async for client in multi(None):
        yield client


@pytest.fixture
async def multi_default() -> AsyncIterator[Any]:
    async for client in multi("main"):
        yield client


async def test_one_store_keeps_the_schema(mcp_client: Any) -> None:
    for tool in (await mcp_client.list_tools()).tools:
        assert "store" not in tool.input_schema["properties"]


async def test_several_stores_add_a_store_enum(multi_required: Any, two_stores: respx.MockRouter) -> None:
    for tool in (await multi_required.list_tools()).tools:
        assert tool.input_schema["properties"]["store"]["enum"] == ["main", "outlet"]
        assert tool.input_schema["required"][0] == "store"
    outlet = await multi_required.call_tool("get_order", {"store": "outlet", "order_id": 218})
    assert outlet.structured_content["totals"]["total"] == 1008.74
    main = await multi_required.call_tool("get_order", {"store": "main", "order_id": 218})
    assert main.structured_content["totals"]["total"] == 69.84
    missing = await multi_required.call_tool("get_order", {"order_id": 218})
    assert missing.is_error
    assert "'store' is required" in missing.content[0].text
    with pytest.raises(MCPError, match="'store' is required"):
        await multi_required.get_prompt("summarize_order_for_support", {"order_id": "218"})
    wrong = await multi_required.call_tool("get_order", {"store": "nope", "order_id": 218})
    assert "'store' must be 'main' or 'outlet' (got \"nope\")" in wrong.content[0].text
    templates = [t.uri_template for t in (await multi_required.list_resource_templates()).resource_templates]
    assert templates == ["bigcommerce://stores/{store}/orders/{order_id}"]
    resource = await multi_required.read_resource("bigcommerce://stores/outlet/orders/218")
    assert json.loads(resource.contents[0].text)["id"] == 247


async def test_a_default_store_makes_store_optional(multi_default: Any, two_stores: respx.MockRouter) -> None:
    tool = (await multi_default.list_tools()).tools[0]
    assert "store" not in tool.input_schema["required"]
    assert "Default: 'main'" in tool.input_schema["properties"]["store"]["description"]
    result = await multi_default.call_tool("get_order", {"order_id": 218})
    assert result.structured_content["id"] == 218
    prompt = await multi_default.get_prompt("summarize_order_for_support", {"order_id": "218", "store": "outlet"})
    assert 'order_id=218, store="outlet"' in prompt.messages[0].content.text
    assert "several stores" in (multi_default.instructions or "")


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
