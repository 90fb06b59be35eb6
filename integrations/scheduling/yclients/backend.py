"""YClients / Altegio as a `SchedulingBackend`: never double-books, never reports what the API did not confirm.

- What is read, and how long it is kept: reader.py (catalog for minutes, free times for seconds).
- Booking: booking.py (intent first, `book_check`, `book_record`, reconcile on `api_id` before any resend).
- Move with PUT (403 → NOT_ALLOWED, honestly), cancel with the admin path; both read the record first, and after an
  uncertain answer give the write time to land and read the record again before anything is resent or said (a
  refusal of a resend is checked against the record too).
- The salon's zone comes from `timezone_name`; a record's naive `date` is the truth, its `datetime` offset is not.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp

from booking_bot.config import YClientsOptions
from booking_bot.domain import (
    Attendance,
    Booking,
    BookingIntent,
    BookingIntentStatus,
    BookingStatus,
    Company,
    Customer,
    Outcome,
    OutcomeKind,
    Service,
    Slot,
    StaffMember,
)
from booking_bot.ports import BackendUnavailable, Clock, Store
from integrations.scheduling.yclients.booking import BookingAttempt
from integrations.scheduling.yclients.errors import Forbidden, NotFound, SlotUnavailable, Uncertain, YClientsError
from integrations.scheduling.yclients.mapping import (
    ATTENDANCE,
    ATTENDANCE_CONFIRMED,
    api_id_for,
    booked,
    booking_of,
    number,
)
from integrations.scheduling.yclients.models import Record
from integrations.scheduling.yclients.ratelimit import RateLimiter
from integrations.scheduling.yclients.reader import YClientsReader, unavailable

log = logging.getLogger(__name__)

RECORDS_HORIZON_DAYS = 366


class YClientsBackend:
    """A `SchedulingBackend` for every company whose `backend` is `YClientsBackendSettings`.

    One instance serves all such companies (each with its own base URL and tokens) over one aiohttp session and
    one rate limiter (shared per egress IP). `close()` closes the session if this instance created it.
    """

    def __init__(
        self,
        store: Store,
        limiter: RateLimiter,
        clock: Clock,
        options: YClientsOptions | None = None,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self._store = store
        self._options = options or YClientsOptions()
        self._reader = YClientsReader(limiter, clock, self._options, session)

    async def close(self) -> None:
        await self._reader.close()

    def _now(self) -> datetime:
        return self._reader.now()

    def _forget_times(self, company: Company, staff_id: int, day: date) -> None:
        self._reader.forget_times(company, staff_id, day)

    # -- catalog and free times ----------------------------------------------------------------------------

    async def services(self, company: Company) -> list[Service]:
        return await self._reader.services(company)

    async def staff(self, company: Company) -> list[StaffMember]:
        return await self._reader.staff(company)

    async def free_slots(
        self,
        company: Company,
        service_id: str,
        day: date,
        staff_id: str | None = None,
        ignoring: Booking | None = None,
        fresh: bool = False,
    ) -> list[Slot]:
        return await self._reader.free_slots(company, service_id, day, staff_id, ignoring, fresh)

    # -- the customer's records ----------------------------------------------------------------------------

    async def customer_bookings(self, company: Company, customer: Customer) -> list[Booking]:
        if customer.company_id != company.id or not customer.phone:
            return []
        zone = await self._reader.zone(company)
        now = self._now()
        today = now.astimezone(zone).date()
        try:
            records = await self._reader.records(
                company, customer.phone, today, today + timedelta(days=RECORDS_HORIZON_DAYS)
            )
        except YClientsError as exc:
            raise unavailable(company, exc) from exc
        bookings = [booking_of(company.id, customer.id, r, zone) for r in records if not r.deleted]
        found = [b for b in bookings if b is not None and b.end > now]
        found.sort(key=lambda b: (b.start, b.id))
        return found

    async def current_booking(self, company: Company, booking: Booking) -> Booking | None:
        if number(booking.backend_id) is None or not await self._phone_of(company, booking.customer_id):
            raise BackendUnavailable("yclients: the record cannot be looked up (no record id or no phone)")
        try:
            zone = await self._reader.zone(company)
            record = await self._current(company, booking, zone)
        except YClientsError as exc:
            raise unavailable(company, exc) from exc
        if record is None:
            return None
        current = booking_of(company.id, booking.customer_id, record, zone)
        if current is None:
            raise BackendUnavailable("yclients: the record has no time or service")
        return current.model_copy(update={"id": booking.id})

    async def _phone_of(self, company: Company, customer_id: str) -> str | None:
        customer = await self._store.get_customer(company.id, customer_id)
        return None if customer is None else customer.phone

    async def _current(self, company: Company, booking: Booking, zone: ZoneInfo) -> Record | None:
        """The booking's record as YClients has it now (deleted ones included), or None when the customer
        has no such record. Raises `YClientsError` when it cannot be read."""
        record_id = number(booking.backend_id)
        phone = await self._phone_of(company, booking.customer_id)
        if booking.company_id != company.id or record_id is None or not phone:
            return None
        today = self._now().astimezone(zone).date()
        local_day = booking.start.astimezone(zone).date()
        start = min(today, local_day) - timedelta(days=1)
        records = await self._reader.records(company, phone, start, start + timedelta(days=RECORDS_HORIZON_DAYS))
        return next((r for r in records if r.id == record_id), None)

    # -- book ----------------------------------------------------------------------------------------------

    async def book(
        self,
        company: Company,
        customer: Customer,
        service_id: str,
        staff_id: str,
        start: datetime,
        idempotency_key: str,
    ) -> Outcome:
        if customer.company_id != company.id:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="customer belongs to another company")
        if not customer.phone:
            return Outcome(kind=OutcomeKind.NEEDS_INFO, detail="a phone number is needed to book in YClients")
        try:
            zone = await self._reader.zone(company)
            service = next((s for s in await self._reader.service_infos(company) if str(s.id) == service_id), None)
            staff_ids = {str(m.id) for m in await self._reader.staff_infos(company)}
        except BackendUnavailable:
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="catalog could not be read")
        if service is None:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail=f"unknown service {service_id!r}")
        if staff_id not in staff_ids:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail=f"unknown staff member {staff_id!r}")
        start = start.astimezone(UTC)
        if start <= self._now():
            return Outcome(kind=OutcomeKind.SLOT_TAKEN, detail="start is in the past")
        local = start.astimezone(zone)
        intent = await self._store.begin_booking_intent(
            BookingIntent(
                company_id=company.id,
                key=idempotency_key,
                api_id=api_id_for(company.id, customer.id, service_id, staff_id, local.replace(tzinfo=None)),
                customer_id=customer.id,
                service_id=service_id,
                staff_id=staff_id,
                start=start,
            )
        )
        if (intent.customer_id, intent.service_id, intent.staff_id, intent.start) != (
            customer.id,
            service_id,
            staff_id,
            start,
        ):
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="idempotency key was used for another booking")
        duration = timedelta(seconds=service.seance_length or 60)
        if intent.status is BookingIntentStatus.CONFIRMED and intent.backend_id:
            return booked(company.id, intent, intent.backend_id, duration)  # a retried job: already done
        return await BookingAttempt(
            self._reader, self._store, company, customer, intent, service.id, zone, duration
        ).run()

    # -- move ----------------------------------------------------------------------------------------------

    async def move(
        self, company: Company, booking: Booking, new_start: datetime, staff_id: str, idempotency_key: str
    ) -> Outcome:
        try:
            zone = await self._reader.zone(company)
            record = await self._current(company, booking, zone)
        except (YClientsError, BackendUnavailable):
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="the booking could not be read")
        if record is None or record.deleted:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
        current = booking_of(company.id, booking.customer_id, record, zone)
        new_start = new_start.astimezone(UTC)
        if current is None:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="record without a date or service")
        if current.start == new_start and current.staff_id == staff_id:
            return Outcome(kind=OutcomeKind.MOVED, booking=current)  # already there (a retried job)
        if current.start <= self._now():
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="booking has already started")
        if staff_id != current.staff_id:
            # PUT book_record changes the time only: another staff member needs cancel + a new booking.
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="changing the staff member needs a new booking")
        if new_start <= self._now():
            return Outcome(kind=OutcomeKind.SLOT_TAKEN, detail="start is in the past")
        yc_id, client = self._reader.client(company)
        when = new_start.astimezone(zone).isoformat()
        lost = False  # a PUT whose answer was lost: it may have moved the record
        for _ in range(self._options.max_submissions):
            try:
                await client.move_record(yc_id, record.id, when)
            except Uncertain:
                # Let the lost PUT land, then read the record: moved, or not (a PUT to an absolute time is then
                # safe to send again), before anything is said.
                lost = True
                await self._reader.settle()
                found = await self._move_reconciled(company, zone, booking, current, new_start)
                if found is not None:
                    return found
                continue
            except YClientsError as exc:
                if lost:
                    # A refusal of the resend says nothing of the lost original: read what is there.
                    found = await self._move_reconciled(company, zone, booking, current, new_start)
                    if found is not None:
                        return found
                return self._move_refused(company, zone, record.staff_id, new_start, exc)
            moved = current.model_copy(update={"start": new_start, "end": new_start + current.duration})
            return self._moved(company, zone, current, moved)
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="move unconfirmed")

    async def _move_reconciled(
        self, company: Company, zone: ZoneInfo, booking: Booking, before: Booking, new_start: datetime
    ) -> Outcome | None:
        """After a lost answer: moved when the record is at the new time, gone or unreadable as such, else None."""
        try:
            after = await self._current(company, booking, zone)
        except YClientsError:
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="move unconfirmed")
        if after is None or after.deleted:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="the booking is gone")
        moved = booking_of(company.id, booking.customer_id, after, zone)
        if moved is not None and moved.start == new_start:
            return self._moved(company, zone, before, moved)
        return None

    def _move_refused(
        self, company: Company, zone: ZoneInfo, staff: int, new_start: datetime, exc: YClientsError
    ) -> Outcome:
        """The outcome of a PUT that YClients refused."""
        if isinstance(exc, SlotUnavailable):
            self._forget_times(company, staff, new_start.astimezone(zone).date())
            return Outcome(kind=OutcomeKind.SLOT_TAKEN, detail="the new time is taken")
        if isinstance(exc, Forbidden):
            log.info("company=%s yclients forbids moving records online", company.id)
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="the salon does not allow moving bookings online")
        if isinstance(exc, NotFound):
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
        unavailable(company, exc)
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="move failed")

    def _moved(self, company: Company, zone: ZoneInfo, before: Booking, after: Booking) -> Outcome:
        staff = int(before.staff_id)
        self._forget_times(company, staff, before.start.astimezone(zone).date())
        self._forget_times(company, staff, after.start.astimezone(zone).date())
        return Outcome(kind=OutcomeKind.MOVED, booking=after)

    # -- cancel --------------------------------------------------------------------------------------------

    async def cancel(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        try:
            zone = await self._reader.zone(company)
            record = await self._current(company, booking, zone)
        except (YClientsError, BackendUnavailable):
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="the booking could not be read")
        current = None if record is None else booking_of(company.id, booking.customer_id, record, zone)
        if record is None or current is None:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
        if record.deleted:
            return Outcome(kind=OutcomeKind.CANCELLED, booking=current)
        if current.start <= self._now():
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="booking has already started")
        yc_id, client = self._reader.client(company)
        lost = False  # a DELETE whose answer was lost: it may have cancelled the record
        for _ in range(self._options.max_submissions):
            try:
                await client.cancel_as_admin(yc_id, record.id)
            except Uncertain:
                # Let the lost DELETE land, then read the record and report what is true.
                lost = True
                await self._reader.settle()
                gone = await self._cancel_reconciled(company, booking, zone)
            except NotFound:
                gone = await self._cancel_reconciled(company, booking, zone)  # already gone? read again
            except YClientsError as exc:
                # A refusal of the resend says nothing of the lost original: read what is there.
                gone = await self._cancel_reconciled(company, booking, zone) if lost else False
                if gone is False:
                    return self._cancel_refused(company, exc)
            else:
                gone = True
            if isinstance(gone, Outcome):
                return gone
            if gone:
                self._forget_times(company, record.staff_id, current.start.astimezone(zone).date())
                return Outcome(
                    kind=OutcomeKind.CANCELLED, booking=current.model_copy(update={"status": BookingStatus.CANCELLED})
                )
            # still there: DELETE is safe to send again
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="cancel unconfirmed")

    async def _cancel_reconciled(self, company: Company, booking: Booking, zone: ZoneInfo) -> bool | Outcome:
        """After a lost or odd answer: whether the record is deleted now, or the outcome when it is not to be had."""
        try:
            after = await self._current(company, booking, zone)
        except YClientsError:
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="cancel unconfirmed")
        if after is None:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
        return after.deleted

    @staticmethod
    def _cancel_refused(company: Company, exc: YClientsError) -> Outcome:
        """The outcome of a DELETE that YClients refused."""
        if isinstance(exc, Forbidden):
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="the salon does not allow cancelling online")
        unavailable(company, exc)
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="cancel failed")

    async def confirm_visit(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        """The customer confirmed the visit (a reply to a reminder): the visit's attendance becomes 2.

        Setting attendance is idempotent, so a lost answer is simply sent again once.
        """
        try:
            zone = await self._reader.zone(company)
            record = await self._current(company, booking, zone)
        except (YClientsError, BackendUnavailable):
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="the booking could not be read")
        current = None if record is None else booking_of(company.id, booking.customer_id, record, zone)
        if record is None or current is None or record.deleted:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
        if current.start <= self._now():
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="booking has already started")
        if record.attendance == ATTENDANCE_CONFIRMED:
            return Outcome(kind=OutcomeKind.CONFIRMED, booking=current)
        if record.visit_id is None:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="the record has no visit")
        _, client = self._reader.client(company)
        for _ in range(2):
            try:
                await client.set_visit_status(record.visit_id, record.id, ATTENDANCE_CONFIRMED)
            except Uncertain:
                continue
            except Forbidden:
                return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="the salon does not allow confirming online")
            except NotFound:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
            except YClientsError as exc:
                unavailable(company, exc)
                return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="confirm failed")
            return Outcome(kind=OutcomeKind.CONFIRMED, booking=current)
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="confirm unconfirmed")

    async def attendance(self, company: Company, booking: Booking) -> Attendance:
        """The visit's attendance as the salon's staff set it in YClients (confirmed, arrived, did not come)."""
        try:
            zone = await self._reader.zone(company)
            record = await self._current(company, booking, zone)
        except YClientsError as exc:
            raise unavailable(company, exc) from exc
        if record is None or record.deleted:
            return Attendance.UNKNOWN
        return ATTENDANCE.get(record.attendance, Attendance.UNKNOWN)
