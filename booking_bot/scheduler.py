"""`booking-bot scheduler`: one leader at a time claims due reminders and queues them for the workers, queues
again inbound messages and webhook deliveries whose queue job was lost (booking_bot/sweep.py), and runs the waiting
list's rounds (booking_bot/waitlist/rounds.py: freed times offered, follow-ups, digests, the salons' systems asked).

Exactly one instance is meant to run (PM2: instances 1), but a second one is harmless: it waits as a follower
(Redis leadership) and takes over within the lease TTL if the leader dies. SIGINT/SIGTERM: stop, release.

The reminders table is the source of truth. APScheduler only times the work: a sweep every few seconds, plus a
one-off job at each due time in the next minutes (rebuilt from the table every minute), so a reminder goes out
within about a second of its time and at worst one sweep later. A restart loses nothing: the table still holds
the planned (or stale claimed) rows, and the next leader claims them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import dramatiq.errors
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from redis.exceptions import RedisError

from booking_bot.composition import build_production
from booking_bot.domain import Reminder
from booking_bot.ports import Clock, Leadership, Store
from booking_bot.services import Services
from booking_bot.settings import BrokerKind, Settings
from booking_bot.sweep import delivery_requeue_after, requeue_stale_deliveries, requeue_stale_inbound
from booking_bot.waitlist import WaitlistRounds
from integrations.redis_leader import RedisLeader

log = logging.getLogger(__name__)

Dispatch = Callable[[Reminder], Awaitable[None]]
Chore = tuple[str, Callable[[], Awaitable[int]], float]  # (job id, the round, every how many seconds)
WAITLIST_PLAN_SECONDS = 60.0
SALON_SYNC_SECONDS = 300.0


class SoleLeader:
    """One scheduler in one process (the demo and unit tests): always the leader."""

    async def acquire_or_renew(self) -> bool:
        return True

    async def release(self) -> None:
        return None


class ReminderScheduler:
    """Claims due reminders (only while leader) and dispatches each one; see the module docstring."""

    def __init__(
        self,
        store: Store,
        dispatch: Dispatch,
        clock: Clock,
        leader: Leadership,
        *,
        sweep_seconds: float = 5.0,
        lookahead: timedelta = timedelta(minutes=10),
        batch: int = 200,
        claimer: str | None = None,
        housekeeping: Callable[[], Awaitable[int]] | None = None,
        housekeeping_seconds: float = 15.0,
        chores: Sequence[Chore] = (),
    ) -> None:
        self._store = store
        self._dispatch = dispatch
        self._clock = clock
        self._leader = leader
        self._sweep_seconds = sweep_seconds
        self._lookahead = lookahead
        self._batch = batch
        self.claimer = claimer or f"scheduler-{uuid.uuid4().hex[:8]}"
        self._housekeeping = housekeeping
        self._housekeeping_seconds = housekeeping_seconds
        self._chores = chores
        self._scheduler: AsyncIOScheduler | None = None
        self._in_flight: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone=UTC)
        now = datetime.now(UTC)
        jobs: list[tuple[str, Callable[[], Awaitable[int]], float]] = [
            ("sweep", self.tick, self._sweep_seconds),
            ("refresh", self.refresh, 60.0),
        ]
        if self._housekeeping is not None:
            jobs.append(("housekeeping", self.housekeep, self._housekeeping_seconds))
        for job_id, chore, seconds in self._chores:
            jobs.append((job_id, self._leading(chore), seconds))
        for job_id, job, seconds in jobs:
            scheduler.add_job(
                job, IntervalTrigger(seconds=seconds), id=job_id, next_run_time=now, max_instances=1, coalesce=True
            )
        scheduler.start()
        self._scheduler = scheduler

    async def stop(self) -> None:
        """Stop timing, let ticks in flight finish (they hold store and Redis connections), give up leadership."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
        await asyncio.gather(*self._in_flight, return_exceptions=True)
        await self._leader.release()

    async def refresh(self) -> int:
        """(Re)build the one-off jobs for reminders due within the look-ahead. Returns how many due times."""
        if self._scheduler is None:
            return 0
        upcoming = await self._store.upcoming_reminders(self._clock() + self._lookahead, 1000)
        times = sorted({r.due_at for r in upcoming})
        for due in times:
            self._scheduler.add_job(
                self.tick,
                DateTrigger(run_date=max(due, datetime.now(UTC))),
                id=f"due:{due.isoformat()}",
                replace_existing=True,
                misfire_grace_time=None,  # a late run still claims: the sender decides what is too late
                max_instances=1,
                coalesce=True,
            )
        return len(times)

    async def housekeep(self) -> int:
        """The leader's periodic chores besides reminders (booking_bot/sweep.py). Returns what they did."""
        if self._housekeeping is None:
            return 0
        return await self._leading(self._housekeeping, "housekeeping")()

    def _leading(self, chore: Callable[[], Awaitable[int]], name: str | None = None) -> Callable[[], Awaitable[int]]:
        """`chore`, run only while this scheduler leads; a round that finds Redis unreachable is skipped."""

        async def run() -> int:
            self._track()
            try:
                if not await self._leader.acquire_or_renew():
                    return 0
                return await chore()
            except (RedisError, dramatiq.errors.ConnectionError, OSError) as exc:
                # Redis restarting: the next round does it; no traceback every few seconds meanwhile.
                log.warning("%s skipped: Redis unreachable (%s)", name or chore.__name__, type(exc).__name__)
                return 0

        return run

    def _track(self) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def tick(self) -> int:
        """Claim what is due now and dispatch it. Returns how many reminders were dispatched."""
        self._track()
        if not await self._leader.acquire_or_renew():
            return 0
        dispatched = 0
        while True:
            claimed = await self._store.claim_due_reminders(self._clock(), self._batch, self.claimer)
            for reminder in claimed:
                await self._dispatch(reminder)
            dispatched += len(claimed)
            if len(claimed) < self._batch:
                return dispatched


def leader_scheduler(
    services: Services, settings: Settings, leader: Leadership, sweep_seconds: float = 5.0
) -> ReminderScheduler:
    """A scheduler with every round of the leader: due reminders, the lost-work sweep (booking_bot/sweep.py) and the
    waiting list's rounds. `booking-bot scheduler` runs it on Redis leadership; the demo with `SoleLeader`."""
    inbound_after = timedelta(seconds=settings.inbound.requeue_after_seconds)
    delivery_after = delivery_requeue_after(settings.webhook.max_backoff_seconds, settings.webhook.timeout_seconds)

    async def dispatch(reminder: Reminder) -> None:
        services.jobs.send_reminder(reminder.company_id, reminder.key)

    async def sweep_waiting_work() -> int:
        requeued = await requeue_stale_inbound(
            services.store, services.jobs.handle_inbound, services.clock, inbound_after
        )
        return requeued + await requeue_stale_deliveries(
            services.store, services.jobs.deliver_webhook, services.clock, delivery_after
        )

    claimer = f"scheduler-{uuid.uuid4().hex[:8]}"
    rounds = WaitlistRounds(services, claimer)
    return ReminderScheduler(
        services.store,
        dispatch,
        services.clock,
        leader,
        sweep_seconds=sweep_seconds,
        claimer=claimer,
        housekeeping=sweep_waiting_work,
        housekeeping_seconds=settings.inbound.sweep_seconds,
        chores=(
            ("waitlist", rounds.tick, sweep_seconds),
            ("waitlist-plan", rounds.plan, WAITLIST_PLAN_SECONDS),
            ("salon-sync", rounds.sync, SALON_SYNC_SECONDS),
        ),
    )


async def run(settings: Settings, sweep_seconds: float, stop: asyncio.Event | None = None) -> None:
    """Until SIGINT/SIGTERM (or `stop` is set)."""
    production = build_production(settings)
    scheduler = leader_scheduler(production.services, settings, RedisLeader(production.redis), sweep_seconds)
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
    await scheduler.start()
    log.info("scheduler started as %s", scheduler.claimer)
    try:
        await stop.wait()
    finally:
        await scheduler.stop()
        await production.aclose()
        log.info("scheduler stopped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="booking-bot scheduler", description="the reminder scheduler (one leader)")
    parser.add_argument("--sweep-seconds", type=float, default=5.0, help="how often due reminders are claimed")
    args = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if settings.broker is not BrokerKind.REDIS:
        print("booking-bot scheduler: set BOOKING_BOT_BROKER=redis (reminders are sent by the workers)")
        return 2
    asyncio.run(run(settings, args.sweep_seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
