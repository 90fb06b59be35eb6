"""The per-egress-IP budget: shared in Redis by every process, and the fake server never answers 429 under it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from integrations.scheduling.yclients.client import YClientsClient
from integrations.scheduling.yclients.errors import RateLimited
from integrations.scheduling.yclients.fake import DEMO_YCLIENTS_COMPANY_ID, FakeYClients
from integrations.scheduling.yclients.ratelimit import (
    Limit,
    MemoryRateLimiter,
    RateLimiter,
    RedisRateLimiter,
    api_limits,
)
from integrations.storage.sqlite import SqliteStore
from tests.conftest import FixedClock
from tests.yclients.harness import yclients_stack

pytestmark = pytest.mark.services


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def _timed(limiter: RateLimiter, count: int) -> list[float]:
    started = time.monotonic()
    stamps = []
    for _ in range(count):
        await limiter.acquire()
        stamps.append(time.monotonic() - started)
    return stamps


async def test_redis_budget_is_shared_by_two_processes_behind_one_ip(redis: Redis) -> None:
    limits = (Limit(5, 0.5),)
    first, second = RedisRateLimiter(redis, "ip-a", limits), RedisRateLimiter(redis, "ip-a", limits)
    started = time.monotonic()
    await asyncio.gather(_timed(first, 6), _timed(second, 6))
    # 12 requests at 5 per 0.5 s: the third batch can't start before 1.0 s.
    assert time.monotonic() - started >= 0.95


async def test_redis_budgets_of_different_ips_are_independent(redis: Redis) -> None:
    limits = (Limit(5, 1.0),)
    started = time.monotonic()
    await asyncio.gather(
        _timed(RedisRateLimiter(redis, "ip-a", limits), 5), _timed(RedisRateLimiter(redis, "ip-b", limits), 5)
    )
    assert time.monotonic() - started < 0.5


async def test_a_429_pauses_every_process_behind_the_ip(redis: Redis) -> None:
    first, second = RedisRateLimiter(redis, "ip-a"), RedisRateLimiter(redis, "ip-a")
    await first.pause(0.4)
    started = time.monotonic()
    await second.acquire()
    assert time.monotonic() - started >= 0.35


async def test_memory_limiter_keeps_the_same_budget() -> None:
    stamps = await _timed(MemoryRateLimiter((Limit(5, 0.5),)), 11)
    assert stamps[4] < 0.2 and stamps[5] >= 0.45 and stamps[10] >= 0.95


async def test_fake_server_never_says_429_under_the_shared_limiter(redis: Redis, clock: FixedClock) -> None:
    server = FakeYClients(clock)
    server.rate_limit_per_second = 5
    limiter = RedisRateLimiter(redis, "ip-a", api_limits())
    store = SqliteStore(":memory:", clock)
    try:
        async with yclients_stack(store, clock, server=server) as stack, aiohttp.ClientSession() as session:
            # Two "processes" (two clients, two salons' worth of calls) behind one IP.
            clients = [
                YClientsClient(session, stack.base_url, SecretStr(server.partner_token), None, limiter)
                for _ in range(2)
            ]
            await asyncio.gather(*(c.services(DEMO_YCLIENTS_COMPANY_ID) for c in clients for _ in range(6)))
        assert len(server.answers) == 12
        assert all(status == 200 for _, status in server.answers)
    finally:
        store.close()


async def test_without_the_limiter_the_fake_does_say_429(clock: FixedClock) -> None:
    server = FakeYClients(clock)
    server.rate_limit_per_second = 5
    store = SqliteStore(":memory:", clock)
    try:
        async with yclients_stack(store, clock, server=server) as stack, aiohttp.ClientSession() as session:
            client = YClientsClient(
                session, stack.base_url, SecretStr(server.partner_token), None, MemoryRateLimiter((Limit(100, 1.0),))
            )
            results = await asyncio.gather(
                *(client.services(DEMO_YCLIENTS_COMPANY_ID) for _ in range(8)), return_exceptions=True
            )
        assert any(isinstance(r, RateLimited) for r in results) or any(s == 429 for _, s in server.answers)
    finally:
        store.close()


async def test_requests_counted_within_the_same_100_microseconds_are_all_counted(redis: Redis) -> None:
    # Lua's default number format rounded µs timestamps, so near-simultaneous requests overwrote each other.
    limiter = RedisRateLimiter(redis, "ip-a", (Limit(50, 1.0),))
    await asyncio.gather(*(limiter.acquire() for _ in range(20)))
    assert await redis.zcard("yclients:ratelimit:ip-a:50per1s") == 20
