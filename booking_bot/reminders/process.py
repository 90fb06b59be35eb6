"""`booking-bot scheduler`: one leader at a time claims due reminders and enqueues them for the workers, and queues
again inbound messages and webhook deliveries whose queue job was lost (booking_bot/sweep.py).

Exactly one instance is meant to run (PM2: instances 1), but a second one is harmless: it waits as a follower
(Redis leadership) and takes over within the lease TTL if the leader dies. SIGINT/SIGTERM: stop, release.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from datetime import timedelta

from booking_bot.composition import build_production
from booking_bot.queue import build_broker, declare_actors
from booking_bot.reminders.actors import declare_reminder_actor, enqueue_with
from booking_bot.reminders.scheduler import RedisLeader, ReminderScheduler
from booking_bot.settings import BrokerKind, Settings
from booking_bot.sweep import delivery_requeue_after, requeue_stale_deliveries, requeue_stale_inbound
from booking_bot.webhooks.actors import declare_webhook_actor, policy_from

log = logging.getLogger(__name__)


async def run(settings: Settings, sweep_seconds: float, stop: asyncio.Event | None = None) -> None:
    """Until SIGINT/SIGTERM (or `stop` is set)."""
    production = build_production(settings)
    broker = build_broker(settings)
    actor = declare_reminder_actor(broker)
    inbound = declare_actors(broker).handle_inbound
    webhooks = declare_webhook_actor(broker, policy_from(settings))
    inbound_after = timedelta(seconds=settings.inbound_requeue_after_seconds)
    delivery_after = delivery_requeue_after(settings.webhook_max_backoff_seconds, settings.webhook_timeout_seconds)

    async def sweep_waiting_work() -> int:
        clock = production.services.clock
        requeued = await requeue_stale_inbound(production.store, inbound.send, clock, inbound_after)
        return requeued + await requeue_stale_deliveries(production.store, webhooks.send, clock, delivery_after)

    scheduler = ReminderScheduler(
        production.store,
        enqueue_with(actor),
        production.services.clock,
        RedisLeader(production.redis),
        sweep_seconds=sweep_seconds,
        housekeeping=sweep_waiting_work,
        housekeeping_seconds=settings.inbound_sweep_seconds,
    )
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
        broker.close()
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
