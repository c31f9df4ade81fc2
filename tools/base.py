"""What a tool is: its definition, its argument and output bases, and the one shape of its results.

Every result a model sees is a `CallToolResult` carrying compact JSON text and the same data as
`structuredContent`. A failure is `isError: true` with one sentence, and `structuredContent.error`
holds `type` and `message` (plus `status`, `retry_after_seconds` or `parameters` where they apply). Neither
the sentence nor the fields grow with the input: they name a few offending values, and are cut at a bound.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

import anyio
from annotated_types import Ge, Le
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, Strict, ValidationError, WithJsonSchema

from bigcommerce_orders_mcp.client import (
    CALLS,
    BigCommerceClient,
    BigCommerceError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    UnavailableError,
    seconds,
)
from bigcommerce_orders_mcp.tools.bounds import MAX_RESULT_BYTES, within_bound
from bigcommerce_orders_mcp.tools.values import MAX_ID, json_number

__all__ = [
    "MAX_ARGUMENT_CHARS",
    "MAX_ARGUMENT_VALUES",
    "MAX_ERROR_TEXT",
    "MAX_ID",
    "MAX_LIMIT",
    "MAX_NAMED",
    "SCHEMAS_FILE",
    "ArgsT",
    "Arguments",
    "CustomerId",
    "Id",
    "Limit",
    "Money",
    "Output",
    "OutputT",
    "ToolDefinition",
    "bounded",
    "compact_json",
    "describe_invalid_arguments",
    "error_result",
    "generate_tool_schema",
    "invalid_arguments",
    "order_not_found",
    "oversized",
    "read_only",
    "schema_key",
    "shown",
    "tool_schema",
    "upstream_error",
]

logger = logging.getLogger("bigcommerce_orders_mcp")
calls = logging.getLogger(CALLS)


def read_only() -> ToolAnnotations:
    """Reads from the store only, same answer when repeated, talks to the outside world."""
    return ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True)


def _digits_to_int(highest: int) -> Callable[[object], object]:
    def convert(value: object) -> object:
        # Models often send ids as strings; accept plain digits only, never "218/../customers".
        if isinstance(value, str) and value.strip().isdecimal():
            digits = value.strip().lstrip("0") or "0"
            # Past 4,300 digits int() fails naming Python internals; no argument here has 11 digits.
            if len(digits) > len(str(MAX_ID)):
                raise ValueError(f"must be less than or equal to {highest}")
            return int(digits)
        return value

    return convert


# Constraints go before the validator so they show in the JSON schema as minimum/maximum. An id's schema leaves
# out its upper bound, 2147483647: no real id comes near it, a larger one is refused with a sentence naming the
# bound, and the tokens it costs every id argument add up in a list tool's definition.
Id = Annotated[
    int,
    Strict(),
    Ge(1),
    Le(MAX_ID),
    BeforeValidator(_digits_to_int(MAX_ID)),
    WithJsonSchema({"type": "integer", "minimum": 1}),
]
CustomerId = Annotated[
    int,
    Strict(),
    Ge(0),
    Le(MAX_ID),
    BeforeValidator(_digits_to_int(MAX_ID)),
    WithJsonSchema({"type": "integer", "minimum": 0}),
]
MAX_LIMIT = 250
Limit = Annotated[int, Strict(), Ge(1), Le(MAX_LIMIT), BeforeValidator(_digits_to_int(MAX_LIMIT))]

Money = Annotated[Decimal, PlainSerializer(json_number), WithJsonSchema({"type": "number"})]
"""An amount of money in outputs: a JSON number, exact (see `tools.values.money`)."""


# Tool models are built on first use (`defer_build`): answering `tools/list` needs only their schemas, which
# `tool_schema` reads from `schemas.json`, so a start does not build two dozen validators and serializers.
class Arguments(BaseModel):
    """Base of tool argument models: unknown arguments are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Output(BaseModel):
    """Base of tool outputs: absent fields are left out of the JSON."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    def to_json_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = self.model_dump(mode="json", exclude_none=True, by_alias=True)
        return data


ArgsT = TypeVar("ArgsT", bound=Arguments)
OutputT = TypeVar("OutputT", bound=Output)


@dataclass(frozen=True)
class ToolDefinition(Generic[ArgsT, OutputT]):
    """Everything the server needs to list and call one tool; each module in `tools/` defines one."""

    name: str
    title: str
    description: str
    arguments: type[ArgsT]
    output: type[OutputT]
    handler: Callable[[ArgsT, BigCommerceClient], Awaitable[OutputT]]
    recovery: str = field(default="Retry.", kw_only=True)
    """What the model can do when the tool fails inside this server."""
    too_large: str = field(default="call again with a smaller limit", kw_only=True)
    """How to get what a result too large to hand over leaves out."""
    annotations: ToolAnnotations = field(default_factory=read_only, kw_only=True)

    def input_schema(self) -> dict[str, Any]:
        return tool_schema(self.arguments)

    def output_schema(self) -> dict[str, Any]:
        return tool_schema(self.output)

    async def call(self, arguments: dict[str, Any], client: BigCommerceClient) -> CallToolResult:
        """Validate `arguments`, run the handler and shape the result; never raises for a failure."""
        too_large = oversized(arguments, self.arguments.model_fields)
        if too_large is not None:
            parameter, problem = too_large
            return error_result(
                "invalid_arguments", f"Invalid arguments for {self.name}: {problem}.", parameters=[parameter]
            )
        try:
            args = self.arguments.model_validate(arguments)
        except ValidationError as exc:
            return invalid_arguments(self.name, describe_invalid_arguments(self.arguments, exc), exc)
        try:
            output = await self._run(args, client)
        except BigCommerceError as exc:
            if not calls.isEnabledFor(logging.INFO):  # else the call's own record says it, with its store and time
                logger.info("%s failed: %s", self.name, exc.message)
            return upstream_error(exc)
        except Exception:
            # A bug of ours must still leave the model a way forward, and no traceback in its context.
            logger.exception("%s failed unexpectedly", self.name)
            return error_result(
                "internal_error",
                f"{self.name} failed unexpectedly inside this server (details are in its log). {self.recovery}",
            )
        data = output.to_json_dict()
        text = compact_json(data)
        if len(text.encode()) > MAX_RESULT_BYTES:
            data = within_bound(data, self.too_large)
            text = compact_json(data)
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)

    async def _run(self, args: ArgsT, client: BigCommerceClient) -> OutputT:
        """The handler, within one deadline for the whole call however many requests it makes."""
        output: OutputT | None = None
        with anyio.move_on_after(client.call_deadline):
            output = await self.handler(args, client)
        if output is None:
            raise UnavailableError(
                f"BigCommerce did not finish answering {self.name} within {seconds(client.call_deadline)}; retry later."
            )
        return output


def order_not_found(order_id: int) -> NotFoundError:
    """A 404 on an order's path, said in the model's terms."""
    return NotFoundError(f"Order {order_id} was not found in this store; check the order number.", status_code=404)


def answered_otherwise(asked: str, answered: str) -> InvalidResponseError:
    """An answer about something other than what was asked (a misrouted proxy, a cache): `answered` names
    what came back, its values cut short with `shown`."""
    return InvalidResponseError(f"Asked for {asked}, BigCommerce answered with {answered}; retry later.")


MAX_ERROR_TEXT = 1000
"""The longest error sentence or error field a client is sent; each sentence bounds what it quotes well under it."""


def bounded(text: str, limit: int = MAX_ERROR_TEXT) -> str:
    """`text`, cut to `limit` characters: the last resort for any error text built from input."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _bounded_fact(value: Any) -> Any:
    if isinstance(value, str):
        return bounded(value)
    if isinstance(value, list):
        return [_bounded_fact(item) for item in value[:MAX_NAMED]]
    return value


def error_result(kind: str, message: str, **facts: Any) -> CallToolResult:
    """A tool error: one sentence for the model, the same facts as fields a program can read."""
    message = bounded(message)
    given = {key: _bounded_fact(value) for key, value in facts.items() if value is not None}
    error = {"type": kind, "message": message, **given}
    return CallToolResult(
        content=[TextContent(type="text", text=message)], structured_content={"error": error}, is_error=True
    )


def upstream_error(exc: BigCommerceError) -> CallToolResult:
    retry_after = exc.retry_after if isinstance(exc, RateLimitedError) else None
    return error_result(exc.kind, exc.message, status=exc.status_code, retry_after_seconds=retry_after)


def invalid_arguments(tool: str, problems: str, exc: ValidationError | None = None) -> CallToolResult:
    parameters = _parameters(exc) if exc else None
    return error_result(
        "invalid_arguments", f"Invalid arguments for {tool}: {problems}.", parameters=parameters or None
    )


# pydantic speaks Python; a model reads JSON.
_JSON_WORDS = (
    ("Input should be", "must be"),
    ("a valid dictionary", "a JSON object"),
    ("a valid list", "an array"),
    ("a valid boolean", "true or false"),
    ("a valid integer", "an integer"),
    ("a valid string", "a string"),
    ("a valid number", "a number"),
)


MAX_NAMED = 5
"""The most offending values (or parameters) an error names; it says how many more there were."""
MAX_ARGUMENT_VALUES = 200
MAX_ARGUMENT_CHARS = 16 * 1024
"""No tool takes more than a few dozen values or a few kilobytes: past these, arguments are refused before any
check, so that neither the checks nor their sentence grow with the input."""


def oversized(arguments: dict[str, Any], allowed: Collection[str]) -> tuple[str, str] | None:
    """The parameter that takes `arguments` past what any tool accepts and a sentence saying so; None if within."""
    values, chars = 0, 0
    for name, value in arguments.items():
        pending: list[Any] = [name, value]
        while pending:
            item = pending.pop()
            values += 1
            if isinstance(item, str):
                chars += len(item)
            elif isinstance(item, dict):
                pending.extend(item.keys())
                pending.extend(item.values())
            elif isinstance(item, list | tuple):
                pending.extend(item)
            if values > MAX_ARGUMENT_VALUES or chars > MAX_ARGUMENT_CHARS:
                return _too_large(_cut(str(name)), len(arguments), allowed)
    return None


def _too_large(parameter: str, given: int, allowed: Collection[str]) -> tuple[str, str]:
    if parameter not in allowed:
        names = ", ".join(allowed)
        return parameter, (
            f"unknown argument '{parameter}' (allowed: {names}), among {given} arguments past what any tool accepts"
        )
    return parameter, (
        f"'{parameter}' is larger than any tool accepts (at most {MAX_ARGUMENT_VALUES} values and "
        f"{MAX_ARGUMENT_CHARS} characters in all the arguments)"
    )


def _parameters(exc: ValidationError) -> list[str]:
    """The parameters `exc` is about, a few at most."""
    named = {_cut(str(error["loc"][0])) for error in exc.errors(include_url=False, include_input=False) if error["loc"]}
    return sorted(named)[:MAX_NAMED]


def describe_invalid_arguments(model: type[BaseModel], exc: ValidationError, also_allowed: Iterable[str] = ()) -> str:
    """The bad parameters named with what is allowed, in words a model reads: `'limit' must be ... (got 0)`.

    A few are named, then how many more there were: the sentence does not grow with the input.
    """
    allowed = ", ".join([*also_allowed, *model.model_fields])
    problems: list[str] = []
    for error in exc.errors(include_url=False, include_context=False)[:MAX_NAMED]:
        param = _cut(_location(error["loc"]))
        message = str(error["msg"]).removeprefix("Value error, ")
        for python, plain in _JSON_WORDS:
            message = message.replace(python, plain)
        if error["type"] == "extra_forbidden":
            problems.append(f"unknown argument '{param}' (allowed: {allowed})")
        elif error["type"] == "missing":
            problems.append(f"'{param}' is required")
        elif not param:
            problems.append(message)
        else:
            problems.append(f"'{param}' {_cut(message, 200)} (got {shown(error.get('input'))})")
    more = exc.error_count() - len(problems)
    if more > 0:
        problems.append(f"and {more} more problem{'s' if more > 1 else ''}")
    return "; ".join(problems)


def shown(value: Any, limit: int = 40) -> str:
    """A value as the caller wrote it (JSON), cut short; a huge one costs no more than a short one."""
    if isinstance(value, str):
        value = value[: limit + 1]
    elif isinstance(value, list | tuple):
        value = value[:limit]
    elif isinstance(value, dict):
        value = dict(islice(value.items(), limit))
    try:
        text = json.dumps(value, ensure_ascii=False)
    except RecursionError:
        text = "[...]" if isinstance(value, list | tuple) else "{...}"
    except (TypeError, ValueError):
        text = json.dumps(str(value)[: limit + 1], ensure_ascii=False)
    return _cut(text, limit)


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _location(loc: tuple[int | str, ...]) -> str:
    """('include', 0) -> 'include[0]'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


SCHEMAS_FILE = Path(__file__).with_name("schemas.json")


def schema_key(model: type[BaseModel]) -> str:
    return f"{model.__module__}.{model.__qualname__}"


@cache
def _written() -> dict[str, str]:
    """The tool models' schemas as `python -m bigcommerce_orders_mcp.docs` wrote them, by `schema_key`, as JSON.

    Generating them at start would delay the first `tools/list` answer past what the cold-start row allows (the
    README's benchmark section says by how much); a test keeps the file equal to what the models generate.
    """
    try:
        written: dict[str, Any] = json.loads(SCHEMAS_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {key: json.dumps(schema) for key, schema in written.items()}


def tool_schema(model: type[BaseModel]) -> dict[str, Any]:
    """`generate_tool_schema(model)`, read from `schemas.json` when it is there; a fresh copy each time."""
    text = _written().get(schema_key(model))
    if text is None:
        return generate_tool_schema(model)
    schema: dict[str, Any] = json.loads(text)
    return schema


def generate_tool_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema as a model reads it best: no titles, no `null` branches for optional fields.

    Outputs never contain null (empty fields are left out) and arguments may simply be omitted.
    """
    schema: dict[str, Any] = _simplify(model.model_json_schema())
    definitions = schema.pop("$defs", {})
    # Inlined: a client that validates every result against the schema (the SDK's does) resolves no $ref.
    inlined: dict[str, Any] = _inline(schema, definitions)
    return inlined


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        rest = {key: value for key, value in node.items() if key != "$ref"}
        return {**_inline(definitions[reference.removeprefix("#/$defs/")], definitions), **rest}
    return {key: _inline(value, definitions) for key, value in node.items()}


def _simplify(node: Any) -> Any:
    if isinstance(node, list):
        return [_simplify(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: value for key, value in node.items() if key != "title" or not isinstance(value, str)}
    branches = node.get("anyOf")
    if isinstance(branches, list) and {"type": "null"} in branches:
        rest = [branch for branch in branches if branch != {"type": "null"}]
        del node["anyOf"]
        node = {**rest[0], **node} if len(rest) == 1 else {**node, "anyOf": rest}
    if "default" in node and node["default"] is None:
        del node["default"]
    return {key: _simplify(value) for key, value in node.items()}


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
