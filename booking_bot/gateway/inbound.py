"""Inbound: dedupe on (company, message id) with one atomic Redis SET NX, then the core's one door (inbound.py).

This runs first in the neonize message handler: whatsmeow has already acknowledged the message to WhatsApp, so the
window until the message is durable (stored and queued by `accept_inbound`) must stay milliseconds long. When Redis
is unreachable (restarting, failing over) the message is not dropped: the gate retries until it is durable, holding
the session's FIFO lock, so later messages of the number wait behind it in order.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import dramatiq.errors
from redis.asyncio import Redis
from redis.exceptions import RedisError

from booking_bot.domain import InboundMessage
from booking_bot.inbound import accept_inbound, queue_unless_handled
from booking_bot.services import Services
from integrations import redis_keys as keys

log = logging.getLogger(__name__)
PENDING = b"pending"  # marked, not yet durable (a gateway killed here leaves this: the store then decides)
DONE = b"done"
RETRY_FIRST_SECONDS = 0.2
RETRY_MAX_SECONDS = 5.0
GIVE_UP_SECONDS = 600.0  # whatsmeow acknowledged the message: ten minutes of retries before it is given up
UNREACHABLE = (RedisError, dramatiq.errors.ConnectionError, OSError)


class InboundGate:
    """Drops what another delivery of the same message (LID or phone form, another gateway) already passed."""

    def __init__(
        self,
        redis: Redis,
        services: Services,
        dedupe_ttl: timedelta,
        give_up_seconds: float = GIVE_UP_SECONDS,
    ) -> None:
        if dedupe_ttl < timedelta(hours=48):
            raise ValueError("inbound dedupe must outlive WhatsApp's redelivery window: 48 h or more")
        self._redis = redis
        self._services = services
        self._ttl = int(dedupe_ttl.total_seconds())
        self._give_up = give_up_seconds
        self.accepted = 0
        self.duplicates = 0

    async def __call__(self, message: InboundMessage) -> None:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self._give_up
        delay = RETRY_FIRST_SECONDS
        while True:
            try:
                await self._pass(message)
                return
            except UNREACHABLE as exc:
                if loop.time() + delay > give_up:
                    log.error("company=%s inbound message lost: Redis unreachable for too long", message.company_id)
                    raise
                log.warning(
                    "company=%s inbound message not durable yet (%s); retrying in %.1fs",
                    message.company_id,
                    type(exc).__name__,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_SECONDS)

    async def _pass(self, message: InboundMessage) -> None:
        key = keys.inbound_seen(message.company_id, message.message_id)
        if await self._redis.set(key, PENDING, nx=True, ex=self._ttl):
            await self._accept(message, key)
            return
        if await self._redis.get(key) == DONE:
            self.duplicates += 1
            return
        # Marked but not confirmed durable: another delivery is in flight, or its gateway died in between.
        # The store decides (its insert is the atomic dedupe); a recorded message that was never queued is queued.
        if not await accept_inbound(self._services, message):
            self.duplicates += 1
            await queue_unless_handled(self._services, message)
        await self._redis.set(key, DONE, ex=self._ttl)

    async def _accept(self, message: InboundMessage, key: str) -> None:
        try:
            if not await accept_inbound(self._services, message):
                # Recorded by an earlier attempt whose enqueue failed (Redis went away in between and the mark
                # was forgotten): the store has it, the queue may not.
                await queue_unless_handled(self._services, message)
        except BaseException:
            # Not durable: forget the mark so WhatsApp's redelivery of this message is accepted.
            await self._redis.delete(key)
            log.error("company=%s inbound message not queued", message.company_id)
            raise
        await self._redis.set(key, DONE, ex=self._ttl)
        self.accepted += 1
