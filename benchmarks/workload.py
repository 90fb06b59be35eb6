"""The booking conversations every load run sends, and the seeding of their salons."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

STAFF = ("Anna", "Bari", "Olga")
DAYS = ("tomorrow", "on Monday", "on Tuesday", "on Wednesday", "on Thursday")
SLOTS_PER_DAY = 20  # 10:00 .. 19:30, every half hour


def company_id(n: int) -> str:
    return f"salon-{n:04d}"


def number(n: int) -> str:
    return f"1555{n:07d}"


def customer(c: int) -> str:
    return f"7900{c:07d}"


def booking_script(k: int) -> list[str]:
    """The k-th customer of a salon books a men's haircut; customers 0..299 of a salon ask for distinct slots."""
    staff = STAFF[k % len(STAFF)]
    slot = (k // len(STAFF)) % SLOTS_PER_DAY
    day = DAYS[(k // (len(STAFF) * SLOTS_PER_DAY)) % len(DAYS)]
    hour, half = 10 + slot // 2, slot % 2
    clock = f"{hour}:{30 if half else 0:02d}"
    return ["Hi", "I'd like a men's haircut", f"{day} at {clock} with {staff}", "yes"]


def utc_now() -> datetime:
    return datetime.now(UTC)


async def seed_companies(data_dir: Path, companies: int) -> None:
    """The demo salon's catalog and hours for `companies` salons (SQLite store + built-in calendar in data_dir)."""
    from booking_bot.domain import Company
    from integrations.scheduling.builtin.calendar import BuiltinCalendar
    from integrations.scheduling.builtin.demo_salon import DEMO_HOURS, DEMO_SERVICES, DEMO_STAFF
    from integrations.storage.sqlite import SqliteStore

    data_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, before any load
    store = SqliteStore(data_dir / "booking_bot.sqlite3", utc_now)
    calendar = BuiltinCalendar(data_dir / "calendar.sqlite3", utc_now)
    try:
        for n in range(companies):
            await store.upsert_company(
                Company(id=company_id(n), name=f"Salon {n}", timezone="Europe/Moscow", currency="RUB")
            )
            for service in DEMO_SERVICES:
                calendar.add_service(company_id(n), service)
            for member in DEMO_STAFF:
                calendar.add_staff(company_id(n), member, DEMO_HOURS)
    finally:
        store.close()
        calendar.close()
