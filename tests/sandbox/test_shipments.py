"""Order shipments: the route, the spec's shape, and how the seed's shipments agree with their orders."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from bigcommerce_orders_mcp.sandbox import (
    ADDRESS_KEYS,
)
from tests.sandbox.helpers import BASE, SEED, SPEC, client, get, rfc2822, store

# ----------------------------------------------------------------------------------------------------------------
# GET /orders/{id}/shipments
# ----------------------------------------------------------------------------------------------------------------

SHIPMENT_KEYS = {
    "id",
    "order_id",
    "customer_id",
    "order_address_id",
    "date_created",
    "tracking_number",
    "merchant_shipping_cost",
    "shipping_method",
    "shipping_provider",
    "tracking_carrier",
    "tracking_link",
    "comments",
    "billing_address",
    "shipping_address",
    "items",
    "shipping_provider_display_name",
    "generated_tracking_link",
}
SHIPPING_PROVIDERS = {"auspost", "canadapost", "endicia", "usps", "fedex", "ups", "upsready", "upsonline", "shipperhq",
                      "royalmail", ""}  # fmt: skip


def spec_properties(schema: str) -> set[str]:
    """The property names of one schema in the spec's YAML, read with just enough YAML to find them."""
    lines = SPEC.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"    {schema}:")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i].startswith("     "))
    body = lines[start + 1 : end]
    first = body.index("      properties:") + 1
    names: set[str] = set()
    for line in body[first:]:
        if line.strip() and not line.startswith("        "):
            break
        if line.startswith("        ") and not line.startswith("         ") and line.rstrip().endswith(":"):
            names.add(line.strip().removesuffix(":"))
    return names


@pytest.mark.skipif(not SPEC.exists(), reason="the spec lives in the shared reference folder")
@pytest.mark.parametrize(
    ("schema", "keys"),
    [
        ("orderShipment", SHIPMENT_KEYS),
        ("billingAddress_Base", set(ADDRESS_KEYS)),
        ("shippingAddress_Base", set(ADDRESS_KEYS)),
    ],
)
def test_the_shipment_keys_are_the_spec_s(schema: str, keys: set[str]) -> None:
    assert spec_properties(schema) == keys


async def shipments(order_id: int, **params: Any) -> list[dict[str, Any]]:
    response = await get(f"/orders/{order_id}/shipments", params=params)
    if response.status_code == 204:
        assert response.content == b""
        assert "content-type" not in response.headers
        return []
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


@pytest.mark.anyio
async def test_shipments_have_the_spec_shape() -> None:
    seen = 0
    async with client() as http:
        for order_id in SEED.orders:
            response = await http.get(f"{BASE}/orders/{order_id}/shipments")
            for shipment in response.json() if response.status_code == 200 else []:
                seen += 1
                assert set(shipment) == SHIPMENT_KEYS
                assert list(shipment["billing_address"]) == list(shipment["shipping_address"]) == list(ADDRESS_KEYS)
                assert shipment["items"]
                assert all(set(item) == {"order_product_id", "product_id", "quantity"} for item in shipment["items"])
                for key in ("id", "order_id", "customer_id", "order_address_id"):
                    assert type(shipment[key]) is int, key
                assert all(type(v) is int for item in shipment["items"] for v in item.values())
                for key in SHIPMENT_KEYS - {"id", "order_id", "customer_id", "order_address_id", "items"}:
                    assert isinstance(shipment[key], str | dict), key
                rfc2822(shipment["date_created"])
                Decimal(shipment["merchant_shipping_cost"])
                assert shipment["shipping_provider"] in SHIPPING_PROVIDERS
                assert shipment["order_id"] == order_id
    assert seen == sum(len(order.shipments) for order in SEED.orders.values()) > 15


@pytest.mark.anyio
async def test_shipments_of_a_split_order_and_a_partly_shipped_one() -> None:
    split = await shipments(243)
    assert [s["shipping_provider_display_name"] for s in split] == ["USPS", "FedEx"]
    assert split[0]["id"] < split[1]["id"]
    assert len({s["order_address_id"] for s in split}) == 1
    (freight,) = await shipments(150)
    order = (await get("/orders/150")).json()
    assert order["status"] == "Partially Shipped"
    assert sum(item["quantity"] for item in freight["items"]) == order["items_shipped"] < order["items_total"]
    assert freight["tracking_link"]
    assert freight["generated_tracking_link"] == ""


@pytest.mark.anyio
async def test_every_order_ships_what_it_says_it_shipped() -> None:
    async with client() as http:
        for order_id in SEED.orders:
            order = (await http.get(f"{BASE}/orders/{order_id}")).json()
            response = await http.get(f"{BASE}/orders/{order_id}/shipments")
            listed = response.json() if response.status_code == 200 else []
            assert sum(i["quantity"] for s in listed for i in s["items"]) == order["items_shipped"], order_id
            assert response.status_code == (200 if order["items_shipped"] else 204), order_id


@pytest.mark.anyio
async def test_shipment_paging() -> None:
    every = await shipments(199)
    assert len(every) == 3
    assert await shipments(199, limit=2) == every[:2]
    assert await shipments(199, limit=2, page=2) == every[2:]
    assert await shipments(199, limit=2, page=3) == []


def test_shipments_agree_with_their_orders() -> None:
    for order in store().orders.values():
        p = order.payload
        products = {product["id"]: product for product in order.products}
        addresses = {address["id"]: address for address in order.shipping_addresses}
        by_product: Counter[int] = Counter()
        by_address: Counter[int] = Counter()
        for shipment in order.shipments:
            assert (shipment["order_id"], shipment["customer_id"]) == (order.id, p["customer_id"])
            assert shipment["billing_address"] == {k: v for k, v in p["billing_address"].items() if k != "form_fields"}
            address = addresses[shipment["order_address_id"]]
            assert shipment["shipping_address"] == {key: address[key] for key in shipment["shipping_address"]}
            assert shipment["shipping_method"] == address["shipping_method"]
            created = rfc2822(shipment["date_created"])
            assert rfc2822(p["date_created"]) <= created <= rfc2822(p["date_shipped"]) <= rfc2822(p["date_modified"])
            for item in shipment["items"]:
                product = products[item["order_product_id"]]
                assert (product["order_address_id"], product["product_id"]) == (address["id"], item["product_id"])
                assert item["quantity"] > 0
                by_product[product["id"]] += item["quantity"]
                by_address[address["id"]] += item["quantity"]
        assert sum(by_product.values()) == p["items_shipped"], p["id"]
        assert by_product == {pr["id"]: pr["quantity_shipped"] for pr in order.products if pr["quantity_shipped"]}
        assert by_address == {a["id"]: a["items_shipped"] for a in order.shipping_addresses if a["items_shipped"]}
        if order.shipments:
            assert max(rfc2822(s["date_created"]) for s in order.shipments) == rfc2822(p["date_shipped"]), p["id"]


def test_shipment_ids_are_unique_and_increase_with_date() -> None:
    shipments = sorted((s for o in store().orders.values() for s in o.shipments), key=lambda s: s["id"])
    assert [s["id"] for s in shipments] == list(range(1, len(shipments) + 1))
    dates = [rfc2822(s["date_created"]) for s in shipments]
    assert dates == sorted(dates)


def test_shipment_variety() -> None:
    orders = store().orders
    shipments = [s for o in orders.values() for s in o.shipments]
    carriers = {s["shipping_provider_display_name"] or s["tracking_carrier"] for s in shipments}
    assert {"UPS", "USPS", "FedEx", "Royal Mail", "Australia Post", "Canada Post", "dhl-germany"} <= carriers
    # The spec: tracking_link is the merchant's own link, generated_tracking_link BigCommerce's; never both.
    assert all(bool(s["tracking_link"]) != bool(s["generated_tracking_link"]) for s in shipments)
    assert any(s["generated_tracking_link"] and not s["shipping_provider"] for s in shipments)
    assert any(s["tracking_link"] for s in shipments)
    assert any(s["comments"] for s in shipments)
    assert {s["merchant_shipping_cost"] == "0.0000" for s in shipments} == {True, False}
    one_address = [o for o in orders.values() if len({s["order_address_id"] for s in o.shipments}) < len(o.shipments)]
    assert one_address, "an order split into several shipments to one address"
    partial = [o for o in orders.values() if o.shipments and o.payload["items_shipped"] < o.payload["items_total"]]
    assert any(o.payload["status_id"] == 3 for o in partial), "a partially shipped order with its shipments"
    assert any(len({s["order_address_id"] for s in o.shipments}) > 1 for o in orders.values())
