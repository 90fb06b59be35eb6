"""The request budget of one egress IP: YClients allows 5 requests/s and 200/min per IP, for all salons together.

`RedisRateLimiter` shares the budget between every process behind one IP (sliding windows in one Lua script, on
Redis' own clock). `MemoryRateLimiter` is the same algorithm in one process: only for the demo and tests.
A 429 answer pauses the whole egress (`pause`) for its Retry-After, so other processes do not hit it too.

The key is per egress IP, not per company, on purpose: the limit belongs to the IP.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from integrations import redis_keys as keys


@dataclass(frozen=True)
class Limit:
    """At most `requests` within any `window_seconds`."""

    requests: int
    window_seconds: float


# Our windows are a little longer than the API's: requests counted 1.000 s apart here can arrive 0.999 s apart
# there (network jitter), and the API would answer 429.
WINDOW_MARGIN_SECONDS = 0.1


def api_limits(per_second: int = 5, per_minute: int = 200) -> tuple[Limit, ...]:
    """The API's documented limits, with our safety margin."""
    return (Limit(per_second, 1.0 + WINDOW_MARGIN_SECONDS), Limit(per_minute, 60.0 + WINDOW_MARGIN_SECONDS))


YCLIENTS_LIMITS: tuple[Limit, ...] = api_limits()


class RateLimiter(Protocol):
    async def acquire(self) -> None:
        """Wait until one more request fits the budget, and count it."""
        ...

    async def pause(self, seconds: float) -> None:
        """The API said 429: nobody behind this IP sends anything for `seconds`."""
        ...


# KEYS: the pause key, then one sorted set per limit. ARGV: a unique member, then (requests, window µs) per limit.
# Returns 0 when the request was counted, else how many µs to wait before trying again.
# Numbers go to Redis through string.format('%.0f'): Lua's default number format keeps 14 digits only, which
# would round µs timestamps to 100 µs and make members collide.
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local paused = redis.call('PTTL', KEYS[1])
if paused > 0 then
    return paused * 1000
end
local wait = 0
for i = 2, #KEYS do
    local limit = tonumber(ARGV[2 * i - 2])
    local window = tonumber(ARGV[2 * i - 1])
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', string.format('%.0f', now - window))
    local count = redis.call('ZCARD', KEYS[i])
    if count >= limit then
        local edge = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
        local free_at = tonumber(edge[2]) + window
        if free_at - now > wait then
            wait = free_at - now
        end
    end
end
if wait > 0 then
    return math.max(1, math.floor(wait))
end
for i = 2, #KEYS do
    local window = tonumber(ARGV[2 * i - 1])
    redis.call('ZADD', KEYS[i], string.format('%.0f', now), ARGV[1])
    redis.call('PEXPIRE', KEYS[i], math.ceil(window / 1000) + 1000)
end
return 0
"""


class RedisRateLimiter:
    """The shared budget of one egress IP, in Redis (`yclients:ratelimit:{egress_id}:*`)."""

    def __init__(self, redis: Redis, egress_id: str, limits: Sequence[Limit] = YCLIENTS_LIMITS) -> None:
        self._redis = redis
        self._prefix = keys.yclients_budget(egress_id)
        self._limits = tuple(limits)
        self._script = redis.register_script(_SCRIPT)
        self._keys = [f"{self._prefix}:pause"] + [
            f"{self._prefix}:{limit.requests}per{limit.window_seconds:g}s" for limit in self._limits
        ]
        self._args: list[str | int] = []
        for limit in self._limits:
            self._args += [limit.requests, int(limit.window_seconds * 1_000_000)]

    async def acquire(self) -> None:
        while True:
            wait_us = int(await self._script(keys=self._keys, args=[uuid.uuid4().hex, *self._args]))
            if wait_us <= 0:
                return
            # A little jitter: processes that waited for the same edge do not all come back at once.
            await asyncio.sleep(wait_us / 1_000_000 + random.uniform(0, 0.01))  # noqa: S311 - jitter, not crypto

    async def pause(self, seconds: float) -> None:
        millis = max(1, int(seconds * 1000))
        # Keep the longer of two pauses.
        current = int(await self._redis.pttl(self._keys[0]))
        if current < millis:
            await self._redis.set(self._keys[0], "1", px=millis)


class MemoryRateLimiter:
    """The same budget inside one process (demo, tests). Not shared: never for production behind one IP."""

    def __init__(self, limits: Sequence[Limit] = YCLIENTS_LIMITS) -> None:
        self._limits = tuple(limits)
        self._sent: list[deque[float]] = [deque() for _ in self._limits]
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def _wait(self, now: float) -> float:
        wait = max(0.0, self._paused_until - now)
        for limit, sent in zip(self._limits, self._sent, strict=True):
            while sent and sent[0] <= now - limit.window_seconds:
                sent.popleft()
            if len(sent) >= limit.requests:
                wait = max(wait, sent[len(sent) - limit.requests] + limit.window_seconds - now)
        return wait

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                wait = self._wait(now)
                if wait <= 0:
                    for sent in self._sent:
                        sent.append(now)
                    return
                await asyncio.sleep(wait)

    async def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
