"""YClients / Altegio as a `SchedulingBackend`: never double-books, never reports what the API did not confirm.

- Catalog (company info, services, staff) cached for minutes; free times for seconds (never over 60 s) and
  forgotten whenever we book, move or cancel for that staff member and day, or hear 422.
- Booking: a booking intent is recorded in the Store first (unique key + `api_id`). `book_check` right before
  `book_record`. A 422 is "slot taken" (fresh times are offered), unless the record with our `api_id` is the one
  holding the slot. After a timeout or 5xx the client's records are listed and matched on `api_id` before anything
  is sent again; when that cannot be read, the answer is "backend unavailable" and nothing is resent.
- Move with PUT (403 → NOT_ALLOWED, honestly), cancel with the admin path; both read the record first and
  reconcile by reading it again after an uncertain answer.
- The salon's zone comes from `timezone_name`; a record's naive `date` is the truth, its `datetime` offset is not.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp

from booking_bot.domain import (
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
    YClientsBackendSettings,
)
from booking_bot.ports import BackendUnavailable, Clock, Store
from integrations.scheduling.yclients.client import Appointment, RetryPolicy, YClientsClient
from integrations.scheduling.yclients.errors import (
    AuthError,
    BadRequest,
    Forbidden,
    NotFound,
    SlotUnavailable,
    Uncertain,
    YClientsError,
)
from integrations.scheduling.yclients.models import Record, ServiceInfo, StaffInfo, TimeSlot
from integrations.scheduling.yclients.ratelimit import RateLimiter
from integrations.ttl_cache import TtlCache

log = logging.getLogger(__name__)

BOOKING_ID_PREFIX = "yc-"
RECORDS_HORIZON_DAYS = 366


@dataclass(frozen=True)
class YClientsOptions:
    """Tuning of the adapter (from `Settings.yclients_*`)."""

    timeout_seconds: float = 10.0
    catalog_ttl_seconds: float = 300.0
    times_ttl_seconds: float = 20.0
    max_submissions: int = 2  # book_record / PUT / DELETE sends per operation, each after a reconcile
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def __post_init__(self) -> None:
        if self.times_ttl_seconds > 60:
            raise ValueError("free times must not be cached for more than 60 s")


ATTENDANCE_CONFIRMED = 2  # YClients visit status: the customer confirmed the visit


def api_id_for(company_id: str, customer_id: str, service_id: str, staff_id: str, local_start: datetime) -> str:
    """The `api_id` of a booking: the same for every attempt at the same customer + service + staff + time,
    so a record created by a request whose answer was lost is recognised by any later attempt."""
    material = "|".join((company_id, customer_id, service_id, staff_id, local_start.strftime("%Y-%m-%dT%H:%M")))
    return "bb-" + hashlib.sha256(material.encode()).hexdigest()[:24]


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
        self._limiter = limiter
        self._clock = clock
        self._options = options or YClientsOptions()
        self._session = session
        self._owns_session = session is None
        self._clients: dict[str, tuple[YClientsBackendSettings, YClientsClient]] = {}
        # Free times are fresh in real time (seconds); the catalog for minutes.
        self._cache: TtlCache[tuple[object, ...], object] = TtlCache()

    async def close(self) -> None:
        if self._owns_session and self._session is not None:
            await self._session.close()
        self._session = None

    # -- plumbing ------------------------------------------------------------------------------------------

    def _settings(self, company: Company) -> YClientsBackendSettings:
        if not isinstance(company.backend, YClientsBackendSettings):
            raise BackendUnavailable(f"company {company.id} is not configured for YClients")
        return company.backend

    def _client(self, company: Company) -> tuple[int, YClientsClient]:
        settings = self._settings(company)
        known = self._clients.get(company.id)
        if known is None or known[0] != settings:
            if self._session is None:
                self._session = aiohttp.ClientSession()
            client = YClientsClient(
                self._session,
                settings.base_url,
                settings.partner_token,
                settings.user_token,
                self._limiter,
                timeout_seconds=self._options.timeout_seconds,
                retry=self._options.retry,
                log_label=company.id,
            )
            known = (settings, client)
            self._clients[company.id] = known
            self._cache.drop(lambda key: key[0] == company.id)
        return settings.company_id, known[1]

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC)

    def _unavailable(self, company: Company, exc: YClientsError) -> BackendUnavailable:
        if isinstance(exc, AuthError | BadRequest):
            log.error(
                "company=%s yclients refused us (HTTP %s): check the tokens and the company id", company.id, exc.status
            )
        return BackendUnavailable(f"yclients: {type(exc).__name__}")

    async def _zone(self, company: Company) -> ZoneInfo:
        """The salon's zone from YClients' `timezone_name` (our configured zone if it has none)."""
        key = (company.id, "zone")
        cached = self._cache.get(key)
        if isinstance(cached, ZoneInfo):
            return cached
        yc_id, client = self._client(company)
        try:
            info = await client.company(yc_id)
        except YClientsError as exc:
            raise self._unavailable(company, exc) from exc
        zone = company.zone
        if info.timezone_name:
            try:
                zone = ZoneInfo(info.timezone_name)
            except (ZoneInfoNotFoundError, ValueError):
                log.warning("company=%s yclients sent an unknown time zone; using ours", company.id)
        if zone.key != company.timezone:
            log.warning("company=%s time zone differs from YClients' (%s): YClients wins", company.id, zone.key)
        self._cache.put(key, zone, self._options.catalog_ttl_seconds)
        return zone

    async def _service_infos(self, company: Company) -> list[ServiceInfo]:
        key = (company.id, "services")
        cached = self._cache.get(key)
        if isinstance(cached, list):
            return cached
        yc_id, client = self._client(company)
        try:
            services = [s for s in await client.services(yc_id) if s.active]
        except YClientsError as exc:
            raise self._unavailable(company, exc) from exc
        self._cache.put(key, services, self._options.catalog_ttl_seconds)
        return services

    async def _staff_infos(self, company: Company, service_id: int | None = None) -> list[StaffInfo]:
        key = (company.id, "staff", service_id)
        cached = self._cache.get(key)
        if isinstance(cached, list):
            return cached
        yc_id, client = self._client(company)
        try:
            staff = [m for m in await client.staff(yc_id, service_id) if not m.hidden and not m.fired]
        except YClientsError as exc:
            raise self._unavailable(company, exc) from exc
        self._cache.put(key, staff, self._options.catalog_ttl_seconds)
        return staff

    async def _times(self, company: Company, staff_id: int, day: date, service_id: int) -> list[TimeSlot]:
        key = (company.id, "times", staff_id, day, service_id)
        cached = self._cache.get(key)
        if isinstance(cached, list):
            return cached
        yc_id, client = self._client(company)
        times = await client.times(yc_id, staff_id, day, service_id)
        self._cache.put(key, times, self._options.times_ttl_seconds)
        return times

    def _forget_times(self, company: Company, staff_id: int, day: date) -> None:
        self._cache.drop(lambda key: key[:4] == (company.id, "times", staff_id, day))

    @staticmethod
    def _int(value: str) -> int | None:
        try:
            return int(value)
        except ValueError:
            return None

    # -- catalog and free times ----------------------------------------------------------------------------

    async def services(self, company: Company) -> list[Service]:
        return [
            Service(
                id=str(s.id),
                name=s.title,
                duration_minutes=max(1, s.seance_length // 60),
                price=s.price_min or None,
                price_max=s.price_max if s.price_max and s.price_max != s.price_min else None,
            )
            for s in await self._service_infos(company)
        ]

    async def staff(self, company: Company) -> list[StaffMember]:
        return [StaffMember(id=str(m.id), name=m.name) for m in await self._staff_infos(company)]

    async def free_slots(
        self,
        company: Company,
        service_id: str,
        day: date,
        staff_id: str | None = None,
        ignoring: Booking | None = None,
    ) -> list[Slot]:
        # `ignoring` cannot be honoured: YClients' free times leave out the record's own time, and which of those
        # times only that record blocks is not something the API tells.
        del ignoring
        zone = await self._zone(company)
        now = self._now()
        service_number = self._int(service_id)
        if day < now.astimezone(zone).date() or service_number is None:
            return []
        if staff_id is not None:
            staff_number = self._int(staff_id)
            staff_ids = [] if staff_number is None else [staff_number]
        else:
            staff_ids = [m.id for m in await self._staff_infos(company, service_number) if m.bookable]
        slots: list[Slot] = []
        failure: YClientsError | None = None
        for member in staff_ids:
            try:
                times = await self._times(company, member, day, service_number)
            except NotFound:
                continue
            except YClientsError as exc:
                failure = exc
                continue
            for entry in times:
                start = datetime.combine(day, entry.at, tzinfo=zone).astimezone(UTC)
                if start > now:
                    end = start + timedelta(seconds=entry.seance_length or 60)
                    slots.append(Slot(staff_id=str(member), service_id=service_id, start=start, end=end))
        if failure is not None and not slots:
            # Some staff could not be read and nothing is known to be free: don't claim the day is full.
            raise self._unavailable(company, failure)
        slots.sort(key=lambda s: (s.start, s.staff_id))
        return slots

    # -- the customer's records ----------------------------------------------------------------------------

    async def _client_ids(self, company: Company, phone: str) -> list[int]:
        """The salon's client ids for a phone (cached once found; not found is never cached)."""
        key = (company.id, "clients", phone)
        cached = self._cache.get(key)
        if isinstance(cached, list):
            return cached
        yc_id, client = self._client(company)
        ids = [c.id for c in await client.search_clients(yc_id, phone)]
        if ids:
            self._cache.put(key, ids, self._options.catalog_ttl_seconds)
        return ids

    async def _records(self, company: Company, phone: str, start: date, end: date) -> list[Record]:
        """Every record (deleted ones too) of the clients with this phone, between two local dates.
        Raises `YClientsError` when it cannot be read: the caller must not guess."""
        yc_id, client = self._client(company)
        records: list[Record] = []
        for client_id in await self._client_ids(company, phone):
            records += await client.records(yc_id, client_id, start, end)
        return records

    def _booking(self, company: Company, customer_id: str, record: Record, zone: ZoneInfo) -> Booking | None:
        if record.local_start is None or record.service_id is None:
            return None
        # The naive local `date` and the salon's zone are the truth (Altegio's `datetime` offset can be wrong).
        start = record.local_start.replace(tzinfo=zone).astimezone(UTC)
        return Booking(
            id=f"{BOOKING_ID_PREFIX}{record.id}",
            company_id=company.id,
            customer_id=customer_id,
            service_id=str(record.service_id),
            staff_id=str(record.staff_id),
            start=start,
            end=start + timedelta(seconds=record.duration_seconds or 60),
            status=BookingStatus.CANCELLED if record.deleted else BookingStatus.BOOKED,
            backend_id=str(record.id),
        )

    async def customer_bookings(self, company: Company, customer: Customer) -> list[Booking]:
        if customer.company_id != company.id or not customer.phone:
            return []
        zone = await self._zone(company)
        now = self._now()
        today = now.astimezone(zone).date()
        try:
            records = await self._records(company, customer.phone, today, today + timedelta(days=RECORDS_HORIZON_DAYS))
        except YClientsError as exc:
            raise self._unavailable(company, exc) from exc
        bookings = [self._booking(company, customer.id, r, zone) for r in records if not r.deleted]
        found = [b for b in bookings if b is not None and b.end > now]
        found.sort(key=lambda b: (b.start, b.id))
        return found

    async def current_booking(self, company: Company, booking: Booking) -> Booking | None:
        if self._int(booking.backend_id) is None or not await self._phone_of(company, booking.customer_id):
            raise BackendUnavailable("yclients: the record cannot be looked up (no record id or no phone)")
        try:
            zone = await self._zone(company)
            record = await self._current(company, booking, zone)
        except YClientsError as exc:
            raise self._unavailable(company, exc) from exc
        if record is None:
            return None
        current = self._booking(company, booking.customer_id, record, zone)
        if current is None:
            raise BackendUnavailable("yclients: the record has no time or service")
        return current.model_copy(update={"id": booking.id})

    async def _phone_of(self, company: Company, customer_id: str) -> str | None:
        customer = await self._store.get_customer(company.id, customer_id)
        return None if customer is None else customer.phone

    async def _current(self, company: Company, booking: Booking, zone: ZoneInfo) -> Record | None:
        """The booking's record as YClients has it now (deleted ones included), or None when the customer
        has no such record. Raises `YClientsError` when it cannot be read."""
        record_id = self._int(booking.backend_id)
        phone = await self._phone_of(company, booking.customer_id)
        if booking.company_id != company.id or record_id is None or not phone:
            return None
        today = self._now().astimezone(zone).date()
        local_day = booking.start.astimezone(zone).date()
        start = min(today, local_day) - timedelta(days=1)
        records = await self._records(company, phone, start, start + timedelta(days=RECORDS_HORIZON_DAYS))
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
            zone = await self._zone(company)
            service = next((s for s in await self._service_infos(company) if str(s.id) == service_id), None)
            staff_ids = {str(m.id) for m in await self._staff_infos(company)}
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
            return self._booked(company, intent, intent.backend_id, duration)  # a retried job: already done
        return await _Booking(self, company, customer, intent, service.id, zone, duration).run()

    def _booked(self, company: Company, intent: BookingIntent, record_id: str, duration: timedelta) -> Outcome:
        booking = Booking(
            id=f"{BOOKING_ID_PREFIX}{record_id}",
            company_id=company.id,
            customer_id=intent.customer_id,
            service_id=intent.service_id,
            staff_id=intent.staff_id,
            start=intent.start,
            end=intent.start + duration,
            status=BookingStatus.BOOKED,
            backend_id=record_id,
        )
        return Outcome(kind=OutcomeKind.BOOKED, booking=booking)

    # -- move ----------------------------------------------------------------------------------------------

    async def move(
        self, company: Company, booking: Booking, new_start: datetime, staff_id: str, idempotency_key: str
    ) -> Outcome:
        try:
            zone = await self._zone(company)
            record = await self._current(company, booking, zone)
        except (YClientsError, BackendUnavailable):
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="the booking could not be read")
        if record is None or record.deleted:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
        current = self._booking(company, booking.customer_id, record, zone)
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
        yc_id, client = self._client(company)
        when = new_start.astimezone(zone).isoformat()
        for _ in range(self._options.max_submissions):
            try:
                await client.move_record(yc_id, record.id, when)
            except SlotUnavailable:
                self._forget_times(company, record.staff_id, new_start.astimezone(zone).date())
                return Outcome(kind=OutcomeKind.SLOT_TAKEN, detail="the new time is taken")
            except Forbidden:
                log.info("company=%s yclients forbids moving records online", company.id)
                return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="the salon does not allow moving bookings online")
            except NotFound:
                return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
            except Uncertain:
                try:
                    after = await self._current(company, booking, zone)
                except YClientsError:
                    return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="move unconfirmed")
                if after is None or after.deleted:
                    return Outcome(kind=OutcomeKind.NOT_FOUND, detail="the booking is gone")
                moved = self._booking(company, booking.customer_id, after, zone)
                if moved is not None and moved.start == new_start:
                    return self._moved(company, zone, current, moved)
                continue  # not applied: PUT to an absolute time is safe to send again
            except YClientsError as exc:
                self._unavailable(company, exc)
                return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="move failed")
            moved = current.model_copy(update={"start": new_start, "end": new_start + current.duration})
            return self._moved(company, zone, current, moved)
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="move unconfirmed")

    def _moved(self, company: Company, zone: ZoneInfo, before: Booking, after: Booking) -> Outcome:
        staff = int(before.staff_id)
        self._forget_times(company, staff, before.start.astimezone(zone).date())
        self._forget_times(company, staff, after.start.astimezone(zone).date())
        return Outcome(kind=OutcomeKind.MOVED, booking=after)

    # -- cancel --------------------------------------------------------------------------------------------

    async def cancel(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        try:
            zone = await self._zone(company)
            record = await self._current(company, booking, zone)
        except (YClientsError, BackendUnavailable):
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="the booking could not be read")
        current = None if record is None else self._booking(company, booking.customer_id, record, zone)
        if record is None or current is None:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
        if record.deleted:
            return Outcome(kind=OutcomeKind.CANCELLED, booking=current)
        if current.start <= self._now():
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="booking has already started")
        yc_id, client = self._client(company)
        cancelled = current.model_copy(update={"status": BookingStatus.CANCELLED})
        for _ in range(self._options.max_submissions):
            try:
                await client.cancel_as_admin(yc_id, record.id)
            except Forbidden:
                return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="the salon does not allow cancelling online")
            except (Uncertain, NotFound):
                # Lost answer, or already gone: read again and report what is true.
                try:
                    after = await self._current(company, booking, zone)
                except YClientsError:
                    return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="cancel unconfirmed")
                if after is None:
                    return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
                if after.deleted:
                    break
                continue  # still there: DELETE is safe to send again
            except YClientsError as exc:
                self._unavailable(company, exc)
                return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="cancel failed")
            break
        else:
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="cancel unconfirmed")
        self._forget_times(company, record.staff_id, current.start.astimezone(zone).date())
        return Outcome(kind=OutcomeKind.CANCELLED, booking=cancelled)

    async def confirm_visit(self, company: Company, booking: Booking, idempotency_key: str) -> Outcome:
        """The customer confirmed the visit (a reply to a reminder): the visit's attendance becomes 2.

        Setting attendance is idempotent, so a lost answer is simply sent again once.
        """
        try:
            zone = await self._zone(company)
            record = await self._current(company, booking, zone)
        except (YClientsError, BackendUnavailable):
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="the booking could not be read")
        current = None if record is None else self._booking(company, booking.customer_id, record, zone)
        if record is None or current is None or record.deleted:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="no such booking")
        if current.start <= self._now():
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="booking has already started")
        if record.attendance == ATTENDANCE_CONFIRMED:
            return Outcome(kind=OutcomeKind.CONFIRMED, booking=current)
        if record.visit_id is None:
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="the record has no visit")
        _, client = self._client(company)
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
                self._unavailable(company, exc)
                return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="confirm failed")
            return Outcome(kind=OutcomeKind.CONFIRMED, booking=current)
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="confirm unconfirmed")


class _Booking:
    """One booking attempt: check, submit, and reconcile before any resubmission."""

    def __init__(
        self,
        backend: YClientsBackend,
        company: Company,
        customer: Customer,
        intent: BookingIntent,
        service_number: int,
        zone: ZoneInfo,
        duration: timedelta,
    ) -> None:
        self.backend, self.company, self.customer, self.intent = backend, company, customer, intent
        self.yc_id, self.client = backend._client(company)
        self.zone, self.duration = zone, duration
        self.local = intent.start.astimezone(zone)
        self.staff_number = int(intent.staff_id)
        self.appointment = Appointment(services=(service_number,), staff_id=self.staff_number, datetime=self._when())

    def _when(self) -> str:
        """The `datetime` string exactly as book_times gave it, when we still have it."""
        key = (self.company.id, "times", self.staff_number, self.local.date(), self.appointment_service())
        cached = self.backend._cache.get(key)
        if isinstance(cached, list):
            for entry in cached:
                if isinstance(entry, TimeSlot) and entry.at == self.local.time().replace(tzinfo=None):
                    return entry.datetime_raw
        return self.local.isoformat()

    def appointment_service(self) -> int:
        return int(self.intent.service_id)

    async def _finish(self, status: BookingIntentStatus, record_id: str | None = None) -> None:
        await self.backend._store.finish_booking_intent(self.company.id, self.intent.key, status, record_id)

    async def _ours(self) -> Record | None:
        """The live record carrying our `api_id`, if the API has it. Raises `YClientsError` when unreadable."""
        assert self.customer.phone is not None
        day = self.local.date()
        records = await self.backend._records(self.company, self.customer.phone, day, day)
        return next((r for r in records if r.api_id == self.intent.api_id and not r.deleted), None)

    async def _confirmed(self, record_id: int) -> Outcome:
        await self._finish(BookingIntentStatus.CONFIRMED, str(record_id))
        self.backend._forget_times(self.company, self.staff_number, self.local.date())
        return self.backend._booked(self.company, self.intent, str(record_id), self.duration)

    async def _taken(self) -> Outcome:
        """A 422: the slot is held — by our own earlier request (whose answer was lost), or by someone else."""
        self.backend._forget_times(self.company, self.staff_number, self.local.date())
        try:
            ours = await self._ours()
        except YClientsError:
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="slot busy; could not check whose")
        if ours is not None:
            log.info("company=%s booking reconciled: the slot holds our own record", self.company.id)
            return await self._confirmed(ours.id)
        await self._finish(BookingIntentStatus.FAILED)
        return Outcome(kind=OutcomeKind.SLOT_TAKEN, detail="the time was taken")

    async def run(self) -> Outcome:
        company = self.company
        try:
            await self.client.book_check(self.yc_id, [self.appointment])
        except SlotUnavailable:
            return await self._taken()
        except Forbidden:
            await self._finish(BookingIntentStatus.FAILED)
            return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="the salon does not accept this booking online")
        except NotFound:
            await self._finish(BookingIntentStatus.FAILED)
            return Outcome(kind=OutcomeKind.NOT_FOUND, detail="service or staff member not found")
        except YClientsError as exc:
            self.backend._unavailable(company, exc)
            return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="book_check failed")
        for _ in range(self.backend._options.max_submissions):
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
            except Forbidden:
                await self._finish(BookingIntentStatus.FAILED)
                return Outcome(kind=OutcomeKind.NOT_ALLOWED, detail="the salon does not accept this booking online")
            except Uncertain:
                # The record may exist. Look for our api_id before anything is sent again.
                try:
                    ours = await self._ours()
                except YClientsError:
                    log.warning("company=%s booking unconfirmed: records unreadable; not resubmitted", company.id)
                    return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="booking unconfirmed")
                if ours is not None:
                    log.info("company=%s booking reconciled after a lost answer", company.id)
                    return await self._confirmed(ours.id)
                continue
            except YClientsError as exc:
                self.backend._unavailable(company, exc)
                return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="book_record failed")
            return await self._confirmed(created[0].record_id)
        return Outcome(kind=OutcomeKind.BACKEND_UNAVAILABLE, detail="booking unconfirmed")
