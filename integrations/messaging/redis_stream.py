"""The worker's `MessagingChannel`: replies go to the company's Redis stream, which its owning gateway consumes.

One stream per company (`bb:out:{company}`), so ownership moves with the company: whichever gateway holds the
company's lease reads its stream, and picks up what a dead gateway left unacknowledged.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.typing import EncodableT, FieldT

from booking_bot.domain import OutboundMessage
from integrations.redis_keys import outbound_stream

STREAM_MAX_LEN = 100_000  # approximate trim; entries are deleted once sent anyway


class RedisStreamChannel:
    """XADD one entry per reply. The gateway dedupes on `idempotency_key`, so a retried job never sends twice."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def send(self, message: OutboundMessage) -> None:
        fields: dict[FieldT, EncodableT] = {
            "key": message.idempotency_key,
            "chat": message.chat_id,
            "text": message.text,
            "reply_to": message.reply_to or "",
        }
        await self._redis.xadd(outbound_stream(message.company_id), fields, maxlen=STREAM_MAX_LEN, approximate=True)
