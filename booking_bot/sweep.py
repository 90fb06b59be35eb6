"""Inbound messages whose queue job was lost are queued again: the store, not the queue, is the record of what is
still to be answered.

A message is durable in the store before its job is queued, and Dramatiq redelivers a job a killed worker held. What
neither covers: a gateway killed between the store and the queue, or a job lost while Redis restarted (the chaos run
with three Redis restarts left two conversations' last messages unanswered, recorded but never queued again). The
scheduler's leader runs this every `inbound_sweep_seconds`: each chat with a message still unhandled after
`inbound_requeue_after_seconds` gets one `handle_inbound` job. A job for a message that is being handled or was
handled meanwhile finds nothing to do (the chat's lock, then `inbound_done`), so a slow queue costs a few no-op jobs,
never a second answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from booking_bot.ports import Clock, Store

log = logging.getLogger(__name__)
Enqueue = Callable[[str, str, str], object]  # (company id, chat id, message id) -> queue a handle_inbound job
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
