"""Work whose queue job was lost is queued again: the store, not the queue, is the record of what is still to do.

Inbound messages:

A message is durable in the store before its job is queued, and Dramatiq redelivers a job a killed worker held. What
neither covers: a gateway killed between the store and the queue, or a job lost while Redis restarted (the chaos run
with three Redis restarts left two conversations' last messages unanswered, recorded but never queued again). The
scheduler's leader runs this every `inbound_sweep_seconds`: each chat with a message still unhandled after
`inbound_requeue_after_seconds` gets one `handle_inbound` job. A job for a message that is being handled or was
handled meanwhile finds nothing to do (the chat's lock, then `inbound_done`), so a slow queue costs a few no-op jobs,
never a second answer.

Webhook deliveries: a delivery still pending and untouched for longer than its retries can wait (twice the longest
backoff, plus an attempt's timeout) has no job left — its enqueue failed, or the job was lost — and gets one again.
Waiting that long means a queued retry cannot still be on its way, so no delivery is attempted twice at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from booking_bot.ports import Clock, Store

log = logging.getLogger(__name__)
Enqueue = Callable[[str, str, str], object]  # (company id, chat id, message id) -> queue a handle_inbound job
Dispatch = Callable[[str, str], object]  # (company id, delivery id) -> queue a deliver_webhook job
SWEEP_BATCH = 500


async def requeue_stale_inbound(
    store: Store, enqueue: Enqueue, clock: Clock, older_than: timedelta, limit: int = SWEEP_BATCH
) -> int:
    """Queue one job per chat that has a message unhandled for longer than `older_than`. Returns how many."""
    queued: set[tuple[str, str]] = set()
    for message in await store.stale_inbound(clock() - older_than, limit):
        chat = (message.company_id, message.chat_id)
        if chat in queued:
            continue  # the job drains the whole chat
        enqueue(message.company_id, message.chat_id, message.message_id)
        queued.add(chat)
        log.warning(
            "company=%s message unhandled for over %.0fs: queued again", message.company_id, older_than.total_seconds()
        )
    return len(queued)


async def requeue_stale_deliveries(
    store: Store, dispatch: Dispatch, clock: Clock, older_than: timedelta, limit: int = SWEEP_BATCH
) -> int:
    """Queue a job for each pending webhook delivery untouched for longer than `older_than`. Returns how many."""
    stale = await store.stale_webhook_deliveries(clock() - older_than, limit)
    for delivery in stale:
        dispatch(delivery.company_id, delivery.id)
        log.warning("company=%s webhook delivery %s without a job: queued again", delivery.company_id, delivery.id)
    return len(stale)


def delivery_requeue_after(max_backoff_seconds: float, timeout_seconds: float) -> timedelta:
    """How long a pending delivery may rest untouched before it is known to have no job left."""
    return timedelta(seconds=2 * max_backoff_seconds + timeout_seconds + 60)
