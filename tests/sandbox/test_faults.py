"""The sandbox's switchable faults: each mode's answer, ``times`` and ``match``, the control endpoint, counters."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from bigcommerce_orders_mcp.cli import main
from bigcommerce_orders_mcp.sandbox import (
    ConnectionDropped,
    FaultError,
    Faults,
    RateLimiter,
    create_app,
    sandbox_server,
)
from bigcommerce_orders_mcp.settings import Settings
from bigcommerce_orders_mcp.stores import demo_client
from tests.sandbox.helpers import AUTH, BASE, spec_fixture

ORDER = BASE + "/orders/218"
CONTROL = "/_sandbox/faults"
RATE_HEADERS = (
    "x-rate-limit-time-window-ms",
    "x-rate-limit-time-reset-ms",
    "x-rate-limit-requests-quota",
    "x-rate-limit-requests-left",
)


@pytest.fixture
def faults() -> Faults:
    """A fresh fault switch; the sandbox has none unless given one."""
    return Faults()


@asynccontextmanager
async def sandbox(faults: Faults | None, **app_options: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(faults=faults, **app_options)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox", headers=AUTH) as http:
        yield http


async def faulted(faults: Faults, mode: str, path: str = ORDER, **body: Any) -> httpx.Response:
    """One request to ``path`` with ``mode`` switched on over the control endpoint."""
    async with sandbox(faults) as http:
        switched = await http.put(CONTROL, json={"mode": mode, **body})
        assert switched.status_code == 200, switched.text
        return await http.get(path)


def has_rate_headers(response: httpx.Response) -> bool:
    return all(name in response.headers for name in RATE_HEADERS)


# ----------------------------------------------------------------------------------------------------------------
# Each mode
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("params", "reset_ms", "retry_after"),
    [({}, "1500", None), ({"reset_ms": 12000, "retry_after": 15}, "12000", "15")],
)
async def test_rate_limit(params: dict[str, int], reset_ms: str, retry_after: str | None, faults: Faults) -> None:
    response = await faulted(faults, "rate_limit", ORDER, **params)
    assert response.status_code == 429
    assert response.content == b""
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-rate-limit-time-window-ms"] == "30000"
    assert response.headers["x-rate-limit-time-reset-ms"] == reset_ms
    assert response.headers["x-rate-limit-requests-quota"] == "150"
    assert response.headers["x-rate-limit-requests-left"] == "0"
    assert response.headers.get("x-retry-after") == retry_after


@pytest.mark.anyio
async def test_rate_limit_without_headers(faults: Faults) -> None:
    response = await faulted(faults, "rate_limit_no_headers")
    assert response.status_code == 429
    assert response.content == b""
    assert not any(name.startswith(("x-rate-limit", "x-retry-after")) for name in response.headers)


@pytest.mark.anyio
async def test_server_error_500_is_a_v2_error(faults: Faults) -> None:
    response = await faulted(faults, "server_error")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [{"status": 500, "message": "Internal Server Error"}]
    assert has_rate_headers(response)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("status", "title"), [(502, "502 Bad Gateway"), (503, "503 Service Unavailable"), (504, "504 Gateway Time-out")]
)
async def test_server_error_from_a_proxy_is_html(status: int, title: str, faults: Faults) -> None:
    response = await faulted(faults, "server_error", status=status)
    assert response.status_code == status
    assert response.headers["content-type"] == "text/html"
    assert response.text == f"<html><body><h1>{title}</h1></body></html>"
    assert not any(name.startswith("x-rate-limit") for name in response.headers)


@pytest.mark.anyio
async def test_html_200(faults: Faults) -> None:
    response = await faulted(faults, "html_200")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html"
    assert response.text.startswith("<!DOCTYPE html><html>")
    assert "<h1>Down for Maintenance</h1>" in response.text


@pytest.mark.anyio
async def test_empty_200(faults: Faults) -> None:
    response = await faulted(faults, "empty_200")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == "0"
    assert response.content == b""
    assert has_rate_headers(response)


@pytest.mark.anyio
@pytest.mark.parametrize("path", [ORDER, BASE + "/orders/226/messages"])
async def test_truncated_json_is_the_real_body_cut_in_half(path: str, faults: Faults) -> None:
    async with sandbox(faults) as http:
        whole = (await http.get(path)).content
        await http.put(CONTROL, json={"mode": "truncated_json"})
        response = await http.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == whole[: len(whole) // 2]
    assert response.headers["content-length"] == str(len(whole) // 2)
    assert has_rate_headers(response)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


@pytest.mark.anyio
async def test_v3_error_defaults_to_the_documented_422(faults: Faults) -> None:
    response = await faulted(faults, "v3_error")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json() == spec_fixture("error.422.example_v3_style_from_migration_doc.json")
    assert has_rate_headers(response)


@pytest.mark.anyio
async def test_v3_error_with_its_own_status_title_and_errors(faults: Faults) -> None:
    response = await faulted(faults, "v3_error", status=409, title="Conflict", errors={"order_id": "Order is locked."})
    assert response.status_code == 409
    assert response.json() == {
        "status": 409,
        "title": "Conflict",
        "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
        "errors": {"order_id": "Order is locked."},
    }


@pytest.mark.anyio
async def test_wrong_token_answers_like_a_bad_token(faults: Faults) -> None:
    async with sandbox(faults) as http:
        real = await http.get(ORDER, headers={"X-Auth-Token": "wrong"})
    response = await faulted(faults, "wrong_token")
    assert response.status_code == real.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.content == real.content
    assert has_rate_headers(response)


@pytest.mark.anyio
async def test_missing_scope_answers_the_observed_403(faults: Faults) -> None:
    response = await faulted(faults, "missing_scope")
    assert response.status_code == 403
    assert response.json() == spec_fixture("error.403.observed_thirdparty_scope.json")
    assert has_rate_headers(response)


@pytest.mark.anyio
async def test_stall_delays_only_matching_requests(faults: Faults) -> None:
    finished: list[str] = []
    async with sandbox(faults) as http:
        await http.put(CONTROL, json={"mode": "stall", "seconds": 0.3, "match": "/orders/218"})

        async def fetch(path: str) -> None:
            response = await http.get(BASE + path)
            assert response.status_code == 200
            finished.append(path)

        with anyio.fail_after(3):
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(fetch, "/orders/218")
                tasks.start_soon(fetch, "/orders/247")
    # Started first, finished last: only the matching request was held.
    assert finished == ["/orders/247", "/orders/218"]
    assert faults.faulted == 1


@pytest.mark.anyio
async def test_interrupt_ends_a_stall_at_once(faults: Faults) -> None:
    faults.set("stall")  # the default: 60 s
    async with sandbox(faults) as http:
        with anyio.fail_after(3):
            async with anyio.create_task_group() as tasks:
                responses: list[httpx.Response] = []

                async def fetch() -> None:
                    responses.append(await http.get(ORDER))

                tasks.start_soon(fetch)
                while faults.faulted == 0:
                    await anyio.sleep(0.01)
                faults.interrupt()
            # Once interrupted (the server is shutting down), new requests are not stalled either.
            responses.append(await http.get(ORDER))
    assert [r.status_code for r in responses] == [200, 200]


@pytest.mark.anyio
async def test_latency_delays_every_request_without_serialising_them(faults: Faults) -> None:
    count = 20
    async with sandbox(faults) as http:
        await http.put(CONTROL, json={"mode": "latency", "ms": 300})
        statuses: list[int] = []
        delayed_when_done: list[int] = []

        async def fetch() -> None:
            statuses.append((await http.get(ORDER)).status_code)
            delayed_when_done.append(faults.faulted)

        with anyio.fail_after(5):
            async with anyio.create_task_group() as tasks:
                for _ in range(count):
                    tasks.start_soon(fetch)
    assert statuses == [200] * count
    # Every request was already being delayed when the first one came back: delays overlap, not queue.
    assert delayed_when_done[0] == count


@pytest.mark.anyio
async def test_drop_connection_in_process_raises_what_httpx_raises_for_a_reset(faults: Faults) -> None:
    async with sandbox(faults) as http:
        await http.put(CONTROL, json={"mode": "drop_connection", "times": 1})
        with pytest.raises(httpx.ReadError) as raised:
            await http.get(ORDER)
        after = await http.get(ORDER)
    assert isinstance(raised.value, ConnectionDropped)
    assert raised.value.request.url.path == ORDER
    assert after.status_code == 200


@asynccontextmanager
async def served(faults: Faults) -> AsyncIterator[tuple[str, Any]]:
    """A real sandbox server on a free loopback port, in this event loop; yields its URL and the server."""
    server = sandbox_server(port=0, faults=faults)
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(server.serve)
        with anyio.fail_after(5):
            while not server.started:
                await anyio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        try:
            yield f"http://127.0.0.1:{port}", server
        finally:
            server.should_exit = True


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.mark.anyio
async def test_drop_connection_over_a_real_socket_is_a_connection_reset() -> None:
    records = _Records()
    logging.getLogger("uvicorn.error").addHandler(records)
    try:
        async with served(Faults()) as (url, _), httpx.AsyncClient(base_url=url, headers=AUTH) as http:
            await http.put(CONTROL, json={"mode": "drop_connection", "times": 1})
            with pytest.raises(httpx.ReadError):
                await http.get(ORDER)
            after = await http.get(ORDER)
            status = (await http.get(CONTROL)).json()
    finally:
        logging.getLogger("uvicorn.error").removeHandler(records)
    assert after.status_code == 200
    assert status == {"active": None, "requests": 2, "faulted": 1}
    # No traceback and no 500: the app ended the exchange on purpose.
    assert not [m for m in records.messages if "ASGI" in m]


@pytest.mark.anyio
async def test_shutdown_does_not_wait_for_a_stall(faults: Faults) -> None:
    faults.set("stall", seconds=60)
    responses: list[httpx.Response] = []
    with anyio.fail_after(5):
        async with served(faults) as (url, server), httpx.AsyncClient(base_url=url, headers=AUTH) as http:

            async def fetch() -> None:
                responses.append(await http.get(ORDER))

            async with anyio.create_task_group() as tasks:
                tasks.start_soon(fetch)
                while faults.faulted == 0:
                    await anyio.sleep(0.01)
                server.should_exit = True
    assert [r.status_code for r in responses] == [200]


# ----------------------------------------------------------------------------------------------------------------
# times, match, replacing and clearing
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_times_switches_the_fault_off_after_n_requests(faults: Faults) -> None:
    async with sandbox(faults) as http:
        await http.put(CONTROL, json={"mode": "server_error", "status": 503, "times": 2})
        statuses = [(await http.get(ORDER)).status_code for _ in range(3)]
        status = (await http.get(CONTROL)).json()
    assert statuses == [503, 503, 200]
    assert status == {"active": None, "requests": 3, "faulted": 2}


@pytest.mark.anyio
async def test_match_limits_the_fault_to_paths_and_only_matches_use_up_times(faults: Faults) -> None:
    async with sandbox(faults) as http:
        await http.put(CONTROL, json={"mode": "rate_limit", "match": "/messages", "times": 2})
        first = await http.get(BASE + "/orders/226/messages")
        other = await http.get(ORDER)
        remaining = (await http.get(CONTROL)).json()["active"]
        second = await http.get(BASE + "/orders/226/messages")
        third = await http.get(BASE + "/orders/226/messages")
    assert [r.status_code for r in (first, other, second, third)] == [429, 200, 429, 200]
    assert remaining == {"mode": "rate_limit", "times": 1, "match": "/messages", "reset_ms": 1500, "retry_after": None}


@pytest.mark.anyio
async def test_put_replaces_and_delete_clears(faults: Faults) -> None:
    async with sandbox(faults) as http:
        await http.put(CONTROL, json={"mode": "rate_limit"})
        replaced = await http.put(CONTROL, json={"mode": "wrong_token"})
        during = await http.get(ORDER)
        cleared = await http.delete(CONTROL)
        after = await http.get(ORDER)
    assert replaced.json() == {
        "active": {"mode": "wrong_token", "times": None, "match": None},
        "requests": 0,
        "faulted": 0,
    }
    assert during.status_code == 401
    assert cleared.json() == {"active": None, "requests": 1, "faulted": 1}
    assert after.status_code == 200


@pytest.mark.anyio
async def test_faults_set_in_process_and_at_start(faults: Faults) -> None:
    faults.set("server_error", status=502, times=1)
    app = create_app(faults=faults)
    assert app.state.faults is faults
    async with sandbox(faults) as http:
        failed = await http.get(ORDER)
        faults.set("missing_scope")
        scoped = await http.get(ORDER)
        faults.clear()
        fine = await http.get(ORDER)
    assert [r.status_code for r in (failed, scoped, fine)] == [502, 403, 200]
    assert (faults.active, faults.requests, faults.faulted) == (None, 3, 2)


@pytest.mark.anyio
async def test_counters_are_exact_under_concurrency(faults: Faults) -> None:
    faults.set("latency", ms=20, times=10)
    async with sandbox(faults) as http:
        async with anyio.create_task_group() as tasks:
            for _ in range(30):
                tasks.start_soon(http.get, ORDER)
        await http.get("/not/the/api")
        await http.get(CONTROL)
    assert faults.status() == {"active": None, "requests": 30, "faulted": 10}


@pytest.mark.anyio
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_without_a_controller_the_switch_is_an_unknown_path(method: str) -> None:
    assert create_app().state.faults is None
    async with sandbox(None) as http:
        switched = await http.request(method, CONTROL, json={"mode": "rate_limit"})
        unknown = await http.request(method, "/_sandbox/nothing", json={"mode": "rate_limit"})
        order = await http.get(ORDER)
    assert switched.status_code == unknown.status_code == (404 if method == "GET" else 405)
    assert switched.json() == unknown.json()
    assert order.status_code == 200
    assert has_rate_headers(order)


def test_sandbox_server_has_a_switch_only_when_given_one(faults: Faults) -> None:
    without, with_faults = sandbox_server(port=0).config.app, sandbox_server(port=0, faults=faults).config.app
    assert isinstance(without, Starlette)
    assert isinstance(with_faults, Starlette)
    assert without.state.faults is None
    assert with_faults.state.faults is faults


@pytest.mark.parametrize(("flag", "expected"), [([], False), (["--faults"], True)])
def test_the_sandbox_command_enables_faults_only_with_the_flag(
    flag: list[str], expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("bigcommerce_orders_mcp.sandbox.serve", lambda **options: calls.append(options))
    main(["sandbox", "--port", "0", *flag])
    assert [call["faults"] for call in calls] == [expected]


@pytest.mark.anyio
async def test_the_demo_store_has_no_fault_switch() -> None:
    client = demo_client(Settings(store_hash="sandbox", access_token=SecretStr("sandbox-token")))
    async with client.session():
        response = await client.http_client().get("http://sandbox.invalid/_sandbox/faults")
    assert response.status_code == 404


# ----------------------------------------------------------------------------------------------------------------
# Control endpoint validation
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", 'The body must be a JSON object such as {"mode": "rate_limit", "times": 1}.'),
        (b'["rate_limit"]', 'The body must be a JSON object such as {"mode": "rate_limit", "times": 1}.'),
        (b'{"times": 1}', "'mode' is required: one of rate_limit, rate_limit_no_headers, server_error,"),
        (b'{"mode": "teapot"}', "Unknown mode 'teapot'; use one of: rate_limit, "),
        (b'{"mode": "html_200", "seconds": 1}', "Mode 'html_200' does not take 'seconds'; its parameters: none."),
        (
            b'{"mode": "rate_limit", "reset": 1}',
            "Mode 'rate_limit' does not take 'reset'; its parameters: reset_ms, retry_after.",
        ),
        (b'{"mode": "rate_limit", "times": 0}', "'times' must be an integer at least 1, not 0."),
        (b'{"mode": "rate_limit", "times": "2"}', "'times' must be an integer at least 1, not '2'."),
        (b'{"mode": "rate_limit", "times": true}', "'times' must be an integer at least 1, not True."),
        (b'{"mode": "rate_limit", "match": ""}', "'match' must be a non-empty string, not ''."),
        (b'{"mode": "rate_limit", "reset_ms": -1}', "'reset_ms' must be an integer at least 0, not -1."),
        (b'{"mode": "server_error", "status": 501}', "'status' must be one of 500, 502, 503, 504, not 501."),
        (b'{"mode": "v3_error", "status": 200}', "'status' must be an integer between 400 and 599, not 200."),
        (b'{"mode": "v3_error", "errors": []}', "'errors' must be an object of field names to messages, not []."),
        (b'{"mode": "stall", "seconds": NaN}', "'seconds' must be a number between 0 and 3600, not nan."),
        (b'{"mode": "latency"}', "Mode 'latency' needs 'ms'."),
        (b'{"mode": "quota"}', "Mode 'quota' needs 'quota'."),
        (
            b'{"mode": "quota", "quota": 5, "times": 1}',
            "Mode 'quota' applies to every request for as long as it is set; it takes no times or match.",
        ),
    ],
)
async def test_bad_control_bodies_are_400_and_change_nothing(body: bytes, message: str, faults: Faults) -> None:
    async with sandbox(faults) as http:
        await http.put(CONTROL, json={"mode": "empty_200"})
        response = await http.put(CONTROL, content=body)
        active = (await http.get(CONTROL)).json()["active"]
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"].startswith(message)
    assert active == {"mode": "empty_200", "times": None, "match": None}


def test_faults_set_rejects_bad_settings(faults: Faults) -> None:
    with pytest.raises(FaultError, match="Unknown mode 'nope'"):
        faults.set("nope")
    with pytest.raises(FaultError, match="'ms' must be a number"):
        faults.set("latency", ms="fast")
    assert faults.active is None


# ----------------------------------------------------------------------------------------------------------------
# quota: real rate limiting
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_quota_runs_out_and_refills(faults: Faults) -> None:
    now = [500.0]
    async with sandbox(faults, rate_limiter=RateLimiter(clock=lambda: now[0])) as http:
        switched = await http.put(CONTROL, json={"mode": "quota", "quota": 3, "window_ms": 2000})
        used = [await http.get(ORDER) for _ in range(3)]
        now[0] += 0.75
        limited = await http.get(ORDER)
        now[0] += 1.0
        still = await http.get(BASE + "/orders/999")
        now[0] += 0.25
        refilled = await http.get(ORDER)
        status = (await http.get(CONTROL)).json()

    assert switched.json()["active"] == {"mode": "quota", "times": None, "match": None, "quota": 3, "window_ms": 2000}
    assert [r.status_code for r in used] == [200, 200, 200]
    assert [r.headers["x-rate-limit-requests-left"] for r in used] == ["2", "1", "0"]
    assert all(r.headers["x-rate-limit-requests-quota"] == "3" for r in used)
    assert all(r.headers["x-rate-limit-time-window-ms"] == "2000" for r in used)

    assert limited.status_code == 429
    assert limited.content == b""
    assert limited.headers["x-rate-limit-requests-left"] == "0"
    assert limited.headers["x-rate-limit-time-reset-ms"] == "1250"
    assert limited.headers["x-retry-after"] == "2"
    assert still.status_code == 429
    assert still.headers["x-rate-limit-time-reset-ms"] == "250"
    assert still.headers["x-retry-after"] == "1"

    assert refilled.status_code == 200
    assert refilled.headers["x-rate-limit-requests-left"] == "2"
    assert refilled.headers["x-rate-limit-time-reset-ms"] == "2000"
    assert status["faulted"] == 2
    # What each window saw, for tests that check a client kept within the quota.
    assert status["windows"] == [{"answered": 3, "refused": 2}, {"answered": 1, "refused": 0}]


@pytest.mark.anyio
async def test_clearing_quota_restores_the_standard_headers(faults: Faults) -> None:
    async with sandbox(faults) as http:
        await http.put(CONTROL, json={"mode": "quota", "quota": 0})
        limited = await http.get(ORDER)
        await http.delete(CONTROL)
        fine = await http.get(ORDER)
    assert limited.status_code == 429
    assert limited.headers["x-rate-limit-requests-quota"] == "0"
    assert fine.status_code == 200
    assert fine.headers["x-rate-limit-requests-quota"] == "150"
