"""list_order_shipments: the spec's example, names from the order, tracking links, carriers; the sandbox's parcels."""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import httpx
import pytest
import respx

from bigcommerce_orders_mcp.sandbox import build_store
from tests.calls import call_error, call_ok
from tests.conftest import TOKEN

pytestmark = pytest.mark.anyio


TOOL = "list_order_shipments"
NAMES_PARAMS = {"include": "consignments.line_items", "consignment_structure": "object"}


def _address(first: str, last: str, company: str, street: str, email: str) -> dict[str, str]:
    return {
        "first_name": first,
        "last_name": last,
        "company": company,
        "street_1": street,
        "street_2": "",
        "city": "Austin" if company == "" else "Anywhere",
        "state": "Texas" if company == "" else "Some State",
        "zip": "78751" if company == "" else "12345",
        "country": "United States",
        "country_iso2": "US",
        "phone": "555-123-4567",
        "email": email,
    }


JANE = _address("Jane", "Does", "", "123 Main Street", "janedoe@example.com")
LINK = "https://trkcnfrm1.smi.usps.com/PTSInternetWeb/InterLabelInquiry.do?strOrigTrackNum=EJ958083578US"


def spec_example() -> list[dict[str, Any]]:
    """The example of orderShipmentCollection_Resp in the spec (GET /orders/{order_id}/shipments), verbatim."""
    first = {
        "id": 6,
        "order_id": 225,
        "customer_id": 11,
        "order_address_id": 127,
        "date_created": "Mon, 11 Mar 2019 17:22:08 +0000",
        "tracking_number": "EJ958083578US",
        "merchant_shipping_cost": "0.0000",
        "shipping_method": "None",
        "comments": "Ready to go...",
        "shipping_provider": "usps",
        "tracking_carrier": "",
        "tracking_link": "",
        "billing_address": JANE,
        "shipping_address": _address("Trishy", "Smith", "Acme Pty Ltd", "666 Sussex St", "elsie@example.com"),
        "items": [{"order_product_id": 188, "product_id": 0, "quantity": 1}],
        "shipping_provider_display_name": "USPS",
        "generated_tracking_link": LINK,
    }
    second = {
        **first,
        "id": 7,
        "order_address_id": 128,
        "date_created": "Mon, 11 Mar 2019 17:22:31 +0000",
        "tracking_number": "EJ958083578UK",
        "comments": "Janes Order",
        "shipping_address": {**JANE, "last_name": "Doe", "street_1": "555 Main Street"},
        "items": [{"order_product_id": 189, "product_id": 0, "quantity": 1}],
    }
    return [copy.deepcopy(first), copy.deepcopy(second)]


def order_naming(*lines: dict[str, Any]) -> dict[str, Any]:
    """An order with the given line items in its consignments, as include=consignments.line_items gives it."""
    return {"id": 225, "consignments": {"shipping": [{"id": 127, "line_items": list(lines)}], "pickups": []}}


ORDER_225 = order_naming(
    {"id": 188, "name": "Orbit Terrarium - Large", "sku": "OTL", "quantity": 1},
    {"id": 189, "name": "Orbit Terrarium - Small", "name_customer": "Small Orbit Terrarium", "sku": "OTS"},
)


def shipment(**fields: Any) -> dict[str, Any]:
    return {**spec_example()[0], **fields}


async def test_the_server_instructions_point_parcel_questions_here(mcp_client: Any) -> None:
    line = next(line for line in (mcp_client.instructions or "").splitlines() if TOOL in line)
    assert "tracking number" in line


async def test_the_spec_example_is_summarised_with_names_from_the_order(mcp_client: Any, api: respx.MockRouter) -> None:
    shipments = api.get("/orders/225/shipments").respond(json=spec_example())
    order = api.get("/orders/225").respond(json=ORDER_225)
    data = await call_ok(mcp_client, TOOL, {"order_id": 225})
    assert data == {
        "order_id": 225,
        "shipments": [
            {
                "id": 6,
                "date": "2019-03-11T17:22:08Z",
                "carrier": "USPS",
                "tracking_number": "EJ958083578US",
                "tracking_link": LINK,
                "ship_to": "Trishy Smith, Acme Pty Ltd, 666 Sussex St, Anywhere, Some State 12345, United States",
                "items": [{"name": "Orbit Terrarium - Large", "sku": "OTL", "quantity": 1}],
                "comments": "Ready to go...",
            },
            {
                "id": 7,
                "date": "2019-03-11T17:22:31Z",
                "carrier": "USPS",
                "tracking_number": "EJ958083578UK",
                "tracking_link": LINK,
                "ship_to": "Jane Doe, 555 Main Street, Austin, Texas 78751, United States",
                "items": [{"name": "Small Orbit Terrarium", "sku": "OTS", "quantity": 1}],
                "comments": "Janes Order",
            },
        ],
    }
    assert dict(shipments.calls.last.request.url.params) == {"page": "1", "limit": "50"}
    assert order.call_count == 1
    assert dict(order.calls.last.request.url.params) == NAMES_PARAMS


@pytest.mark.parametrize(
    "names",
    [
        httpx.Response(500),
        httpx.Response(404),
        httpx.Response(200, json=[]),
        httpx.Response(200, json={"id": 225, "consignments": {"url": "u", "resource": "/r"}}),
        httpx.Response(200, json=order_naming({"id": 999, "name": "Another item"}, {"id": 188, "sku": "OTL"})),
    ],
    ids=["500", "404", "not an order", "consignments as a link", "ids not named"],
)
async def test_items_keep_their_ids_when_the_order_does_not_name_them(
    mcp_client: Any, api: respx.MockRouter, names: httpx.Response
) -> None:
    api.get("/orders/225/shipments").respond(json=spec_example())
    api.get("/orders/225").mock(return_value=names)
    data = await call_ok(mcp_client, TOOL, {"order_id": 225})
    assert [s["items"] for s in data["shipments"]] == [
        [{"quantity": 1, "order_product_id": 188}],
        [{"quantity": 1, "order_product_id": 189}],
    ]
    assert data["shipments"][0]["tracking_number"] == "EJ958083578US"


async def test_names_come_from_pickups_and_downloads_too(mcp_client: Any, api: respx.MockRouter) -> None:
    items = [{"order_product_id": n, "product_id": 70 + n, "quantity": 2} for n in (1, 2, 3)]
    api.get("/orders/5/shipments").respond(json=[shipment(items=items, order_id=5)])
    consignments = {
        "pickups": [{"line_items": [{"id": 1, "name": "Picked up"}]}],
        "downloads": [{"line_items": [{"id": 2, "name": "Downloaded", "sku": "EBOOK"}]}],
        "email": {"gift_certificates": [{"line_items": [{"id": 3, "name": "Gift certificate"}]}]},
    }
    api.get("/orders/5").respond(json={"id": 5, "consignments": consignments})
    data = await call_ok(mcp_client, TOOL, {"order_id": 5})
    assert data["shipments"][0]["items"] == [
        {"name": "Picked up", "quantity": 2},
        {"name": "Downloaded", "sku": "EBOOK", "quantity": 2},
        {"quantity": 2, "order_product_id": 3, "product_id": 73},
    ]


@pytest.mark.parametrize(
    ("tracking_link", "generated", "expected"),
    [
        ("https://merchant.example/track/1", "", "https://merchant.example/track/1"),
        ("", "https://generated.example/1", "https://generated.example/1"),
        ("https://merchant.example/track/1", "https://generated.example/1", "https://merchant.example/track/1"),
        ("  ", " https://generated.example/1 ", "https://generated.example/1"),
        ("", "", None),
    ],
)
async def test_the_merchants_tracking_link_wins_over_the_generated_one(
    mcp_client: Any, api: respx.MockRouter, tracking_link: str, generated: str, expected: str | None
) -> None:
    api.get("/orders/225/shipments").respond(
        json=[shipment(tracking_link=tracking_link, generated_tracking_link=generated)]
    )
    api.get("/orders/225").respond(json=ORDER_225)
    (data,) = (await call_ok(mcp_client, TOOL, {"order_id": 225}))["shipments"]
    assert data.get("tracking_link") == expected


@pytest.mark.parametrize(
    ("display", "provider", "carrier", "expected"),
    [
        ("USPS", "usps", "", "USPS"),
        ("ShipperHQ", "shipperhq", "fedex", "ShipperHQ"),
        ("", "royalmail", "", "Royal Mail"),
        ("", "auspost", "", "Australia Post"),
        ("", "", "dhl-germany", "DHL Germany"),
        ("", "", "japan-post", "Japan Post"),
        ("", "endicia", "usps", "USPS"),
        ("", "carrier_1234567", "", "Carrier 1234567"),
        ("", "", "", None),
    ],
)
async def test_the_carrier_is_the_display_name_else_the_codes_made_readable(
    mcp_client: Any, api: respx.MockRouter, display: str, provider: str, carrier: str, expected: str | None
) -> None:
    fields = {"shipping_provider_display_name": display, "shipping_provider": provider, "tracking_carrier": carrier}
    api.get("/orders/225/shipments").respond(json=[shipment(**fields)])
    api.get("/orders/225").respond(json=ORDER_225)
    (data,) = (await call_ok(mcp_client, TOOL, {"order_id": 225}))["shipments"]
    assert data.get("carrier") == expected


@pytest.mark.parametrize(
    "response", [httpx.Response(204), httpx.Response(200, content=b""), httpx.Response(200, json=[])]
)
async def test_no_shipments_says_nothing_has_shipped_and_asks_for_no_names(
    mcp_client: Any, api: respx.MockRouter, response: httpx.Response
) -> None:
    api.get("/orders/218/shipments").mock(return_value=response)
    order = api.get("/orders/218").respond(json=ORDER_225)
    data = await call_ok(mcp_client, TOOL, {"order_id": 218})
    assert data == {
        "order_id": 218,
        "shipments": [],
        "notice": "Nothing has shipped yet for order 218.",
    }
    assert not order.called


async def test_an_empty_later_page_does_not_say_nothing_shipped(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/225/shipments").respond(204)
    data = await call_ok(mcp_client, TOOL, {"order_id": 225, "page": 3, "limit": 2})
    assert data["notice"] == "Order 225 has no shipments on page 3; earlier pages hold them all."


async def test_a_missing_order(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/404/shipments").respond(
        404, json=[{"status": 404, "message": "The requested resource was not found."}]
    )
    result = await mcp_client.call_tool(TOOL, {"order_id": 404})
    assert await call_error(mcp_client, TOOL, {"order_id": 404}) == (
        "Order 404 was not found in this store; check the order number."
    )
    assert result.structured_content["error"] == {
        "type": "not_found",
        "message": "Order 404 was not found in this store; check the order number.",
        "status": 404,
    }


@pytest.mark.parametrize("body", [{"id": 6}, "shipments", 7])
async def test_a_body_that_is_not_a_list_is_an_invalid_response(
    mcp_client: Any, api: respx.MockRouter, body: Any
) -> None:
    api.get("/orders/225/shipments").respond(json=body)
    result = await mcp_client.call_tool(TOOL, {"order_id": 225})
    text = await call_error(mcp_client, TOOL, {"order_id": 225})
    assert text == "BigCommerce answered with something other than a list of shipments for order 225; retry later."
    assert result.structured_content["error"]["type"] == "invalid_response"


@pytest.mark.parametrize(
    ("args", "expected", "parameters"),
    [
        ({}, "'order_id' is required", ["order_id"]),
        ({"order_id": 0}, "'order_id' must be greater than or equal to 1 (got 0)", ["order_id"]),
        ({"order_id": "243; drop"}, "'order_id' must be an integer", ["order_id"]),
        ({"order_id": 1, "limit": 0}, "'limit' must be greater than or equal to 1", ["limit"]),
        ({"order_id": 1, "limit": 251}, "'limit' must be less than or equal to 250", ["limit"]),
        ({"order_id": 1, "page": 0}, "'page' must be greater than or equal to 1", ["page"]),
        ({"order_id": 1, "page": 1.5}, "'page' must be an integer", ["page"]),
        (
            {"order_id": 1, "tracking_number": "X"},
            "unknown argument 'tracking_number' (allowed: order_id, page, limit)",
            ["tracking_number"],
        ),
    ],
)
async def test_invalid_arguments_are_named_and_nothing_is_sent(
    mcp_client: Any, api: respx.MockRouter, args: dict[str, Any], expected: str, parameters: list[str]
) -> None:
    result = await mcp_client.call_tool(TOOL, args)
    text = await call_error(mcp_client, TOOL, args)
    assert text.startswith(f"Invalid arguments for {TOOL}: ")
    assert expected in text
    assert result.structured_content["error"]["type"] == "invalid_arguments"
    assert result.structured_content["error"]["parameters"] == parameters
    assert not api.calls


async def test_a_full_page_says_how_to_get_the_next(mcp_client: Any, api: respx.MockRouter) -> None:
    route = api.get("/orders/225/shipments").respond(json=spec_example())
    api.get("/orders/225").respond(json=ORDER_225)
    data = await call_ok(mcp_client, TOOL, {"order_id": "225", "page": 2, "limit": 2})
    assert (data["page"], len(data["shipments"]), data["has_more"]) == (2, 2, True)
    assert data["next_page"] == {"order_id": 225, "page": 3, "limit": 2}
    assert dict(route.calls.last.request.url.params) == {"page": "2", "limit": "2"}
    short = await call_ok(mcp_client, TOOL, {"order_id": 225, "limit": 3})
    assert not {"page", "has_more", "next_page"} & set(short)
    assert "next_page" not in short


async def test_text_is_cleaned_cut_and_empty_fields_left_out(mcp_client: Any, api: respx.MockRouter) -> None:
    address = dict.fromkeys(JANE, "") | {"first_name": "Ann\u202e", "street_1": "\u200b1 Elm St\x07", "city": "Leeds"}
    item = {"order_product_id": 188, "product_id": 0, "quantity": 0}
    bare = {
        "id": 9,
        "date_created": "",
        "tracking_number": " \u200b ",
        "shipping_method": "",
        "comments": "x" * 600,
        "shipping_address": address,
        "items": [item, "junk"],
    }
    api.get("/orders/225/shipments").respond(json=[bare, "junk"])
    api.get("/orders/225").respond(json=order_naming({"id": 188, "name": "\u2066Mug\u2069", "sku": ""}))
    data = await call_ok(mcp_client, TOOL, {"order_id": 225})
    (only,) = data["shipments"]
    assert data["ship_to"] == "Ann, 1 Elm St, Leeds"
    assert set(only) == {"id", "items", "comments"}
    assert only["items"] == [{"name": "Mug"}]
    assert only["comments"].startswith("x" * 100 + " […100 of 600 characters cut here; the whole comment is on")
    assert only["comments"].endswith("] " + "x" * 400)


async def test_the_token_is_in_no_output_and_no_log_line(
    mcp_client: Any, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    api.get("/orders/225/shipments").respond(json=spec_example())
    api.get("/orders/225").respond(500, text=f"echo {TOKEN}")
    api.get("/orders/1/shipments").respond(401)
    api.get("/orders/2/shipments").respond(503, text=f"echo {TOKEN}")
    api.get("/orders/3/shipments").mock(side_effect=httpx.ConnectError(f"refused {TOKEN}"))
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG):
        for args in ({"order_id": 225}, {"order_id": 1}, {"order_id": 2}, {"order_id": 3}):
            result = await mcp_client.call_tool(TOOL, args)
            seen.append(json.dumps(result.model_dump(mode="json")))
    assert TOKEN not in caplog.text
    assert not any(TOKEN in text for text in seen)


# ------------------------------------------------------------------------------ the sandbox store


async def test_a_split_shipment_from_the_sandbox(sandbox: Any) -> None:
    data = await call_ok(sandbox, TOOL, {"order_id": 243})
    assert data == {
        "order_id": 243,
        "ship_to": "Grace Liu, 4110 Telegraph Ave, Oakland, California 94609, United States",
        "shipments": [
            {
                "id": 19,
                "date": "2025-11-29T06:32:46Z",
                "carrier": "USPS",
                "tracking_number": "9400111206213921450835",
                "tracking_link": "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111206213921450835",
                "method": "Free Shipping",
                "items": [
                    {"name": "Chemex Coffeemaker 3 Cup", "sku": "CC3C", "quantity": 1},
                    {"name": "Beeswax Wraps (3-pack)", "sku": "BWR3", "quantity": 1},
                ],
            },
            {
                "id": 20,
                "date": "2025-11-29T11:32:46Z",
                "carrier": "FedEx",
                "tracking_number": "794698765432",
                "tracking_link": "https://www.fedex.com/fedextrack/?trknbr=794698765432",
                "method": "Free Shipping",
                "items": [{"name": "Ceramic Pour-over Kettle", "sku": "CPOK", "quantity": 1}],
                "comments": "Kettle shipped on its own.",
            },
        ],
    }


async def test_parcels_to_several_addresses_each_name_theirs(sandbox: Any) -> None:
    data = await call_ok(sandbox, TOOL, {"order_id": 167})
    assert "ship_to" not in data
    assert len({s["ship_to"] for s in data["shipments"]}) == 3
    paged = await call_ok(sandbox, TOOL, {"order_id": 167, "limit": 2})
    assert paged["next_page"] == {"order_id": 167, "page": 2, "limit": 2}
    rest = await call_ok(sandbox, TOOL, paged["next_page"])
    assert [s["id"] for s in paged["shipments"] + rest["shipments"]] == [s["id"] for s in data["shipments"]]
    assert rest["has_more"] is False


@pytest.mark.parametrize("order_id", [150, 239])
async def test_a_partially_shipped_order_lists_what_left(sandbox: Any, order_id: int) -> None:
    order = await call_ok(sandbox, "get_order", {"order_id": order_id})
    data = await call_ok(sandbox, TOOL, {"order_id": order_id})
    shipped = sum(item["quantity"] for s in data["shipments"] for item in s["items"])
    assert shipped == order["items_shipped"] < order["items"]
    assert all(item["name"] and item["sku"] for s in data["shipments"] for item in s["items"])


async def test_an_order_not_shipped_in_the_sandbox(sandbox: Any) -> None:
    data = await call_ok(sandbox, TOOL, {"order_id": 218})
    assert (data["shipments"], data["notice"]) == ([], "Nothing has shipped yet for order 218.")
    assert "Order 99999 was not found" in await call_error(sandbox, TOOL, {"order_id": 99999})


async def test_the_summary_is_less_than_half_the_raw_shipments(sandbox: Any) -> None:
    store = build_store()
    shipped = [order for order in store.orders.values() if order.shipments]
    assert shipped
    assert {order.id for order in shipped} == {o.id for o in store.orders.values() if o.payload["items_shipped"]}
    raw = sum(len(json.dumps(order.shipments, separators=(",", ":")).encode()) for order in shipped)
    summaries = 0
    for order in shipped:
        result = await sandbox.call_tool(TOOL, {"order_id": order.id})
        summaries += len(result.content[0].text.encode())
    assert summaries * 2 <= raw, (summaries, raw)


# ------------------------------------------------------------------------------ issue 18: identity, links, bounds


async def test_shipments_of_another_order_are_an_invalid_response(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/225/shipments").respond(json=[shipment(), shipment(id=8, order_id=3)])
    api.get("/orders/225").respond(json=ORDER_225)
    result = await mcp_client.call_tool(TOOL, {"order_id": 225})
    assert await call_error(mcp_client, TOOL, {"order_id": 225}) == (
        "Asked for the shipments of order 225, BigCommerce answered with a shipment of order 3; retry later."
    )
    assert result.structured_content["error"]["type"] == "invalid_response"


async def test_item_names_from_another_order_are_an_invalid_response(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/225/shipments").respond(json=spec_example())
    api.get("/orders/225").respond(json={**ORDER_225, "id": 226})
    assert await call_error(mcp_client, TOOL, {"order_id": 225}) == (
        "Asked for order 225 to name its items, BigCommerce answered with order 226; retry later."
    )


@pytest.mark.parametrize(
    "link",
    [
        "\x00jAvAsCrIpT:fetch('//x.example')",
        "\u200b DATA:text/html;base64,PHNjcmlwdD4=",
        "FILE:///etc/shadow",
        "  VbScript:MsgBox(1)",
        "java\tscript:alert(1)",
        "ftp://files.example/track",
        "//tracking.example/1",
        "https:///no-host",
        "https://[::1/broken",
        "https://tracking.example/" + "a" * 3000,
        "https://tracking.example/a b",
        "tracking.example/1",
    ],
)
async def test_only_http_links_of_bounded_length_are_tracking_links(
    mcp_client: Any, api: respx.MockRouter, link: str
) -> None:
    api.get("/orders/225/shipments").respond(
        json=[shipment(tracking_link=link, generated_tracking_link=""), shipment(id=7, generated_tracking_link=link)]
    )
    api.get("/orders/225").respond(json=ORDER_225)
    data = await call_ok(mcp_client, TOOL, {"order_id": 225})
    assert [s.get("tracking_link") for s in data["shipments"]] == [None, None]


async def test_a_link_that_is_not_one_gives_way_to_the_generated_one(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/225/shipments").respond(json=[shipment(tracking_link="javascript:void(0)")])
    api.get("/orders/225").respond(json=ORDER_225)
    (data,) = (await call_ok(mcp_client, TOOL, {"order_id": 225}))["shipments"]
    assert data["tracking_link"] == LINK


async def test_ids_and_quantities_that_are_not_numbers_of_their_kind_are_left_out(
    mcp_client: Any, api: respx.MockRouter
) -> None:
    items = [{"order_product_id": -188, "product_id": 0, "quantity": -2}, {"order_product_id": "7.5", "quantity": 1}]
    api.get("/orders/225/shipments").respond(json=[shipment(id=0, items=items, date_created="0000-00-00T00:00:00")])
    api.get("/orders/225").respond(json=ORDER_225)
    (data,) = (await call_ok(mcp_client, TOOL, {"order_id": 225}))["shipments"]
    assert not {"id", "date"} & set(data)
    assert data["items"] == [{}, {"quantity": 1}]


async def test_a_shipment_of_thousands_of_items_is_bounded_and_says_so(mcp_client: Any, api: respx.MockRouter) -> None:
    items = [{"order_product_id": n, "product_id": n, "quantity": 1} for n in range(1, 2501)]
    api.get("/orders/225/shipments").respond(json=[shipment(items=items), shipment(id=7)])
    api.get("/orders/225").respond(json=ORDER_225)
    data = await call_ok(mcp_client, TOOL, {"order_id": 225})
    assert [len(s["items"]) for s in data["shipments"]] == [100, 1]
    assert data["cut"] == [
        "shipment 6: […2400 of 2500 items cut here; the whole shipment is in the BigCommerce control panel]"
    ]
