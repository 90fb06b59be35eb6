"""Proactive messages — the ones nobody asked for just now: reminders, API sends, waiting-list offers, digests — pass
one check here, in the gateway's outbox that every message goes through (and, for an early answer, in the send API):

1. **Only to customers who wrote first or opted in.** A message to a number that never wrote to the salon is how
   WhatsApp numbers get banned (and the "reach-out lock", error 463). `BOOKING_BOT_API_SEND_NEW_CONTACTS` lifts it.
2. **A warm-up budget for newly linked numbers**: on day *n* after a number was first linked here, at most
   `BOOKING_BOT_GATEWAY_WARMUP_PROACTIVE_PER_DAY[n]` proactive messages; after the list, no limit. Numbers linked
   before the gateway recorded link dates have none. Replies to a customer's message are never held back.

A message is a reply when it answers a message the store received from the customer; anything else is proactive.
The jobs that write on their own (reminders, offers, follow-ups) and the send API ask the same rule before they
queue anything and take the message's place in the warm-up budget (`integrations/warm_up.py`): what they queued is
neither counted twice nor held back here, so a message reported as sent is sent. The rest is checked here only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from redis.asyncio import Redis

from booking_bot.config import SendLimits
from booking_bot.outbox import Refusal, may_reach
from booking_bot.ports import Store
from integrations.warm_up import DAY_SECONDS, WarmUp, WarmUpBudget

__all__ = ["DAY_SECONDS", "Proactive", "Refusal", "WarmUp"]


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
        self.budget = WarmUpBudget(redis, schedule, clock)
        self.schedule = self.budget.schedule
        self.limits = limits or SendLimits()  # the send API's too: `new_contacts` lets strangers be messaged

    async def is_reply(self, company_id: str, reply_to: str | None) -> bool:
        """Whether a message answers one the customer sent (its `reply_to` is a received message's id)."""
        return reply_to is not None and await self._store.inbound_done(company_id, reply_to) is not None

    async def may_reach(self, company_id: str, customer_id: str) -> bool:
        """The customer wrote to the salon before, or opted in (or strangers are allowed): the jobs' rule too."""
        return await may_reach(self._store, company_id, customer_id, strangers=self.limits.new_contacts)

    async def warm_up(self, jid_user: str | None) -> WarmUp:
        """The number's warm-up today."""
        return await self.budget.today(jid_user)

    async def check(
        self, company_id: str, customer_id: str, jid_user: str | None, *, budgeted: bool = False
    ) -> Refusal | None:
        """None when a proactive message to `customer_id` may go out through `jid_user` now. `budgeted`: the job
        that queued it took its place in the warm-up budget already (`WarmUpBudget.take`)."""
        if not await self.may_reach(company_id, customer_id):
            return Refusal.NO_CONVERSATION
        if budgeted:
            return None
        left = (await self.warm_up(jid_user)).left
        return Refusal.WARM_UP if left is not None and left <= 0 else None

    async def budgeted(self, company_id: str, key: str) -> bool:
        """Whether the job that queued the message `key` took its place in the warm-up budget (counted there)."""
        return await self.budget.taken(company_id, key)

    async def sent(self, jid_user: str | None) -> None:
        """Count one proactive message the number sent (only while it is warming up)."""
        await self.budget.count(jid_user)

    async def linked(self, jid_user: str) -> None:
        """A number was linked: its warm-up starts now, unless it was linked here before."""
        await self.budget.linked(jid_user)
