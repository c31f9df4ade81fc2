"""Decoding within limits: the body caps, header numbers, and JSON read with finite numbers and bounded depth,
every string in it valid Unicode."""

from __future__ import annotations

import gc
import json
import math
import re
from collections.abc import Callable
from typing import Any

from bigcommerce_orders_mcp.client.errors import InvalidResponseError
from bigcommerce_orders_mcp.client.strings import rewrite_strings

# The sandbox's largest answers are a page of 48 orders of some 141 KB (so under 1 MB for 250), one order with
# consignments and fees of 5 KB, a page of messages of 22 KB. 16 MB is twenty times a full page of orders and
# leaves room for orders whose notes reach their 65,535-character maximum; more is an upstream gone wrong.
MAX_BODY_BYTES = 16 * 1024 * 1024
# An error body is read for its message, of which 300 characters are shown; v2 error arrays are under 1 KB.
ERROR_BODY_BYTES = 64 * 1024
# BigCommerce answers nest about 5 levels (order, consignments, shipping, line_items, options); far deeper
# JSON is no order, and would exhaust Python's recursion in whatever reads it next.
MAX_JSON_DEPTH = 64
_COUNTED_BODY = 64 * 1024


def header_number(value: str | None) -> float | None:
    """A header's number; `None` when it is missing, not a number, infinite or NaN."""
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def too_large(limit: int) -> InvalidResponseError:
    size = f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return InvalidResponseError(
        f"BigCommerce's answer was larger than {size}, more than any order or page of 250 orders or messages; "
        "check BIGCOMMERCE_API_URL, or ask for a smaller page."
    )


class _AbsurdNumber(ValueError):
    pass


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _AbsurdNumber(text)
    return number


def _no_constant(text: str) -> float:
    raise _AbsurdNumber(text)


_JSON = json.JSONDecoder(parse_float=_finite, parse_constant=_no_constant)

# A lone surrogate (from an escape such as \ud800, or from bytes ED A0 80 let through by "surrogatepass") is no
# character: no UTF-8 writer, the SDK's stdout among them, can write it. Only these spell one in a UTF-8 body.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_RAW_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")
_SURROGATE = re.compile("[\ud800-\udfff]")


# orjson refuses every body the reading below would change or refuse (a lone surrogate, escaped or as bytes; NaN,
# Infinity, a float beyond the double's range; nesting past 1,024 levels; any text not strict UTF-8 JSON), but it
# reads an integer beyond 64 bits as a float: 19 digits in a row anywhere (a string's too) send the body to the
# standard reader, whose answer is the reference.
_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 19
_fast_loads: Callable[[bytes], Any] | None = None


def read_json(body: bytes) -> Any:
    """The JSON in `body`, every string in it (keys too) valid Unicode: each lone surrogate becomes U+FFFD.

    `ValueError` (`json.JSONDecodeError`, `UnicodeDecodeError` among them) for a body that is not JSON or holds
    an absurd number; `RecursionError` for one nested too deep for the parser.
    """
    encoding = json.detect_encoding(body)
    if encoding == "utf-8" and _LONG_NUMBER not in body.translate(_DIGITS):
        try:
            return _without_collections(_loads(), body)
        except ValueError:
            pass  # the standard reader gives the answer, or the error, this body has always had
    # What json.loads does with bytes, with one decoder for every answer instead of a new one each time.
    parsed = _JSON.decode(body.decode(encoding, "surrogatepass"))
    if _may_hold_surrogates(body, encoding):
        parsed = rewrite_strings(parsed, _broken, _whole)
    return parsed


def _loads() -> Callable[[bytes], Any]:
    # Imported at the first answer: a server answers initialize and tools/list without it.
    global _fast_loads
    if _fast_loads is None:
        import orjson

        _fast_loads = orjson.loads
    return _fast_loads


def _without_collections(loads: Callable[[bytes], Any], body: bytes) -> Any:
    # Decoded JSON is a tree, no cycle in it to collect; yet its thousands of new objects set off collection after
    # collection while it is built, each walking the objects built so far.
    if not gc.isenabled():
        return loads(body)
    gc.disable()
    try:
        return loads(body)
    finally:
        gc.enable()


def _may_hold_surrogates(body: bytes, encoding: str) -> bool:
    # Nearly every body has neither byte: each test for one is a memchr, far cheaper than a regex over the body.
    if not encoding.startswith("utf-8"):
        return True
    if b"\\" in body and _SURROGATE_ESCAPE.search(body):
        return True
    return b"\xed" in body and _RAW_SURROGATE.search(body) is not None


def _broken(text: str) -> bool:
    # No surrogate is ASCII, and nearly every string is: one flag test instead of a search.
    return not text.isascii() and _SURROGATE.search(text) is not None


def _whole(text: str) -> str:
    # json joins a pair written as two escapes into one character: a surrogate left in a string is alone, or came
    # as bytes, which UTF-8 forbids even in pairs.
    return _SURROGATE.sub("\ufffd", text)


def parse_json(body: bytes, status: int, content_type: str) -> Any:
    """A successful response's JSON; `InvalidResponseError` for one that is not JSON, too deep or absurd."""
    try:
        parsed = read_json(body)
    except RecursionError:
        raise _too_deep(status) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidResponseError(
            f"BigCommerce answered HTTP {status} with a body that is not JSON ({content_type}); retry later.",
            status_code=status,
        ) from None
    except ValueError:
        # NaN, Infinity, 1e999, or an integer of more than 4,300 digits (Python's limit for int()).
        raise InvalidResponseError(
            f"BigCommerce answered HTTP {status} with a number too large to read; retry later.",
            status_code=status,
        ) from None
    if _may_be_deep(body) and _deeper_than(parsed, MAX_JSON_DEPTH):
        raise _too_deep(status)
    return parsed


def _may_be_deep(body: bytes) -> bool:
    # Nesting needs an opening bracket a level: a body with fewer (strings' brackets counted too) cannot be deeper.
    # A large body (a page of orders) always has more, and counting them would only add two passes over it.
    return len(body) > _COUNTED_BODY or body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH


def _too_deep(status: int) -> InvalidResponseError:
    return InvalidResponseError(
        f"BigCommerce answered HTTP {status} with JSON nested too deeply to read "
        f"(more than {MAX_JSON_DEPTH} levels); retry later.",
        status_code=status,
    )


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether `value` nests lists and objects more than `limit` deep; without recursion."""
    # Decoded JSON holds plain dicts and lists only, so exact type tests suffice: a page of 250 orders has tens of
    # thousands of values, and isinstance on each, twice, was most of the walk; one set lookup a value in a
    # comprehension is the cheapest test found.
    level: list[Any] = [value] if type(value) in _CONTAINERS else []
    for _ in range(limit + 1):
        level = [
            child
            for node in level
            for child in (node.values() if type(node) is dict else node)
            if type(child) in _CONTAINERS
        ]
        if not level:
            return False
    return True


_CONTAINERS = frozenset((dict, list))
