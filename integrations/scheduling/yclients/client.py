"""A typed async client for the YClients / Altegio REST API (the endpoints a booking assistant needs).

Every method returns parsed models or raises a `YClientsError` (see errors.py): it never reports success by default.
Retries: reads (and `book_check`, which changes nothing) are retried with jittered backoff on 5xx, timeouts and
broken connections. Writes are sent once; only answers that prove nothing was applied (429, a connection that was
never made) are retried. A write that ended `Uncertain` is the caller's to reconcile.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import aiohttp
from pydantic import SecretStr, TypeAdapter, ValidationError

from booking_bot.config import RetryPolicy
from integrations.scheduling.yclients.errors import (
    NotSent,
    RateLimited,
    Unavailable,
    Uncertain,
    YClientsError,
    error_for,
)
from integrations.scheduling.yclients.models import (
    BookDates,
    BookedRecord,
    Client,
    CompanyInfo,
    Record,
    ServiceInfo,
    ServicesPage,
    StaffInfo,
    TimeSlot,
    digits,
)
from integrations.scheduling.yclients.ratelimit import RateLimiter

log = logging.getLogger(__name__)

ACCEPT = "application/vnd.yclients.v2+json"
RECORDS_PAGE_SIZE = 50
MAX_PAGES = 40

Params = Sequence[tuple[str, str]]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Appointment:
    """One appointment of a booking request. `datetime` is passed as the API gave it in book_times."""

    services: tuple[int, ...]
    staff_id: int
    datetime: str
    id: int = 1

    def wire(self) -> dict[str, Any]:
        return {"id": self.id, "services": list(self.services), "staff_id": self.staff_id, "datetime": self.datetime}


_services_page = TypeAdapter(ServicesPage)
_staff_list = TypeAdapter(list[StaffInfo])
_times = TypeAdapter(list[TimeSlot])
_booked = TypeAdapter(list[BookedRecord])
_records = TypeAdapter(list[Record])
_clients = TypeAdapter(list[Client])


class YClientsClient:
    """One salon's (company's) access to the API: a base URL and its tokens. Cheap; share the session."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        partner_token: SecretStr,
        user_token: SecretStr | None,
        limiter: RateLimiter,
        *,
        timeout_seconds: float = 10.0,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        log_label: str = "-",
    ) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        self._partner = partner_token
        self._user = user_token
        self._limiter = limiter
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._label = log_label  # our company id, for logs

    # -- plumbing --------------------------------------------------------------------------------------------

    def _headers(self, admin: bool) -> dict[str, str]:
        auth = f"Bearer {self._partner.get_secret_value()}"
        if admin:
            if self._user is None:
                raise YClientsError("this method needs a user token")
            auth += f", User {self._user.get_secret_value()}"
        return {"Accept": ACCEPT, "Content-Type": "application/json", "Authorization": auth}

    async def _once(
        self, method: str, path: str, params: Params | None, body: Any, admin: bool
    ) -> tuple[int, Any, str | None]:
        await self._limiter.acquire()
        try:
            async with self._session.request(
                method,
                self._base + path,
                params=list(params) if params else None,
                data=None if body is None else json.dumps(body, ensure_ascii=False),
                headers=self._headers(admin),
                timeout=self._timeout,
            ) as response:
                raw = await response.read()
                retry_after = response.headers.get("Retry-After")
                status = response.status
        except TimeoutError as exc:
            raise Uncertain("no answer in time") from exc
        except aiohttp.ClientConnectorError as exc:
            raise NotSent(f"could not connect: {type(exc).__name__}") from exc
        except aiohttp.ClientError as exc:
            raise Uncertain(f"connection broke: {type(exc).__name__}") from exc
        if not raw.strip():
            return status, None, retry_after
        try:
            return status, json.loads(raw), retry_after
        except ValueError:
            if 200 <= status < 300:
                raise Uncertain(f"HTTP {status} without a JSON envelope", status) from None
            return status, None, retry_after

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: Any = None,
        admin: bool = False,
        safe: bool,
    ) -> Any:
        """The `data` of a successful answer. `safe`: repeating the call cannot change anything."""
        failures = 0
        limited = 0
        while True:
            try:
                status, payload, retry_after = await self._once(method, path, params, body, admin)
                error = error_for(status, payload, retry_after)
                if error is None:
                    if isinstance(payload, Mapping) and "data" in payload:
                        return payload["data"]
                    return payload
                raise error
            except RateLimited as exc:
                limited += 1
                await self._limiter.pause(exc.retry_after)
                log.warning(
                    "company=%s yclients %s %s: 429, retry after %.1fs", self._label, method, path, exc.retry_after
                )
                if limited >= self._retry.rate_limited_attempts or exc.retry_after > self._retry.max_retry_after:
                    raise
                await self._sleep(exc.retry_after)
            except Unavailable as exc:
                failures += 1
                # A write whose request never left is as safe to repeat as a read.
                repeatable = safe or isinstance(exc, NotSent)
                log.warning(
                    "company=%s yclients %s %s failed (%s, attempt %d)", self._label, method, path, exc, failures
                )
                if not repeatable or failures >= self._retry.read_attempts:
                    raise
                await self._sleep(self._retry.backoff(failures))

    @staticmethod
    def _parse(adapter: TypeAdapter[Any], data: Any, what: str) -> Any:
        try:
            return adapter.validate_python(data)
        except ValidationError as exc:
            raise Unavailable(f"unexpected {what} answer: {exc.error_count()} validation errors") from None

    # -- company and catalog (partner token) -----------------------------------------------------------------

    async def company(self, company_id: int) -> CompanyInfo:
        data = await self._call("GET", f"/company/{company_id}", safe=True)
        result: CompanyInfo = self._parse(TypeAdapter(CompanyInfo), data, "company")
        return result

    async def services(self, company_id: int, staff_id: int | None = None) -> list[ServiceInfo]:
        params = [("staff_id", str(staff_id))] if staff_id else None
        data = await self._call("GET", f"/book_services/{company_id}", params=params, safe=True)
        page: ServicesPage = self._parse(_services_page, data, "book_services")
        return page.services

    async def staff(self, company_id: int, service_id: int | None = None) -> list[StaffInfo]:
        params = [("service_ids[]", str(service_id))] if service_id else None
        data = await self._call("GET", f"/book_staff/{company_id}", params=params, safe=True)
        result: list[StaffInfo] = self._parse(_staff_list, data, "book_staff")
        return result

    async def dates(
        self, company_id: int, service_id: int, staff_id: int | None, date_from: date, date_to: date
    ) -> BookDates:
        params = [
            ("service_ids[]", str(service_id)),
            ("staff_id", str(staff_id or 0)),
            ("date_from", date_from.isoformat()),
            ("date_to", date_to.isoformat()),
        ]
        data = await self._call("GET", f"/book_dates/{company_id}", params=params, safe=True)
        result: BookDates = self._parse(TypeAdapter(BookDates), data, "book_dates")
        return result

    async def times(self, company_id: int, staff_id: int, day: date, service_id: int) -> list[TimeSlot]:
        """Free start times; always filtered by the service, or the grid ignores its length."""
        params = [("service_ids[]", str(service_id))]
        data = await self._call(
            "GET", f"/book_times/{company_id}/{staff_id}/{day.isoformat()}", params=params, safe=True
        )
        result: list[TimeSlot] = self._parse(_times, data, "book_times")
        return result

    # -- online booking --------------------------------------------------------------------------------------

    async def book_check(self, company_id: int, appointments: Sequence[Appointment]) -> None:
        """Raises `SlotUnavailable` (422) when the times can't be booked now. Changes nothing: safe to repeat."""
        body = {"appointments": [a.wire() for a in appointments]}
        await self._call("POST", f"/book_check/{company_id}", body=body, safe=True)

    async def book_record(
        self,
        company_id: int,
        *,
        phone: str,
        fullname: str,
        api_id: str,
        appointments: Sequence[Appointment],
        email: str = "",
        comment: str = "",
        code: str | None = None,
    ) -> list[BookedRecord]:
        """Creates the records. Sent once: after `Uncertain`, find the record by `api_id` before sending again."""
        body: dict[str, Any] = {
            "phone": digits(phone),
            "fullname": fullname,
            "email": email,
            "comment": comment,
            "api_id": api_id,
            "notify_by_sms": 0,
            "notify_by_email": 0,
            "appointments": [a.wire() for a in appointments],
        }
        if code is not None:
            body["code"] = code
        data = await self._call("POST", f"/book_record/{company_id}", body=body, safe=False)
        result: list[BookedRecord] = self._parse(_booked, data, "book_record")
        if not result:
            raise Uncertain("book_record answered without a record")
        return result

    async def move_record(self, company_id: int, record_id: int, datetime_text: str, comment: str = "") -> None:
        """PUT a new time. 403 when the salon does not let clients move bookings."""
        body = {"datetime": datetime_text, "comment": comment}
        await self._call("PUT", f"/book_record/{company_id}/{record_id}", body=body, admin=True, safe=False)

    async def record_by_hash(self, company_id: int, record_id: int, record_hash: str) -> Record:
        data = await self._call("GET", f"/book_record/{company_id}/{record_id}/{record_hash}", safe=True)
        result: Record = self._parse(TypeAdapter(Record), data, "book_record")
        return result

    async def cancel_by_hash(self, record_id: int, record_hash: str) -> None:
        """Cancel as the client (no user token needed)."""
        await self._call("DELETE", f"/user/records/{record_id}/{record_hash}", safe=False)

    # -- admin (partner + user token) ------------------------------------------------------------------------

    async def cancel_as_admin(self, company_id: int, record_id: int) -> None:
        await self._call("DELETE", f"/record/{company_id}/{record_id}", admin=True, safe=False)

    async def search_clients(self, company_id: int, phone: str) -> list[Client]:
        """Clients whose phone matches. There is no phone filter on records: resolve the client first."""
        body = {
            "page": 1,
            "page_size": 10,
            "filters": [{"type": "quick_search", "state": {"value": digits(phone)}}],
        }
        data = await self._call("POST", f"/company/{company_id}/clients/search", body=body, admin=True, safe=True)
        clients: list[Client] = self._parse(_clients, data, "clients/search")
        wanted = digits(phone)
        # quick_search matches substrings of names and phones too: keep exact phone matches only.
        return [c for c in clients if digits(c.phone) == wanted]

    async def records(self, company_id: int, client_id: int, start: date, end: date) -> list[Record]:
        """A client's records between two salon-local dates, every page (stops on a short page)."""
        found: list[Record] = []
        for page in range(1, MAX_PAGES + 1):
            params = [
                ("client_id", str(client_id)),
                ("start_date", start.isoformat()),
                ("end_date", end.isoformat()),
                ("page", str(page)),
                ("count", str(RECORDS_PAGE_SIZE)),
            ]
            data = await self._call("GET", f"/records/{company_id}", params=params, admin=True, safe=True)
            batch: list[Record] = self._parse(_records, data, "records")
            found += batch
            if len(batch) < RECORDS_PAGE_SIZE:
                break
        return found

    async def set_visit_status(self, visit_id: int, record_id: int, attendance: int, comment: str = "") -> None:
        """attendance: 2 confirmed, 1 arrived, 0 waiting, -1 no-show/cancelled. Idempotent."""
        body = {"attendance": attendance, "comment": comment}
        await self._call("PUT", f"/visits/{visit_id}/{record_id}", body=body, admin=True, safe=True)

    async def user_token(self, login: str, password: SecretStr) -> SecretStr:
        """`POST /auth`: an administrator's user token (v1 returns it bare, v2 inside `data`)."""
        body = {"login": login, "password": password.get_secret_value()}
        data = await self._call("POST", "/auth", body=body, safe=True)
        token = data.get("user_token") if isinstance(data, Mapping) else None
        if not token:
            raise Unavailable("auth answered without a user token")
        return SecretStr(str(token))
