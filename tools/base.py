"""What a tool is: its definition, its argument and output bases, and the one shape of its results.

Every result a model sees is a `CallToolResult` carrying compact JSON text and the same data as
`structuredContent`. A failure is `isError: true` with one sentence, and `structuredContent.error`
holds `type` and `message` (plus `status`, `retry_after_seconds` or `parameters` where they apply).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from annotated_types import Ge, Le
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError

from server.errors import BigCommerceError, InvalidResponseError, NotFoundError, RateLimitedError
from tools.values import parse_date

if TYPE_CHECKING:
    from server.client import BigCommerceClient

logger = logging.getLogger("bigcommerce_orders_mcp")


def read_only() -> ToolAnnotations:
    """Reads from the store only, same answer when repeated, talks to the outside world."""
    return ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True)


MAX_ID = 2**31 - 1


def _digits_to_int(value: object) -> object:
    # Models often send ids as strings; accept plain digits only, never "218/../customers".
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    return value


# Constraints go before the validator so they show in the JSON schema as minimum/maximum.
Id = Annotated[int, Strict(), Ge(1), Le(MAX_ID), BeforeValidator(_digits_to_int)]
CustomerId = Annotated[int, Strict(), Ge(0), Le(MAX_ID), BeforeValidator(_digits_to_int)]
Limit = Annotated[int, Strict(), Ge(1), Le(250), BeforeValidator(_digits_to_int)]


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


class Arguments(BaseModel):
    """Base of tool argument models: unknown arguments are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Output(BaseModel):
    """Base of tool outputs: absent fields are left out of the JSON."""

    model_config = ConfigDict(frozen=True)

    def to_json_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = self.model_dump(mode="json", exclude_none=True, by_alias=True)
        return data


class Page(Output):
    """Base of list outputs. v2 lists carry no total: a full page is the only sign that more may follow."""

    page: int
    has_more: bool = Field(description="True when this page is full, so a next page may exist.")
    next_page: dict[str, Any] | None = Field(None, description="The exact arguments of the next call, when has_more.")


def page_fields(args: Arguments, received: int) -> dict[str, Any]:
    """`page`, `has_more` and `next_page` of a list page, from arguments with `page` and `limit`."""
    page, limit = (args.model_dump()[name] for name in ("page", "limit"))
    has_more = received >= limit
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
        raise NotFoundError(
            f"Order {order_id} was not found in this store; check the order number.", status_code=404
        ) from None
    if body is None:
        return []
    if not isinstance(body, list):
        of = f" for order {order_id}" if order_id is not None else ""
        raise InvalidResponseError(f"BigCommerce answered with something other than a list of {what}{of}; retry later.")
    return body


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
    annotations: ToolAnnotations = field(default_factory=read_only, kw_only=True)

    def input_schema(self) -> dict[str, Any]:
        return tool_schema(self.arguments)

    def output_schema(self) -> dict[str, Any]:
        return tool_schema(self.output)

    async def call(self, arguments: dict[str, Any], client: BigCommerceClient) -> CallToolResult:
        """Validate `arguments`, run the handler and shape the result; never raises for a failure."""
        try:
            args = self.arguments.model_validate(arguments)
        except ValidationError as exc:
            return invalid_arguments(self.name, describe_invalid_arguments(self.arguments, exc), exc)
        try:
            output = await self.handler(args, client)
        except BigCommerceError as exc:
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
        return CallToolResult(content=[TextContent(type="text", text=compact_json(data))], structured_content=data)


def error_result(kind: str, message: str, **facts: Any) -> CallToolResult:
    """A tool error: one sentence for the model, the same facts as fields a program can read."""
    error = {"type": kind, "message": message, **{key: value for key, value in facts.items() if value is not None}}
    return CallToolResult(
        content=[TextContent(type="text", text=message)], structured_content={"error": error}, is_error=True
    )


def upstream_error(exc: BigCommerceError) -> CallToolResult:
    retry_after = exc.retry_after if isinstance(exc, RateLimitedError) else None
    return error_result(exc.kind, exc.message, status=exc.status_code, retry_after_seconds=retry_after)


def invalid_arguments(tool: str, problems: str, exc: ValidationError | None = None) -> CallToolResult:
    parameters = sorted({str(error["loc"][0]) for error in exc.errors() if error["loc"]}) if exc else None
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


def describe_invalid_arguments(model: type[BaseModel], exc: ValidationError, also_allowed: Iterable[str] = ()) -> str:
    """Each bad parameter named with what is allowed, in words a model reads: `'limit' must be ... (got 0)`."""
    allowed = ", ".join([*also_allowed, *model.model_fields])
    problems: list[str] = []
    for error in exc.errors(include_url=False):
        param = _location(error["loc"])
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
            problems.append(f"'{param}' {message} (got {shown(error.get('input'))})")
    return "; ".join(problems)


def shown(value: Any, limit: int = 40) -> str:
    """A value as the caller wrote it (JSON), cut short."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = json.dumps(str(value), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _location(loc: tuple[int | str, ...]) -> str:
    """('include', 0) -> 'include[0]'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def tool_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema as a model reads it best: no titles, no `null` branches for optional fields.

    Outputs never contain null (empty fields are left out) and arguments may simply be omitted.
    """
    schema: dict[str, Any] = _simplify(model.model_json_schema())
    return schema


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
