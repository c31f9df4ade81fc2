"""The call and check commands' own work: following pages into one result, and checking each store."""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx

from bigcommerce_orders_mcp.client import register
from bigcommerce_orders_mcp.commands import MAX_PAGES, all_pages, check_stores
from bigcommerce_orders_mcp.stores import Stores
from tests.conftest import API, ECHOES, TOKEN, FakeTime, small

pytestmark = pytest.mark.anyio


class EndlessPages:
    """Pages without end: every page is full."""

    def __init__(self) -> None:
        self.calls = 0

    async def call_tool(self, name: str, arguments: dict[str, Any]) -> Any:
        self.calls += 1
        number = arguments["page"]
        content = {"orders": [{"id": number}], "page": number, "has_more": True, "next_page": {"page": number + 1}}
        return type("Result", (), {"is_error": False, "structured_content": content})()


async def test_call_all_stops_at_the_page_cap_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    upstream = EndlessPages()
    first = {"orders": [{"id": 1}], "page": 1, "has_more": True, "next_page": {"page": 2}}
    combined = await all_pages(upstream, "list_orders", first)
    assert upstream.calls == MAX_PAGES - 1
    assert combined["count"] == MAX_PAGES
    assert combined["truncated"] is True
    assert combined["next_page"] == {"page": MAX_PAGES + 1}
    assert f"stopped at the cap of {MAX_PAGES} pages" in capsys.readouterr().err
    assert json.dumps(combined)


async def test_call_all_takes_a_list_without_paging_fields_as_one_page(capsys: pytest.CaptureFixture[str]) -> None:
    upstream = EndlessPages()
    combined = await all_pages(upstream, "list_orders", {"orders": [{"id": 1}, {"id": 2}], "currency": "USD"})
    assert upstream.calls == 0
    assert combined == {"orders": [{"id": 1}, {"id": 2}], "currency": "USD", "count": 2, "pages": 1}
    assert "done: 2 orders" in capsys.readouterr().err


class ScriptedPages:
    """An MCP client whose tool answers with the next of `pages`."""

    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self.pages = pages

    async def call_tool(self, name: str, arguments: dict[str, Any]) -> Any:
        return type("Result", (), {"is_error": False, "structured_content": self.pages.pop(0)})()


def page(number: int, rows: list[dict[str, Any]], *, more: bool, **facts: Any) -> dict[str, Any]:
    next_page = {"page": number + 1, "limit": 2} if more else None
    return {"orders": rows, **facts, "page": number, "has_more": more} | ({"next_page": next_page} if next_page else {})


async def test_all_pages_keep_a_shared_fact_once_and_give_each_row_its_own_otherwise() -> None:
    first = page(1, [{"id": 1}, {"id": 2}], more=True, currency="USD")
    same = await all_pages(ScriptedPages([page(2, [{"id": 3}], more=False, currency="USD")]), "list_orders", first)
    assert same == {"orders": [{"id": 1}, {"id": 2}, {"id": 3}], "currency": "USD", "count": 3, "pages": 2}
    mixed = await all_pages(
        ScriptedPages([page(2, [{"id": 3, "currency": "EUR"}, {"id": 4, "currency": "USD"}], more=False)]),
        "list_orders",
        first,
    )
    assert mixed["orders"] == [
        {"id": 1, "currency": "USD"},
        {"id": 2, "currency": "USD"},
        {"id": 3, "currency": "EUR"},
        {"id": 4, "currency": "USD"},
    ]
    assert "currency" not in mixed


async def test_check_never_prints_the_token(
    api: respx.MockRouter, fake_time: FakeTime, capsys: pytest.CaptureFixture[str]
) -> None:
    api.get("/orders/count").respond(403, json=ECHOES[1])
    assert await check_stores(Stores.single(small(fake_time))) == 1
    out = capsys.readouterr()
    assert "FAIL" in out.out
    assert TOKEN not in out.out + out.err


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (404, "orders readable (7 orders), order transactions readable"),
        (403, "order transactions NOT readable: add the Order Transactions read-only scope "
         "(store_v2_transactions_read_only) for list_order_transactions"),
        (400, "order transactions not checked: BigCommerce rejected the request (HTTP 400)."),
    ],
)  # fmt: skip
async def test_check_says_whether_the_token_reads_order_transactions(
    api: respx.MockRouter, fake_time: FakeTime, capsys: pytest.CaptureFixture[str], status: int, says: str
) -> None:
    api.get("/orders/count").respond(json={"count": 7, "statuses": []})
    with respx.mock(base_url=API.removesuffix("/v2") + "/v3") as v3:
        probe = v3.get("/orders/2147483647/transactions").respond(
            status, json={"status": status, "title": "", "type": ""}
        )
        assert await check_stores(Stores.single(small(fake_time))) == 0
    assert probe.call_count == 1
    out = capsys.readouterr().out
    assert out.startswith("OK   ")
    assert says in out


async def test_check_prints_no_secret_of_the_process_an_upstream_echoes(
    api: respx.MockRouter, fake_time: FakeTime, capsys: pytest.CaptureFixture[str]
) -> None:
    bearer, password = "cmd-BEARER-61aa-secret", "cmd-REDIS-e3c4-secret"
    register(bearer)
    register(password)
    api.get("/orders/count").respond(403, json={"status": 403, "title": f"{bearer} is not {password}"})
    assert await check_stores(Stores.single(small(fake_time))) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL ")
    assert bearer not in out
    assert password not in out
    assert "[secret] is not [secret]" in out


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("get_" + "order" * 20_000, "{}"),
        ("get_order", json.dumps({"order_id": 218, "include": [f"fee{n}" for n in range(5_000)]})),
    ],
)
async def test_call_errors_do_not_grow_with_the_input(
    capsys: pytest.CaptureFixture[str], tool: str, arguments: str
) -> None:
    from bigcommerce_orders_mcp.commands import call_tool

    code = await call_tool(Stores.single(small()), tool, arguments, every_page=False, pretty=False)
    assert code != 0
    assert 0 < len(capsys.readouterr().err) < 2048
