"""Scheduler leadership by a Redis key with a TTL (the `Leadership` port): one leader at a time, renewed on every tick;
a dead leader's key expires and another scheduler wins."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from redis.asyncio import Redis

from integrations import redis_keys as keys

log = logging.getLogger(__name__)


_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class RedisLeader:
    """Leadership by a Redis key with a TTL, renewed on every tick; a dead leader's key expires and another wins."""

    def __init__(self, redis: Redis, key: str = keys.SCHEDULER_LEADER, ttl: timedelta = timedelta(seconds=15)):
        self._redis = redis
        self._key = key
        self._ttl_ms = int(ttl.total_seconds() * 1000)
        self.owner = uuid.uuid4().hex

    async def acquire_or_renew(self) -> bool:
        if await self._redis.set(self._key, self.owner, nx=True, px=self._ttl_ms):
            log.info("scheduler leadership acquired")
            return True
        renewed = await self._redis.eval(_RENEW, 1, self._key, self.owner, str(self._ttl_ms))  # type: ignore[misc]
        return bool(renewed)

    async def release(self) -> None:
        await self._redis.eval(_RELEASE, 1, self._key, self.owner)  # type: ignore[misc]
