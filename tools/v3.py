"""Reading Orders v3 answers: the `{"data": [...], "meta": {...}}` envelope, checked and bounded."""

from __future__ import annotations

from typing import Any

from bigcommerce_orders_mcp.client import BigCommerceClient, InvalidResponseError, NotFoundError, PermissionDeniedError
from bigcommerce_orders_mcp.tools.base import order_not_found
from bigcommerce_orders_mcp.tools.lists import check_order

__all__ = ["MAX_V3_ROWS", "order_rows", "v3_rows"]

# An order has a handful of refunds and transactions; a page of the store's refunds is at most 250 at the
# limits the tools ask for. Far more rows in one answer is an upstream gone wrong, not a longer list.
MAX_V3_ROWS = 1000


def v3_rows(body: Any, what: str, *, limit: int = MAX_V3_ROWS) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The rows and the `meta` object of a v3 answer `body` (as `BigCommerceClient.get(..., api="v3")` returns it).

    `None` (204, or no body) is no rows and no meta. Otherwise `body` must be an object whose `data` is a list
    of at most `limit` objects, else `InvalidResponseError` with a sentence naming `what` (a plural such as
    "refunds of order 218"). A `meta` that is not an object is left out (`{}`), as any value that fails its type.
    """
    if body is None:
        return [], {}
    if not isinstance(body, dict):
        raise _not_rows(what, f"a JSON {_kind(body)} instead of an object with data")
    data = body.get("data")
    if not isinstance(data, list):
        found = "no data" if data is None else f"data that is a JSON {_kind(data)}, not a list"
        raise _not_rows(what, found)
    if len(data) > limit:
        raise _not_rows(what, f"{len(data):,} rows, more than the {limit:,} one answer may hold")
    for row in data:
        if not isinstance(row, dict):
            raise _not_rows(what, f"a row that is a JSON {_kind(row)}, not an object")
    meta = body.get("meta")
    return data, meta if isinstance(meta, dict) else {}


async def order_rows(
    client: BigCommerceClient, order_id: int, path: str, what: str, *, forbidden: str | None = None
) -> list[dict[str, Any]]:
    """The rows of one order's v3 sub-resource at `path` (relative to `/orders/{order_id}`), each naming this
    order if it names one; `what` is the singular ("refund"). A 404 means the order does not exist; a 403 raises
    `forbidden` as its sentence, when given (a scope the Orders scope does not include)."""
    try:
        body = await client.get(f"/orders/{order_id}{path}", api="v3")
    except NotFoundError:
        raise order_not_found(order_id) from None
    except PermissionDeniedError as exc:
        if forbidden is None:
            raise
        raise PermissionDeniedError(forbidden, status_code=exc.status_code) from None
    rows, _ = v3_rows(body, f"{what}s of order {order_id}")
    check_order(rows, order_id, what)
    return rows


def _not_rows(what: str, found: str) -> InvalidResponseError:
    return InvalidResponseError(f"Asked for the {what}, BigCommerce answered with {found}; retry later.")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
