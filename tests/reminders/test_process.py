"""`booking-bot scheduler` + `booking-bot worker` wiring on real Redis: a due reminder ends in the company's outbound
stream, sent by the worker's `send_reminder` actor, exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import dramatiq
from dramatiq.asyncio import get_event_loop_thread
from redis.asyncio import Redis

from booking_bot.composition import build_production, utc_now
from booking_bot.domain import Booking
from booking_bot.scheduler import run
from booking_bot.settings import Settings
from integrations.redis_keys import outbound_stream
from integrations.scheduling.builtin.demo_salon import demo_company, seed_demo_salon
from tests.reminders.test_scheduler_restart import wrote


@asynccontextmanager
async def worker_and_scheduler(settings: Settings, sweep_seconds: float) -> AsyncIterator[None]:
    """`booking-bot worker` in-process (its own production stack: the Redis broker with every job) and
    `booking-bot scheduler` as a task, stopped in that order."""
    worker_stack = build_production(settings)
    worker = dramatiq.Worker(worker_stack.jobs.broker, worker_threads=2, worker_timeout=100)
    worker.start()
    stop = asyncio.Event()
    scheduler = asyncio.create_task(run(settings, sweep_seconds=sweep_seconds, stop=stop))
    try:
        yield
    finally:
        stop.set()
        await scheduler
        loop_thread = get_event_loop_thread()
        assert loop_thread is not None
        await asyncio.to_thread(loop_thread.run_coroutine, worker_stack.aclose())  # on the loop that used it
        worker.stop()
        worker_stack.close_files()


async def test_scheduler_claims_and_a_worker_sends_the_reminder_to_the_outbound_stream(
    tmp_path: Path, redis_url: str
) -> None:
    settings = Settings(data_dir=tmp_path, broker="redis", redis_url=redis_url, _env_file=None)  # type: ignore[call-arg]
    company = demo_company()
    setup = build_production(settings)
    await setup.store.upsert_company(company)
    seed_demo_salon(setup.calendar)
    start = utc_now() + timedelta(hours=2)
    booking = Booking(
        id="b1",
        company_id=company.id,
        customer_id="+15550000001",
        service_id="mens-haircut",
        staff_id="anna",
        start=start,
        end=start + timedelta(minutes=30),
        backend_id="bi-1",
    )
    setup.calendar.import_booking(booking)  # the salon's system has it (the reminder is checked against it)
    await setup.store.save_booking(booking)
    await setup.store.record_inbound(wrote(company.id, booking.customer_id, utc_now()))  # the customer wrote first
    await setup.store.replace_reminders(booking, [utc_now() - timedelta(seconds=1)])

    redis = Redis.from_url(redis_url)
    try:
        async with worker_and_scheduler(settings, sweep_seconds=0.2):
            for _ in range(100):
                if await redis.xlen(outbound_stream(company.id)):
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)  # a second claim or send would show up here
            entries = await redis.xrange(outbound_stream(company.id))
            assert len(entries) == 1
            fields = entries[0][1]
            assert fields[b"chat"] == b"+15550000001"
            assert fields[b"text"].startswith(b"Reminder: Men's haircut with Anna")
            [reminder] = await setup.store.list_reminders(company.id)
            assert reminder.status == "sent"
    finally:
        await redis.aclose()
        await setup.aclose()


async def test_message_recorded_but_never_queued_is_answered_after_the_scheduler_sweep(
    tmp_path: Path, redis_url: str
) -> None:
    """A message in the store without a queue job (its job was lost in a Redis restart, or the gateway died between
    the store and the queue) is queued again by the scheduler and answered, once."""
    from booking_bot.domain import InboundMessage
    from integrations.storage.sqlite import SqliteStore

    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path, broker="redis", redis_url=redis_url, inbound_sweep_seconds=0.2, _env_file=None
    )
    company = demo_company()
    setup = build_production(settings)
    await setup.store.upsert_company(company)
    seed_demo_salon(setup.calendar)
    two_minutes_ago = utc_now() - timedelta(minutes=2)
    past = SqliteStore(settings.sqlite_path, lambda: two_minutes_ago)
    lost = InboundMessage(
        company_id=company.id,
        message_id="3AOLD",
        chat_id="15550000002@s.whatsapp.net",
        phone="+15550000002",
        text="Hello",
        received_at=two_minutes_ago,
    )
    assert await past.record_inbound(lost)  # recorded two minutes ago, never queued
    past.close()
    fresh = lost.model_copy(update={"message_id": "3ANEW", "chat_id": "15550000003@s.whatsapp.net"})
    assert await setup.store.record_inbound(fresh)  # recorded now: its job may still be on its way, left alone

    redis = Redis.from_url(redis_url)
    try:
        async with worker_and_scheduler(settings, sweep_seconds=5):
            for _ in range(100):
                if await setup.store.inbound_done(company.id, "3AOLD"):
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.6)  # more sweeps: a second answer would show up here
            entries = await redis.xrange(outbound_stream(company.id))
            assert {fields[b"chat"] for _id, fields in entries} == {b"15550000002@s.whatsapp.net"}
            assert len(entries) == len(await setup.store.outbound_replies(company.id, "3AOLD"))
            assert await setup.store.inbound_done(company.id, "3AOLD") is True
            assert await setup.store.inbound_done(company.id, "3ANEW") is False
    finally:
        await redis.aclose()
        await setup.aclose()
