"""A Starlette app that answers like the BigCommerce Orders v2 REST API, backed by the sandbox seed."""

from __future__ import annotations

import hmac
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.sandbox.data import (
    ADDRESS_KEYS,
    CUSTOM_STATUS_LABELS,
    SANDBOX_ACCESS_TOKEN,
    SANDBOX_STORE_HASH,
    STATUS_NAMES,
    Order,
    SandboxStore,
    build_store,
    link,
)
from server.sandbox.faults import Faults
from server.sandbox.responses import (
    JSONResponse,
    RateLimiter,
    missing_scope,
    unauthorized,
    v2_error,
)

__all__ = ["create_app"]

Handler = Callable[[Request], Awaitable[Response]]

MAX_LIMIT = 250
DEFAULT_LIMIT = 50
MAX_ORDER_ID = 2**31 - 1
INCLUDE_VALUES = ("consignments", "consignments.line_items", "fees")
NOT_FOUND = "The requested resource was not found."


def no_content() -> Response:
    """204 with no body and no Content-Type, as v2 lists answer when empty."""
    return Response(status_code=204)


class BadQuery(Exception):
    """A query parameter has a value the API rejects; carries the HTTP status and message."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --------------------------------------------------------------------------------------------------
# Query parsing
# --------------------------------------------------------------------------------------------------


def _int_param(request: Request, name: str, *, minimum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        raise BadQuery(f"The field '{name}' must be an integer.") from None
    if minimum is not None and value < minimum:
        raise BadQuery(f"The field '{name}' must be greater than or equal to {minimum}.")
    return value


def _date_param(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    text = raw.strip()
    parsed: datetime | None = None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            parsed = None
    if parsed is None:
        raise BadQuery(f"The field '{name}' must be a date in RFC-2822 or ISO-8601 format.")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _bool_param(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    value = raw.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise BadQuery(f"The field '{name}' must be true or false.")


def _paginate(request: Request, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    page = _int_param(request, "page", minimum=1) or 1
    limit = _int_param(request, "limit", minimum=1)
    if limit is None:
        limit = DEFAULT_LIMIT
    if limit > MAX_LIMIT:
        raise BadQuery(f"The field 'limit' must not be greater than {MAX_LIMIT}.", status=413)
    start = (page - 1) * limit
    return items[start : start + limit]


def _includes(request: Request) -> set[str]:
    """The comma-separated (``style: form, explode: false``) ``include`` values; unknown ones -> 400."""
    values: set[str] = set()
    for raw in request.query_params.getlist("include"):
        for part in raw.split(","):
            value = part.strip()
            if not value:
                continue
            if value not in INCLUDE_VALUES:
                allowed = ", ".join(INCLUDE_VALUES)
                raise BadQuery(f"The include value '{value}' is not valid. Allowed values: {allowed}.")
            values.add(value)
    return values


def _object_structure(request: Request) -> bool:
    structure = request.query_params.get("consignment_structure")
    if structure is not None and structure != "object":
        raise BadQuery("The field 'consignment_structure' must be 'object'.")
    return structure == "object"


def _parse_date_created(text: str) -> datetime:
    return parsedate_to_datetime(text)


# --------------------------------------------------------------------------------------------------
# The API
# --------------------------------------------------------------------------------------------------


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
                    response = v2_error(error.status, error.message)
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
        pickups = []
        for pickup in order.pickups:
            mine = [p for p in order.products if p["order_pickup_method_id"] == pickup["id"]]
            pickups.append({**self.relink(pickup), "line_items": self._line_items(order, mine, full_line_items)})

        shipping = []
        for address in order.shipping_addresses:
            mine = [p for p in order.products if p["order_address_id"] == address["id"]]
            shipping.append(
                {
                    "id": address["id"],
                    **{key: address[key] for key in ADDRESS_KEYS},
                    "form_fields": list(address["form_fields"]),
                    "shipping_method": address["shipping_method"],
                    "line_items": self._line_items(order, mine, full_line_items),
                    "items_total": address["items_total"],
                    "items_shipped": address["items_shipped"],
                    **{key: float(address[key]) for key in _CONSIGNMENT_COSTS},
                    "cost_tax_class_id": address["cost_tax_class_id"],
                    "handling_cost_tax_class_id": address["handling_cost_tax_class_id"],
                    "shipping_zone_id": address["shipping_zone_id"],
                    "shipping_zone_name": address["shipping_zone_name"],
                    "shipping_quotes": link(
                        f"/orders/{order.id}/consignments/shipping/{address['id']}/shipping_quotes", self.store_hash
                    ),
                }
            )

        downloads = []
        digital = [p for p in order.products if p["type"] == "digital"]
        if digital:
            downloads.append(
                {
                    "recipient_email": order.payload["billing_address"]["email"],
                    "line_items": self._line_items(order, digital, full_line_items),
                }
            )

        by_recipient: dict[str, list[dict[str, Any]]] = {}
        for product in order.products:
            if product["type"] == "giftcertificate":
                email = order.gift_certificate_recipients.get(product["id"], "")
                by_recipient.setdefault(email, []).append(product)
        gift_certificates = [
            {"recipient_email": email, "line_items": self._line_items(order, items, full_line_items)}
            for email, items in by_recipient.items()
        ]
        return {
            "pickups": pickups,
            "shipping": shipping,
            "downloads": downloads,
            "email": {"gift_certificates": gift_certificates},
        }

    # ---------------------------------------------------------------- handlers

    async def get_order_count(self, request: Request) -> Response:
        """`GET /v2/orders/count`: how many orders per status, what `check` uses to prove the orders scope."""
        counts = Counter(order.payload["status_id"] for order in self.store.orders.values())
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
        return JSONResponse({"statuses": statuses, "count": len(self.store.orders)})

    async def get_order(self, request: Request) -> Response:
        order = self.order_or_none(request)
        if order is None:
            return v2_error(404, NOT_FOUND)
        includes = _includes(request)
        object_structure = _object_structure(request)
        body: dict[str, Any] = self.relink(order.payload)
        wants_consignments = bool(includes & {"consignments", "consignments.line_items"})
        # Without consignment_structure=object the documented shape is unknown; the link is kept.
        if wants_consignments and object_structure:
            body["consignments"] = self.consignments(order, full_line_items="consignments.line_items" in includes)
        if "fees" in includes:
            body["fees"] = [dict(fee) for fee in order.fees]
        return JSONResponse(body)

    async def get_messages(self, request: Request) -> Response:
        order = self.order_or_none(request)
        if order is None:
            return v2_error(404, NOT_FOUND)
        min_id = _int_param(request, "min_id")
        max_id = _int_param(request, "max_id")
        customer_id = _int_param(request, "customer_id")
        min_date = _date_param(request, "min_date_created")
        max_date = _date_param(request, "max_date_created")
        is_flagged = _bool_param(request, "is_flagged")
        status = request.query_params.get("status")
        if status is not None and status not in ("read", "unread"):
            raise BadQuery("The field 'status' must be one of: read, unread.")

        def keep(message: dict[str, Any]) -> bool:
            created = _parse_date_created(message["date_created"])
            return (
                (min_id is None or message["id"] >= min_id)
                and (max_id is None or message["id"] <= max_id)
                and (customer_id is None or message["customer_id"] == customer_id)
                and (min_date is None or created >= min_date)
                and (max_date is None or created <= max_date)
                and (is_flagged is None or message["is_flagged"] is is_flagged)
                and (status is None or message["status"] == status)
            )

        matching = sorted((m for m in self.store.messages_for(order.id) if keep(m)), key=lambda m: m["id"])
        page = _paginate(request, matching)
        return JSONResponse([dict(m) for m in page]) if page else no_content()

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

    def get(path: str, handler: Handler) -> Route:
        return Route(path, api.guarded(handler), methods=["GET"])

    routes = [
        get("/stores/{store_hash}/v2/orders/count", api.get_order_count),
        get(base, api.get_order),
        get(base + "/messages", api.get_messages),
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
