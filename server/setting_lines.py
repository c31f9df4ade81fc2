"""One line for a bad setting, built from the field's type, bounds and description."""

from __future__ import annotations

import re
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

__all__ = ["UnshownValueError", "allowed", "described", "kind_of", "quoted", "rule", "setting_line", "shown_value"]


class UnshownValueError(ValueError):
    """A rule broken by a value that must not be shown back: it holds a password."""


def setting_line(label: str, error: ErrorDetails, field: FieldInfo) -> str:
    """`label` and what is wrong with it: what is allowed, the value given unless secret, and the description."""
    wrong = rule(error) if error["type"] == "value_error" else f"must be {allowed(field)}"
    unshown = isinstance(error.get("ctx", {}).get("error"), UnshownValueError)
    shown = "" if unshown or kind_of(field.annotation) is SecretStr else shown_value(error["input"])
    return described(f"{label} {wrong}{shown}", field)


def described(head: str, field: FieldInfo) -> str:
    description = (field.description or "").rstrip(".")
    first = description.split(" ", 1)[0]
    if first[1:].islower() or len(first) == 1:  # "Seconds" reads as "seconds"; "API" stays
        description = description[:1].lower() + description[1:]
    return f"{head}: {description}." if description else f"{head}."


def rule(error: ErrorDetails) -> str:
    """A validator's own words for what is allowed."""
    return str(error["ctx"]["error"])


_KINDS: dict[Any, str] = {
    bool: "1 or 0, true or false",
    int: "a whole number",
    float: "a number",
    str: "a string",
    Path: "a file path",
}
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9]{21,}")
# A URL's user:password@, whatever rule the rest of the URL broke.
_CREDENTIALS = re.compile(r"//[^/?#]*@")
_BOUNDS = {"gt": "greater than", "ge": "at least", "lt": "less than", "le": "at most"}


def allowed(field: FieldInfo) -> str:
    """What a field allows, read off its type and bounds: "a whole number from 0 to 10"."""
    kind = _KINDS.get(kind_of(field.annotation), "a value")
    bounds = {key: getattr(item, key) for item in field.metadata for key in _BOUNDS if hasattr(item, key)}
    if bounds.keys() == {"ge", "le"}:
        return f"{kind} from {bounds['ge']} to {bounds['le']}"
    limits = " and ".join(f"{_BOUNDS[key]} {value}" for key, value in bounds.items())
    return f"{kind} {limits}" if limits else kind


def kind_of(annotation: Any) -> Any:
    """The type under `X | None` and `Annotated[X, ...]`: `str` for `StoreHash | None`."""
    if get_origin(annotation) in (Union, UnionType):
        annotation = next(kind for kind in get_args(annotation) if kind is not NoneType)
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def quoted(value: str, most: int = 40) -> str | None:
    """`value` cut to `most` characters and quoted with its control characters escaped; None when it must not be
    shown: a token pasted into the wrong setting (a long run of letters and digits) or a URL's password."""
    if _TOKEN_LIKE.search(value) or _CREDENTIALS.search(value):
        return None
    return repr(value[:most])


def shown_value(value: object) -> str:
    if isinstance(value, bool):
        return f" (got {str(value).lower()})"
    if isinstance(value, str):
        text = quoted(value, 60)
        return f" (got {text})" if text else ""
    if isinstance(value, int | float):
        return f" (got {value})"
    return ""
