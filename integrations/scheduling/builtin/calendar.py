"""The built-in calendar: a salon's catalog, working hours (catalog.py) and bookings in SQLite.

Used by companies whose `backend` is `BuiltinBackendSettings` (and by the demo salon). Every row is scoped
by `company_id`; nothing of one company is visible to another.

Thread safety: one connection (`check_same_thread=False`) guarded by one `threading.Lock`; every database
use holds the lock. Writes that check-then-insert run in `BEGIN IMMEDIATE` transactions, so they are atomic
also against other processes that share the file.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from booking_bot.domain import (
    Attendance,
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
)
from integrations.scheduling.builtin.catalog import CalendarCatalog, Interval
from integrations.storage.rows import from_iso, to_iso
from integrations.storage.sqlite_db import (
    BOOKING_COLUMNS,
    BOOKING_INSERT,
    BOOKING_UPSERT,
    booking_from_row,
    booking_row,
)


def _settings(company: Company) -> BuiltinBackendSettings:
    backend = company.backend
    return backend if isinstance(backend, BuiltinBackendSettings) else BuiltinBackendSettings()


class BuiltinCalendar(CalendarCatalog):
    """A `SchedulingBackend` on SQLite. `path` may be ":memory:".

    The catalog (services, staff) is read for every message and changes rarely: it is kept for
    `catalog_cache_seconds` per company (this calendar's own changes drop it at once; another process's within that
    time; YClients keeps its catalog for minutes). The lists returned are shared: callers must not change them.
    """

    def import_booking(self, booking: Booking) -> None:
        """Record an appointment made elsewhere (moving a salon's diary onto the built-in calendar): kept as it is,
        without an availability check — it exists already. Replaces a booking with the same id."""
        kept = booking if booking.backend_id else booking.model_copy(update={"backend_id": booking.id})
        with self._transaction() as conn:
            conn.execute(BOOKING_UPSERT, booking_row(kept))

    # -- reads (called with the lock held) ----------------------------------------------------------------

    def _load_booking(self, company_id: str, booking_id: str) -> Booking | None:
        row = self._conn.execute(
            f"SELECT {BOOKING_COLUMNS} FROM bookings WHERE company_id = ? AND id = ?",
            (company_id, booking_id),
        ).fetchone()
        return None if row is None else booking_from_row(row)

    def _busy(
        self, company_id: str, staff_id: str, start: datetime, end: datetime, ignore_id: str | None = None
    ) -> list[Interval]:
        """Not cancelled bookings of a staff member that overlap [start, end)."""
        rows = self._conn.execute(
            "SELECT id, start_at, end_at FROM bookings WHERE company_id = ? AND staff_id = ? AND status = ?"
            " AND start_at < ? AND end_at > ? ORDER BY start_at",
            (company_id, staff_id, BookingStatus.BOOKED.value, to_iso(end), to_iso(start)),
        ).fetchall()
        return [Interval(from_iso(s), from_iso(e)) for booking_id, s, e in rows if booking_id != ignore_id]

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

    # -- SchedulingBackend: free times and bookings --------------------------------------------------------

    async def free_slots(
        self,
        company: Company,
        service_id: str,
        day: date,
        staff_id: str | None = None,
        ignoring: Booking | None = None,
        fresh: bool = False,  # nothing is kept: every read is the calendar's own
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

    def is_confirmed(self, company_id: str, booking_id: str) -> bool:
        return (
            self._fetchone(
                "SELECT 1 FROM confirmations WHERE company_id = ? AND booking_id = ?", (company_id, booking_id)
            )
            is not None
        )

    async def attendance(self, company: Company, booking: Booking) -> Attendance:
        """Only confirmations are known here (the reply to a reminder); staff mark visits through the API."""
        return Attendance.CONFIRMED if self.is_confirmed(company.id, booking.id) else Attendance.UNKNOWN

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
