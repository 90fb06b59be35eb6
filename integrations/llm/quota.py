"""The per-company daily cap on stage-2 calls, shared by every worker process through Redis."""

from __future__ import annotations

import datetime as dt
from typing import Any

import redis.asyncio as aioredis

from integrations import redis_keys as keys

__all__ = ["RedisCallQuota"]

# Count one call unless the company is at its cap; the key expires two days after its first call.
_TAKE = """
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if used > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
return 1
"""


class RedisCallQuota:
    """`CallQuota` on Redis: key `llm:calls:{company}:{YYYY-MM-DD}` (the salon's local day), atomic in a script."""

    def __init__(self, client: aioredis.Redis, ttl_seconds: int = 2 * 24 * 3600) -> None:
        self._client = client
        self._ttl = ttl_seconds
        self._script: Any = client.register_script(_TAKE)

    @staticmethod
    def key(company_id: str, day: dt.date) -> str:
        return keys.llm_calls(company_id, day)

    async def take(self, company_id: str, day: dt.date, limit: int) -> bool:
        if limit <= 0:
            return False
        allowed = await self._script(keys=[self.key(company_id, day)], args=[limit, self._ttl])
        return bool(int(allowed))
