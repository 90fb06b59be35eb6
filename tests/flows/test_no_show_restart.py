"""200 no-shows' re-invites due over two seconds, the real scheduler on Redis leadership killed mid-run, a restarted
one and a second one started: every customer gets the re-invite exactly once (like the reminders' restart test)."""

from __future__ import annotations

import asyncio
import collections
import dataclasses
from collections.abc import Awaitable
from datetime import timedelta
from pathlib import Path

from redis.asyncio import Redis

from booking_bot.composition import build_embedded, seed_demo, utc_now
from booking_bot.domain import (
    Attendance,
    Booking,
    InboundMessage,
    Reminder,
    VisitMark,
    VisitSource,
    reinvite_followup,
)
from booking_bot.scheduler import ReminderScheduler
from booking_bot.services import Services
from booking_bot.settings import Settings
from booking_bot.waitlist import WaitlistRounds, offer_opening, send_followup
from integrations.messaging.simulated import SimulatedChannel
from integrations.redis_leader import RedisLeader

COUNT = 200


class Workers:
    """A `JobQueue` whose jobs run at once on the test's loop, as the workers would run them."""

    def __init__(self) -> None:
        self.services: Services | None = None
        self.running: set[asyncio.Task[object]] = set()

    def _run(self, job: Awaitable[object]) -> None:
        task = asyncio.get_running_loop().create_task(job)  # type: ignore[arg-type]
        self.running.add(task)
        task.add_done_callback(self.running.discard)

    def handle_inbound(self, company_id: str, chat_id: str, message_id: str) -> None:
        raise AssertionError("no customer writes in this test")

    def send_reminder(self, company_id: str, key: str) -> None:
        raise AssertionError("no reminders in this test")

    def deliver_webhook(self, company_id: str, delivery_id: str) -> None:
        return None  # no endpoints

    def offer_opening(self, company_id: str, opening_id: str, claimer: str) -> None:
        assert self.services is not None
        self._run(offer_opening(self.services, company_id, opening_id, claimer))

    def send_followup(self, company_id: str, key: str) -> None:
        assert self.services is not None
        self._run(send_followup(self.services, company_id, key))


async def test_reinvites_go_out_once_across_a_killed_scheduler_a_restart_and_a_second_one(
    tmp_path: Path, redis_url: str
) -> None:
    channel = SimulatedChannel()
    embedded = build_embedded(Settings(data_dir=tmp_path, _env_file=None), channel, clock=utc_now)  # type: ignore[call-arg]
    company = await seed_demo(embedded)
    workers = Workers()
    services = dataclasses.replace(embedded.services, jobs=workers)
    workers.services = services
    store, t0 = embedded.store, utc_now()
    for n in range(COUNT):
        start = t0 - timedelta(hours=20)
        visit = Booking(
            id=f"b{n}",
            company_id=company.id,
            customer_id=f"+1555{n:07d}",
            service_id="mens-haircut",
            staff_id="anna",
            start=start,
            end=start + timedelta(minutes=30),
            backend_id=f"bi-{n}",
        )
        await store.save_booking(visit)
        # The customer booked through the chat: a re-invite goes only to who wrote or opted in.
        booked = InboundMessage(
            company_id=company.id,
            message_id=f"booked-{n}",
            chat_id=visit.customer_id,
            phone=visit.customer_id,
            text="book me in",
            received_at=start - timedelta(days=1),
        )
        await store.record_inbound(booked)
        mark = VisitMark(
            company_id=company.id,
            booking_id=visit.id,
            customer_id=visit.customer_id,
            attendance=Attendance.NO_SHOW,
            source=VisitSource.STAFF,
            visit_start=visit.start,
            marked_at=t0,
        )
        await store.mark_visit(mark)
        due = t0 + timedelta(seconds=1, milliseconds=10 * n)  # spread over two seconds
        await store.plan_followups([reinvite_followup(company, mark).model_copy(update={"due_at": due})])

    redis = Redis.from_url(redis_url)
    key = f"test:leader:{t0.timestamp()}"

    async def nothing(_reminder: Reminder) -> None:
        return None

    def scheduler(claimer: str) -> ReminderScheduler:
        rounds = WaitlistRounds(services, claimer)
        leader = RedisLeader(redis, key=key, ttl=timedelta(seconds=2))
        return ReminderScheduler(
            store,
            nothing,
            utc_now,
            leader,
            sweep_seconds=0.5,
            claimer=claimer,
            chores=(("waitlist", rounds.tick, 0.3),),
        )

    first = scheduler("scheduler-a")
    await first.start()
    await asyncio.sleep(1.6)
    assert first._scheduler is not None
    first._scheduler.shutdown(wait=False)  # killed: no goodbye, its leadership must expire
    restarted, second = scheduler("scheduler-a"), scheduler("scheduler-b")
    await restarted.start()
    await second.start()
    deadline = asyncio.get_running_loop().time() + 30
    while len(channel.sent()) < COUNT and asyncio.get_running_loop().time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # a second send would show up here
    for running in (restarted, second, first):
        await running.stop()
    await asyncio.gather(*workers.running, return_exceptions=True)
    await redis.aclose()

    sends = collections.Counter(m.chat_id for m in channel.sent() if (m.reply_to or "").startswith("reinvite:"))
    print(f"\nre-invites: {COUNT}, sent: {sum(sends.values())}, distinct: {len(sends)}")
    assert len(sends) == COUNT  # every no-show re-invited ...
    assert max(sends.values()) == 1  # ... exactly once
    embedded.close()
