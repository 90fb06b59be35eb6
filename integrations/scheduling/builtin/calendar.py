"""The built-in calendar: a salon's catalog, working hours and bookings in SQLite.

Used by companies whose `backend` is `BuiltinBackendSettings` (and by the demo salon). Every row is scoped
by `company_id`; nothing of one company is visible to another.

Thread safety: one connection (`check_same_thread=False`) guarded by one `threading.Lock`; every database
use holds the lock. Writes that check-then-insert run in `BEGIN IMMEDIATE` transactions, so they are atomic
also against other processes that share the file.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from booking_bot.domain import (
    Booking,
    BookingStatus,
    BuiltinBackendSettings,
    Company,
    Customer,
    Outcome,
    OutcomeKind,
    Service,
    Slot,
    StaffMember,
    TimeWindow,
)
from booking_bot.ports import Clock
from integrations.storage.rows import from_iso, to_iso
from integrations.storage.sqlite_db import (
    BOOKING_COLUMNS,
    BOOKING_INSERT,
    BOOKING_UPSERT,
    SqliteDatabase,
    booking_from_row,
    booking_row,
)
from integrations.ttl_cache import TtlCache

_SCHEMA = """
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


def _settings(company: Company) -> BuiltinBackendSettings:
    backend = company.backend
    return backend if isinstance(backend, BuiltinBackendSettings) else BuiltinBackendSettings()


@dataclass(frozen=True)
class _Interval:
    start: datetime  # UTC
    end: datetime  # UTC


CATALOG_CACHE_SECONDS = 2.0


class BuiltinCalendar(SqliteDatabase):
    """A `SchedulingBackend` on SQLite. `path` may be ":memory:".

    The catalog (services, staff) is read for every message and changes rarely: it is kept for
    `catalog_cache_seconds` per company (this calendar's own changes drop it at once; another process's within that
    time; YClients keeps its catalog for minutes). The lists returned are shared: callers must not change them.
    """

    def __init__(self, path: str | Path, clock: Clock, catalog_cache_seconds: float = CATALOG_CACHE_SECONDS) -> None:
        super().__init__(path, _SCHEMA)
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

    def import_booking(self, booking: Booking) -> None:
        """Record an appointment made elsewhere (moving a salon's diary onto the built-in calendar): kept as it is,
        without an availability check — it exists already. Replaces a booking with the same id."""
        kept = booking if booking.backend_id else booking.model_copy(update={"backend_id": booking.id})
        with self._transaction() as conn:
            conn.execute(BOOKING_UPSERT, booking_row(kept))

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

    def _load_booking(self, company_id: str, booking_id: str) -> Booking | None:
        row = self._conn.execute(
            f"SELECT {BOOKING_COLUMNS} FROM bookings WHERE company_id = ? AND id = ?",
            (company_id, booking_id),
        ).fetchone()
        return None if row is None else booking_from_row(row)

    def _intervals(self, company: Company, staff_id: str, day: date) -> list[_Interval]:
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
                intervals.append(_Interval(start, end))
        return intervals

    def _busy(
        self, company_id: str, staff_id: str, start: datetime, end: datetime, ignore_id: str | None = None
    ) -> list[_Interval]:
        """Not cancelled bookings of a staff member that overlap [start, end)."""
        rows = self._conn.execute(
            "SELECT id, start_at, end_at FROM bookings WHERE company_id = ? AND staff_id = ? AND status = ?"
            " AND start_at < ? AND end_at > ? ORDER BY start_at",
            (company_id, staff_id, BookingStatus.BOOKED.value, to_iso(end), to_iso(start)),
        ).fetchall()
        return [_Interval(from_iso(s), from_iso(e)) for booking_id, s, e in rows if booking_id != ignore_id]

    def _within_horizon(self, company: Company, day: date, now: datetime) -> bool:
        today = company.today(now)
        return day <= today + timedelta(days=_settings(company).booking_horizon_days)

    def _check_free(
        self,
        company: Company,
        service: Service,
        member: StaffMember,
        start: datetime,
        now: datetime,
        ignore_id: str | None = None,
    ) -> str | None:
        """Why [start, start + duration) cannot be booked with `member` right now, or None when it can."""
        if member.service_ids and service.id not in member.service_ids:
            return "staff member does not do this service"
        if start <= now:
            return "start is in the past"
        end = start + timedelta(minutes=service.duration_minutes)
        day = start.astimezone(company.zone).date()
        if not self._within_horizon(company, day, now):
            return "start is beyond the booking horizon"
        if not any(i.start <= start and end <= i.end for i in self._intervals(company, member.id, day)):
            return "staff member does not work then"
        if self._busy(company.id, member.id, start, end, ignore_id):
            return "slot is taken"
        return None

    def _operation(self, company_id: str, key: str) -> tuple[str, str] | None:
        row = self._conn.execute(
            "SELECT kind, booking_id FROM operations WHERE company_id = ? AND idempotency_key = ?",
            (company_id, key),
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def _remember(self, company_id: str, key: str, kind: OutcomeKind, booking_id: str) -> None:
        self._conn.execute(
            "INSERT INTO operations (company_id, idempotency_key, kind, booking_id) VALUES (?, ?, ?, ?)",
            (company_id, key, kind.value, booking_id),
        )

    def _replay(self, company: Company, key: str, kind: OutcomeKind, booking_id: str | None) -> Outcome | None:
        """The outcome of an operation already done under `key`, or None when the key is new."""
        done = self._operation(company.id, key)
        if done is None:
            return None
        done_kind, done_booking = done
        if done_kind != kind.value or (booking_id is not None and done_booking != booking_id):
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="idempotency key was used for another operation")
        booking = self._load_booking(company.id, done_booking)
        return Outcome(kind=kind, booking=booking)

    # -- SchedulingBackend ----------------------------------------------------------------------------------

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

    async def free_slots(
        self,
        company: Company,
        service_id: str,
        day: date,
        staff_id: str | None = None,
        ignoring: Booking | None = None,
    ) -> list[Slot]:
        now = self._now()
        ignore_id = ignoring.id if ignoring is not None and ignoring.company_id == company.id else None
        if not self._within_horizon(company, day, now) or day < company.today(now):
            return []
        step = timedelta(minutes=_settings(company).slot_step_minutes)
        slots: list[Slot] = []
        with self._lock:
            service = self._load_service(company.id, service_id)
            if service is None:
                return []
            duration = timedelta(minutes=service.duration_minutes)
            for member in self._load_staff(company.id, staff_id):
                if member.service_ids and service.id not in member.service_ids:
                    continue
                intervals = self._intervals(company, member.id, day)
                if not intervals:
                    continue
                busy = self._busy(
                    company.id, member.id, min(i.start for i in intervals), max(i.end for i in intervals), ignore_id
                )
                for interval in intervals:
                    # Step in elapsed time from the (UTC) opening instant: on a spring-forward day this never
                    # lands in the gap, on a fall-back day the repeated hour is offered once per occurrence.
                    start = interval.start
                    while start + duration <= interval.end:
                        end = start + duration
                        if start > now and not any(b.start < end and start < b.end for b in busy):
                            slots.append(Slot(staff_id=member.id, service_id=service.id, start=start, end=end))
                        start += step
        slots.sort(key=lambda slot: (slot.start, slot.staff_id))
        return slots

    async def book(
        self,
        company: Company,
        customer: Customer,
        service_id: str,
        staff_id: str,
        start: datetime,
        idempotency_key: str,
    ) -> Outcome:
        now = self._now()
        start = start.astimezone(UTC)
        with self._transaction() as conn:
            replay = self._replay(company, idempotency_key, OutcomeKind.BOOKED, None)
            if replay is not None:
                return replay
            if customer.company_id != company.id:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail="customer belongs to another company")
            service = self._load_service(company.id, service_id)
            if service is None:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail=f"unknown service {service_id!r}")
            members = self._load_staff(company.id, staff_id)
            if not members:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail=f"unknown staff member {staff_id!r}")
            reason = self._check_free(company, service, members[0], start, now)
            if reason is not None:
                return Outcome(kind=OutcomeKind.SLOT_TAKEN, detail=reason)
            booking_id = f"bi-{uuid.uuid4().hex}"
            booking = Booking(
                id=booking_id,
                company_id=company.id,
                customer_id=customer.id,
                service_id=service.id,
                staff_id=staff_id,
                start=start,
                end=start + timedelta(minutes=service.duration_minutes),
                status=BookingStatus.BOOKED,
                backend_id=booking_id,
            )
            conn.execute(BOOKING_INSERT, booking_row(booking))
            self._remember(company.id, idempotency_key, OutcomeKind.BOOKED, booking.id)
        return Outcome(kind=OutcomeKind.BOOKED, booking=booking)

    def _owned(self, company: Company, booking: Booking) -> Booking | None:
        """The stored booking when it exists and belongs to this company and the booking's customer."""
        if booking.company_id != company.id:
            return None
        stored = self._load_booking(company.id, booking.id)
        if stored is None or stored.customer_id != booking.customer_id:
            return None
        return stored

    async def move(
        self, company: Company, booking: Booking, new_start: datetime, staff_id: str, idempotency_key: str
    ) -> Outcome:
        now = self._now()
        new_start = new_start.astimezone(UTC)
        with self._transaction() as conn:
            stored = self._owned(company, booking)
            if stored is None:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
            replay = self._replay(company, idempotency_key, OutcomeKind.MOVED, stored.id)
            if replay is not None:
                return replay
            if stored.status is BookingStatus.CANCELLED:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail="booking is cancelled")
            if stored.start <= now:
                return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="booking has already started")
            service = self._load_service(company.id, stored.service_id)
            if service is None:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail=f"unknown service {stored.service_id!r}")
            members = self._load_staff(company.id, staff_id)
            if not members:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail=f"unknown staff member {staff_id!r}")
            reason = self._check_free(company, service, members[0], new_start, now, ignore_id=stored.id)
            if reason is not None:
                return Outcome(kind=OutcomeKind.SLOT_TAKEN, detail=reason)
            moved = stored.model_copy(
                update={
                    "start": new_start,
                    "end": new_start + timedelta(minutes=service.duration_minutes),
                    "staff_id": staff_id,
                }
            )
            conn.execute(
                "UPDATE bookings SET start_at = ?, end_at = ?, staff_id = ? WHERE company_id = ? AND id = ?",
                (to_iso(moved.start), to_iso(moved.end), moved.staff_id, company.id, moved.id),
            )
            self._remember(company.id, idempotency_key, OutcomeKind.MOVED, moved.id)
        return Outcome(kind=OutcomeKind.MOVED, booking=moved)

    async def cancel(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        with self._transaction() as conn:
            stored = self._owned(company, booking)
            if stored is None:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
            if stored.status is BookingStatus.CANCELLED:
                return Outcome(kind=OutcomeKind.CANCELLED, booking=stored)
            if stored.start <= self._now():
                return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="booking has already started")
            conn.execute(
                "UPDATE bookings SET status = ? WHERE company_id = ? AND id = ?",
                (BookingStatus.CANCELLED.value, company.id, stored.id),
            )
            conn.execute(
                "INSERT OR IGNORE INTO operations (company_id, idempotency_key, kind, booking_id) VALUES (?, ?, ?, ?)",
                (company.id, idempotency_key, OutcomeKind.CANCELLED.value, stored.id),
            )
        return Outcome(
            kind=OutcomeKind.CANCELLED, booking=stored.model_copy(update={"status": BookingStatus.CANCELLED})
        )

    async def confirm_visit(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        """The customer confirmed they will come (a reply to a reminder). Idempotent per booking."""
        with self._transaction() as conn:
            stored = self._owned(company, booking)
            if stored is None or stored.status is BookingStatus.CANCELLED:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
            if stored.start <= self._now():
                return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="booking has already started")
            conn.execute(
                "INSERT OR IGNORE INTO confirmations (company_id, booking_id, confirmed_at) VALUES (?, ?, ?)",
                (company.id, stored.id, to_iso(self._now())),
            )
        return Outcome(kind=OutcomeKind.CONFIRMED, booking=stored)

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

    def is_confirmed(self, company_id: str, booking_id: str) -> bool:
        return (
            self._fetchone(
                "SELECT 1 FROM confirmations WHERE company_id = ? AND booking_id = ?", (company_id, booking_id)
            )
            is not None
        )

    async def current_booking(self, company: Company, booking: Booking) -> Booking | None:
        with self._lock:
            return self._load_booking(company.id, booking.id)  # our bookings keep the calendar's id

    async def customer_bookings(self, company: Company, customer: Customer) -> list[Booking]:
        if customer.company_id != company.id:
            return []
        now = self._now()
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {BOOKING_COLUMNS} FROM bookings WHERE company_id = ? AND customer_id = ?"
                " AND status = ? AND end_at > ? ORDER BY start_at, seq",
                (company.id, customer.id, BookingStatus.BOOKED.value, to_iso(now)),
            ).fetchall()
        return [booking_from_row(row) for row in rows]
