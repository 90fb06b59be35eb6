"""Proactive messages — the ones nobody asked for just now: reminders, API sends, waiting-list offers, digests — pass
one check here, in the gateway's outbox that every message goes through (and, for an early answer, in the send API):

1. **Only to customers who wrote first or opted in.** A message to a number that never wrote to the salon is how
   WhatsApp numbers get banned (and the "reach-out lock", error 463). `BOOKING_BOT_API_SEND_NEW_CONTACTS` lifts it.
2. **A warm-up budget for newly linked numbers**: on day *n* after a number was first linked here, at most
   `BOOKING_BOT_GATEWAY_WARMUP_PROACTIVE_PER_DAY[n]` proactive messages; after the list, no limit. Numbers linked
   before the gateway recorded link dates have none. Replies to a customer's message are never held back.

A message is a reply when it answers a message the store received from the customer; anything else is proactive.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

from booking_bot.config import SendLimits
from booking_bot.outbox import may_reach
from booking_bot.ports import Store
from integrations import redis_keys as keys

DAY_SECONDS = 86_400


class Refusal(enum.StrEnum):
    """Why a proactive message may not go out."""

    NO_CONVERSATION = "no_conversation"  # never wrote to the salon, did not opt in
    WARM_UP = "warm_up"  # the newly linked number's proactive budget for today is used


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


class Proactive:
    """The one check (and the warm-up counters, in Redis: a number moving between gateways keeps its count)."""

    def __init__(
        self,
        store: Store,
        redis: Redis,
        schedule: Sequence[int],
        limits: SendLimits | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._redis = redis
        self.schedule = tuple(schedule)
        self.limits = limits or SendLimits()  # the send API's too: `new_contacts` lets strangers be messaged
        self._clock = clock

    async def is_reply(self, company_id: str, reply_to: str | None) -> bool:
        """Whether a message answers one the customer sent (its `reply_to` is a received message's id)."""
        return reply_to is not None and await self._store.inbound_done(company_id, reply_to) is not None

    async def may_reach(self, company_id: str, customer_id: str) -> bool:
        """The customer wrote to the salon before, or opted in (or strangers are allowed): the reminder job's rule."""
        return await may_reach(self._store, company_id, customer_id, strangers=self.limits.new_contacts)

    async def warm_up(self, jid_user: str | None) -> WarmUp:
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

    async def check(self, company_id: str, customer_id: str, jid_user: str | None) -> Refusal | None:
        """None when a proactive message to `customer_id` may go out through `jid_user` now."""
        if not await self.may_reach(company_id, customer_id):
            return Refusal.NO_CONVERSATION
        left = (await self.warm_up(jid_user)).left
        return Refusal.WARM_UP if left is not None and left <= 0 else None

    async def sent(self, jid_user: str | None) -> None:
        """Count one proactive message the number sent (only while it is warming up)."""
        warm_up = await self.warm_up(jid_user)
        if jid_user is None or warm_up.day is None:
            return
        key = keys.proactive_sent(jid_user, warm_up.day - 1)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, 2 * DAY_SECONDS)
            await pipe.execute()

    async def linked(self, jid_user: str) -> None:
        """A number was linked: its warm-up starts now, unless it was linked here before."""
        await self._redis.hsetnx(keys.LINKED_NUMBERS, jid_user, f"{self._clock():.0f}")  # type: ignore[misc]
