"""A stateful fake of the YClients / Altegio REST API, speaking its wire format (../shared/reference/yclients-api.md).

It keeps companies with services, staff (weekly hours), clients and records, answers the online-booking and admin
endpoints with the real envelopes (both error shapes), checks tokens, and injects faults on demand:

- scripted: `server.faults.script("book_record", Fault.COMMIT_THEN_TIMEOUT)` — the next call of that route;
- random: `server.faults.randomly(rate=0.3, seed=7)` — every request, with a mixed kind fitting its route.

Used by the tests (real client against a real socket) and by the demo (`run_fake_yclients`, `seed_demo_salon`).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import random
import secrets
import socket
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

Clock = Callable[[], datetime]
Json = dict[str, Any]

API_PREFIX = "/api/v1"


class Fault(enum.StrEnum):
    SERVER_ERROR = "server_error"  # 500, usual error shape, nothing applied
    SECOND_SHAPE_ERROR = "second_shape_error"  # 503 in the `{"errors": ...}` shape, nothing applied
    RATE_LIMITED = "rate_limited"  # 429 with Retry-After, nothing applied
    TIMEOUT = "timeout"  # no answer in time, nothing applied
    SLOW = "slow"  # applied and answered after `slow_delay` (may be after the client gave up: a late commit)
    COMMIT_THEN_TIMEOUT = "commit_then_timeout"  # applied, then no answer in time
    RACE_422 = "race_422"  # book_check / book_record: a rival books the slot just before us → 422
    FORBIDDEN_MOVE = "forbidden_move"  # PUT book_record: 403, the salon forbids moving


GENERIC_FAULTS = (Fault.SERVER_ERROR, Fault.SECOND_SHAPE_ERROR, Fault.RATE_LIMITED, Fault.TIMEOUT, Fault.SLOW)
WRITE_FAULTS = (*GENERIC_FAULTS, Fault.COMMIT_THEN_TIMEOUT)
ROUTE_FAULTS: dict[str, tuple[Fault, ...]] = {
    "book_check": (*GENERIC_FAULTS, Fault.RACE_422),
    "book_record": (*WRITE_FAULTS, Fault.RACE_422),
    "move_record": (*WRITE_FAULTS, Fault.FORBIDDEN_MOVE),
    "cancel_admin": WRITE_FAULTS,
    "cancel_by_hash": WRITE_FAULTS,
}


@dataclass
class FaultPlan:
    """Which requests fail, and how. Scripted faults come first; then the random rate, if any."""

    timeout_delay: float = 1.0  # longer than the client's timeout
    slow_delay: tuple[float, float] = (0.0, 0.5)
    retry_after: int = 1
    _scripted: dict[str, deque[Fault]] = field(default_factory=dict)
    _rate: float = 0.0
    _kinds: tuple[Fault, ...] | None = None
    _rng: random.Random = field(default_factory=lambda: random.Random(0))
    injected: list[tuple[str, Fault]] = field(default_factory=list)

    def script(self, route: str, *faults: Fault) -> None:
        self._scripted.setdefault(route, deque()).extend(faults)

    def randomly(self, rate: float, seed: int = 0, kinds: Iterable[Fault] | None = None) -> None:
        self._rate, self._rng = rate, random.Random(seed)
        self._kinds = None if kinds is None else tuple(kinds)

    def stop(self) -> None:
        self._rate = 0.0
        self._scripted.clear()

    def draw(self, route: str) -> Fault | None:
        queued = self._scripted.get(route)
        fault: Fault | None = None
        if queued:
            fault = queued.popleft()
        elif self._rate and self._rng.random() < self._rate:
            fitting = [k for k in ROUTE_FAULTS.get(route, GENERIC_FAULTS) if self._kinds is None or k in self._kinds]
            fault = self._rng.choice(fitting) if fitting else None
        if fault is not None:
            self.injected.append((route, fault))
        return fault

    def slow(self) -> float:
        return self._rng.uniform(*self.slow_delay)


@dataclass
class FakeService:
    id: int
    title: str
    seance_length: int  # seconds
    price_min: float = 0
    price_max: float = 0
    category_id: int = 1
    active: bool = True


@dataclass
class FakeStaff:
    id: int
    name: str
    service_ids: set[int]
    hours: dict[int, list[tuple[time, time]]]  # weekday (0 = Monday) → local [open, close)
    specialization: str = ""


@dataclass
class FakeClient:
    id: int
    name: str
    phone: str  # digits


@dataclass
class FakeRecord:
    id: int
    company_id: int
    staff_id: int
    service_id: int
    start: datetime  # naive salon-local
    length: int  # seconds
    client_id: int
    api_id: str
    record_hash: str
    created_at: datetime  # aware UTC
    deleted: bool = False
    attendance: int = 0
    comment: str = ""

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.length)

    @property
    def visit_id(self) -> int:
        return self.id + 500_000


@dataclass
class FakeCompany:
    id: int
    title: str
    timezone_name: str
    services: dict[int, FakeService] = field(default_factory=dict)
    staff: dict[int, FakeStaff] = field(default_factory=dict)
    clients: dict[int, FakeClient] = field(default_factory=dict)
    records: dict[int, FakeRecord] = field(default_factory=dict)
    allow_change_record: bool = True
    step_minutes: int = 15

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)

    def live_records(self) -> list[FakeRecord]:
        return [r for r in self.records.values() if not r.deleted]


class _Reject(Exception):
    """An error answer: HTTP status and body."""

    def __init__(self, status: int, body: Json) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def _usual_error(status: int, message: str, code: int | None = None) -> _Reject:
    meta: Json = {"message": message}
    if code is not None:
        meta["code"] = code
    return _Reject(status, {"success": False, "data": None, "meta": meta})


def _second_shape_error(status: int, message: str) -> _Reject:
    return _Reject(status, {"errors": {"code": status, "message": message}, "meta": {"message": message}})


def _ok(data: Any, status: int = 200, meta: Any = None) -> web.Response:
    return web.json_response({"success": True, "data": data, "meta": [] if meta is None else meta}, status=status)


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


class FakeYClients:
    """The fake API's state and handlers. `app()` builds the aiohttp application."""

    def __init__(
        self,
        clock: Clock,
        partner_token: str = "partner-secret",
        user_token: str = "user-secret",
        login: str = "admin@example.com",
        password: str = "admin-password",
        wrong_offsets: bool = False,
        string_ids: bool = True,
    ) -> None:
        self.clock = clock
        self.partner_token = partner_token
        self.user_token = user_token
        self.login, self.password = login, password
        self.wrong_offsets = wrong_offsets  # Altegio's DST bug: `datetime` with a wrong offset
        self.string_ids = string_ids  # old-doc quirk: some ids as strings
        self.companies: dict[int, FakeCompany] = {}
        self.faults = FaultPlan()
        self.requests: list[tuple[str, str]] = []  # (method, route) as they arrive
        self.answers: list[tuple[str, int]] = []  # (route, HTTP status) as they are answered
        self.rate_limit_per_second: int | None = None
        self._recent: deque[float] = deque()
        self._ids = iter(range(1000, 10**9))
        self._lock = asyncio.Lock()

    # -- setup and inspection ------------------------------------------------------------------------------

    def add_company(self, company: FakeCompany) -> FakeCompany:
        self.companies[company.id] = company
        return company

    def next_id(self) -> int:
        return next(self._ids)

    def calls(self, route: str) -> int:
        return sum(1 for _, name in self.requests if name == route)

    def add_record(
        self,
        company_id: int,
        staff_id: int,
        service_id: int,
        start: datetime,
        phone: str = "70000000000",
        name: str = "Front desk",
        api_id: str = "",
    ) -> FakeRecord:
        """A record made outside the bot (at the front desk). `start` is naive salon-local."""
        company = self.companies[company_id]
        client = self._client(company, name, _digits(phone))
        record = FakeRecord(
            id=self.next_id(),
            company_id=company_id,
            staff_id=staff_id,
            service_id=service_id,
            start=start,
            length=company.services[service_id].seance_length,
            client_id=client.id,
            api_id=api_id,
            record_hash=secrets.token_hex(8),
            created_at=self.clock(),
        )
        company.records[record.id] = record
        return record

    # -- the application -----------------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        p = API_PREFIX
        routes = [
            ("POST", f"{p}/auth", "auth", self._auth),
            ("GET", f"{p}/company/{{cid}}", "company", self._company_info),
            ("GET", f"{p}/book_services/{{cid}}", "book_services", self._book_services),
            ("GET", f"{p}/book_staff/{{cid}}", "book_staff", self._book_staff),
            ("GET", f"{p}/book_dates/{{cid}}", "book_dates", self._book_dates),
            ("GET", f"{p}/book_times/{{cid}}/{{staff_id}}/{{day}}", "book_times", self._book_times),
            ("POST", f"{p}/book_check/{{cid}}", "book_check", self._book_check),
            ("POST", f"{p}/book_record/{{cid}}", "book_record", self._book_record),
            ("PUT", f"{p}/book_record/{{cid}}/{{rid}}", "move_record", self._move_record),
            ("GET", f"{p}/book_record/{{cid}}/{{rid}}/{{hash}}", "record_by_hash", self._record_by_hash),
            ("DELETE", f"{p}/user/records/{{rid}}/{{hash}}", "cancel_by_hash", self._cancel_by_hash),
            ("DELETE", f"{p}/record/{{cid}}/{{rid}}", "cancel_admin", self._cancel_admin),
            ("GET", f"{p}/records/{{cid}}", "records", self._records),
            ("POST", f"{p}/company/{{cid}}/clients/search", "clients_search", self._clients_search),
            ("PUT", f"{p}/visits/{{visit_id}}/{{rid}}", "visit_status", self._visit_status),
        ]
        for method, path, name, handler in routes:
            app.router.add_route(method, path, handler, name=name)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        route = request.match_info.route.name or "unknown"
        self.requests.append((request.method, route))  # on arrival: a request whose answer is lost still counts
        try:
            if request.can_read_body:
                await request.read()  # the whole request arrives before any delay: a slow answer can commit late
            self._check_rate()
            fault = self.faults.draw(route)
            response = await self._with_fault(request, handler, route, fault)
        except _Reject as reject:
            response = web.json_response(reject.body, status=reject.status)
            if reject.status == 429:
                response.headers["Retry-After"] = str(self.faults.retry_after)
        self.answers.append((route, response.status))
        return response

    def _check_rate(self) -> None:
        if self.rate_limit_per_second is None:
            return
        now = asyncio.get_running_loop().time()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.rate_limit_per_second:
            raise _usual_error(429, "Too many requests")
        self._recent.append(now)

    async def _with_fault(
        self, request: web.Request, handler: Any, route: str, fault: Fault | None
    ) -> web.StreamResponse:
        if fault is Fault.SERVER_ERROR:
            raise _usual_error(500, "Internal server error")
        if fault is Fault.SECOND_SHAPE_ERROR:
            raise _second_shape_error(503, "Service temporarily unavailable")
        if fault is Fault.RATE_LIMITED:
            raise _usual_error(429, "Too many requests")
        if fault is Fault.TIMEOUT:
            await asyncio.sleep(self.faults.timeout_delay)
            raise _usual_error(504, "Gateway timeout")
        if fault is Fault.FORBIDDEN_MOVE:
            raise _usual_error(403, "The company does not allow clients to change records")
        if fault is Fault.RACE_422:
            await self._rival_takes_slot(request)
        if fault is Fault.SLOW:
            await asyncio.sleep(self.faults.slow())
        response: web.StreamResponse = await handler(request)
        if fault is Fault.COMMIT_THEN_TIMEOUT:
            await asyncio.sleep(self.faults.timeout_delay)
        return response

    # -- helpers -------------------------------------------------------------------------------------------

    def _auth_check(self, request: web.Request, admin: bool) -> None:
        header = request.headers.get("Authorization", "")
        parts = [p.strip() for p in header.split(",")]
        if not parts or parts[0] != f"Bearer {self.partner_token}":
            raise _second_shape_error(401, "Partner authentication needed")
        if admin and (len(parts) < 2 or parts[1] != f"User {self.user_token}"):
            raise _second_shape_error(401, "User authentication needed")
        if request.headers.get("Accept") != "application/vnd.yclients.v2+json":
            raise _usual_error(400, "Wrong Accept header")

    def _company(self, request: web.Request) -> FakeCompany:
        try:
            return self.companies[int(request.match_info["cid"])]
        except (KeyError, ValueError):
            raise _second_shape_error(404, "Company not found") from None

    async def _json(self, request: web.Request) -> Json:
        try:
            body = await request.json()
        except ValueError:
            raise _usual_error(400, "Body is not JSON") from None
        if not isinstance(body, dict):
            raise _usual_error(400, "Body must be an object")
        return body

    def _id(self, value: int) -> int | str:
        return str(value) if self.string_ids else value

    def _local_now(self, company: FakeCompany) -> datetime:
        return self.clock().astimezone(company.zone).replace(tzinfo=None)

    def _aware(self, company: FakeCompany, local: datetime) -> datetime:
        return local.replace(tzinfo=company.zone)

    def _datetime_text(self, company: FakeCompany, local: datetime) -> str:
        aware = self._aware(company, local)
        if self.wrong_offsets:
            aware = local.replace(tzinfo=UTC)
        return aware.isoformat()

    def _parse_local(self, company: FakeCompany, text: Any) -> datetime:
        """An appointment's `datetime` (ISO, with offset) as the salon's naive local time."""
        try:
            moment = datetime.fromisoformat(str(text))
        except ValueError:
            raise _usual_error(400, "Bad datetime") from None
        if moment.tzinfo is None:
            return moment
        return moment.astimezone(company.zone).replace(tzinfo=None)

    def _why_not_free(
        self, company: FakeCompany, staff_id: int, service_id: int, start: datetime, ignore: int | None = None
    ) -> str | None:
        staff = company.staff.get(staff_id)
        service = company.services.get(service_id)
        if staff is None or service is None or not service.active:
            return "Service or staff member is not available"
        if service_id not in staff.service_ids:
            return "The staff member does not provide this service"
        if start <= self._local_now(company):
            return "The time is in the past"
        end = start + timedelta(seconds=service.seance_length)
        hours = staff.hours.get(start.weekday(), [])
        if not any(
            datetime.combine(start.date(), o) <= start and end <= datetime.combine(start.date(), c) for o, c in hours
        ):
            return "The staff member does not work at this time"
        for record in company.live_records():
            if record.staff_id == staff_id and record.id != ignore and record.start < end and start < record.end:
                return "The selected time is already taken"
        return None

    def _free_times(self, company: FakeCompany, staff: FakeStaff, service: FakeService, day: date) -> list[datetime]:
        times: list[datetime] = []
        for opens, closes in staff.hours.get(day.weekday(), []):
            start = datetime.combine(day, opens)
            while start + timedelta(seconds=service.seance_length) <= datetime.combine(day, closes):
                if self._why_not_free(company, staff.id, service.id, start) is None:
                    times.append(start)
                start += timedelta(minutes=company.step_minutes)
        return times

    def _client(self, company: FakeCompany, name: str, phone: str) -> FakeClient:
        for client in company.clients.values():
            if client.phone == phone:
                return client
        client = FakeClient(id=self.next_id(), name=name, phone=phone)
        company.clients[client.id] = client
        return client

    def _record_json(self, company: FakeCompany, record: FakeRecord) -> Json:
        service = company.services[record.service_id]
        staff = company.staff[record.staff_id]
        client = company.clients[record.client_id]
        created = record.created_at.astimezone(company.zone)
        return {
            "id": self._id(record.id),
            "company_id": company.id,
            "staff_id": self._id(record.staff_id),
            "services": [{"id": service.id, "title": service.title, "cost": service.price_min}],
            "staff": {"id": staff.id, "name": staff.name},
            "client": {"id": client.id, "name": client.name, "phone": f"+{client.phone}"},
            "date": record.start.strftime("%Y-%m-%d %H:%M:%S"),
            "datetime": self._datetime_text(company, record.start),
            "create_date": created.strftime("%Y-%m-%dT%H:%M:%S%z"),  # `+0300`, no colon: a real quirk
            "seance_length": record.length,
            "length": record.length,
            "api_id": record.api_id or None,
            "deleted": record.deleted,
            "attendance": record.attendance,
            "visit_id": record.visit_id,
            "comment": record.comment,
        }

    async def _rival_takes_slot(self, request: web.Request) -> None:
        """Someone else books the requested slot right before this request is handled."""
        body = await self._json(request)
        company = self._company(request)
        for appointment in body.get("appointments") or []:
            with contextlib.suppress(KeyError, TypeError, ValueError, _Reject):
                start = self._parse_local(company, appointment["datetime"])
                staff_id, service_id = int(appointment["staff_id"]), int(appointment["services"][0])
                if self._why_not_free(company, staff_id, service_id, start) is None:
                    self.add_record(
                        company.id, staff_id, service_id, start, phone=f"7998{self.next_id():07d}", name="Rival"
                    )

    # -- handlers ------------------------------------------------------------------------------------------

    async def _auth(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=False)
        body = await self._json(request)
        if body.get("login") != self.login or body.get("password") != self.password:
            raise _usual_error(401, "Wrong login or password")
        return _ok({"user_token": self.user_token, "id": 1, "name": "Admin"}, status=201)

    async def _company_info(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=False)
        company = self._company(request)
        return _ok(
            {
                "id": self._id(company.id),
                "title": company.title,
                "timezone_name": company.timezone_name,
                "timezone": int(self._aware(company, self._local_now(company)).utcoffset() / timedelta(hours=1)),  # type: ignore[operator]
                "phone_confirmation": False,
                "allow_change_record": company.allow_change_record,
            }
        )

    async def _book_services(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=False)
        company = self._company(request)
        staff_id = request.query.get("staff_id")
        services = [
            s
            for s in company.services.values()
            if s.active and (not staff_id or s.id in company.staff[int(staff_id)].service_ids)
        ]
        data = {
            "services": [
                {
                    "id": self._id(s.id),
                    "title": s.title,
                    "category_id": s.category_id,
                    "price_min": s.price_min,
                    "price_max": s.price_max,
                    "seance_length": s.seance_length,
                    "active": 1,
                }
                for s in services
            ],
            "category": [{"id": 1, "title": "Services"}],
        }
        return _ok(data)

    async def _book_staff(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=False)
        company = self._company(request)
        wanted = {int(v) for v in request.query.getall("service_ids[]", [])}
        staff = [m for m in company.staff.values() if wanted <= m.service_ids]
        data = [
            {
                "id": m.id,
                "name": m.name,
                "specialization": m.specialization,
                "bookable": True,
                "rating": 5,
                "seance_date": None,
            }
            for m in staff
        ]
        return _ok(data)

    async def _book_dates(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=False)
        company = self._company(request)
        service = company.services.get(int(request.query.get("service_ids[]", "0")))
        staff_id = int(request.query.get("staff_id", "0"))
        start = date.fromisoformat(request.query["date_from"])
        end = date.fromisoformat(request.query["date_to"])
        staff = [m for m in company.staff.values() if staff_id in (0, m.id)]
        booking, working = [], []
        day = start
        while day <= end and service is not None:
            if any(m.hours.get(day.weekday()) for m in staff):
                working.append(day.isoformat())
            if any(service.id in m.service_ids and self._free_times(company, m, service, day) for m in staff):
                booking.append(day.isoformat())
            day += timedelta(days=1)
        return _ok({"booking_dates": booking, "working_dates": working, "booking_days": {}})

    async def _book_times(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=False)
        company = self._company(request)
        staff = company.staff.get(int(request.match_info["staff_id"]))
        if staff is None:
            raise _second_shape_error(404, "Staff member not found")
        service_ids = request.query.getall("service_ids[]", [])
        if not service_ids:
            raise _usual_error(400, "service_ids[] is required by this fake (the real grid ignores the length)")
        service = company.services.get(int(service_ids[0]))
        if service is None or service.id not in staff.service_ids:
            return _ok([])
        day = date.fromisoformat(request.match_info["day"])
        data = [
            {
                "time": t.strftime("%H:%M"),
                "seance_length": service.seance_length,
                "datetime": self._aware(company, t).isoformat(),
            }
            for t in self._free_times(company, staff, service, day)
        ]
        return _ok(data)

    def _appointments(self, company: FakeCompany, body: Json) -> list[tuple[int, int, int, datetime]]:
        """(appointment id, staff id, service id, local start) of each appointment; 422 when one can't be booked."""
        appointments = body.get("appointments")
        if not isinstance(appointments, list) or not appointments:
            raise _usual_error(400, "appointments are required")
        parsed = []
        for item in appointments:
            try:
                staff_id, service_id = int(item["staff_id"]), int(item["services"][0])
                start = self._parse_local(company, item["datetime"])
            except (KeyError, TypeError, ValueError, IndexError):
                raise _usual_error(400, "Bad appointment") from None
            reason = self._why_not_free(company, staff_id, service_id, start)
            if reason is not None:
                raise _usual_error(422, reason, code=433)
            parsed.append((int(item.get("id", 1)), staff_id, service_id, start))
        return parsed

    async def _book_check(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=False)
        company = self._company(request)
        body = await self._json(request)
        async with self._lock:
            self._appointments(company, body)
        return _ok(None, status=201)

    async def _book_record(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=False)
        company = self._company(request)
        body = await self._json(request)
        phone = _digits(str(body.get("phone", "")))
        if len(phone) < 10:
            raise _usual_error(422, "Wrong phone number", code=431)
        if not str(body.get("fullname") or "").strip():
            raise _usual_error(422, "Name is required", code=435)
        async with self._lock:  # check and insert atomically: two requests never get one slot
            appointments = self._appointments(company, body)
            client = self._client(company, str(body["fullname"]), phone)
            created = []
            for appointment_id, staff_id, service_id, start in appointments:
                record = FakeRecord(
                    id=self.next_id(),
                    company_id=company.id,
                    staff_id=staff_id,
                    service_id=service_id,
                    start=start,
                    length=company.services[service_id].seance_length,
                    client_id=client.id,
                    api_id=str(body.get("api_id") or ""),
                    record_hash=secrets.token_hex(8),
                    created_at=self.clock(),
                    comment=str(body.get("comment") or ""),
                )
                company.records[record.id] = record
                created.append(
                    {"id": appointment_id, "record_id": self._id(record.id), "record_hash": record.record_hash}
                )
        return _ok(created, status=201)

    def _record(self, company: FakeCompany, request: web.Request) -> FakeRecord:
        record = company.records.get(int(request.match_info["rid"]))
        if record is None or record.deleted:
            raise _second_shape_error(404, "Record not found")
        return record

    async def _move_record(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=False)
        company = self._company(request)
        body = await self._json(request)
        async with self._lock:
            record = self._record(company, request)
            if not company.allow_change_record:
                raise _usual_error(403, "The company does not allow clients to change records")
            start = self._parse_local(company, body.get("datetime"))
            reason = self._why_not_free(company, record.staff_id, record.service_id, start, ignore=record.id)
            if reason is not None:
                raise _usual_error(422, reason, code=433)
            record.start = start
            if body.get("comment"):
                record.comment = str(body["comment"])
        return _ok(self._record_json(company, record))

    async def _record_by_hash(self, request: web.Request) -> web.Response:
        company = self._company(request)
        record = self._record(company, request)
        if request.match_info["hash"] != record.record_hash:
            raise _second_shape_error(404, "Record not found")
        return _ok(self._record_json(company, record))

    async def _cancel_by_hash(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=False)
        for company in self.companies.values():
            record = company.records.get(int(request.match_info["rid"]))
            if record is not None and not record.deleted and record.record_hash == request.match_info["hash"]:
                record.deleted = True
                return _ok(None)
        raise _second_shape_error(404, "Record not found")

    async def _cancel_admin(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=True)
        company = self._company(request)
        async with self._lock:
            record = self._record(company, request)
            record.deleted = True
        return web.Response(status=204)

    async def _records(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=True)
        company = self._company(request)
        query = request.query
        if "client_phone" in query:
            raise _usual_error(400, "client_phone is not a filter")
        client_id = int(query["client_id"]) if query.get("client_id") else None
        start = date.fromisoformat(query["start_date"]) if query.get("start_date") else date.min
        end = date.fromisoformat(query["end_date"]) if query.get("end_date") else date.max
        page, count = int(query.get("page", "1")), int(query.get("count", "25"))
        found = sorted(
            (
                r
                for r in company.records.values()
                if (client_id is None or r.client_id == client_id) and start <= r.start.date() <= end
            ),
            key=lambda r: (r.start, r.id),
        )
        chunk = found[(page - 1) * count : page * count]
        return _ok([self._record_json(company, r) for r in chunk], meta={"page": page, "total_count": len(found)})

    async def _clients_search(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=True)
        company = self._company(request)
        body = await self._json(request)
        value = ""
        for item in body.get("filters") or []:
            if item.get("type") == "quick_search":
                value = str(item.get("state", {}).get("value", ""))
        found = [c for c in company.clients.values() if value and (value in c.phone or value.lower() in c.name.lower())]
        data = [{"id": c.id, "name": c.name, "phone": f"+{c.phone}"} for c in found[: int(body.get("page_size", 10))]]
        return _ok(data, meta={"total_count": len(found)})

    async def _visit_status(self, request: web.Request) -> web.Response:
        self._auth_check(request, admin=True)
        body = await self._json(request)
        for company in self.companies.values():
            record = company.records.get(int(request.match_info["rid"]))
            if record is not None and str(record.visit_id) == request.match_info["visit_id"]:
                record.attendance = int(body.get("attendance", 0))
                return _ok(self._record_json(company, record))
        raise _second_shape_error(404, "Visit not found")


@contextlib.asynccontextmanager
async def run_fake_yclients(server: FakeYClients, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Serve `server` on a real socket (a free port by default); yields the API base URL (…/api/v1)."""
    runner = web.AppRunner(server.app(), shutdown_timeout=0.5, handler_cancellation=False)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, port))
    site = web.SockSite(runner, sock)
    await site.start()
    bound_port = sock.getsockname()[1]
    try:
        yield f"http://{host}:{bound_port}{API_PREFIX}"
    finally:
        await runner.cleanup()


# -- the demo salon, as a YClients company --------------------------------------------------------------------

DEMO_YCLIENTS_COMPANY_ID = 4564


def seed_demo_salon(server: FakeYClients, company_id: int = DEMO_YCLIENTS_COMPANY_ID) -> FakeCompany:
    """The demo salon's catalog (the built-in calendar's) inside the fake, with numeric YClients ids."""
    from integrations.scheduling.builtin.demo_salon import DEMO_HOURS, DEMO_SERVICES, DEMO_STAFF

    company = FakeCompany(id=company_id, title="Demo Salon", timezone_name="Europe/Moscow")
    for n, service in enumerate(DEMO_SERVICES, start=1):
        price = float(service.price or 0)
        company.services[100 + n] = FakeService(
            id=100 + n,
            title=service.name,
            seance_length=service.duration_minutes * 60,
            price_min=price,
            price_max=price,
        )
    for n, member in enumerate(DEMO_STAFF, start=1):
        company.staff[200 + n] = FakeStaff(
            id=200 + n, name=member.name, service_ids=set(company.services), hours=dict(DEMO_HOURS)
        )
    return server.add_company(company)
