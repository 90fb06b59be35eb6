"""The composition root: builds every service of a process from settings, and closes them in reverse order."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime

from booking_bot.assistant import Services
from booking_bot.conversation.memory import MemoryConversationStore, MemoryLocks
from booking_bot.domain import Company
from booking_bot.i18n import Catalogs
from booking_bot.ports import Clock, MessagingChannel, SchedulingBackend
from booking_bot.settings import Settings
from integrations.scheduling.builtin.calendar import BuiltinCalendar
from integrations.scheduling.builtin.demo_salon import demo_company, seed_demo_salon
from integrations.storage.sqlite import SqliteStore


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Embedded:
    """The embedded defaults (SQLite store, built-in calendar, in-memory state): the demo's and the tests' stack."""

    services: Services
    store: SqliteStore
    calendar: BuiltinCalendar
    _exit: ExitStack = field(default_factory=ExitStack)

    def close(self) -> None:
        self._exit.close()


def build_embedded(
    settings: Settings, channel: MessagingChannel, clock: Clock = utc_now, in_memory: bool = False
) -> Embedded:
    """SQLite files under settings.data_dir (or in memory for tests)."""
    exit_stack = ExitStack()
    if not in_memory:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = SqliteStore(":memory:" if in_memory else settings.sqlite_path, clock)
    exit_stack.callback(store.close)
    calendar = BuiltinCalendar(":memory:" if in_memory else settings.calendar_path, clock)
    exit_stack.callback(calendar.close)

    def backend_for(company: Company) -> SchedulingBackend:
        return calendar  # the only backend kind so far: BuiltinBackendSettings

    services = Services(
        store=store,
        conversations=MemoryConversationStore(settings.conversation_ttl_seconds),
        locks=MemoryLocks(),
        channel=channel,
        backend_for=backend_for,
        catalogs=Catalogs(settings.locales_dir),
        clock=clock,
        max_offers=settings.offered_slots,
    )
    return Embedded(services=services, store=store, calendar=calendar, _exit=exit_stack)


async def seed_demo(embedded: Embedded) -> Company:
    """The sample salon, created on first start (idempotent)."""
    company = demo_company()
    if await embedded.store.get_company(company.id) is None:
        await embedded.store.upsert_company(company)
    seed_demo_salon(embedded.calendar)
    return company
