"""The fault modes the demo store can switch on, their parameters, and how a fault setting is checked."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["MODES", "Fault", "FaultError", "parse_fault"]


class FaultError(ValueError):
    """A fault setting that the sandbox cannot apply; the message says what to change."""


_Check = Callable[[str, Any], Any]
_REQUIRED: Final = object()
_LONGEST_DELAY_S = 3600.0


def _integer(low: int, high: int | None = None) -> _Check:
    def check(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise FaultError(f"'{name}' must be an integer {bounds}, not {value!r}.")
        return value

    return check


def _number(high: float) -> _Check:
    def check(name: str, value: Any) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not 0 <= value <= high
        ):
            raise FaultError(f"'{name}' must be a number between 0 and {high:.0f}, not {value!r}.")
        return value

    return check


def _one_of(*allowed: int) -> _Check:
    def check(name: str, value: Any) -> int:
        if isinstance(value, bool) or value not in allowed:
            raise FaultError(f"'{name}' must be one of {', '.join(map(str, allowed))}, not {value!r}.")
        return int(value)

    return check


def _optional(inner: _Check) -> _Check:
    def check(name: str, value: Any) -> Any:
        return None if value is None else inner(name, value)

    return check


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise FaultError(f"'{name}' must be a non-empty string, not {value!r}.")
    return value


def _messages(name: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise FaultError(f"'{name}' must be an object of field names to messages, not {value!r}.")
    return dict(value)


@dataclass(frozen=True)
class _Param:
    check: _Check
    default: Any = _REQUIRED


# The documented v3 422 example (docs/start/migration/4_errors.md).
_V3_TITLE = "Missing Required Fields"
_V3_ERRORS = {
    "name": "Please provide a name.",
    "price": "Please provide a price.",
    "type": "Please provide a type.",
    "weight": "Please provide a weight.",
}

MODES: Final[dict[str, dict[str, _Param]]] = {
    "rate_limit": {"reset_ms": _Param(_integer(0), 1500), "retry_after": _Param(_optional(_integer(0)), None)},
    "rate_limit_no_headers": {},
    "server_error": {"status": _Param(_one_of(500, 502, 503, 504), 500)},
    "html_200": {},
    "empty_200": {},
    "truncated_json": {},
    "v3_error": {
        "status": _Param(_integer(400, 599), 422),
        "title": _Param(_text, _V3_TITLE),
        "errors": _Param(_messages, _V3_ERRORS),
    },
    "stall": {"seconds": _Param(_number(_LONGEST_DELAY_S), 60)},
    "latency": {"ms": _Param(_number(_LONGEST_DELAY_S * 1000))},
    "wrong_token": {},
    "missing_scope": {},
    "drop_connection": {},
    "quota": {"quota": _Param(_integer(0)), "window_ms": _Param(_integer(1), 30_000)},
}
"""Each mode with its parameters (name -> check and default)."""


@dataclass
class Fault:
    """The active fault: its mode, checked parameters, and how many times and on which paths it applies."""

    mode: str
    params: dict[str, Any]
    times: int | None
    match: str | None

    def describe(self) -> dict[str, Any]:
        """The fault as ``GET /_sandbox/faults`` reports it."""
        return {"mode": self.mode, "times": self.times, "match": self.match, **self.params}


def parse_fault(mode: str, times: Any, match: Any, params: dict[str, Any]) -> Fault:
    """Check a fault setting; raise ``FaultError`` saying what to change."""
    if mode not in MODES:
        raise FaultError(f"Unknown mode {mode!r}; use one of: {', '.join(MODES)}.")
    spec = MODES[mode]
    unknown = sorted(set(params) - set(spec))
    if unknown:
        allowed = ", ".join(spec) or "none"
        raise FaultError(f"Mode {mode!r} does not take {', '.join(map(repr, unknown))}; its parameters: {allowed}.")
    times = _optional(_integer(1))("times", times)
    match = _optional(_text)("match", match)
    if mode == "quota" and (times is not None or match is not None):
        raise FaultError("Mode 'quota' applies to every request for as long as it is set; it takes no times or match.")
    values: dict[str, Any] = {}
    for name, param in spec.items():
        if name in params:
            values[name] = param.check(name, params[name])
        elif param.default is _REQUIRED:
            raise FaultError(f"Mode {mode!r} needs {name!r}.")
        else:
            values[name] = param.default
    return Fault(mode, values, times, match)
