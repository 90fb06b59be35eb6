"""Each number's health, as the staff page and /metrics show it: what happened to its outgoing messages in the last
24 hours (hourly counters in Redis, so every gateway sees the same figures whichever holds the number now) and the
pause WhatsApp put it under, if one is running."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from redis.asyncio import Redis

from integrations import redis_keys as keys
from integrations.whatsapp.sending import Figure, PauseReason

log = logging.getLogger(__name__)
HOURS = 24
BUCKET_TTL_SECONDS = (HOURS + 1) * 3600


@dataclass(frozen=True)
class HealthFigures:
    """One number's last 24 hours, and its pause now."""

    counts: dict[Figure, int] = field(default_factory=dict)
    pause_reason: PauseReason | None = None
    paused_until: datetime | None = None

    def count(self, figure: Figure) -> int:
        return self.counts.get(figure, 0)


class NumberHealth:
    """Records (a session's `SendLog`) and reads the figures. A Redis error while recording is logged, never
    raised: a figure missed must not cost a send."""

    def __init__(self, redis: Redis, clock: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self._clock = clock

    async def record(self, company_id: str, figure: Figure) -> None:
        key = keys.number_health(company_id, int(self._clock() // 3600))
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.hincrby(key, figure.value, 1)
                pipe.expire(key, BUCKET_TTL_SECONDS)
                await pipe.execute()
        except Exception:
            log.warning("company=%s health figure %s not recorded", company_id, figure, exc_info=True)

    async def paused(self, company_id: str, reason: PauseReason, until: datetime) -> None:
        await self.record(company_id, Figure.PAUSED)
        try:
            await self._redis.set(
                keys.number_pause(company_id),
                f"{reason.value} {until.timestamp():.0f}",
                ex=max(1, int(until.timestamp() - self._clock())),
            )
        except Exception:
            log.warning("company=%s pause not recorded", company_id, exc_info=True)

    async def read(self, company_ids: Sequence[str]) -> dict[str, HealthFigures]:
        """The figures of each company's number (one pipelined round trip for all of them)."""
        hour = int(self._clock() // 3600)
        async with self._redis.pipeline(transaction=False) as pipe:
            for company_id in company_ids:
                for back in range(HOURS):
                    pipe.hgetall(keys.number_health(company_id, hour - back))
                pipe.get(keys.number_pause(company_id))
            results = await pipe.execute()
        figures: dict[str, HealthFigures] = {}
        per_company = HOURS + 1
        for index, company_id in enumerate(company_ids):
            chunk = results[index * per_company : (index + 1) * per_company]
            counts: dict[Figure, int] = {}
            for bucket in chunk[:HOURS]:
                for name, value in bucket.items():
                    figure = _figure(name)
                    if figure is not None:
                        counts[figure] = counts.get(figure, 0) + int(value)
            reason, until = _pause(chunk[HOURS])
            figures[company_id] = HealthFigures(counts=counts, pause_reason=reason, paused_until=until)
        return figures


def _figure(name: bytes | str) -> Figure | None:
    try:
        return Figure(name.decode() if isinstance(name, bytes) else name)
    except ValueError:
        return None


def _pause(raw: bytes | None) -> tuple[PauseReason | None, datetime | None]:
    if raw is None:
        return None, None
    reason, _, until = raw.decode().partition(" ")
    try:
        return PauseReason(reason), datetime.fromtimestamp(float(until), tz=UTC)
    except ValueError:
        return None, None
