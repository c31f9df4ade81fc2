"""One store's request budget shared by every replica, through Redis (`BIGCOMMERCE_REDIS_URL`).

BigCommerce's quota is per store and shared by every app on it; replicas that each paced themselves would
spend it once per replica. Here what `LocalQuota` keeps in one process (requests left, when the window resets,
how long a 429 said to wait) lives in one Redis hash per store hash, and every change to it is one Lua
script, so two replicas never both take the last request of a window.

Redis helps a call and never fails one: each command has a short timeout; when one fails, the pacer goes
on with what this process saw (its own `LocalQuota`, kept current all along), one warning is logged for the outage,
one call every RETRY_INTERVAL tries Redis again, and one line says when it answers again. The server builds
one `SharedBudget` for the process, opens it once and closes it once; each store's client only uses the
`SharedQuota` pacer it is handed. Imported (and with it redis) only when BIGCOMMERCE_REDIS_URL is set, so a
server without it starts as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import anyio
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.connection import parse_url
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from bigcommerce_orders_mcp.client.quota import MAX_RESET_SECONDS, LocalQuota, QuotaHeaders, Sleep
from bigcommerce_orders_mcp.client.secrets import register

if TYPE_CHECKING:
    import httpx
    from redis.commands.core import AsyncScript

logger = logging.getLogger("bigcommerce_orders_mcp")

# Redis answers far faster; these bound a Redis that is gone (a refused connection fails at once). What they
# time includes the event loop's own lag and the wait for one of the pool's connections, both of which grow on a
# busy replica in a burst of calls: exactly when a false outage would let every replica spend the quota alone.
# So they are generous: a Redis that is really gone costs the calls then in flight one wait, and after that only
# one call every RETRY_INTERVAL waits on it.
CONNECT_TIMEOUT = 1.0
COMMAND_TIMEOUT = 2.0
# Each command is brief, so a few connections carry many calls a second.
CONNECTIONS = 4
# Connecting and loading the scripts when the server starts, while nothing waits on it.
START_TIMEOUT = 2.0
# How often a Redis that failed is tried again, by one call while the others pace locally.
RETRY_INTERVAL = 5.0
KEY_PREFIX = "bigcommerce-orders-mcp:quota:"

# Times are Redis's own (TIME, in ms), so replicas on different machines agree on them. Fields of the hash:
# left, reset_at (when the window ends), quota, window (ms), blocked_until (a 429's back-off), next_at (the
# earliest the next request may go while few are left), probe_until (one request is finding out the state).
# Like a header, what the hash says is believed for MAX_RESET_SECONDS at most: it is written by other processes
# (or by hand, or by an older replica), and a time ten years ahead with no expiry would block every call for ever.
_MAX_AHEAD_MS = round(MAX_RESET_SECONDS * 1000)
# One request finds out the state of a window it knows nothing of; others wait for its answer this long at most.
_PROBE_MS = 1000
# Every write renews the key's expiry. Five of the longest waits: the quota and window, worth keeping between
# bursts, outlive every time the hash holds, and a key nobody writes to goes.
_TTL_MS = 5 * _MAX_AHEAD_MS

# Every script starts here; its last ARGV is the key's expiry in ms. It reads the whole state once, made sane:
# each field a finite number or absent (one that is no number is removed); each time at most MAX_RESET_SECONDS
# ahead (one later is written back as that, so that it passes); a probe at most _PROBE_MS ahead (one later was
# set by no probe, and is removed); a quota of 1 to 10^9; a window of 1 ms to MAX_RESET_SECONDS.
_PRELUDE = (
    """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max_ahead, probe_ms = """
    + f"{_MAX_AHEAD_MS}, {_PROBE_MS}"
    + """
local latest = now + max_ahead
local key, ttl = KEYS[1], ARGV[#ARGV]
-- A key of another type holds no state of ours, and would fail every command on it.
local kind = redis.call('TYPE', key)['ok']
if kind ~= 'hash' and kind ~= 'none' then redis.call('DEL', key) end

-- A finite number, or nil: tonumber also reads 'nan', 'inf' and '0x1p999'.
local function finite(value)
  local n = tonumber(value)
  if n == nil or n ~= n or n == math.huge or n == -math.huge then return nil end
  return n
end

local function window_or(ms, default)
  if ms == nil or ms < 1 or ms > max_ahead then return default end
  return math.floor(ms)
end

local fields = {'left', 'reset_at', 'quota', 'window', 'blocked_until', 'next_at', 'probe_until'}
local times = {reset_at = true, blocked_until = true, next_at = true}
local state, gone, fixed = {}, {}, {}
local raw = redis.call('HMGET', key, unpack(fields))
for i, field in ipairs(fields) do
  local n = finite(raw[i])
  if field == 'probe_until' and n ~= nil and n > now + probe_ms then n = nil end
  if raw[i] and n == nil then
    gone[#gone + 1] = field
  elseif n ~= nil and times[field] and n > latest then
    n = latest
    fixed[#fixed + 1] = field
    fixed[#fixed + 1] = n
  end
  state[field] = n
end
if #gone > 0 then redis.call('HDEL', key, unpack(gone)) end
if #fixed > 0 then redis.call('HSET', key, unpack(fixed)) end
if state.quota ~= nil and (state.quota < 1 or state.quota > 1e9) then state.quota = nil end

-- Every answer renews the expiry: no key lives on unwritten, whoever wrote it.
local function done(answer)
  redis.call('PEXPIRE', key, ttl)
  return answer
end
"""
)

# Take one request of the window: 0 when it may go now, else how many ms to wait before asking again.
_RESERVE = (
    _PRELUDE
    + """
local left, reset_at, quota = state.left, state.reset_at, state.quota
local window = window_or(state.window, 30000)
local blocked, next_at, probe = state.blocked_until or 0, state.next_at or 0, state.probe_until or 0
if blocked > now then return done(blocked - now) end
if reset_at ~= nil and now >= reset_at then
  if quota == nil then
    reset_at = nil
  else
    -- A new window: assume it is whole, ending a window from now; its first answers correct both.
    left, reset_at, next_at = quota, now + window, 0
  end
end
if reset_at == nil then
  -- Nothing known of this window: one request at a time finds out, the others ask again shortly.
  if probe > now then return done(math.min(probe - now, 50)) end
  redis.call('HSET', key, 'probe_until', now + probe_ms)
  return done(0)
end
if left == nil then return done(0) end
local wait = 0
if left <= 0 then
  wait = math.max(reset_at - now, 1)
elseif left <= math.max(2, math.floor((quota or 0) / 10)) then
  -- Few left: spread them over what remains of the window instead of running into a 429.
  if next_at > now then
    wait = next_at - now
  else
    next_at = now + math.floor((reset_at - now) / (left + 1))
    left = left - 1
  end
else
  left = left - 1
end
redis.call('HSET', key, 'left', left, 'reset_at', reset_at, 'next_at', next_at)
return done(wait)
"""
)

# An answer's headers (ARGV: left, reset in ms, quota, window in ms; '' when absent). Within one window the
# lower count wins: answers lag the requests still in flight, and other apps spend the quota too.
_OBSERVE = (
    _PRELUDE
    + """
local left, reset_ms = finite(ARGV[1]), finite(ARGV[2])
local quota = finite(ARGV[3])
local window = window_or(finite(ARGV[4]), window_or(state.window, 30000))
local known_left, known_reset = state.left, state.reset_at
redis.call('HDEL', key, 'probe_until')
if left == nil or reset_ms == nil then
  -- No quota headers: nothing to pace by, for a window.
  if known_reset == nil or now >= known_reset then
    redis.call('HSET', key, 'reset_at', now + window)
    redis.call('HDEL', key, 'left', 'quota')
  end
  return done(0)
end
local reset_at = math.min(now + math.max(reset_ms, 0), latest)
-- Answers arrive a round trip late, so one window's resets differ a little; a quarter window tells windows apart.
local slack = math.floor(window / 4)
if known_reset == nil or known_left == nil or now >= known_reset or reset_at > known_reset + slack then
  redis.call('HSET', key, 'left', left, 'reset_at', reset_at, 'next_at', 0)
elseif reset_at >= known_reset - slack then
  redis.call('HSET', key, 'left', math.min(known_left, left), 'reset_at', math.max(known_reset, reset_at))
else
  return done(0)  -- an answer from a window already over
end
redis.call('HSET', key, 'window', window)
if quota ~= nil and quota >= 1 and quota <= 1e9 then redis.call('HSET', key, 'quota', quota) end
return done(0)
"""
)

# A 429 said to wait ARGV[1] ms: nobody sends to this store before then.
_BACK_OFF = (
    _PRELUDE
    + """
local ends = math.min(now + math.max(finite(ARGV[1]) or 0, 0), latest)
if ends > (state.blocked_until or 0) then redis.call('HSET', key, 'blocked_until', ends) end
return done(0)
"""
)


def redis_location(url: str) -> str:
    """Where a Redis URL points, without its user name or password: `host:port`, or a socket path."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.hostname or 'localhost'}:{port or 6379}"


class SharedBudget:
    """This process's link to Redis, shared by every store's client; each store has its own key."""

    def __init__(self, url: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        # Raises ValueError, quoting no value, for what redis would only refuse when it first connects.
        parse_url(url)
        self._url = url
        self.location = redis_location(url)
        password = urlsplit(url).password
        register(password)
        register(unquote(password or ""))  # as written in the URL, and as redis sends it
        self._clock = clock
        self._redis: Redis | None = None
        self._scripts: dict[str, AsyncScript] = {}
        self._down = False
        self._retry_at = 0.0
        self._sessions = 0

    def pacer(self, store_hash: str, local: LocalQuota | None = None) -> SharedQuota:
        """The pacer of one store's client; `local` (made here by default) paces while Redis is down."""
        return SharedQuota(self, KEY_PREFIX + store_hash, local or LocalQuota(self._clock))

    @asynccontextmanager
    async def session(self) -> AsyncIterator[SharedBudget]:
        """Connected from the first session on, closed when the last one ends (SSE nests one per connection)."""
        self._sessions += 1
        if self._sessions == 1:
            await self.connect()
        try:
            yield self
        finally:
            self._sessions -= 1
            if self._sessions == 0:
                await self.aclose()

    def _client(self) -> Redis:
        if self._redis is None:
            # A few connections, opened when the server starts and then reused: connecting in the middle of a
            # burst of calls is what takes long on a busy machine, far more than the commands.
            pool = BlockingConnectionPool.from_url(
                self._url,
                max_connections=CONNECTIONS,
                timeout=COMMAND_TIMEOUT,
                socket_timeout=COMMAND_TIMEOUT,
                socket_connect_timeout=CONNECT_TIMEOUT,
                # A failed command is not retried: the call goes on with local pacing instead.
                retry=Retry(NoBackoff(), 0),
            )
            self._redis = Redis(connection_pool=pool)
            self._scripts = {}
        return self._redis

    def _script(self, source: str) -> AsyncScript:
        if source not in self._scripts:
            self._scripts[source] = self._client().register_script(source)
        return self._scripts[source]

    async def connect(self) -> None:
        """Open a connection and load the scripts now, so that the first calls find them ready."""
        if self._redis is not None:
            return
        try:
            with anyio.fail_after(START_TIMEOUT):
                redis = self._client()

                async def load() -> None:
                    for source in (_RESERVE, _OBSERVE, _BACK_OFF):
                        await redis.script_load(source)

                # At once, so that each of the pool's connections is opened.
                async with anyio.create_task_group() as group:
                    for _ in range(CONNECTIONS):
                        group.start_soon(load)
        except Exception as exc:  # calls go on with local pacing
            self._failed(exc)

    async def run(self, source: str, key: str, *args: str | int) -> int | None:
        """The script's answer; `None` when Redis failed or is resting after a failure."""
        if self._down:
            if self._clock() < self._retry_at:
                return None
            self._retry_at = self._clock() + RETRY_INTERVAL  # this call tries; the others go on locally
        try:
            # Connecting, loading the script and running it: each bounded, and all of it together.
            with anyio.fail_after(CONNECT_TIMEOUT + COMMAND_TIMEOUT):
                answer: Any = await self._script(source)(keys=[key], args=list(args))

        except Exception as exc:  # a call never fails because Redis did
            self._failed(exc)
            return None
        if self._down:
            self._down = False
            logger.info("Redis at %s answers again: requests to BigCommerce are paced across replicas", self.location)
        return int(answer)

    def _failed(self, exc: BaseException) -> None:
        while isinstance(exc, BaseExceptionGroup):  # from connect()'s task group
            exc = exc.exceptions[0]
        self._retry_at = self._clock() + RETRY_INTERVAL
        if not self._down:
            self._down = True
            logger.warning(
                "Redis at %s did not answer (%s): each replica paces its own requests to BigCommerce until it does",
                self.location,
                type(exc).__name__,
            )

    async def aclose(self) -> None:
        redis, self._redis = self._redis, None
        self._scripts = {}
        if redis is not None:
            try:
                with anyio.move_on_after(CONNECT_TIMEOUT):
                    await redis.aclose(close_connection_pool=True)
            except Exception:  # closing a broken connection may fail; nothing is lost
                logger.debug("closing the Redis connection failed", exc_info=True)


class SharedQuota:
    """A store's quota kept in Redis for every replica; this process's `LocalQuota` when Redis fails."""

    def __init__(self, budget: SharedBudget, key: str, local: LocalQuota) -> None:
        self._budget = budget
        self._key = key
        self._local = local

    def spend(self) -> None:
        self._local.spend()

    async def acquire(self, time_left: float, sleep: Sleep) -> float | None:
        """Wait until a request of the shared window is this call's; the wait instead, when it would not fit."""
        while True:
            wait_ms = await self._budget.run(_RESERVE, self._key, _TTL_MS)
            if wait_ms is None:
                return await self._local.acquire(time_left, sleep)
            if wait_ms <= 0:
                return None
            # The scripts bound what they answer; a replica running older ones may not.
            pause = min(wait_ms, _MAX_AHEAD_MS) / 1000
            if pause > time_left:
                return pause
            await sleep(pause)
            time_left -= pause

    async def observe(self, headers: httpx.Headers) -> None:
        self._local.update(headers)
        reported = QuotaHeaders.read(headers)
        if reported is None:
            await self._budget.run(_OBSERVE, self._key, "", "", "", "", _TTL_MS)
            return
        await self._budget.run(
            _OBSERVE,
            self._key,
            min(reported.left, 1_000_000_000),
            round(reported.reset * 1000),
            "" if reported.quota is None else min(reported.quota, 1_000_000_000),
            "" if reported.window is None else round(reported.window * 1000),
            _TTL_MS,
        )

    async def back_off(self, seconds: float) -> None:
        await self._budget.run(_BACK_OFF, self._key, max(1, round(seconds * 1000)), _TTL_MS)
