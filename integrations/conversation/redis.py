"""Conversation state and per-conversation locks in Redis: shared by every worker process.

State is one JSON string per conversation with a TTL. A lock is a key holding a random token (SET NX PX); it is
renewed while held, so a long job keeps it and a killed worker's lock expires after `ttl` seconds. Release and
renewal compare the token in a Lua script: a holder never deletes a lock that expired and was taken by another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from booking_bot.domain import ConversationKey, ConversationState
from integrations import redis_keys as keys

log = logging.getLogger(__name__)

_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
_RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
)


class LockTimeout(TimeoutError):
    """The conversation's lock was not free within the wait limit (the job is retried)."""


_NOTHING = object()


class RedisConversationStore:
    """`ConversationStore` on Redis: key `bb:conv:{company}:{chat}`, JSON value, TTL refreshed on save.

    `RedisLocks` built with this store reads a conversation's state in the same round trip that takes its lock
    (`prefetched`); the holder's `load` then costs nothing. The value cannot go stale: every writer holds the lock.
    """

    def __init__(self, redis: Redis, ttl_seconds: float) -> None:
        self._redis = redis
        self._ttl_ms = int(ttl_seconds * 1000)
        self._prefetched: dict[str, bytes | None] = {}

    def state_key(self, key: str) -> str:
        return keys.conversation_state(key)

    def prefetched(self, key: str, payload: bytes | None) -> None:
        """The state read with the lock of `key` (called by `RedisLocks` while it holds that lock)."""
        self._prefetched[key] = payload

    def forget(self, key: str) -> None:
        """The lock of `key` is being released: a prefetched state nobody loaded is dropped."""
        self._prefetched.pop(key, None)

    async def load(self, key: ConversationKey) -> ConversationState | None:
        name = str(key)
        found = self._prefetched.pop(name, _NOTHING)
        payload = await self._redis.get(keys.conversation_state(name)) if found is _NOTHING else found
        if payload is None:
            return None
        return ConversationState.model_validate_json(payload)  # type: ignore[arg-type]

    async def save(self, key: ConversationKey, state: ConversationState) -> None:
        await self._redis.set(keys.conversation_state(str(key)), state.model_dump_json(), px=self._ttl_ms)

    async def delete(self, key: ConversationKey) -> None:
        await self._redis.delete(keys.conversation_state(str(key)))


class RedisLocks:
    """`ConversationLocks` across processes. `ttl` bounds how long a crashed holder blocks the chat.

    With `states` (the conversation store on the same Redis) taking a lock also reads the state it guards, in one
    round trip."""

    def __init__(
        self,
        redis: Redis,
        ttl_seconds: float = 20.0,
        wait_seconds: float = 45.0,
        poll_seconds: float = 0.02,
        states: RedisConversationStore | None = None,
    ) -> None:
        self._redis = redis
        self._ttl_ms = int(ttl_seconds * 1000)
        self._wait = wait_seconds
        self._poll = poll_seconds
        self._states = states
        self._release = redis.register_script(_RELEASE)
        self._renew_script = redis.register_script(_RENEW)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        name = keys.conversation_lock(key)
        token = secrets.token_hex(16)
        await self._acquire(key, name, token)
        # Most jobs are over in milliseconds: a timer starts the renewing task only for a job still running after
        # a third of the TTL (a task per job cost more than the job's own lock round trips).
        renewer: list[asyncio.Task[None]] = []
        timer = asyncio.get_running_loop().call_later(
            self._ttl_ms / 3000, lambda: renewer.append(asyncio.create_task(self._renew(name, token)))
        )
        try:
            yield
        finally:
            timer.cancel()
            for task in renewer:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if self._states is not None:
                self._states.forget(key)
            await self._release(keys=[name], args=[token])

    async def _acquire(self, key: str, name: str, token: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._wait
        delay = self._poll
        while not await self._take(key, name, token):
            if loop.time() >= deadline:
                raise LockTimeout(f"lock {name} not acquired in {self._wait:.0f}s")
            await asyncio.sleep(delay * (0.5 + random.random()))  # noqa: S311 - jitter, not security
            delay = min(delay * 1.5, 0.25)

    async def _take(self, key: str, name: str, token: str) -> bool:
        if self._states is None:
            return bool(await self._redis.set(name, token, nx=True, px=self._ttl_ms))
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.set(name, token, nx=True, px=self._ttl_ms)
            pipe.get(self._states.state_key(key))
            taken, payload = await pipe.execute()
        if taken:
            self._states.prefetched(key, payload)
        return bool(taken)

    async def _renew(self, name: str, token: str) -> None:
        """Started a third of the TTL after the lock was taken: renew now, then every third of the TTL."""
        while True:
            renewed = await self._renew_script(keys=[name], args=[token, str(self._ttl_ms)])
            if not renewed:
                # The key holds the chat id (a phone number): log only the company part of it.
                parts = name.split(":")
                log.error("company=%s conversation lock expired while held", parts[3] if len(parts) > 3 else "?")
                return
            await asyncio.sleep(self._ttl_ms / 3000)
