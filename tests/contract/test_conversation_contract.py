"""One contract for conversation state and per-conversation locks: the memory and the Redis implementations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from booking_bot.domain import ConversationKey, ConversationState, Draft, OfferedSlot, Stage
from booking_bot.ports import ConversationLocks, ConversationStore
from integrations.conversation.memory import MemoryConversationStore, MemoryLocks
from integrations.conversation.redis import LockTimeout, RedisConversationStore, RedisLocks


@dataclass
class Impl:
    store: ConversationStore
    locks: ConversationLocks
    expire: object  # a callable that makes every stored entry expire now


class _Monotonic:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "redis", "redis-prefetching"])
async def impl(request: pytest.FixtureRequest) -> AsyncIterator[Impl]:
    if request.param == "memory":
        clock = _Monotonic()

        def expire_memory() -> None:
            clock.now += 10_000

        yield Impl(MemoryConversationStore(3600, monotonic=clock), MemoryLocks(), expire_memory)
        return
    url = request.getfixturevalue("redis_url")
    redis = Redis.from_url(url)

    async def expire_redis() -> None:
        for name in await redis.keys("bb:conv:*"):
            await redis.pexpire(name, 1)
        await asyncio.sleep(0.01)

    store = RedisConversationStore(redis, 3600)
    # "redis-prefetching": as production builds it, taking the lock also reads the state.
    states = store if request.param == "redis-prefetching" else None
    try:
        yield Impl(store, RedisLocks(redis, ttl_seconds=2, wait_seconds=5, states=states), expire_redis)
    finally:
        await redis.aclose()


async def _expire(impl: Impl) -> None:
    result = impl.expire()  # type: ignore[operator]
    if asyncio.iscoroutine(result):
        await result


def _state() -> ConversationState:
    start = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    return ConversationState(
        stage=Stage.CONFIRM_BOOK,
        language="ru",
        draft=Draft(service_id="haircut", staff_id="anna", chosen=OfferedSlot(start=start, staff_id="anna")),
        offered=[OfferedSlot(start=start, staff_id="anna")],
        paused_until=start,
    )


async def test_saved_state_loads_back_equal(impl: Impl) -> None:
    key = ConversationKey("salon-a", "15550000001@s.whatsapp.net")
    assert await impl.store.load(key) is None
    await impl.store.save(key, _state())
    assert await impl.store.load(key) == _state()


async def test_state_of_one_company_is_invisible_to_another(impl: Impl) -> None:
    await impl.store.save(ConversationKey("salon-a", "chat-1"), _state())
    assert await impl.store.load(ConversationKey("salon-b", "chat-1")) is None
    assert await impl.store.load(ConversationKey("salon-a", "chat-2")) is None


async def test_delete_forgets_the_conversation(impl: Impl) -> None:
    key = ConversationKey("salon-a", "chat-1")
    await impl.store.save(key, _state())
    await impl.store.delete(key)
    assert await impl.store.load(key) is None
    await impl.store.delete(key)  # deleting twice is fine


async def test_state_expires_after_its_ttl(impl: Impl) -> None:
    key = ConversationKey("salon-a", "chat-1")
    await impl.store.save(key, _state())
    await _expire(impl)
    assert await impl.store.load(key) is None


async def test_lock_gives_one_holder_at_a_time_per_key(impl: Impl) -> None:
    inside = 0
    most = 0

    async def critical() -> None:
        nonlocal inside, most
        async with impl.locks.hold("conv:salon-a:chat-1"):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(critical() for _ in range(8)))
    assert most == 1


async def test_locks_on_different_keys_do_not_block_each_other(impl: Impl) -> None:
    async with impl.locks.hold("conv:salon-a:chat-1"):
        await asyncio.wait_for(_enter_and_leave(impl.locks, "conv:salon-a:chat-2"), timeout=1)
        await asyncio.wait_for(_enter_and_leave(impl.locks, "conv:salon-b:chat-1"), timeout=1)


async def test_lock_is_released_when_the_holder_fails(impl: Impl) -> None:
    with pytest.raises(RuntimeError):
        async with impl.locks.hold("conv:salon-a:chat-1"):
            raise RuntimeError("handler bug")
    await asyncio.wait_for(_enter_and_leave(impl.locks, "conv:salon-a:chat-1"), timeout=1)


async def _enter_and_leave(locks: ConversationLocks, key: str) -> None:
    async with locks.hold(key):
        pass


# Redis only: what matters across processes.


async def test_redis_lock_is_kept_by_a_holder_longer_than_its_ttl(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        locks = RedisLocks(redis, ttl_seconds=0.3, wait_seconds=0.2)
        async with locks.hold("conv:salon-a:chat-1"):
            await asyncio.sleep(0.6)  # twice the TTL: renewal keeps it
            with pytest.raises(LockTimeout):
                await _enter_and_leave(locks, "conv:salon-a:chat-1")
    finally:
        await redis.aclose()


async def test_redis_lock_of_a_killed_worker_expires(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        # A worker died holding the lock: its key stays with no one to renew it.
        await redis.set("bb:lock:conv:salon-a:chat-1", "dead-worker-token", px=300)
        locks = RedisLocks(redis, ttl_seconds=5, wait_seconds=2)
        started = asyncio.get_running_loop().time()
        await _enter_and_leave(locks, "conv:salon-a:chat-1")
        assert asyncio.get_running_loop().time() - started < 1.5
        assert await redis.get("bb:lock:conv:salon-a:chat-1") is None  # released by us
    finally:
        await redis.aclose()


async def test_redis_lock_release_never_deletes_someone_elses_lock(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        locks = RedisLocks(redis, ttl_seconds=5, wait_seconds=1)
        async with locks.hold("conv:salon-a:chat-1"):
            # Simulate expiry and a takeover by another worker while we still run.
            await redis.set("bb:lock:conv:salon-a:chat-1", "other-worker")
        assert await redis.get("bb:lock:conv:salon-a:chat-1") == b"other-worker"
    finally:
        await redis.aclose()


async def test_state_read_with_the_lock_is_never_stale(redis_url: str) -> None:
    """The prefetched state is the one the previous holder saved, and one nobody loaded is not served later."""
    redis = Redis.from_url(redis_url)
    try:
        store = RedisConversationStore(redis, 3600)
        locks = RedisLocks(redis, ttl_seconds=2, wait_seconds=5, states=store)
        key = ConversationKey("salon-a", "chat-prefetch")
        await store.delete(key)
        async with locks.hold(str(key)):
            assert await store.load(key) is None
            await store.save(key, _state())
        async with locks.hold(str(key)):
            pass  # prefetched, never loaded: dropped when the lock is released
        changed = _state().model_copy(update={"language": "es"})
        await store.save(key, changed)  # a later writer (it would hold the lock; the test need not)
        assert await store.load(key) == changed
        async with locks.hold(str(key)):
            assert await store.load(key) == changed
            assert await store.load(key) == changed  # a second load reads Redis again, same value
    finally:
        await redis.aclose()
