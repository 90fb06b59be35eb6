"""The real local PostgreSQL for tests: a fresh database per use, dropped afterwards, and the Supabase stack on it.

Databases get unique names (pid + random), so parallel runs never collide. An unreachable PostgreSQL fails the
test (never skips it): set BOOKING_BOT_TEST_POSTGRES_DSN to point elsewhere.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from pydantic import SecretStr

from booking_bot.ports import Clock
from integrations.storage.migrate import apply_migrations
from integrations.storage.supabase import SupabaseStore
from tests.fakes.postgrest_server import FakePostgrest

ADMIN_DSN = os.environ.get("BOOKING_BOT_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
SERVICE_KEY = "test-service-role-key"


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    try:
        return psycopg.connect(ADMIN_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {ADMIN_DSN} is not reachable ({exc}); start it (scripts/services.sh)")


@contextmanager
def fresh_database(prefix: str = "bbtest") -> Iterator[str]:
    """An empty database with a unique name; yields its DSN and drops it (even with connections left) at the end."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    with _admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield make_conninfo(ADMIN_DSN, dbname=name)
    finally:
        with _admin() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_name(dsn: str) -> str:
    return str(conninfo_to_dict(dsn)["dbname"])


@dataclass
class SupabaseStack:
    store: SupabaseStore
    fake: FakePostgrest
    dsn: str
    url: str


@asynccontextmanager
async def supabase_stack(clock: Clock) -> AsyncIterator[SupabaseStack]:
    """A migrated fresh database, the fake PostgREST in front of it, and a `SupabaseStore` talking HTTP to it."""
    with fresh_database() as dsn:
        apply_migrations(dsn)
        fake = FakePostgrest(dsn, SERVICE_KEY)
        url = await fake.start()
        store = SupabaseStore(url, SecretStr(SERVICE_KEY), clock, timeout_seconds=10)
        try:
            yield SupabaseStack(store=store, fake=fake, dsn=dsn, url=url)
        finally:
            await store.aclose()
            await fake.close()
