"""Query parameters of the sandbox's Orders v2 routes, parsed and applied the way the API does.

Filters come in two kinds: ``min_X``/``max_X`` bounds (inclusive) and exact ``X`` matches. A value the
API would reject raises ``BadQuery``, which the app answers with the v2 error array.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from operator import itemgetter
from typing import Any, TypeVar

from starlette.requests import Request

__all__ = [
    "BadQuery",
    "Filters",
    "includes",
    "message_filters",
    "object_structure",
    "order_filters",
    "order_sort",
    "paginate",
]

JSON = dict[str, Any]
T = TypeVar("T")
Parse = Callable[[str, str], Any]
Value = Callable[[JSON], Any]

DEFAULT_LIMIT = 50
MAX_LIMIT = 250
INCLUDE_VALUES = ("consignments", "consignments.line_items", "fees")


class BadQuery(Exception):
    """A query parameter has a value the API rejects; carries the HTTP status and message."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --------------------------------------------------------------------------------------------------
# Values: each parser takes the parameter's name and its raw text
# --------------------------------------------------------------------------------------------------


def _integer(name: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise BadQuery(f"The field '{name}' must be an integer.") from None


def _number(name: str, raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise BadQuery(f"The field '{name}' must be a number, e.g. 12.50.")
    return value


def _date(name: str, raw: str) -> datetime:
    text = raw.strip()
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise BadQuery(f"The field '{name}' must be a date in RFC-2822 or ISO-8601 format.") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _boolean(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise BadQuery(f"The field '{name}' must be true or false.")


def _text(name: str, raw: str) -> str:
    return raw


def _folded(name: str, raw: str) -> str:
    return raw.strip().casefold()


def _one_of(*allowed: str) -> Parse:
    def parse(name: str, raw: str) -> str:
        if raw not in allowed:
            raise BadQuery(f"The field '{name}' must be one of: {', '.join(allowed)}.")
        return raw

    return parse


def _created(item: JSON) -> datetime:
    return parsedate_to_datetime(item["date_created"])


def _modified(item: JSON) -> datetime:
    return parsedate_to_datetime(item["date_modified"])


# --------------------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------------------


class Filters:
    """The checks a request's filter parameters ask for; call it with an item to know if it is kept.

    Every parameter is parsed when its check is added, so a bad value fails before anything is read.
    """

    def __init__(self, request: Request) -> None:
        self._params = request.query_params
        self._checks: list[Callable[[JSON], bool]] = []

    def _get(self, name: str, parse: Parse) -> Any:
        raw = self._params.get(name)
        return None if raw is None else parse(name, raw)

    def between(self, name: str, parse: Parse, value: Value) -> Filters:
        """``min_<name>`` and ``max_<name>``, both inclusive."""
        low, high = self._get(f"min_{name}", parse), self._get(f"max_{name}", parse)
        if low is not None:
            self._checks.append(lambda item: bool(value(item) >= low))
        if high is not None:
            self._checks.append(lambda item: bool(value(item) <= high))
        return self

    def equal(self, name: str, parse: Parse, value: Value) -> Filters:
        """``<name>``, matched exactly (after ``parse``)."""
        wanted = self._get(name, parse)
        if wanted is not None:
            self._checks.append(lambda item: bool(value(item) == wanted))
        return self

    def __call__(self, item: JSON) -> bool:
        return all(check(item) for check in self._checks)

    @property
    def keeps_all(self) -> bool:
        """No filter was given: every item is kept."""
        return not self._checks


def _shared(request: Request) -> Filters:
    """The filters orders and order messages have in common (the spec shares their parameters)."""
    return (
        Filters(request)
        .between("id", _integer, itemgetter("id"))
        .equal("customer_id", _integer, itemgetter("customer_id"))
        .between("date_created", _date, _created)
    )


def order_filters(request: Request) -> Filters:
    """The filters of ``GET /v2/orders`` and ``GET /v2/orders/count``, applied to order payloads."""
    # The store's database compares text without regard to case; ids are matched as given.
    return (
        _shared(request)
        .between("total", _number, lambda order: Decimal(order["total_inc_tax"]))
        .equal("email", _folded, lambda order: order["billing_address"]["email"].casefold())
        .equal("status_id", _integer, itemgetter("status_id"))
        .equal("cart_id", _text, itemgetter("cart_id"))
        .equal("payment_method", _folded, lambda order: order["payment_method"].casefold())
        .between("date_modified", _date, _modified)
        .equal("channel_id", _integer, itemgetter("channel_id"))
        .equal("external_order_id", _text, itemgetter("external_order_id"))
    )


def message_filters(request: Request) -> Filters:
    """The filters of ``GET /v2/orders/{id}/messages``, applied to messages."""
    return (
        _shared(request)
        .equal("is_flagged", _boolean, itemgetter("is_flagged"))
        .equal("status", _one_of("read", "unread"), itemgetter("status"))
    )


# --------------------------------------------------------------------------------------------------
# Sorting, paging, includes
# --------------------------------------------------------------------------------------------------

SORT_FIELDS: dict[str, Value] = {
    "id": itemgetter("id"),
    "customer_id": itemgetter("customer_id"),
    "date_created": _created,
    "date_modified": _modified,
    "status_id": itemgetter("status_id"),
    "channel_id": itemgetter("channel_id"),
    # Orders without one (null) come first, as a database sorts nulls ascending.
    "external_id": lambda order: (order["external_id"] is not None, order["external_id"] or ""),
}
"""The spec's sortable fields of ``GET /v2/orders``, each with its sort key on an order payload."""


def by_id(key: Value, descending: bool) -> bool:
    """Whether an order sort is the default, by id ascending: the order the store holds its orders in."""
    return key is SORT_FIELDS["id"] and not descending


def order_sort(request: Request) -> tuple[Value, bool]:
    """``sort=field[:asc|:desc]`` as a key on order payloads and whether it is descending; by id by default."""
    raw = request.query_params.get("sort")
    if raw is None:
        return SORT_FIELDS["id"], False
    field, _, direction = raw.strip().partition(":")
    if field not in SORT_FIELDS or direction.lower() not in ("", "asc", "desc"):
        raise BadQuery(
            f"The field 'sort' must be one of: {', '.join(SORT_FIELDS)}, optionally followed by ':asc' or ':desc'."
        )
    return SORT_FIELDS[field], direction.lower() == "desc"


def paginate(request: Request, items: Sequence[T]) -> list[T]:
    """The ``page`` (from 1) of ``limit`` items (default 50); a limit over 250 is refused with 413."""
    page = _get_at_least(request, "page", 1, default=1)
    limit = _get_at_least(request, "limit", 1, default=DEFAULT_LIMIT)
    if limit > MAX_LIMIT:
        raise BadQuery(f"The field 'limit' must not be greater than {MAX_LIMIT}.", status=413)
    start = (page - 1) * limit
    return list(items[start : start + limit])


def _get_at_least(request: Request, name: str, minimum: int, *, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    value = _integer(name, raw)
    if value < minimum:
        raise BadQuery(f"The field '{name}' must be greater than or equal to {minimum}.")
    return value


def includes(request: Request) -> set[str]:
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


def object_structure(request: Request) -> bool:
    """Whether ``consignment_structure=object`` was asked for (its only value)."""
    structure = request.query_params.get("consignment_structure")
    if structure is not None and structure != "object":
        raise BadQuery("The field 'consignment_structure' must be 'object'.")
    return structure == "object"
