"""A hostile BigCommerce: answers each order id with something a broken or malicious upstream could send.

``python -m tests.hostile_upstream --port 0`` prints "hostile upstream listening on http://127.0.0.1:PORT" and
serves ``GET /stores/<any hash>/v2/orders/<id>``; the id picks the answer (``ANSWERS``), and any other id
gets the spec's example order. Raw asyncio, so it starts in a few milliseconds and can send what no framework
would: a body longer than it says, a stream without end, bytes one at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import zlib
from collections.abc import Awaitable, Callable
from pathlib import Path

ORDER = json.loads((Path(__file__).parent / "fixtures" / "get_order.200.example_Response.json").read_text())
NORMAL = ORDER["id"]

Writer = asyncio.StreamWriter
Answer = Callable[[Writer, str], Awaitable[None]]

HUGE_BYTES = 200 * 1024 * 1024
BOMB_BYTES = 64 * 1024 * 1024  # packs to 64 KB; one read of it decodes to all 64 MB at once
TRICKLE_SECONDS = 0.25
_bomb: bytes | None = None


def _head(status: int, reason: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _json(writer: Writer, status: int, body: object, **headers: str) -> None:
    data = json.dumps(body).encode()
    head = {"Content-Type": "application/json", "Content-Length": str(len(data)), **headers}
    writer.write(_head(status, "X", {k.replace("_", "-"): v for k, v in head.items()}) + data)
    await writer.drain()


async def huge(writer: Writer, token: str) -> None:
    """200 MB of JSON-looking bytes, as its Content-Length says."""
    writer.write(_head(200, "OK", {"Content-Type": "application/json", "Content-Length": str(HUGE_BYTES)}))
    chunk = b" " * 65536
    for _ in range(HUGE_BYTES // len(chunk)):
        writer.write(chunk)
        await writer.drain()


async def huge_undeclared(writer: Writer, token: str) -> None:
    """The same, with no Content-Length: only counting the bytes can stop it."""
    await endless(writer, token)


async def endless(writer: Writer, token: str) -> None:
    """A chunked body that never ends."""
    writer.write(_head(200, "OK", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}))
    chunk = b" " * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    while True:
        writer.write(frame)
        await writer.drain()


async def gzip_bomb(writer: Writer, token: str) -> None:
    global _bomb
    if _bomb is None:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        _bomb = packer.compress(b"0" * BOMB_BYTES) + packer.flush()
    head = {"Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": str(len(_bomb))}
    writer.write(_head(200, "OK", head) + _bomb)
    await writer.drain()


async def trickle(writer: Writer, token: str) -> None:
    """A valid order, one byte every quarter second: each byte well within any timeout between bytes."""
    data = json.dumps(ORDER).encode()
    writer.write(_head(200, "OK", {"Content-Type": "application/json", "Content-Length": str(len(data))}))
    for byte in data:
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(TRICKLE_SECONDS)


def _echo(status: int) -> Answer:
    async def answer(writer: Writer, token: str) -> None:
        body = [{"status": status, "message": f"The token {token} is not allowed here; sent X-Auth-Token: {token}"}]
        await _json(writer, status, body)

    return answer


async def poisoned_quota(writer: Writer, token: str) -> None:
    """A good order whose rate-limit headers say nothing is left for 10^15 ms."""
    headers = {"X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "1e15"}
    await _json(writer, 200, {**ORDER, "id": POISONED_QUOTA}, **headers)


async def infinite_retry_after(writer: Writer, token: str) -> None:
    await _json(writer, 429, [], **{"X-Retry-After": "inf", "X-Rate-Limit-Time-Reset-Ms": "nan"})


async def deep_json(writer: Writer, token: str) -> None:
    data = b"[" * 100_000 + b"]" * 100_000
    writer.write(_head(200, "OK", {"Content-Type": "application/json", "Content-Length": str(len(data))}) + data)
    await writer.drain()


async def redirect(writer: Writer, token: str) -> None:
    head = {"Location": "https://evil.example/stores/x/v2/orders/1", "Content-Length": "0"}
    writer.write(_head(301, "Moved Permanently", head))
    await writer.drain()


async def lone_surrogates(writer: Writer, token: str) -> None:
    """A good order whose texts, and a key, hold lone surrogates written as escapes: no UTF-8 writer takes them."""
    order = {
        **ORDER,
        "id": LONE_SURROGATES,
        "first_name": "\udbffAnn",
        "customer_message": "leave it \udc7f with the neighbour",
        "billing_address": {**ORDER["billing_address"], "city": "K\ud834ln", "street_1\udfff": "x"},
    }
    await _json(writer, 200, order)


async def normal(writer: Writer, token: str) -> None:
    await _json(writer, 200, ORDER)


async def another_order(writer: Writer, token: str) -> None:
    """A good order, but not the one asked for: what a misrouted proxy or a shared cache answers."""
    await _json(writer, 200, {**ORDER, "id": 9999})


async def huge_order(writer: Writer, token: str) -> None:
    """The order asked for, with 10,000 line items in one consignment: a result of megabytes unless bounded."""
    lines = [
        {"id": n, "name": f"Bolt M{n}", "sku": f"B{n}", "quantity": 4, "price_inc_tax": "0.25"} for n in range(10_000)
    ]
    await _json(writer, 200, {**ORDER, "id": HUGE_ORDER, "consignments": {"shipping": [{"line_items": lines}]}})


ANSWERS: dict[int, tuple[str, Answer]] = {
    1: ("huge", huge),
    2: ("huge, undeclared", huge_undeclared),
    3: ("endless", endless),
    4: ("gzip bomb", gzip_bomb),
    5: ("trickle", trickle),
    6: ("token in a 400", _echo(400)),
    7: ("token in a 403", _echo(403)),
    8: ("token in a 422", _echo(422)),
    9: ("token in a 500", _echo(500)),
    10: ("deep JSON", deep_json),
    11: ("redirect", redirect),
    12: ("429 retry after inf", infinite_retry_after),
}
POISONED_QUOTA = 13  # answers well, then poisons the client's quota state: a call after it must not wait
ANSWERS[POISONED_QUOTA] = ("quota reset in 10^15 ms", poisoned_quota)
LONE_SURROGATES = 14  # answers well, with text no UTF-8 writer can write: the stdio session must survive it
ANSWERS[LONE_SURROGATES] = ("lone surrogates", lone_surrogates)
ANSWERS[15] = ("another order", another_order)
HUGE_ORDER = 16  # answers well, with 10,000 line items: the result must stay small
ANSWERS[HUGE_ORDER] = ("10,000 line items", huge_order)

_REQUEST = re.compile(rb"GET /stores/[^/]+/v2/orders/(\d+)")


async def handle(reader: asyncio.StreamReader, writer: Writer) -> None:
    try:
        while True:
            request = await reader.readuntil(b"\r\n\r\n")
            token = next(
                (
                    line.split(b":", 1)[1].strip().decode()
                    for line in request.split(b"\r\n")
                    if line.lower().startswith(b"x-auth-token:")
                ),
                "",
            )
            match = _REQUEST.match(request)
            order = int(match.group(1)) if match else 0
            _, answer = ANSWERS.get(order, ("normal", normal))
            await answer(writer, token)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def serve(host: str, port: int) -> None:
    server = await asyncio.start_server(handle, host, port)
    bound = server.sockets[0].getsockname()[1]
    print(f"hostile upstream listening on http://{host}:{bound}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
