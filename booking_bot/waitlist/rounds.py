"""The scheduler leader's waiting-list work (booking_bot/scheduler.py runs these while it leads):

- `tick` (every sweep, seconds): freed times and new bookings read from the event log (cancellations and moves
  through the bot, a reminder's answer included; bookings of customers with earlier no-shows get their early
  confirmation planned), holds that ended passed on, open freed times claimed and queued as `offer_opening`, due
  follow-ups claimed and queued as `send_followup`;
- `plan` (every minute): each salon's digest of today, due tomorrow morning; waiting entries of past days expired;
- `sync` (every few minutes): the salon's own system asked about the bookings of the next days (cancelled or moved
  there: the time is freed) and of the last day and a half (YClients' attendance: attended, a no-show).

Everything it finds is recorded idempotently (freed times by id, follow-ups by key) and claimed atomically, so a
restarted or a second scheduler repeats nothing; the event log is read again with an overlap after a restart.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from booking_bot.domain import (
    Attendance,
    Booking,
    BookingStatus,
    Company,
    Event,
    EventType,
    FreedBy,
    Opening,
    VisitSource,
    WaitStatus,
    digest_followup,
)
from booking_bot.ports import BackendUnavailable
from booking_bot.reminders import as_the_salon_has_it, record_freed
from booking_bot.services import Services
from booking_bot.waitlist.followups import plan_confirmation, record_attendance
from booking_bot.waitlist.offers import expire_holds

log = logging.getLogger(__name__)
READ = (EventType.BOOKING_CREATED, EventType.BOOKING_MOVED, EventType.BOOKING_CANCELLED)
LOOKBACK = timedelta(hours=2)  # how far back a (re)started scheduler reads the event log
OVERLAP = timedelta(minutes=2)  # events are stamped by the emitting process's clock: read a little back each time
SYNC_AHEAD = timedelta(days=3)
ATTENDANCE_BEHIND = timedelta(hours=36)


def booking_of_event(event: Event) -> Booking | None:
    """The booking a booking.* event carries (`booking_data`)."""
    data: Any = event.data.get("booking")
    if not isinstance(data, dict):
        return None
    return Booking(
        id=data["id"],
        company_id=event.company_id,
        customer_id=data["chat_id"],
        service_id=data["service_id"],
        staff_id=data["staff_id"],
        start=datetime.fromisoformat(data["start"]),
        end=datetime.fromisoformat(data["end"]),
        status=BookingStatus(data["status"]),
        backend_id=data["backend_id"],
    )


def freed_by_event(event: Event, booking: Booking, now: datetime) -> Opening | None:
    """The time a cancellation or a move through the bot freed."""
    if event.type is EventType.BOOKING_CANCELLED:
        return Opening.of(booking, booking.start, FreedBy.CUSTOMER, now)
    previous = event.data.get("previous_start")
    if event.type is not EventType.BOOKING_MOVED or not isinstance(previous, str):
        return None
    before = booking.model_copy(update={"staff_id": str(event.data.get("previous_staff_id") or booking.staff_id)})
    return Opening.of(before, datetime.fromisoformat(previous), FreedBy.CUSTOMER, now)


class WaitlistRounds:
    """One scheduler's waiting-list rounds; `claimer` names its claims (the scheduler's own id)."""

    def __init__(self, services: Services, claimer: str, *, batch: int = 200) -> None:
        self._services = services
        self.claimer = claimer
        self._batch = batch
        self._read_until: datetime | None = None

    async def tick(self) -> int:
        """Returns how many things it found or queued."""
        services, store = self._services, self._services.store
        now = services.clock()
        done = await self.read_events(now)
        done += await expire_holds(services, now, self._batch)
        for opening in await store.claim_openings(now, self._batch, self.claimer):
            services.jobs.offer_opening(opening.company_id, opening.id, self.claimer)
            done += 1
        for followup in await store.claim_due_followups(now, self._batch, self.claimer):
            services.jobs.send_followup(followup.company_id, followup.key)
            done += 1
        return done

    async def read_events(self, now: datetime) -> int:
        """Freed times and no-show customers' new bookings from the event log since the last round."""
        start = (self._read_until or now - LOOKBACK) - OVERLAP
        companies: dict[str, Company | None] = {}
        found = 0
        for event in await self._services.store.events_between(READ, start, now + timedelta(seconds=1)):
            booking = booking_of_event(event)
            if event.company_id not in companies:
                companies[event.company_id] = await self._services.store.get_company(event.company_id)
            company = companies[event.company_id]
            if booking is None or company is None:
                continue
            if event.type is not EventType.BOOKING_CANCELLED:
                found += await plan_confirmation(self._services, company, booking)
            opening = freed_by_event(event, booking, now)
            if opening is not None and await self._someone_waits(company, opening):
                found += await record_freed(self._services, company, [opening])
        self._read_until = now
        return found

    async def _someone_waits(self, company: Company, opening: Opening) -> bool:
        day = opening.start.astimezone(company.zone).date()
        entries = await self._services.store.wait_entries(company.id, day)
        return any(e.status is WaitStatus.WAITING for e in entries)

    async def plan(self) -> int:
        """Each salon's digest of today (due tomorrow morning); waiting entries of past days expired."""
        services = self._services
        now, planned = services.clock(), 0
        for company in await services.store.list_companies():
            today = company.today(now)
            if company.digest.enabled:
                planned += await services.store.plan_followups([digest_followup(company, today)])
            for entry in await services.store.wait_entries(company.id):
                if entry.status is WaitStatus.WAITING and entry.day < today:
                    await services.store.save_wait_entry(entry.model_copy(update={"status": WaitStatus.EXPIRED}))
        return planned

    async def sync(self) -> int:
        """The salon's own system, asked about the mirrored bookings of the next days and of the last day and a half.
        Returns how many changes it found."""
        services = self._services
        now, found = services.clock(), 0
        for company in await services.store.list_companies():
            for booking in await services.store.list_bookings(company.id):
                if booking.status is not BookingStatus.BOOKED:
                    continue
                try:
                    if company.waitlist.enabled and now < booking.start <= now + SYNC_AHEAD:
                        found += await as_the_salon_has_it(services, company, booking, now) is not booking
                    elif booking.end <= now <= booking.end + ATTENDANCE_BEHIND:
                        found += await self._attendance(company, booking)
                except BackendUnavailable:
                    log.info("company=%s the salon's system did not answer: checked next round", company.id)
                    break
        return found

    async def _attendance(self, company: Company, booking: Booking) -> int:
        if await self._services.store.get_visit(company.id, booking.id) is not None:
            return 0  # marked already (staff's mark is never overwritten by the system's)
        attendance = await self._services.backend_for(company).attendance(company, booking)
        if attendance not in (Attendance.ATTENDED, Attendance.NO_SHOW):
            return 0
        services = self._services
        marked = await record_attendance(
            services.store, services.events, services.clock(), company, booking, attendance, VisitSource.SALON
        )
        return int(marked is not None)
