"""Building the YClients pieces from `Settings` (the composition root calls these)."""

from __future__ import annotations

from redis.asyncio import Redis

from booking_bot.settings import Settings
from integrations.scheduling.yclients.ratelimit import (
    Limit,
    MemoryRateLimiter,
    RateLimiter,
    RedisRateLimiter,
    api_limits,
)


def limits_from_settings(settings: Settings) -> tuple[Limit, ...]:
    return api_limits(settings.yclients.requests_per_second, settings.yclients.requests_per_minute)


def build_limiter(settings: Settings, redis: Redis | None = None) -> RateLimiter:
    """The shared Redis limiter in production; the in-process one only when settings ask for it (the demo)."""
    if settings.yclients.rate_limiter == "memory":
        return MemoryRateLimiter(limits_from_settings(settings))
    if redis is None:
        raise ValueError("BOOKING_BOT_YCLIENTS_RATE_LIMITER=redis needs a Redis client (BOOKING_BOT_REDIS_URL)")
    return RedisRateLimiter(redis, settings.yclients.egress_id, limits_from_settings(settings))
