"""The one door: every transport (the WhatsApp gateway, the demo chat, `booking-bot send-inbound`, the tests' chat
helper) hands its `InboundMessage` to `accept_inbound`, and nothing else enters the core."""

from __future__ import annotations

from booking_bot.domain import InboundMessage
from booking_bot.services import Services


async def accept_inbound(services: Services, message: InboundMessage) -> bool:
    """Store (dedupe on company + message id), then queue `handle_inbound`. Returns False for a duplicate.

    The message is durable before it is queued, so a lost job loses nothing (the scheduler's sweep queues it again).
    """
    if not await services.store.record_inbound(message):
        return False
    services.jobs.handle_inbound(message.company_id, message.chat_id, message.message_id)
    return True


async def queue_unless_handled(services: Services, message: InboundMessage) -> bool:
    """A recorded message that may never have been queued (its enqueue failed) is queued; a second job for it is
    harmless. Returns whether it was queued."""
    if await services.store.inbound_done(message.company_id, message.message_id) is False:
        services.jobs.handle_inbound(message.company_id, message.chat_id, message.message_id)
        return True
    return False
