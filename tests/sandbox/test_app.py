"""The demo store over HTTP: the gateway's checks, its errors, one order with its includes, response framing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bigcommerce_orders_mcp.sandbox import (
    RateLimiter,
    build_store,
    create_app,
)
from tests.sandbox.helpers import AUTH, BASE, MONEY_FIELDS, NOT_FOUND, STATUS_CODES_URL, client, get, link, spec_fixture

# ----------------------------------------------------------------------------------------------------------------
# Gateway: auth, store hash, Accept
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("headers", [{}, {"X-Auth-Token": "wrong"}, {"X-Auth-Token": ""}])
async def test_missing_or_wrong_token_is_401_with_v3_body(headers: dict[str, str]) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app()), base_url="http://sandbox") as http:
        response = await http.get(BASE + "/orders/218", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": 401, "title": "Unauthorized", "type": STATUS_CODES_URL, "errors": {}}


@pytest.mark.anyio
async def test_wrong_store_hash_is_403_like_bigcommerce() -> None:
    async with client() as http:
        response = await http.get("/stores/abc123/v2/orders/218")
    assert response.status_code == 403
    assert response.json() == spec_fixture("error.403.observed_thirdparty_scope.json")


@pytest.mark.anyio
@pytest.mark.parametrize("accept", ["text/html", "application/xml", "text/plain, text/html;q=0.5"])
async def test_unsupported_accept_is_406(accept: str) -> None:
    response = await get("/orders/218", headers={"Accept": accept})
    assert response.status_code == 406
    assert response.json()[0]["status"] == 406


@pytest.mark.anyio
@pytest.mark.parametrize(
    "accept", ["application/json", "*/*", "application/json; charset=utf-8", "text/html, application/json;q=0.9"]
)
async def test_json_compatible_accept_is_fine(accept: str) -> None:
    response = await get("/orders/218", headers={"Accept": accept})
    assert response.status_code == 200


@pytest.mark.anyio
async def test_absent_accept_is_fine() -> None:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        request = http.build_request("GET", BASE + "/orders/218", headers=AUTH)
        del request.headers["accept"]
        response = await http.send(request)
    assert response.status_code == 200


@pytest.mark.anyio
async def test_custom_store_hash_and_token() -> None:
    async with client(store_hash="abc123", access_token="tok") as http:
        ok = await http.get("/stores/abc123/v2/orders/218", headers={"X-Auth-Token": "tok"})
        default_hash = await http.get(BASE + "/orders/218", headers={"X-Auth-Token": "tok"})
        default_token = await http.get("/stores/abc123/v2/orders/218")
    assert ok.status_code == 200
    assert ok.json()["products"] == {
        "url": "https://api.bigcommerce.com/stores/abc123/v2/orders/218/products",
        "resource": "/orders/218/products",
    }
    assert default_hash.status_code == 403
    assert default_token.status_code == 401


# ----------------------------------------------------------------------------------------------------------------
# 404s and other errors
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    "path",
    [
        "/orders/999",
        "/orders/99",
        "/orders/abc",
        "/orders/0",
        "/orders/-218",
        "/orders/2.5",
        "/orders/99999999999999999999",
        "/orders/999/messages",
        "/orders/999/shipments",
        "/orders/abc/shipments",
        "/orders/0/shipments",
        "/orders/99999999999999999999/shipments",
        "/orders/999/products",
        "/orders/218/products/1",
        "/orders/218/nothing",
        "/customers",
        # Routes the MCP server never calls are not served.
        "/orders/218/products",
        "/orders/167/shippingaddresses",
        "/orders/167/shipping_addresses",
        "/orders/181/shippingaddresses/518/shippingquotes",
        "/orders/218/coupons",
        "/orders/167/consignments",
        "/orders/181/consignments/shipping/518/shipping_quotes",
        "/orders/218/fees",
    ],
)
async def test_not_found_is_a_v2_error_array(path: str) -> None:
    response = await get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.anyio
async def test_other_methods_are_rejected() -> None:
    async with client() as http:
        response = await http.put(BASE + "/orders/218", json={"status_id": 10})
    assert response.status_code == 405
    assert response.json()[0]["status"] == 405


@pytest.mark.anyio
async def test_paths_outside_the_api_are_404() -> None:
    async with client() as http:
        response = await http.get("/nope")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# ----------------------------------------------------------------------------------------------------------------
# GET /orders/{id}
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_order_without_include_has_link_objects() -> None:
    response = await get("/orders/218")
    assert response.status_code == 200
    order = response.json()
    assert order["products"] == link(218, "products")
    assert order["shipping_addresses"] == link(218, "shippingaddresses")
    assert order["coupons"] == link(218, "coupons")
    assert order["consignments"] == link(218, "consignments")
    assert order["fees"] == link(218, "fees")


@pytest.mark.anyio
async def test_order_218_reproduces_the_spec_response_example() -> None:
    expected = spec_fixture("get_order.200.example_Response.json")
    order = (await get("/orders/218")).json()
    for key in MONEY_FIELDS:
        assert order[key] == expected[key], key
    for key in (
        "id",
        "customer_id",
        "status_id",
        "status",
        "custom_status",
        "payment_method",
        "payment_status",
        "currency_code",
        "items_total",
        "items_shipped",
        "credit_card_type",
        "external_source",
        "ip_address",
        "order_source",
        "cart_id",
        "store_default_currency_code",
        "billing_address",
    ):
        assert order[key] == expected[key], key
    assert order["credit_card_type"] is None
    assert order["external_source"] is None


@pytest.mark.anyio
async def test_order_247_reproduces_the_multiple_items_example() -> None:
    expected = spec_fixture("get_order.200.example_Multiple_Items.json")
    order = (await get("/orders/247")).json()
    for key in (*MONEY_FIELDS, "items_total", "status", "payment_method", "staff_notes", "customer_message"):
        assert order[key] == expected[key], key
    assert order["currency_code"] == "USD"
    assert 'currency_code"' not in order
    assert order["credit_card_type"] == {}
    params = {"include": "consignments.line_items", "consignment_structure": "object"}
    consignments = (await get("/orders/247", params=params)).json()["consignments"]
    products = [item for shipping in consignments["shipping"] for item in shipping["line_items"]]
    assert len({p["product_id"] for p in products}) >= 5
    assert sum(p["quantity"] for p in products) == 11


@pytest.mark.anyio
async def test_include_fees_embeds_a_bare_array() -> None:
    order = (await get("/orders/218", params={"include": "fees"})).json()
    fees = order["fees"]
    assert isinstance(fees, list)
    assert [f["display_name_customer"] for f in fees] == ["A Fee", "B Fee"]
    assert fees[1] == spec_fixture("order_fees.200.example.json")["fees"][1]
    assert fees[0]["cost_ex_tax"] == "12.3000"
    assert order["consignments"] == link(218, "consignments")


@pytest.mark.anyio
async def test_include_consignments_without_object_structure_keeps_the_link() -> None:
    order = (await get("/orders/167", params={"include": "consignments"})).json()
    assert order["consignments"] == link(167, "consignments")


@pytest.mark.anyio
async def test_include_consignments_object_has_link_line_items() -> None:
    params = {"include": "consignments", "consignment_structure": "object"}
    order = (await get("/orders/167", params=params)).json()
    consignments = order["consignments"]
    assert set(consignments) == {"pickups", "shipping", "downloads", "email"}
    assert consignments["email"] == {"gift_certificates": []}
    shipping = consignments["shipping"]
    assert len(shipping) == order["shipping_address_count"] == 3
    expected_keys = set(spec_fixture("shipping_consignment.schema_x-example.json"))
    for consignment in shipping:
        assert set(consignment) == expected_keys
        for key in ("base_cost", "cost_ex_tax", "cost_inc_tax", "cost_tax", "handling_cost_inc_tax"):
            assert isinstance(consignment[key], float), key
        assert consignment["shipping_quotes"]["resource"] == (
            f"/orders/167/consignments/shipping/{consignment['id']}/shipping_quotes"
        )
        for item in consignment["line_items"]:
            assert set(item) == {"url", "resource"}
            assert item["resource"].startswith("/orders/167/products/")
            assert item["url"] == "https://api.bigcommerce.com/stores/sandbox/v2" + item["resource"]
    assert sum(c["items_total"] for c in shipping) == order["items_total"]
    assert order["fees"] == link(167, "fees")


@pytest.mark.anyio
async def test_include_consignment_line_items_embeds_order_products() -> None:
    params = {"include": "consignments.line_items", "consignment_structure": "object"}
    order = (await get("/orders/181", params=params)).json()
    products = build_store().orders[181].products
    (shipping,) = order["consignments"]["shipping"]
    assert shipping["line_items"] == products
    assert shipping["line_items"][0]["order_address_id"] == shipping["id"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "params",
    [
        {"include": "consignments,fees", "consignment_structure": "object"},
        {"include": "fees,consignments.line_items", "consignment_structure": "object"},
        {"include": ["consignments", "fees"], "consignment_structure": "object"},
        {"include": "consignments, consignments.line_items ,fees", "consignment_structure": "object"},
    ],
)
async def test_combined_includes(params: dict[str, Any]) -> None:
    order = (await get("/orders/218", params=params)).json()
    assert isinstance(order["fees"], list)
    assert isinstance(order["consignments"], dict)
    (shipping,) = order["consignments"]["shipping"]
    full = "line_items" in str(params["include"])
    assert ("product_options" in shipping["line_items"][0]) is full


@pytest.mark.anyio
@pytest.mark.parametrize(
    "params",
    [
        {"include": "bogus"},
        {"include": "consignments,products"},
        {"include": "consignments", "consignment_structure": "array"},
    ],
)
async def test_bad_include_is_400(params: dict[str, str]) -> None:
    response = await get("/orders/218", params=params)
    assert response.status_code == 400
    (error,) = response.json()
    assert error["status"] == 400
    assert error["message"]


@pytest.mark.anyio
async def test_pickup_consignment() -> None:
    params = {"include": "consignments", "consignment_structure": "object"}
    order = (await get("/orders/172", params=params)).json()
    assert order["status"] == "Awaiting Pickup"
    consignments = order["consignments"]
    assert consignments["shipping"] == []
    (pickup,) = consignments["pickups"]
    assert set(pickup) == set(spec_fixture("pickup_consignment.schema_x-example.json"))
    assert set(pickup["location"]) == set(spec_fixture("pickup_consignment.schema_x-example.json")["location"])
    assert len(pickup["line_items"]) == 2


@pytest.mark.anyio
async def test_digital_and_gift_certificate_consignments() -> None:
    params = {"include": "consignments", "consignment_structure": "object"}
    digital = (await get("/orders/129", params=params)).json()
    assert digital["order_is_digital"] is True
    assert digital["shipping_address_count"] == 0
    (download,) = digital["consignments"]["downloads"]
    assert download["recipient_email"] == digital["billing_address"]["email"]
    assert len(download["line_items"]) == 2

    gifts = (await get("/orders/159", params=params)).json()
    certificates = gifts["consignments"]["email"]["gift_certificates"]
    assert {c["recipient_email"] for c in certificates} == {"kemi.okafor@example.net", "tobi.okafor@example.net"}

    mixed = (await get("/orders/239", params=params)).json()["consignments"]
    assert len(mixed["downloads"]) == 1
    assert len(mixed["shipping"]) == 1


# ----------------------------------------------------------------------------------------------------------------
# Response framing: JSON encoding, rate-limit headers
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    "path",
    [
        "/orders?min_id=275",
        "/orders?page=3",
        "/orders/104/messages",
        "/orders/181/messages?page=2",
        "/orders/218/shipments",
        "/orders/199/shipments?page=2&limit=3",
    ],
)
async def test_an_empty_list_is_204_without_body(path: str) -> None:
    response = await get(path)
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert response.headers["x-rate-limit-requests-quota"] == "150"


@pytest.mark.anyio
async def test_json_is_compact_utf8() -> None:
    response = await get("/orders/226/messages")
    assert response.headers["content-type"] == "application/json"
    assert "注文ありがとうございます".encode() in response.content
    assert b'","' in response.content
    assert b'", "' not in response.content


@pytest.mark.anyio
async def test_rate_limit_headers_count_down_and_refill() -> None:
    now = [1000.0]
    async with client(rate_limiter=RateLimiter(clock=lambda: now[0])) as http:
        first = await http.get(BASE + "/orders/218")
        second = await http.get(BASE + "/orders/999")
        now[0] += 10
        third = await http.get("/stores/sandbox/v2/orders/218", headers={"X-Auth-Token": "nope"})
        now[0] += 25
        refilled = await http.get(BASE + "/orders/218")
    assert first.headers["x-rate-limit-time-window-ms"] == "30000"
    assert first.headers["x-rate-limit-requests-quota"] == "150"
    assert [r.headers["x-rate-limit-requests-left"] for r in (first, second, third, refilled)] == [
        "149",
        "148",
        "147",
        "149",
    ]
    assert third.headers["x-rate-limit-time-reset-ms"] == "20000"
    assert refilled.headers["x-rate-limit-time-reset-ms"] == "30000"


@pytest.mark.anyio
async def test_quota_never_goes_negative_and_never_429s() -> None:
    async with client(rate_limiter=RateLimiter(quota=2, clock=lambda: 0.0)) as http:
        responses = [await http.get(BASE + "/orders/218") for _ in range(4)]
    assert [r.status_code for r in responses] == [200] * 4
    assert [r.headers["x-rate-limit-requests-left"] for r in responses] == ["1", "0", "0", "0"]
