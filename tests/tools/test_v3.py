"""The v3 envelope as the tools read it: rows that are objects, a meta object, and a clear sentence otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from bigcommerce_orders_mcp.client import InvalidResponseError
from bigcommerce_orders_mcp.tools.v3 import v3_rows

WHAT = "refunds of order 218"


def test_rows_and_meta() -> None:
    body = {"data": [{"id": 1}, {"id": 2}], "meta": {"pagination": {"total": 2}}}
    assert v3_rows(body, WHAT) == ([{"id": 1}, {"id": 2}], {"pagination": {"total": 2}})


def test_no_content_is_no_rows() -> None:
    assert v3_rows(None, WHAT) == ([], {})


@pytest.mark.parametrize("meta", [None, [], "x", 3])
def test_a_meta_of_the_wrong_type_is_left_out(meta: Any) -> None:
    assert v3_rows({"data": [], "meta": meta}, WHAT) == ([], {})
    assert v3_rows({"data": []}, WHAT) == ([], {})


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ([{"id": 1}], "a JSON array instead of an object with data"),
        ("refunds", "a JSON string instead of an object with data"),
        ({"meta": {}}, "no data"),
        ({"data": {"id": 1}}, "data that is a JSON object, not a list"),
        ({"data": "x"}, "data that is a JSON string, not a list"),
        ({"data": [{"id": 1}, 7]}, "a row that is a JSON number, not an object"),
        ({"data": [None]}, "a row that is a JSON null, not an object"),
    ],
)
def test_anything_else_is_an_invalid_response(body: Any, found: str) -> None:
    with pytest.raises(InvalidResponseError) as caught:
        v3_rows(body, WHAT)
    assert caught.value.message == f"Asked for the {WHAT}, BigCommerce answered with {found}; retry later."


def test_rows_are_bounded() -> None:
    v3_rows({"data": [{}] * 3}, WHAT, limit=3)
    with pytest.raises(InvalidResponseError, match="4 rows, more than the 3 one answer may hold"):
        v3_rows({"data": [{}] * 4}, WHAT, limit=3)
