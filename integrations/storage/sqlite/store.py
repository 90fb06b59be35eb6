"""`SqliteStore`: the `Store` on SQLite, composed of one mixin per role port over one database."""

from __future__ import annotations

from pathlib import Path

from booking_bot.ports import Clock
from integrations.storage.sqlite import (
    bookings,
    companies,
    identities,
    messages,
    reminders,
    tokens,
    waitlist,
    webhooks,
)
from integrations.storage.sqlite.activity import SqliteActivityStore
from integrations.storage.sqlite.bookings import SqliteBookingMirror
from integrations.storage.sqlite.companies import SqliteCompanyStore
from integrations.storage.sqlite.identities import SqliteIdentityStore
from integrations.storage.sqlite.messages import SqliteMessageLog
from integrations.storage.sqlite.reminders import SqliteReminderStore
from integrations.storage.sqlite.tokens import SqliteTokenStore
from integrations.storage.sqlite.waitlist import SqliteWaitlistStore
from integrations.storage.sqlite.webhooks import SqliteWebhookStore
from integrations.ttl_cache import TtlCache

SCHEMA = "".join(
    module.TABLES for module in (companies, messages, bookings, reminders, webhooks, tokens, identities, waitlist)
)
"""Every table of the store; each role's module declares its own."""

COMPANY_CACHE_SECONDS = 2.0


class SqliteStore(
    SqliteCompanyStore,
    SqliteMessageLog,
    SqliteBookingMirror,
    SqliteReminderStore,
    SqliteWebhookStore,
    SqliteTokenStore,
    SqliteActivityStore,
    SqliteIdentityStore,
    SqliteWaitlistStore,
):
    """A `Store` on SQLite. `path` may be ":memory:".

    Companies are read for every message and change rarely: each store keeps them for `company_cache_seconds`
    (its own writes replace the entry at once; another process's write is seen within that time).
    """

    def __init__(self, path: str | Path, clock: Clock, company_cache_seconds: float = COMPANY_CACHE_SECONDS) -> None:
        super().__init__(path, SCHEMA, clock)
        self._company_ttl = company_cache_seconds
        self._companies = TtlCache()
