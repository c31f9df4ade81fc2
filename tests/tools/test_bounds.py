"""The last bound on any tool result: lists and texts cut from their end, each cut said, until it fits."""

from __future__ import annotations

import json
from typing import Any

from bigcommerce_orders_mcp.tools.bounds import MAX_RESULT_BYTES, within_bound


def size(data: Any) -> int:
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def test_a_result_that_fits_is_handed_over_as_it_is() -> None:
    data = {"id": 1, "rows": [{"n": n} for n in range(100)]}
    assert within_bound(data, "ask for less") is data


def test_the_largest_list_is_cut_from_its_end_and_the_cut_is_said() -> None:
    rows = [{"n": n, "text": "ü" * 500} for n in range(2000)]
    data: dict[str, Any] = {"id": 1, "small": [1, 2, 3], "deep": {"rows": rows}, "cut": ["earlier marker"]}
    bounded = within_bound(data, "call again with a smaller limit")
    assert size(bounded) <= MAX_RESULT_BYTES
    kept = len(bounded["deep"]["rows"])
    assert 200 < kept < 2000
    assert bounded["deep"]["rows"] == rows[:kept]
    assert bounded["small"] == [1, 2, 3]
    assert len(data["deep"]["rows"]) == 2000
    assert bounded["cut"] == [
        "earlier marker",
        f"deep.rows: […{2000 - kept} of 2000 entries cut here; call again with a smaller limit (a result is at most "
        "256 KB)]",
    ]


def test_one_text_too_long_for_a_result_is_cut_too() -> None:
    bounded = within_bound({"id": 1, "payload": {"note": "x" * 600_000}}, "see the control panel", limit=10_000)
    assert size(bounded) <= 10_000
    assert "characters cut here; see the control panel" in bounded["payload"]["note"]
    assert bounded["cut"][0].startswith("payload.note: ")
