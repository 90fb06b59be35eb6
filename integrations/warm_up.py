"""A newly linked number's warm-up in Redis: how many proactive messages it may send on each day after it was first
linked (docs/gateway.md, "Ban-safe sending"). Shared by the gateways, which count what they send, and by the jobs
that write to customers on their own (reminders, waiting-list offers, follow-ups), which take their place in the
day's budget before they record anything — so a message over the budget is never recorded as sent.

Keys: `bb:wa:linked` (number → when first linked), `bb:wa:proactive:{number}:{day}` (sent or taken that day),
`bb:wa:budget:{company}:{message key}` (this message's place is taken: the gateway neither counts it again nor
holds it back).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from integrations import redis_keys as keys

__all__ = ["DAY_SECONDS", "WarmUp", "WarmUpBudget"]
DAY_SECONDS = 86_400
KEPT_SECONDS = 2 * DAY_SECONDS

# Take a place for one message: once per message key, and only while the day's count is under the budget.
_TAKE = """
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[2])
return 1
"""


@dataclass(frozen=True)
class WarmUp:
    """Where a number is in its warm-up. `day` is None when it has none (done, or linked before it was recorded)."""

    day: int | None = None  # 1 on the day the number was linked
    days: int = 0
    budget: int | None = None  # proactive messages allowed today; None: no limit
    used: int = 0
    resets_in: float = 0.0  # seconds until the next day of the warm-up

    @property
    def left(self) -> int | None:
        return None if self.budget is None else max(0, self.budget - self.used)


class WarmUpBudget:
    """The warm-up's counters, and `take` (the jobs' `ProactiveBudget`): a place in today's budget for a message."""

    def __init__(self, redis: Redis, schedule: Sequence[int], clock: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self.schedule = tuple(schedule)
        self._clock = clock
        self._take: Any = redis.register_script(_TAKE)

    async def today(self, jid_user: str | None) -> WarmUp:
        """The number's warm-up today."""
        if jid_user is None or not self.schedule:
            return WarmUp(days=len(self.schedule))
        linked = await self._redis.hget(keys.LINKED_NUMBERS, jid_user)  # type: ignore[misc]
        if linked is None:
            return WarmUp(days=len(self.schedule))
        age = max(0.0, self._clock() - float(linked))
        index = int(age // DAY_SECONDS)
        if index >= len(self.schedule):
            return WarmUp(days=len(self.schedule))
        used = await self._redis.get(keys.proactive_sent(jid_user, index))
        return WarmUp(
            day=index + 1,
            days=len(self.schedule),
            budget=self.schedule[index],
            used=int(used or 0),
            resets_in=DAY_SECONDS - age % DAY_SECONDS,
        )

    async def count(self, jid_user: str | None) -> None:
        """Count one proactive message the number sent (only while it is warming up)."""
        warm_up = await self.today(jid_user)
        if jid_user is None or warm_up.day is None:
            return
        key = keys.proactive_sent(jid_user, warm_up.day - 1)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, KEPT_SECONDS)
            await pipe.execute()

    async def linked(self, jid_user: str) -> None:
        """A number was linked: its warm-up starts now, unless it was linked here before."""
        await self._redis.hsetnx(keys.LINKED_NUMBERS, jid_user, f"{self._clock():.0f}")  # type: ignore[misc]

    async def take(self, company_id: str, key: str) -> datetime | None:
        """Take a place in today's budget of the company's number for the outgoing message `key` (asked again for
        the same key, nothing more is taken). None: taken, or no limit today; else when the next day begins."""
        number = await self._redis.hget(keys.JIDS, company_id)  # type: ignore[misc]
        warm_up = await self.today(number.decode() if number else None)
        reserved = keys.proactive_budget_taken(company_id, key)
        if warm_up.day is None or warm_up.budget is None or number is None:
            # No limit now; marked all the same, so a number linked before the gateway sends it does not hold back
            # a message the job already reported as sent.
            await self._redis.set(reserved, "1", ex=KEPT_SECONDS)
            return None
        counter = keys.proactive_sent(number.decode(), warm_up.day - 1)
        if int(await self._take(keys=[counter, reserved], args=[warm_up.budget, KEPT_SECONDS])):
            return None
        return datetime.fromtimestamp(self._clock() + warm_up.resets_in, UTC)

    async def taken(self, company_id: str, key: str) -> bool:
        """Whether a job took the budget's place for the message `key` (it is counted, and it goes)."""
        return bool(await self._redis.exists(keys.proactive_budget_taken(company_id, key)))
