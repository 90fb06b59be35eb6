"""The fake YClients server: its state, its aiohttp application and a real socket to serve it on.

Every request is counted on arrival (`requests`) and its status on answer (`answers`); an optional limit of
requests per second answers 429 as the real API does; `faults` decides which requests fail and how.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import secrets
import socket
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from booking_bot.ports import Clock
from integrations.scheduling.yclients.fake.faults import Fault, FaultPlan
from integrations.scheduling.yclients.fake.handlers import ROUTES
from integrations.scheduling.yclients.fake.state import FakeCompany, FakeRecord
from integrations.scheduling.yclients.fake.wire import (
    API_PREFIX,
    Json,
    Reject,
    digits,
    parse_local,
    second_shape_error,
    usual_error,
)


class FakeYClients:
    """The fake API's state and handlers. `app()` builds the aiohttp application."""

    def __init__(
        self,
        clock: Clock,
        partner_token: str = "partner-secret",  # noqa: S107 - the fake's own made-up credentials
        user_token: str = "user-secret",  # noqa: S107
        login: str = "admin@example.com",
        password: str = "admin-password",  # noqa: S107
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
        self.lock = asyncio.Lock()  # writes check and apply under it: two requests never get one slot
        self._recent: deque[float] = deque()
        self._ids = iter(range(1000, 10**9))

    # -- setup and inspection ------------------------------------------------------------------------------

    def add_company(self, company: FakeCompany) -> FakeCompany:
        """Serve this company (replacing one with its id)."""
        self.companies[company.id] = company
        return company

    def next_id(self) -> int:
        """A new id for a record or a client."""
        return next(self._ids)

    def calls(self, route: str) -> int:
        """How many requests of that route arrived."""
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
        client = company.client(name, digits(phone), self.next_id)
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
        """The aiohttp application answering every route of `handlers.ROUTES`."""
        app = web.Application(middlewares=[self._middleware])
        for method, path, name, handler in ROUTES:
            app.router.add_route(method, API_PREFIX + path, functools.partial(handler, self), name=name)
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
            response = await self._with_fault(request, handler, fault)
        except Reject as reject:
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
            raise usual_error(429, "Too many requests")
        self._recent.append(now)

    async def _with_fault(self, request: web.Request, handler: Any, fault: Fault | None) -> web.StreamResponse:
        if fault is Fault.SERVER_ERROR:
            raise usual_error(500, "Internal server error")
        if fault is Fault.SECOND_SHAPE_ERROR:
            raise second_shape_error(503, "Service temporarily unavailable")
        if fault is Fault.RATE_LIMITED:
            raise usual_error(429, "Too many requests")
        if fault is Fault.TIMEOUT:
            await asyncio.sleep(self.faults.timeout_delay)
            raise usual_error(504, "Gateway timeout")
        if fault is Fault.FORBIDDEN_MOVE:
            raise usual_error(403, "The company does not allow clients to change records")
        if fault is Fault.RACE_422:
            await self._rival_takes_slot(request)
        if fault is Fault.SLOW:
            await asyncio.sleep(self.faults.slow())
        response: web.StreamResponse = await handler(request)
        if fault is Fault.COMMIT_THEN_TIMEOUT:
            await asyncio.sleep(self.faults.timeout_delay)
        return response

    async def _rival_takes_slot(self, request: web.Request) -> None:
        """Someone else books the requested slot right before this request is handled."""
        body = await self.json_body(request)
        company = self.company_of(request)
        for appointment in body.get("appointments") or []:
            with contextlib.suppress(KeyError, TypeError, ValueError, Reject):
                start = parse_local(company, appointment["datetime"])
                staff_id, service_id = int(appointment["staff_id"]), int(appointment["services"][0])
                if company.why_not_free(self.clock, staff_id, service_id, start) is None:
                    self.add_record(
                        company.id, staff_id, service_id, start, phone=f"7998{self.next_id():07d}", name="Rival"
                    )

    # -- what the handlers share ---------------------------------------------------------------------------

    def auth_check(self, request: web.Request, admin: bool) -> None:
        """The partner token (and the user token for admin routes) and the v2 Accept header, or a 401/400."""
        header = request.headers.get("Authorization", "")
        parts = [p.strip() for p in header.split(",")]
        if not parts or parts[0] != f"Bearer {self.partner_token}":
            raise second_shape_error(401, "Partner authentication needed")
        if admin and (len(parts) < 2 or parts[1] != f"User {self.user_token}"):
            raise second_shape_error(401, "User authentication needed")
        if request.headers.get("Accept") != "application/vnd.yclients.v2+json":
            raise usual_error(400, "Wrong Accept header")

    def company_of(self, request: web.Request) -> FakeCompany:
        """The company of the path's `cid`, or a 404."""
        try:
            return self.companies[int(request.match_info["cid"])]
        except (KeyError, ValueError):
            raise second_shape_error(404, "Company not found") from None

    async def json_body(self, request: web.Request) -> Json:
        """The request's JSON object, or a 400."""
        try:
            body = await request.json()
        except ValueError:
            raise usual_error(400, "Body is not JSON") from None
        if not isinstance(body, dict):
            raise usual_error(400, "Body must be an object")
        return body

    def wire_id(self, value: int) -> int | str:
        """An id as this fake sends it (a string, in the old-doc quirk)."""
        return str(value) if self.string_ids else value

    def _datetime_text(self, company: FakeCompany, local: datetime) -> str:
        aware = company.aware(local)
        if self.wrong_offsets:
            aware = local.replace(tzinfo=UTC)
        return aware.isoformat()

    def record_json(self, company: FakeCompany, record: FakeRecord) -> Json:
        """A record as the admin methods return it."""
        service = company.services[record.service_id]
        staff = company.staff[record.staff_id]
        client = company.clients[record.client_id]
        created = record.created_at.astimezone(company.zone)
        return {
            "id": self.wire_id(record.id),
            "company_id": company.id,
            "staff_id": self.wire_id(record.staff_id),
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
