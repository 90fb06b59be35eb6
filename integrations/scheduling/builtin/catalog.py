"""The built-in calendar's catalog and hours: services, staff and their weekly hours in SQLite, and the schema.

`CalendarCatalog` holds the setup (add_service, add_staff), the catalog reads of a `SchedulingBackend` (services,
staff; kept for a couple of seconds) and the working intervals of a local day; `BuiltinCalendar` (calendar.py)
keeps the bookings on the same connection and lock.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from booking_bot.domain import Company, Service, StaffMember, TimeWindow
from booking_bot.ports import Clock
from integrations.storage.sqlite_db import SqliteDatabase
from integrations.ttl_cache import TtlCache

SCHEMA = """
CREATE TABLE IF NOT EXISTS services (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    price REAL,
    price_max REAL,
    aliases TEXT NOT NULL,
    names TEXT NOT NULL,
    UNIQUE (company_id, id)
);
CREATE TABLE IF NOT EXISTS staff (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    names TEXT NOT NULL,
    service_ids TEXT NOT NULL,
    UNIQUE (company_id, id)
);
CREATE TABLE IF NOT EXISTS working_hours (
    company_id TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens TEXT NOT NULL,
    closes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS working_hours_staff ON working_hours (company_id, staff_id, weekday);
CREATE TABLE IF NOT EXISTS bookings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    status TEXT NOT NULL,
    backend_id TEXT NOT NULL,
    UNIQUE (company_id, id)
);
CREATE INDEX IF NOT EXISTS bookings_staff_time ON bookings (company_id, staff_id, start_at);
CREATE INDEX IF NOT EXISTS bookings_customer ON bookings (company_id, customer_id, start_at);
CREATE TABLE IF NOT EXISTS operations (
    company_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    PRIMARY KEY (company_id, idempotency_key)
);
CREATE TABLE IF NOT EXISTS confirmations (
    company_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    PRIMARY KEY (company_id, booking_id)
);
"""


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    """The naive local wall-clock time of an instant."""
    return moment.astimezone(zone).replace(tzinfo=None)


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A local wall time as a UTC instant.

    Ambiguous times (DST fall-back) take the first occurrence (fold=0). A time that does not exist (inside a
    spring-forward gap) resolves to the first instant after the gap, never to a shifted wall time.
    """
    naive = datetime.combine(day, at)
    candidate = naive.replace(tzinfo=zone).astimezone(UTC)
    if _wall(candidate, zone) == naive:
        return candidate
    # In a gap: the two folds map to instants on either side of the transition; walk to the first instant
    # whose wall time is at or after the requested one.
    earliest = min(
        naive.replace(tzinfo=zone, fold=0).astimezone(UTC), naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    )
    moment = earliest.replace(second=0, microsecond=0)
    for _ in range(48 * 60):
        if _wall(moment, zone) >= naive:
            return moment
        moment += timedelta(minutes=1)
    return candidate  # pragma: no cover - no real zone has a gap this long


@dataclass(frozen=True)
class Interval:
    """A span between two instants."""

    start: datetime  # UTC
    end: datetime  # UTC


CATALOG_CACHE_SECONDS = 2.0


class CalendarCatalog(SqliteDatabase):
    """Services, staff and weekly hours of every company, in the calendar's SQLite file (`path` may be ":memory:").

    The catalog is kept for `catalog_cache_seconds` per company; the lists returned are shared: callers must not
    change them.
    """

    def __init__(self, path: str | Path, clock: Clock, catalog_cache_seconds: float = CATALOG_CACHE_SECONDS) -> None:
        super().__init__(path, SCHEMA)
        self._clock = clock
        self._catalog_ttl = catalog_cache_seconds
        self._services: TtlCache[str, list[Service]] = TtlCache()
        self._staff: TtlCache[str, list[StaffMember]] = TtlCache()

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC)

    # -- admin / setup ------------------------------------------------------------------------------------

    def add_service(self, company_id: str, service: Service) -> None:
        """Insert or replace one service of the company's catalog."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO services"
                " (company_id, id, name, duration_minutes, price, price_max, aliases, names)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (company_id, id) DO UPDATE SET name = excluded.name,"
                " duration_minutes = excluded.duration_minutes, price = excluded.price,"
                " price_max = excluded.price_max, aliases = excluded.aliases, names = excluded.names",
                (
                    company_id,
                    service.id,
                    service.name,
                    service.duration_minutes,
                    service.price,
                    service.price_max,
                    json.dumps(list(service.aliases), ensure_ascii=False),
                    json.dumps(service.names, ensure_ascii=False),
                ),
            )
        self._services.discard(company_id)  # after the write; a read racing it keeps the old list 2 s at most

    def add_staff(self, company_id: str, member: StaffMember, hours: Mapping[int, Sequence[tuple[time, time]]]) -> None:
        """Insert or replace a staff member and their weekly hours (weekday 0=Mon → local [open, close))."""
        rows: list[tuple[str, str, int, str, str]] = []
        for weekday, intervals in hours.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday must be 0..6, got {weekday}")
            for opens, closes in intervals:
                if closes <= opens:
                    raise ValueError(f"closing time {closes} must be after opening time {opens}")
                rows.append((company_id, member.id, weekday, opens.isoformat(), closes.isoformat()))
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO staff (company_id, id, name, aliases, names, service_ids)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, id) DO UPDATE SET name = excluded.name,"
                " aliases = excluded.aliases, names = excluded.names, service_ids = excluded.service_ids",
                (
                    company_id,
                    member.id,
                    member.name,
                    json.dumps(list(member.aliases), ensure_ascii=False),
                    json.dumps(member.names, ensure_ascii=False),
                    json.dumps(list(member.service_ids), ensure_ascii=False),
                ),
            )
            conn.execute("DELETE FROM working_hours WHERE company_id = ? AND staff_id = ?", (company_id, member.id))
            conn.executemany(
                "INSERT INTO working_hours (company_id, staff_id, weekday, opens, closes) VALUES (?, ?, ?, ?, ?)",
                rows,
            )
        self._staff.discard(company_id)  # after the write; a read racing it keeps the old list 2 s at most

    def has_catalog(self, company_id: str) -> bool:
        """True when the company has at least one service and one staff member."""
        with self._lock:
            services = self._conn.execute(
                "SELECT 1 FROM services WHERE company_id = ? LIMIT 1", (company_id,)
            ).fetchone()
            staff = self._conn.execute("SELECT 1 FROM staff WHERE company_id = ? LIMIT 1", (company_id,)).fetchone()
        return services is not None and staff is not None

    # -- reads (called with the lock held) ----------------------------------------------------------------

    @staticmethod
    def _service_from_row(row: Sequence[Any]) -> Service:
        return Service(
            id=row[0],
            name=row[1],
            duration_minutes=row[2],
            price=row[3],
            price_max=row[4],
            aliases=tuple(json.loads(row[5])),
            names=json.loads(row[6]),
        )

    @staticmethod
    def _staff_from_row(row: Sequence[Any]) -> StaffMember:
        return StaffMember(
            id=row[0],
            name=row[1],
            aliases=tuple(json.loads(row[2])),
            names=json.loads(row[3]),
            service_ids=tuple(json.loads(row[4])),
        )

    def _load_service(self, company_id: str, service_id: str) -> Service | None:
        row = self._conn.execute(
            "SELECT id, name, duration_minutes, price, price_max, aliases, names FROM services"
            " WHERE company_id = ? AND id = ?",
            (company_id, service_id),
        ).fetchone()
        return None if row is None else self._service_from_row(row)

    def _load_staff(self, company_id: str, staff_id: str | None = None) -> list[StaffMember]:
        sql = "SELECT id, name, aliases, names, service_ids FROM staff WHERE company_id = ?"
        params: tuple[str, ...] = (company_id,)
        if staff_id is not None:
            sql += " AND id = ?"
            params = (company_id, staff_id)
        rows = self._conn.execute(sql + " ORDER BY seq", params).fetchall()
        return [self._staff_from_row(row) for row in rows]

    def _intervals(self, company: Company, staff_id: str, day: date) -> list[Interval]:
        """The staff member's working intervals on a local day, as UTC instants."""
        rows = self._conn.execute(
            "SELECT opens, closes FROM working_hours WHERE company_id = ? AND staff_id = ? AND weekday = ?"
            " ORDER BY opens",
            (company.id, staff_id, day.weekday()),
        ).fetchall()
        zone = company.zone
        intervals = []
        for opens, closes in rows:
            start = local_to_utc(day, time.fromisoformat(opens), zone)
            end = local_to_utc(day, time.fromisoformat(closes), zone)
            if end > start:
                intervals.append(Interval(start, end))
        return intervals

    # -- SchedulingBackend: the catalog -------------------------------------------------------------------

    async def services(self, company: Company) -> list[Service]:
        cached = self._services.get(company.id)
        if cached is not None:
            return cached
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, name, duration_minutes, price, price_max, aliases, names FROM services"
                " WHERE company_id = ? ORDER BY seq",
                (company.id,),
            ).fetchall()
        services = [self._service_from_row(row) for row in rows]
        self._services.put(company.id, services, self._catalog_ttl)
        return services

    async def staff(self, company: Company) -> list[StaffMember]:
        cached = self._staff.get(company.id)
        if cached is not None:
            return cached
        with self._lock:
            staff = self._load_staff(company.id)
        self._staff.put(company.id, staff, self._catalog_ttl)
        return staff

    def opening_hours(self, company_id: str, day: date) -> list[TimeWindow]:
        """When anyone works on that local day: the staff's intervals merged (stage 2's answers are checked
        against it)."""
        rows = self._fetchall(
            "SELECT opens, closes FROM working_hours WHERE company_id = ? AND weekday = ? ORDER BY opens",
            (company_id, day.weekday()),
        )
        merged: list[tuple[time, time]] = []
        for opens, closes in ((time.fromisoformat(a), time.fromisoformat(b)) for a, b in rows):
            if merged and opens <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
            else:
                merged.append((opens, closes))
        return [TimeWindow(start=a, end=b) for a, b in merged]
