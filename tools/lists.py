"""What the list tools share: date filters and ranges, pages, and fetching a v2 list."""

from __future__ import annotations

from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from bigcommerce_orders_mcp.client import BigCommerceClient, InvalidResponseError, NotFoundError
from bigcommerce_orders_mcp.tools.base import Arguments, Output, answered_otherwise, order_not_found, shown
from bigcommerce_orders_mcp.tools.values import as_id, as_int, non_empty, parse_date

__all__ = ["DateFilter", "Page", "check_ranges", "get_list", "page_fields"]


def _api_date(value: str | None) -> str | None:
    """Any RFC-2822 or ISO-8601 date as RFC-2822 in UTC; a date without a zone is taken as UTC."""
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(
            "must be an RFC-2822 date such as 'Thu, 20 Apr 2017 11:32:00 -0400' "
            "or an ISO-8601 date such as '2017-04-20T11:32:00-04:00'"
        )
    try:
        moment = parsed.replace(tzinfo=parsed.tzinfo or UTC).astimezone(UTC)
    except OverflowError:
        raise ValueError("must be between the years 1 and 9999 in UTC") from None
    # The API takes RFC-2822 or ISO-8601, and writes its own dates (date_created, date_modified) as
    # RFC-2822 in UTC: sending that same form compares like with like, with no zone left to guess.
    return format_datetime(moment)


DateFilter = Annotated[str | None, AfterValidator(_api_date)]
"""A date filter (`min_date_created`, ...): RFC-2822 or ISO-8601 in, `Wed, 01 May 2024 00:00:00 +0000` out."""


def check_ranges(args: BaseModel, *names: str) -> None:
    """Each `min_<name>` at most its `max_<name>`; a ValueError naming both otherwise."""
    for name in names:
        low, high = getattr(args, f"min_{name}"), getattr(args, f"max_{name}")
        if low is None or high is None:
            continue
        if isinstance(low, str):
            if parsedate_to_datetime(low) > parsedate_to_datetime(high):
                raise ValueError(f"min_{name} must not be after max_{name}")
        elif low > high:
            raise ValueError(f"min_{name} ({low}) must not be greater than max_{name} ({high})")


class Page(Output):
    """Base of list outputs. v2 lists carry no total: a full page is the only sign that more may follow.

    A first page that is not full is the whole list and says nothing about paging."""

    page: int | None = Field(None, description="This page's number; absent when this page is the whole list.")
    has_more: bool | None = Field(
        None,
        description="True when this page is full, so a next page may exist; absent when this page is the whole list.",
    )
    next_page: dict[str, Any] | None = Field(None, description="The exact arguments of the next call, when has_more.")
    cut: list[str] | None = Field(
        None, description="What was cut short to keep this result small, and how to get it all."
    )

    def to_json_dict(self) -> dict[str, Any]:
        # What was found first, then what was cut and where the list goes on.
        data = super().to_json_dict()
        paging: dict[str, Any] = {key: data.pop(key) for key in ("cut", "page", "has_more", "next_page") if key in data}
        return {**data, **paging}


def page_fields(args: Arguments, received: int) -> dict[str, Any]:
    """`page`, `has_more` and `next_page` of a list page, from arguments with `page` and `limit`; none of them
    for a first page that is not full, the whole list (the usual answer)."""
    page, limit = (args.model_dump()[name] for name in ("page", "limit"))
    has_more = received >= limit
    if page == 1 and not has_more:
        return {}
    next_page = None
    if has_more:
        given = args.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        next_page = {**given, "page": page + 1, "limit": limit}
    return {"page": page, "has_more": has_more, "next_page": next_page}


async def get_list(
    client: BigCommerceClient, path: str, params: dict[str, str], *, what: str, order_id: int | None = None
) -> list[Any]:
    """A v2 list: 204 or no body is empty; a 404 of an order's sub-list means the order does not exist."""
    try:
        body = await client.get(path, params)
    except NotFoundError:
        if order_id is None:
            raise
        raise order_not_found(order_id) from None
    if body is None:
        return []
    if not isinstance(body, list):
        of = f" for order {order_id}" if order_id is not None else ""
        raise InvalidResponseError(f"BigCommerce answered with something other than a list of {what}{of}; retry later.")
    return body


def check_order(rows: list[dict[str, Any]], order_id: int, what: str) -> None:
    """Each row of an order's sub-list that names its order names this one: a page of another order's
    `what` (a misrouted proxy, a cache) is an invalid response, not this order's."""
    for row in rows:
        if non_empty(row.get("order_id")) and as_id(row["order_id"]) != order_id:
            raise answered_otherwise(f"the {what}s of order {order_id}", f"a {what} of order {shown(row['order_id'])}")


def check_filters(rows: list[dict[str, Any]], args: BaseModel, what: str, exact: tuple[str, ...] = ()) -> None:
    """Each row matches the filters that can be checked without doubt: its id within `min_id`/`max_id`, each
    field in `exact` equal to its filter. Dates, text and totals are the store's to compare (zones, case, tax)."""
    low, high = getattr(args, "min_id", None), getattr(args, "max_id", None)
    wanted = {name: getattr(args, name) for name in exact if getattr(args, name) is not None}
    for row in rows:
        row_id = as_id(row.get("id"))
        if row_id is not None and ((low is not None and row_id < low) or (high is not None and row_id > high)):
            bounds = " and ".join(f"{name} {value}" for name, value in (("min_id", low), ("max_id", high)) if value)
            raise answered_otherwise(f"{what} with {bounds}", f"one with id {row_id}")
        for name, value in wanted.items():
            if non_empty(row.get(name)) and as_int(row[name]) != value:
                raise answered_otherwise(f"{what} with {name} {value}", f"one with {name} {shown(row[name])}")
