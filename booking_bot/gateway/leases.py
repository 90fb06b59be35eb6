"""Company ownership by Redis lease: a gateway holds a company only while its lease key names it.

Acquire: SET NX PX ttl. Renew (heartbeat): PEXPIRE only if the key still names us. Release: DEL only if it names us.
A gateway that dies stops renewing; its leases expire after `ttl` and another gateway's next scan takes them.
"""

from __future__ import annotations

from redis.asyncio import Redis

from integrations import redis_keys as keys

_RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
)
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class Leases:
    """One gateway's leases."""

    def __init__(self, redis: Redis, owner: str, ttl_seconds: float) -> None:
        self._redis = redis
        self.owner = owner
        self._ttl_ms = int(ttl_seconds * 1000)

    async def acquire(self, company_id: str) -> bool:
        return bool(await self._redis.set(keys.lease(company_id), self.owner, nx=True, px=self._ttl_ms))

    async def renew(self, company_ids: list[str]) -> set[str]:
        """Renew in one round trip; returns the companies still ours (a lost one must be closed at once)."""
        if not company_ids:
            return set()
        async with self._redis.pipeline(transaction=False) as pipe:
            for company_id in company_ids:
                pipe.eval(_RENEW, 1, keys.lease(company_id), self.owner, str(self._ttl_ms))
            results = await pipe.execute()
        return {company_id for company_id, kept in zip(company_ids, results, strict=True) if kept}

    async def release(self, company_id: str) -> None:
        await self._redis.eval(_RELEASE, 1, keys.lease(company_id), self.owner)  # type: ignore[misc]

    async def holder(self, company_id: str) -> str | None:
        value = await self._redis.get(keys.lease(company_id))
        return value.decode() if isinstance(value, bytes) else value
