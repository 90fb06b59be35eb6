"""The Dramatiq actor that sends one claimed reminder (the scheduler only claims and enqueues)."""

from __future__ import annotations

from collections.abc import Awaitable

import dramatiq

from booking_bot.domain import Reminder
from booking_bot.queue import NotInstalled, installed
from booking_bot.reminders.scheduler import Dispatch
from booking_bot.reminders.sending import send_reminder

REMINDER_QUEUE = "reminders"


async def send_reminder_job(company_id: str, key: str) -> None:
    """Takes the reminder's key, not the reminder: the table is the truth at the time of sending."""
    await send_reminder(installed(), company_id, key)


def declare_reminder_actor(broker: dramatiq.Broker) -> dramatiq.Actor[[str, str], Awaitable[None]]:
    # A few retries: a reminder still claimed after them is reclaimed by the scheduler as a stale claim.
    actor: dramatiq.Actor[[str, str], Awaitable[None]] = dramatiq.actor(
        send_reminder_job,
        broker=broker,
        actor_name="send_reminder",
        queue_name=REMINDER_QUEUE,
        max_retries=3,
        min_backoff=1_000,
        max_backoff=30_000,
        time_limit=60_000,
        throws=(NotInstalled,),
    )
    return actor


def enqueue_with(actor: dramatiq.Actor[[str, str], Awaitable[None]]) -> Dispatch:
    """The scheduler's dispatch: enqueue the claimed reminder for the sending actor."""

    async def dispatch(reminder: Reminder) -> None:
        actor.send(reminder.company_id, reminder.key)

    return dispatch
