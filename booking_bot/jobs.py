"""Every job of every process, with its policy, in one table; the Dramatiq broker; and the two `JobQueue`s.

| job | queue | runs | retries, backoff, time limit |
|---|---|---|---|
| `handle_inbound(company, chat, message)` | inbound | `pipeline.handle_inbound` | 3, 0.2–5 s, 60 s (1) |
| `send_reminder(company, key)` | reminders | `reminders.send_reminder` | 3, 1–30 s, 60 s (2) |
| `deliver_webhook(company, delivery)` | webhooks | `webhooks.delivery.attempt_delivery` | the delivery policy's (3) |
| `offer_opening(company, opening, claimer)` | reminders | `waitlist.offer_opening` | 3, 1–30 s, 60 s (2) |
| `send_followup(company, key)` | reminders | `waitlist.send_followup` | 3, 1–30 s, 60 s (2) |

(1) a chat reply is worth a few quick retries, not Dramatiq's default of 20 over days; (2) a reminder, a freed time
or a follow-up still claimed after them is reclaimed by the scheduler as a stale claim (the proactive messages share
the reminders' queue); (3) the store counts attempts and makes the last one a
dead letter, Dramatiq's limit is only a backstop.

Nothing is created at import time. The composition root builds the broker (`build_broker`: Redis in production,
the stub broker in the demo), declares the table on it once (`DramatiqJobs`) for every process — producers only
send, consumers run a `dramatiq.Worker` over it — and hands the jobs their services with `serve`. Tests that drive
the pipeline without a queue use `InlineJobs`, which keeps what was queued until `run_pending`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import default_middleware
from dramatiq.middleware.asyncio import AsyncIO

from booking_bot.config import DeliveryPolicy
from booking_bot.pipeline import handle_inbound
from booking_bot.reminders import send_reminder
from booking_bot.services import Services
from booking_bot.settings import BrokerKind, Settings
from booking_bot.waitlist import offer_opening, send_followup
from booking_bot.webhooks.delivery import attempt_delivery

log = logging.getLogger(__name__)
INBOUND_QUEUE = "inbound"
REMINDER_QUEUE = "reminders"
WEBHOOK_QUEUE = "webhooks"
QUEUES = (INBOUND_QUEUE, REMINDER_QUEUE, WEBHOOK_QUEUE)

Run = Callable[..., Awaitable[object]]  # run(services, *ids)


class NotServed(RuntimeError):
    """A job ran in a process whose jobs were never given their services (a wiring bug, not worth retrying)."""


async def _deliver_webhook(services: Services, company_id: str, delivery_id: str) -> None:
    """A failed attempt under the limit raises `DeliveryFailed` (a `dramatiq.Retry`): retried after the backoff."""
    await attempt_delivery(services.store, company_id, delivery_id, services.webhooks, services.clock)


@dataclass(frozen=True)
class Job:
    """One job: its queue, what it runs, and its policy (Dramatiq's defaults — 20 retries over days — fit no chat)."""

    name: str
    queue: str
    run: Run
    max_retries: int
    min_backoff_ms: int
    max_backoff_ms: int
    time_limit_ms: int


def job_table(webhooks: DeliveryPolicy) -> tuple[Job, ...]:
    """The table above; the webhook job's policy is the salon-facing delivery policy from settings."""
    return (
        Job("handle_inbound", INBOUND_QUEUE, handle_inbound, 3, 200, 5_000, 60_000),
        Job("send_reminder", REMINDER_QUEUE, send_reminder, 3, 1_000, 30_000, 60_000),
        Job("offer_opening", REMINDER_QUEUE, offer_opening, 3, 1_000, 30_000, 60_000),
        Job("send_followup", REMINDER_QUEUE, send_followup, 3, 1_000, 30_000, 60_000),
        Job(
            "deliver_webhook",
            WEBHOOK_QUEUE,
            _deliver_webhook,
            webhooks.max_attempts,
            webhooks.min_backoff_ms,
            webhooks.max_backoff_ms,
            int(webhooks.timeout_seconds * 1000) + 30_000,
        ),
    )


def _middleware() -> list[dramatiq.Middleware]:
    # Prometheus needs the dramatiq CLI's process boot (its exporter, files in /tmp); our workers run
    # dramatiq.Worker in our own processes, and /metrics is served by the gateway.
    return [m() for m in default_middleware if m.__name__ != "Prometheus"]


def build_broker(settings: Settings) -> dramatiq.Broker:
    """Redis in production; the stub broker (in-process) in the demo and the tests. Created before any job is
    declared on it, and made Dramatiq's global broker for the process."""
    if settings.broker is BrokerKind.REDIS:
        # Chat-fit: a killed worker's unacknowledged messages go back to the queue once its heartbeat is older
        # than heartbeat_timeout, at the next maintenance sweep (run on `maintenance_chance` per million commands;
        # dramatiq's defaults, 60 s and 0.1 %, leave a message stuck for many minutes on a quiet queue).
        broker: dramatiq.Broker = RedisBroker(
            url=settings.redis_url.get_secret_value(),
            heartbeat_timeout=int(settings.worker.heartbeat_timeout_seconds * 1000),
            maintenance_chance=settings.worker.maintenance_chance,
            middleware=_middleware(),
        )
    else:
        broker = StubBroker(middleware=_middleware())
        broker.emit_after("process_boot")
    broker.add_middleware(AsyncIO())
    dramatiq.set_broker(broker)
    return broker


class DramatiqJobs:
    """The job table declared on one broker. `send`s are the `JobQueue`; a `dramatiq.Worker` over the broker runs
    the jobs with the services given by `serve` (every process that builds a stack serves it, once)."""

    def __init__(self, broker: dramatiq.Broker, table: tuple[Job, ...]) -> None:
        self.broker = broker
        self._services: Services | None = None
        self.actors: dict[str, dramatiq.Actor[..., Awaitable[None]]] = {job.name: self._declare(job) for job in table}

    def serve(self, services: Services) -> None:
        self._services = services

    def _declare(self, job: Job) -> dramatiq.Actor[..., Awaitable[None]]:
        async def run(*ids: str) -> None:
            if self._services is None:
                raise NotServed(f"job {job.name} ran before its services were given (DramatiqJobs.serve)")
            await job.run(self._services, *ids)

        run.__name__ = run.__qualname__ = job.name
        actor: dramatiq.Actor[..., Awaitable[None]] = dramatiq.actor(
            run,
            broker=self.broker,
            actor_name=job.name,
            queue_name=job.queue,
            max_retries=job.max_retries,
            min_backoff=job.min_backoff_ms,
            max_backoff=job.max_backoff_ms,
            time_limit=job.time_limit_ms,
            throws=(NotServed,),  # Dramatiq's `throws` fails the message at once: never a retryable error
        )
        return actor

    def handle_inbound(self, company_id: str, chat_id: str, message_id: str) -> None:
        self.actors["handle_inbound"].send(company_id, chat_id, message_id)

    def send_reminder(self, company_id: str, key: str) -> None:
        self.actors["send_reminder"].send(company_id, key)

    def deliver_webhook(self, company_id: str, delivery_id: str) -> None:
        self.actors["deliver_webhook"].send(company_id, delivery_id)

    def offer_opening(self, company_id: str, opening_id: str, claimer: str) -> None:
        self.actors["offer_opening"].send(company_id, opening_id, claimer)

    def send_followup(self, company_id: str, key: str) -> None:
        self.actors["send_followup"].send(company_id, key)


class InlineJobs:
    """A `JobQueue` for tests that drive the pipeline in their own event loop: queued jobs wait in order until
    `run_pending` runs them (the jobs they queue in turn too). Policies do not apply: a failure propagates."""

    def __init__(self, table: tuple[Job, ...]) -> None:
        self._runs = {job.name: job.run for job in table}
        self.pending: list[tuple[str, tuple[str, ...]]] = []

    def handle_inbound(self, company_id: str, chat_id: str, message_id: str) -> None:
        self.pending.append(("handle_inbound", (company_id, chat_id, message_id)))

    def send_reminder(self, company_id: str, key: str) -> None:
        self.pending.append(("send_reminder", (company_id, key)))

    def deliver_webhook(self, company_id: str, delivery_id: str) -> None:
        self.pending.append(("deliver_webhook", (company_id, delivery_id)))

    def offer_opening(self, company_id: str, opening_id: str, claimer: str) -> None:
        self.pending.append(("offer_opening", (company_id, opening_id, claimer)))

    def send_followup(self, company_id: str, key: str) -> None:
        self.pending.append(("send_followup", (company_id, key)))

    def take(self, name: str) -> list[tuple[str, ...]]:
        """Remove and return the queued calls of one job (tests that look at what was queued)."""
        taken = [ids for job, ids in self.pending if job == name]
        self.pending = [(job, ids) for job, ids in self.pending if job != name]
        return taken

    async def run(self, services: Services, name: str, ids: tuple[str, ...]) -> bool:
        """Run one queued call now (a chat helper's own message, even while other chats' jobs wait); False when it
        was not queued (a duplicate message queues nothing)."""
        if (name, ids) not in self.pending:
            return False
        self.pending.remove((name, ids))
        await self._runs[name](services, *ids)
        return True

    async def run_pending(self, services: Services, only: str | None = "handle_inbound") -> int:
        """Run queued jobs (of one job, `handle_inbound` unless told, or all with None), oldest first."""
        ran = 0
        while True:
            index = next((i for i, (job, _) in enumerate(self.pending) if only is None or job == only), None)
            if index is None:
                return ran
            name, ids = self.pending.pop(index)
            await self._runs[name](services, *ids)
            ran += 1
