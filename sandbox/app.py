"""A Starlette app that answers like the BigCommerce Orders v2 and v3 REST APIs, backed by the sandbox seed.

It serves only what the MCP server calls: orders (one, a filtered list, a count), an order's messages
and its shipments; in v3, an order's refunds and transactions and the store's refunds. Other paths get the
API's own 404 and 405 errors.
"""

from __future__ import annotations

import hmac
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bigcommerce_orders_mcp.sandbox.faults import Faults
from bigcommerce_orders_mcp.sandbox.payment_actions import store_refunds, v3_collection
from bigcommerce_orders_mcp.sandbox.query import (
    BadQuery,
    includes,
    message_filters,
    object_structure,
    order_filters,
    order_sort,
    paginate,
)
from bigcommerce_orders_mcp.sandbox.responses import (
    JSONResponse,
    RateLimiter,
    listing,
    missing_scope,
    unauthorized,
    v2_error,
    v3_error,
)
from bigcommerce_orders_mcp.sandbox.seed import build_store
from bigcommerce_orders_mcp.sandbox.store import (
    ADDRESS_KEYS,
    CUSTOM_STATUS_LABELS,
    SANDBOX_ACCESS_TOKEN,
    SANDBOX_STORE_HASH,
    STATUS_NAMES,
    Order,
    SandboxStore,
    link,
)

__all__ = ["create_app"]

Handler = Callable[[Request], Awaitable[Response]]

MAX_ORDER_ID = 2**31 - 1
NOT_FOUND = "The requested resource was not found."


class _SandboxApi:
    def __init__(
        self,
        store: SandboxStore,
        store_hash: str,
        access_token: str,
        limiter: RateLimiter,
        faults: Faults | None,
    ) -> None:
        self.store = store
        self.store_hash = store_hash
        self.access_token = access_token
        self.limiter = limiter
        self.faults = faults

    # ---------------------------------------------------------------- plumbing

    def guarded(self, handler: Handler) -> Handler:
        """Wrap a handler with the gateway checks, the faults and the rate-limit headers."""

        async def respond(request: Request) -> Response:
            response = self._gateway(request)
            if response is None:
                try:
                    response = await handler(request)
                except BadQuery as error:
                    shape = v3_error if request.url.path.split("/")[3:4] == ["v3"] else v2_error
                    response = shape(error.status, error.message)
            return response

        if self.faults is not None:
            faults = self.faults

            async def faulty(request: Request) -> Response:
                return await faults.handle(request, respond, self.limiter)

            return faulty
        return self.counted(respond)

    def _gateway(self, request: Request) -> Response | None:
        token = request.headers.get("x-auth-token", "")
        if not token or not hmac.compare_digest(token.encode(), self.access_token.encode()):
            return unauthorized()
        if request.path_params.get("store_hash") != self.store_hash:
            # BigCommerce answers a token used against another store's hash with this 403.
            return missing_scope()
        if not _accepts_json(request.headers.get("accept")):
            return v2_error(406, "The requested content type is not supported. Use application/json.")
        return None

    def relink(self, value: Any) -> Any:
        """Deep-copy a stored payload, pointing every link object at this app's store hash."""
        if isinstance(value, dict):
            if value.keys() == {"url", "resource"}:
                return link(value["resource"], self.store_hash)
            return {key: self.relink(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.relink(item) for item in value]
        return value

    def order_or_none(self, request: Request) -> Order | None:
        raw = request.path_params["order_id"]
        if not raw.isdigit() or not 0 < int(raw) <= MAX_ORDER_ID:
            return None
        return self.store.orders.get(int(raw))

    # ---------------------------------------------------------------- consignments

    def _line_items(self, order: Order, products: list[dict[str, Any]], full: bool) -> list[Any]:
        if full:
            return [self.relink(p) for p in products]
        return [link(f"/orders/{order.id}/products/{p['id']}", self.store_hash) for p in products]

    def consignments(self, order: Order, *, full_line_items: bool) -> dict[str, Any]:
        """The ``orderConsignment_Get`` object for one order."""
        full = full_line_items
        pickups = []
        for pickup in order.pickups:
            mine = [p for p in order.products if p["order_pickup_method_id"] == pickup["id"]]
            pickups.append({**self.relink(pickup), "line_items": self._line_items(order, mine, full)})
        return {
            "pickups": pickups,
            "shipping": [self._shipping_consignment(order, address, full) for address in order.shipping_addresses],
            "downloads": self._downloads(order, full),
            "email": {"gift_certificates": self._gift_certificates(order, full)},
        }

    def _shipping_consignment(self, order: Order, address: dict[str, Any], full: bool) -> dict[str, Any]:
        mine = [p for p in order.products if p["order_address_id"] == address["id"]]
        quotes = f"/orders/{order.id}/consignments/shipping/{address['id']}/shipping_quotes"
        return {
            "id": address["id"],
            **{key: address[key] for key in ADDRESS_KEYS},
            "form_fields": list(address["form_fields"]),
            "shipping_method": address["shipping_method"],
            "line_items": self._line_items(order, mine, full),
            "items_total": address["items_total"],
            "items_shipped": address["items_shipped"],
            **{key: float(address[key]) for key in _CONSIGNMENT_COSTS},
            "cost_tax_class_id": address["cost_tax_class_id"],
            "handling_cost_tax_class_id": address["handling_cost_tax_class_id"],
            "shipping_zone_id": address["shipping_zone_id"],
            "shipping_zone_name": address["shipping_zone_name"],
            "shipping_quotes": link(quotes, self.store_hash),
        }

    def _downloads(self, order: Order, full: bool) -> list[dict[str, Any]]:
        digital = [p for p in order.products if p["type"] == "digital"]
        if not digital:
            return []
        email = order.payload["billing_address"]["email"]
        return [{"recipient_email": email, "line_items": self._line_items(order, digital, full)}]

    def _gift_certificates(self, order: Order, full: bool) -> list[dict[str, Any]]:
        by_recipient: dict[str, list[dict[str, Any]]] = {}
        for product in order.products:
            if product["type"] == "giftcertificate":
                email = order.gift_certificate_recipients.get(product["id"], "")
                by_recipient.setdefault(email, []).append(product)
        return [
            {"recipient_email": email, "line_items": self._line_items(order, items, full)}
            for email, items in by_recipient.items()
        ]

    # ---------------------------------------------------------------- handlers

    def order_body(self, order: Order, wanted: set[str], structure: bool) -> dict[str, Any]:
        """An order as ``GET /v2/orders/{id}`` returns it, with the ``include``s asked for embedded."""
        body: dict[str, Any] = self.relink(order.payload)
        # Without consignment_structure=object the documented shape is unknown; the link is kept.
        if wanted & {"consignments", "consignments.line_items"} and structure:
            body["consignments"] = self.consignments(order, full_line_items="consignments.line_items" in wanted)
        if "fees" in wanted:
            body["fees"] = order.fees
        return body

    def matching_orders(self, request: Request) -> list[Order]:
        keep = order_filters(request)
        return [order for order in self.store.orders.values() if keep(order.payload)]

    async def get_orders(self, request: Request) -> Response:
        """``GET /v2/orders``: the orders the filters keep, sorted (by id unless asked), one page of them."""
        wanted, structure = includes(request), object_structure(request)
        key, descending = order_sort(request)
        matching = sorted(self.matching_orders(request), key=lambda order: key(order.payload), reverse=descending)
        return listing([self.order_body(order, wanted, structure) for order in paginate(request, matching)])

    async def get_order_count(self, request: Request) -> Response:
        """``GET /v2/orders/count``: how many orders per status, what ``check`` uses to prove the orders scope."""
        counts = Counter(order.payload["status_id"] for order in self.matching_orders(request))
        statuses = [
            {
                "id": status_id,
                "name": name,
                "system_label": name,
                "custom_label": CUSTOM_STATUS_LABELS.get(status_id, name),
                "count": counts.get(status_id, 0),
                "sort_order": status_id,
            }
            for status_id, name in STATUS_NAMES.items()
        ]
        return JSONResponse({"statuses": statuses, "count": counts.total()})

    async def get_order(self, request: Request) -> Response:
        order = self.order_or_none(request)
        if order is None:
            return v2_error(404, NOT_FOUND)
        return JSONResponse(self.order_body(order, includes(request), object_structure(request)))

    async def get_messages(self, request: Request) -> Response:
        order = self.order_or_none(request)
        if order is None:
            return v2_error(404, NOT_FOUND)
        keep = message_filters(request)
        matching = sorted((m for m in self.store.messages_for(order.id) if keep(m)), key=lambda m: m["id"])
        return listing(paginate(request, matching))

    async def get_shipments(self, request: Request) -> Response:
        order = self.order_or_none(request)
        if order is None:
            return v2_error(404, NOT_FOUND)
        return listing(paginate(request, order.shipments))

    async def get_refunds(self, request: Request) -> Response:
        """``GET /v3/orders/{id}/payment_actions/refunds``."""
        order = self.order_or_none(request)
        if order is None:
            return v3_error(404, NOT_FOUND)
        return v3_collection(self.store.refunds.get(order.id, []))

    async def get_store_refunds(self, request: Request) -> Response:
        """``GET /v3/orders/payment_actions/refunds``: every refund the filters keep, a page of them."""
        return store_refunds(request, self.store.all_refunds())

    async def get_transactions(self, request: Request) -> Response:
        """``GET /v3/orders/{id}/transactions``: 204 when the order has none."""
        order = self.order_or_none(request)
        if order is None:
            return v3_error(404, NOT_FOUND)
        rows = self.store.transactions.get(order.id)
        return v3_collection(rows) if rows else Response(status_code=204)

    def counted(self, handler: Handler) -> Handler:
        """Wrap a handler so it counts against the quota and its answer carries the rate-limit headers."""

        async def endpoint(request: Request) -> Response:
            headers = self.limiter.hit()
            response = await handler(request)
            response.headers.update(headers)
            return response

        return endpoint

    async def not_found(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return v2_error(405, "The requested method is not supported by this resource.")
        return v2_error(404, NOT_FOUND)


_ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_CONSIGNMENT_COSTS = (
    "base_cost",
    "cost_ex_tax",
    "cost_inc_tax",
    "cost_tax",
    "base_handling_cost",
    "handling_cost_ex_tax",
    "handling_cost_inc_tax",
    "handling_cost_tax",
)


def _accepts_json(accept: str | None) -> bool:
    if accept is None or not accept.strip():
        return True
    for media_range in accept.split(","):
        media_type = media_range.split(";", 1)[0].strip().lower()
        if media_type in ("application/json", "application/*", "*/*"):
            return True
    return False


def create_app(
    store: SandboxStore | None = None,
    *,
    store_hash: str = SANDBOX_STORE_HASH,
    access_token: str = SANDBOX_ACCESS_TOKEN,
    faults: Faults | None = None,
    rate_limiter: RateLimiter | None = None,
) -> Starlette:
    """Build the sandbox API app. Each app has its own rate-limit counter.

    Faults are opt-in: only with a ``Faults`` controller does the app serve ``/_sandbox/faults`` to
    switch them at run time; the controller is ``app.state.faults`` (None without one).
    """
    api = _SandboxApi(store or build_store(), store_hash, access_token, rate_limiter or RateLimiter(), faults)
    base = "/stores/{store_hash}/v2/orders/{order_id}"
    v3 = "/stores/{store_hash}/v3/orders/{order_id}"

    def get(path: str, handler: Handler) -> Route:
        return Route(path, api.guarded(handler), methods=["GET"])

    routes = [
        get("/stores/{store_hash}/v2/orders", api.get_orders),
        get("/stores/{store_hash}/v2/orders/count", api.get_order_count),
        get(base, api.get_order),
        get(base + "/messages", api.get_messages),
        get(base + "/shipments", api.get_shipments),
        get("/stores/{store_hash}/v3/orders/payment_actions/refunds", api.get_store_refunds),
        get(v3 + "/payment_actions/refunds", api.get_refunds),
        get(v3 + "/transactions", api.get_transactions),
        # Catch-alls, so unknown paths and methods get API-shaped errors instead of Starlette's text ones.
        Route("/stores/{store_hash}/{rest:path}", api.guarded(api.not_found), methods=_ANY_METHOD),
    ]
    if faults is not None:
        # A test tool on loopback: no BigCommerce auth, and it does not count against the quota.
        routes.append(Route("/_sandbox/faults", faults.control, methods=["GET", "PUT", "DELETE"]))
    routes.append(Route("/{rest:path}", api.counted(api.not_found), methods=_ANY_METHOD))
    app = Starlette(routes=routes)
    app.state.faults = faults
    return app
