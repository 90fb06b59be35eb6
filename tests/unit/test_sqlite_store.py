"""SQLite-specific behaviour of `SqliteStore`; the shared behaviour is in tests/contract/test_store_contract.py."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr

from booking_bot.domain import Booking, BuiltinBackendSettings, Company, Customer, InboundMessage
from booking_bot.ports import Store
from integrations.storage.rows import company_from_json, company_to_json, model_to_json, reminder_key
from integrations.storage.sqlite import SqliteStore

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


def yclients_company() -> Company:
    return Company(
        id="yc",
        name="YC",
        timezone="Europe/Moscow",
        backend=BuiltinBackendSettings(slot_step_minutes=30, booking_horizon_days=14),
    )


class _Token(BaseModel):
    token: SecretStr
    spare: SecretStr | None = None


class _Settings(BaseModel):
    name: str
    tokens: tuple[_Token, ...]


def test_is_a_store() -> None:
    store: Store = SqliteStore(":memory:", clock)
    assert isinstance(store, SqliteStore)
    store.close()


def test_company_json_round_trips() -> None:
    company = yclients_company()
    assert company_from_json(company_to_json(company)) == company


def test_model_json_keeps_nested_secrets() -> None:
    # Company holds no secret today; backend settings with API tokens will. pydantic masks them on dump.
    settings = _Settings(
        name="x", tokens=(_Token(token=SecretStr("p-secret")), _Token(token=SecretStr("u"), spare=None))
    )
    assert "p-secret" not in settings.model_dump_json()
    data = model_to_json(settings)
    assert "p-secret" in data and "**" not in data
    loaded = _Settings.model_validate_json(data)
    assert loaded.tokens[0].token.get_secret_value() == "p-secret"
    assert loaded.tokens[1].spare is None


async def test_data_survives_reopening_and_the_file_is_wal(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = SqliteStore(path, clock)
    await store.upsert_company(yclients_company())
    await store.upsert_customer(Customer(company_id="yc", id="c1", phone="+1"))
    store.close()

    reopened = SqliteStore(path, clock)  # the schema is created only if missing
    assert await reopened.get_company("yc") == yclients_company()
    assert await reopened.get_customer("yc", "c1") == Customer(company_id="yc", id="c1", phone="+1")
    reopened.close()

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


async def test_datetimes_are_stored_as_utc_iso_text(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = SqliteStore(path, clock)
    start = datetime(2026, 3, 12, 13, 0, tzinfo=timezone(timedelta(hours=3)))
    booking = Booking(
        id="b1",
        company_id="acme",
        customer_id="c1",
        service_id="cut",
        staff_id="anna",
        start=start,
        end=start + timedelta(minutes=30),
        backend_id="x",
    )
    await store.save_booking(booking)
    await store.replace_reminders(booking, [start - timedelta(hours=2)])
    loaded = await store.get_booking("acme", "b1")
    assert loaded is not None and loaded.start.tzinfo is UTC and loaded.end.tzinfo is UTC
    [reminder] = await store.list_reminders("acme", "b1")
    assert reminder.due_at.tzinfo is UTC
    assert reminder.key == "reminder:acme:b1:2026-03-12T08:00:00+00:00"
    store.close()

    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT start_at, end_at FROM bookings").fetchone()
    conn.close()
    assert row == ("2026-03-12T10:00:00.000000+00:00", "2026-03-12T10:30:00.000000+00:00")


def test_reminder_key_uses_utc() -> None:
    due = datetime(2026, 3, 12, 11, 0, tzinfo=timezone(timedelta(hours=3)))
    assert reminder_key("acme", "b1", due) == "reminder:acme:b1:2026-03-12T08:00:00+00:00"


async def test_concurrent_deliveries_of_one_message_are_recorded_once(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "store.db", clock)
    message = InboundMessage(company_id="acme", message_id="m1", chat_id="chat", text="hi", received_at=NOW)
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def deliver() -> None:
        barrier.wait()
        results.append(asyncio.run(store.record_inbound(message)))

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    assert [m.message_id for m in await store.pending_inbound("acme", "chat")] == ["m1"]
    store.close()


async def test_two_stores_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    writer, reader = SqliteStore(path, clock), SqliteStore(path, clock)
    await writer.upsert_customer(Customer(company_id="acme", id="c1", name="Ann"))
    assert await reader.get_customer("acme", "c1") == Customer(company_id="acme", id="c1", name="Ann")
    assert await reader.upsert_customer(Customer(company_id="acme", id="c1", phone="+1")) == Customer(
        company_id="acme", id="c1", name="Ann", phone="+1"
    )
    writer.close()
    reader.close()


async def test_company_changed_by_another_process_is_seen_within_the_cache_time(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    worker, admin = SqliteStore(path, clock, company_cache_seconds=0.2), SqliteStore(path, clock)
    company = yclients_company()
    await worker.upsert_company(company)
    assert await worker.get_company("yc") == company
    renamed = company.model_copy(update={"name": "Renamed"})
    await admin.upsert_company(renamed)
    await asyncio.sleep(0.3)
    assert await worker.get_company("yc") == renamed
    own = renamed.model_copy(update={"name": "Own write"})
    await worker.upsert_company(own)
    assert await worker.get_company("yc") == own  # a store's own write is seen at once
    worker.close()
    admin.close()


async def test_returning_customer_with_nothing_new_costs_no_write(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "store.db", clock)
    await store.upsert_customer(Customer(company_id="acme", id="c1", name="Ann", language="ru"))
    writes_before = store._conn.total_changes
    same = await store.upsert_customer(Customer(company_id="acme", id="c1", name="Ann"))
    assert same == Customer(company_id="acme", id="c1", name="Ann", language="ru")
    assert store._conn.total_changes == writes_before
    updated = await store.upsert_customer(Customer(company_id="acme", id="c1", phone=""))
    assert updated.phone == ""  # an empty value is a value (as COALESCE keeps it), not "unknown"
    assert store._conn.total_changes == writes_before + 1
    store.close()


async def test_write_waits_for_another_connections_transaction_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = SqliteStore(path, clock)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    release = threading.Timer(0.2, lambda: other.execute("COMMIT"))
    release.start()
    message = InboundMessage(company_id="acme", message_id="m1", chat_id="chat", text="hi", received_at=NOW, phone="+1")
    assert await store.record_inbound(message) is True  # waited, did not raise "database is locked"
    release.join()
    other.close()
    store.close()


async def test_write_gives_up_when_the_lock_is_never_released(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from integrations.storage import sqlite_db

    monkeypatch.setattr(sqlite_db, "BUSY_WAIT_SECONDS", 0.1)
    path = tmp_path / "store.db"
    store = SqliteStore(path, clock)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        await store.upsert_company(yclients_company())
    other.execute("ROLLBACK")
    other.close()
    store.close()
