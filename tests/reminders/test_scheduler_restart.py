"""1,000 reminders, the scheduler killed mid-run and a second one started: each is sent exactly once, on time."""

from __future__ import annotations

import asyncio
import collections
from datetime import datetime, timedelta
from pathlib import Path

from redis.asyncio import Redis

from booking_bot.composition import build_embedded, seed_demo, utc_now
from booking_bot.domain import Booking, InboundMessage, Reminder
from booking_bot.reminders import send_reminder
from booking_bot.scheduler import ReminderScheduler
from booking_bot.settings import Settings
from integrations.messaging.simulated import SimulatedChannel
from integrations.redis_leader import RedisLeader

COUNT = 1_000


def wrote(company_id: str, customer_id: str, at: datetime) -> InboundMessage:
    """The customer's message that made the booking (a reminder goes only to customers who wrote or opted in)."""
    return InboundMessage(
        company_id=company_id,
        message_id=f"booked-{customer_id}",
        chat_id=customer_id,
        phone=customer_id,
        text="book me in",
        received_at=at - timedelta(days=1),
    )


async def test_reminder_sent_once_across_restart_and_a_second_scheduler(tmp_path: Path, redis_url: str) -> None:
    channel = SimulatedChannel()
    embedded = build_embedded(Settings(data_dir=tmp_path, _env_file=None), channel, clock=utc_now)  # type: ignore[call-arg]
    company = await seed_demo(embedded)
    store, services = embedded.store, embedded.services
    t0 = utc_now()
    due_by_key: dict[str, datetime] = {}
    for n in range(COUNT):
        start = t0 + timedelta(hours=3)
        booking = Booking(
            id=f"b{n}",
            company_id=company.id,
            customer_id=f"+1555{n:07d}",
            service_id="mens-haircut",
            staff_id="anna",
            start=start,
            end=start + timedelta(minutes=30),
            backend_id=f"bi-{n}",
        )
        embedded.calendar.import_booking(booking)  # the salon's system has it: the sender checks it there
        await store.save_booking(booking)
        await store.record_inbound(wrote(company.id, booking.customer_id, t0))  # reminders only to who wrote
        due = t0 + timedelta(seconds=1, milliseconds=3 * n)  # spread over three seconds
        await store.replace_reminders(booking, [due])
    for reminder in await store.list_reminders(company.id):
        due_by_key[reminder.key] = reminder.due_at

    lateness: list[float] = []

    async def dispatch(reminder: Reminder) -> None:
        lateness.append((utc_now() - reminder.due_at).total_seconds())
        await send_reminder(services, reminder.company_id, reminder.key)

    redis = Redis.from_url(redis_url)
    key = f"test:leader:{t0.timestamp()}"

    def scheduler() -> ReminderScheduler:
        leader = RedisLeader(redis, key=key, ttl=timedelta(seconds=2))
        return ReminderScheduler(store, dispatch, utc_now, leader, sweep_seconds=0.5)

    first = scheduler()
    await first.start()
    await asyncio.sleep(1.6)
    assert first._scheduler is not None
    first._scheduler.shutdown(wait=False)  # killed: no goodbye, its leadership must expire
    restarted, second = scheduler(), scheduler()
    await restarted.start()
    await second.start()
    deadline = asyncio.get_running_loop().time() + 30
    while len(channel.sent()) < COUNT and asyncio.get_running_loop().time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    await restarted.stop()
    await second.stop()
    await first.stop()  # its in-flight tick, if any, finishes before the connections close
    await redis.aclose()

    sends = collections.Counter(m.reply_to for m in channel.sent())
    print(
        f"\nreminders: {COUNT}, sent: {sum(sends.values())}, distinct: {len(sends)}, "
        f"max lateness: {max(lateness):.2f} s, p50: {sorted(lateness)[len(lateness) // 2]:.2f} s"
    )
    assert set(sends) == set(due_by_key)  # every one sent ...
    assert max(sends.values()) == 1  # ... exactly once
    assert max(lateness) < 60
    assert all(r.status == "sent" for r in await store.list_reminders(company.id))
    embedded.close()
