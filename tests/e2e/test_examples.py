"""The agent-framework examples, end to end: each framework's real MCP client against the server, with no LLM.

Each adapter lists and calls the tools over stdio and over streamable HTTP (one `--demo` server shared by
the session); the scripted agents run over HTTP. Each example's `main()` runs without a model over stdio and
over HTTP, in-process, except that one example script runs over stdio as a user runs it: as a process.

Models are scripted (Pydantic AI's `FunctionModel`, a LangChain chat model and an OpenAI Agents `Model` that
answer from the tool result), so nothing calls a real model. The frameworks come with the `agents` extra; without
it these tests skip. They are reached through `pytest.importorskip`, not static imports, so mypy needs none of
them (the base install has none) and the fakes are built with `type()` for the same reason.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TOOL_NAMES

# What each tool requires: every tool answers about one order, except those over many (search, count, summary).
MANY = ("list_orders", "count_orders", "summarize_orders")
REQUIRED = {name: [] if name in MANY else ["order_id"] for name in TOOL_NAMES}

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"
QUESTION = "What's the status of order 218?"
# What each example needs; `langchain.mcp` itself is left to the example, which silences its beta warning.
FRAMEWORKS = {
    "pydantic_ai_agent": ("pydantic_ai.mcp",),
    "langchain_agent": ("langchain.agents", "fastmcp"),
    "openai_agents": ("agents.mcp",),
}


def clean_env() -> dict[str, str]:
    """The environment without model keys or store settings, so no example can reach a real model or store."""
    dropped = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AGENT_MODEL", "OPENAI_DEFAULT_MODEL")
    return {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("BIGCOMMERCE_")}


TRANSPORTS = pytest.mark.parametrize("transport", ["stdio", "streamable-http"])


def url_for(transport: str, request: pytest.FixtureRequest) -> str | None:
    """None: the example launches the server over stdio; else the URL of the shared streamable-HTTP server.

    Asked for here rather than as a fixture argument, so a skipped test starts no server.
    """
    return None if transport == "stdio" else str(request.getfixturevalue("demo_http").url)


def need_framework(name: str) -> None:
    """Skip unless the framework of `examples/NAME.py` is installed."""
    for module in FRAMEWORKS[name]:
        pytest.importorskip(module)


def load_example(name: str) -> Any:
    """Import `examples/NAME.py`, skipping when its framework is not installed."""
    need_framework(name)
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Pydantic AI


def scripted_pydantic_ai_model(order_id: int, seen: dict[str, Any]) -> Any:
    """A `FunctionModel` that calls get_order once and answers with the status it got back."""
    function = pytest.importorskip("pydantic_ai.models.function")
    messages = pytest.importorskip("pydantic_ai.messages")

    def respond(history: list[Any], info: Any) -> Any:
        seen["tools"] = {tool.name: tool.parameters_json_schema for tool in info.function_tools}
        for part in history[-1].parts:
            # A tool error comes back as a retried ToolReturnPart (newer releases) or a RetryPromptPart (older).
            if isinstance(part, messages.RetryPromptPart) or getattr(part, "outcome", None) == "retried":
                seen["retry"] = str(part.content)
                return messages.ModelResponse(parts=[messages.TextPart("That order does not exist.")])
            if isinstance(part, messages.ToolReturnPart):
                seen["return"] = part.content
                return messages.ModelResponse(parts=[messages.TextPart(f"Order {order_id}: {part.content['status']}")])
        return messages.ModelResponse(parts=[messages.ToolCallPart("get_order", {"order_id": order_id})])

    return function.FunctionModel(respond)


@TRANSPORTS
async def test_pydantic_ai_agent_calls_get_order(transport: str, request: pytest.FixtureRequest) -> None:
    example = load_example("pydantic_ai_agent")
    seen: dict[str, Any] = {}
    answer = await example.ask(
        example.toolset(url_for(transport, request)), scripted_pydantic_ai_model(218, seen), QUESTION
    )

    assert answer == "Order 218: Awaiting Payment"
    assert set(seen["tools"]) == TOOL_NAMES
    assert all(schema.get("required", []) == REQUIRED[name] for name, schema in seen["tools"].items())
    # The tool return is the server's structuredContent, not a string to parse.
    assert seen["return"]["id"] == 218
    assert seen["return"]["totals"]["total"] == 69.84


async def test_pydantic_ai_agent_sees_tool_errors_as_retries(request: pytest.FixtureRequest) -> None:
    example = load_example("pydantic_ai_agent")
    seen: dict[str, Any] = {}
    tools = example.toolset(url_for("streamable-http", request))
    answer = await example.ask(tools, scripted_pydantic_ai_model(999999, seen), QUESTION)

    assert "Order 999999 was not found in this store" in seen["retry"]
    assert "return" not in seen
    assert answer == "That order does not exist."


# LangChain (langchain.mcp; langchain-mcp-adapters requires mcp<2)


@TRANSPORTS
async def test_langchain_loads_both_tools_and_calls_them(transport: str, request: pytest.FixtureRequest) -> None:
    example = load_example("langchain_agent")
    convert = pytest.importorskip("langchain_core.utils.function_calling").convert_to_openai_tool

    async with example.adapter(url_for(transport, request)) as mcp:
        tools = {tool.name: tool for tool in await mcp.list_tools()}
        assert set(tools) == TOOL_NAMES
        for name, tool in tools.items():
            assert tool.args_schema.get("required", []) == REQUIRED[name]
            integer = "page" if name == "list_orders" else "min_id" if name in MANY else "order_id"
            assert tool.args_schema["properties"][integer]["type"] == "integer"
            # What a provider's bind_tools does with the schema must accept it as is.
            assert convert(tool)["function"]["parameters"].get("required", []) == REQUIRED[name]

        order = json.loads(example.text_of(await tools["get_order"].ainvoke({"order_id": 218})))
        assert order["status"] == "Awaiting Payment"
        assert order["customer"]["name"] == "Jane Doe"

        call = {"type": "tool_call", "id": "call-1", "name": "list_order_messages", "args": {"order_id": 181}}
        message = await tools["list_order_messages"].ainvoke(call)
        assert message.status == "success"
        assert message.artifact["structured_content"]["messages"][0]["customer"]

        missing = {"type": "tool_call", "id": "call-2", "name": "get_order", "args": {"order_id": 999999}}
        error = await tools["get_order"].ainvoke(missing)
        assert error.status == "error"
        assert "Order 999999 was not found in this store" in example.text_of(error.content)


def scripted_chat_model() -> Any:
    """A LangChain chat model that calls get_order for order 218 and answers with the status it got back."""
    language_models = pytest.importorskip("langchain_core.language_models")
    messages = pytest.importorskip("langchain_core.messages")
    outputs = pytest.importorskip("langchain_core.outputs")

    def generate(self: Any, history: list[Any], stop: Any = None, run_manager: Any = None, **kwargs: Any) -> Any:
        last = history[-1]
        if isinstance(last, messages.ToolMessage):
            status = json.loads(last.content[0]["text"])["status"]
            reply = messages.AIMessage(content=f"Order 218: {status}")
        else:
            call = {"name": "get_order", "args": {"order_id": 218}, "id": "call-1"}
            reply = messages.AIMessage(content="", tool_calls=[call])
        return outputs.ChatResult(generations=[outputs.ChatGeneration(message=reply)])

    model_class = type(
        "ScriptedChatModel",
        (language_models.BaseChatModel,),
        {
            "_generate": generate,
            "_llm_type": property(lambda self: "scripted"),
            "bind_tools": lambda self, tools, **kwargs: self,
        },
    )
    return model_class()


async def test_langchain_agent_answers_from_get_order(request: pytest.FixtureRequest) -> None:
    example = load_example("langchain_agent")
    answer = await example.ask(example.adapter(url_for("streamable-http", request)), scripted_chat_model(), QUESTION)
    assert answer == "Order 218: Awaiting Payment"


# OpenAI Agents SDK


@TRANSPORTS
async def test_openai_agents_lists_and_calls_tools(transport: str, request: pytest.FixtureRequest) -> None:
    example = load_example("openai_agents")
    async with example.mcp_server(url_for(transport, request)) as server:
        tools = {tool.name: tool for tool in await server.list_tools()}
        assert set(tools) == TOOL_NAMES
        assert all(tool.input_schema.get("required", []) == REQUIRED[name] for name, tool in tools.items())
        assert all(tool.annotations.read_only_hint for tool in tools.values())

        order = await server.call_tool("get_order", {"order_id": 218})
        assert not order.is_error
        assert order.structured_content["status"] == "Awaiting Payment"
        assert json.loads(order.content[0].text) == order.structured_content

        messages = await server.call_tool("list_order_messages", {"order_id": 181})
        assert "plain packaging" in messages.structured_content["messages"][0]["customer"]

        missing = await server.call_tool("get_order", {"order_id": 999999})
        assert missing.is_error
        assert missing.structured_content["error"]["type"] == "not_found"


def scripted_openai_model() -> Any:
    """An Agents SDK `Model` that calls get_order for order 218 and answers with the status it got back."""
    agents = pytest.importorskip("agents")
    responses = pytest.importorskip("openai.types.responses")

    async def get_response(self: Any, system_instructions: Any, input: Any, *args: Any, **kwargs: Any) -> Any:
        outputs = [item for item in input if isinstance(item, dict) and item.get("type") == "function_call_output"]
        if outputs:
            # A single text content block from the server comes back as one `input_text` item.
            status = json.loads(outputs[-1]["output"][0]["text"])["status"]
            text = responses.ResponseOutputText(type="output_text", text=f"Order 218: {status}", annotations=[])
            item: Any = responses.ResponseOutputMessage(
                id="msg-1", type="message", role="assistant", status="completed", content=[text]
            )
        else:
            item = responses.ResponseFunctionToolCall(
                id="fc-1", type="function_call", call_id="call-1", name="get_order", arguments='{"order_id": 218}'
            )
        return agents.ModelResponse(output=[item], usage=agents.Usage(), response_id=None)

    def stream_response(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    model_class = type(
        "ScriptedModel", (agents.Model,), {"get_response": get_response, "stream_response": stream_response}
    )
    return model_class()


async def test_openai_agents_runner_answers_from_get_order(request: pytest.FixtureRequest) -> None:
    example = load_example("openai_agents")
    pytest.importorskip("agents").set_tracing_disabled(True)
    server = example.mcp_server(url_for("streamable-http", request))
    answer = await example.ask(server, scripted_openai_model(), QUESTION)
    assert answer == "Order 218: Awaiting Payment"


# The example scripts as a user runs them

# One script runs as a process of its own (the framework that imports fastest); the others run in-process.
SCRIPT_RUN = "openai_agents"


def assert_tools_listed_and_called(out: str) -> None:
    assert "tool get_order: required ['order_id']" in out
    assert "tool list_order_messages: required ['order_id']" in out
    assert 'get_order({"order_id": 218}):' in out
    assert '"status": "Awaiting Payment"' in out
    assert 'list_order_messages({"order_id": 181}):' in out
    assert "plain packaging" in out
    assert "tool list_orders: required []" in out
    assert 'list_orders({"email": "janedoe@example.com"}):' in out
    assert 'list_order_shipments({"order_id": 243}):' in out
    assert '"tracking_number": "794698765432"' in out


def test_example_script_without_a_model() -> None:
    need_framework(SCRIPT_RUN)
    # No --no-llm and no key: the script says so and takes the scripted path, over stdio.
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{SCRIPT_RUN}.py")],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "calling the tools directly instead" in done.stdout
    assert_tools_listed_and_called(done.stdout)


@pytest.mark.parametrize("name", sorted(set(FRAMEWORKS) - {SCRIPT_RUN}))
def test_example_main_without_a_model(
    name: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # What the script run above checks, in-process: the same main(), arguments and environment. The
    # server it launches over stdio writes its log to our stderr, which needs a real file (capfd).
    example = load_example(name)
    for variable in set(os.environ) - set(clean_env()):
        monkeypatch.delenv(variable)
    monkeypatch.setattr(sys, "argv", [f"{name}.py"])
    example.main()
    out = capfd.readouterr().out
    assert "calling the tools directly instead" in out
    assert_tools_listed_and_called(out)


@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_example_main_no_llm_over_http(
    name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # With a key set, --no-llm must still keep the model out.
    example = load_example(name)
    http_url = url_for("streamable-http", request)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-must-not-be-used")
    monkeypatch.setattr(sys, "argv", [f"{name}.py", "--no-llm", "--url", http_url])
    example.main()
    out = capsys.readouterr().out
    assert "calling the tools directly" not in out
    assert_tools_listed_and_called(out)
