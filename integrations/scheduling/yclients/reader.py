"""What the YClients adapter reads, and how long it keeps it: the salon's zone, catalog and free times, a customer's
records.

- Catalog (company info, services, staff) cached for minutes; free times for seconds (never over 60 s) and
  forgotten whenever we book, move or cancel for that staff member and day, or hear 422.
- The salon's zone comes from `timezone_name` (our configured zone if it has none).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp

from booking_bot.config import YClientsOptions
from booking_bot.domain import Booking, Company, Service, Slot, StaffMember, YClientsBackendSettings
from booking_bot.ports import BackendUnavailable, Clock
from integrations.scheduling.yclients.client import YClientsClient
from integrations.scheduling.yclients.errors import AuthError, BadRequest, NotFound, YClientsError
from integrations.scheduling.yclients.mapping import number, service_of, staff_member_of
from integrations.scheduling.yclients.models import Record, ServiceInfo, StaffInfo, TimeSlot
from integrations.scheduling.yclients.ratelimit import RateLimiter
from integrations.ttl_cache import TtlCache

log = logging.getLogger(__name__)

# A write whose answer was lost may still be applied by YClients after we stopped waiting (it had the request).
# Before its record is read back to decide what happened, it is given this many timeouts more to land.
SETTLE_TIMEOUTS = 1.0


def unavailable(company: Company, exc: YClientsError) -> BackendUnavailable:
    """The `BackendUnavailable` for a YClients error; a refusal of our credentials is logged for the operator."""
    if isinstance(exc, AuthError | BadRequest):
        log.error(
            "company=%s yclients refused us (HTTP %s): check the tokens and the company id", company.id, exc.status
        )
    return BackendUnavailable(f"yclients: {type(exc).__name__}")


class YClientsReader:
    """The clients of every YClients company (one aiohttp session, one rate limiter) and what is read through them.

    `services`, `staff` and `free_slots` are the `SchedulingBackend` reads; the rest serves the adapter's writes.
    `close()` closes the session if this instance created it.
    """

    def __init__(
        self,
        limiter: RateLimiter,
        clock: Clock,
        options: YClientsOptions,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self._limiter = limiter
        self._clock = clock
        self.options = options
        self._session = session
        self._owns_session = session is None
        self._clients: dict[str, tuple[YClientsBackendSettings, YClientsClient]] = {}
        # Free times are fresh in real time (seconds); the catalog for minutes.
        self._cache: TtlCache[tuple[object, ...], object] = TtlCache()

    async def close(self) -> None:
        """Close the session if this reader opened it."""
        if self._owns_session and self._session is not None:
            await self._session.close()
        self._session = None

    # -- plumbing ------------------------------------------------------------------------------------------

    @staticmethod
    def _settings(company: Company) -> YClientsBackendSettings:
        if not isinstance(company.backend, YClientsBackendSettings):
            raise BackendUnavailable(f"company {company.id} is not configured for YClients")
        return company.backend

    def client(self, company: Company) -> tuple[int, YClientsClient]:
        """The company's YClients id and client; a change of its settings starts a new client and a clean cache."""
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
                timeout_seconds=self.options.timeout_seconds,
                retry=self.options.retry,
                log_label=company.id,
            )
            known = (settings, client)
            self._clients[company.id] = known
            self._cache.drop(lambda key: key[0] == company.id)
        return settings.company_id, known[1]

    async def settle(self) -> None:
        """Wait until a write whose answer was lost has had time to land, so that the record read back next shows
        what YClients did rather than a state about to change (and a resend cannot meet a late original)."""
        await asyncio.sleep(self.options.timeout_seconds * SETTLE_TIMEOUTS)

    def now(self) -> datetime:
        """The clock's now, in UTC."""
        return self._clock().astimezone(UTC)

    async def zone(self, company: Company) -> ZoneInfo:
        """The salon's zone from YClients' `timezone_name` (our configured zone if it has none)."""
        key = (company.id, "zone")
        cached = self._cache.get(key)
        if isinstance(cached, ZoneInfo):
            return cached
        yc_id, client = self.client(company)
        try:
            info = await client.company(yc_id)
        except YClientsError as exc:
            raise unavailable(company, exc) from exc
        zone = company.zone
        if info.timezone_name:
            try:
                zone = ZoneInfo(info.timezone_name)
            except (ZoneInfoNotFoundError, ValueError):
                log.warning("company=%s yclients sent an unknown time zone; using ours", company.id)
        if zone.key != company.timezone:
            log.warning("company=%s time zone differs from YClients' (%s): YClients wins", company.id, zone.key)
        self._cache.put(key, zone, self.options.catalog_ttl_seconds)
        return zone

    async def service_infos(self, company: Company) -> list[ServiceInfo]:
        """The salon's active services as YClients describes them."""
        key = (company.id, "services")
        cached = self._cache.get(key)
        if isinstance(cached, list):
            return cached
        yc_id, client = self.client(company)
        try:
            services = [s for s in await client.services(yc_id) if s.active]
        except YClientsError as exc:
            raise unavailable(company, exc) from exc
        self._cache.put(key, services, self.options.catalog_ttl_seconds)
        return services

    async def staff_infos(self, company: Company, service_id: int | None = None) -> list[StaffInfo]:
        """The salon's visible staff (of one service, when given) as YClients describes them."""
        key = (company.id, "staff", service_id)
        cached = self._cache.get(key)
        if isinstance(cached, list):
            return cached
        yc_id, client = self.client(company)
        try:
            staff = [m for m in await client.staff(yc_id, service_id) if not m.hidden and not m.fired]
        except YClientsError as exc:
            raise unavailable(company, exc) from exc
        self._cache.put(key, staff, self.options.catalog_ttl_seconds)
        return staff

    def _times_key(self, company: Company, staff_id: int, day: date, service_id: int) -> tuple[object, ...]:
        return (company.id, "times", staff_id, day, service_id)

    async def _times(
        self, company: Company, staff_id: int, day: date, service_id: int, fresh: bool = False
    ) -> list[TimeSlot]:
        key = self._times_key(company, staff_id, day, service_id)
        cached = None if fresh else self._cache.get(key)
        if isinstance(cached, list):
            return cached
        yc_id, client = self.client(company)
        times = await client.times(yc_id, staff_id, day, service_id)
        self._cache.put(key, times, self.options.times_ttl_seconds)
        return times

    def cached_times(self, company: Company, staff_id: int, day: date, service_id: int) -> list[object] | None:
        """The free times still kept for that staff member, day and service (never read from YClients here)."""
        cached = self._cache.get(self._times_key(company, staff_id, day, service_id))
        return cached if isinstance(cached, list) else None

    def forget_times(self, company: Company, staff_id: int, day: date) -> None:
        """Drop the kept free times of a staff member's day (after we booked, moved or cancelled there, or a 422)."""
        self._cache.drop(lambda key: key[:4] == (company.id, "times", staff_id, day))

    # -- catalog and free times ----------------------------------------------------------------------------

    async def services(self, company: Company) -> list[Service]:
        """The `SchedulingBackend` catalog of services."""
        return [service_of(s) for s in await self.service_infos(company)]

    async def staff(self, company: Company) -> list[StaffMember]:
        """The `SchedulingBackend` catalog of staff."""
        return [staff_member_of(m) for m in await self.staff_infos(company)]

    async def free_slots(
        self,
        company: Company,
        service_id: str,
        day: date,
        staff_id: str | None = None,
        ignoring: Booking | None = None,
        fresh: bool = False,
    ) -> list[Slot]:
        """The `SchedulingBackend` free times of a local day, as YClients' book_times gives them (`fresh`: asked
        now, the kept ones replaced)."""
        # `ignoring` cannot be honoured: YClients' free times leave out the record's own time, and which of those
        # times only that record blocks is not something the API tells.
        del ignoring
        zone = await self.zone(company)
        now = self.now()
        service_number = number(service_id)
        if day < now.astimezone(zone).date() or service_number is None:
            return []
        if staff_id is not None:
            staff_number = number(staff_id)
            staff_ids = [] if staff_number is None else [staff_number]
        else:
            staff_ids = [m.id for m in await self.staff_infos(company, service_number) if m.bookable]
        slots: list[Slot] = []
        failure: YClientsError | None = None
        for member in staff_ids:
            try:
                times = await self._times(company, member, day, service_number, fresh)
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
            raise unavailable(company, failure)
        slots.sort(key=lambda s: (s.start, s.staff_id))
        return slots

    # -- the customer's records ----------------------------------------------------------------------------

    async def _client_ids(self, company: Company, phone: str) -> list[int]:
        """The salon's client ids for a phone (cached once found; not found is never cached)."""
        key = (company.id, "clients", phone)
        cached = self._cache.get(key)
        if isinstance(cached, list):
            return cached
        yc_id, client = self.client(company)
        ids = [c.id for c in await client.search_clients(yc_id, phone)]
        if ids:
            self._cache.put(key, ids, self.options.catalog_ttl_seconds)
        return ids

    async def records(self, company: Company, phone: str, start: date, end: date) -> list[Record]:
        """Every record (deleted ones too) of the clients with this phone, between two local dates.
        Raises `YClientsError` when it cannot be read: the caller must not guess."""
        yc_id, client = self.client(company)
        records: list[Record] = []
        for client_id in await self._client_ids(company, phone):
            records += await client.records(yc_id, client_id, start, end)
        return records
