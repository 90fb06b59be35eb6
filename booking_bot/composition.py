"""The composition root: builds every service of a process from settings, and closes them in reverse order.

Two stacks share one assembly (`_assemble`):
- `Embedded` (the demo and the tests): SQLite store and calendar, in-memory conversation state and locks, the jobs
  on Dramatiq's stub broker (the demo runs a worker over it) or inline (tests drive them).
- `Production` (gateway, worker, scheduler): the store from settings (SQLite or Supabase), conversation state,
  locks, the outbound stream and the job queue in Redis.
Every stack declares the whole job table once and gives the jobs their services (`DramatiqJobs.serve`): a process
that consumes runs a `dramatiq.Worker` over `jobs.broker`, the others only queue.
Both route each company to its scheduling backend (built-in calendar or YClients/Altegio) and give stage 2 to
the companies that have an LLM provider configured.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from redis import Redis as SyncRedis
from redis.asyncio import Redis

from booking_bot.domain import Company, TimeWindow
from booking_bot.i18n import Catalogs
from booking_bot.jobs import DramatiqJobs, InlineJobs, build_broker, job_table
from booking_bot.metrics import CountingBackend
from booking_bot.ports import (
    Clock,
    ConversationLocks,
    ConversationStore,
    JobQueue,
    MessagingChannel,
    ProactiveBudget,
    SchedulingBackend,
    Store,
)
from booking_bot.services import Services
from booking_bot.settings import Settings
from booking_bot.understanding import OpeningHours
from booking_bot.webhooks.sink import StoreEventSink
from integrations.conversation.memory import MemoryConversationStore, MemoryLocks
from integrations.conversation.redis import RedisConversationStore, RedisLocks
from integrations.llm.factory import Stage2Providers, build_stage2
from integrations.messaging.redis_stream import RedisStreamChannel
from integrations.redis_metrics import RedisMetrics
from integrations.scheduling.builtin.calendar import BuiltinCalendar
from integrations.scheduling.builtin.demo_salon import demo_company, seed_demo_salon
from integrations.scheduling.yclients import MemoryRateLimiter, YClientsBackend, build_limiter
from integrations.storage.sqlite import SqliteStore
from integrations.warm_up import WarmUpBudget

AsyncCloser = Callable[[], Awaitable[None]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Embedded:
    """The embedded defaults (SQLite store, built-in calendar, in-memory state): the demo's and the tests' stack.

    `jobs` is `DramatiqJobs` on the stub broker (the demo runs a `dramatiq.Worker` over `jobs.broker`) or, with
    `inline_jobs`, `InlineJobs` that tests run themselves. `loop_closers` hold what jobs open lazily on the worker's
    event loop (HTTP sessions of YClients and the LLM): run them on that loop before it stops.
    """

    services: Services
    store: SqliteStore
    calendar: BuiltinCalendar
    yclients: YClientsBackend
    jobs: DramatiqJobs | InlineJobs
    loop_closers: list[AsyncCloser] = field(default_factory=list)
    _exit: ExitStack = field(default_factory=ExitStack)

    def close(self) -> None:
        self._exit.close()


def build_embedded(
    settings: Settings,
    channel: MessagingChannel,
    clock: Clock = utc_now,
    in_memory: bool = False,
    inline_jobs: bool = False,
) -> Embedded:
    """SQLite files under settings.data_dir (or in memory for tests)."""
    exit_stack = ExitStack()
    if not in_memory:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = SqliteStore(":memory:" if in_memory else settings.sqlite_path, clock)
    exit_stack.callback(store.close)
    calendar = BuiltinCalendar(":memory:" if in_memory else settings.calendar_path, clock)
    exit_stack.callback(calendar.close)
    # One process: the in-process rate limiter is the right one for YClients companies here.
    yclients = YClientsBackend(store, MemoryRateLimiter(), clock, settings.yclients.options())
    stage2 = build_stage2(settings)
    policy = settings.webhook.policy()
    jobs: DramatiqJobs | InlineJobs
    if inline_jobs:
        jobs = InlineJobs(job_table(policy))
    else:
        jobs = DramatiqJobs(build_broker(settings), job_table(policy))
        exit_stack.callback(jobs.broker.close)
    services = _assemble(
        settings,
        store=store,
        calendar=calendar,
        yclients=yclients,
        stage2=stage2,
        conversations=MemoryConversationStore(settings.conversation_ttl_seconds),
        locks=MemoryLocks(),
        channel=channel,
        jobs=jobs,
        clock=clock,
    )
    if isinstance(jobs, DramatiqJobs):
        jobs.serve(services)
    return Embedded(services, store, calendar, yclients, jobs, [yclients.close, stage2.close], exit_stack)


async def seed_demo(embedded: Embedded) -> Company:
    """The sample salon, created on first start (idempotent)."""
    company = demo_company()
    if await embedded.store.get_company(company.id) is None:
        await embedded.store.upsert_company(company)
    seed_demo_salon(embedded.calendar)
    return company


@dataclass
class Production:
    """The gateway's, the worker's and the scheduler's stack. Build it before the event loop runs; `aclose` on the
    loop that used it (the worker: `close_files`, its loop is gone by then)."""

    services: Services
    store: Store
    calendar: BuiltinCalendar
    redis: Redis
    jobs: DramatiqJobs
    loop_closers: list[AsyncCloser] = field(default_factory=list)
    _exit: ExitStack = field(default_factory=ExitStack)

    async def aclose(self) -> None:
        for close in reversed(self.loop_closers):
            await close()
        await self.redis.aclose()
        self._exit.close()

    def close_files(self) -> None:
        """Close the broker and the SQLite files only (the worker: network clients belong to a stopped loop)."""
        self._exit.close()


def build_production(settings: Settings, channel: MessagingChannel | None = None, clock: Clock = utc_now) -> Production:
    exit_stack = ExitStack()
    closers: list[AsyncCloser] = []
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = _production_store(settings, clock, exit_stack, closers)
    calendar = BuiltinCalendar(settings.calendar_path, clock)
    exit_stack.callback(calendar.close)
    redis = Redis.from_url(settings.redis_url.get_secret_value())
    yclients = YClientsBackend(store, build_limiter(settings, redis), clock, settings.yclients.options())
    # Counters are added up in Redis, so the gateway's /metrics shows every worker's parse stages and outcomes.
    metrics = RedisMetrics(SyncRedis.from_url(settings.redis_url.get_secret_value()))
    exit_stack.callback(metrics.flush)
    stage2 = build_stage2(settings, metrics=metrics)
    closers += [yclients.close, stage2.close]
    conversations = RedisConversationStore(redis, settings.conversation_ttl_seconds)
    jobs = DramatiqJobs(build_broker(settings), job_table(settings.webhook.policy()))
    exit_stack.callback(jobs.broker.close)
    services = _assemble(
        settings,
        store=store,
        calendar=calendar,
        yclients=yclients,
        stage2=stage2,
        conversations=conversations,
        # Taking a chat's lock also reads its state: one round trip instead of two.
        locks=RedisLocks(redis, ttl_seconds=settings.worker.lock_ttl_seconds, states=conversations),
        channel=channel or RedisStreamChannel(redis),
        jobs=jobs,
        clock=clock,
        # Proactive messages take their place in the number's warm-up budget before they are recorded as sent.
        proactive_budget=WarmUpBudget(redis, settings.gateway.warmup_proactive_per_day, lambda: clock().timestamp()),
    )
    jobs.serve(services)
    return Production(services, store, calendar, redis, jobs, closers, exit_stack)


def _production_store(settings: Settings, clock: Clock, exit_stack: ExitStack, closers: list[AsyncCloser]) -> Store:
    if settings.store == "supabase":
        from integrations.storage.supabase import SupabaseStore

        assert settings.supabase.url is not None and settings.supabase.key is not None  # validated by Settings
        supabase = SupabaseStore(
            settings.supabase.url, settings.supabase.key, clock, timeout_seconds=settings.supabase.timeout_seconds
        )
        closers.append(supabase.aclose)
        return supabase
    sqlite = SqliteStore(settings.sqlite_path, clock)
    exit_stack.callback(sqlite.close)
    return sqlite


def _assemble(
    settings: Settings,
    *,
    store: Store,
    calendar: BuiltinCalendar,
    yclients: YClientsBackend,
    stage2: Stage2Providers,
    conversations: ConversationStore,
    locks: ConversationLocks,
    channel: MessagingChannel,
    jobs: JobQueue,
    clock: Clock,
    proactive_budget: ProactiveBudget | None = None,
) -> Services:
    # Every booking operation's typed outcome is counted (/metrics); the wrappers are built once.
    counted_calendar = CountingBackend(calendar, stage2.metrics)
    counted_yclients = CountingBackend(yclients, stage2.metrics)

    def backend_for(company: Company) -> SchedulingBackend:
        return counted_yclients if company.backend.kind == "yclients" else counted_calendar

    def opening_hours_for(company: Company) -> OpeningHours | None:
        if company.backend.kind != "builtin":
            return None  # YClients' hours are only known through free times, which stage 2 does not see

        def hours(day: date) -> list[TimeWindow]:
            return calendar.opening_hours(company.id, day)

        return hours

    return Services(
        store=store,
        conversations=conversations,
        locks=locks,
        channel=channel,
        jobs=jobs,
        # Events are recorded in the store (stats, webhooks), each new delivery queued as a deliver_webhook job.
        events=StoreEventSink(store, clock, jobs),
        backend_for=backend_for,
        catalogs=Catalogs(settings.locales_dir),
        clock=clock,
        max_offers=settings.offered_slots,
        human_takeover_pause=timedelta(minutes=settings.human_takeover_pause_minutes),
        stage2_for=stage2.for_company,
        opening_hours_for=opening_hours_for,
        metrics=stage2.metrics,
        webhooks=settings.webhook.policy(),
        proactive_to_strangers=settings.api.send_new_contacts,
        proactive_budget=proactive_budget,
    )
