"""Reading Orders v3 answers: the `{"data": [...], "meta": {...}}` envelope, checked and bounded."""

from __future__ import annotations

from typing import Any

from bigcommerce_orders_mcp.client import InvalidResponseError

__all__ = ["MAX_V3_ROWS", "v3_rows"]

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
