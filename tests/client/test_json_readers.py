"""The fast JSON reader gives exactly what the standard library's reading gives, hostile bodies included: the same
values of the same types in the same order, or the same kind of error."""

from __future__ import annotations

import contextlib
import gc
import json
import math
import re
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bigcommerce_orders_mcp.client import InvalidResponseError
from bigcommerce_orders_mcp.client.decoding import MAX_JSON_DEPTH, parse_json, read_json

_SURROGATE = re.compile("[\ud800-\udfff]")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _refuse(text: str) -> float:
    raise ValueError(text)


def _whole(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_whole(item) for item in value]
    if isinstance(value, dict):
        return {_whole(key): _whole(item) for key, item in value.items()}
    return value


def reference(body: bytes) -> Any:
    """The reading the client had before the fast path: the standard library's decoder, finite numbers only, every
    lone surrogate replaced."""
    text = body.decode(json.detect_encoding(body), "surrogatepass")
    return _whole(json.JSONDecoder(parse_float=_finite, parse_constant=_refuse).decode(text))


def outcome(read: Any, body: bytes) -> tuple[str, str]:
    """What reading `body` gives, comparable exactly: the error's kind, or the value's repr (which tells 1 from
    1.0 and True, -0.0 from 0.0, and shows the order of keys)."""
    try:
        value = read(body)
    except RecursionError:
        return ("error", "RecursionError")
    except UnicodeDecodeError:
        return ("error", "UnicodeDecodeError")
    except json.JSONDecodeError:
        return ("error", "JSONDecodeError")
    except ValueError:
        return ("error", "ValueError")
    return ("value", repr(value))


HOSTILE = [
    b'{"id": 1e999}',
    b"[-1e400]",
    b'{"a": NaN}',
    b"[Infinity, -Infinity]",
    b"123456789012345678901234567890",
    b"[18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809]",
    b'{"n": ' + b"9" * 5000 + b"}",
    b'{"a":1,"b":2,"a":3}',
    b'{"a":{"x":1},"a":[2]}',
    rb'"\ud800"',
    rb'{"k\udfff":"v"}',
    rb'["\ud83d\ude00", "\ud83d", "\ude00\ud83d"]',
    b'"\xed\xa0\x80"',
    b'["\xed\xa0\xbd\xed\xb8\x80"]',
    b'"\xc0\x80"',
    b'"\xf4\x90\x80\x80"',
    b'"\xff"',
    b'"\x01"',
    b"\xef\xbb\xbf[1]",
    b'\xef\xbb\xbf{"a":"\\ud800"}',
    json.dumps({"a": "é"}).encode("utf-16"),
    json.dumps(["x"]).encode("utf-32-le"),
    b"[1] x",
    b"01",
    b"[1,]",
    b"-",
    b"\x0c[1]",
    b" \t\r\n[1] \t\r\n",
    b'"\\u0000\\/\\b\\f\\n\\r\\t\\"\\\\"',
    b"[-0, -0.0, 0.0, 1E2, 1e-400, 2.5e-324, 4.9e-324, 1.7976931348623157e308, 0.30000000000000004441]",
    b"[9007199254740993.0, 9007199254740993, 1.00000000000000011102230246251565404236316680908203125]",
    b"[" * 1025 + b"]" * 1025,
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 70 + b"1" + b"}" * 70,
    b"true",
    b"null",
    b'""',
]


@pytest.mark.parametrize("body", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_body_reads_as_the_standard_library_reads_it(body: bytes) -> None:
    assert outcome(read_json, body) == outcome(reference, body)


def test_an_ordinary_body_is_read_by_the_fast_reader() -> None:
    read_json(b'{"id": 1}')
    assert "orjson" in sys.modules


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)
# Fragments a hostile upstream may splice in anywhere, each of which the fast reader must refuse or read alike.
_SPLICES = st.sampled_from(
    [b"\\ud800", b"\\uDFFF", b"\xed\xa0\x80", b"\xff", b"NaN", b"1e999", b"9" * 25, b"\\", b'"', b",", b"[", b"}"]
)


@settings(max_examples=300, deadline=None)
@given(value=_VALUES, ascii_only=st.booleans())
def test_any_json_reads_as_the_standard_library_reads_it(value: Any, ascii_only: bool) -> None:
    body = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    assert outcome(read_json, body) == outcome(reference, body)


@settings(max_examples=300, deadline=None)
@given(value=_VALUES, splice=_SPLICES, where=st.floats(min_value=0, max_value=1))
def test_spliced_json_reads_as_the_standard_library_reads_it(value: Any, splice: bytes, where: float) -> None:
    body = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    at = int(len(body) * where)
    body = body[:at] + splice + body[at:]
    assert outcome(read_json, body) == outcome(reference, body)


@settings(max_examples=200, deadline=None)
@given(
    mantissa=st.from_regex(r"-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,20})?", fullmatch=True),
    exponent=st.integers(-330, 310),
)
def test_numbers_read_to_the_same_double(mantissa: str, exponent: int) -> None:
    body = f"[{mantissa}e{exponent}, {mantissa}]".encode()
    assert outcome(read_json, body) == outcome(reference, body)


def test_depth_is_checked_after_either_reader() -> None:
    shallow = b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1)
    deep = b"[" * (MAX_JSON_DEPTH + 2) + b"]" * (MAX_JSON_DEPTH + 2)
    assert parse_json(shallow, 200, "application/json") is not None
    with pytest.raises(InvalidResponseError, match="nested too deeply"):
        parse_json(deep, 200, "application/json")
    with pytest.raises(InvalidResponseError, match="nested too deeply"):
        parse_json(b'{"n": 12345678901234567890, "a": ' + deep + b"}", 200, "application/json")


@pytest.mark.parametrize("body", [b'{"id": 1}', b'{"id": NaN}', b"[1,"], ids=["read", "refused", "not JSON"])
def test_the_collector_runs_again_after_any_read(body: bytes) -> None:
    with contextlib.suppress(ValueError):
        read_json(body)
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off() -> None:
    gc.disable()
    try:
        read_json(b'{"id": 1}')
        assert not gc.isenabled()
    finally:
        gc.enable()


def _nested(levels: int) -> bytes:
    """Lists and objects in turn, the deepest last among shallow siblings: `levels` levels, and one more of empty
    siblings."""
    body = b"1"
    for level in range(levels):
        body = b'{"x": [], "k": ' + body + b"}" if level % 2 else b"[{}, 2, " + body + b"]"
    return body


@pytest.mark.parametrize(("levels", "deep"), [(MAX_JSON_DEPTH, False), (MAX_JSON_DEPTH + 1, True)])
def test_mixed_nesting_is_too_deep_from_the_same_level(levels: int, deep: bool) -> None:
    body = _nested(levels)
    if deep:
        with pytest.raises(InvalidResponseError, match="nested too deeply"):
            parse_json(body, 200, "application/json")
    else:
        assert parse_json(body, 200, "application/json") == json.loads(body)
