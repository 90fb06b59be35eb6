"""The outbox: every outgoing text is recorded before it is sent and marked sent after, under a deterministic key.

A job that is retried after a crash re-sends what was recorded but not sent, and nothing that already went out.
`may_reach` and `take_budget` are the rule for messages the customer did not ask for just now (reminders, offers,
follow-ups, API sends): the gateway's own (booking_bot/gateway/proactive.py), asked by the jobs before they record
anything, so that what they report as sent is what the gateway sends.
"""

from __future__ import annotations

import enum
from datetime import datetime

from booking_bot.domain import OutboundMessage
from booking_bot.ports import MessagingChannel, ProactiveBudget, Store


class Refusal(enum.StrEnum):
    """Why a proactive message may not go out (now)."""

    NO_CONVERSATION = "no_conversation"  # never wrote to the salon, did not opt in
    WARM_UP = "warm_up"  # the newly linked number's proactive budget for today is used


def outbound_key(company_id: str, reply_to: str, index: int = 0) -> str:
    """The idempotency key of the `index`-th text answering `reply_to` (what the gateway dedupes on)."""
    return f"out:{company_id}:{reply_to}:{index}"


async def deliver(
    store: Store, channel: MessagingChannel, company_id: str, chat_id: str, reply_to: str, texts: list[str]
) -> None:
    """Record `texts` as the messages answering `reply_to` (an inbound message id or a reminder key), then send
    what is unsent. When every text was recorded just now, those are exactly the unsent ones (no read back)."""
    recorded: list[OutboundMessage] = []
    for index, text in enumerate(texts):
        message = OutboundMessage(
            company_id=company_id,
            chat_id=chat_id,
            text=text,
            reply_to=reply_to,
            idempotency_key=outbound_key(company_id, reply_to, index),
        )
        if await store.record_outbound(message):
            recorded.append(message)
    if texts and len(recorded) == len(texts):
        await _send(store, channel, recorded)
    else:  # some were recorded by an earlier attempt: the store knows which are still unsent
        await flush(store, channel, company_id, reply_to)


async def flush(store: Store, channel: MessagingChannel, company_id: str, reply_to: str) -> None:
    """Send what was recorded for `reply_to` and not sent yet, in order."""
    await _send(store, channel, await store.outbound_replies(company_id, reply_to, unsent_only=True))


async def _send(store: Store, channel: MessagingChannel, messages: list[OutboundMessage]) -> None:
    for outbound in messages:
        await channel.send(outbound)
        await store.mark_outbound_sent(outbound.company_id, outbound.idempotency_key)


async def may_reach(store: Store, company_id: str, customer_id: str, *, strangers: bool = False) -> bool:
    """Whether a proactive message may go to the customer: they wrote to the salon before or opted in (or
    `strangers` are allowed: BOOKING_BOT_API_SEND_NEW_CONTACTS). Messages to numbers that never wrote get WhatsApp
    numbers banned; the gateway drops them (booking_bot/gateway/proactive.py), so a job asks first."""
    if strangers or await store.last_inbound_at(company_id, customer_id) is not None:
        return True
    identity = await store.find_identity(company_id, customer_id=customer_id)
    return identity is not None and identity.opted_in_at is not None


async def take_budget(budget: ProactiveBudget | None, company_id: str, reply_to: str) -> datetime | None:
    """Take the place of the one text answering `reply_to` in the number's warm-up budget, right before it is
    recorded and sent. None: it may go (taken, or no warm-up: `budget` None in the demo); else when the number's
    next warm-up day begins — the gateway would hold it back, so the job must not record it as sent."""
    if budget is None:
        return None
    return await budget.take(company_id, outbound_key(company_id, reply_to))
