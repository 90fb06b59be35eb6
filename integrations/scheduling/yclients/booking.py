"""One booking in YClients: check, submit, and reconcile with the records before anything is sent again.

The booking intent is recorded in the Store first (unique key + `api_id`). `book_check` right before `book_record`.
A 422 is "slot taken" (fresh times are offered), unless the record with our `api_id` is the one holding the slot.
After a timeout or 5xx the request is given time to land (`YClientsReader.settle`), then the client's records are
listed and matched on `api_id` before anything is sent again or any answer is given; when that cannot be read, the
answer is "backend unavailable" and nothing is resent. A refusal of a resend is checked against the records too.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from booking_bot.domain import BookingIntent, BookingIntentStatus, Company, Customer, Outcome, OutcomeKind
from booking_bot.ports import Store
from integrations.scheduling.yclients.client import Appointment
from integrations.scheduling.yclients.errors import Forbidden, NotFound, SlotUnavailable, Uncertain, YClientsError
from integrations.scheduling.yclients.mapping import booked
from integrations.scheduling.yclients.models import Record, TimeSlot
from integrations.scheduling.yclients.reader import YClientsReader, unavailable

log = logging.getLogger(__name__)


class BookingAttempt:
    """One booking attempt: check, submit, and reconcile before any resubmission."""

    def __init__(
        self,
        reader: YClientsReader,
        store: Store,
        company: Company,
        customer: Customer,
        intent: BookingIntent,
        service_number: int,
        zone: ZoneInfo,
        duration: timedelta,
    ) -> None:
        self.reader, self.store, self.company, self.customer, self.intent = reader, store, company, customer, intent
        self.yc_id, self.client = reader.client(company)
        self.zone, self.duration = zone, duration
        self.local = intent.start.astimezone(zone)
        self.staff_number = int(intent.staff_id)
        self.appointment = Appointment(services=(service_number,), staff_id=self.staff_number, datetime=self._when())

    def _when(self) -> str:
        """The `datetime` string exactly as book_times gave it, when we still have it."""
        cached = self.reader.cached_times(
            self.company, self.staff_number, self.local.date(), self.appointment_service()
        )
        for entry in cached or []:
            if isinstance(entry, TimeSlot) and entry.at == self.local.time().replace(tzinfo=None):
                return entry.datetime_raw
        return self.local.isoformat()

    def appointment_service(self) -> int:
        """The YClients id of the booked service."""
        return int(self.intent.service_id)

    async def _finish(self, status: BookingIntentStatus, record_id: str | None = None) -> None:
        await self.store.finish_booking_intent(self.company.id, self.intent.key, status, record_id)

    async def _ours(self) -> Record | None:
        """The live record carrying our `api_id` at our staff member and time, if the API has it (a record of an
        earlier booking at this slot that has since moved away carries the same `api_id`, elsewhere).
        Raises `YClientsError` when unreadable."""
        assert self.customer.phone is not None
        day = self.local.date()
        wanted = (self.staff_number, self.local.replace(tzinfo=None))
        records = await self.reader.records(self.company, self.customer.phone, day, day)
        return next(
            (
                r
                for r in records
                if r.api_id == self.intent.api_id and not r.deleted and (r.staff_id, r.local_start) == wanted
            ),
            None,
        )

    async def _confirmed(self, record_id: int) -> Outcome:
        await self._finish(BookingIntentStatus.CONFIRMED, str(record_id))
        self.reader.forget_times(self.company, self.staff_number, self.local.date())
        return booked(self.company.id, self.intent, str(record_id), self.duration)

    async def _taken(self) -> Outcome:
        """A 422: the slot is held — by our own earlier request (whose answer was lost), or by someone else."""
        self.reader.forget_times(self.company, self.staff_number, self.local.date())
        found = await self._reconciled()
        if found is not None:
            return found
        await self._finish(BookingIntentStatus.FAILED)
        return Outcome(kind=OutcomeKind.SLOT_TAKEN, detail="the time was taken")

    async def _reconciled(self) -> Outcome | None:
        """After a lost answer or a 422: booked when our record is there, unavailable when that cannot be read,
        else None (nothing of ours at the slot)."""
        try:
            ours = await self._ours()
        except YClientsError:
            log.warning("company=%s booking unconfirmed: records unreadable; not resubmitted", self.company.id)
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="booking unconfirmed")
        if ours is None:
            return None
        log.info("company=%s booking reconciled: the slot holds our own record", self.company.id)
        return await self._confirmed(ours.id)

    async def _refused(self, exc: YClientsError) -> Outcome:
        """The outcome of a check or submission that YClients answered with a refusal (not a 422)."""
        if isinstance(exc, Forbidden):
            await self._finish(BookingIntentStatus.FAILED)
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="the salon does not accept this booking online")
        if isinstance(exc, NotFound):
            await self._finish(BookingIntentStatus.FAILED)
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="service or staff member not found")
        unavailable(self.company, exc)
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="booking failed")

    async def run(self) -> Outcome:
        """Check, then submit (at most `max_submissions` times, each after a reconcile): what YClients confirmed."""
        try:
            await self.client.book_check(self.yc_id, [self.appointment])
        except SlotUnavailable:
            return await self._taken()
        except YClientsError as exc:
            return await self._refused(exc)
        lost = False  # a book_record whose answer was lost: it may have created the record
        for _ in range(self.reader.options.max_submissions):
            try:
                created = await self.client.book_record(
                    self.yc_id,
                    phone=self.customer.phone or "",
                    fullname=self.customer.name or "WhatsApp client",
                    api_id=self.intent.api_id,
                    appointments=[self.appointment],
                )
            except SlotUnavailable:
                return await self._taken()
            except Uncertain:
                # The record may exist, or appear a moment later: let it land, then look for our api_id before
                # anything is sent again (a resend meeting a late original would leave two records).
                lost = True
                await self.reader.settle()
                found = await self._reconciled()
                if found is not None:
                    return found
                continue
            except YClientsError as exc:
                if lost:
                    # A refusal of the resend says nothing of the lost original: read what is there.
                    found = await self._reconciled()
                    if found is not None:
                        return found
                return await self._refused(exc)
            return await self._confirmed(created[0].record_id)
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="booking unconfirmed")
